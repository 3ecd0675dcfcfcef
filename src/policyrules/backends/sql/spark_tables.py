"""A registry's tables on Spark, in the batch contract's types, and the working-day calendar.

:func:`read_registry` reads one Parquet table per entity (``firms.parquet``,
``products.parquet`` with ``firm_id`` ...) and the optional ``ledger.parquet`` from a local
directory or any URL Spark reads (``hdfs://``, ``s3a://``), and gives each the contract's
columns and engine types (:func:`spark_type`): a fact with no column is NULL, an entity with
no table is an empty table, an absent ledger is empty.  :func:`calendar_days` builds the
``calendar_days`` table from the same :class:`~policyrules.runtime.calendar.WorkCalendar`
the one-by-one path counts with, for the years of the registry's dates.

Spark checks types, not rules: a value that does not convert to its type stops the run
(E644), a DOUBLE/FLOAT column is refused (E643), a column no fact names is refused (E647);
the row checks of :mod:`policyrules.tables` (ids, owners, rate bounds) are DuckDB's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...model import CheckedPolicy
from ...runtime.calendar import WorkCalendar
from ...types import Type, none_column
from .duckdb import calendar_rows
from .spark import _check_exact_types, _error, _pyspark, read_parquet
from .sqlbits import sql_type

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["calendar_days", "ledger_columns", "read_registry", "spark_type", "table_columns"]


def spark_type(ty: Type) -> str:
    """The Spark SQL type of a fact of type ``ty``: ``BIGINT`` fen, ``DECIMAL(38, 10)``,
    ``DATE``, ``BOOLEAN``, ``STRING``, ``ARRAY<...>``.

    >>> spark_type(Type("money")), spark_type(Type("rate"))
    ('BIGINT', 'DECIMAL(38, 10)')
    """
    return sql_type(ty).sql(dialect="spark")


def table_columns(policy: CheckedPolicy) -> dict[str, list[tuple[str, str]]]:
    """Each entity table's ``(column, Spark type)`` by the entity's key: ``id``, the owner's
    ``<owner>_id``, one column per fact, and ``<fact>__none`` for a fact that may be none."""
    out: dict[str, list[tuple[str, str]]] = {}
    for ent in policy.entities:
        cols = [("id", "STRING")]
        if ent.parent:
            cols.append((f"{ent.parent}_id", "STRING"))
        cols += [(f.name, spark_type(f.type)) for f in ent.facts]
        # a fact declared `T or none`: its companion column, TRUE where stated none
        cols += [(none_column(f.name), "BOOLEAN") for f in ent.facts if f.type.nullable]
        out[ent.key] = cols
    return out


def ledger_columns(policy: CheckedPolicy) -> list[tuple[str, str]]:
    """The ledger's columns: provision, one id column per entity (the grant's path), amount
    (BIGINT fen), year."""
    ids = [(e.name, "STRING") for e in policy.entities]
    return [("provision", "STRING"), *ids, ("amount", "BIGINT"), ("year", "INT")]


def read_registry(
    spark: SparkSession,
    policy: CheckedPolicy,
    directory: str,
    *,
    calendar: WorkCalendar | None = None,
    as_of: dt.date | None = None,
) -> dict[str, DataFrame]:
    """Every input table of the policy's plan: the entity tables, ``ledger`` and
    ``calendar_days`` (:func:`calendar_days`), as DataFrames in the contract's types.

    Raises :class:`~.spark.SparkBatchError`: E642 a table that is not Parquet, E643 a column
    of type DOUBLE/FLOAT, E647 a column no fact of the entity names."""
    _pyspark()
    wanted = dict(table_columns(policy))
    wanted["ledger"] = ledger_columns(policy)
    present = set(_present(spark, directory, list(wanted)))
    tables: dict[str, DataFrame] = {}
    for name, cols in wanted.items():
        if name in present:
            frame = read_parquet(spark, directory, [name])[name]
            tables[name] = _conform(name, frame, cols)
        else:
            schema = ", ".join(f"`{c}` {ty}" for c, ty in cols)
            tables[name] = spark.createDataFrame([], schema)
    tables["calendar_days"] = calendar_days(spark, policy, tables, calendar, as_of)
    return tables


def _present(spark: SparkSession, directory: str, names: list[str]) -> list[str]:
    """The names with a table in ``directory`` (asked of Spark's file system for URLs)."""
    jvm = spark.sparkContext._jvm  # the Hadoop file system, through the JVM
    assert jvm is not None
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    base = directory.rstrip("/")
    out = []
    for name in names:
        for path in (f"{base}/{name}.parquet", f"{base}/{name}"):
            p = jvm.org.apache.hadoop.fs.Path(path)
            if p.getFileSystem(conf).exists(p):
                out.append(name)
                break
    return out


def _conform(name: str, frame: DataFrame, cols: list[tuple[str, str]]) -> DataFrame:
    from pyspark.sql import functions as F

    _check_exact_types(name, frame)
    known = {c for c, _ in cols}
    extra = [c for c in frame.columns if c not in known]
    if extra:
        raise _error(
            "E647",
            f"input table {name!r}: column {extra[0]!r} is not a fact of this entity",
            hint=f"its columns: {', '.join(c for c, _ in cols)}",
        )
    have = set(frame.columns)
    return frame.select(
        *[(F.col(f"`{c}`") if c in have else F.lit(None)).cast(ty).alias(c) for c, ty in cols]
    )


def calendar_days(
    spark: SparkSession,
    policy: CheckedPolicy,
    tables: dict[str, DataFrame],
    calendar: WorkCalendar | None = None,
    as_of: dt.date | None = None,
) -> DataFrame:
    """``calendar_days`` (day DATE, workday BOOLEAN, assumed BOOLEAN) for the years of the
    tables' dates and of ``as_of``, one before and three after each (a deadline's reach),
    counted by ``calendar`` (the published schedule unless given) as the one-by-one path
    counts them.  One small Spark job finds the years."""
    from pyspark.sql import functions as F

    years: set[int] = {as_of.year} if as_of is not None else set()
    parts = [
        tables[e.key].select(F.year(F.col(f"`{f.name}`")).alias("y"))
        for e in policy.entities
        for f in e.facts
        if f.type.kind == "date"
    ]
    if parts:
        union = parts[0]
        for part in parts[1:]:
            union = union.union(part)
        years |= {int(r[0]) for r in union.distinct().collect() if r[0] is not None}
    wanted = sorted({y + d for y in years for d in range(-1, 4)})
    rows = calendar_rows(calendar or WorkCalendar(), wanted)
    return spark.createDataFrame(rows, "day DATE, workday BOOLEAN, assumed BOOLEAN")
