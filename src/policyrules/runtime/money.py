"""Exact money in integer fen, and rates as exact decimals.

One 元 is 100 fen, one 万元 is 10,000 元 and one 亿元 is 100,000,000 元.  Amounts are held as
a whole number of fen and never pass through a binary float, so a cap is never missed by a fen:

>>> Money.parse("200 万元")
Money(fen=200000000)
>>> str(Money.of("1.5", "亿元"))
'150,000,000.00 元'
>>> Money.parse("1.5亿元").format_cn()
'15000 万元'
>>> cost = Money.parse("12,345.67 元")
>>> str(cost.times(parse_rate("30%")))
'3,703.70 元'
>>> cost.times(parse_rate("30%"), Rounding.UP).fen
370371
>>> format_rate(Decimal("0.025"))
'2.5%'

Rounding follows the :mod:`decimal` names: ``DOWN`` is toward zero, ``UP`` away from zero and
``HALF_UP`` to the nearest fen with halves away from zero.
"""

from __future__ import annotations

import decimal
import enum
import functools
import re
from collections.abc import Iterable
from decimal import Decimal

import attrs

from ..errors import Diagnostic, FactsError, FactsTypeError, quoted
from .digits import NonAsciiDigits, non_ascii_digits

__all__ = [
    "Money",
    "NonAsciiDigits",
    "Rounding",
    "cn_text",
    "cn_texts",
    "format_rate",
    "max_money",
    "min_money",
    "non_ascii_digits",
    "parse_rate",
    "sum_money",
    "yuan_digits",
    "yuan_text",
]

# Fen per unit.  "万" and "亿" alone are read as 万元 and 亿元.
_UNITS: dict[str, int] = {
    "元": 100,
    "万元": 100 * 10_000,
    "亿元": 100 * 100_000_000,
    "万": 100 * 10_000,
    "亿": 100 * 100_000_000,
}

# Amounts beyond this many digits of fen (10^40 fen) are refused rather than computed.
_MAX_FEN_DIGITS = 40

_AMOUNT_RE = re.compile(
    r"(?P<sign>-)?(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"\s*(?P<unit>万元|亿元|元|万|亿)?",
    re.ASCII,
)
_RATE_RE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<percent>%)?", re.ASCII)


class Rounding(enum.Enum):
    """How :meth:`Money.times` rounds an exact product to a whole fen."""

    DOWN = "down"
    HALF_UP = "half_up"
    UP = "up"


_DECIMAL_ROUNDING: dict[Rounding, str] = {
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.UP: decimal.ROUND_UP,
}


def _reject_float(value: object, what: str) -> None:
    if isinstance(value, float):
        raise ValueError(f"{what} {value!r} is a binary float, which is not exact: pass a string")


