"""Run a compiled batch (:class:`~.plan.SqlPlan`) on Spark: local mode or a cluster.

Each step's sqlglot expression is written in Spark SQL (:func:`spark_sql`) and registered as
a temporary view named as the step, in order, so later steps read it as a table; a step that
later steps read more than once is cached.  Inputs are Spark DataFrames (:func:`read_parquet`
reads a directory of Parquet tables, local or ``hdfs://`` / ``s3a://``); the outputs
``decisions`` and ``grants`` come back as DataFrames (:func:`write_parquet` writes them).

Money stays exact.  :data:`EXACT_CONF` is set on every session a plan runs on:

- ``spark.sql.ansi.enabled=true``: an overflow, a bad cast or a division by zero stops the
  run with an error (E644) instead of giving NULL, as DuckDB does;
- ``spark.sql.decimalOperations.allowPrecisionLoss=false``: Spark's default would round
  ``BIGINT fen × DECIMAL(38,10) rate`` to DECIMAL(38,6) *before* the plan's FLOOR, so a rate
  with more than six decimals could round a product such as ``99.9999996`` up to 100 fen; with
  it off the product keeps its ten decimals (DECIMAL(38,10), up to 28 integer digits);
- the session time zone is UTC and Parquet dates are read and written as the proleptic
  Gregorian dates DuckDB and pyarrow write.

Where Spark's functions mean something else than DuckDB's for the same sqlglot node, the
expression is rewritten before it is written (:func:`spark_sql`): ``ARRAY_AGG`` keeps NULL
elements and its ``ORDER BY`` (Spark's ``collect_list`` drops both).

Errors (:class:`SparkBatchError`, codes E640-E649): E640 pyspark missing, E641 Spark cannot
start (no Java 17+), E642 an input table missing, E643 an input column of a type the plan
cannot take exactly (DOUBLE/FLOAT), E644 a value error while running (overflow, bad cast),
E645 Spark refuses a step's SQL, E646 an output that cannot be written.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlglot.expressions as exp

from ...errors import Diagnostic, PolicyRulesError, first_line
from .plan import SqlPlan
from .spark_writer import write_spark
from .trees import unshare

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import DataType

__all__ = [
    "EXACT_CONF",
    "LOCAL_CONF",
    "SparkBatchError",
    "SparkOutputs",
    "collect",
    "exact",
    "read_parquet",
    "ready",
    "run_plan",
    "session",
    "spark_errors",
    "spark_sql",
    "write_parquet",
]

EXACT_CONF: Mapping[str, str] = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.storeAssignmentPolicy": "ANSI",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.datetimeRebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInWrite": "CORRECTED",
}
"""SQL settings every plan runs under (set per session by :func:`exact`)."""

LOCAL_CONF: Mapping[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.catalogImplementation": "in-memory",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
"""Start-up settings for a small local session (tests, a laptop): no UI, no Hive, 2 partitions."""

# pyspark logs every SQL error it raises; we raise a located error instead.
_QUIET_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger", "py4j")

SparkOutputs = dict[str, "DataFrame"]


class SparkBatchError(PolicyRulesError, ValueError):
    """A batch cannot run on Spark: pyspark or Java missing, an input table or column wrong,
    a value Spark cannot hold exactly, or an output that cannot be written (E640-E649)."""

    default_code = "E640"


def _error(code: str, message: str, hint: str | None = None) -> SparkBatchError:
    return SparkBatchError(Diagnostic(code, message, hint=hint))


def _pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        raise _error(
            "E640",
            "running a batch on Spark needs pyspark, which is not installed",
            hint="pip install 'policyrules[spark]' (pyspark 4, which needs Java 17 or newer)",
        ) from e
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def ready() -> None:
    """Raise E640 (with the hint to install the ``spark`` extra) unless pyspark imports."""
    _pyspark()


def session(
    master: str | None = "local[2]",
    *,
    remote: str | None = None,
    app_name: str = "policyrules",
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """A SparkSession with :data:`EXACT_CONF` set (and :data:`LOCAL_CONF` for a ``local``
    master), its log level ERROR.

    ``master``: ``"local[2]"``, ``"spark://host:7077"``, ``"yarn"``, or ``None`` to take it
    from ``spark-submit``; ``remote``: a Spark Connect URL (``"sc://host:15002"``) instead of
    a master; ``conf``: more settings, applied last.  An existing session of this process is
    reused (Spark allows one per JVM) with these settings applied.

    Raises :class:`SparkBatchError`: E640 without pyspark, E641 when Spark cannot start
    (usually no Java 17+: ``scripts/install-jdk.sh`` installs one).
    """
    _pyspark()
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if remote is not None:
        builder = builder.remote(remote)
    elif master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            for key, value in LOCAL_CONF.items():
                builder = builder.config(key, value)
    for key, value in {**EXACT_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except (PySparkException, OSError) as e:
        raise _error(
            "E641",
            f"Spark could not start: {first_line(e)}",
            hint="Spark 4 needs Java 17 or newer: scripts/install-jdk.sh finds or installs one "
            "and prints its home for JAVA_HOME",
        ) from e
    if remote is None:
        spark.sparkContext.setLogLevel("ERROR")
    exact(spark)
    return spark


def exact(spark: SparkSession) -> None:
    """Set :data:`EXACT_CONF` on ``spark`` (a session made elsewhere: spark-submit, a notebook).

    :func:`run_plan` calls it; a session whose settings cannot be changed raises E641."""
    _pyspark()
    from pyspark.errors import PySparkException

    try:
        for key, value in EXACT_CONF.items():
            spark.conf.set(key, value)
    except PySparkException as e:
        raise _error(
            "E641", f"cannot set the exactness settings on this Spark session: {first_line(e)}"
        ) from e


def spark_sql(query: exp.Expr, *, copy: bool = True) -> str:
    """One plan step as Spark SQL, rewritten where Spark's functions mean something else.

    ``copy``: rewrite and write a copy of ``query`` (the default); ``False`` rewrites
    ``query`` itself, for a tree written once, for Spark only (copying is a third of
    the writing): only its shared nodes are copied (:func:`.trees.unshare`).

    >>> import sqlglot
    >>> spark_sql(sqlglot.parse_one("SELECT FLOOR(cost * rate) AS x FROM t", read="duckdb"))
    'SELECT FLOOR(cost * rate) AS x FROM t'
    >>> spark_sql(sqlglot.parse_one("SELECT ARRAY_AGG(f) AS m FROM t", read="duckdb"))
    'SELECT TRANSFORM(COLLECT_LIST(STRUCT(f AS v)), e -> e.v) AS m FROM t'
    """
    # ``transform`` copies the step once (or only its shared nodes are); that tree is ours,
    # so it is written in place.
    tree = query.transform(_rewrite) if copy else unshare(query).transform(_rewrite, copy=False)
    return write_spark(tree)


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayAgg):
        return _array_agg(node)
    if isinstance(node, exp.ArraySum):
        return _array_sum(node)
    if isinstance(node, exp.ArrayContains):
        # DuckDB's list_contains skips NULL elements (false when not found); Spark's
        # array_contains gives NULL when the array holds a NULL and the value is not found.
        return node.__class__(this=_non_null(node.this), expression=node.expression.copy())
    if isinstance(node, exp.DateAdd) and not _is_int_cast(node.expression):
        # Spark's date_add / add_months take an INT count (the plan's periods are BIGINT);
        # a count beyond INT is an error under ANSI, as the date would be on DuckDB.
        node.set("expression", exp.cast(node.expression.copy(), "INT"))
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.INT128:
        # The whole numbers of a quotient (.quotients): HUGEINT on DuckDB, DECIMAL(38,0) here.
        return exp.DataType.build("DECIMAL(38,0)")
    if isinstance(node, exp.RegexpExtractAll) and node.args.get("group") is None:
        # Spark's regexp_extract_all takes group 1 unless told; DuckDB's takes the match.
        node.set("group", exp.Literal.number(0))
    return node


def _is_int_cast(e: exp.Expression) -> bool:
    return isinstance(e, exp.Cast) and e.to.this == exp.DataType.Type.INT


def _lambda(body: exp.Expression, *params: str) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p) for p in params])


def _non_null(array: exp.Expression) -> exp.Expression:
    keep = exp.Not(this=exp.Is(this=exp.column("e"), expression=exp.Null()))
    return exp.Anonymous(this="FILTER", expressions=[array.copy(), _lambda(keep, "e")])


def _array_sum(node: exp.ArraySum) -> exp.Expression:
    """DuckDB's ``list_sum`` adds the non-NULL elements exactly and is NULL when there are
    none; Spark has only ``aggregate``, whose start value fixes the sum's type.  Start from
    DECIMAL(38,10) zero (every element type the plan sums, INTEGER durations, BIGINT fen and
    DECIMAL(38,10) numbers, adds into it exactly), over the non-NULL elements."""
    values = _non_null(node.this)
    zero = exp.cast(exp.Literal.number(0), "DECIMAL(38, 10)")
    add = exp.Add(this=exp.column("acc"), expression=exp.column("x"))
    total = exp.Anonymous(this="AGGREGATE", expressions=[values, zero, _lambda(add, "acc", "x")])
    empty = exp.EQ(
        this=exp.Anonymous(this="SIZE", expressions=[values.copy()]),
        expression=exp.Literal.number(0),
    )
    return exp.Case(ifs=[exp.If(this=empty, true=exp.Null())], default=total)


def _array_agg(node: exp.ArrayAgg) -> exp.Expression:
    """DuckDB's ``ARRAY_AGG(x [ORDER BY k...])`` keeps NULL elements in the given order;
    Spark's ``collect_list`` drops NULLs and has no order.  Collect structs (never NULL
    themselves), sort them by the keys, keep the value field."""
    arg = node.this
    keys: list[exp.Ordered] = []
    if isinstance(arg, exp.Order):
        keys = [o if isinstance(o, exp.Ordered) else exp.Ordered(this=o) for o in arg.expressions]
        arg = arg.this
    if any(k.args.get("desc") for k in keys):
        raise _error(
            "E645",
            f"ARRAY_AGG ordered descending ({node.sql('duckdb')}) has no exact Spark form here",
            hint="order the aggregate ascending in the plan",
        )
    fields: list[exp.Expr] = []
    for i, key in enumerate(keys):
        # ASC NULLS LAST (DuckDB's default) sorts a key's NULL flag first, then the key.
        nulls_first = bool(key.args.get("nulls_first"))
        flag: exp.Expression = exp.Is(this=key.this.copy(), expression=exp.Null())
        if nulls_first:
            flag = exp.Not(this=flag)
        fields.append(exp.alias_(exp.paren(flag), f"n{i}"))
        fields.append(exp.alias_(key.this.copy(), f"k{i}"))
    fields.append(exp.alias_(arg.copy(), "v"))
    collected: exp.Expression = exp.Anonymous(
        this="COLLECT_LIST", expressions=[exp.Struct(expressions=fields)]
    )
    if keys:
        collected = exp.Anonymous(this="ARRAY_SORT", expressions=[collected])
    value = exp.Dot(this=exp.column("e"), expression=exp.to_identifier("v"))
    return exp.Anonymous(this="TRANSFORM", expressions=[collected, _lambda(value, "e")])


def run_plan(
    spark: SparkSession,
    plan: SqlPlan,
    tables: Mapping[str, DataFrame],
    *,
    checkpoint: bool = True,
    once: bool = False,
) -> SparkOutputs:
    """Register ``tables`` (one DataFrame per name in ``plan.inputs``) and each step of
    ``plan`` as temporary views of ``spark``; return ``{plan.decisions: df, plan.grants: df}``.

    A step that two or more later steps read is computed once: with ``checkpoint`` (the
    default) at once, kept by the executors and cut from the plan of the steps after it
    (``localCheckpoint``: Spark then plans each step on its own, not the whole policy at
    once); without, cached when first used (``cache``: lazy, recomputed if an executor is
    lost).  The other steps and the outputs are computed when an output is collected or
    written.  ``once``: ``plan`` is written for Spark only, its trees rewritten in place
    (:func:`spark_sql` without a copy), not written again.  Raises
    :class:`SparkBatchError`: E642 an input missing, E643 an input column of type
    DOUBLE/FLOAT (money and rates must be exact), E644 a value error in a step computed at
    once, E645 a step Spark refuses (names the step and shows its SQL)."""
    exact(spark)
    missing = [name for name in plan.inputs if name not in tables]
    if missing:
        raise _error(
            "E642",
            f"input table {missing[0]!r} not given (the plan reads {', '.join(plan.inputs)})",
            hint="give one DataFrame per input table; read_parquet reads a directory of them",
        )
    for name in plan.inputs:
        _check_exact_types(name, tables[name])
        tables[name].createOrReplaceTempView(name)
    reads = Counter(table for read in plan.reads().values() for table in read)
    frames: dict[str, DataFrame] = {}
    for name, query in plan.steps:
        text = spark_sql(query, copy=not once)
        with spark_errors(f"step {name!r}", "E645", sql=text):
            frame = spark.sql(text)
            if reads[name] >= 2:
                frame = frame.localCheckpoint(eager=True) if checkpoint else frame.cache()
        frame.createOrReplaceTempView(name)
        frames[name] = frame
    return {plan.decisions: frames[plan.decisions], plan.grants: frames[plan.grants]}


def _check_exact_types(table: str, frame: DataFrame) -> None:
    for field in frame.schema.fields:
        if _inexact(field.dataType):
            raise _error(
                "E643",
                f"input table {table!r}, column {field.name!r}: {field.dataType.simpleString()}"
                " cannot hold money, rates or numbers exactly",
                hint="write money as BIGINT fen and rates and numbers as DECIMAL(38,10)",
            )


def _inexact(data_type: DataType) -> bool:
    from pyspark.sql.types import ArrayType, DoubleType, FloatType, MapType, StructType

    if isinstance(data_type, DoubleType | FloatType):
        return True
    if isinstance(data_type, ArrayType):
        return _inexact(data_type.elementType)
    if isinstance(data_type, MapType):
        return _inexact(data_type.keyType) or _inexact(data_type.valueType)
    if isinstance(data_type, StructType):
        return any(_inexact(f.dataType) for f in data_type.fields)
    return False


def read_parquet(
    spark: SparkSession, directory: str, names: tuple[str, ...] | list[str]
) -> dict[str, DataFrame]:
    """One DataFrame per name in ``names``, read from ``directory/<name>.parquet`` (a file,
    or a directory of part files as Spark and DuckDB write) or else ``directory/<name>/``.

    ``directory`` is a local path or any URL Spark's Hadoop file systems read
    (``hdfs://nn/registry``, ``s3a://bucket/registry``).  A name with neither raises E642."""
    _pyspark()
    from pyspark.errors import AnalysisException

    out: dict[str, DataFrame] = {}
    base = directory.rstrip("/")
    for name in names:
        tried = [f"{base}/{name}.parquet", f"{base}/{name}"]
        for path in tried:
            if "://" not in path and not os.path.exists(path):
                continue
            try:
                out[name] = spark.read.parquet(path)
                break
            except AnalysisException as e:
                if e.getCondition() != "PATH_NOT_FOUND":
                    raise _error(
                        "E642", f"input table {name!r}: {path} is not Parquet: {first_line(e)}"
                    ) from e
        else:
            raise _error(
                "E642",
                f"input table {name!r} not found: no {tried[0]} or {tried[1]}",
                hint="one Parquet table per entity, named by the entity's key",
            )
    return out


def write_parquet(outputs: SparkOutputs, directory: str, *, overwrite: bool = False) -> None:
    """Write each output to ``directory/<name>.parquet`` (a directory of part files, as
    Spark writes; DuckDB reads it with ``read_parquet('…/decisions.parquet/*.parquet')``).

    Runs the plan.  Raises :class:`SparkBatchError`: E644 a value error while computing (an
    overflow under ANSI mode), E646 an output that exists (without ``overwrite``) or cannot
    be written."""
    base = directory.rstrip("/")
    for name, frame in outputs.items():
        path = f"{base}/{name}.parquet"
        with spark_errors(f"writing {path}", "E646"):
            frame.write.mode("overwrite" if overwrite else "errorifexists").parquet(path)


def collect(frame: DataFrame, what: str) -> list[tuple[object, ...]]:
    """The rows of ``frame`` as tuples (runs the plan); value errors raise E644."""
    with spark_errors(what, "E645"):
        return [tuple(row) for row in frame.collect()]


@contextmanager
def spark_errors(what: str, code: str, sql: str | None = None) -> Iterator[None]:
    """Spark's errors inside the block as :class:`SparkBatchError` naming ``what``: E644 a
    value error (overflow, bad cast), E646 an output that exists (``code`` E646), else
    ``code``; ``sql`` is shown in the hint of a refused statement."""
    from py4j.protocol import Py4JError
    from pyspark.errors import (
        AnalysisException,
        ArithmeticException,
        DateTimeException,
        NumberFormatException,
        PySparkException,
    )

    try:
        yield
    except (ArithmeticException, DateTimeException, NumberFormatException) as e:
        raise _error(
            "E644",
            f"{what}: a value Spark cannot compute exactly: {first_line(e)}",
            hint="a sum or product beyond DECIMAL(38,0) / BIGINT, or a bad cast in the input",
        ) from e
    except AnalysisException as e:
        if code == "E646" and e.getCondition() == "PATH_ALREADY_EXISTS":
            raise _error("E646", f"{what}: the output exists", hint="choose a new directory") from e
        raise _error(
            code,
            f"{what}: Spark refuses the SQL: {first_line(e)}",
            hint=f"Spark SQL of the step: {sql}" if sql else None,
        ) from e
    except (PySparkException, Py4JError) as e:
        raise _error(code, f"{what}: {first_line(e)}") from e
