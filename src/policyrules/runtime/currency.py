"""Amounts in other currencies (美元, 欧元) and the dated rates that convert them to 元.

A :class:`Foreign` amount is a whole number of cents of one currency; it adds to, subtracts
from and compares with amounts of the same currency only (the checker keeps currencies
apart; a mix here is a ``TypeError``).  An :class:`ExchangeRate` is 元 per one unit of a
currency on a date; :func:`to_yuan` converts, rounding down to the fen.  There are no
built-in rates: a rate is always a named fact or parameter the caller gives.

>>> a = Foreign.of(Decimal("1.2"), "万美元")
>>> a, str(a)
(Foreign(currency='USD', cents=1200000), '12,000.00 美元')
>>> to_yuan_fen(a, ExchangeRate("USD", Decimal("7.1234"), dt.date(2026, 1, 5)))
8548080
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

import attrs

__all__ = ["CURRENCIES", "UNITS", "ExchangeRate", "Foreign", "to_yuan_fen"]

CURRENCIES = {"USD": "美元", "EUR": "欧元"}
"""ISO code -> the unit word of a policy text."""

# A literal's unit -> (currency, cents per unit).
UNITS: dict[str, tuple[str, int]] = {
    "亿美元": ("USD", 10**10),
    "万美元": ("USD", 10**6),
    "美元": ("USD", 100),
    "亿欧元": ("EUR", 10**10),
    "万欧元": ("EUR", 10**6),
    "欧元": ("EUR", 100),
}


@attrs.frozen(order=False)
class Foreign:
    """An exact amount of a currency other than 元, in cents (1/100 of its unit)."""

    currency: str
    cents: int

    @classmethod
    def of(cls, number: Decimal, unit: str) -> Foreign:
        """``Foreign.of(Decimal("1.2"), "万美元")``; ValueError unless whole cents."""
        currency, scale = UNITS[unit]
        cents = number * scale
        if cents != cents.to_integral_value():
            raise ValueError(f"{number} {unit} is not a whole number of cents")
        return cls(currency, int(cents))

    def _same(self, other: object) -> Foreign:
        if not isinstance(other, Foreign) or other.currency != self.currency:
            raise TypeError(f"cannot mix {self.currency} with {other!r}")
        return other

    def __add__(self, other: object) -> Foreign:
        return Foreign(self.currency, self.cents + self._same(other).cents)

    def __sub__(self, other: object) -> Foreign:
        return Foreign(self.currency, self.cents - self._same(other).cents)

    def __neg__(self) -> Foreign:
        return Foreign(self.currency, -self.cents)

    def __lt__(self, other: object) -> bool:
        return self.cents < self._same(other).cents

    def __le__(self, other: object) -> bool:
        return self.cents <= self._same(other).cents

    def __gt__(self, other: object) -> bool:
        return self.cents > self._same(other).cents

    def __ge__(self, other: object) -> bool:
        return self.cents >= self._same(other).cents

    def times(self, factor: Decimal) -> Foreign:
        """Times a rate or a count, rounded down to the cent (never above)."""
        product = (Decimal(self.cents) * factor).to_integral_value(rounding=ROUND_FLOOR)
        return Foreign(self.currency, int(product))

    def __str__(self) -> str:
        sign = "-" if self.cents < 0 else ""
        whole, cents = divmod(abs(self.cents), 100)
        return f"{sign}{whole:,}.{cents:02d} {CURRENCIES.get(self.currency, self.currency)}"


@attrs.frozen
class ExchangeRate:
    """元 per one unit of ``currency`` (``per_unit``, exact), as published on ``on``."""

    currency: str
    per_unit: Decimal
    on: dt.date

    def __str__(self) -> str:
        unit = CURRENCIES.get(self.currency, self.currency)
        return f"1 {unit} = {self.per_unit:f} 元 ({self.on.isoformat()})"


def to_yuan_fen(amount: Foreign, rate: ExchangeRate) -> int:
    """``amount`` in fen of 元 at ``rate``, rounded down (cents and fen are both 1/100).

    :raises TypeError: the rate is of another currency (the checker prevents it)."""
    if rate.currency != amount.currency:
        raise TypeError(f"a {rate.currency} rate cannot convert {amount.currency}")
    return int((Decimal(amount.cents) * rate.per_unit).to_integral_value(rounding=ROUND_FLOOR))