def _check_fen(instance: Money, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Money.fen must be an int, not {type(value).__name__}")


@attrs.frozen
class Money:
    """An exact amount of money: a whole number of fen (1 元 = 100 fen); ordered by it."""

    fen: int = attrs.field(validator=_check_fen)

    # Ordering by hand: a cap compares amounts for every claim, and the comparisons attrs
    # generates build a tuple per operand.
    def __lt__(self, other: object) -> bool:
        return self.fen < other.fen if isinstance(other, Money) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.fen <= other.fen if isinstance(other, Money) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.fen > other.fen if isinstance(other, Money) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.fen >= other.fen if isinstance(other, Money) else NotImplemented

    @classmethod
    def of(cls, amount: int | Decimal | str, unit: str = "元") -> Money:
        """The amount ``amount`` in ``unit`` (元, 万元, 亿元, 万 or 亿), which must be whole fen.

        >>> Money.of(5000, "万元").fen
        5000000000
        >>> Money.of("0.001")
        Traceback (most recent call last):
        ...
        ValueError: 0.001 元 is not a whole number of fen
        """
        _reject_float(amount, "amount")
        if unit not in _UNITS:
            raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(_UNITS)}")
        if isinstance(amount, bool) or not isinstance(amount, int | Decimal | str):
            raise TypeError(f"amount must be an int, a Decimal or a str, not {type(amount)}")
        if isinstance(amount, int):
            whole = amount * _UNITS[unit]
            if len(str(abs(whole))) > _MAX_FEN_DIGITS:
                raise ValueError(f"amount {amount} {unit} is too large")
            return cls(whole)
        number = _to_decimal(amount) if isinstance(amount, str) else amount
        fen = _whole_fen(number, _UNITS[unit])
        if fen is None:
            raise ValueError(f"{amount} {unit} is not a whole number of fen")
        return cls(fen)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Read an amount as written: ``"200 万元"``, ``"1.5亿元"``, ``"12,345.67 元"``.

        A bare number (``"12345.67"``) is in 元; ``"100万"`` is 100 万元; a negative amount
        needs a leading ``-``.  Digits are ASCII, as the facts reader takes them.  Text it
        cannot read is refused with :class:`~policyrules.errors.FactsError` (E303, a
        ``ValueError``) saying why and how to write it, as the facts reader refuses an
        amount: full-width ``"１００ 万元"`` names the character, the ASCII text its hint;
        ``"2百万元"`` (a number in Chinese words) or a part of a fen, the form to write.  A
        value that is not text is :class:`~policyrules.errors.FactsTypeError` (E303, also a
        ``TypeError``).

        >>> try:
        ...     Money.parse("１２．５ 元")
        ... except ValueError as exc:
        ...     print(exc.code, exc.hint)
        E303 write ASCII digits: "12.5 元"
        >>> try:
        ...     Money.parse("2百万元")
        ... except ValueError as exc:
        ...     print(exc.code, exc.hint)
        E303 write the number in ASCII digits, then 元, 万元 or 亿元 (2百万元: 200 万元)
        """
        if not isinstance(text, str):
            shown = repr(text)[:40]
            raise FactsTypeError(
                Diagnostic(
                    "E303",
                    f"Money.parse reads text, not {type(text).__name__}: {shown}",
                    hint='write the amount as text, Money.parse("200 万元"); or make it from '
                    'an int or a Decimal: Money.of(200, "万元")',
                )
            )
        _refuse_non_ascii(text, "E303", "an amount of money")
        normal = text.strip()
        match = _AMOUNT_RE.fullmatch(normal)
        if match is None:
            raise _unread(text, _PARSE_EXPECTED, _PARSE_HINT)
        number = Decimal(match["number"].replace(",", ""))
        unit = match["unit"] or "元"
        try:
            money = cls.of(number, unit)
        except ValueError as exc:  # a part of a fen, or too many digits
            hint = _FEN_HINT if "whole number of fen" in str(exc) else _LARGE_HINT
            raise _unread(text, str(exc), hint) from None
        return -money if match["sign"] else money

    @classmethod
    def zero(cls) -> Money:
        """No money: 0 fen."""
        return _ZERO

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return _of_fen(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return _of_fen(self.fen - other.fen)

    def __neg__(self) -> Money:
        return _of_fen(-self.fen)

    def __bool__(self) -> bool:
        return self.fen != 0

    def times(self, rate: Decimal, rounding: Rounding = Rounding.DOWN) -> Money:
        """This amount times ``rate``, rounded to a whole fen (by default toward zero).

        The product is exact before the one rounding step, so ``DOWN`` never exceeds a rate cap.

        >>> Money.of("0.01").times(Decimal("0.3")).fen
        0
        >>> Money.of("0.01").times(Decimal("0.3"), Rounding.UP).fen
        1
        """
        _reject_float(rate, "rate")
        if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
            raise TypeError(f"rate must be a Decimal, not {type(rate).__name__}")
        rate = Decimal(rate)
        if not rate.is_finite():
            raise ValueError(f"rate {rate} is not a finite number")
        _, digits, _ = rate.as_tuple()
        with decimal.localcontext() as ctx:
            # Enough digits for the whole product of the two coefficients, so nothing rounds
            # here; Inexact is trapped to prove it.
            ctx.prec = len(str(abs(self.fen))) + len(digits) + 2
            ctx.Emax = decimal.MAX_EMAX
            ctx.Emin = decimal.MIN_EMIN
            ctx.traps[decimal.Inexact] = True
            exact = Decimal(self.fen) * rate
            whole = exact.to_integral_value(rounding=_DECIMAL_ROUNDING[rounding])
        return Money(int(whole))

    @property
    def yuan(self) -> Decimal:
        """The amount in 元, exactly, with two decimal places."""
        return Decimal(f"{self.fen}E-2")

    def __str__(self) -> str:
        return yuan_text(self.fen)

    def format_cn(self) -> str:
        """Whole 亿元 as ``"3 亿元"``, else whole 万元 as ``"200 万元"``, else as :func:`str`.

        >>> Money.of(5000, "万元").format_cn()
        '5000 万元'
        >>> Money.of("12345.67").format_cn()
        '12,345.67 元'
        """
        return cn_text(self.fen)


# Explanations write the same amounts (caps, what accounts used) over and over: each text
# is made once per amount.  Both are functions of an int alone.
@functools.lru_cache(maxsize=1 << 14)
def yuan_digits(fen: int) -> str:
    """``str(Money(fen).yuan)``, the amount in 元 as JSON writes it (``"12345.67"``,
    ``"-0.05"``), without making the :class:`~decimal.Decimal` (a decimal of exponent -2
    is written plainly, never in exponent form)."""
    if fen < 0:
        return "-" + yuan_digits(-fen)
    yuan, cents = divmod(fen, 100)
    return f"{yuan}{_POINT_CENTS[cents]}"


_POINT_CENTS = tuple(f".{cents:02d}" for cents in range(100))  # ".05": each made once


def yuan_text(fen: int) -> str:
    """``fen`` as :meth:`Money.__str__` writes it: ``"12,345.67 元"``."""
    return _yuan(fen)


# A cent's text and a group of three digits after a comma, each made once: a text said
# from them costs about half of one formatted with ``f"{yuan:,}"``, made for every claim's
# amounts (most under a billion 元; larger ones are formatted).
_CENTS = tuple(f".{cents:02d} 元" for cents in range(100))
_GROUPS = tuple(f",{group:03d}" for group in range(1000))


def _yuan(fen: int) -> str:
    """``f"{sign}{yuan:,}.{cents:02d} 元"`` of ``fen`` (``tests/property/test_money_props.py``)."""
    if fen < 0:
        return "-" + _yuan(-fen)
    yuan, cents = divmod(fen, 100)
    if yuan < 1000:
        return f"{yuan}{_CENTS[cents]}"
    if yuan < 1_000_000:
        return f"{yuan // 1000}{_GROUPS[yuan % 1000]}{_CENTS[cents]}"
    if yuan < 1_000_000_000:
        thousands, rest = divmod(yuan, 1000)
        return f"{thousands // 1000}{_GROUPS[thousands % 1000]}{_GROUPS[rest]}{_CENTS[cents]}"
    return f"{yuan:,}{_CENTS[cents]}"


_YI, _WAN = _UNITS["亿元"], _UNITS["万元"]


@functools.lru_cache(maxsize=1 << 14)
def cn_text(fen: int) -> str:
    """``fen`` as :meth:`Money.format_cn` writes it: ``"200 万元"``, ``"12,345.67 元"``."""
    if fen:  # the largest unit the amount is a whole number of, else 元 (one cache, not two)
        if fen % _YI == 0:
            return f"{fen // _YI} 亿元"
        if fen % _WAN == 0:
            return f"{fen // _WAN} 万元"
    return _yuan(fen)


def cn_texts(*fens: int) -> tuple[str, ...]:
    """Each of ``fens`` as :func:`cn_text` writes it, but all in one unit, so that amounts
    read side by side are read alike: the largest of 亿元 and 万元 every one is a whole
    number of (0 is, in any), else 元.

    >>> cn_texts(1_826_326_900_000, 43_700_800_000_00)
    ('18,263,269,000.00 元', '43,700,800,000.00 元')
    >>> cn_texts(0, 600_000_000_00, 4_370_080_000_00)
    ('0 万元', '60000 万元', '437008 万元')
    """
    if any(fens):
        for unit, word in ((_YI, "亿元"), (_WAN, "万元")):
            if all(fen % unit == 0 for fen in fens):
                return tuple(f"{fen // unit} {word}" for fen in fens)
    return tuple(map(_yuan, fens))


_new = object.__new__
_set = object.__setattr__


def _of_fen(fen: int) -> Money:
    """``Money(fen)`` for an int known to be one (the sum or difference of two amounts):
    without the validator's checks, which arithmetic on every claim would repeat."""
    money: Money = _new(Money)
    _set(money, "fen", fen)
    return money


