"""A one-time award's earlier grant recorded in a year other than the facts now give it.

A grant of a ``once per E`` award with a yearly cap (``cap … per firm per year of
approved_on``) sits in the account of the year it was recorded in.  When the facts of a
later run give its subject another year (an approval date corrected from 2025-12-31 to
2026-01-05), the award is rightly not paid again (一次性), but its amount stays in the old
year's account: the new year's cap is then filled again by other claims, and the firm is
paid more in that year than the cap allows (issue 9).  A run must not build on a ledger
its own facts contradict: it is refused (E349), naming the grant, where it is, its
recorded year and the year the facts give it.

Scope (docs/cli.md, "the ledger"):

* provisions with ``once per E`` and a yearly cap with ``per`` (a ``per year of …`` cap:
  its grants carry the year they count in), not paid over time (``paid …``: one grant per
  year, each its own year);
* an earlier grant of it above 0.00 元 (0.00 元 is not a payment: nothing is in any account);
* whose subject (its whole path: firm f1, product P1) this run evaluates a claim of, and
  whose year this run computes (not unknown: then the claim holds its room in every year,
  and nothing contradicts the grant) as other than the grant's ``year``.

Grants of other provisions are not compared: an award paid every year to a firm
legitimately has grants of one path in several years.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from .backends.python.claims import path_of
from .backends.python.compile import CompiledCap, CompiledPolicy, CompiledProvision, Env
from .errors import Diagnostic, LedgerError
from .facts import Facts
from .ledger_bases import OtherReading
from .runtime.ledger import Grant, GrantPath, Ledger
from .runtime.money import Money
from .runtime.values import Undecided, Unknown, Value, year_number

__all__ = [
    "YearIndex",
    "check_years",
    "noting",
    "refuse_year_rows",
    "year_error",
    "year_index",
    "year_keyed",
    "years_differ",
]

_Found = tuple[Grant, str, int, str]  # grant, where it is, the year the facts give, from what


def _year_cap(cp: CompiledProvision) -> CompiledCap | None:
    """The cap whose year a grant of ``cp`` records: the last yearly cap with ``per``
    (:func:`~policyrules.backends.python.claims.apply_caps` keeps the last one's)."""
    yearly = [c for c in cp.caps if c.per and c.year is not None]
    return yearly[-1] if yearly else None


def year_keyed(policy: CompiledPolicy) -> dict[str, CompiledCap]:
    """provision id -> its yearly cap, for each one-time award whose grants carry a year
    (not paid over time)."""
    out = {}
    for cp in policy.provisions:
        cap = _year_cap(cp) if cp.info.once and cp.schedule is None else None
        if cap is not None:
            out[cp.info.id] = cap
    return out


# (provision id, the subject's path) -> the earlier grants of it, each with where it is
YearIndex = dict[tuple[str, GrantPath], list[tuple[Grant, str]]]


def year_index(keyed: Mapping[str, CompiledCap], grants: Iterable[tuple[Grant, str]]) -> YearIndex:
    """The grants above 0.00 元 with a year of the provisions of ``keyed``
    (:func:`year_keyed`), given with where each is, by provision and path: built once for
    a ledger given again (:class:`policyrules.Policy` keeps it)."""
    out: YearIndex = {}
    for g, where in grants:
        if g.provision in keyed and g.year is not None and g.amount.fen:
            key = (g.provision, g.path)
            same = out.get(key)
            if same is None:
                out[key] = [(g, where)]
            elif all(g != had for had, _ in same):  # one grant by two routes is one grant
                same.append((g, where))
    return out


def years_differ(
    policy: CompiledPolicy,
    facts: Facts,
    index: YearIndex,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
    skip: Container[str] = (),
    keyed: Mapping[str, CompiledCap] | None = None,
) -> list[_Found]:
    """The earlier grants of ``index`` (:func:`year_index`) whose subject ``facts`` give
    another year: (grant, where, year now, the cap that gives it).  Unknown years and
    provisions in ``skip`` are passed over.  Costs nothing more when ``index`` is empty.
    ``keyed``: :func:`year_keyed` of ``policy``, if the caller keeps it (a
    :class:`~policyrules.Policy` makes it once, at load); else made here."""
    if not index:
        return []
    keyed = year_keyed(policy) if keyed is None else keyed
    out: list[_Found] = []
    for cp in policy.provisions:
        cap = keyed.get(cp.info.id)
        subject = cp.info.subject
        if cap is None or subject is None or cap.year is None or cp.info.id in skip:
            continue
        doc = next((d for d in policy.checked.documents if d.name == cp.info.document), None)
        for inst in facts.instances.get(subject, ()):
            found = index.get((cp.info.id, path_of(inst)))
            if not found:
                continue
            try:
                when = cap.year(Env(inst.chain(), parameters, assumptions, doc))
            except (Undecided, KeyError):
                continue
            if when is None or isinstance(when, Unknown):
                continue
            now = year_number(when)
            out += [(g, where, now, f"the cap {cap.text}") for g, where in found if g.year != now]
    return out


def check_years(
    policy: CompiledPolicy,
    facts: Facts,
    parts: Iterable[tuple[str, Ledger]] | YearIndex,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
    skip: Container[str] = (),
    keyed: Mapping[str, CompiledCap] | None = None,
) -> None:
    """Refuse the earlier grants of ``parts`` (named ledgers, or their :func:`year_index`)
    that :func:`years_differ` finds (``keyed`` as there).

    :raises LedgerError: E349, one per grant: the grant (provision, subject path, its
        recorded year), where it is, the year the facts give it and the cap that gives it."""
    if isinstance(parts, dict):
        index = parts
    else:
        keyed = year_keyed(policy) if keyed is None else keyed
        index = year_index(keyed, ((g, name) for name, ledger in parts for g in ledger))
    found = years_differ(policy, facts, index, parameters, assumptions, skip, keyed)
    if found:
        raise LedgerError([year_error(*f) for f in found])


def year_error(grant: Grant, where: str, now: int, source: str) -> Diagnostic:
    """The E349 of one grant recorded in ``grant.year`` that the facts place in ``now``."""
    return Diagnostic(
        "E349",
        f"{grant.describe()} ({where}): the facts give this claim year {now}, not "
        f"{grant.year} (by {source}); the one-time award is not paid again, and its amount "
        f"would stay in {grant.year}'s account while {now}'s cap is filled again",
        hint=(
            "if the facts are right, correct the grant's year in the ledger (a store: "
            "`policyrules ledger export` it, fix the grant's `year`, `policyrules ledger "
            "import` into a new store; a ledger file: edit it); else correct the facts"
        ),
    )


def refuse_year_rows(
    policy: CompiledPolicy,
    found: Iterable[tuple[str, Sequence[object]]],
    where: str,
    skip: Container[str] = (),
    keyed: Mapping[str, CompiledCap] | None = None,
) -> None:
    """The batch's E349: ``found`` holds (provision id, row) pairs, each row the subject's
    ids along its chain, then the grant's amount (fen), its recorded year and the year the
    registry's facts give it (:mod:`policyrules.backends.sql.year_checks`); ``where`` names
    the ledgers the batch read.  Provisions in ``skip`` (read in another reading's accounts
    by a what-if) are passed over; ``keyed`` as for :func:`years_differ`.

    :raises LedgerError: E349, one per row."""
    if not found:
        return
    keyed = year_keyed(policy) if keyed is None else keyed
    by_id = {cp.info.id: cp for cp in policy.provisions}
    diags = []
    for pid, row in found:
        if pid in skip or pid not in keyed:
            continue
        cp = by_id[pid]
        chain = [e.name for e in reversed(policy.checked.chain(cp.info.subject))]  # firm first
        ids, (amount, was, now) = row[: len(chain)], row[len(chain) :]
        path = tuple((e, str(i)) for e, i in zip(chain, ids, strict=True))
        grant = Grant(pid, path, Money(int(str(amount))), int(str(was)))
        diags.append(year_error(grant, where, int(str(now)), f"the cap {keyed[pid].text}"))
    if diags:
        raise LedgerError(diags)


def noting(
    sink: Callable[[OtherReading], None] | None, skip: set[str]
) -> Callable[[OtherReading], None] | None:
    """``sink`` (a what-if's, taking each :class:`OtherReading`), adding each finding's
    provision to ``skip`` first: its grants are read in the accounts of the reading they
    were counted by, so their years are not compared with the run's (E349)."""
    if sink is None:
        return None
    take = sink

    def noted(found: OtherReading) -> None:
        skip.add(found.provision)
        take(found)

    return noted
