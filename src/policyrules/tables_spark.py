"""A registry of Parquet tables read on Spark, checked by the same rules as on DuckDB.

:func:`read_registry` reads one Parquet table per entity (``firms.parquet``,
``products.parquet`` with ``firm_id``...) and the optional ``ledger.parquet`` from a local
directory or any URL Spark reads (``hdfs://``, ``s3a://``), and gives Spark the batch
contract's input tables.  Each column is read as :mod:`policyrules.tables` reads it on
DuckDB: the SQL of :func:`policyrules.tables_values.column_sql` (money as text with its unit
or DECIMAL 元, rates as ``"30%"``, dates, lists...) is written in Spark SQL by sqlglot
(:func:`~policyrules.tables_spark_sql.spark_expr`), so a value is taken or refused alike on
both engines, with the same codes and messages (E620-E630; the ledger's amount and year
E323-E325).  A fault is located by the table, the row's id (Spark has no row order to count)
and the column; in the ledger, which has no id, by its row in the file (Parquet's row index,
from 1, as DuckDB counts it; in a directory of part files, counted on across the parts in
the order of their names).  The ledger's grants are then checked against the policy and the
registry by :mod:`policyrules.tables_spark_ledger` (E320-E329, as on DuckDB).  Only Parquet
is read: CSV, JSON Lines and DuckDB files are DuckDB's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from . import types as t
from .backends.sql.spark import read_parquet
from .backends.sql.spark_tables import ledger_columns, spark_type
from .errors import Diagnostic, LedgerError, did_you_mean, quoted
from .model import CheckedPolicy, EntityInfo
from .tables import (
    _column_names,
    _owners,
    _raise,
    id_message,
    id_problem,
    separated_hint,
)
from .tables_ledger import (
    AMOUNT_ONCE,
    fen_column,
    fen_refused,
    fen_sql,
    year_refused,
)
from .tables_messages import problem_message
from .tables_source import PER_COLUMN
from .tables_spark_sql import (  # (also importable from here, as before)
    duckdb_type,
    spark_expr,
    spark_rewrite,
)
from .tables_values import ColumnRefused, column_sql, literal, none_columns, year_text

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkRegistry", "duckdb_type", "read_registry", "spark_expr", "spark_rewrite"]


@attrs.frozen
class SparkRegistry:
    """What :func:`read_registry` made: the input tables as DataFrames, in the contract's
    columns and types (``tables``; ``ledger`` also with ``_row``, its row), the rows of each
    entity table (``rows``) and where the ledger is shown from (``ledger``: its file or
    directory; ``None`` without one)."""

    tables: Mapping[str, DataFrame]
    rows: Mapping[str, int]
    ledger: str | None = None


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _duck(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Table:
    """One table being read: its columns' DuckDB type names and the faults found."""

    def __init__(self, shown: str, frame: DataFrame) -> None:
        self.shown = shown
        self.frame = frame
        self.columns = {f.name: duckdb_type(f.dataType) for f in frame.schema.fields}
        self.diags: list[Diagnostic] = []
        self.rows = self.distinct = 0

    def add(
        self, code: str, where: str | None, column: str | None, message: str, hint: str | None
    ) -> None:
        place = ", ".join(x for x in (where or "", f"column {column}" if column else "") if x)
        text = f"{self.shown}: {place + ': ' if place else ''}{message}"
        self.diags.append(Diagnostic(code, text, hint=hint))

    def problems(
        self,
        checks: list[tuple[str, str]],
        located_by: str | None,
        keys: list[str] | None = None,
        row: str | None = None,
    ) -> list[tuple[str, int, list[tuple[str, str, str]]]]:
        """For each ``(column, problem Spark SQL)`` with faults: the column, their count and
        up to three ``(where, value shown, reason)``, located by the column ``located_by``
        (``id X``) or by ``row``, Spark SQL of the row's number (``row N``, the first
        three).  One Spark job counts them all, the rows (``self.rows``) and the distinct
        ``keys`` (``self.distinct``: fewer than the rows when an id is used twice)."""
        distinct = f"count(DISTINCT {', '.join(map(_q, keys))})" if keys else "count(*)"
        counts = self.frame.selectExpr(
            "count(*)", distinct, *(f"count_if(({p}) IS NOT NULL)" for _, p in checks)
        )
        got = counts.collect()[0]
        self.rows, self.distinct = int(got[0]), int(got[1])
        out = []
        for (column, problem), count in zip(checks, got[2:], strict=True):
            if not count:
                continue
            shown = f"coalesce(CAST({_q(column)} AS STRING), '') || chr(31) || {problem}"
            where = f"CAST({_q(located_by)} AS STRING)" if located_by else "NULL"
            faulty = self.frame.where(f"({problem}) IS NOT NULL")
            if row is not None:
                faulty = faulty.selectExpr(f"{row} AS w", f"{shown} AS s").orderBy("w")
            else:
                faulty = faulty.selectExpr(f"{where} AS w", f"{shown} AS s")
            found = []
            for w, s in faulty.limit(PER_COLUMN).collect():
                value, _, reason = str(s).partition("\x1f")
                label = "" if w is None else f"row {w}" if row is not None else f"id {w}"
                found.append((label, value, reason))
            out.append((column, int(count), found))
        return out


