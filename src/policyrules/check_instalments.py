"""Checks of payments over time (issue 11 §5): ``paid over N years from D: R1, …, RN
remainder last`` (分 N 年拨付), ``paid yearly for N years from D`` (前三年全额、后两年减半; 贴息最长
3 年), caps ``over N years`` (三年内累计不超过) and ``ever`` (同一企业累计不超过).

Codes: E287 the instalment shares (a rate literal each, one per year, summing to exactly
100%); E288 a cap's span that contradicts itself (``ever`` or ``over`` with ``per year of``,
without an owner, a window of no year); E290 a cap that counts by year where payments count
by the year paid (``over`` outside a schedule, ``per year of`` other than the year paid);
E291 ``payment_year()``, ``year_index()`` or ``this_year()`` outside the amount or caps of a
schedule that has them (read there directly or through a define); E292 the remainder fen
without a declared rule; E293 a schedule with what it cannot carry (its length, its start,
another kind of provision, a range, minimum, rounding, tiers, quota or cap exception).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from . import syntax as s
from . import types as t
from .errors import Span
from .printer import print_expr
from .typing_rules import ExprTyper, Usage

__all__ = ["PAYMENT_CALLS", "check_payments", "schedule_of", "schedule_statement"]

Report = Callable[[str, str, "Span | None", "str | None"], None]

PAYMENT_CALLS = frozenset({"payment_year", "year_index", "this_year"})
MAX_YEARS = 50  # a schedule longer than this is a typing slip, not a support policy
_REMAINDERS = ("first", "last")


def schedule_of(p: s.Provision) -> s.Schedule | None:
    """The provision's ``paid …`` statement, if it has one."""
    return next((st for st in p.body if isinstance(st, s.Schedule)), None)


def schedule_statement(typer: ExprTyper, usage: Usage, st: s.Schedule, report: Report) -> None:
    """Report the faults of one ``paid …`` statement (E287, E292, E293)."""
    if not 1 <= st.years <= MAX_YEARS:
        report(
            "E293",
            f"a schedule of {st.years} years",
            st.span,
            f"pay over 1 to {MAX_YEARS} years: `paid over 3 years from approved_on: …`",
        )
    got = typer.value_of(st.start, usage, "a schedule's start")
    if got not in (t.DATE, t.YEAR, t.ANY):
        report(
            "E293",
            f"a schedule starts at a date or a year, not {got.describe()}",
            st.start.span,
            "e.g. `from approved_on` (a date fact) or `from support_year` (a year fact)",
        )
    if st.yearly:
        return
    _shares(st, report)
    if st.remainder is None:
        report(
            "E292",
            "the instalments leave the remainder fen without a rule",
            st.span,
            "declare who takes it: `… 40%, 30%, 30% remainder last` (or `remainder first`)",
        )
    elif st.remainder not in _REMAINDERS:
        report(
            "E292",
            f"unknown remainder rule '{st.remainder}'",
            st.remainder_span or st.span,
            "`remainder last` (the last instalment takes the fen rounding leaves) or "
            "`remainder first`",
        )


def _shares(st: s.Schedule, report: Report) -> None:
    total = Decimal(0)
    for share in st.shares:
        if not isinstance(share, s.RateLit) or share.number <= 0:
            report(
                "E287",
                f"an instalment's share is a rate above 0 written in the rule, not "
                f"`{print_expr(share)}`",
                share.span,
                "write the shares of the text: `40%, 30%, 30%`",
            )
            return
        total += share.number
    if len(st.shares) != st.years:
        report(
            "E287",
            f"paid over {st.years} years with {len(st.shares)} shares",
            st.span,
            "write one share per year, in the order the years are paid",
        )
    elif total != 100:
        report(
            "E287",
            f"the instalment shares sum to {total.normalize():f}%, not 100%",
            st.span,
            "the instalments pay the whole entitlement: make the shares of the text sum to 100%",
        )


def check_payments(
    p: s.Provision, report: Report, define: Callable[[s.Name], s.Expr | None] | None = None
) -> None:
    """Report what a provision's caps and payment built-ins say against its schedule.
    ``define`` gives the expression of a name that is a define (else ``None``): a built-in
    read through a define counts where the define is read, reported at its name."""
    schedule = schedule_of(p)
    if schedule is not None and p.kind == "award":
        _schedule_carries(p, report)
    for st in p.body:
        if isinstance(st, s.Cap):
            _cap_span(st, schedule, report)
        for (call, via), allowed in _calls(st, schedule, define or _no_define):
            if not allowed:
                where = "the caps" if schedule else "a payment schedule"
                report(
                    "E291",
                    f"{call.func}() outside {where}"
                    + (f" (read through the define `{via.parts[-1]}`)" if via else ""),
                    via.span if via else call.span,
                    _where_calls(schedule),
                )


