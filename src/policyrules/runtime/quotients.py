"""Exact quotients: ``a / b`` of the language, ``floor()`` and ``ceil()``.

A quotient is exact: when it has a finite decimal form it is a :class:`~decimal.Decimal`, as
every other number; otherwise (``1 / 3``) it stays a :class:`fractions.Fraction`, and the
arithmetic below keeps it exact until money is rounded (down, toward zero, to the fen).

>>> divide(Decimal(1), Decimal(4)), divide(Decimal(1), Decimal(3))
(Decimal('0.25'), Fraction(1, 3))
>>> times(Money.of(100), Fraction(1, 3))
Money(fen=3333)
>>> divide(Money.of(100), Decimal(3)), divide(Money.of(100), Money.of(300))
(Money(fen=3333), Fraction(1, 3))
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from .money import Money

__all__ = ["ceil_of", "divide", "exact", "floor_of", "is_quotient", "plus", "times"]

Number = Decimal | Fraction


def is_quotient(v: object) -> bool:
    """Whether ``v`` is a quotient with no finite decimal form (a :class:`Fraction`)."""
    return isinstance(v, Fraction)


def exact(q: Fraction) -> Number:
    """``q`` as a Decimal when its decimal form ends (its denominator is 2^a·5^b), else ``q``."""
    d = q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return q
    scale = max(twos, fives)
    digits = q.numerator * (10**scale // q.denominator)
    return Decimal(digits).scaleb(-scale)


def _fraction(x: Number) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)


def _fen_toward_zero(q: Fraction) -> Money:
    """An exact amount in fen, rounded toward zero (down, for an award) to a whole fen."""
    whole = math.floor(q) if q >= 0 else math.ceil(q)
    return Money(int(whole))


def divide(x: Money | Number, y: Money | Number) -> Money | Number:
    """``x / y``: money by money is a share (a rate), money by a number is money rounded
    down to the fen, a number (or rate) by a number a number (a rate).

    :raises ZeroDivisionError: ``y`` is zero."""
    if isinstance(x, Money) and isinstance(y, Money):
        return exact(Fraction(x.fen, y.fen))
    if isinstance(x, Money):
        return _fen_toward_zero(Fraction(x.fen) / _fraction(y))  # type: ignore[arg-type]
    if isinstance(y, Money):
        raise TypeError("a number cannot be divided by money")  # pragma: no cover - checked
    return exact(_fraction(x) / _fraction(y))


def times(x: Money | Number, y: Money | Number) -> Money | Number:
    """``x × y`` where one side is a :class:`Fraction`: money is rounded toward zero."""
    if isinstance(x, Money):
        return _fen_toward_zero(x.fen * _fraction(y))  # type: ignore[arg-type]
    if isinstance(y, Money):
        return _fen_toward_zero(y.fen * _fraction(x))
    return exact(_fraction(x) * _fraction(y))


def plus(x: Number, y: Number, sign: int = 1) -> Number:
    """``x + y`` (``sign`` −1: ``x − y``) where one side is a :class:`Fraction`."""
    return exact(_fraction(x) + sign * _fraction(y))


def floor_of(x: Number) -> Decimal:
    """The greatest whole number not above ``x`` (每增加…: the remainder is dropped)."""
    return Decimal(math.floor(x))


def ceil_of(x: Number) -> Decimal:
    """The least whole number not below ``x``."""
    return Decimal(math.ceil(x))
