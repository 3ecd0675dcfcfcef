"""Whole-ledger checks: a ledger must not already hold what the policy forbids.

Read grant by grant (:mod:`policyrules.ledger_io`), a ledger can still be wrong as a whole.
Here every ledger an evaluation builds on, or an import adds to a store, is checked:

* a one-time (``once per E``) provision paid twice (above 0.00 元) to the same ``E`` is an
  error naming both grants (E328).  The instalments of an award paid over time (一次性奖励，
  分两年拨付) are one payment: its grants to one subject in years that one schedule can
  span (:func:`entitlement_years`); a second subject under ``E``, or years further apart,
  is a second entitlement, refused;
* two awards of one exclusive group (``exclusive … among E``: 不重复支持, 就高) both paid
  (above 0.00 元) for the same ``E``: only one of them may be paid, so the ledger holds what
  the text forbids; an error naming both grants and the clause (E344);
* the grants counted by a cap whose limit does not depend on facts (a constant, a
  parameter) already exceed it: per claim (one subject's grants under the provision, any
  year), per entity, per entity per year, and shared pools (E329).  A careful finance system
  refuses to build on an overspent ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from .backends.python.compile import CompiledCap, CompiledPolicy, CompiledProvision, Env
from .errors import Diagnostic, LedgerError
from .model import CheckedPolicy
from .model_exclusive import ExclusiveGroup
from .runtime.ledger import Grant, GrantPath, Ledger
from .runtime.money import Money
from .runtime.values import Undecided, Value, format_value

__all__ = [
    "CAP_HINT",
    "cap_hint",
    "check_caps",
    "check_exclusive",
    "check_once",
    "entitlement_years",
    "exclusive_error",
    "exclusive_twice",
    "fixed_caps",
    "once_error",
    "once_twice",
]


def _prefix(path: GrantPath, entity: str) -> GrantPath | None:
    """``path`` down to ``entity`` (a path names each entity once), or None without it."""
    if path and path[-1][0] == entity:  # the subject itself, most often: the path as it is
        return path
    for i, (e, _) in enumerate(path):
        if e == entity:
            return path[: i + 1]
    return None


def entitlement_years(policy: CheckedPolicy) -> dict[str, int]:
    """The one-time (``once per``) awards paid over time, each with how many calendar years
    its schedule spans: the grants of one entitlement to one subject lie within so many
    consecutive years (分两年拨付: two), and are one payment of the one-time award."""
    out = {}
    for p in policy.provisions():
        st = p.schedule
        if p.once and st is not None:
            out[p.id] = st.years
    return out


def once_twice(
    policy: CheckedPolicy, grants: Iterable[tuple[Grant, str]]
) -> list[tuple[Grant, str, Grant, str, str]]:
    """Pairs of payments of a ``once per E`` provision to the same ``E``: (first, where,
    second, where, E), for grants given with where each is (``f.yaml:3``, ``the store``).
    The instalments of one entitlement (:func:`entitlement_years`) are one payment."""
    once = {p.id: [o.entity for o in p.once] for p in policy.provisions() if p.once}
    spans = entitlement_years(policy)
    first: dict[tuple[str, str, GrantPath], tuple[Grant, str]] = {}
    # (provision, entity, scope) -> the first and last years of its entitlement's grants
    years: dict[tuple[str, str, GrantPath], tuple[int, int]] = {}
    out = []
    for g, where in grants:
        entities = once.get(g.provision)
        if not entities or not g.amount.fen:
            continue  # 0.00 元 is not a payment: a one-time award stays open
        span = spans.get(g.provision)
        for entity in entities:
            scope = _prefix(g.path, entity)
            if scope is None:
                continue  # refused elsewhere: the grant lacks the key (E322)
            key = (g.provision, entity, scope)
            if key in first:
                a = first[key][0]
                if a == g:
                    break  # the same grant given by two routes is one grant
                lo_hi = years.get(key)
                if span is not None and lo_hi is not None and a.path == g.path and g.year:
                    lo, hi = min(lo_hi[0], g.year), max(lo_hi[1], g.year)
                    if hi - lo < span:  # another instalment of the same entitlement
                        years[key] = (lo, hi)
                        continue
                out.append((*first[key], g, where, entity))
                break
            first[key] = (g, where)
            if span is not None and g.year is not None:
                years[key] = (g.year, g.year)
    return out


def once_error(
    pairs: list[tuple[Grant, str, Grant, str, str]], spans: Mapping[str, int] | None = None
) -> list[Diagnostic]:
    """One E328 per pair from :func:`once_twice`; ``spans``: :func:`entitlement_years`, to
    say why the instalments of an award paid over time were not one entitlement."""
    out = []
    for a, wa, b, wb, e in pairs:
        ident = dict(b.path).get(e, "?")
        years = (spans or {}).get(b.provision)
        why = ""
        if years is not None:
            why = "; the instalments of one entitlement are one payment, but " + (
                f"years {a.year} and {b.year} lie further apart than its schedule's {years} years"
                if a.path == b.path
                else "these are two entitlements"
            )
        out.append(
            Diagnostic(
                "E328",
                f"{b.describe()} ({wb}): {a.provision} is paid once per {e} (一次性), and "
                f"{e} {ident} was already paid by {a.describe()} ({wa}){why}",
                hint="a one-time award is paid once; remove the grant that was not made",
            )
        )
    return out


def check_once(policy: CheckedPolicy, *parts: tuple[str, Ledger]) -> None:
    """Refuse a ``once per`` provision paid twice to the same key across ``parts`` (named).

    :raises LedgerError: E328, naming both grants and where each is.
    """
    pairs = once_twice(policy, ((g, name) for name, ledger in parts for g in ledger))
    if pairs:
        raise LedgerError(once_error(pairs, entitlement_years(policy)))


def exclusive_twice(
    policy: CheckedPolicy, grants: Iterable[tuple[Grant, str]]
) -> list[tuple[Grant, str, Grant, str, ExclusiveGroup]]:
    """Pairs of payments under two different awards of one exclusive group for the same
    record of its ``among`` entity: (first, where, second, where, group), for grants given
    with where each is.  A grant of 0.00 元 is not a payment."""
    groups = policy.exclusivity.groups
    first: dict[tuple[int, GrantPath], tuple[Grant, str]] = {}
    out: list[tuple[Grant, str, Grant, str, ExclusiveGroup]] = []
    if not groups:
        return out
    for g, where in grants:
        if not g.amount:
            continue
        for n, group in enumerate(groups):
            if g.provision not in group.awards:
                continue
            scope = _prefix(g.path, group.among)
            if scope is None:
                continue  # refused elsewhere: the grant lacks the key (E322)
            seen = first.setdefault((n, scope), (g, where))
            if seen[0].provision != g.provision:
                out.append((*seen, g, where, group))
    return out


def exclusive_error(
    pairs: list[tuple[Grant, str, Grant, str, ExclusiveGroup]],
) -> list[Diagnostic]:
    """One E344 per pair from :func:`exclusive_twice`."""
    out = []
    for a, wa, b, wb, group in pairs:
        ident = dict(b.path).get(group.among, "?")
        quote = f": 「{group.quote}」" if group.quote else ""
        out.append(
            Diagnostic(
                "E344",
                f"{b.describe()} ({wb}): {a.provision} and {b.provision} are exclusive for "
                f"each {group.among} (不重复支持, clause {group.clause}{quote}), and "
                f"{group.among} {ident} was already paid by {a.describe()} ({wa})",
                hint="only one award of the group is paid for one record: remove the grant "
                "that was not made (if both were made, the ledger records a payment the text "
                "forbids: settle it with the agency before paying anything more on it)",
            )
        )
    return out


def check_exclusive(policy: CheckedPolicy, *parts: tuple[str, Ledger]) -> None:
    """Refuse two awards of one exclusive group paid for the same record across ``parts``
    (named).

    :raises LedgerError: E344, naming both grants, where each is, and the clause.
    """
    pairs = exclusive_twice(policy, ((g, name) for name, ledger in parts for g in ledger))
    if pairs:
        raise LedgerError(exclusive_error(pairs))


CAP_HINT = (
    "correct the ledger (a grant recorded twice, or too large) before paying anything more on it"
)
"""The hint of E329, a cap the ledger already exceeds."""


def cap_hint(total: int, limit: int) -> str:
    """E329's hint for ``total`` fen against ``limit`` fen: :data:`CAP_HINT`, and where the
    total is exactly 100 times an amount within the limit and at least 10 times the limit
    (no grant recorded twice overspends so), that amounts in fen were read as 元 (a
    ledger's ``amount`` is 元: 200000000 fen written as ``amount`` reads as 2 亿元)."""
    bound = max(limit, 0)
    if total % 100 or total // 100 > bound or total < 10 * bound:
        return CAP_HINT
    fen = format_value(Money(total // 100))
    return (
        f"the total is exactly 100 times {fen}, within the cap: were the amounts fen? A "
        "ledger's `amount` is read as 元; write fen in a column named `amount_fen` (as the "
        "batch's grants table and eval --format csv name it). Else " + CAP_HINT
    )


def fixed_caps(
    policy: CompiledPolicy, parameters: Mapping[str, Value], assumptions: Mapping[str, Value]
) -> Iterator[tuple[CompiledProvision, CompiledCap, Money, frozenset[str]]]:
    """The caps of ``policy`` whose limit needs no facts (a constant, a parameter, an
    assumption: computed from ``parameters`` and ``assumptions``), each with its provision,
    its limit in fen and the ids of the provisions whose grants it counts (the pool's, for a
    cap per entity; the provision's own, for a cap per claim).  A cap shared by several
    provisions comes once per keying (its pool, limit, entities and whether yearly); a cap
    whose limit depends on facts is left to the claims that meet it."""
    members: dict[str, set[str]] = defaultdict(set)
    for cp in policy.provisions:
        for cap in cp.caps:
            members[cap.pool].add(cp.info.id)
    seen: set[tuple[str, str, tuple[str, ...], bool]] = set()
    for cp in policy.provisions:
        doc = next((d for d in policy.checked.documents if d.name == cp.info.document), None)
        for cap in cp.caps:
            try:
                limit = cap.limit(Env({}, parameters, assumptions, doc))
            except (Undecided, KeyError):
                continue
            if not isinstance(limit, Money):
                continue  # depends on facts: checked claim by claim when evaluated
            mark = (cap.pool, str(limit.fen), cap.per, cap.year is not None)
            if cap.per and mark in seen:
                continue
            seen.add(mark)
            yield cp, cap, limit, frozenset(members[cap.pool] if cap.per else {cp.info.id})


def check_caps(
    policy: CompiledPolicy,
    ledger: Ledger,
    parameters: Mapping[str, Value] | None = None,
    assumptions: Mapping[str, Value] | None = None,
    where: str = "the ledger",
) -> None:
    """Refuse a ledger whose grants already exceed a cap of ``policy`` whose limit can be
    computed without facts (defaults of parameters and assumptions unless given).

    :raises LedgerError: E329 for each cap and scope overspent, with its total and limit.
    """
    params = policy.parameter_defaults if parameters is None else parameters
    assume = policy.assumption_defaults if assumptions is None else assumptions
    caps = list(fixed_caps(policy, params, assume))
    if not caps:
        return
    payments = _payments(ledger)
    if any(_overspent(cap, limit.fen, pool, payments) for _, cap, limit, pool in caps):
        raise LedgerError(_cap_errors(caps, ledger, where))  # said grant by grant, in order


# provision id -> its payments in a ledger: (path, fen, year), in the ledger's order
_Payments = dict[str, list[tuple[GrantPath, int, int | None]]]


def _payments(ledger: Ledger) -> _Payments:
    """The payments (grants above 0.00 元: the others add nothing to a total) of ``ledger``
    by provision, read once for all the caps."""
    out: _Payments = {}
    for g in ledger.grants:
        fen = g.amount.fen
        if fen:
            rows = out.get(g.provision)
            if rows is None:
                rows = out[g.provision] = []
            rows.append((g.path, fen, g.year))
    return out


def _overspent(cap: CompiledCap, limit: int, pool: frozenset[str], payments: _Payments) -> bool:
    """Whether the payments of the provisions of ``pool`` exceed ``limit`` (fen; below 0
    taken as 0) in some account of ``cap``: per claim (one subject's path, any year), else
    per the path down to the deepest entity of ``cap.per`` it names (and its year, for a
    yearly cap).  :func:`_cap_errors` sums the same accounts, grant by grant."""
    bound = max(limit, 0)
    per, yearly = cap.per, cap.year is not None
    totals: dict[object, int] = {}
    for provision in pool:
        for path, fen, year in payments.get(provision, ()):
            if not per:
                key: object = path  # per claim: the subject's entitlement
            else:
                depth = 0
                for i, (e, _) in enumerate(path, 1):
                    if e in per:
                        depth = i
                if not depth:
                    continue
                key = (path if depth == len(path) else path[:depth], year if yearly else None)
            totals[key] = totals.get(key, 0) + fen
    return any(total > bound for total in totals.values())


def _cap_errors(
    caps: list[tuple[CompiledProvision, CompiledCap, Money, frozenset[str]]],
    ledger: Ledger,
    where: str,
) -> list[Diagnostic]:
    """The E329 of each cap of ``caps`` (:func:`fixed_caps`) and scope the grants of
    ``ledger`` overspend, in the order of the caps and of the scopes' first grants."""
    diags: list[Diagnostic] = []
    for cp, cap, limit, pool in caps:
        totals: dict[tuple[GrantPath, int | None], list[Grant]] = defaultdict(list)
        for g in ledger:
            if g.provision not in pool:
                continue
            if not cap.per:
                totals[(g.path, None)].append(g)  # per claim: the subject's entitlement
                continue
            depth = max((i + 1 for i, (e, _) in enumerate(g.path) if e in cap.per), default=0)
            if depth == 0:
                continue
            year = g.year if cap.year is not None else None
            totals[(g.path[:depth], year)].append(g)
        for (scope, year), grants in totals.items():
            total = Money(sum(g.amount.fen for g in grants))
            if total <= max(limit, Money.zero()):
                continue
            what = " / ".join(f"{e} {i}" for e, i in scope) + (
                f", year {year}" if year is not None else ""
            )
            diags.append(
                Diagnostic(
                    "E329",
                    f"{where} already exceeds the cap {cap.text} of {cp.info.id} "
                    f"({what}): {len(grants)} grant(s) total {format_value(total)} "
                    f"against {format_value(limit)}, e.g. {grants[-1].describe()}",
                    hint=cap_hint(total.fen, limit.fen),
                )
            )
    return diags