def _read_entity(
    policy: CheckedPolicy, ent: EntityInfo, frame: DataFrame, shown: str
) -> tuple[DataFrame | None, int, list[Diagnostic]]:
    owners = _owners(policy, ent)
    facts = {f.name: f for f in ent.facts if f.name != "id"}
    table = _Table(shown, frame)
    flags = none_columns(ent)
    for column, message, hint in _column_names(ent, owners, [*facts, *flags], table.columns):
        table.add("E622", None, column, message, hint)
    if table.diags:
        return None, 0, table.diags
    selects: list[str] = []
    checks: list[tuple[str, str]] = []
    types: dict[str, t.Type | None] = {}
    for name in ["id", *(o + "_id" for o in owners)]:
        if name not in table.columns:  # a single entity's id: its name
            selects.append(f"{spark_expr(literal(ent.name))} AS id")
            continue
        if table.columns[name] != "VARCHAR":
            table.add(
                "E623",
                None,
                name,
                f"an id is text, but the column is {table.columns[name]}",
                "store ids as text (strings), exactly as written: a number column has lost "
                "leading zeros (0701)",
            )
            continue
        selects.append(f"{_q(name)} AS {_q(name)}")
        checks.append((name, spark_expr(id_problem(_duck(name)))))
        types[name] = None
    for name, fact in facts.items():
        ty = spark_type(fact.type)
        if name not in table.columns:
            selects.append(f"CAST(NULL AS {ty}) AS {_q(name)}")
            continue
        try:
            src = table.columns[name]
            if fact.type.kind in ("set", "list") and not src.endswith("[]"):
                raise ColumnRefused(
                    f"a list is a list column on Spark, but the column is {src}",
                    "write the column as a Parquet list; text holding JSON arrays (CSV) is "
                    "read by the DuckDB engine",
                )
            sql = column_sql(fact.type, src, _duck(name), policy)
        except ColumnRefused as exc:
            table.add("E623", None, name, f"declared {fact.type.describe()}; {exc}", exc.hint)
            continue
        selects.append(f"CAST({spark_expr(sql.value)} AS {ty}) AS {_q(name)}")
        checks.append((name, spark_expr(sql.problem)))
        types[name] = fact.type
    for column, fact_name in flags.items():  # as the DuckDB reader (tables._read_entity)
        if column not in table.columns:
            selects.append(f"CAST(NULL AS BOOLEAN) AS {_q(column)}")
            continue
        if table.columns[column] != "BOOLEAN":
            table.add("E623", None, column, "a none flag is a BOOLEAN column", None)
            continue
        selects.append(f"{_q(column)} AS {_q(column)}")
        if fact_name in table.columns:
            both = f"{_q(column)} IS TRUE AND {_q(fact_name)} IS NOT NULL"
            checks.append((column, f"(CASE WHEN {both} THEN 'both' END)"))
            types[column] = t.BOOL
    if table.diags:
        return None, 0, table.diags
    located_by = "id" if "id" in table.columns else None
    keys = None if ent.single else [*(o + "_id" for o in owners), "id"]
    for name, count, found in table.problems(checks, located_by, keys):
        typ = types[name]
        for where, value, reason in found:
            reason, _, item = reason.partition("\x1f")
            if typ is None:
                table.add("E624", where, name, *id_message(reason, value))
            else:
                code, message, hint = problem_message(reason, value, typ, policy, item)
                table.add(code, where, name, message, hint)
        if count > PER_COLUMN:
            last = table.diags[-1].code
            table.add(last, None, name, f"... and {count - PER_COLUMN} more rows", None)
    if table.diags:
        return None, 0, table.diags
    conformed = frame.selectExpr(*selects)
    return conformed, table.rows, _check_ids(table, ent, conformed, [o + "_id" for o in owners])


