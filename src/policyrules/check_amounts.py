"""Checks of an award's amount statements beyond ``amount EXPR``: a range (``amount 10% to
30% of base [decided FACT]``, ``amount 50 万元 to 100 万元``), a ``minimum`` (不低于) and a
declared ``rounding``.

E258: a constant minimum above a constant cap of the same provision (the text cannot mean
both); E259: a rounding other than down to a positive whole number of fen; E260: a range
whose ends are not two rates of a money base or two amounts, whose constant low end is above
its high end, or whose ``decided`` fact is not a rate (money) fact of the subject.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import syntax as s
from . import types as t
from .errors import Diagnostic, Span, did_you_mean
from .exprs import constant, fold
from .model import CheckedPolicy
from .printer import print_expr
from .runtime.money import Money
from .runtime.values import Undecided
from .typing_rules import ExprTyper, Usage

__all__ = ["amount_statement", "constant_amount_errors", "deduction_warnings"]

Report = Callable[[str, str, "Span | None", "str | None"], None]


def amount_statement(
    typer: ExprTyper,
    usage: Usage,
    base: CheckedPolicy,
    subject: str | None,
    st: s.AmountRange | s.AmountMinimum | s.Rounding,
    report: Report,
) -> None:
    """Type one statement, reporting E259/E260 (and E205 for a minimum that is not money)."""
    match st:
        case s.AmountMinimum(expr=e):
            typer.expect(e, t.MONEY, usage, "a minimum (不低于)")
        case s.Rounding(mode=mode, number=n, unit=u):
            if mode != "down":
                report(
                    "E259",
                    f"rounding '{mode}' could pay more than the text allows",
                    st.span,
                    "an award is rounded down (`rounding down to 1 元`): rounded up or half up "
                    "it can exceed rate × base or a cap",
                )
                return
            try:
                unit = Money.of(n, u)
            except ValueError:
                unit = Money.zero()
            if unit <= Money.zero():
                report(
                    "E259",
                    f"cannot round to {print_expr(s.MoneyLit(n, u))}",
                    st.span,
                    "round to a positive whole number of fen: `rounding down to 1 元`",
                )
        case s.AmountRange():
            _range(typer, usage, base, subject, st, report)


def _range(
    typer: ExprTyper,
    usage: Usage,
    base: CheckedPolicy,
    subject: str | None,
    r: s.AmountRange,
    report: Report,
) -> None:
    want = t.RATE if r.base is not None else t.MONEY
    what = "a rate" if r.base is not None else "an amount"
    hint = (
        "a rate range reads `amount 10% to 30% of BASE`"
        if r.base is not None
        else "write two amounts (`amount 50 万元 to 100 万元`) or a rate range of a base "
        "(`amount 10% to 30% of BASE`)"
    )
    ends = [typer.value_of(x, usage, "a range's end") for x in (r.low, r.high)]
    for end, got in zip((r.low, r.high), ends, strict=True):
        if got.kind not in (want.kind, "any"):
            report("E260", f"each end of the range is {what}, not {got.describe()}", end.span, hint)
    if r.base is not None:
        got = typer.value_of(r.base, usage, "a rate range's base")
        if got.kind not in ("money", "any"):
            report(
                "E260", f"a rate range applies to money, not {got.describe()}", r.base.span, hint
            )
    if r.decided is not None and subject is not None:
        found = base.resolve((r.decided,), subject)
        if found is None or found.kind != "fact" or found.type.kind != want.kind:
            names = [
                n
                for n in base.names_in_scope(subject)
                if (x := base.resolve((n,), subject)) is not None
                and x.kind == "fact"
                and x.type.kind == want.kind
            ]
            report(
                "E260",
                f"'{r.decided}' is not a {want.kind} fact of {subject}",
                r.span,
                did_you_mean(r.decided, names)
                or f'declare the agency\'s choice: `fact {r.decided}: {want.kind} "..."`',
            )
        elif not typer.decided_not_none(
            r.decided, found.type, f"the choice in a range is {what}", r.span
        ):
            usage.facts.add(r.decided)


def constant_amount_errors(
    base: CheckedPolicy,
    subject: str | None,
    amounts: Sequence[s.Stmt],
    minimums: Sequence[s.Stmt],
    caps: Sequence[s.Stmt],
    report: Report,
) -> None:
    """E260: a constant range whose low end is above its high end; E258: a constant minimum
    above a constant cap of the same provision.  Only for a provision that checked clean
    so far: its constants are well typed and can be computed."""
    for r in amounts:
        if not isinstance(r, s.AmountRange):
            continue
        if not all(constant(x, base, subject) for x in (r.low, r.high)):
            continue
        try:
            low, high = fold(r.low, base, subject), fold(r.high, base, subject)
        except Undecided:
            continue  # reported as E243 with the statement's constants
        if low > high:
            report(
                "E260",
                f"the range {print_expr(r.low)} to {print_expr(r.high)} ends below its start",
                r.span,
                "write the lower end first",
            )
    for m in minimums:
        if not isinstance(m, s.AmountMinimum) or not constant(m.expr, base, subject):
            continue
        try:
            floor = fold(m.expr, base, subject)
        except Undecided:
            continue
        for cap in caps:
            if not isinstance(cap, s.Cap) or not constant(cap.limit, base, subject):
                continue
            try:
                limit = fold(cap.limit, base, subject)
            except Undecided:
                continue
            if isinstance(floor, Money) and isinstance(limit, Money) and floor > limit:
                report(
                    "E258",
                    f"minimum {print_expr(m.expr)} is above the cap {print_expr(cap.limit)}",
                    m.span,
                    "the text cannot mean both: check the two figures against the source",
                )


def deduction_warnings(typer: ExprTyper, st: s.Stmt) -> list[Diagnostic]:
    """W265 for each product or quotient of money subtracted (or negated) in the amount
    ``st`` (well typed): it is rounded toward zero on its own, so the amount may come out
    above the exact figure by less than a fen (``base - 10% of base`` of 12,345.67 元 is
    11,111.11 元, ``90% of base`` 11,111.10)."""
    if not isinstance(st, s.Amount):
        return []
    out: list[Diagnostic] = []

    def rounded(e: s.Expr) -> bool:
        is_product = isinstance(e, s.Of) or (isinstance(e, s.BinOp) and e.op in ("×", "/"))
        return is_product and typer.type_of(e, Usage()).kind == "money"

    def walk(e: s.Node) -> None:
        taken = None
        if isinstance(e, s.BinOp) and e.op == "-":
            taken = e.right
        elif isinstance(e, s.Neg):
            taken = e.operand
        if taken is not None and rounded(taken):
            out.append(
                Diagnostic(
                    "W265",
                    f"`{print_expr(taken)}` is taken away after it is rounded to the fen on "
                    "its own: the amount may be above the exact figure by less than a fen",
                    taken.span,
                    hint="write the share the text pays (`90% of base`, not `base - 10% of "
                    "base`), or keep the deduction if the text rounds it first",
                    severity="warning",
                )
            )
        for child in s.children(e):
            walk(child)

    walk(st.expr)
    return out
