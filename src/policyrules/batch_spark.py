"""The batch path on Spark: a registry of Parquet tables in, decisions and grants out.

:func:`run_batch_spark` starts (or joins) a Spark session, reads and checks the registry
(:mod:`policyrules.tables_spark`: the same rules and codes as on DuckDB), checks the
registry's ledger and the earlier grants given against the policy and the registry and
merges them (:mod:`policyrules.tables_spark_ledger`: DuckDB's checks, E320-E329), adds the
working-day calendar, compiles the policy to SQL
(:func:`policyrules.backends.sql.compile_batch`, the same plan DuckDB runs) and registers
it step by step (:func:`policyrules.backends.sql.spark.run_plan`).  The outputs are
computed when :meth:`SparkBatchResult.write` writes them, by Spark, as Parquet (or JSON
Lines, CSV) directories of part files.  No row comes to Python.

Errors of this engine (besides the readers' E620-E630, the ledger's E320-E329 and Spark's
E640-E647):
E648 an input or option the Spark engine does not take (a DuckDB file, CSV or JSON Lines
tables, ``--memory-limit``, ``--ledger-out`` to a remote or non-Parquet output); E649 an
unknown engine, or a Spark option without ``--engine spark`` or not ``KEY=VALUE``.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from . import facts_dated
from .backends.python.compile import CompiledCap, CompiledPolicy
from .backends.sql import compile_batch
from .backends.sql import spark as on_spark
from .backends.sql.dated import later_dates
from .backends.sql.spark_tables import calendar_days
from .batch import STATUSES, BatchSummary, Readings, grants_ledger, grants_ledger_read
from .batch_columns import decisions_sql
from .batch_earlier import NO_EARLIER_GRANTS, Earlier
from .batch_spark_summary import after_today, amount_totals, top_ups
from .batch_top_ups import NO_TOP_UPS
from .batch_totals import undated_provisions
from .batch_write import OUTPUTS, check_format, check_out, put_in_place
from .errors import Diagnostic, TableError
from .facts_dated import SHOWN, AfterToday, later_in_rows, refuse_later
from .ledger_bases import ReadingSink, check_table_readings, readings_of
from .ledger_years import noting, refuse_year_rows
from .model import CheckedPolicy
from .progress import Progress
from .runtime.calendar import WorkCalendar
from .runtime.ledger import Ledger
from .runtime.money import Money
from .runtime.values import Value
from .tables_ledger import ledger_columns
from .tables_spark import read_registry
from .tables_spark_ledger import check_all, check_own
from .tables_values import ident, literal
from .words import Words

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "DEFAULT_MASTER",
    "SparkBatchResult",
    "refuse_input",
    "refuse_options",
    "run_batch_spark",
    "unknown_engine",
]

DEFAULT_MASTER = "local[*]"


def _refuse(message: str, hint: str | None = None) -> on_spark.SparkBatchError:
    return on_spark.SparkBatchError(Diagnostic("E648", message, hint=hint))


def _is_url(path: str) -> bool:
    return "://" in path


def unknown_engine(engine: object) -> on_spark.SparkBatchError:
    """E649: an engine that is neither ``duckdb`` nor ``spark``."""
    return on_spark.SparkBatchError(
        Diagnostic("E649", f"unknown batch engine {engine!r}", hint="duckdb or spark")
    )


def refuse_options(
    *, memory_limit: str | None = None, ledger_out: bool = False, out: str = "", fmt: str = ""
) -> None:
    """E648 for an option the Spark engine does not take: ``memory_limit`` (DuckDB's), or
    ``ledger_out`` unless ``out`` is a local directory written as ``fmt`` Parquet."""
    if memory_limit is not None:
        raise _refuse(
            "--memory-limit is DuckDB's memory limit",
            "on Spark give its memory settings instead: --spark-conf spark.driver.memory=4g "
            "(local mode), spark.executor.memory on a cluster",
        )
    if ledger_out and (_is_url(out) or fmt != "parquet"):
        raise _refuse(
            "--ledger-out reads the grants back from a local Parquet output",
            "write --format parquet to a local directory, or leave out --ledger-out",
        )


def refuse_input(source: str) -> None:
    """Raise E648 when the registry at ``source`` is not one the Spark engine reads: a
    DuckDB file, or a local directory whose tables are CSV or JSON Lines only."""
    if _is_url(source):
        return
    p = Path(source)
    if p.is_file():
        raise _refuse(
            f"{p}: a DuckDB database file is read by the DuckDB engine only",
            f"run without --engine spark, or export its tables to Parquet: duckdb {p} -c "
            "\"EXPORT DATABASE 'registry' (FORMAT parquet)\"",
        )
    if p.is_dir():
        others = sorted(
            f.name for f in p.iterdir() if f.suffix.lower() in (".csv", ".jsonl", ".json")
        )
        if others:
            raise _refuse(
                f"{p}: {', '.join(others[:3])}: the Spark engine reads Parquet tables only",
                "convert them to Parquet (e.g. duckdb -c \"COPY (FROM 'firms.csv') TO "
                "'firms.parquet'\"), or run without --engine spark",
            )


class SparkBatchResult:
    """The outputs of a batch on Spark: DataFrames, computed when written."""

    def __init__(
        self,
        spark: SparkSession,
        outputs: Mapping[str, DataFrame],
        inputs: Mapping[str, int],
        started: float,
        *,
        stop: bool,
        readings: Readings | None = None,
        earlier: Earlier = NO_EARLIER_GRANTS,
        ledger: DataFrame | None = None,
        after: AfterToday | None = None,
        undated: frozenset[str] = frozenset(),
    ) -> None:
        self.spark = spark
        self.earlier = earlier  # the earlier grants it read (for batch --ledger-out)
        self._readings = readings  # for the ledger text's bases, as BatchResult
        self.outputs = dict(outputs)
        self.inputs = dict(inputs)
        self.started = started
        self._stop = stop
        self._summary: BatchSummary | None = None
        self._ledger = ledger  # the earlier grants the plan read, for the top-ups
        self._after = after  # without as_of: the dates after the machine's date
        self._undated = undated  # without as_of: the awards paid over time (forecasts)

    def decisions(self) -> DataFrame:
        """The decisions table (:data:`~policyrules.batch_columns.DECISION_COLUMNS`)."""
        return self.outputs["decisions"]

    def grants(self) -> DataFrame:
        """The grants table (provision, one id column per entity, amount_fen, year)."""
        return self.outputs["grants"]

    @property
    def summary(self) -> BatchSummary:
        """Rows, statuses and totals: read back from the written outputs, or (before
        :meth:`write`) computed from the DataFrames, which runs the plan."""
        if self._summary is None:
            self._summary = self._summarise(self.outputs["decisions"], self.outputs["grants"])
        return self._summary

    def write(
        self,
        out: str | Path,
        fmt: str = "parquet",
        progress: Progress | None = None,
        *,
        sort: bool = False,
    ) -> None:
        """Write ``decisions`` and ``grants`` under ``out`` as ``decisions.<fmt>/`` and
        ``grants.<fmt>/`` (directories of part files; ``parquet``, ``csv`` with lists as
        JSON arrays, or ``jsonl``); ``sort`` orders decisions by firm, subject, provision
        and grants by every column.  A local ``out`` is written all or nothing (into a
        directory beside it, then moved), and may only hold earlier outputs; a URL
        (``hdfs://``, ``s3a://``) is written in place and must not exist.

        :raises TableError: E631 ``out`` cannot be written, E632 an unknown format.
        :raises SparkBatchError: E644 a value Spark cannot compute exactly, E646 an output
            that exists or cannot be written.
        """
        check_format(fmt)
        show = progress or Progress(enabled=False)
        target = str(out)
        if _is_url(target):
            self._write_to(target.rstrip("/"), fmt, show, sort)
            self._read_back(target.rstrip("/"), fmt)
            return
        path = Path(out)
        check_out(path)
        parent = path.absolute().parent
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}."))
        try:
            self._write_to(str(tmp), fmt, show, sort)
            put_in_place(tmp, path)
        except OSError as exc:
            raise TableError(
                Diagnostic("E631", f"cannot write {path}: {exc.strerror or exc}")
            ) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._read_back(str(path), fmt)

    def _write_to(self, base: str, fmt: str, show: Progress, sort: bool) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql.types import ArrayType

        for name in OUTPUTS:
            frame = self.outputs[name]
            if fmt == "csv":  # a list as a JSON array, as the DuckDB engine writes it
                frame = frame.select(
                    *(
                        F.to_json(F.col(f.name)).alias(f.name)
                        if isinstance(f.dataType, ArrayType)
                        else F.col(f.name)
                        for f in frame.schema.fields
                    )
                )
            if sort:
                keys = ["firm", "subject", "provision"] if name == "decisions" else frame.columns
                frame = frame.orderBy(*keys)
            path = f"{base}/{name}.{fmt}"
            with show.step(f"writing {name}"), on_spark.spark_errors(f"writing {path}", "E646"):
                writer = frame.write.mode("errorifexists")
                if fmt == "parquet":
                    writer.parquet(path)
                elif fmt == "jsonl":
                    writer.option("ignoreNullFields", False).json(path)  # as DuckDB writes
                else:
                    writer.option("header", True).csv(path)

    def _read_back(self, base: str, fmt: str) -> None:
        """The summary from the files just written (the plan is not run again)."""
        read = self.spark.read
        frames = []
        for name in OUTPUTS:
            path = f"{base}/{name}.{fmt}"
            schema = self.outputs[name].schema
            if fmt == "parquet":
                frames.append(read.parquet(path))
            elif fmt == "jsonl":
                frames.append(read.schema(schema).json(path))
            else:
                frames.append(read.option("header", True).csv(path))
        self._summary = self._summarise(frames[0], frames[1])

    def _summarise(self, decisions: DataFrame, grants: DataFrame) -> BatchSummary:
        with on_spark.spark_errors("summarising the outputs", "E644"):
            counts = {
                str(s): int(n)
                for s, n in decisions.groupBy("status").count().collect()
                if s is not None
            }
            exact, rows = decisions.selectExpr(
                "coalesce(sum(CASE WHEN amount_kind = 'exact' "
                "THEN CAST(amount_fen AS BIGINT) END), 0)",
                "count(*)",
            ).collect()[0]
            granted, n = grants.selectExpr(
                "coalesce(sum(CAST(amount_fen AS BIGINT)), 0)", "count(*)"
            ).collect()[0]
            totals = amount_totals(self.spark, decisions, self._undated)
        statuses = {s: counts.pop(s, 0) for s in STATUSES} | counts
        return BatchSummary(
            dict(self.inputs),
            int(rows),
            int(n),
            statuses,
            Money(int(exact)),
            Money(int(granted)),
            time.perf_counter() - self.started,
            after_today=self._after,
            top_ups=NO_TOP_UPS
            if self._ledger is None
            else top_ups(self.spark, grants, self._ledger),
            totals=totals,
        )

    def grants_ledger(self, out: str | Path) -> str:
        """The grants written under ``out`` (local Parquet) as a JSON ledger file's text
        (``policyrules.batch.grants_ledger``).  :raises SparkBatchError: E648 for
        other outputs."""
        if _is_url(str(out)) or not (Path(out) / "grants.parquet").is_dir():
            raise _refuse(
                "--ledger-out reads the grants back from a local Parquet output",
                "write --format parquet to a local directory, or leave out --ledger-out",
            )
        con = duckdb.connect(":memory:")
        try:
            files = literal(str(Path(out) / "grants.parquet" / "*.parquet"))
            con.execute(f"CREATE TABLE grants AS SELECT * FROM read_parquet({files})")
            return grants_ledger_read(con, self._readings)
        finally:
            con.close()

    def close(self) -> None:
        """Stop the Spark session if this run started it."""
        if self._stop:
            self.spark.stop()


def run_batch_spark(
    compiled: CompiledPolicy,
    source: str | Path,
    *,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
    calendar: WorkCalendar,
    as_of: dt.date | None = None,
    ledger: tuple[str, Ledger] | None = None,
    progress: Progress | None = None,
    master: str | None = DEFAULT_MASTER,
    conf: Mapping[str, str] | None = None,
    on_other_reading: ReadingSink | None = None,
    skip: Iterable[str] = (),
    keyed: Mapping[str, CompiledCap] | None = None,
    today: dt.date | None = None,
) -> SparkBatchResult:
    """Evaluate every entity of the Parquet registry at ``source`` (a local directory or a
    URL Spark reads) against ``compiled`` on Spark, as :func:`policyrules.batch.run_batch`
    does on DuckDB: the same plan, the same outputs.

    ``master``: ``"local[*]"`` (every core of this machine), ``"local[2]"``,
    ``"spark://head:7077"``, ``"yarn"``, or ``None`` for ``spark-submit``'s; ``conf``: more
    Spark settings (``{"spark.driver.memory": "2g"}``).  A session already running in this
    process is joined (and left running); one started here is stopped by
    :meth:`SparkBatchResult.close`.

    :raises BatchCompileError: a construct the SQL back end does not compile (E600-E619,
        E650), before Spark starts or the registry is read, as on DuckDB.
    :raises SparkBatchError: E640 no pyspark, E641 Spark cannot start (no Java 17+), E642-E647
        (see :mod:`policyrules.backends.sql.spark`), E648 an input the engine does not read.
    :raises TableError: a table or value refused (E620-E630), located by table, id, column.
    :raises LedgerError: an earlier grant refused (E320-E329, as on DuckDB); the
        registry's ``ledger`` table holding grants of a provision whose reading this run
        changes (E335, as on DuckDB), unless ``on_other_reading`` takes it; a one-time
        award's earlier grant in another year than the registry gives it (E349, as on DuckDB,
        with ``keyed`` as there).
    :raises FactsError: a date fact later than ``as_of`` (E353, as on DuckDB).
    """
    started = time.perf_counter()
    skipped = set(skip)
    on_other_reading = noting(on_other_reading, skipped)
    show = progress or Progress(enabled=False)
    where = str(source)
    refuse_input(where)
    with show.step("compiling the policy to SQL"):  # refused before Spark starts, as on DuckDB
        plan = compile_batch(compiled, parameters=parameters, assumptions=assumptions, as_of=as_of)
    with show.step("starting Spark"):
        on_spark.ready()
        from pyspark.sql import SparkSession

        running = SparkSession.getActiveSession() is not None
        spark = on_spark.session(master, conf=conf)
    try:
        with show.step("reading the registry"):
            registry = read_registry(spark, compiled.checked, where)
        tables = dict(registry.tables)
        after = None
        if as_of is not None:  # E353, as on DuckDB (batch.run_batch)
            with show.step("checking the dates against as_of"):
                _refuse_later(spark, compiled.checked, tables, as_of, where)
        else:  # taken as given, and said, as on DuckDB
            with show.step("counting the dates after today"):
                day = today or facts_dated.machine_today()
                after = after_today(spark, compiled.checked, tables, day)
        own = tables["ledger"]
        shown = registry.ledger or f"{where}/ledger"
        with show.step("checking the ledger"):  # as on DuckDB (batch.run_batch), in order
            if registry.ledger is not None:
                check_own(spark, compiled, own, shown)
            check_table_readings(  # E335: its grants are taken as counted by the defaults
                compiled.checked,
                lambda: [r[0] for r in own.select("provision").distinct().collect()],
                assumptions,
                compiled.assumption_defaults,
                shown,
                on_other_reading,
            )
            parts = [(shown, own)] if registry.ledger is not None else []
            if ledger is not None:
                parts.append((ledger[0], _given(spark, compiled, ledger[1])))
            if parts:
                tables["ledger"] = check_all(
                    spark, compiled, tables, parts, parameters, assumptions
                )
            else:
                tables["ledger"] = own.drop("_row")
        with show.step("building the calendar"):
            tables["calendar_days"] = calendar_days(
                spark, compiled.checked, tables, calendar, as_of
            )
        with show.step("planning the steps on Spark"):
            outputs = on_spark.run_plan(spark, plan, {n: tables[n] for n in plan.inputs}, once=True)
            # The decisions as read (batch_columns), as on DuckDB.
            outputs[plan.decisions].createOrReplaceTempView("_plan_decisions")
            words = Words.of(compiled.checked)
            named = decisions_sql(words, "_plan_decisions", "spark", assumptions)
            outputs[plan.decisions] = spark.sql(named)
        with show.step("checking the ledger's years"):  # E349, as on DuckDB
            found = [
                (pid, row)
                for pid, q in plan.checks
                for row in on_spark.collect(
                    spark.sql(on_spark.spark_sql(q)).limit(20), f"the years of {pid}'s grants"
                )
            ]
            given = [shown, *([ledger[0]] if ledger is not None else [])]
            refuse_year_rows(compiled, found, ", ".join(given), skipped, keyed)
    except BaseException:
        if not running:
            spark.stop()
        raise
    readings = functools.partial(readings_of, compiled.checked, assumptions)
    text = functools.partial(_table_text, own, compiled.checked, shown)
    earlier = Earlier((shown, text), ledger)
    return SparkBatchResult(
        spark,
        outputs,
        registry.rows,
        started,
        stop=not running,
        readings=readings,
        earlier=earlier,
        ledger=tables["ledger"],
        after=after,
        undated=undated_provisions(compiled.checked, as_of),
    )


def _refuse_later(
    spark: SparkSession,
    policy: CheckedPolicy,
    tables: Mapping[str, DataFrame],
    as_of: dt.date,
    where: str,
) -> None:
    """E353: the registry's date facts later than ``as_of``, found by the query DuckDB
    runs (:func:`~policyrules.backends.sql.dated.later_dates`), each table shown as the
    registry's errors show it."""
    query = later_dates(policy, as_of, SHOWN)
    if query is None:
        return
    for e in policy.entities:
        tables[e.key].createOrReplaceTempView(e.key)
    rows = on_spark.collect(spark.sql(on_spark.spark_sql(query)), "the dates against as_of")
    shown = {e.key: f"{where.rstrip('/')}/{e.key}" for e in policy.entities}
    found, total = later_in_rows(policy, rows, shown)
    refuse_later(policy, found, as_of, total)


def _table_text(frame: DataFrame, policy: CheckedPolicy, shown: str) -> str:
    """The registry's ledger (``frame``, in the contract's columns) as a JSON ledger file's
    text (:func:`policyrules.batch.grants_ledger`), its rows collected: for ``--ledger-out``.
    :raises SparkBatchError: E644/E645 as :func:`~policyrules.backends.sql.spark.collect`."""
    columns = ledger_columns(policy)
    rows = on_spark.collect(frame.select(*(n for n, _ in columns)), f"reading {shown}")
    con = duckdb.connect(":memory:")
    try:
        spec = ", ".join(f"{ident(n)} {ty}" for n, ty in columns)
        con.execute(f"CREATE TABLE own ({spec})").fetchall()
        if rows:
            con.executemany(f"INSERT INTO own VALUES ({', '.join('?' for _ in columns)})", rows)
        return grants_ledger(con, table="own")
    finally:
        con.close()


def _given(spark: SparkSession, compiled: CompiledPolicy, ledger: Ledger) -> DataFrame:
    """Earlier grants read by the Python path (a store, a ledger file) as a DataFrame, with
    each grant's place in it (``_row``, from 1, as on DuckDB)."""
    from .backends.sql.spark_tables import ledger_columns

    names = [e.name for e in compiled.checked.entities]
    rows = []
    for i, g in enumerate(ledger, start=1):
        path = dict(g.path)
        rows.append((g.provision, *(path.get(n) for n in names), g.amount.fen, g.year, i))
    schema = ", ".join(f"`{c}` {ty}" for c, ty in ledger_columns(compiled.checked))
    return spark.createDataFrame(rows, schema + ", `_row` BIGINT")
