"""Constant folding in the checker: a constant that cannot be computed is a check error.

A part of an expression that reads no fact, parameter or assumption has one value, known
now.  The checker computes it with the evaluator's own closures (:func:`policyrules.exprs.fold`)
so what would make every decision unknown is reported at the expression instead:

* E241 — a constant period below zero (``due -5 日 after D``, ``due 3 日 - 5 日 after D``);
* E242 — a constant period that is not a whole number of its unit (``due 1.5 月 after D``);
* E243 — a constant that cannot be computed at all (``min({})``, a product of more than
  40 digits).

A period that is *computed* from facts or parameters is checked when it is evaluated: that
decision is unknown, with the reason (E410, E401).
"""

from __future__ import annotations

import re

from . import syntax as s
from .errors import Diagnostic
from .exprs import constant, fold
from .model import CheckedPolicy
from .printer import print_expr
from .runtime.values import Duration, Undecided

__all__ = ["constant_errors", "period_errors"]

_CODE = re.compile(r"^E\d+: ")


def constant_errors(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> list[Diagnostic]:
    """E243 for each largest constant part of the well-typed ``e`` that has no value."""
    if constant(e, policy, scope):
        try:
            fold(e, policy, scope)
        except Undecided as why:
            reason = _CODE.sub("", why.reason)
            return [
                Diagnostic(
                    "E243",
                    f"this constant cannot be computed: {reason}",
                    e.span,
                    hint="work it out and write the value; numbers and amounts have at most "
                    "40 digits, and an empty set has no least, greatest or average",
                )
            ]
        return []
    return [
        d
        for child in s.children(e)
        if isinstance(child, s.Expr)
        for d in constant_errors(child, policy, scope)
    ]


def period_errors(period: s.Expr, policy: CheckedPolicy, scope: str | None) -> list[Diagnostic]:
    """E241/E242 if the well-typed, computable ``period`` is a constant below zero or not whole."""
    if not constant(period, policy, scope):
        return []
    value = fold(period, policy, scope)
    if not isinstance(value, Duration):
        return []
    shown = print_expr(period)
    what = f"the period {shown}" + ("" if shown == str(value) else f" is {value}")
    if value.n < 0:
        return [
            Diagnostic(
                "E241",
                f"{what}: a period cannot be negative",
                period.span,
                hint="a period runs forward from its start: write e.g. "
                f"`due {abs(value.n)} {value.unit} after START`",
            )
        ]
    if value.n != value.n.to_integral_value():
        return [
            Diagnostic(
                "E242",
                f"{what}: a period is a whole number of its unit",
                period.span,
                hint="a period counts whole 日, 工作日, 周, 月 or 年: round it as the text says",
            )
        ]
    return []
