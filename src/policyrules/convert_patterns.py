"""The patterns of the values a data file may hold, as regexes shared by the reader
(:mod:`policyrules.convert`) and the JSON Schema (:mod:`policyrules.convert_schema`), so a
value passes the schema exactly when the reader accepts it.  Each is written with explicit
classes, so it means the same in Python's ``re`` and in ECMA 262 regexes."""

from __future__ import annotations

import functools
import re

from .runtime.ids import (
    CONTROL,
    FULL_WIDTH,
    FULL_WIDTH_MARK_RANGES,
    FULL_WIDTH_MARKS,
    FULL_WIDTH_RANGES,
    ID_PATTERN,
    ID_REGEX,
    INVISIBLE,
    INVISIBLE_RANGES,
    LINE_BREAK,
    LINE_BREAK_RANGES,
    LOOKALIKE,
    MAX_ID_LENGTH,
    OTHER_DIGIT_RANGES,
    OTHER_DIGITS,
    SPACE,
    SPACE_TEXT,
)

__all__ = [
    "CONTROL",
    "DATE_PATTERN",
    "DURATION_NUMBER",
    "FULL_WIDTH",
    "FULL_WIDTH_MARKS",
    "FULL_WIDTH_MARK_RANGES",
    "FULL_WIDTH_RANGES",
    "ID_PATTERN",
    "ID_REGEX",
    "INVISIBLE",
    "INVISIBLE_RANGES",
    "LINE_BREAK",
    "LINE_BREAK_RANGES",
    "LOOKALIKE",
    "MAX_ID_LENGTH",
    "MONEY_PATTERN",
    "NUMBER_PATTERN",
    "OTHER_DIGITS",
    "OTHER_DIGIT_RANGES",
    "SPACE",
    "SPACE_TEXT",
    "rate_pattern",
    "rate_regex",
]


def _whole(max_digits: int) -> str:
    """A regex for whole numbers of at most ``max_digits`` digits, without leading zeros,
    written plainly or with thousands commas (``12,345``)."""
    alts = [f"0|[1-9][0-9]{{0,{max_digits - 1}}}"]
    for groups in range(1, (max_digits - 1) // 3 + 1):
        first = min(3, max_digits - 3 * groups)
        alts.append(f"[1-9][0-9]{{0,{first - 1}}}(?:,[0-9]{{3}}){{{groups}}}")
    return "(?:" + "|".join(alts) + ")"


# Money as text: whole fen, and as many digits as Money holds (37 of 元, 33 of 万, 29 of 亿).
MONEY_PATTERN = (
    rf"^(?:{_whole(37)}(?:\.[0-9]{{1,2}}0*)?(?: ?元)?"
    rf"|{_whole(33)}(?:\.[0-9]{{1,6}}0*)? ?万元?"
    rf"|{_whole(29)}(?:\.[0-9]{{1,10}}0*)? ?亿元?)$"
)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A number as text (exact, e.g. beyond a float's digits): a plain decimal, at most 40 digits
# before the point, as `_bounded` allows.
NUMBER_PATTERN = r"^-?(?:0|[1-9][0-9]{0,39})(?:\.[0-9]+)?$"

DURATION_NUMBER = r"(?:0|[1-9][0-9]{0,39})(?:\.[0-9]+)?"


def _below(n: int) -> str:
    """A regex for the whole numbers 0 .. n-1 written without leading zeros (n >= 1)."""
    digits = str(n - 1)
    size = len(digits)
    alts = []
    if size > 1:
        alts += ["0", "[1-9]" + (f"[0-9]{{0,{size - 2}}}" if size > 2 else "")]
    for i in range(size):
        lo = 1 if i == 0 and size > 1 else 0
        hi = int(digits[i]) - 1
        if hi >= lo:
            alts.append(digits[:i] + f"[{lo}-{hi}]" + "[0-9]" * (size - i - 1))
    alts.append(digits)
    return "(?:" + "|".join(alts) + ")"


def rate_pattern(bound_percent: int) -> str:
    """The regex of a rate ``"N%"`` from 0 % up to ``bound_percent`` % inclusive."""
    return rf"^(?:{_below(bound_percent)}(?:\.[0-9]+)?|{bound_percent}(?:\.0+)?)%$"


@functools.lru_cache(maxsize=64)
def rate_regex(bound_percent: int) -> re.Pattern[str]:
    """:func:`rate_pattern` compiled (once per bound)."""
    return re.compile(rate_pattern(bound_percent), re.ASCII)


# The patterns of an id live with the grants that hold ids (:mod:`policyrules.runtime.ids`),
# so a grant built in Python is checked as a read one is.
