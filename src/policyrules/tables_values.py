"""One column of a registry table read as its fact is declared: DuckDB SQL, never a row in Python.

For a declared type and the column's type in the file, :func:`column_sql` gives two SQL
expressions over the column: its canonical value (the batch contract's engine types) and a
*problem*, ``NULL`` for an acceptable value or a short reason (``'money'``, ``'subfen'``...)
that :func:`~policyrules.tables_messages.problem_message` turns into a message and a hint.
A column whose type cannot hold the fact at all (an id stored as an integer, money as a
binary float) is refused as a whole: :class:`ColumnRefused`.

The rules follow the facts reader (:mod:`policyrules.convert`), value for value, where the
table format can say the same thing:

=========  ==================================================================================
id, text   text (``VARCHAR``) only: a number column has lost how the id was written
           (``0701``); an id is not empty or only white space, holds no control character
           and no invisible one (category Cf: U+200B ZERO WIDTH SPACE...), has no white
           space at either end, and has at most 256 characters
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
"""

from __future__ import annotations

import re

import attrs

from . import types as t
from .convert import MONEY_PATTERN, NUMBER_PATTERN, enum_members, rate_pattern
from .model import CheckedPolicy, EntityInfo
from .types import none_column

__all__ = [
    "ColumnRefused",
    "ColumnSql",
    "column_sql",
    "ident",
    "literal",
    "none_columns",
    "year_text",
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


def year_text(c: str) -> tuple[str, str]:
    """A year written as text in the text column ``c``, read as a facts file reads it
    (:func:`policyrules.convert.convert_value`): ``2026``, ``2026年`` or ``2026年度``, 1 to
    9999.  (whether ``c`` is one, its value as INTEGER where it is), in DuckDB's SQL."""
    ok = (
        f"(regexp_full_match({c}, '[0-9]{{1,4}}(年|年度)?') "
        f"AND NOT regexp_full_match({c}, '0+(年|年度)?'))"
    )
    return ok, f"CAST(replace(replace({c}, '度', ''), '年', '') AS INTEGER)"


def _year(src: str, k: str, c: str) -> ColumnSql:
    """A calendar year (年度): an integer column from 1 to 9999, or text as :func:`year_text`."""
    if k == "integer":
        problem = _case((f"{c} < 1 OR {c} > 9999", "year"))
        value = f"CAST({c} AS INTEGER)"
    elif k == "text":
        ok, value = year_text(c)
        problem = _case((f"NOT {ok}", "year"))
    else:
        raise _refuse_type(
            "a year is a whole number", src, "store the year as an integer or as text 2026"
        )
    return ColumnSql(f"(CASE WHEN {problem} IS NULL THEN {value} END)", problem)


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


def none_columns(ent: EntityInfo) -> dict[str, str]:
    """The companion columns of ``ent``'s facts declared ``T or none`` (column → fact): a
    registry may give each, BOOLEAN, TRUE where the fact is stated none."""
    return {none_column(f.name): f.name for f in ent.facts if f.type.nullable}
