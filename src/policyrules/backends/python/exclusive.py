"""Exclusive groups and supersession in the Python back end (issue 11 §6).

同一项目不重复支持，按照就高原则: the claims of a group's awards for one record of its
``among`` entity are first decided each on its own (a first pass); :func:`plan` then says,
claim by claim, which is paid, and the second pass decides them again with the losers not
eligible, so a claim that is not paid takes nothing from any cap and makes no grant.

``keep highest``: a claim is paid when its amount (its least, for a range or an upper bound)
is above every other live claim's most; a claim whose most is below another eligible claim's
least is not paid; equal amounts go to the award listed first under ``ties by listed``, and
are a tie (E423, unknown) without it.  ``keep listed``: the first listed award whose claim is
eligible is paid.  A claim that may still lose (a competitor is unknown, or its amount only
bounded) is not exact: its amount becomes an upper bound (``up_to``).  An earlier grant in the
ledger under another award of the group for the same record excludes every other award of the
group (已获得…支持的不再支持; the largest such grant is named).  Among an owner of the
subject (among firm, of product awards), a record's claims are taken by provision, then in
each award's serving order (its ``order by`` keys, then the subject's path in natural order).
A provision that a later document supersedes is not eligible
from that document's first day (the evaluation's ``as_of``); with no ``as_of`` it is unknown
(E424), never silently applied or dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ...decisions import Decision
from ...decisions_exclusive import Exclusion
from ...model import CheckedPolicy
from ...model_exclusive import ExclusiveGroup
from ...runtime.ledger import Grant
from ...runtime.money import Money
from ...runtime.values import format_value

__all__ = ["Claimed", "Verdict", "first_pass_claims", "plan", "superseded_verdict"]

Path = tuple[tuple[str, str], ...]
Claimed = tuple[str, Path]  # (provision id, the subject's path)


@attrs.frozen
class Verdict:
    """What exclusivity does to one claim: ``fail`` (not eligible, this reason), ``undecided``
    (unknown, this reason, E423/E424), ``bounded`` (eligible, but the amount is at most), and
    the :class:`Exclusion` the decision carries."""

    note: Exclusion
    fail: str | None = None
    undecided: str | None = None
    bounded: str | None = None


def superseded_verdict(
    policy: CheckedPolicy, document: str, clause: str, as_of: dt.date | None
) -> Verdict | None:
    """The verdict on a provision of ``document``'s clause ``clause`` (an id) that a later
    document supersedes, as of ``as_of``; ``None`` if none does, or not yet."""
    sup = policy.exclusivity.superseded(document, clause)
    if sup is None:
        return None
    note = Exclusion("superseded", "supersedes", sup.by, since=sup.since)
    if as_of is None:
        return Verdict(
            note,
            undecided=f"E424: superseded by {sup.by} from {sup.since}; the day of the "
            f"evaluation (as_of) is not given",
        )
    if as_of < sup.since:
        return None
    return Verdict(note, fail=f"superseded by {sup.by} from {sup.since} (以此为准)")


def plan(
    policy: CheckedPolicy,
    first: Iterable[tuple[Claimed, Decision]],
    ledger: Iterable[Grant],
) -> dict[Claimed, Verdict]:
    """The verdict on every claim an exclusive group changes, from the decisions of a first
    pass (by provision id and path) and the earlier grants."""
    decided = dict(first)
    grants = list(ledger)
    out: dict[Claimed, Verdict] = {}
    for g in policy.exclusivity.groups:
        rule = "keep listed" if g.keep == "listed" else "keep highest"
        rule += f" ties by {g.ties}" if g.ties else ""
        records: dict[Path, list[tuple[Claimed, Decision]]] = {}
        for claim, d in decided.items():
            if claim[0] in g.awards and (key := _record(claim[1], g.among)) is not None:
                records.setdefault(key, []).append((claim, d))
        for key, claims in records.items():
            _record_verdicts(g, rule, key, claims, grants, out)
    return out


def _record(path: Path, among: str) -> Path | None:
    for i, (entity, _) in enumerate(path):
        if entity == among:
            return path[: i + 1]
    return None


def _record_verdicts(
    g: ExclusiveGroup,
    rule: str,
    key: Path,
    claims: list[tuple[Claimed, Decision]],
    grants: list[Grant],
    out: dict[Claimed, Verdict],
) -> None:
    earlier = [gr for gr in grants if gr.provision in g.awards and _record(gr.path, g.among) == key]
    live: list[tuple[Claimed, Decision]] = []
    # the earlier grant named: the largest, of equals the first by provision id (no
    # ledger order: the batch, which reads a table, names the same)
    earlier.sort(key=lambda gr: (-gr.amount.fen, gr.provision))
    for claim, d in claims:
        before = next((gr for gr in earlier if gr.provision != claim[0]), None)
        if before is not None:
            note = Exclusion(
                "not_paid", rule, g.clause, before.provision, before.amount, "exact", ledger=True
            )
            text = (
                f"not paid (exclusive, {rule}): {_who(key)} was granted "
                f"{format_value(before.amount)} under {before.provision} before"
            )
            _put(out, claim, Verdict(note, fail=text))
        elif d.status != "not_eligible":
            live.append((claim, d))
    if len(live) < 2:
        return
    order = {a: i for i, a in enumerate(g.awards)}
    for claim, d in live:
        others = [(c, e) for c, e in live if c != claim]
        if g.keep == "listed":
            verdict = _listed(g, rule, claim, others, order)
        else:
            verdict = _highest(g, rule, claim, d, others, order)
        _put(out, claim, verdict)


def _put(out: dict[Claimed, Verdict], claim: Claimed, verdict: Verdict) -> None:
    """A claim in two groups keeps the strongest verdict: not paid over unknown over at most
    over paid."""
    rank = {"fail": 3, "undecided": 2, "bounded": 1}
    have = out.get(claim)

    def level(v: Verdict | None) -> int:
        if v is None:
            return -1
        return next((r for k, r in rank.items() if getattr(v, k) is not None), 0)

    if level(verdict) > level(have):
        out[claim] = verdict


def _who(key: Path) -> str:
    entity, ident = key[-1]
    return f"{entity} {ident}"


def _bounds(d: Decision) -> tuple[Money | None, Money | None, bool]:
    """(least, most, certain): the least and most it may be paid (``None``: not known — no
    least, or no bound at all) and whether it is eligible for sure."""
    if d.status != "eligible":
        return None, None, False
    if d.amount is None or d.amount_kind == "unknown":
        return Money.zero(), None, True
    if d.amount_kind == "exact":
        return d.amount, d.amount, True
    if d.amount_kind == "range" and d.amount_min is not None:
        return d.amount_min, d.amount, True
    return Money.zero(), d.amount, True


def _beats(
    a: tuple[Claimed, Decision], b: tuple[Claimed, Decision], ties: bool, order: Mapping[str, int]
) -> bool:
    """Whether claim ``a`` surely comes before ``b`` under ``keep highest``."""
    lo, _, certain = _bounds(a[1])
    _, hi, _ = _bounds(b[1])
    if not certain or lo is None or hi is None:
        return False
    if lo > hi:
        return True
    return lo == hi and ties and order[a[0][0]] < order[b[0][0]]


def _highest(
    g: ExclusiveGroup,
    rule: str,
    claim: Claimed,
    d: Decision,
    others: list[tuple[Claimed, Decision]],
    order: Mapping[str, int],
) -> Verdict:
    me = (claim, d)
    ties = g.ties == "listed"
    winners = [o for o in others if _beats(o, me, ties, order)]
    if winners:
        best = max(winners, key=lambda o: (_bounds(o[1])[0] or Money.zero(), -order[o[0][0]]))
        other, e = best
        note = Exclusion("not_paid", rule, g.clause, other[0], e.amount, e.amount_kind)
        text = (
            f"not paid (exclusive, {rule}): {other[0]} pays {format_value(e.amount)} for the "
            f"same {g.among}"
        )
        return Verdict(note, fail=text)
    open_ = [o for o in others if not _beats(me, o, ties, order)]
    if not open_:
        beaten = max(others, key=lambda o: _bounds(o[1])[1] or Money.zero())
        other, e = beaten
        return Verdict(Exclusion("paid", rule, g.clause, other[0], e.amount, e.amount_kind))
    other, e = open_[0]
    lo, hi, certain = _bounds(d)
    elo, ehi, ecertain = _bounds(e)
    if certain and ecertain and lo == hi == elo == ehi and not ties:
        note = Exclusion("tie", rule, g.clause, other[0], e.amount, e.amount_kind)
        text = (
            f"E423: a tie under exclusive ({rule}): {claim[0]} and {other[0]} both pay "
            f"{format_value(d.amount)} and no tie rule is declared"
        )
        return Verdict(note, undecided=text)
    note = Exclusion("undecided", rule, g.clause, other[0], e.amount, e.amount_kind)
    what = "unknown" if e.status == "unknown" else f"{e.amount_kind} {format_value(e.amount)}"
    text = f"exclusive ({rule}): {other[0]} for the same {g.among} may pay more ({what})"
    return Verdict(note, bounded=text)


def _listed(
    g: ExclusiveGroup,
    rule: str,
    claim: Claimed,
    others: list[tuple[Claimed, Decision]],
    order: Mapping[str, int],
) -> Verdict:
    before = [o for o in others if order[o[0][0]] < order[claim[0]]]
    sure = [o for o in before if o[1].status == "eligible"]
    if sure:
        other, e = min(sure, key=lambda o: order[o[0][0]])
        note = Exclusion("not_paid", rule, g.clause, other[0], e.amount, e.amount_kind)
        text = f"not paid (exclusive, {rule}): {other[0]} comes first for the same {g.among}"
        return Verdict(note, fail=text)
    if before:
        other, e = before[0]
        note = Exclusion("undecided", rule, g.clause, other[0], e.amount, e.amount_kind)
        text = f"exclusive ({rule}): {other[0]}, listed first, is not decided yet"
        return Verdict(note, bounded=text)
    other, e = others[0]
    return Verdict(Exclusion("paid", rule, g.clause, other[0], e.amount, e.amount_kind))


def first_pass_claims(
    decisions: Iterable[Any], paths: Mapping[tuple[str, str], Path]
) -> list[tuple[Claimed, Decision]]:
    """The decisions of a first pass keyed by (provision id, path); ``paths`` maps (provision
    id, subject text) to the path."""
    out = []
    for d in decisions:
        if isinstance(d, Decision) and d.subject is not None:
            path = paths.get((d.provision, d.subject))
            if path is not None:
                out.append(((d.provision, path), d))
    return out