def _no_define(name: s.Name) -> s.Expr | None:
    return None


def _where_calls(schedule: s.Schedule | None) -> str:
    if schedule is None:
        return "it is the year of a payment: the award needs `paid yearly for N years from D`"
    if schedule.yearly:
        return "read it in the award's amount or its caps"
    return (
        "instalments share one entitlement, computed once; an amount for each year is "
        "`paid yearly for N years from D`"
    )


_Found = tuple[s.Call, "s.Name | None"]


def _calls(
    st: s.Stmt, schedule: s.Schedule | None, define: Callable[[s.Name], s.Expr | None]
) -> Iterator[tuple[_Found, bool]]:
    """Each payment built-in in ``st`` (with the define's name it is read through, if
    any), and whether it may stand there."""
    yearly = schedule is not None and schedule.yearly

    def found(node: s.Node) -> Iterator[_Found]:
        return _found(node, define, None, frozenset())

    if isinstance(st, s.Cap):
        for c in found(st.limit):
            yield c, yearly
        for x in st.exceptions:
            yield from ((c, False) for c in (*found(x.condition), *found(x.limit)))
        if st.year_of is not None:
            yield from ((c, schedule is not None) for c in found(st.year_of))
        return
    if isinstance(st, s.Amount):
        yield from ((c, yearly) for c in found(st.expr))
        return
    for node in s.children(st):
        yield from ((c, False) for c in found(node))


def _found(
    node: s.Node,
    define: Callable[[s.Name], s.Expr | None],
    via: s.Name | None,
    seen: frozenset[str],
) -> Iterator[_Found]:
    if isinstance(node, s.Call) and node.func in PAYMENT_CALLS:
        yield node, via
    if isinstance(node, s.Name):
        name = ".".join(node.parts)
        expr = define(node) if name not in seen else None
        if expr is not None:  # its built-ins read here, reported at the outermost name
            yield from _found(expr, define, via or node, seen | {name})
    for child in s.children(node):
        yield from _found(child, define, via, seen)


def _cap_span(cap: s.Cap, schedule: s.Schedule | None, report: Report) -> None:
    if cap.window is not None or cap.ever:
        said = f"over {cap.window} years" if cap.window is not None else "ever"
        if cap.year_of is not None:
            report(
                "E288",
                f"`{said}` and `per year of` on one cap",
                cap.span,
                "a yearly cap counts one year; `over N years` counts N, `ever` all: keep one",
            )
        if not cap.per:
            report("E288", f"`{said}` needs an owner", cap.span, f"e.g. `per firm {said}`")
        if cap.window is not None and not 1 <= cap.window <= MAX_YEARS:
            report("E288", f"a window of {cap.window} years", cap.span, "e.g. `over 3 years`")
    if schedule is None:
        if cap.window is not None:
            report(
                "E290",
                f"`over {cap.window} years` outside a payment schedule",
                cap.span,
                "a window counts the payments of its years: the award needs `paid …`; "
                "see docs/patterns/years.md",
            )
        return
    if cap.year_of is not None and not _is_payment_year(cap.year_of):
        report(
            "E290",
            f"a yearly cap of a payment schedule counts by `{print_expr(cap.year_of)}`",
            cap.year_of.span,
            "each payment is a grant in the year it is paid: `per year of payment_year()`",
        )


def _is_payment_year(e: s.Expr) -> bool:
    return isinstance(e, s.Call) and e.func == "payment_year"


def _schedule_carries(p: s.Provision, report: Report) -> None:
    for st in p.body:
        what = None
        if isinstance(st, s.AmountRange | s.AmountMinimum | s.Rounding):
            what = "an amount range, a minimum or a rounding"
        elif isinstance(st, s.Tiers | s.Quota):
            what = "a tier reading or a quota"
        elif isinstance(st, s.Cap) and st.exceptions:
            what = "a cap with exceptions"
        if what is not None:
            report(
                "E293",
                f"{what} in an award paid over time",
                st.span,
                "not supported yet: encode the text's own amount, or keep the award one payment",
            )
