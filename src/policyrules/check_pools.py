"""Checking shared cap pools across provisions: one keying, one limit, one claim order.

Caps joined by ``shared NAME`` count their grants in one pool.  A pool is one running total
per key (the ``per`` entities and, with ``per year of``, the year), so every cap of a pool
must name the same ``per`` entities, all or none count a year (E230), and state the same
limit (E231); a ``shared`` cap without ``per`` would join nothing (E232).  Provisions linked
through shared pools are served in one pool-wide order, so their ``order by`` keys must be
comparable position by position: as many keys, of the same kinds (E233).

Two warnings (``check --strict`` fails on them): a pool named by one cap only (W234: it
limits nothing a cap of its own would not, most often a name misspelt, which splits the
pool in two and lets the whole be exceeded), and provisions linked through a pool of which
none has ``order by`` (W235: a subject's claims under them are served by provision id, an
order the text does not give).  And an award capped per year on its own subject (W236): one
entitlement a subject, a later year's claim paid only the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import syntax as s
from . import types as t
from .errors import Diagnostic, Span, did_you_mean
from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .printer import print_expr
from .runtime.money import Money
from .runtime.order import natural_key
from .typing_rules import ExprTyper, Usage

__all__ = ["check_pools", "pool_components"]

Report = Callable[[str, str, Span | None, str | None], None]


def pool_components(provisions: Sequence[ProvisionInfo]) -> list[list[ProvisionInfo]]:
    """Provisions linked through any shared pool, each group in file order; a provision
    with no shared cap is a group of its own.  Groups are listed in file order too."""
    parent = list(range(len(provisions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, p in enumerate(provisions):
        for cap in p.caps:
            if cap.shared is None:
                continue
            j = first.setdefault(cap.shared, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[ProvisionInfo]] = {}
    for i, p in enumerate(provisions):
        groups.setdefault(root(i), []).append(p)
    return list(groups.values())


def check_pools(
    base: CheckedPolicy, clauses: Sequence[ClauseInfo], report: Report
) -> list[Diagnostic]:
    """Report E230–E233 (see the module's docstring) at the cap or `order by` at fault;
    returns the warnings W234 and W235."""
    paths = {p.id: c.path for c in clauses for p in c.provisions}

    def at(span: Span | None, pid: str) -> Span | None:
        return span.with_clause(paths[pid]) if span is not None else None

    provisions = [p for c in clauses for p in c.provisions if p.kind == "award"]
    seen: dict[str, tuple[ProvisionInfo, s.Cap]] = {}
    named: dict[str, int] = {}  # pool -> how many caps name it
    for p in provisions:
        for cap in p.caps:
            if cap.shared is None:
                continue
            named[cap.shared] = named.get(cap.shared, 0) + 1
            if not cap.per:
                report(
                    "E232",
                    f"a shared cap needs `per`: pool '{cap.shared}' would have no key",
                    at(cap.span, p.id),
                    f"say whose total the pool limits: `cap … per firm shared {cap.shared}`",
                )
                continue
            if cap.shared not in seen:
                seen[cap.shared] = (p, cap)
                continue
            q, ref = seen[cap.shared]
            where = f"{q.id} ({ref.span})" if ref.span else q.id
            if set(cap.per) != set(ref.per) or (cap.year_of is None) != (ref.year_of is None):
                report(
                    "E230",
                    f"caps of pool '{cap.shared}' are keyed differently: {_keying(cap)} here, "
                    f"{_keying(ref)} in {where}",
                    at(cap.span, p.id),
                    "a pool keeps one total per key: give every cap of the pool the same "
                    "`per` entities and, for a yearly pool, `per year of` on each",
                )
            elif _limit(cap.limit) != _limit(ref.limit):
                report(
                    "E231",
                    f"caps of pool '{cap.shared}' state different limits: "
                    f"{print_expr(cap.limit)} here, {print_expr(ref.limit)} in {where}",
                    at(cap.span, p.id),
                    "a pool has one limit; a narrower limit for one measure is a cap of its "
                    "own, without `shared`",
                )
    warnings = [
        _alone(pool, p, cap, sorted(set(named) - {pool}), at)
        for pool, (p, cap) in seen.items()
        if named[pool] == 1
    ]
    warnings += [w for p in provisions if (w := _yearly(p, at)) is not None]
    docs = {d.name: d for d in base.documents}
    for group in pool_components(provisions):
        if len(group) < 2:
            continue
        if not any(p.order for p in group):  # (some with, some without: E233 below)
            warnings.append(_unordered(group, at))
        kinds = []
        for p in group:
            typer = ExprTyper(base, p.subject, docs.get(p.document), _silent)
            kinds.append(tuple(typer.type_of(k, Usage()) for k in p.order))
        ref_p, ref_k = group[0], kinds[0]
        for p, k in zip(group[1:], kinds[1:], strict=True):
            why = _incomparable(k, ref_k)
            if why is None:
                continue
            st = next((b for b in p.node.body if isinstance(b, s.OrderBy)), None)
            report(
                "E233",
                f"claims of {p.id} and {ref_p.id} share a pool and are served in one order, "
                f"but their `order by` keys cannot be compared: {why}",
                at(st.span if st else p.node.span, p.id),
                f"{ref_p.id} orders by {_keys(ref_p)}; give every provision of the pool keys "
                "of the same kinds, e.g. `order by <its date>, id`",
            )
    return warnings


def _alone(
    pool: str,
    p: ProvisionInfo,
    cap: s.Cap,
    others: list[str],
    at: Callable[[Span | None, str], Span | None],
) -> Diagnostic:
    close = did_you_mean(pool, others)
    return Diagnostic(
        "W234",
        f"pool '{pool}' is named by this cap only: it limits nothing a cap of its own would not",
        at(cap.span, p.id),
        close
        or "name the pool on every cap whose grants count in it (`shared "
        f"{pool}`), or leave out `shared`",
        severity="warning",
    )


def _unordered(
    group: list[ProvisionInfo], at: Callable[[Span | None, str], Span | None]
) -> Diagnostic:
    p = group[-1]  # (the last in the file: the one whose pool joins the others)
    ids = sorted((q.id for q in group), key=natural_key)  # as the claims are served
    return Diagnostic(
        "W235",
        f"{', '.join(q.id for q in group)} share a pool and none has `order by`: a subject's "
        f"claims under them are served by provision id ({' before '.join(ids)}), an order "
        "the text does not give",
        at(p.node.span, p.id),
        "say which claims draw on the pool first: `order by` a date of each claim (its "
        "application or approval date, then `id`) on every provision of the pool",
        severity="warning",
    )


def _yearly(p: ProvisionInfo, at: Callable[[Span | None, str], Span | None]) -> Diagnostic | None:
    """W236 for an award capped per year on its own subject, with no payment schedule: an
    award is one entitlement a subject (a later claim is paid what is left of it), so a
    later year's claim of the subject gets only the rest, not a year's new entitlement."""
    if p.subject is None or any(isinstance(st, s.Schedule) for st in p.node.body):
        return None
    cap = next(
        (c for c in p.caps if c.year_of is not None and c.per and c.per[-1] == p.subject), None
    )
    if cap is None:
        return None
    return Diagnostic(
        "W236",
        f"{p.name} is capped per {p.subject} per year, but an award is one entitlement a "
        f"{p.subject}: a later year's claim is paid only what is left of it, not a new "
        "year's amount",
        at(cap.span, p.id),
        "where the text pays every year (每年), such an award cannot be written yet (the "
        "guide, `once per`); where it pays once, the cap needs no `per year of`",
        severity="warning",
    )


def _silent(code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
    """Errors in `order by` keys were reported when the provision was checked."""


def _keying(cap: s.Cap) -> str:
    per = " ".join(f"per {e}" for e in cap.per)
    return per + (" per year" if cap.year_of is not None else " (no year)")


def _limit(e: s.Expr) -> object:
    """A limit as compared across a pool: a constant by its value, else by its text."""
    if isinstance(e, s.MoneyLit):
        try:
            return Money.of(e.number, e.unit)
        except ValueError:  # reported as E226 already
            return print_expr(e)
    return print_expr(e)


def _keys(p: ProvisionInfo) -> str:
    return ", ".join(print_expr(k) for k in p.order) if p.order else "nothing (no `order by`)"


def _incomparable(mine: tuple[t.Type, ...], ref: tuple[t.Type, ...]) -> str | None:
    if len(mine) != len(ref):
        return f"{len(mine) or 'no'} key{'' if len(mine) == 1 else 's'} here, {len(ref)} there"
    for i, (a, b) in enumerate(zip(mine, ref, strict=True), 1):
        if "any" in (a.kind, b.kind):
            continue
        if a.kind != b.kind:
            return f"key {i} is {a.describe()} here, {b.describe()} there"
    return None
