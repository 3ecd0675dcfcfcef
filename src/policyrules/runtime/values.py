"""Runtime values besides money: durations, the unknown value, and how values print.

An :class:`Unknown` stands where a fact or parameter is missing; it carries the names that
would decide it and flows through every operation (``and`` with a false side is false, ``or``
with a true side is true, everything else unknown).
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any, cast

import attrs

from .money import Money, cn_text, format_rate

__all__ = [
    "DATE_TEXTS",
    "NONE",
    "NONE_TEXT",
    "Duration",
    "NoneValue",
    "Undecided",
    "Unknown",
    "Value",
    "date_text",
    "format_value",
    "is_unknown",
    "missing_of",
    "year_number",
]


class Undecided(Exception):
    """Raised while deciding one provision for one subject: that decision is *unknown*.

    Used where an input the checker accepted still cannot be decided (a period that turns
    negative, a date past 9999-12-31, a year whose holiday schedule is not published): the
    decision says why (``reason``) and what would settle it (``hint``, for instance the
    assumption to name); every other decision of the evaluation stands.
    """

    def __init__(self, reason: str, *, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


@attrs.frozen
class Unknown:
    """A value nobody gave: ``missing`` names the facts or parameters that would decide it."""

    missing: frozenset[str]

    def __or__(self, other: Unknown) -> Unknown:
        return Unknown(self.missing | other.missing)


@attrs.frozen
class NoneValue:
    """The value of a fact declared ``T or none`` and stated ``none``: known to be absent
    (未取得, 不存在), unlike a missing fact (:class:`Unknown`).  ``x = v`` is false,
    ``x != v`` true, ``<`` and the other orders false, ``x in S`` and ``x in force``
    false; arithmetic on it is refused by the checker (``x otherwise D``)."""

    def __repr__(self) -> str:
        return "NONE"


NONE = NoneValue()
NONE_TEXT = "无（已声明不存在）"
"""How an explanation shows a fact stated none."""


@attrs.frozen(order=True)
class Duration:
    """``n`` units of ``unit`` (日, 工作日, 周, 月, 年)."""

    n: Decimal
    unit: str

    def normalized(self) -> tuple[str, Decimal]:
        """(dimension, amount in the dimension's base unit): 周 in 日, 年 in 月."""
        if self.unit == "周":
            return ("days", self.n * 7)
        if self.unit == "年":
            return ("months", self.n * 12)
        return ({"日": "days", "月": "months"}.get(self.unit, "workdays"), self.n)

    def __str__(self) -> str:
        return f"{_num(self.n)} {self.unit}"


Value = Any  # Money | Decimal | bool | dt.date | str | Duration | frozenset | tuple | Unknown


def year_number(v: object) -> int:
    """The calendar year a ``per year of`` value counts in: a date's year, or a year itself
    (a ``year`` fact holds it as a whole number)."""
    if isinstance(v, dt.date):
        return v.year
    assert isinstance(v, Decimal)  # a year: checked whole, 1..9999, when read
    return int(v)


def is_unknown(v: object) -> bool:
    return isinstance(v, Unknown)


def missing_of(*values: object) -> Unknown | None:
    """The union of the unknowns among ``values``, or ``None`` when all are known."""
    names: frozenset[str] = frozenset()
    for v in values:
        if isinstance(v, Unknown):
            names |= v.missing
    return Unknown(names) if names else None


def _num(d: Decimal) -> str:
    if d.as_tuple().exponent < -6:  # type: ignore[operator]
        # A quotient that does not terminate (an average): shown to 2 places, marked.
        with decimal.localcontext() as ctx:
            ctx.prec = max(ctx.prec, d.adjusted() + 4)  # all the digits before the point
            return "≈" + format(d.quantize(Decimal("0.01")), "f")
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# A date's text (``isoformat``, which formats afresh each time), by the date: the days of
# one registry's facts repeat.  Bounded.  (Generated code looks a date up here first.)
DATE_TEXTS: dict[dt.date, str] = {}
_DATES_MAX = 1 << 14


def date_text(day: dt.date) -> str:
    """``day.isoformat()``, kept by the day (a date, not a datetime)."""
    text = DATE_TEXTS.get(day)
    if text is None:
        text = day.isoformat()
        if len(DATE_TEXTS) < _DATES_MAX:
            DATE_TEXTS[day] = text
    return text


def format_value(v: object, *, rate: bool = False) -> str:
    """A value as an explanation shows it."""
    kind = type(v)
    if kind is Money:  # the most frequent by far
        return cn_text(cast(Money, v).fen)
    if kind is str:
        return cast(str, v)
    if kind is dt.date:  # next: days in force, deadlines, the facts' dates
        return date_text(cast(dt.date, v))
    if isinstance(v, Unknown):
        return "unknown"
    if isinstance(v, NoneValue):
        return NONE_TEXT
    if isinstance(v, Money):
        return v.format_cn()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return format_rate(v) if rate else _num(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, frozenset):
        return "{" + ", ".join(sorted(format_value(x) for x in v)) + "}"
    if isinstance(v, tuple):
        return "[" + ", ".join(format_value(x) for x in v) + "]"
    return str(v)