_ZERO = Money(0)


def _to_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except decimal.InvalidOperation:
        raise ValueError(f"cannot read {text!r} as a number") from None
    return number


def _pow10(k: int) -> int:
    """Ten to the power ``k`` (``k >= 0``), as an int."""
    result: int = 10**k  # int ** int is typed loosely, since a negative power is a float
    return result


def _whole_fen(number: Decimal, fen_per_unit: int) -> int | None:
    """``number * fen_per_unit`` as an int when it is whole, else ``None``; exact, no context."""
    if not number.is_finite():
        raise ValueError(f"amount {number} is not a finite number")
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    coefficient = int("".join(map(str, digits)))
    if coefficient == 0:
        return 0
    if len(digits) + exponent + len(str(fen_per_unit)) > _MAX_FEN_DIGITS:
        raise ValueError(f"amount {number} is too large")
    scaled = coefficient * fen_per_unit
    fen: int
    if exponent >= 0:
        fen = scaled * _pow10(exponent)
    else:
        if -exponent > len(str(scaled)):
            return None  # a nonzero value this small is less than one fen
        fen, rest = divmod(scaled, _pow10(-exponent))
        if rest:
            return None
    return -fen if sign else fen


def min_money(*amounts: Money) -> Money:
    """The smallest of one or more amounts."""
    if not amounts:
        raise ValueError("min_money() needs at least one amount")
    return min(amounts)