def _check_ids(
    table: _Table, ent: EntityInfo, frame: DataFrame, keys: list[str]
) -> list[Diagnostic]:
    if ent.single:
        n = table.rows
        if n > 1:
            message, hint = f"{n} rows; {ent.name} is one record", f"keep one row in {ent.key}"
            table.add("E630", None, None, message, hint)
        return table.diags
    if table.distinct == table.rows:  # counted with the problems: no id used twice
        return table.diags
    group = [*keys, "id"]
    twice = frame.groupBy(*group).count().where("count > 1").limit(PER_COLUMN).collect()
    for dup in twice:
        owner = f" under {keys[-1][:-3]} {dup[-3]!s}" if keys else ""
        table.add(
            "E625",
            None,
            "id",
            f"the id {dup[-2]!s} is used twice{owner} ({dup[-1]} rows)",
            "each row of a table is one item: give each its own id, or remove the copy",
        )
    return table.diags


def _check_owners(
    policy: CheckedPolicy, ent: EntityInfo, tables: Mapping[str, DataFrame], shown: str
) -> list[Diagnostic]:
    owners = _owners(policy, ent)
    parent = policy.entity(ent.parent or "")
    if not owners or parent is None:
        return []
    mine = [o + "_id" for o in owners]
    theirs = [o + "_id" for o in owners[:-1]] + ["id"]
    child = tables[ent.key].select(*mine)
    renamed = (f"{_q(b)} AS {_q(a)}" for a, b in zip(mine, theirs, strict=True))
    up = tables[parent.key].selectExpr(*renamed)
    lost = child.join(up, on=mine, how="left_anti").limit(PER_COLUMN).collect()
    diags: list[Diagnostic] = []
    if not lost:
        return diags
    sample = [str(r[0]) for r in tables[parent.key].select("id").limit(10000).collect()]
    for key in dict.fromkeys(tuple(k) for k in lost):
        diags.append(
            Diagnostic(
                "E626",
                f"{shown}: column {owners[-1]}_id: no {parent.name} {key[-1]!s} in {parent.key}",
                hint=did_you_mean(str(key[-1]), sample)
                or f"add the {parent.name} to {parent.key}, or correct the id",
            )
        )
    return diags


