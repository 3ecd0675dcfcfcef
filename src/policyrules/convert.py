"""Values from data files, the command line and Python, read as the policy declares them.

One definition per type, shared by the reader (:func:`convert_value`) and the JSON Schema
(:func:`type_schema`), so a value passes the schema exactly when the reader accepts it:

=========  ==================================================================================
money      a whole number of 元 written as a number (``200``; in JSON also ``2e2``), or text
           with an optional unit: ``"200 万元"``, ``"12,345.67 元"``, ``"1.5亿"``; whole fen;
           below 10^37 元 (10^33 万元, 10^29 亿元); never negative
rate       text with ``%``: ``"30%"``, ``"12.5%"``; at most 100 % unless declared
           ``rate up to N%``; never negative.  ``30``, ``"30"`` and ``0.3`` are refused
number     a number (YAML: a plain decimal such as ``12.5``; JSON: any number), or text of a
           plain decimal (``"12.5"``); below 10^40
date       text ``YYYY-MM-DD`` that is a real day (not ``20260501``, not ``2026-W18-5``)
duration   a number of the declared unit, or text with the unit: ``"30 工作日"``
bool       ``true`` or ``false``
text, id   text, or a number kept exactly as written (``0701`` is ``"0701"``); an id is
           not empty or only white space, holds no control character and no invisible
           one (category Cf: U+200B ZERO WIDTH SPACE...), has no white space at either
           end, and has at most 256 characters
enum       one of the members' names
=========  ==================================================================================

A fact declared ``T or none`` also takes the text ``none`` (YAML plain ``none``, JSON
``"none"``): stated absent (未取得), a known value, unlike a missing fact.  A text fact so
declared therefore cannot hold the text ``none`` itself.

A plain YAML number whose reading differs between YAML 1.1, YAML 1.2 and a person
(``010``, ``0x10``, ``0o17``, ``1_000``, ``12:30``, ``1e3``, ``.inf``) is refused for money,
rate, number and duration with a hint to quote it or write it plainly (E310).

Money in 元 is read by :mod:`policyrules.convert_money`; a refusal is a
:class:`~policyrules.convert_refused.ValueRefused`, exported here with :func:`kind_of`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from . import types as t
from .convert_currency import CurrencyRefused, read_exchange, read_foreign
from .convert_money import read_money
from .convert_patterns import (
    DATE_PATTERN,
    DURATION_NUMBER,
    ID_PATTERN,
    MONEY_PATTERN,
    NUMBER_PATTERN,
    rate_pattern,
    rate_regex,
)
from .convert_refused import ValueRefused, kind_of, numeral, show
from .convert_why import date_hint, member_hint
from .errors import excerpt, line_break_hint
from .model import CheckedPolicy, TierRow
from .reading import Numeral
from .runtime.money import format_rate, non_ascii_digits, parse_rate
from .runtime.values import NONE, Duration, Value

__all__ = [
    "DATE_PATTERN",
    "ID_PATTERN",
    "MONEY_PATTERN",
    "NONE_WORD",
    "NUMBER_PATTERN",
    "ValueRefused",
    "bound_percent",
    "convert_value",
    "enum_members",
    "kind_of",
    "none_misspelt",
    "rate_pattern",
    "rate_regex",
]


_MAX_DIGITS = 40  # as for money amounts and for the numbers of a .rule file
_NONES = frozenset({"none", "null", "nil", "无", "没有", "无此项"})  # none, written otherwise


_NUMBER_TEXT = re.compile(NUMBER_PATTERN, re.ASCII)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)  # whole text, as format: date
_ENUMS: dict[tuple[int, str], tuple[CheckedPolicy, tuple[str, ...]]] = {}


def enum_members(policy: CheckedPolicy, name: str) -> tuple[str, ...]:
    """The members of enum ``name``, remembered per policy (facts files repeat them)."""
    hit = _ENUMS.get((id(policy), name))
    if hit is not None and hit[0] is policy:
        return hit[1]
    info = policy.enum(name)
    members = info.member_names if info else ()
    if len(_ENUMS) > 256:
        _ENUMS.clear()
    _ENUMS[id(policy), name] = (policy, members)
    return members


def bound_percent(typ: t.Type) -> int:
    """The highest percentage a rate of ``typ`` may be: its `rate up to N%`, else 100."""
    return 100 if typ.bound is None else typ.bound


# As the JSON Schema's: no white space around or inside (" 2026", "2026 年"), which the
# schema refused and this took
_YEAR_TEXT = re.compile(r"([0-9]{1,4})(?:年度?)?", re.ASCII)


def _year(v: Any) -> Decimal:
    """A calendar year (年度): 2026, "2026", "2026年" or "2026年度"; 1 to 9999 (E340)."""
    if isinstance(v, Numeral):  # written whole (2026), not 2026.0 or 2.026e3
        n = numeral(v, "a year") if v.isdigit() and v.isascii() else Decimal(-1)
    elif isinstance(v, int | Decimal) and not isinstance(v, bool):
        n = Decimal(v)
    elif isinstance(v, str) and (m := _YEAR_TEXT.fullmatch(v)):
        n = Decimal(m.group(1))
    else:
        n = Decimal(-1)
    # Decimal("2026.0") is refused as "2026.0" is: a year is whole, not a number equal to one
    if n.as_tuple().exponent != 0 or not 1 <= n <= 9999:
        raise ValueRefused(
            f"not a calendar year: {show(v)}",
            "E340",
            'write the year as a whole number from 1 to 9999: 2026, "2026年" or "2026年度"',
        )
    return Decimal(int(n))


NONE_WORD = "none"
"""How a file states a fact declared ``T or none`` absent."""


# The kinds read from digits: text refused for one of them names a digit that is not ASCII.
_DIGITS = frozenset({"money", "rate", "number", "date", "duration", "year"})


def convert_value(v: Any, typ: t.Type, policy: CheckedPolicy) -> Value:
    """``v`` as a runtime value of ``typ``; :class:`ValueRefused` (a ``ValueError``) with a
    message, and where useful an error code and a hint, if it is not one.  Numbers take
    ASCII digits: text refused that has another (full-width ``１００ 万元``) says which, where,
    and the text in ASCII as the hint.  Text of a number ending in a line break (``"100\n"``,
    what a YAML block scalar ``|`` gives) is refused as any other trailing character is,
    saying so where the text without it would be read."""
    try:
        return _convert(v, typ, policy)
    except ValueRefused as exc:
        if not isinstance(v, str) or typ.kind not in _DIGITS:
            raise
        found = non_ascii_digits(v)
        if found is not None:
            hint = found.hint if _reads(found.ascii, typ, policy) else exc.hint
            raise ValueRefused(f"{exc} ({found.what})", exc.code, hint) from None
        bare = v.rstrip("\r\n")
        if bare == v or not _reads(bare, typ, policy):
            raise
        raise ValueRefused(
            f"{exc} (it ends in a line break)",
            exc.code,
            line_break_hint(bare),
        ) from None


def _reads(v: str, typ: t.Type, policy: CheckedPolicy) -> bool:
    """Whether ``v`` (a refused text with its digits in ASCII) would be read: only then is it
    offered as the hint (``３０`` for a rate is ``30``, itself refused: write ``30%``)."""
    try:
        _convert(v, typ, policy)
    except ValueRefused:
        return False
    return True


def none_misspelt(v: Any, typ: t.Type) -> ValueRefused | None:
    """The refusal of ``v`` for a fact of ``typ`` that may be stated none, where ``v`` is
    none written another way (``None``, ``NONE``, ``无``): refused as any value not of the
    type is, its hint saying how none is written; ``None`` otherwise (a text fact's ``无``
    is text)."""
    if typ.kind == "text" or not isinstance(v, str) or v.strip().casefold() not in _NONES:
        return None
    plain = attrs.evolve(typ, nullable=False).describe()
    what = f"a member of {typ.name}" if typ.kind == "enum" else f"a value of {plain}"
    return ValueRefused(
        f"not {what}: {show(v)}",
        hint="to state it none, write none, in lower case; leave the fact out where it is "
        "not known",
    )


def _convert(v: Any, typ: t.Type, policy: CheckedPolicy) -> Value:
    k = typ.kind
    if isinstance(v, str) and v == NONE_WORD and k not in ("text", "set", "list"):
        if typ.nullable:
            return NONE
        if k != "enum" or NONE_WORD not in enum_members(policy, typ.name or ""):
            advice = (
                f"leave the fact out if it is not known; if the text rewards something a firm"
                f" may not have, declare the fact `{typ.describe()} or none`"
                if k in t.NONE_ABLE
                else "write false if it did not happen; leave the fact out if it is not known"
            )
            raise ValueRefused(
                f"`none` for a fact that cannot be none ({typ.describe()})", "E350", advice
            )
    if typ.nullable and (refused := none_misspelt(v, typ)) is not None:
        raise refused
    if isinstance(v, float):
        raise ValueRefused(
            "a binary float is not exact: write the number as text or a decimal",
            hint='pass Decimal("...") or a string',
        )
    if k == "bool":
        if not isinstance(v, bool):
            raise ValueRefused(
                f"true or false is expected, not {kind_of(v)}",
                hint="write true or false (unquoted); leave the fact out if it is not known",
            )
        return v
    if k == "date":
        return _date(v)
    if k in ("money", "exchange") and typ.unit is not None:
        try:
            return (read_foreign if k == "money" else read_exchange)(v, typ.unit)
        except CurrencyRefused as exc:
            raise ValueRefused(str(exc), exc.code, exc.hint) from None
    if k == "money":
        return read_money(v)
    if k == "rate":
        return _rate(v, typ)
    if k == "number":
        if isinstance(v, Numeral):
            number = numeral(v, "a number")
        elif (isinstance(v, int | Decimal) and not isinstance(v, bool)) or (
            isinstance(v, str) and _NUMBER_TEXT.fullmatch(v)
        ):
            number = Decimal(v)
        else:
            raise ValueRefused(
                f"a number is expected, not {kind_of(v)}", hint='write digits: 12 or "12.5"'
            )
        return _bounded(number, v)
    if k == "year":
        return _year(v)
    if k == "text":
        if not isinstance(v, str):
            raise ValueRefused(
                f"text is expected, not {kind_of(v)}",
                hint='quote it: "..." (a number or a date in quotes is text)',
            )
        return str(v)
    if k == "duration":
        return _duration(v, typ.unit or "日")
    if k == "enum":
        members = enum_members(policy, typ.name or "")
        if not isinstance(v, str) or v not in members:
            hint = member_hint(policy, typ.name or "", v) if isinstance(v, str) else None
            raise ValueRefused(
                f"not a member of {typ.name}: {show(v)}"
                + (f"; {hint}" if hint else f" (one of {', '.join(members)})"),
                hint=f"write one of: {', '.join(members)}"
                if hint
                else "write one of the members listed, spelled as listed",
            )
        return str(v)
    if k in ("set", "list"):
        if not isinstance(v, list):
            raise ValueRefused(
                f"a list is expected, not {kind_of(v)}",
                hint="write the items in brackets, [a, b], or [] for none",
            )
        elem = typ.element or t.ANY
        items = []
        for i, x in enumerate(v):
            try:
                items.append(convert_value(x, elem, policy))
            except ValueRefused as exc:
                raise ValueRefused(f"[{i}]: {exc}", exc.code, exc.hint) from None
        return frozenset(items) if k == "set" else tuple(items)
    if k == "table":
        return _table(v, typ, policy)
    raise ValueRefused(f"cannot read a {typ.describe()}")  # pragma: no cover


def _table(v: Any, typ: t.Type, policy: CheckedPolicy) -> tuple[TierRow, ...]:
    """A tier table given by the caller (分级分档 left to implementing rules): a mapping of
    keys (thresholds or members) to values, as rows in ascending order of their keys."""
    if not isinstance(v, dict) or not v:
        raise ValueRefused(
            "a table is a mapping of keys to values, not "
            + ("an empty mapping" if isinstance(v, dict) else kind_of(v)),
            "E345",
            'e.g. `{"1 亿元": "100 万元", "5 亿元": "200 万元"}`',
        )
    rows = []
    for key, value in v.items():
        try:
            k = convert_value(key, typ.key or t.ANY, policy)
            v = convert_value(value, typ.element or t.ANY, policy)
            rows.append(TierRow(k, v, str(key), rate=(typ.element or t.ANY).kind == "rate"))
        except ValueRefused as exc:
            raise ValueRefused(f"[{show(key)}]: {exc}", "E345", exc.hint) from None
    if typ.key is not None and typ.key.kind != "enum":
        rows.sort(key=lambda r: r.key)
        for a, b in itertools.pairwise(rows):
            if a.key == b.key:
                raise ValueRefused(
                    f"{excerpt(a.text)} and {excerpt(b.text)} are one threshold", "E345"
                )
    return tuple(rows)


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, str) and (m := _DATE_RE.fullmatch(v)):
        try:
            return dt.date.fromisoformat(m.group(0))
        except ValueError:  # well formed, yet no such day (2026-02-30, 2026-13-01)
            raise ValueRefused(
                f"not a date: {show(v)} (no such day)",
                "E313",
                "write a day of the calendar as YYYY-MM-DD (year from 0001, month 01-12, a day the "
                "month has)",
            ) from None
    hint = date_hint(v)
    raise ValueRefused(f"not a date: {show(v)}", "E313" if isinstance(v, str) else None, hint)


def _rate(v: Any, typ: t.Type) -> Decimal:
    bound = bound_percent(typ)
    if isinstance(v, str) and not isinstance(v, Numeral):
        if v.lstrip().startswith("-"):
            raise ValueRefused(f"a rate cannot be negative: {show(v)}", "E311")
        if m := rate_regex(bound).fullmatch(v):
            return parse_rate(m.group(0))
        if rate_regex(10**40).fullmatch(v):
            raise ValueRefused(
                f"a rate above {bound}%: {show(v)}",
                "E312",
                f"declare the parameter or fact `rate up to N%` if the text allows more than"
                f" {bound}%",
            )
    if isinstance(v, str | int | Decimal) and not isinstance(v, bool):
        try:
            number = Decimal(str(v).strip())
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and number >= 0:
            shown = str(number).rstrip("0").rstrip(".") if "." in str(number) else str(number)
            hint = f"write {excerpt(shown + '%')}"
            if number <= 1 and number != 0:
                hint += (
                    f" (or {excerpt(format_rate(number))} if {excerpt(shown)} is a fraction of 1)"
                )
            raise ValueRefused(f"a rate is written with %: {show(v)}", "E311", hint)
        if number is not None and number.is_finite() and number < 0:
            raise ValueRefused(f"a rate cannot be negative: {show(v)}", "E311")
    raise ValueRefused(f"not a rate: {show(v)}", "E311", 'write e.g. "30%"')


def _duration(v: Any, unit: str) -> Duration:
    if isinstance(v, Numeral) or (isinstance(v, int | Decimal) and not isinstance(v, bool)):
        number = numeral(v, "a duration") if isinstance(v, Numeral) else Decimal(v)
        if number < 0:
            raise ValueRefused(f"a duration cannot be negative: {show(v)}")
        return Duration(_bounded(number, v), unit)
    if isinstance(v, str):
        text = v.strip()
        for u in sorted(t.DURATION_UNITS, key=len, reverse=True):
            if u != unit and _duration_regex(u).fullmatch(text):
                raise ValueRefused(f"{show(v)} is in {u}, but {unit} is expected")
        if m := _duration_regex(unit).fullmatch(v):
            return Duration(Decimal(m.group(1)), unit)
        if text.startswith("-"):
            raise ValueRefused(f"a duration cannot be negative: {show(v)}")
    raise ValueRefused(f"not a duration in {unit}: {show(v)}", hint=f'write e.g. "30 {unit}"')


@functools.lru_cache(maxsize=16)
def _duration_regex(unit: str) -> re.Pattern[str]:
    """A duration in ``unit`` written as text, its number captured (``30 工作日``)."""
    return re.compile(rf"({DURATION_NUMBER}) ?{unit}")


def _bounded(number: Decimal, raw: object) -> Decimal:
    """``number`` if it is finite and has at most 40 digits before the point."""
    if not number.is_finite():
        raise ValueRefused(f"not a finite number: {show(raw)}")
    if number and number.adjusted() >= _MAX_DIGITS:
        raise ValueRefused(f"a number of more than {_MAX_DIGITS} digits: {show(raw)}")
    return number
