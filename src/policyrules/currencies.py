"""The checker's rules for amounts in other currencies (美元, 欧元): types, literals, convert().

* ``money(USD)``, ``money(EUR)``: amounts in that currency; ``money`` is 元.  They add,
  subtract and compare only within one currency (E204, as 元 and % are kept apart).
* ``exchange(USD)``: 元 per one 美元, with the date it was published; a fact or parameter the
  caller gives, never built in.
* ``convert(x, r)``: ``x`` of ``money(C)`` at ``r`` of ``exchange(C)`` is money in 元, rounded
  down to the fen.  Anything else is E277.

An award's amount and its caps are 元: a foreign amount reaches them only through ``convert``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from . import types as t
from .errors import Span
from .runtime.currency import CURRENCIES, UNITS, Foreign

__all__ = ["convert_type", "currency_type", "foreign_literal_type"]

Report = Callable[[str, str, Span | None, str | None], None]


def currency_type(name: str, currency: str, span: Span | None, report: Report) -> t.Type:
    """The type ``money(C)`` or ``exchange(C)``; E277 for another name or currency."""
    if name not in ("money", "exchange"):
        report(
            "E277",
            f"only money and exchange take a currency, not {name}",
            span,
            "write `money(USD)` for amounts, `exchange(USD)` for a dated rate",
        )
        return t.ANY
    if currency not in CURRENCIES:
        known = ", ".join(CURRENCIES)
        report("E277", f"unknown currency {currency}", span, f"one of: {known} (元 is `money`)")
        return t.ANY
    return t.Type(name, unit=currency)


def foreign_literal_type(number: Decimal, unit: str, span: Span | None, report: Report) -> t.Type:
    """The type of ``12 万美元``; E226 unless whole cents."""
    try:
        Foreign.of(number, unit)
    except ValueError as exc:
        report("E226", f"not an amount of money: {exc}", span, "amounts are whole cents")
        return t.ANY
    return t.Type("money", unit=UNITS[unit][0])


def convert_type(args: list[t.Type], span: Span | None, report: Report) -> t.Type:
    """``convert(x, r)``: 元 money when ``x`` is ``money(C)`` and ``r`` is ``exchange(C)``."""
    amount, rate = args
    if t.ANY in (amount, rate):
        return t.MONEY
    if amount.kind != "money" or amount.unit is None:
        report(
            "E277",
            f"convert() takes an amount in another currency, not {amount.describe()}",
            span,
            "an amount in 元 needs no conversion",
        )
        return t.ANY
    if rate.kind != "exchange" or rate.unit != amount.unit:
        report(
            "E277",
            f"{amount.describe()} converts at an exchange({amount.unit}), not {rate.describe()}",
            span,
            f"declare the dated rate: `parameter {amount.unit.lower()}_cny: "
            f'exchange({amount.unit}) "…汇率（以…公布为准）"`',
        )
        return t.ANY
    return t.MONEY
