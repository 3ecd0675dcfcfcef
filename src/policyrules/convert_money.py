"""Money from a data file, the command line or Python (:func:`read_money`), as
:mod:`policyrules.convert` reads a value of type ``money`` (in 元; a foreign currency is
:mod:`policyrules.convert_currency`'s): a whole number of 元 written bare, text matching
:data:`~policyrules.convert_patterns.MONEY_PATTERN` (``"200 万元"``, ``"12,345.67 元"``), an
``int`` or a ``Decimal``; whole fen, below 10^37 元, never negative.

>>> read_money("1.5亿"), read_money("12,345.67 元").fen
(Money(fen=15000000000), 1234567)
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from typing import Any

from .convert_patterns import MONEY_PATTERN
from .convert_refused import ValueRefused, kind_of, numeral, quoted_text, show
from .convert_why import why_not_money
from .errors import excerpt
from .reading import Numeral
from .runtime.money import Money

__all__ = ["MONEY_MAX", "read_money"]

MONEY_MAX = 10**37
"""Money is below this many 元 (10^33 万元, 10^29 亿元), read from text or a number, and in
the JSON Schema (:mod:`policyrules.convert_schema`)."""

_MONEY_RE = re.compile(MONEY_PATTERN, re.ASCII)
_MONEY_HINT = 'write e.g. "200 万元", "12,345.67 元" or "1.5亿元" (whole fen)'
_FEN_HINT = "an amount is whole fen: at most two digits after the point of 元 (0.01 元 = 1 分)"
_NOT_NEGATIVE = (
    "an amount (a grant, a cost, an investment) is 0 元 or more: write it without its minus"
)


def read_money(v: Any) -> Money:
    """``v`` as money in 元; :class:`~policyrules.convert_refused.ValueRefused` saying why
    not (the reason of :func:`~policyrules.convert_why.why_not_money` for text it can name)."""
    if isinstance(v, bool) or not isinstance(v, int | Decimal | str):
        raise ValueRefused(f"an amount of money is expected, not {kind_of(v)}", hint=_MONEY_HINT)
    if isinstance(v, str) and not isinstance(v, Numeral) and v.lstrip().startswith("-"):
        raise ValueRefused(f"money cannot be negative: {show(v)}", hint=_NOT_NEGATIVE)
    if isinstance(v, Numeral):
        with decimal.localcontext(prec=100):
            return _money_numeral(v)
    if isinstance(v, str):
        m = _MONEY_RE.fullmatch(v)
        if m is None:
            why = why_not_money(v)
            raise ValueRefused(
                f"not an amount of money: {show(v)}" + (f" ({why[0]})" if why else ""),
                hint=why[1] if why else _MONEY_HINT,
            )
        return _money_text(m.group(0))
    if isinstance(v, int) and v < 0:  # (before Money: of any size, said by it)
        raise ValueRefused(f"money cannot be negative: {show(v)}", hint=_NOT_NEGATIVE)
    if isinstance(v, int) and v >= MONEY_MAX:
        raise ValueRefused(f"an amount of 10^37 元 or more: {show(v)}", hint=_MONEY_HINT)
    try:
        money = Money.of(v, "元")
    except ValueError as exc:
        raise ValueRefused(f"not an amount of money: {show(v)} ({exc})", hint=_MONEY_HINT) from None
    if money.fen < 0:
        raise ValueRefused(f"money cannot be negative: {show(v)}", hint=_NOT_NEGATIVE)
    if money.fen >= MONEY_MAX * 100:  # as a file's number or text is bounded
        raise ValueRefused(f"an amount of 10^37 元 or more: {show(v)}", hint=_MONEY_HINT)
    return money


def _money_numeral(v: Numeral) -> Money:
    """A number written bare (YAML or JSON) as money: whole 元 only."""
    number = numeral(v, "an amount")
    shown = excerpt(v)
    if number < 0:
        raise ValueRefused(f"money cannot be negative: {shown}", hint=_NOT_NEGATIVE)
    if number >= MONEY_MAX:
        raise ValueRefused(f"an amount of 10^37 元 or more: {shown}", hint=_MONEY_HINT)
    if number != number.to_integral_value():
        if (number * 100) % 1:
            raise ValueRefused(f"not a whole number of fen: {shown}", hint=_FEN_HINT)
        raise ValueRefused(
            f"a bare number is a whole number of 元: {shown}",
            "E314",
            f"write an amount with 角 or 分 as text: {excerpt(f'{v} 元', quoted_text)}",
        )
    return Money(int(number) * 100)


_FEN_PER = (("亿元", 10**10), ("万元", 10**6), ("亿", 10**10), ("万", 10**6), ("元", 100))


def _money_text(text: str) -> Money:
    """Money from text that matched :data:`MONEY_PATTERN` (so it is whole fen)."""
    number, scale = text, 100
    for unit, fen in _FEN_PER:
        if text.endswith(unit):
            number, scale = text[: -len(unit)], fen
            break
    _, digits, exponent = Decimal(number.replace(",", "").rstrip()).as_tuple()
    assert isinstance(exponent, int)
    fen = int("".join(map(str, digits))) * scale  # exact: no Decimal context involved
    return Money(fen * 10**exponent if exponent >= 0 else fen // 10**-exponent)
