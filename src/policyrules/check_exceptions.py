"""Checks of a cap's exceptions: ``cap X … unless C raise to Y`` (原则上不超过 X，…可提高至 Y).

Each exception's condition is a condition (bool), its limit money (E204/E205/E282 through
the expression typer); a constant ``raise to`` not above a constant cap says nothing and is
refused (E285); an exception on a ``shared`` cap is refused (E286): the members of a shared
pool must share one limit.
"""

from __future__ import annotations

from collections.abc import Callable

from . import syntax as s
from . import types as t
from .errors import Span
from .exprs import constant, fold
from .model import CheckedPolicy
from .printer import print_expr
from .runtime.money import Money
from .runtime.values import Undecided
from .typing_rules import ExprTyper, Usage

__all__ = ["check_cap_exceptions"]

Report = Callable[[str, str, "Span | None", "str | None"], None]


def check_cap_exceptions(
    typer: ExprTyper,
    usage: Usage,
    cap: s.Cap,
    base: CheckedPolicy,
    subject: str | None,
    report: Report,
) -> None:
    """Report the faults of ``cap``'s exceptions (see the module)."""
    if cap.exceptions and cap.shared:
        report(
            "E286",
            f"an exception on the shared cap {cap.shared}",
            cap.exceptions[0].span or cap.span,
            "a shared pool has one limit for all its members: raise it in each provision's"
            " own cap, or write the higher pool as its own cap",
        )
    for x in cap.exceptions:
        typer.expect(x.condition, t.BOOL, usage, "an exception's condition")
        got = typer.value_of(x.limit, usage, "an exception's limit")
        if got not in (t.MONEY, t.ANY):
            report(
                "E205",
                f"an exception raises the cap to money, not {got.describe()}",
                x.limit.span,
                "write e.g. `unless major_project raise to 1000 万元`",
            )
            continue
        low, high = _money(cap.limit, base, subject), _money(x.limit, base, subject)
        if low is not None and high is not None and high <= low:
            report(
                "E285",
                f"`raise to {print_expr(x.limit)}` is not above the cap {print_expr(cap.limit)}",
                x.limit.span,
                "an exception raises the ceiling (可提高至): write the higher amount",
            )


def _money(e: s.Expr, base: CheckedPolicy, subject: str | None) -> Money | None:
    """The value of a constant money expression, else ``None``."""
    if not constant(e, base, subject):
        return None
    try:
        value = fold(e, base, subject)
    except Undecided:
        return None
    return value if isinstance(value, Money) else None
