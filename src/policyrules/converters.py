"""Converters specialised per declared type: the facts reader's fast path.

:func:`converter` gives, for one declared type, a function of one raw value that returns
exactly what :func:`~policyrules.convert.convert_value` returns for it (the same value, or
the same :class:`~policyrules.convert.ValueRefused`).  It settles the common well-formed
cases itself, with no dispatch on the type per value and no exception on the normal path:
ids and text as plain strings, ``YYYY-MM-DD`` dates, money as a whole number of 元 or as
plain text (``"200万元"``, ``"12.50 元"``), plain decimal numbers, enum members, rates
``"30%"``, booleans and lists of these.  Anything else goes to ``convert_value``, which owns
every rule and every message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from . import types as t
from .convert import (
    NONE_WORD,
    ValueRefused,
    convert_value,
    enum_members,
    none_misspelt,
    rate_regex,
)
from .convert_ids import MAX_ID_LENGTH, convert_id
from .convert_patterns import ID_REGEX
from .converters_lists import FEN_PER_UNIT, LONG, bulk, json_ints, money_texts
from .model import CheckedPolicy
from .reading import JsonNumeral, YamlNumeral
from .runtime.money import _of_fen, parse_rate
from .runtime.values import NONE, Value

__all__ = [
    "Columnar",
    "Converter",
    "Keeps",
    "ListConverter",
    "columnar",
    "converter",
    "id_converter",
    "keeps",
]

Converter = Callable[[Any], Value]
Keeps = Callable[[list[Any], set[type]], bool]
"""A test of a column of raw values (and the set of their types): whether the type's
converter returns every one of them unchanged."""
Columnar = Callable[[list[str]], "list[Value] | None"]
"""A reader of a whole column of text values: what the type's converter returns for each
(all of them well-formed), or ``None`` where the column is to be read value by value."""

# Subsets of what convert.py accepts, read here without the general machinery.  Each
# accepts only text that convert.py's own patterns accept, and reads it to the same value.
_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}", re.ASCII)  # whole 元, far below 10^37
_MONEY_TEXT = re.compile(
    r"(0|[1-9][0-9]{0,17})(?:\.([0-9]{1,2}))?(?: ?(元|万元?|亿元?))?", re.ASCII
)
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,38})(?:\.[0-9]+)?", re.ASCII)  # < 10^39
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_FEN_PER_UNIT = FEN_PER_UNIT
_NUMERALS = (JsonNumeral, YamlNumeral)


_ID_OK = ID_REGEX.search


def id_converter(v: Any) -> str:
    """:func:`~policyrules.convert_ids.convert_id`, well-formed text passed straight through."""
    return v if type(v) is str and len(v) <= MAX_ID_LENGTH and _ID_OK(v) else convert_id(v)


def converter(typ: t.Type, policy: CheckedPolicy) -> Converter:
    """A function reading one raw value as ``typ``, exactly as ``convert_value`` does."""
    if typ.nullable:
        some = converter(attrs.evolve(typ, nullable=False), policy)

        def or_none(v: Any) -> Value:
            if type(v) is str and v == NONE_WORD:
                return NONE
            try:
                return some(v)
            except ValueRefused:
                refused = none_misspelt(v, typ)
                if refused is None:
                    raise
                raise refused from None

        return or_none
    kind = typ.kind

    def slow(v: Any) -> Value:
        return convert_value(v, typ, policy)

    if kind == "money" and typ.unit is None:  # money(USD): its own reader (convert_value)
        return _money(slow)
    if kind == "date":
        return _date(slow)
    if kind == "number":
        return _number(slow)
    if kind == "bool":

        def boolean(v: Any) -> Value:
            return v if v is True or v is False else slow(v)

        return boolean
    if kind == "text":

        def text(v: Any) -> Value:
            return v if type(v) is str else slow(v)

        return text
    if kind == "enum":
        members = frozenset(enum_members(policy, typ.name or ""))

        def member(v: Any) -> Value:
            return v if type(v) is str and v in members else slow(v)

        return member
    if kind == "rate":
        return _rate(slow, rate_regex(100 if typ.bound is None else typ.bound))
    if kind in ("set", "list"):
        return ListConverter(typ, policy)
    return slow


def keeps(typ: t.Type, policy: CheckedPolicy) -> Keeps | None:
    """For text, enum and bool facts, a test of whether :func:`converter` returns every
    value of a column as it is (text, members, booleans: nothing to convert), checked
    for the whole column at once; ``None`` for other types and for a fact that may be
    stated none (``"none"`` is read as none)."""
    if typ.nullable:
        return None
    if typ.kind == "text":
        return _all_text
    if typ.kind == "bool":
        return _all_bool
    if typ.kind == "enum":
        members = frozenset(enum_members(policy, typ.name or ""))

        def all_members(column: list[Any], kinds: set[type]) -> bool:
            return kinds <= _STR and members.issuperset(column)

        return all_members
    return None


_STR = frozenset({str})
_BOOL = frozenset({bool})


def columnar(typ: t.Type, policy: CheckedPolicy) -> Columnar | None:
    """For money facts in 元 (not stated none), a reader of a column of amounts written as whole
    numbers of one unit (``"1000万元"``, ``"25元"``), each read as :func:`converter` reads
    it but all at once; ``None`` for other types."""
    plain = typ.kind == "money" and typ.unit is None and not typ.nullable
    return money_texts if plain else None


def _all_text(column: list[Any], kinds: set[type]) -> bool:
    return kinds <= _STR


def _all_bool(column: list[Any], kinds: set[type]) -> bool:
    return kinds <= _BOOL


def _money(slow: Converter) -> Converter:
    whole, text = _WHOLE.fullmatch, _MONEY_TEXT.fullmatch

    def money(v: Any) -> Value:
        kind = type(v)
        if kind is str:
            m = text(v)
            if m is not None:
                number, fraction, unit = m.groups()
                fen = int(number) * _FEN_PER_UNIT[unit]
                if fraction is None:
                    return _of_fen(fen)
                # at most two decimals: a whole number of fen in every unit
                scale = 10 ** len(fraction)
                return _of_fen(fen + int(fraction) * _FEN_PER_UNIT[unit] // scale)
        elif (kind is JsonNumeral or kind is YamlNumeral) and whole(v) is not None:
            return _of_fen(int(v) * 100)
        return slow(v)

    return money


def _date(slow: Converter) -> Converter:
    pattern, read = _DATE.fullmatch, dt.date.fromisoformat

    def date(v: Any) -> Value:
        if type(v) is str and pattern(v) is not None:
            try:
                return read(v)
            except ValueError:  # 2026-13-01: refused below, with its message
                pass
        return slow(v)

    return date


def _number(slow: Converter) -> Converter:
    plain = _DECIMAL.fullmatch

    def number(v: Any) -> Value:
        kind = type(v)
        if (kind is JsonNumeral or kind is YamlNumeral) and plain(v) is not None:
            return Decimal(v)
        return slow(v)

    return number


def _rate(slow: Converter, pattern: re.Pattern[str]) -> Converter:
    match = pattern.fullmatch

    def rate(v: Any) -> Value:
        if type(v) is str and match(v) is not None:
            return parse_rate(v)
        return slow(v)

    return rate


class ListConverter:
    """The converter of a list or set fact (a :data:`Converter`): a list of many items all
    of one type is read at once where its element type allows
    (:mod:`policyrules.converters_lists`), else item by item."""

    __slots__ = ("element", "is_set", "slow", "whole", "whole_ints")

    def __init__(self, typ: t.Type, policy: CheckedPolicy) -> None:
        element = typ.element or t.ANY
        self.slow: Converter = lambda v: convert_value(v, typ, policy)
        self.element = converter(element, policy)
        self.is_set = typ.kind == "set"
        self.whole = bulk(element, policy)
        self.whole_ints = json_ints(element)

    def __call__(self, v: Any) -> Value:
        if type(v) is not list:
            return self.slow(v)
        if self.whole is not None and len(v) >= LONG:
            kinds = set(map(type, v))
            made = self.whole(v, kinds.pop()) if len(kinds) == 1 else None
            if made is not None:
                return frozenset(made) if self.is_set else tuple(made)
        try:
            items = list(map(self.element, v))
        except ValueRefused:  # refused again below, with the item's index
            return self.slow(v)
        return frozenset(items) if self.is_set else tuple(items)

    def of_json_ints(self, v: list[int]) -> Value | None:
        """What this converter returns for the ``JsonNumeral`` spellings of the ints ``v``
        (JSON integers), read from the ints themselves where that is the same; ``None``
        where it is not known to be (the spellings are then to be read)."""
        made = None if self.whole_ints is None or len(v) < LONG else self.whole_ints(v, int)
        if made is None:
            return None
        return frozenset(made) if self.is_set else tuple(made)
