"""The built-in functions as the language guide states them (``grammar/README.md``: the
table of builtins under *Expressions*, ``convert`` under *Types*, the functions of a yearly
schedule under *Payments over time*): a one-line signature and meaning each, which hover
and completion show.

Every name of :data:`policyrules.typing_base.BUILTINS` (the checker's) and of
:data:`policyrules.lexer.BUILTINS` (the highlighter's) has one; a test holds them equal.
"""

from __future__ import annotations

import attrs

__all__ = ["FUNCTIONS", "Function"]


@attrs.frozen
class Function:
    """A built-in function: ``signature`` as a call is written with what it gives
    (``known(x) → bool``), and ``meaning``."""

    name: str
    signature: str
    meaning: str

    def markdown(self) -> str:
        """The hover's text."""
        return f"**built-in** `{self.signature}`\n\n{self.meaning}"


_SCHEDULE = "in the amount or caps of a yearly schedule (`paid yearly for N years from D`)"

FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "min",
            "min(a, b, …) → the values' type",
            "least of comparable values (numbers, money, rates, dates, durations), "
            "or of one list/set; of an empty list, no value",
        ),
        Function(
            "max",
            "max(a, b, …) → the values' type",
            "greatest of comparable values (numbers, money, rates, dates, durations), "
            "or of one list/set; of an empty list, no value",
        ),
        Function(
            "sum",
            "sum(L) → its element type",
            "total of a list/set of numbers, money, rates or durations; of an empty list, "
            "0 in its unit",
        ),
        Function(
            "average",
            "average(L) → its element type",
            "mean of the list; for money, rounded down to the fen; of an empty list, no value",
        ),
        Function("count", "count(L) → number", "number of elements"),
        Function("year", "year(d) → number", "the calendar year of a date"),
        Function("floor", "floor(x) → number", "the whole number at or below a number or share"),
        Function("ceil", "ceil(x) → number", "the whole number at or above a number or share"),
        Function("known", "known(x) → bool", "whether `x` is known; this is never unknown itself"),
        Function(
            "convert",
            "convert(x, RATE) → money",
            "an amount in 美元 or 欧元 in 元: `x × rate`, rounded down to the fen; RATE a fact "
            "or parameter of type `exchange(C)` of the same currency",
        ),
        Function(
            "payment_year",
            "payment_year() → year",
            f"the calendar year of the payment, {_SCHEDULE}, or the `per year of` of an "
            "instalment schedule's cap",
        ),
        Function("year_index", "year_index() → number", f"the year's index, 1..N, {_SCHEDULE}"),
        Function(
            "this_year",
            "this_year(x) → its element type",
            f"the entry of the yearly list fact `x` for the year paid, {_SCHEDULE}; unknown "
            "when the list is shorter",
        ),
    )
}
