"""Why a value is refused, where one reason is plain: the reason and the hint the refusal
gives (in a facts file and in a registry table alike).  Only refusals call these: the
accepted path pays nothing.

Money (:func:`why_not_money`; E303 in a facts file, E627 in a table):

A facts file's money follows one pattern (:data:`~.convert_patterns.MONEY_PATTERN`, also its
JSON Schema's): digits without a leading zero, at most one space before the unit, and no
finer than a fen in its unit (two places in 元, six in 万元, ten in 亿元).
:meth:`~policyrules.runtime.money.Money.parse`, for callers in Python, reads more freely
(``"0180万元"``); a text it reads that the file's pattern refuses is refused here with the
reason, so that the one rule is not a riddle.

>>> why_not_money("0180万元")
('a leading zero', 'write "180万元"')
>>> why_not_money("180.0000001万元")[0]
'finer than a fen: 万元 has six places after the point at most'

An enum (:func:`enum_guess`; E303, E627): a member written in another case (``fda``,
``None``) or by its title as the Chinese text prints it (``产业共性平台建设``) is named, the
member to write given; never read as it (a member is spelled as declared).

A date (:func:`serial_day_hint`; E313, E629): a whole number where a date is expected is
most often a spreadsheet's day number (a cell formatted as a number): the hint says the day
it would be in Excel's 1900 system, to be written as the day, never read as it.

>>> serial_day_hint("46086").split(":")[0]
"46086 looks like a spreadsheet's day number (in Excel, 2026-03-05)"

A day written another common way (:func:`date_hint`: ``2026/3/5``, ``2026.3.5``,
``2026年3月5日``, ``20260305``, a date and a time as a spreadsheet exports a date cell) is
named with the day it spells, to be written as ``YYYY-MM-DD``; a day first or a month first
(``3/5/2026``) is said to be ambiguous where both readings are days.  Never read as it.

>>> date_hint("2026/3/5")
'write it as 2026-03-05 (dates are YYYY-MM-DD)'
>>> date_hint("3/5/2026")
'it may be 2026-05-03 (day first) or 2026-03-05 (month first): write the day as YYYY-MM-DD'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .errors import did_you_mean
from .model import CheckedPolicy

__all__ = ["date_hint", "enum_guess", "member_hint", "serial_day_hint", "why_not_money"]

# Excel's 1900 system counts 1900-02-29, which never was: from day 61 on, day n is
# 1899-12-30 + n.  Only numbers of days from 1954 to 2119 are taken for one (a bound on
# the hint, not on what is read: nothing is read as a date from a number).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = range(20_000, 80_000)

# A day in year, month, day order with one separator twice (or 年 月 日), the month and day
# with or without a leading zero; eight digits; day and month first; a day and a time.
_YMD = re.compile(r"([0-9]{4})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})", re.ASCII)
_YMD_ZH = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?", re.ASCII)
_EIGHT = re.compile(r"((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})", re.ASCII)
_DMY = re.compile(r"([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})", re.ASCII)
_TIMED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9:.]+)", re.ASCII)
_GENERAL = "write the day as YYYY-MM-DD, e.g. 2026-05-01"

_PARTS = re.compile(
    r"(?P<number>[0-9][0-9,]*(?:\.(?P<places>[0-9]*))?)(?P<space>\s*)(?P<unit>万元|亿元|元|万|亿)?",
    re.ASCII,
)
_PLACES = {"元": 2, "万元": 6, "万": 6, "亿元": 10, "亿": 10}
_PLACES_SAID = {2: "two", 6: "six", 10: "ten"}


def _stray(text: str) -> tuple[str, str] | None:
    """White space or an invisible character at either end of ``text``, named."""
    for at, ch in (("start", text[:1]), ("end", text[-1:])):
        if ch and (ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs")):
            name = unicodedata.name(ch, "a control character")
            return (
                f"U+{ord(ch):04X} {name} at its {at}",
                f'write it without: "{text.strip()}"',
            )
    return None


def why_not_money(text: str) -> tuple[str, str] | None:
    """The reason ``text`` is not money as a facts file writes it, and a hint; ``None``
    where no single reason is found (the caller says its general hint; a line break in
    ``text``, the caller says)."""
    if len((text + ".").splitlines()) > 1:
        return None
    stray = _stray(text)
    if stray is not None:
        return stray
    m = _PARTS.fullmatch(text)
    if m is None:
        return None
    number, unit = m["number"], m["unit"] or "元"
    whole = number.split(".")[0].replace(",", "")
    if len(whole) > 1 and whole.startswith("0"):
        fixed = (whole.lstrip("0") or "0") + number[len(number.split(".")[0]) :]
        return "a leading zero", f'write "{fixed}{m["space"]}{m["unit"] or ""}"'
    places = len((m["places"] or "").rstrip("0"))
    allowed = _PLACES[unit]
    if places > allowed:
        return (
            f"finer than a fen: {unit} has {_PLACES_SAID[allowed]} places after the point at most",
            f"an amount is whole fen: round it to {_PLACES_SAID[allowed]} places"
            + ("" if unit == "元" else " (or write it in 元)"),
        )
    if len(m["space"]) > 1 or m["space"] not in ("", " "):
        return (
            "more than one space, or another space, between the number and its unit",
            f'write one plain space at most: "{number} {m["unit"] or "元"}"',
        )
    return None


def serial_day_hint(value: object) -> str | None:
    """The hint for a whole number given where a date is expected, if it is in the range
    of a spreadsheet's day numbers (:data:`_SERIALS`), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, int):  # (compared as it is: a huge int is never made text)
        n = value
    else:
        text = value.strip()
        if len(text) > 5 or not text.isascii() or not text.isdigit():
            return None  # (five digits at most: 80,000; a longer text is never converted)
        n = int(text)
    if n not in _SERIALS:
        return None
    day = _EXCEL_EPOCH + dt.timedelta(days=n)
    return (
        f"{n} looks like a spreadsheet's day number (in Excel, {day.isoformat()}): format the "
        "cell as text and write the day as YYYY-MM-DD"
    )


