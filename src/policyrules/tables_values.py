"""One column of a registry table read as its fact is declared: DuckDB SQL, never a row in Python.

For a declared type and the column's type in the file, :func:`column_sql` gives two SQL
expressions over the column: its canonical value (the batch contract's engine types) and a
*problem*, ``NULL`` for an acceptable value or a short reason (``'money'``, ``'subfen'``...)
that :func:`problem_message` turns into a message and a hint.  A column whose type cannot
hold the fact at all (an id stored as an integer, money as a binary float) is refused as a
whole: :class:`ColumnRefused`.

The rules follow the facts reader (:mod:`policyrules.convert`), value for value, where the
table format can say the same thing:

=========  ==================================================================================
id, text   text (``VARCHAR``) only: a number column has lost how the id was written
           (``0701``); an id is not empty or only white space, holds no control character,
           has no white space at either end, and has at most 256 characters
money      text with an optional unit (``"200万元"``, ``"12,345.67 元"``, ``"1.5亿元"``), or an
           integer or ``DECIMAL`` column in 元; whole fen, never negative, at most
           9.2×10^16 元 (BIGINT fen).  ``DOUBLE``/``FLOAT`` columns are refused
rate       text with ``%`` only (``"30%"``), at most 100 % unless declared ``rate up to N%``,
           at most 8 decimals of a percent; a bare ``30`` or a numeric column is refused
number     a plain decimal as text, an integer or a ``DECIMAL`` column; at most 28 digits
           before the point and 10 after (``DECIMAL(38,10)``); ``DOUBLE`` refused
date       ``DATE``, or text ``YYYY-MM-DD`` that is a real day
bool       ``BOOLEAN``, or text ``true``/``false`` (also ``True``, ``TRUE``...)
duration   a whole number of the declared unit: integer column, or text ``30`` / ``30 工作日``
enum       text naming a member
set, list  a list column, or (CSV) a JSON array in the cell: ``["a", "b"]``
=========  ==================================================================================

Digits are ASCII, as in facts files: a refused text with another digit (full-width
``"１２３"``) is said with that digit and where it is, and the value in ASCII as the hint
where the column's own rule would read that (:func:`ascii_note`).
"""

from __future__ import annotations

import functools
import re

import attrs
import duckdb

from . import types as t
from .convert import MONEY_PATTERN, NUMBER_PATTERN, enum_members, rate_pattern
from .errors import did_you_mean
from .model import CheckedPolicy, EntityInfo
from .runtime.money import non_ascii_digits
from .types import none_column

__all__ = [
    "ColumnRefused",
    "ColumnSql",
    "ascii_note",
    "column_sql",
    "ident",
    "literal",
    "none_columns",
    "problem_message",
]

BIGINT_MAX = 2**63 - 1
_SIGNED = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_INTEGERS = frozenset((*_SIGNED, *(f"U{name}" for name in _SIGNED)))
_FLOATS = frozenset(("FLOAT", "DOUBLE", "REAL"))
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


class ColumnRefused(ValueError):
    """A column whose type in the file cannot hold its fact: a message and a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@attrs.frozen
class ColumnSql:
    """SQL over one column: ``value`` its canonical value, ``problem`` NULL or a reason."""

    value: str
    problem: str


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _case(*branches: tuple[str, str]) -> str:
    """``CASE WHEN cond THEN 'reason' ... END``: the first reason that holds, else NULL."""
    if not branches:
        return "CAST(NULL AS VARCHAR)"
    whens = " ".join(f"WHEN {cond} THEN {literal(reason)}" for cond, reason in branches)
    return f"(CASE {whens} END)"


def _kind(src: str) -> str:
    if src == "VARCHAR":
        return "text"
    if src in _INTEGERS:
        return "integer"
    if _DECIMAL.fullmatch(src):
        return "decimal"
    if src in _FLOATS:
        return "float"
    if src.endswith("[]"):
        return "list"
    return src.lower()


def _refuse_type(what: str, src: str, hint: str) -> ColumnRefused:
    return ColumnRefused(f"{what}, but the column is {src}", hint)


def column_sql(typ: t.Type, src: str, c: str, policy: CheckedPolicy) -> ColumnSql:
    """The value and problem of column ``c`` (SQL text) of DuckDB type ``src`` read as
    ``typ``; an empty cell (NULL) is a missing fact, never a problem.

    :raises ColumnRefused: the column's type cannot hold a ``typ``."""
    sql = _column_sql(typ, src, c, policy)
    return ColumnSql(sql.value, f"(CASE WHEN {c} IS NOT NULL THEN {sql.problem} END)")


