"""Long lists of facts read all at once: each item checked and converted in a C-level pass
over the whole list, not by a call of the element's converter per item.

A fact ``list of money`` of a million numbers took 13x the time of parsing the file when
each item went through :func:`policyrules.converters.converter` one by one; read here it
takes about 3x.  Only the common well-formed cases are read here, exactly as the element's
converter reads each item (a whole number of 元 as money, a plain integer as a number,
text, enum members, booleans, ``YYYY-MM-DD`` dates); for anything else the reader returns
``None`` and the list is read item by item, which finds every error in its place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import repeat
from operator import mul
from typing import Any

from . import types as t
from .convert import enum_members
from .model import CheckedPolicy
from .reading import JsonNumeral, YamlNumeral
from .runtime.money import Money
from .runtime.values import Value

__all__ = ["FEN_PER_UNIT", "LONG", "Bulk", "bulk", "json_ints", "money_texts"]

Bulk = Callable[[list[Any], type], "list[Any] | None"]
"""A reader of a whole list whose items are all of one type (given): the converted items,
or ``None`` where the list is to be read item by item."""

LONG = 32
"""Lists shorter than this are read item by item (a bulk read's checks cost more)."""

_WHOLE_YUAN = 10**18  # whole 元 below this: what the money converter reads itself
_NUMBER = 10**39  # plain integers of at most 39 digits: what the number converter reads
_NUMERALS = (JsonNumeral, YamlNumeral)
_DATES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2})*", re.ASCII)
_new = object.__new__
_SET_FEN = Money.__dict__["fen"].__set__


def bulk(typ: t.Type, policy: CheckedPolicy) -> Bulk | None:
    """For an element type (of a list or a set) that is not nullable: a reader of a whole
    list of its items; ``None`` for the types read item by item only."""
    if typ.nullable:
        return None
    if typ.kind == "money" and typ.unit is None:
        return _money
    if typ.kind == "number":
        return _number
    if typ.kind == "text":
        return _text
    if typ.kind == "bool":
        return _bool
    if typ.kind == "date":
        return _date
    if typ.kind == "enum":
        members = frozenset(enum_members(policy, typ.name or ""))

        def member(items: list[Any], kind: type) -> list[Any] | None:
            return items if kind is str and members.issuperset(items) else None

        return member
    return None


def json_ints(typ: t.Type) -> Bulk | None:
    """For an element type that reads a JSON integer as its value (money in 元, numbers): a
    reader of a list of ints (JSON integers) that gives what the type's converter gives for
    their spellings; ``None`` for other types."""
    if typ.nullable or typ.kind not in ("money", "number") or typ.unit is not None:
        return None
    return _money if typ.kind == "money" else _number


def _digits(items: list[str], most: int) -> bool:
    """Whether every item is a whole number written plainly (ASCII digits, no sign, no
    leading zero unless it is 0) of at most ``most`` digits."""
    joined = "".join(items)
    if not (joined.isascii() and joined.isdigit()):
        return False
    sizes = set(map(len, items))
    if min(sizes) < 1 or max(sizes) > most:
        return False
    return sum(map(str.startswith, items, repeat("0"))) == items.count("0")


# Longer units first: a value ending in 万元 also ends in 元 (its number then holds 万 and
# is not all digits).
FEN_PER_UNIT = {None: 100, "元": 100, "万": 10**6, "万元": 10**6, "亿": 10**10, "亿元": 10**10}
_UNITS = sorted((u for u in FEN_PER_UNIT if u is not None), key=len, reverse=True)
assert Money.__attrs_attrs__.fen.converter is None  # only the validator is bypassed


def money_texts(column: list[str]) -> list[Value] | None:
    """Amounts of money written as whole numbers of one unit (``"1000万元"``, ``"25元"``),
    each read as the money converter reads it, all at once; ``None`` for any other list."""
    # Each value matches converters' _MONEY_TEXT with no fraction and no space, its number
    # at most 18 digits (so _check_fen holds): money() reads it as int(number) * fen per unit.
    unit = next((u for u in _UNITS if column[0].endswith(u)), None)
    if unit is None or not all(map(str.endswith, column, repeat(unit))):
        return None
    numbers = list(map(str.removesuffix, column, repeat(unit)))
    if not _digits(numbers, 18) or "0" in numbers:
        return None  # no number, too long, or a leading zero (0万元 is read one by one)
    return _of_fen(map(int, numbers), FEN_PER_UNIT[unit], len(numbers))


def _of_fen(numbers: Iterable[int], scale: int, n: int) -> list[Value]:
    """``n`` amounts of money, ``numbers`` times ``scale`` fen each (each below 10^37)."""
    made: list[Value] = list(map(_new, repeat(Money, n)))
    list(map(_SET_FEN, made, map(mul, numbers, repeat(scale))))
    return made


def _money(items: list[Any], kind: type) -> list[Any] | None:
    # A whole number of 元 (an int, or a numeral of up to 18 digits) is that many times 100
    # fen; text (``"200万元"``) is read as a column of money is (converters.columnar).
    if kind is int:
        if min(items) < 0 or max(items) >= _WHOLE_YUAN:
            return None
        return _of_fen(items, 100, len(items))
    if kind in _NUMERALS:
        return _of_fen(map(int, items), 100, len(items)) if _digits(items, 18) else None
    return money_texts(items) if kind is str else None


def _number(items: list[Any], kind: type) -> list[Any] | None:
    if kind is int:
        if min(items) <= -_NUMBER or max(items) >= _NUMBER:
            return None
    elif kind not in _NUMERALS or not _digits(items, 39):
        return None
    return list(map(Decimal, items))


def _text(items: list[Any], kind: type) -> list[Any] | None:
    return items if kind is str else None


def _bool(items: list[Any], kind: type) -> list[Any] | None:
    return items if kind is bool else None


def _date(items: list[Any], kind: type) -> list[Any] | None:
    if kind is not str or set(map(len, items)) != {10} or not _DATES.fullmatch("".join(items)):
        return None
    try:
        return list(map(dt.date.fromisoformat, items))
    except ValueError:  # 2026-13-01: refused item by item, with its message
        return None
