"""A payment schedule compiled (``paid over N years …`` / ``paid yearly for N years …``).

Built once with the provision's other closures (:mod:`.compile`); evaluated by
:mod:`.instalments`.  The caps of an award paid over time fall in two groups: those that
see the entitlement (:attr:`CompiledSchedule.whole`: a cap of the claim, ``per E`` or
``ever``, in instalments) and those that see each year's payment (:attr:`~CompiledSchedule.
each`: yearly and window caps, and every cap of a yearly schedule, which sum the years).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs

from ... import syntax as s
from ...exprs import Fn
from ...model import CheckedPolicy, ProvisionInfo
from ...printer import print_cap, print_expr

__all__ = ["CompiledSchedule", "PaymentCap", "compile_schedule"]


@attrs.frozen
class PaymentCap:
    """One cap of a scheduled award: its text, limit, owners, pool and how it counts years:
    ``kind`` ``claim`` (no owner), ``ever`` (every year: ``per E`` or ``per E ever``),
    ``year`` (``per year of payment_year()``), ``window`` (``over N years``) or ``first``
    (``over N years from first grant``)."""

    text: str
    limit: Fn
    per: tuple[str, ...]
    pool: str
    kind: str
    window: int = 1


@attrs.frozen
class CompiledSchedule:
    """``years`` payments from the year of ``start``; ``shares`` the instalments' rates
    (empty for a yearly schedule); ``remainder`` ``first`` or ``last``; the caps split as
    the module says."""

    text: str
    years: int
    start: Fn
    shares: tuple[Decimal, ...]
    remainder: str
    yearly: bool
    whole: tuple[PaymentCap, ...]
    each: tuple[PaymentCap, ...]
    # The yearly lists ``this_year(x)`` reads, each as written and compiled: an entry past
    # the schedule's last year is refused (E426), never ignored.
    lists: tuple[tuple[str, Fn], ...] = ()
    # Of those lists, the ones another award's longer schedule reads too: (as written, its
    # years, that award's id), the longest.  An entry past this schedule but within that
    # one is that award's year: a note here, not E426 (docs/patterns/years.md).
    longer: tuple[tuple[str, int, str], ...] = ()


def _this_year_lists(e: s.Expr) -> Iterator[s.Expr]:
    """The arguments of the ``this_year(x)`` calls in ``e``."""
    if isinstance(e, s.Call) and e.func == "this_year" and e.args:
        yield e.args[0]
    for c in s.operands(e):
        yield from _this_year_lists(c)


def _list_key(policy: CheckedPolicy, p: ProvisionInfo, x: s.Expr) -> tuple[str | None, str]:
    """What a ``this_year`` argument reads: the fact (its entity and name) where it names
    one, else the expression as written in ``p``'s subject."""
    if isinstance(x, s.Name) and (r := policy.resolve(x.parts, p.subject)) and r.entity:
        return r.entity, r.name
    return p.subject, print_expr(x)


def _read_lists(p: ProvisionInfo) -> dict[str, s.Expr]:
    """The yearly lists ``p``'s amount and caps read by ``this_year``, by how they print."""
    exprs = ([p.amount.expr] if p.amount is not None else []) + [cap.limit for cap in p.caps]
    return {print_expr(x): x for e in exprs for x in _this_year_lists(e)}


def _longer(
    policy: CheckedPolicy, p: ProvisionInfo, lists: dict[str, s.Expr], years: int
) -> tuple[tuple[str, int, str], ...]:
    """For each list of ``lists``, the longest schedule of another award reading it, if it
    pays more than ``years`` years: (the list as written, its years, that award's id)."""
    keys = {_list_key(policy, p, x): shown for shown, x in lists.items()}
    best: dict[str, tuple[int, str]] = {}
    for other in policy.provisions():
        if other.id == p.id or other.schedule is None or other.kind != "award":
            continue
        for x in _read_lists(other).values():
            shown = keys.get(_list_key(policy, other, x))
            n = other.schedule.years
            if shown is not None and n > max(years, best.get(shown, (0, ""))[0]):
                best[shown] = (n, other.id)
    return tuple((shown, n, pid) for shown, (n, pid) in sorted(best.items()))


def compile_schedule(
    p: ProvisionInfo,
    c: Callable[[s.Expr], Fn],
    text: Callable[[s.Schedule], str],
    policy: CheckedPolicy,
) -> CompiledSchedule | None:
    """The schedule of award ``p`` (``None`` without one); ``c`` compiles an expression of
    the provision, ``text`` prints the statement; ``policy`` names the other awards'
    schedules reading the same yearly lists (:attr:`CompiledSchedule.longer`).
    ``p`` passed the checker (E287–E293)."""
    node = p.schedule
    if node is None or p.kind != "award":
        return None
    whole: list[PaymentCap] = []
    each: list[PaymentCap] = []
    for cap in p.caps:
        if cap.window is not None:
            kind = "first" if cap.from_first else "window"
        elif cap.year_of is not None:
            kind = "year"
        else:
            kind = "ever" if cap.per else "claim"
        pc = PaymentCap(
            print_cap(cap), c(cap.limit), cap.per, cap.shared or p.id, kind, cap.window or 1
        )
        (each if node.yearly or kind in ("year", "window", "first") else whole).append(pc)
    lists = _read_lists(p)
    return CompiledSchedule(
        text(node),
        node.years,
        c(node.start),
        tuple(r.number / 100 for r in node.shares if isinstance(r, s.RateLit)),
        node.remainder or "last",
        node.yearly,
        tuple(whole),
        tuple(each),
        tuple((shown, c(x)) for shown, x in lists.items()),
        _longer(policy, p, lists, node.years),
    )