def _column_sql(typ: t.Type, src: str, c: str, policy: CheckedPolicy) -> ColumnSql:
    kind, k = typ.kind, _kind(src)
    if src == '"NULL"' or src == "NULL":  # a column with nothing in it (JSON nulls)
        return ColumnSql("NULL", "CAST(NULL AS VARCHAR)")
    if kind in ("set", "list"):
        return _sequence(typ, src, c, policy)
    if kind in ("text", "enum") or kind == "id":
        if k != "text":
            raise _refuse_type(
                f"{'an id' if kind == 'id' else 'a ' + typ.describe()} is text",
                src,
                "store the column as text (a string), so a value reads exactly as written "
                "(0701 keeps its 0)",
            )
        if kind == "enum":
            members = ", ".join(literal(m) for m in enum_members(policy, typ.name or ""))
            return ColumnSql(c, _case((f"{c} NOT IN ({members})", "enum")))
        return ColumnSql(c, "CAST(NULL AS VARCHAR)")
    if kind == "money":
        sql = _money(src, k, c)
        if typ.unit and k == "text":  # money(C): a plain number of its unit, never 元/万/亿
            problem = (
                f"(CASE WHEN regexp_matches({c}, '[元万亿]') THEN 'foreign' ELSE {sql.problem} END)"
            )
            return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN {sql.value} END)", problem)
        return sql
    if kind == "rate":
        if k != "text":
            raise _refuse_type(
                "a rate is written with % (30% is 0.3 of the base)",
                src,
                "store the rate as text such as '30%'; a bare 30 or 0.3 is ambiguous",
            )
        bound = 100 if typ.bound is None else typ.bound
        number = f"rtrim({c}, '%')"
        valid = f"regexp_full_match({c}, {literal(rate_pattern(bound))})"
        value = (
            f"CAST(CAST({number} AS DECIMAL(38,8)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(38,10))"
        )
        problem = _case(
            (f"starts_with(ltrim({c}), '-')", "rateneg"),
            (f"regexp_full_match({c}, '[0-9]+(\\.[0-9]+)?')", "ratepercent"),
            (f"regexp_full_match({c}, '[0-9]+\\.[0-9]{{9,}}%')", "ratedigits"),
            (
                f"regexp_full_match({c}, '[0-9]{{1,30}}(\\.[0-9]+)?%') AND NOT {valid}",
                f"ratebound{bound}",
            ),
            (f"NOT {valid}", "rate"),
        )
        return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN {value} END)", problem)
    if kind == "number":
        return _number(src, k, c)
    if kind == "year":
        return _year(src, k, c)
    if kind == "date":
        if k == "date":
            return ColumnSql(c, _case((f"{c} < DATE '0001-01-01'", "date")))
        if k != "text":
            raise _refuse_type(
                "a date is a DATE or text YYYY-MM-DD",
                src,
                "store the day as a DATE or as text 2026-05-01",
            )
        problem = _case(
            (f"NOT regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')", "dateformat"),
            (f"TRY_CAST({c} AS DATE) IS NULL OR {c} < '0001'", "date"),
        )
        return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({c} AS DATE) END)", problem)
    if kind == "bool":
        if k == "boolean":
            return ColumnSql(c, "CAST(NULL AS VARCHAR)")
        if k != "text":
            raise _refuse_type(
                "true or false is expected",
                src,
                "store the column as BOOLEAN, or as text true/false",
            )
        problem = _case((f"{c} NOT IN ('true', 'True', 'TRUE', 'false', 'False', 'FALSE')", "bool"))
        return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN lower({c}) = 'true' END)", problem)
    if kind == "duration":
        return _duration(typ.unit or "日", src, k, c)
    raise ColumnRefused(f"a {typ.describe()} cannot be read from a table", "leave the column out")