def max_money(*amounts: Money) -> Money:
    """The largest of one or more amounts."""
    if not amounts:
        raise ValueError("max_money() needs at least one amount")
    return max(amounts)


def sum_money(amounts: Iterable[Money]) -> Money:
    """The exact total of some amounts; zero when there are none."""
    total = 0
    for amount in amounts:
        if not isinstance(amount, Money):
            raise TypeError(f"sum_money() adds Money, not {type(amount).__name__}")
        total += amount.fen
    return Money(total)


def parse_rate(text: str) -> Decimal:
    """Read a rate: ``"30%"`` is ``Decimal("0.30")``, ``"2.5%"`` is ``0.025``, ``"0.3"`` is ``0.3``.

    Negative rates, floats and anything else are refused with :class:`ValueError`; digits
    other than ASCII (``"３０％"``) with :class:`~policyrules.errors.FactsError` (E311, a
    ``ValueError``), the ASCII text as its hint.

    >>> parse_rate("30%")
    Decimal('0.30')
    """
    _reject_float(text, "rate")
    if not isinstance(text, str):
        raise TypeError(f"parse_rate expects a str, not {type(text).__name__}")
    _refuse_non_ascii(text, "E311", "a rate")
    normal = text.strip()
    if normal.startswith("-"):
        raise ValueError(f"rate {text!r} is negative")
    match = _RATE_RE.fullmatch(normal)
    if match is None:
        raise ValueError(f"cannot read {text!r} as a rate: expected e.g. '30%', '2.5%' or '0.3'")
    number = Decimal(match["number"])
    if match["percent"]:
        sign, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)
        number = Decimal((sign, digits, exponent - 2))  # divide by 100 exactly
    return number


def format_rate(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros: ``0.3`` is ``"30%"``, ``0.025`` ``"2.5%"``.

    >>> format_rate(Decimal("0.30"))
    '30%'
    """
    _reject_float(rate, "rate")
    if not isinstance(rate, Decimal):
        raise TypeError(f"format_rate expects a Decimal, not {type(rate).__name__}")
    if not rate.is_finite():
        raise ValueError(f"rate {rate} is not a finite number")
    sign, digits, exponent = rate.as_tuple()
    assert isinstance(exponent, int)
    text = format(Decimal((sign, digits, exponent + 2)), "f")  # times 100 exactly
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"{text}%"


_PARSE_EXPECTED = "expected e.g. '200 万元', '1.5亿元', '12,345.67 元' or '-5 元'"
_PARSE_HINT = "write the number in ASCII digits, then 元, 万元 or 亿元 (2百万元: 200 万元)"
_FEN_HINT = "an amount is whole fen: two places after the point in 元 at most"
_LARGE_HINT = f"an amount has at most {_MAX_FEN_DIGITS} digits of fen"


def _unread(text: str, why: str, hint: str) -> FactsError:
    """E303: ``text`` is not an amount :meth:`Money.parse` reads, ``why``."""
    return FactsError(
        Diagnostic("E303", f"cannot read {quoted(text)} as an amount of money: {why}", hint=hint)
    )


def _refuse_non_ascii(text: str, code: str, what: str) -> None:
    """FactsError ``code`` when ``text`` writes a number with digits other than ASCII."""
    found = non_ascii_digits(text)
    if found is not None:
        message = f"cannot read {quoted(text)} as {what}: {found.what}"
        raise FactsError(Diagnostic(code, message, hint=found.hint))
