"""The batch's ledger checked on Spark as on DuckDB: the same SQL, written for Spark.

:mod:`policyrules.tables_ledger_check` holds the checks of the batch's earlier grants as
DuckDB SQL text; :class:`OnSpark` runs each statement on Spark, written in Spark SQL by
sqlglot (:func:`spark_query`).  So the registry's ``ledger`` table and ``--ledger`` are
refused on Spark exactly when DuckDB refuses them, with the same codes and messages:
:func:`check_own` checks the ledger table's grants one by one against the policy (E321
not an award of it, E322 a key missing, E323 an entity off the grant's path, E324, E325),
:func:`check_all` the ledger as a whole (E323 an id the registry holds written as another
number, ``701`` for ``0701``; E326 a payment listed twice; E328 a one-time award paid
twice; E329 a cap already exceeded) and gives the merged ``ledger`` table the plan reads,
each grant once.  The checks are joins and group-bys run by Spark; only the rows at fault
come to the driver (three per fault).  A grant's place is its row, as on DuckDB
(:func:`policyrules.tables_spark.read_registry` numbers the ledger's rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlglot
import sqlglot.expressions as exp

from .backends.python.compile import CompiledPolicy
from .backends.sql import spark as on_spark
from .runtime.values import Value
from .tables_ledger_check import check_grants, check_ledger
from .tables_spark_sql import spark_rewrite

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["OnSpark", "check_all", "check_own", "spark_query"]


def spark_query(duckdb_sql: str) -> str:
    """A statement of the ledger's checks (DuckDB's SQL) in Spark SQL of the same meaning.

    >>> spark_query("SELECT coalesce(list_position(chain, 'firm'), 0) FROM k")
    "SELECT COALESCE(ARRAY_POSITION(chain, 'firm'), 0) FROM k"
    """
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb").transform(_rewrite)
    return on_spark.spark_sql(tree, copy=False)


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "list_position":
        # 1-based, as DuckDB's; 0 (not NULL) when not found, which the checks coalesce to.
        return exp.Anonymous(
            this="ARRAY_POSITION", expressions=[e.copy() for e in node.expressions]
        )
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order | exp.Distinct):
        distinct, keys = node.this, []
        if isinstance(distinct, exp.Order):
            distinct, keys = distinct.this, distinct.expressions
        if isinstance(distinct, exp.Distinct):
            # list(DISTINCT x ORDER BY x): the distinct non-NULL values, ascending.
            (value,) = distinct.expressions
            if any(k.this != value or k.args.get("desc") for k in keys) or not keys:
                raise ValueError(f"an unordered distinct list: {node.sql('duckdb')}")
            listed = exp.Anonymous(this="COLLECT_SET", expressions=[value.copy()])
            return exp.Anonymous(this="ARRAY_SORT", expressions=[listed])
    return spark_rewrite(node)


@attrs.frozen
class OnSpark:
    """The ledger's checks on a Spark session: each table a temporary view (a table the
    checks read again is cached); ``frames`` keeps them by name."""

    spark: SparkSession
    frames: dict[str, DataFrame] = attrs.field(factory=dict)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return on_spark.collect(self.spark.sql(spark_query(sql)), "checking the ledger")

    def table(self, name: str, sql: str) -> None:
        text = spark_query(sql)
        with on_spark.spark_errors("checking the ledger", "E645", sql=text):
            frame = self.spark.sql(text).cache()
        self.view(name, frame)

    def load(self, name: str, columns: Sequence[tuple[str, str]], rows: list[list[Any]]) -> None:
        schema = ", ".join(
            f"`{c}` {exp.DataType.build(ty, dialect='duckdb').sql('spark')}" for c, ty in columns
        )
        self.view(name, self.spark.createDataFrame([tuple(r) for r in rows], schema))

    def view(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)
        self.frames[name] = frame


def check_own(spark: SparkSession, compiled: CompiledPolicy, own: DataFrame, shown: str) -> None:
    """Check each grant of the registry's ledger ``own`` (the contract's columns and
    ``_row``; ``shown`` names it) against the policy, as DuckDB checks its ledger table.
    :raises LedgerError: E321-E325 (:func:`~.tables_ledger_check.check_grants`)."""
    on = OnSpark(spark)
    on.view("_ledger_table", own)
    check_grants(compiled.checked, on, "_ledger_table", shown)


def check_all(
    spark: SparkSession,
    compiled: CompiledPolicy,
    tables: Mapping[str, DataFrame],
    parts: Sequence[tuple[str, DataFrame]],
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
) -> DataFrame:
    """The grants of ``parts`` ((what, frame) pairs: the registry's ledger, ``--ledger``;
    each frame with the contract's ledger columns and ``_row``) merged, each grant once: the
    plan's ``ledger`` table.  The entity ``tables`` are read for the ids written otherwise.
    :raises LedgerError: E323, E326, E328, E329 (:func:`~.tables_ledger_check.check_ledger`).
    """
    on = OnSpark(spark)
    for ent in compiled.checked.entities:
        on.view(ent.key, tables[ent.key])
    named = []
    for i, (what, frame) in enumerate(parts):
        on.view(f"_ledger_part{i}", frame)
        named.append((what, f"_ledger_part{i}"))
    try:
        check_ledger(compiled, on, named, parameters, assumptions)
    finally:
        if "_ledger_all" in on.frames:
            on.frames["_ledger_all"].unpersist()
    return on.frames["ledger"]