def _ledger_rows(frame: DataFrame, base: str) -> tuple[str, str]:
    """Where the ledger ``frame`` read under ``base`` is shown from (its file, or its
    directory of part files), and Spark SQL of each row's number, from 1: the row in the
    file (as DuckDB numbers a file's rows), in a directory counted on across the part files
    in the order of their names (one job counts the rows of each)."""
    files = frame.inputFiles()
    name = files[0].rstrip("/").rsplit("/", 1)[-1] if len(files) == 1 else ""
    if name in ("ledger.parquet", "ledger"):
        return f"{base}/{name}", "_metadata.row_index + 1"
    folder = files[0].rstrip("/").rsplit("/", 2)[-2] if files else "ledger"
    counts = sorted(
        (str(f), int(n))
        for f, n in frame.selectExpr("_metadata.file_path AS f").groupBy("f").count().collect()
    )
    before, whens = 0, []
    for path, n in counts:
        whens.append(f"WHEN {spark_expr(literal(path))} THEN {before}")
        before += n
    if not whens:
        return f"{base}/{folder}", "_metadata.row_index + 1"
    row = f"_metadata.row_index + 1 + CASE _metadata.file_path {' '.join(whens)} END"
    return f"{base}/{folder}", row


def _read_ledger(policy: CheckedPolicy, frame: DataFrame, shown: str, row: str) -> DataFrame:
    """The registry's ledger in the contract's columns: ids as text, amount (money, as an
    entity's money column is read, or ``amount_fen``: whole fen, as the batch's grants are
    written) in BIGINT fen, year 1..9999 (as :func:`~.tables_ledger.read_ledger_table`),
    and ``_row``, each row's number (``row``, Spark SQL: :func:`_ledger_rows`).
    :raises LedgerError: E320, E323-E325, located by row."""
    table = _Table(shown, frame)
    names = [e.name for e in policy.entities]
    known = ["provision", *names, "amount", "amount_fen", "year"]
    for col in table.columns:
        if col not in known:
            hint = (
                separated_hint(col, known)
                or did_you_mean(col, known)
                or f"a ledger's columns: {', '.join(known)}"
            )
            table.add("E323", None, col, "unknown column of a ledger", hint)
    if "provision" not in table.columns:
        table.add("E320", None, None, "no column 'provision'", None)
    given = [c for c in ("amount", "amount_fen") if c in table.columns]
    if len(given) != 1:
        table.add("E324", None, None, *AMOUNT_ONCE[bool(given)])
    selects = []
    checks: list[tuple[str, str]] = []
    for col in ("provision", *names):
        if col not in table.columns:
            selects.append(f"CAST(NULL AS STRING) AS {_q(col)}")
        elif table.columns[col] != "VARCHAR":
            table.add(
                "E323",
                None,
                col,
                f"an id is text, but the column is {table.columns[col]}",
                "store ids as text (strings), exactly as written",
            )
        else:
            selects.append(_q(col))
            if col != "provision":  # an id as the registry's: `P1 ` would never match `P1`
                checks.append((col, spark_expr(id_problem(_duck(col), missing=False))))
    if given == ["amount_fen"]:
        fen = table.columns["amount_fen"]
        in_fen = fen_sql(_duck("amount_fen"), fen)
        if in_fen is None:
            table.add("E324", None, "amount_fen", *fen_column(fen))
        else:
            selects.append(f"{spark_expr(in_fen[0])} AS amount")
            checks.append(("amount_fen", spark_expr(in_fen[1])))
    elif "amount" in table.columns:
        try:
            sql = column_sql(t.MONEY, table.columns["amount"], '"amount"', policy)
            selects.append(f"CAST({spark_expr(sql.value)} AS BIGINT) AS amount")
            checks.append(("amount", spark_expr(sql.problem)))
        except ColumnRefused as exc:
            table.add("E324", None, "amount", str(exc), exc.hint)
    year = table.columns.get("year")
    if year is None:
        selects.append("CAST(NULL AS INT) AS year")
    elif year in ("VARCHAR", "TINYINT", "SMALLINT", "INTEGER", "BIGINT"):
        ok, value = "year BETWEEN 1 AND 9999", "year"
        if year == "VARCHAR":  # as DuckDB's reader (tables_ledger), written for Spark
            ok, value = map(spark_expr, year_text("year"))
        selects.append(f"CAST(CASE WHEN {ok} THEN {value} END AS INT) AS year")
        checks.append(("year", f"(CASE WHEN year IS NOT NULL AND NOT ({ok}) THEN 'year' END)"))
    else:
        table.add(
            "E325",
            None,
            "year",
            f"a year is a whole number, but the column is {year}",
            "store the year as an integer, or as text such as 2026",
        )
    if table.diags:
        raise LedgerError(table.diags)
    for col, _, found in table.problems(checks, None, row=row):
        for where, value, reason in found:
            if col == "amount_fen":
                table.add("E324", where, col, *fen_refused(value))
            elif col in names:  # an id (id_problem)
                table.add("E323", where, col, *id_message(reason, value, quoted))
            elif col == "year":
                table.add("E325", where, col, *year_refused(value))
            else:
                _, message, hint = problem_message(reason, value, t.MONEY, policy)
                table.add("E324", where, col, message, hint)
    if table.diags:
        raise LedgerError(table.diags)
    return frame.selectExpr(*selects, f"CAST({row} AS BIGINT) AS _row")