def _money(src: str, k: str, c: str) -> ColumnSql:
    if k == "integer":
        fen = f"(CAST({c} AS HUGEINT) * 100)"
        problem = _case((f"{c} < 0", "negative"), (f"{fen} > {BIGINT_MAX}", "toolarge"))
        return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({fen} AS BIGINT) END)", problem)
    if k == "decimal":
        m = _DECIMAL.fullmatch(src)
        assert m is not None
        scale = int(m.group(2))
        wide = f"CAST({c} AS DECIMAL(38,{scale}))"
        problem = _case(
            (f"{c} < 0", "negative"),
            (f"{wide} > 92233720368547758.07", "toolarge"),
            (f"({wide} * 100) % 1 <> 0", "subfen"),
        )
        return ColumnSql(
            f"(CASE WHEN {problem} IS NULL THEN CAST({wide} * 100 AS BIGINT) END)", problem
        )
    if k == "float":
        raise _refuse_type(
            "money is exact",
            src,
            "a binary float cannot hold every amount in 元 exactly: store money as text with "
            "a unit ('200万元'), as DECIMAL(18,2) or as a whole number of 元",
        )
    if k != "text":
        raise _refuse_type(
            "an amount of money is expected",
            src,
            "store money as text such as '200万元', or as DECIMAL in 元",
        )
    unit = f"regexp_extract({c}, '(元|万元?|亿元?)$')"
    number = f"replace(rtrim(regexp_replace({c}, '(元|万元?|亿元?)$', '')), ',', '')"
    yi, wan = f"starts_with({unit}, '亿')", f"starts_with({unit}, '万')"
    per = f"(CASE WHEN {yi} THEN 10000000000 WHEN {wan} THEN 1000000 ELSE 100 END)"
    digits = f"(CASE WHEN {yi} THEN 10 WHEN {wan} THEN 6 ELSE 2 END)"
    whole = f"split_part({number}, '.', 1)"
    frac = f"left(rpad(split_part({number}, '.', 2), {digits}, '0'), {digits})"
    fen = f"(CAST({whole} AS HUGEINT) * {per} + CAST({frac} AS HUGEINT))"
    problem = _case(
        (f"starts_with(ltrim({c}), '-')", "negative"),
        (
            f"NOT regexp_full_match({c}, {literal(MONEY_PATTERN)}) AND "
            f"regexp_full_match({c}, '[0-9][0-9,]*\\.[0-9]+ ?(元|万元?|亿元?)?')",
            "subfen",
        ),
        (f"NOT regexp_full_match({c}, {literal(MONEY_PATTERN)})", "money"),
        (f"length({whole}) > 20 OR {fen} > {BIGINT_MAX}", "toolarge"),
    )
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({fen} AS BIGINT) END)", problem)


def _year(src: str, k: str, c: str) -> ColumnSql:
    """A calendar year (年度): an integer column, or text of digits, from 1 to 9999."""
    if k == "integer":
        problem = _case((f"{c} < 1 OR {c} > 9999", "year"))
    elif k == "text":
        problem = _case(
            (f"NOT regexp_full_match({c}, '[0-9]{{1,4}}')", "year"),
            (f"CAST({c} AS INTEGER) < 1", "year"),
        )
    else:
        raise _refuse_type(
            "a year is a whole number", src, "store the year as an integer or as text 2026"
        )
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({c} AS INTEGER) END)", problem)


def _number(src: str, k: str, c: str) -> ColumnSql:
    value = f"CAST({c} AS DECIMAL(38,10))"
    if k == "integer":
        problem = _case((f"abs(CAST({c} AS HUGEINT)) >= 10::HUGEINT ** 28", "numdigits"))
    elif k == "decimal":
        m = _DECIMAL.fullmatch(src)
        assert m is not None
        width, scale = int(m.group(1)), int(m.group(2))
        conds = []
        if width - scale > 28:
            conds.append((f"abs({c}) >= CAST('1e28' AS DECIMAL(38,0))", "numdigits"))
        if scale > 10:
            conds.append((f"{c} <> CAST({c} AS DECIMAL(38,10))", "numdigits"))
        problem = _case(*conds)
    elif k == "float":
        raise _refuse_type(
            "a number is exact",
            src,
            "a binary float is not exact: store the column as DECIMAL, as an integer, or as "
            "text such as '12.5'",
        )
    elif k == "text":
        problem = _case(
            (f"NOT regexp_full_match({c}, {literal(NUMBER_PATTERN)})", "number"),
            (f"NOT regexp_full_match({c}, '-?[0-9]{{1,28}}(\\.[0-9]{{1,10}})?')", "numdigits"),
        )
    else:
        raise _refuse_type(
            "a number is expected", src, "store the column as DECIMAL or text such as '12.5'"
        )
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN {value} END)", problem)


