"""The message and hint of a registry table's value refused by its column's rule
(:mod:`policyrules.tables_values`), with the code of its kind: E627 a value, E628 a rate,
E629 a date, E351 a fact stated none that has a value.

Digits are ASCII, as in facts files: a refused text with another digit (full-width
``"１２３"``) is said with that digit and where it is, and the value in ASCII as the hint
where the column's own rule would read that (:func:`ascii_note`).
"""

from __future__ import annotations

import functools

import duckdb

from . import types as t
from .convert import enum_members
from .convert_why import date_hint, member_hint, why_not_money
from .model import CheckedPolicy
from .runtime.money import non_ascii_digits
from .tables_values import column_sql

__all__ = ["ascii_note", "problem_message"]


# The kinds a table reads from digits (as convert.py's): their text is checked for digits
# that are not ASCII.
_DIGITS = frozenset({"money", "rate", "number", "date", "duration", "year"})


@functools.cache
def _scratch() -> duckdb.DuckDBPyConnection:
    """An in-memory database for :func:`ascii_note`'s one-value queries (a cursor each)."""
    return duckdb.connect()


def ascii_note(value: str, problem: str, column: str, message: str, hint: str) -> tuple[str, str]:
    """``(message, hint)`` of the refused text ``value``; where it writes a number with a
    digit or sign that is not ASCII (full-width ``１２３``), the message names it and where
    it is, and the hint is the value in ASCII (``write ASCII digits: "123"``) if ``problem``,
    DuckDB SQL over the text column ``column``, finds no fault in that (a hint that would
    be refused again is not offered: ``３０`` for a rate is ``30``, which needs a ``%``)."""
    found = non_ascii_digits(value)
    if found is None:
        return message, hint
    cursor = _scratch().cursor()
    try:
        got = cursor.execute(
            f"SELECT {problem} FROM (SELECT CAST(? AS VARCHAR) AS {column})", [found.ascii]
        ).fetchall()
    finally:
        cursor.close()
    reads = got[0][0] is None
    return f"{message} ({found.what})", found.hint if reads else hint


def problem_message(
    reason: str, value: str, typ: t.Type, policy: CheckedPolicy, item: str = ""
) -> tuple[str, str, str]:
    """``(code, message, hint)`` for a value refused with ``reason`` (from :func:`column_sql`);
    ``item``: the refused item of a list.  A text with digits not in ASCII is said so
    (:func:`ascii_note`)."""
    code, message, hint = _problem_message(reason, value, typ, policy, item)
    if typ.kind in _DIGITS and reason != "both":
        problem = column_sql(typ, "VARCHAR", '"x"', policy).problem
        message, hint = ascii_note(value, problem, '"x"', message, hint)
    return code, message, hint


def _problem_message(
    reason: str, value: str, typ: t.Type, policy: CheckedPolicy, item: str
) -> tuple[str, str, str]:
    shown = f'"{value}"'
    if reason == "both":
        return (
            "E351",
            "a fact stated none (this flag TRUE) has a value too",
            "leave the fact's own cell empty where it is none, or set the flag FALSE",
        )
    if typ.kind in ("set", "list") and reason not in ("list", "listnull", "listfloat"):
        code, message, hint = problem_message(reason, item, typ.element or t.TEXT, policy)
        return code, f"{shown}: an item of the list: {message}", hint
    if reason == "list":
        return "E627", f"not a list: {shown}", 'write a JSON array in the cell: ["a", "b"]'
    if reason == "listfloat":
        return (
            "E627",
            f"{shown}: an item of the list is a number with a fraction or an exponent, which "
            "JSON readers take as a binary float",
            'write such an item as text in the array, exactly: ["12.5", "2025"]',
        )
    if reason == "listnull":
        return "E627", "a list holds an empty item (null)", "remove it; a list holds values only"
    if reason == "enum":
        members = enum_members(policy, typ.name or "")
        hint = member_hint(policy, typ.name or "", value) or f"one of {', '.join(members)}"
        return "E627", f"not a member of {typ.name}: {shown}", hint
    if reason == "negative":
        return "E627", f"money cannot be negative: {shown}", "a grant or a cost is 0 元 or more"
    if reason == "toolarge":
        return (
            "E627",
            f"too large: {shown}",
            "money is held as BIGINT fen: at most 92,233,720,368,547,758.07 元",
        )
    if reason == "subfen":
        return (
            "E627",
            f"not a whole number of fen: {shown}",
            "round the amount to 分 (0.01 元) as the record says",
        )
    if reason == "foreign":
        return (
            "E627",
            f"an amount in {typ.unit} is a plain number of its unit: {shown}",
            "write e.g. 12,345.67 (cents exact); 元, 万 or 亿 would read another currency",
        )
    if reason == "money":
        why = why_not_money(value)  # (a leading zero, a stray space: named, as in facts)
        return (
            "E627",
            f"not an amount of money: {shown}" + (f" ({why[0]})" if why else ""),
            why[1] if why else 'write e.g. "200万元", "12,345.67 元" or "1.5亿元" (whole fen)',
        )
    if reason == "rateneg":
        return "E628", f"a rate cannot be negative: {shown}", "a rate is 0% or more"
    if reason == "ratepercent":
        return (
            "E628",
            f"a rate is written with %: {shown}",
            f"write {value}% (or the fraction times 100 with %, e.g. 0.3 → 30%)",
        )
    if reason == "ratedigits":
        return (
            "E628",
            f"more than 8 decimals of a percent: {shown}",
            "a rate is held as DECIMAL(38,10), a fraction with 10 decimals",
        )
    if reason.startswith("ratebound"):
        bound = reason.removeprefix("ratebound")
        return (
            "E628",
            f"a rate above {bound}%: {shown}",
            f"declare the fact `rate up to N%` if the text allows more than {bound}%",
        )
    if reason == "rate":
        return "E628", f"not a rate: {shown}", 'write e.g. "30%"'
    if reason == "number":
        return "E627", f"not a number: {shown}", "write a plain decimal such as 12.5"
    if reason == "numdigits":
        return (
            "E627",
            f"a number beyond DECIMAL(38,10): {shown}",
            "at most 28 digits before the point and 10 after",
        )
    if reason == "year":
        return (
            "E627",
            f"not a calendar year: {shown}",
            'write the year as a whole number from 1 to 9999: 2026, "2026年" or "2026年度"',
        )
    if reason == "dateformat":
        hint = date_hint(value)
        return "E629", f"not a date: {shown}", hint
    if reason == "date":
        return "E629", f"not a day of the calendar: {shown}", "write a real day as YYYY-MM-DD"
    if reason == "bool":
        return "E627", f"true or false is expected, not {shown}", "write true or false"
    if reason == "durneg":
        return "E627", f"a duration cannot be negative: {shown}", "a duration is 0 or more"
    if reason.startswith("duration"):
        unit = reason.removeprefix("duration")
        return "E627", f"not a whole number of {unit}: {shown}", f'write e.g. "30 {unit}" or 30'
    return "E627", f"not a {typ.describe()}: {shown}", "see docs/cli.md for the table formats"