def read_registry(spark: SparkSession, policy: CheckedPolicy, directory: str) -> SparkRegistry:
    """The entity tables and ``ledger`` of the Parquet registry at ``directory``, checked.

    An entity with no table has no rows; no ledger, no earlier grants.  The tables are
    DataFrames over the files (each check is a Spark job; nothing is cached).

    :raises TableError: every fault found (E620-E630), up to three rows per column.
    :raises LedgerError: the ledger's columns or values (E320, E323-E325), by row; its
        grants against the policy are :mod:`policyrules.tables_spark_ledger`'s.
    :raises SparkBatchError: E642 a table that is not Parquet, E643 a DOUBLE/FLOAT column.
    """
    from .backends.sql.spark_tables import _present

    base = directory.rstrip("/")
    present = set(_present(spark, base, [e.key for e in policy.entities] + ["ledger"]))
    diags: list[Diagnostic] = []
    tables: dict[str, DataFrame] = {}
    rows: dict[str, int] = {}
    shown: dict[str, str] = {}
    for ent in policy.entities:
        if ent.key not in present:
            schema = ", ".join(f"{_q(c)} {ty}" for c, ty in _contract_columns(policy, ent))
            tables[ent.key] = spark.createDataFrame([], schema)
            rows[ent.key] = 0
            continue
        frame = read_parquet(spark, base, [ent.key])[ent.key]
        shown[ent.key] = f"{base}/{ent.key}"
        conformed, rows[ent.key], found = _read_entity(policy, ent, frame, shown[ent.key])
        diags += found
        if conformed is not None:
            tables[ent.key] = conformed
    if not diags:
        for ent in policy.entities:
            if ent.key in present:
                diags += _check_owners(policy, ent, tables, shown[ent.key])
    if diags:
        _raise(diags)
    ledger: str | None = None
    if "ledger" in present:
        frame = read_parquet(spark, base, ["ledger"])["ledger"]
        ledger, row = _ledger_rows(frame, base)
        tables["ledger"] = _read_ledger(policy, frame, ledger, row)
    else:
        schema = ", ".join(f"{_q(c)} {ty}" for c, ty in ledger_columns(policy))
        tables["ledger"] = spark.createDataFrame([], schema + ", _row BIGINT")
    return SparkRegistry(tables, rows, ledger)


def _contract_columns(policy: CheckedPolicy, ent: EntityInfo) -> list[tuple[str, str]]:
    cols = [("id", "STRING"), *((o + "_id", "STRING") for o in _owners(policy, ent))]
    cols += [(f.name, spark_type(f.type)) for f in ent.facts if f.name != "id"]
    return cols + [(c, "BOOLEAN") for c in none_columns(ent)]
