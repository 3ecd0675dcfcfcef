"""Reading a registry: one table per entity into DuckDB, checked as strictly as facts files.

A registry is a directory holding one table per entity, named by the entity's key
(``firms.parquet``, ``products.csv``, ``projects.jsonl``...), and optionally ``ledger``;
or a DuckDB database file holding tables of those names.  ``read_registry`` reads them
into a DuckDB connection as the batch contract's input tables: ``id`` and ``<owner>_id``
columns as text, one column per fact in its engine type (``policyrules.tables_values``),
a fact with no column as NULL, an entity with no table as an empty table.  Reading is done
by DuckDB (``read_parquet``, ``read_csv``, ``read_json``): no Python object per row.

Every fault is reported with the table's file, the row (counted from 1, the header not
counted), the column, what is wrong and a hint; up to three rows per column, all columns:

* E620 the registry cannot be read (not a directory or DuckDB file; a malformed file);
* E621 an unknown table, or one table given twice;
* E622 an unknown column, or a missing ``id`` / ``<owner>_id`` column;
* E623 a column whose type cannot hold its fact (an id stored as an integer, money as DOUBLE);
* E624 an id missing, empty, holding a control character, a line break (U+2028...), an
  invisible character (U+200B ZERO WIDTH SPACE...), a full-width Latin letter, digit or mark
  (``０７０１``, ``P－1``) or a digit of another script (``٠٧٠١``), with white space at its
  start or end, or of more than 256 characters;
* E625 the same id twice (under the same owner);
* E626 an owner id that no row of the owner's table has;
* E627 a value refused (money, number, bool, enum, duration, list); E628 a rate (written
  without ``%``, above its bound); E629 a date not ``YYYY-MM-DD`` or not a real day;
* E630 a ``single`` entity's table with more than one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
import duckdb

from . import types as t
from .convert_patterns import INVISIBLE_RANGES, LINE_BREAK_RANGES, MAX_ID_LENGTH, SPACE_TEXT
from .errors import Diagnostic, TableError, did_you_mean, excerpt
from .model import CheckedPolicy, EntityInfo
from .runtime.ids import (
    LOOKALIKE_RANGES,
    break_fault,
    class_body,
    invisible_fault,
    lookalike_fault,
)
from .tables_find import FORMATS, Source, find_tables, looks_like_duckdb, table_error
from .tables_messages import problem_message
from .tables_source import PER_COLUMN, READ_HINT, SourceTable, error_line
from .tables_values import (
    ColumnRefused,
    column_sql,
    ident,
    literal,
    none_columns,
)

__all__ = [
    "FORMATS",  # from tables_find, for batch and batch_spark
    "ID_MESSAGES",
    "Registry",
    "Source",  # from tables_find, for tables_ledger
    "canonical_type",
    "id_message",
    "id_problem",
    "looks_like_duckdb",  # from tables_find, for cli_diff
    "read_registry",
    "separated_hint",
]

_BLANK = f"[{SPACE_TEXT}]*"
_EDGE = f"^[{SPACE_TEXT}]|[{SPACE_TEXT}]$"  # white space at an id's start or end
# An invisible character (category Cf), in RE2's (and Java's) \x{...}, astral ones too.
_INVISIBLE = "[" + class_body(INVISIBLE_RANGES, "\\x{{{:X}}}") + "]"
_BREAK = "[" + class_body(LINE_BREAK_RANGES, "\\x{{{:X}}}") + "]"  # U+2028, U+2029
# A full-width letter, digit or mark (０-９ Ａ-Ｚ ａ-ｚ －．／＿), another script's digit, a
# number character that is no digit (① ² 〇 Ⅻ), a Greek, Cyrillic, Coptic, Armenian, Cherokee or
# Lisu letter or a
# styled letter (𝐏 ℙ Ⓟ: runtime.ids.LOOKALIKE), astral ones too: one search, the message
# telling which.
_LOOKALIKE = "[" + class_body(LOOKALIKE_RANGES, "\\x{{{:X}}}") + "]"
_MOST = 30  # diagnostics shown in all
_quoted = '"{}"'.format  # a value as a message quotes it (in an excerpt if long)


@attrs.frozen
class Registry:
    """What :func:`read_registry` made: the input tables (name → rows)."""

    rows: dict[str, int]


def canonical_type(typ: t.Type) -> str:
    """The engine type of a fact of ``typ`` (the batch contract)."""
    if typ.kind in ("set", "list"):
        return canonical_type(typ.element or t.TEXT) + "[]"
    return {
        "money": "BIGINT",
        "rate": "DECIMAL(38,10)",
        "number": "DECIMAL(38,10)",
        "year": "INTEGER",
        "date": "DATE",
        "bool": "BOOLEAN",
        "duration": "BIGINT",
    }.get(typ.kind, "VARCHAR")


def _owners(policy: CheckedPolicy, ent: EntityInfo) -> list[str]:
    """The owners of ``ent`` from the outermost (the firm) in: their ``<name>_id`` columns."""
    return [e.name for e in reversed(policy.chain(ent.name)[1:])]


def separated_hint(name: str, known: Iterable[str]) -> str | None:
    """The hint for a header read as one column that names known columns apart by another
    separator (``id;name``: a CSV saved with semicolons, as Excel does in some locales), or
    ``None``.  A CSV table is read with commas, never a separator guessed."""
    for sep, said in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
        parts = name.split(sep)
        if len(parts) > 1 and sum(part.strip() in known for part in parts) >= 2:
            return (
                f"the header is one column: its names are apart by {said}; a registry's CSV "
                "is separated by commas (in Excel: save as CSV UTF-8, comma delimited)"
            )
    return None


def _column_names(
    ent: EntityInfo, owners: list[str], facts: Iterable[str], columns: Iterable[str]
) -> list[tuple[str | None, str, str]]:
    """The E622 faults of ``ent``'s table seen from its column names alone, as (column or
    None, message, hint): a column that is no fact nor id, then each id column missing.
    One rule for the DuckDB reader and the Spark reader (:mod:`policyrules.tables_spark`)."""
    columns = list(columns)
    known = ["id", *(o + "_id" for o in owners), *facts]
    out: list[tuple[str | None, str, str]] = [
        (
            name,
            f"unknown column of {ent.key}",
            separated_hint(name, known)
            or did_you_mean(name, known)
            or f"the columns of {ent.key}: {', '.join(known)}",
        )
        for name in columns
        if name not in known
    ]
    for name in [] if ent.single else ["id", *(o + "_id" for o in owners)]:
        if name not in columns:
            what = "its id" if name == "id" else f"the id of its {name[:-3]}"
            out.append(
                (
                    None,
                    f"no column {name!r}",
                    f"each row of {ent.key} names {what}: add the column {name}",
                )
            )
    return out


_MISSING = "'missing'"


def id_problem(c: str, *, missing: bool = True) -> str:
    """SQL naming the fault of the id ``c`` (``NULL``: none): ``missing`` (where an id is
    needed), ``long`` (more than :data:`~policyrules.convert_patterns.MAX_ID_LENGTH`
    characters), ``control``, ``blank``, ``edge`` (white space at its start or end),
    ``break`` (a line break, U+2028 or U+2029, within: at an end it is ``edge``),
    ``invisible`` (a character of category Cf, U+FEFF within: at an end it is ``edge``),
    ``lookalike`` (a full-width Latin letter, digit or mark, ``０７０１``, ``P－1``, a digit
    of another script, ``٠٧٠١``, a number character that is no digit, ``P①``, or a Greek,
    Cyrillic or Coptic letter, ``РЗ``, or a styled letter, ``𝐏1``), as :data:`ID_MESSAGES`
    says them."""
    return (
        f"(CASE WHEN {c} IS NULL THEN {_MISSING if missing else 'NULL'} "
        f"WHEN length({c}) > {MAX_ID_LENGTH} THEN 'long' "
        f"WHEN regexp_matches({c}, '[\\x{{00}}-\\x{{1f}}\\x{{7f}}-\\x{{9f}}]') THEN 'control' "
        f"WHEN regexp_full_match({c}, {literal(_BLANK)}) THEN 'blank' "
        f"WHEN regexp_matches({c}, {literal(_EDGE)}) THEN 'edge' "
        f"WHEN regexp_matches({c}, {literal(_BREAK)}) THEN 'break' "
        f"WHEN regexp_matches({c}, {literal(_INVISIBLE)}) THEN 'invisible' "
        f"WHEN regexp_matches({c}, {literal(_LOOKALIKE)}) THEN 'lookalike' END)"
    )


def _id_fault(con: duckdb.DuckDBPyConnection, raw: str, name: str, problem: str) -> bool:
    """Whether some value of the id column ``name`` has a problem (:func:`id_problem`),
    checked once per distinct value: the patterns run over far fewer values than rows."""
    got = con.execute(
        f"SELECT bool_or(({problem}) IS NOT NULL) FROM (SELECT DISTINCT {ident(name)} FROM {raw})"
    ).fetchall()[0]
    return bool(got and got[0])


ID_MESSAGES = {
    "missing": ("no id", "give every row its id, as in its own system"),
    "long": (
        f"an id has at most {MAX_ID_LENGTH} characters",
        "give every row the id it has in its own system",
    ),
    "control": ("an id holds a control character", "ids are printable text"),
    "blank": ("an id is empty or only white space", "give every row its id"),
    "edge": (
        "an id has white space at its start or end",
        "write it without: ids compare exactly, and `P1 ` beside `P1` would be two items, "
        "each paid",
    ),
    # The messages name the character and its place (runtime.ids.break_fault,
    # invisible_fault, lookalike_fault).
    "break": ("an id holds a line break", "remove it: an id is printed on one line"),
    "invisible": (
        "an id holds an invisible character",
        "remove it: it does not show (it came in with the id, copied from a web page or a "
        "word processor)",
    ),
    "lookalike": (
        "an id holds a character read as an ASCII one it is not (a full-width form, a digit "
        "of another script, ①, ², 〇, a Greek, Cyrillic or Cherokee letter, a styled letter 𝐏)",
        "write it in ASCII: ids compare exactly, and `０７０１`, `٠٧٠١` or `P①` beside `0701` or "
        "`P1` would be two items, each paid",
    ),
}


def _excerpt(value: str) -> str:
    return excerpt(value, _quoted)


_NAMED = {"break": break_fault, "invisible": invisible_fault, "lookalike": lookalike_fault}


def id_message(
    reason: str, value: str, show: Callable[[str], str] | None = None
) -> tuple[str, str]:
    """The message and hint of the registry id ``value`` with the fault ``reason``
    (:func:`id_problem`), the id quoted by ``show`` (a ledger's: ``errors.quoted``) or, by
    default, as an excerpt in double quotes (a 100,001-character id is cut; none if empty).
    A line break, an invisible character or a character read as an ASCII one it is not is
    named by its code point, name and place."""
    if reason in _NAMED:
        fault = _NAMED[reason](value, show or _excerpt)
        if fault is not None:
            return fault
    message, hint = ID_MESSAGES[reason]
    if show is not None:
        return f"{message}: {show(value)}", hint
    return message + (f": {_excerpt(value)}" if value else ""), hint


def _read_entity(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, ent: EntityInfo, src: Source | None
) -> list[Diagnostic]:
    owners = _owners(policy, ent)
    facts = {f.name: f for f in ent.facts if f.name != "id"}
    target = ident(ent.key)
    if src is None:
        cols = [
            "CAST(NULL AS VARCHAR) AS id",
            *(f"CAST(NULL AS VARCHAR) AS {ident(o + '_id')}" for o in owners),
        ]
        cols += [f"CAST(NULL AS {canonical_type(f.type)}) AS {ident(n)}" for n, f in facts.items()]
        cols += [f"CAST(NULL AS BOOLEAN) AS {ident(c)}" for c in none_columns(ent)]
        con.execute(
            f"CREATE OR REPLACE TABLE {target} AS SELECT {', '.join(cols)} WHERE false"
        ).fetchall()
        return []
    table = SourceTable(con, src)
    flags = none_columns(ent)
    for column, message, hint in _column_names(ent, owners, [*facts, *flags], table.columns):
        table.add("E622", None, column, message, hint)
    if table.diags:
        return table.diags
    selects: list[str] = []
    problems: list[tuple[str, str, t.Type | None]] = []  # (column, problem SQL, type)
    for name in ["id", *(o + "_id" for o in owners)]:
        if name not in table.columns:  # a single entity's id: its name
            selects.append(f"{literal(ent.name)} AS id")
            continue
        src_type = table.columns[name]
        if src_type != "VARCHAR":
            table.add(
                "E623",
                None,
                name,
                f"an id is text, but the column is {src_type}",
                "store ids as text (strings), exactly as written: a number column has lost "
                "leading zeros (0701)",
            )
            continue
        selects.append(f"{ident(name)} AS {ident(name)}")
        problems.append((name, id_problem(ident(name)), None))
    for name, fact in facts.items():
        if name not in table.columns:
            selects.append(f"CAST(NULL AS {canonical_type(fact.type)}) AS {ident(name)}")
            continue
        try:
            sql = column_sql(fact.type, table.columns[name], ident(name), policy)
        except ColumnRefused as exc:
            table.add("E623", None, name, f"declared {fact.type.describe()}; {exc}", exc.hint)
            continue
        selects.append(f"CAST({sql.value} AS {canonical_type(fact.type)}) AS {ident(name)}")
        problems.append((name, sql.problem, fact.type))
    for column, fact_name in flags.items():  # read as a bool fact; E351 beside a value
        if column not in table.columns:
            selects.append(f"CAST(NULL AS BOOLEAN) AS {ident(column)}")
            continue
        try:
            sql = column_sql(t.BOOL, table.columns[column], ident(column), policy)
        except ColumnRefused as exc:
            table.add("E623", None, column, f"a none flag (bool): {exc}", exc.hint)
            continue
        selects.append(f"CAST({sql.value} AS BOOLEAN) AS {ident(column)}")
        problems.append((column, sql.problem, t.BOOL))
        if fact_name in table.columns:
            both = f"({sql.value}) IS TRUE AND {ident(fact_name)} IS NOT NULL"
            problems.append((column, f"(CASE WHEN {both} THEN 'both' END)", t.BOOL))
    if table.diags:
        return table.diags
    # An owner's id column (firm_id) repeats each owner's id on every row it owns: checked
    # once per distinct value, counted row by row only when one is faulty.
    problems = [
        p
        for p in problems
        if p[2] is not None or p[0] == "id" or _id_fault(con, table.raw, p[0], p[1])
    ]
    if problems:
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE ({p}) IS NOT NULL)" for _, p, _ in problems)
            + f" FROM {table.raw}"
        ).fetchall()[0]
        assert counts is not None
        for (name, problem, typ), count in zip(problems, counts, strict=True):
            if not count:
                continue
            shown = f"coalesce(CAST({ident(name)} AS VARCHAR), '') || chr(31) || {problem}"
            for row, value, reason in table.rows_where(f"({problem}) IS NOT NULL", shown):
                reason, _, item = reason.partition("\x1f")
                if typ is None:
                    table.add("E624", row, name, *id_message(reason, value))
                else:
                    code, message, hint = problem_message(reason, value, typ, policy, item)
                    table.add(code, row, name, message, hint)
            if count > PER_COLUMN:
                table.add(
                    table.diags[-1].code,
                    None,
                    name,
                    f"... and {count - PER_COLUMN} more rows",
                    None,
                )
        if table.diags:
            return table.diags
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {target} AS SELECT {', '.join(selects)} FROM {table.raw}"
        ).fetchall()
    except duckdb.Error as exc:
        message = f"{src.shown}: cannot read the table: {error_line(exc)}"
        raise table_error("E620", message, READ_HINT) from None
    keys = [ident(o + "_id") for o in owners]
    return _check_ids(con, table, ent, keys)


def _check_ids(
    con: duckdb.DuckDBPyConnection, table: SourceTable, ent: EntityInfo, keys: list[str]
) -> list[Diagnostic]:
    target = ident(ent.key)
    if ent.single:
        n = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0]
        if n and n[0] > 1:
            table.add(
                "E630",
                None,
                None,
                f"{n[0]} rows; {ent.name} is one record",
                f"keep one row in {ent.key}",
            )
        return table.diags
    group = ", ".join([*keys, "id"])
    twice = con.execute(
        f"SELECT {group} FROM {target} GROUP BY {group} HAVING count(*) > 1 LIMIT {PER_COLUMN}"
    ).fetchall()
    for dup in twice:
        cond = " AND ".join(
            f"{c} = {literal(str(v))}" for c, v in zip([*keys, "id"], dup, strict=True)
        )
        rows = [r for r, _, _ in table.rows_where(cond, "id", 5)]
        owner = f" under {keys[-1].strip(chr(34))[:-3]} {dup[-2]!s}" if keys else ""
        table.add(
            "E625",
            rows[1] if len(rows) > 1 else None,
            "id",
            f"the id {dup[-1]!s} is used twice{owner} (rows {', '.join(map(str, rows))})",
            "each row of a table is one item: give each its own id, or remove the copy",
        )
    return table.diags


def _check_owners(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, ent: EntityInfo, src: Source
) -> list[Diagnostic]:
    owners = _owners(policy, ent)
    if not owners:
        return []
    parent = policy.entity(ent.parent or "")
    assert parent is not None
    table = SourceTable(con, src)
    mine = [ident(o + "_id") for o in owners]
    theirs = [ident(o + "_id") for o in owners[:-1]] + ["id"]
    on = " AND ".join(f"c.{a} = p.{b}" for a, b in zip(mine, theirs, strict=True))
    lost = con.execute(
        f"SELECT DISTINCT {', '.join('c.' + m for m in mine)} FROM {ident(ent.key)} c "
        f"ANTI JOIN {ident(parent.key)} p ON {on} LIMIT {PER_COLUMN}"
    ).fetchall()
    for key in lost:
        cond = " AND ".join(f"{c} = {literal(str(v))}" for c, v in zip(mine, key, strict=True))
        rows = [r for r, _, _ in table.rows_where(cond, "id", 1)]
        table.add(
            "E626",
            rows[0] if rows else None,
            owners[-1] + "_id",
            f"no {parent.name} {key[-1]!s} in {parent.key}",
            did_you_mean(str(key[-1]), _sample_ids(con, parent.key))
            or f"add the {parent.name} to {parent.key}, or correct the id",
        )
    return table.diags


def _sample_ids(con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    return [str(r[0]) for r in con.execute(f"SELECT id FROM {ident(key)} LIMIT 10000").fetchall()]


def read_registry(
    policy: CheckedPolicy, path: str | Path, con: duckdb.DuckDBPyConnection
) -> tuple[Registry, list[Source]]:
    """Read the registry at ``path`` into ``con``: one table per entity key, checked.

    Returns the rows per table and the sources found (a ``ledger`` source is returned, not
    read: :func:`policyrules.tables_ledger.read_ledger_table` reads it).

    :raises TableError: every fault found (E620-E630), up to three rows per column.
    """
    sources = {s.name: s for s in find_tables(policy, path, con)}
    diags: list[Diagnostic] = []
    for ent in policy.entities:
        src = sources.get(ent.key)
        try:
            diags += _read_entity(policy, con, ent, src)
        except duckdb.Error as exc:  # a fault DuckDB finds only when it reads the rows
            where = src.shown if src else ent.key
            message = f"{where}: cannot read the table: {error_line(exc)}"
            raise table_error("E620", message, READ_HINT) from None
    if not diags:
        for ent in policy.entities:
            src = sources.get(ent.key)
            if src is not None:
                diags += _check_owners(policy, con, ent, src)
    if diags:
        _raise(diags)
    rows = {
        e.key: int(con.execute(f"SELECT count(*) FROM {ident(e.key)}").fetchall()[0][0])
        for e in policy.entities
    }
    return Registry(rows), list(sources.values())


def _raise(diags: Sequence[Diagnostic]) -> None:
    shown = list(diags[:_MOST])
    if len(diags) > _MOST:
        shown.append(Diagnostic(diags[_MOST].code, f"... and {len(diags) - _MOST} more faults"))
    raise TableError(shown)
