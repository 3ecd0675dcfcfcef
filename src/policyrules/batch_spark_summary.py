"""What the batch's summary says on Spark besides the counts, found as on DuckDB.

:func:`amount_totals`: the totals of the written decisions by kind of amount, as DuckDB
finds them (:mod:`~policyrules.batch_totals`); :func:`after_today`: without ``as_of``, how
many of the registry's date facts lie after the machine's date
(:class:`~policyrules.facts_dated.AfterToday`); :func:`top_ups`: the grants topping up an
earlier grant of their identity (:class:`~policyrules.batch_top_ups.TopUps`).  Each runs
DuckDB's query on Spark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .backends.sql import spark as on_spark
from .backends.sql.dated import later_dates
from .batch_top_ups import TopUps, top_ups_of, top_ups_sql
from .batch_totals import AmountTotals, totals_of, totals_queries
from .facts_dated import AfterToday, after_in_rows
from .model import CheckedPolicy

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["after_today", "amount_totals", "top_ups"]

_IDENTITY = ("provision", "amount_fen", "year")


def after_today(
    spark: SparkSession, policy: CheckedPolicy, tables: Mapping[str, DataFrame], today: dt.date
) -> AfterToday:
    """How many of the date facts in the entity ``tables`` lie after ``today``: the query
    DuckDB runs (:func:`~policyrules.backends.sql.dated.later_dates`).

    :raises SparkBatchError: E644/E645 as :func:`~policyrules.backends.sql.spark.collect`."""
    query = later_dates(policy, today, 1)
    if query is None:
        return AfterToday(today, 0)
    for e in policy.entities:
        tables[e.key].createOrReplaceTempView(e.key)
    rows = on_spark.collect(spark.sql(on_spark.spark_sql(query)), "the dates after today")
    return after_in_rows(policy, rows, today)


def top_ups(spark: SparkSession, grants: DataFrame, ledger: DataFrame) -> TopUps:
    """The run's ``grants`` topping up a grant of ``ledger`` (the earlier grants the plan
    read): :func:`~policyrules.batch_top_ups.top_ups_sql`, the query DuckDB runs.

    :raises SparkBatchError: E644/E645 as :func:`~policyrules.backends.sql.spark.collect`."""
    path = [c for c in grants.columns if c not in _IDENTITY]
    grants.createOrReplaceTempView("_top_up_grants")
    ledger.createOrReplaceTempView("_top_up_ledger")
    query = top_ups_sql(path, _backticks, "_top_up_grants", "_top_up_ledger")
    return top_ups_of(path, on_spark.collect(spark.sql(query), "finding the top-ups"))


def _backticks(name: str) -> str:
    """``name`` as a Spark SQL identifier."""
    return "`" + name.replace("`", "``") + "`"


def amount_totals(
    spark: SparkSession, decisions: DataFrame, undated: frozenset[str] = frozenset()
) -> AmountTotals:
    """The exact, up-to and unknown totals of ``decisions`` and the unset parameters that
    leave amounts open: :func:`~policyrules.batch_totals.totals_queries`' two queries, as
    DuckDB runs them (the caller maps Spark's errors); ``undated`` the awards shown as
    forecasts."""
    _listed(decisions).createOrReplaceTempView("_summary_decisions")
    amounts, unset = totals_queries("_summary_decisions", "spark")
    return totals_of(spark.sql(amounts).collect(), spark.sql(unset).collect(), undated)


def _listed(decisions: DataFrame) -> DataFrame:
    """``decisions`` with ``missing_parameters`` a list: read back from CSV it is the
    JSON array the file holds."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    if isinstance(decisions.schema["missing_parameters"].dataType, StringType):
        listed = F.from_json(F.col("missing_parameters"), "array<string>")
        return decisions.withColumn("missing_parameters", listed)
    return decisions