def enum_guess(written: str, members: tuple[tuple[str, str | None], ...]) -> str | None:
    """The member ``written`` most plainly means, where it is one in another case or its
    title (``members``: (name, title) as the policy declares them), else ``None``."""
    folded = written.strip().casefold()
    for name, _ in members:
        if name.casefold() == folded:
            return name
    for name, title in members:
        if title is not None and title.strip() == written.strip():
            return name
    return None


def member_hint(policy: CheckedPolicy, enum: str, written: str) -> str | None:
    """ "did you mean ..." for ``written`` refused as a member of ``enum``: the member it is
    in another case or by its title (:func:`enum_guess`), else the closest spelling; the
    facts reader and the registry's say it alike."""
    info = policy.enum(enum)
    if info is None:
        return None
    meant = enum_guess(written, info.members)
    return f"did you mean '{meant}'?" if meant else did_you_mean(written, info.member_names)


def date_hint(value: object) -> str:
    """The hint for ``value`` refused as a date: a spreadsheet's day number
    (:func:`serial_day_hint`), the day another spelling names, or how to write a day."""
    serial = serial_day_hint(value)
    if serial is not None:
        return serial
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**8:
        value = str(value)  # 20260305 given as a number (JSON, Python)
    if isinstance(value, dt.datetime):  # (YAML reads 2026-03-05 00:00:00 as one)
        return f"a date and a time: write the day alone, {value.date().isoformat()}"
    if not isinstance(value, str) or len(value) > 40:
        return _GENERAL
    text = value.strip()
    if (m := _TIMED.fullmatch(text)) and _day(m[1][:4], m[1][5:7], m[1][8:]) is not None:
        return f"a date and a time: write the day alone, {m[1]}"
    for pattern in (_YMD_ZH, _EIGHT):
        if (m := pattern.fullmatch(text)) and (day := _day(m[1], m[2], m[3])) is not None:
            return f"write it as {day} (dates are YYYY-MM-DD)"
    if (m := _YMD.fullmatch(text)) and (day := _day(m[1], m[3], m[4])) is not None:
        return f"write it as {day} (dates are YYYY-MM-DD)"
    if m := _DMY.fullmatch(text):
        first = _day(m[4], m[3], m[1])  # day first
        second = _day(m[4], m[1], m[3])  # month first
        if first is not None and second is not None and first != second:
            return (
                f"it may be {first} (day first) or {second} (month first): write the day "
                "as YYYY-MM-DD"
            )
        if (day := first or second) is not None:
            return f"write it as {day} (dates are YYYY-MM-DD)"
    return _GENERAL


def _day(year: str, month: str, day: str) -> str | None:
    """``YYYY-MM-DD`` of the day these digits name, if it is one."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
