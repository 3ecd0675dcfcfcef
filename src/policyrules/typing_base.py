"""What expression typing shares with its messages: the built-in functions and their
arities, what an expression reads (:class:`Usage`), and the words of type errors (split
from :mod:`policyrules.typing_rules`)."""

from __future__ import annotations

import attrs

from . import syntax as s
from . import types as t
from .printer import print_expr

__all__ = ["BUILTINS", "Usage", "short_name", "unit_hint", "verb"]

# name -> (min args, max args or None for any)
BUILTINS: dict[str, tuple[int, int | None]] = {
    "min": (1, None),
    "max": (1, None),
    "sum": (1, 1),
    "average": (1, 1),
    "count": (1, 1),
    "year": (1, 1),
    "known": (1, 1),
    "convert": (2, 2),
    "floor": (1, 1),
    "ceil": (1, 1),
    # In a payment schedule (``paid …``) only: the year paid, its index 1..N, a list's entry.
    "payment_year": (0, 0),
    "year_index": (0, 0),
    "this_year": (1, 1),
}


@attrs.define
class Usage:
    """The facts, parameters and assumptions an expression reads."""

    facts: set[str] = attrs.field(factory=set)
    parameters: set[str] = attrs.field(factory=set)
    assumptions: set[str] = attrs.field(factory=set)


def verb(op: str) -> str:
    """The verb of an arithmetic operator, for a message: ``+`` → ``add``."""
    return {"+": "add", "-": "subtract", "×": "multiply", "/": "divide"}.get(op, op)


def unit_hint(a: t.Type, b: t.Type) -> str | None:
    """A hint for two types an operator cannot combine, when a usual slip explains it."""
    kinds = {a.kind, b.kind}
    if kinds == {"money", "rate"}:
        return "a rate applies to money with `of`: `30% of base`"
    if kinds == {"money", "number"}:
        return "write the unit after the number: `200 万元`"
    if kinds == {"year", "date"}:  # 年度 is a calendar year: compare years, not days
        return "a year compares with a year number (`2026`) or with `year(DATE)`"
    if "date" in kinds and len(kinds) > 1:
        return "to count from a date, use a deadline: `due 30 工作日 after DATE`"
    if kinds == {"duration"}:
        return "工作日 counts working days; it does not convert to 日, 周 or 月"
    return None


def short_name(e: s.Expr) -> str:
    """An expression as a message names it: a name as written, anything else as written
    in parentheses (so that a hint's ``… otherwise D`` reads it whole), or ``x`` when that
    is longer than a line's worth."""
    if isinstance(e, s.Name):
        return e.dotted
    written = print_expr(e)
    return f"({written})" if len(written) <= _SHORT and "\n" not in written else "x"


_SHORT = 60