def _duration(unit: str, src: str, k: str, c: str) -> ColumnSql:
    if k == "integer":
        problem = _case((f"{c} < 0", "durneg"), (f"{c} > 1000000000", "toolarge"))
        return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({c} AS BIGINT) END)", problem)
    if k != "text":
        raise _refuse_type(
            f"a duration is a whole number of {unit}",
            src,
            f"store it as an integer, or as text such as '30 {unit}'",
        )
    number = f"regexp_extract({c}, '^([0-9]+)( ?{unit})?$', 1)"
    problem = _case(
        (f"starts_with(ltrim({c}), '-')", "durneg"),
        (f"NOT regexp_full_match({c}, '(0|[1-9][0-9]{{0,8}})( ?{unit})?')", f"duration{unit}"),
    )
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN CAST({number} AS BIGINT) END)", problem)


def _sequence(typ: t.Type, src: str, c: str, policy: CheckedPolicy) -> ColumnSql:
    element = typ.element or t.TEXT
    if src.endswith("[]"):
        items, item_src = c, src[:-2]
        shape: list[tuple[str, str]] = []
    elif src == "VARCHAR":
        array = f"(CASE WHEN json_valid({c}) THEN json_type({c}) = 'ARRAY' ELSE false END)"
        json = f"CASE WHEN {array} THEN {c} END"
        items = f"from_json({json}, '[\"VARCHAR\"]')"
        item_src = "VARCHAR"
        # A number with a fraction or an exponent in the array is parsed as a binary float
        # (2024.9999999999999999 becomes "2025.0"): refused, as at the top of a JSON Line.
        floats = f"coalesce(list_contains(json_type({json}, '$[*]'), 'DOUBLE'), false)"
        shape = [(f"NOT {array}", "list"), (floats, "listfloat")]
    else:
        raise _refuse_type(
            f"a {typ.describe()} is a list",
            src,
            'store a list column, or (CSV) a JSON array such as ["a", "b"]',
        )
    inner = column_sql(element, item_src, "x", policy)
    # The first refused item's reason and the item, joined by chr(31), for the message.
    item = (
        f"coalesce({inner.problem} || chr(31) || CAST(x AS VARCHAR), "
        "CASE WHEN x IS NULL THEN 'listnull' END)"
    )
    first = f"list_filter(list_transform({items}, lambda x: {item}), lambda p: p IS NOT NULL)[1]"
    problem = f"coalesce({_case(*shape)}, {first})"
    value = f"list_transform({items}, lambda x: {inner.value})"
    if typ.kind == "set":
        value = f"list_sort(list_distinct({value}))"
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN {value} END)", problem)


# ---- messages ----------------------------------------------------------------------------


def none_columns(ent: EntityInfo) -> dict[str, str]:
    """The companion columns of ``ent``'s facts declared ``T or none`` (column → fact): a
    registry may give each, BOOLEAN, TRUE where the fact is stated none."""
    return {none_column(f.name): f.name for f in ent.facts if f.type.nullable}


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
        hint = did_you_mean(value, members) or f"one of {', '.join(members)}"
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
        return (
            "E627",
            f"not an amount of money: {shown}",
            'write e.g. "200万元", "12,345.67 元" or "1.5亿元" (whole fen)',
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
            "write the year as a whole number from 1 to 9999, e.g. 2026",
        )
    if reason == "dateformat":
        return "E629", f"not a date: {shown}", "write the day as YYYY-MM-DD, e.g. 2026-05-01"
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
