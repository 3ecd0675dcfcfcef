"""The batch path: a registry of tables in, decisions and grants out, run on DuckDB.

:func:`run_batch` reads a registry (:mod:`policyrules.tables`) and its ledger
(:mod:`policyrules.tables_ledger`) into an in-process DuckDB connection, adds the working
day calendar the plan needs, compiles the policy to SQL
(:func:`policyrules.backends.sql.compile_batch`) and runs it; the :class:`BatchResult`
holds the ``grants`` table and the ``decisions`` view (the batch contract's columns: money in
BIGINT fen; the view computes each decision from the stored steps as it is read, so the
decisions, one row per provision × subject, are never held whole) and writes them to a
directory, all or nothing (:func:`write_outputs`, of :mod:`policyrules.batch_write`, re-exported
here with :func:`grants_ledger`).  No step makes a Python object per row of the registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import duckdb

from . import facts_dated
from .backends.python.compile import CompiledCap, CompiledPolicy
from .backends.sql import compile_batch
from .backends.sql.dated import later_dates
from .backends.sql.duckdb import calendar_rows
from .backends.sql.plan import SqlPlan
from .batch_columns import decisions_sql
from .batch_earlier import NO_EARLIER_GRANTS, Earlier
from .batch_top_ups import NO_TOP_UPS, TopUps, top_ups
from .batch_totals import NO_TOTALS, AmountTotals, totals_of, totals_queries, undated_provisions
from .batch_write import (
    OUTPUTS,
    Readings,
    grants_ledger,
    grants_ledger_read,
    json_key,
    run_sql,
    table_provisions,
    value_refused,
    write_outputs,
)
from .errors import Diagnostic, LedgerError, TableError, first_line, quoted
from .facts_dated import SHOWN, AfterToday, later_in_rows, refuse_later
from .ledger_bases import ReadingSink, check_table_readings, readings_of
from .ledger_years import noting, refuse_year_rows
from .progress import Progress
from .runtime.calendar import WorkCalendar
from .runtime.ledger import Ledger
from .runtime.money import Money
from .runtime.values import Value, format_value
from .tables import read_registry
from .tables_ledger import load_grants, read_ledger_table
from .tables_ledger_check import check_ledger
from .tables_values import ident, literal
from .vocab import STATUSES as STATUS_WORDS
from .words import Words

__all__ = [
    "OUTPUTS",
    "BatchResult",
    "BatchSummary",
    "Readings",
    "grants_ledger",
    "grants_ledger_read",
    "json_key",
    "run_batch",
    "run_steps",
    "write_outputs",
]

#: DuckDB's memory limit unless the caller gives one: beyond it DuckDB works on disk.
MEMORY_LIMIT = "1GB"
_SHOW_YEARS = 20  # E349 rows shown at most
STATUSES = ("eligible", "not_eligible", "unknown", "met", "not_met")
_STATUSES_ZH = {
    **STATUS_WORDS,  # eligible, not eligible, unknown: as the decisions say them
    "met": "已达成",
    "not_met": "未达成",
    "pending": "未到期",
}


@attrs.frozen
class BatchSummary:
    """What a batch did: ``inputs`` rows per input table, ``decisions`` and ``grants`` rows,
    decisions per ``status``, ``exact`` the total of the exact amounts (fen), ``grants_fen``
    the total granted (fen), ``seconds`` from reading to the end of the run; without
    ``as_of``, ``after_today`` the date facts after the machine's date (taken as given);
    ``top_ups`` the grants that top up an earlier grant of their identity (unrecordable
    beside it: ``policyrules.batch_top_ups``); ``totals`` the award amounts exact, up to
    and open, per provision and over all, and the unset parameters
    (:mod:`policyrules.batch_totals`)."""

    inputs: Mapping[str, int]
    decisions: int
    grants: int
    statuses: Mapping[str, int]
    exact: Money
    granted: Money
    seconds: float
    timings: tuple[tuple[str, float], ...] = ()
    after_today: AfterToday | None = None
    top_ups: TopUps = NO_TOP_UPS
    totals: AmountTotals = NO_TOTALS

    def text(self) -> str:
        """A few lines for people."""
        read = ", ".join(f"{n} {k}" for k, n in self.inputs.items() if n)
        statuses = ", ".join(f"{n} {s}" for s, n in self.statuses.items() if n)
        lines = [
            f"read: {read or 'no rows'}",
            f"decisions: {self.decisions} ({statuses or 'none'})",
            f"exact amounts: {format_value(self.exact)}; "
            f"grants: {self.grants}, {format_value(self.granted)}",
            *self.totals.lines(),
            f"time: {self.seconds:.1f} s",
        ]
        if self.after_today is not None and self.after_today.dates:
            lines.append(self.after_today.text())
        if self.top_ups.count:
            lines.append(self.top_ups.text())
        return "\n".join(lines)

    def text_zh(self) -> str:
        """:meth:`text` in Chinese (``batch --lang zh``)."""
        read = "，".join(f"{k} {n} 行" for k, n in self.inputs.items() if n)
        statuses = "，".join(f"{_STATUSES_ZH.get(s, s)} {n}" for s, n in self.statuses.items() if n)
        lines = [
            f"读取：{read or '无数据'}",
            f"决定：{self.decisions} 项（{statuses or '无'}）",
            f"确定金额合计：{format_value(self.exact)}；"
            f"发放记录：{self.grants} 笔，{format_value(self.granted)}",
            *self.totals.lines_zh(),
            f"用时：{self.seconds:.1f} 秒",
        ]
        if self.after_today is not None and self.after_today.dates:
            lines.append(self.after_today.text_zh())
        if self.top_ups.count:
            labels = {m.provision: m.label_zh for m in self.totals.measures}
            lines.append(self.top_ups.text_zh(labels.get(self.top_ups.provision)))
        return "\n".join(lines)


class BatchResult:
    """The outputs of a batch, held in a DuckDB connection until written or closed:
    ``grants`` a table, ``decisions`` a view over the stored steps (computed when read)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        summary: BatchSummary,
        *,
        counted: bool = True,
        readings: Readings | None = None,
        earlier: Earlier = NO_EARLIER_GRANTS,
        undated: frozenset[str] = frozenset(),
    ) -> None:
        self.con = con
        self._undated = undated  # the awards paid over time, without as_of: forecasts
        self.earlier = earlier  # the earlier grants it read (for batch --ledger-out)
        # The readings the run used for given provisions (its assumption values).
        self._readings = readings
        self._summary = summary
        self._counted = counted  # else the decisions are counted when first asked for
        self._counts_from = "decisions"

    @property
    def summary(self) -> BatchSummary:
        """What the batch did.  The decisions are counted when first asked for: from the
        written file once the outputs are written as Parquet (a few columns read back),
        else from the view (ask before closing)."""
        if not self._counted:
            self._summary = _count(self.con, self._summary, self._counts_from, self._undated)
            self._counted = True
        return self._summary

    @property
    def after_today(self) -> AfterToday | None:
        """Without ``as_of``: the date facts after the machine's date (the decisions not
        counted for it)."""
        return self._summary.after_today

    def decisions(self) -> duckdb.DuckDBPyRelation:
        """The decisions (:data:`~policyrules.batch_columns.DECISION_COLUMNS`: provision,
        kind, document_number, clause, title, subject, firm, status, amount_fen,
        amount_yuan...): a view, computed each time it is read."""
        return self.con.table("decisions")

    def grants(self) -> duckdb.DuckDBPyRelation:
        """The grants table (provision, one id column per entity, amount_fen, year)."""
        return self.con.table("grants")

    def write(
        self,
        out: str | Path,
        fmt: str = "parquet",
        progress: Progress | None = None,
        *,
        sort: bool = False,
    ) -> None:
        """Write both tables to the directory ``out``: see ``write_outputs``."""
        write_outputs(self.con, Path(out), fmt, progress, sort=sort)
        if fmt == "parquet":
            self._counts_from = f"read_parquet({literal(str(Path(out) / 'decisions.parquet'))})"

    def grants_ledger(self) -> str:
        """The grants as a JSON ledger file's text (:func:`grants_ledger`), with the
        readings they were counted by (``bases``: for each provision granted, the run's
        value of each assumption its text reads), as ``batch --ledger-out`` writes them:
        ``ledger import`` records them, and a run under another reading is refused (E335)."""
        return grants_ledger_read(self.con, self._readings)

    def close(self) -> None:
        self.con.close()


def _calendar(
    con: duckdb.DuckDBPyConnection,
    compiled: CompiledPolicy,
    calendar: WorkCalendar,
    as_of: dt.date | None,
) -> None:
    """``calendar_days`` for the years of the registry's dates, one before and three after
    each (the deadlines' reach), as the one-by-one path counts them."""
    parts = [
        f"SELECT DISTINCT year({ident(f.name)}) AS y FROM {ident(e.key)}"
        for e in compiled.checked.entities
        for f in e.facts
        if f.type.kind == "date"
    ]
    years: set[int] = set()
    if as_of is not None:
        years.add(as_of.year)
    if parts:
        got = con.execute(" UNION ".join(parts)).fetchall()
        years |= {int(r[0]) for r in got if r[0] is not None}
    wanted = sorted({y + d for y in years for d in range(-1, 4)})
    run_sql(
        con,
        "CREATE OR REPLACE TEMP TABLE calendar_days (day DATE, workday BOOLEAN, assumed BOOLEAN)",
    )
    rows = calendar_rows(calendar, wanted)
    if rows:
        con.executemany("INSERT INTO calendar_days VALUES (?, ?, ?)", rows)


def _refuse_later(
    con: duckdb.DuckDBPyConnection,
    compiled: CompiledPolicy,
    as_of: dt.date,
    shown: Mapping[str, str],
) -> None:
    """E353: the registry's date facts later than ``as_of`` (:mod:`policyrules.facts_dated`)."""
    query = later_dates(compiled.checked, as_of, SHOWN)
    if query is not None:
        rows = con.execute(query.sql("duckdb")).fetchall()
        found, total = later_in_rows(compiled.checked, rows, shown)
        refuse_later(compiled.checked, found, as_of, total)


def _after(con: duckdb.DuckDBPyConnection, compiled: CompiledPolicy, today: dt.date) -> AfterToday:
    """How many of the registry's date facts lie after ``today`` (one query, one row)."""
    query = later_dates(compiled.checked, today, 1)
    rows = [] if query is None else con.execute(query.sql("duckdb")).fetchall()
    return facts_dated.after_in_rows(compiled.checked, rows, today)


def _memory_limit(con: duckdb.DuckDBPyConnection, size: str) -> None:
    """:raises TableError: E634 for a size DuckDB does not read (``lots``, ``100000``)."""
    try:
        con.execute(f"SET memory_limit = {literal(size)}").fetchall()
    except duckdb.Error as exc:
        raise TableError(
            Diagnostic(
                "E634",
                f"--memory-limit {quoted(size)}: not a size DuckDB reads: {first_line(exc)}",
                hint="a number and a unit: 512MB, 2GB, 1GiB",
            )
        ) from None


def run_batch(
    compiled: CompiledPolicy,
    source: str | Path,
    *,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
    calendar: WorkCalendar,
    as_of: dt.date | None = None,
    ledger: tuple[str, Ledger] | None = None,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    on_other_reading: ReadingSink | None = None,
    skip: Iterable[str] = (),
    keyed: Mapping[str, CompiledCap] | None = None,
    today: dt.date | None = None,
) -> BatchResult:
    """Evaluate every entity of the registry at ``source`` (a directory of tables or a
    DuckDB file) against ``compiled``, with checked ``parameters`` and ``assumptions``
    (all of them: defaults included) and earlier grants: the registry's ``ledger`` table and
    ``ledger`` (what it is, e.g. ``"grants.db"``, and its checked grants).  ``keyed``: the
    one-time awards whose grants carry a year (:func:`~policyrules.ledger_years.year_keyed`
    of ``compiled``, as a loaded policy keeps them; made here if not given).  Without
    ``as_of``, the date facts after ``today`` (default: the machine's date) are counted
    for the summary's warning (:class:`~policyrules.facts_dated.AfterToday`).

    :raises TableError: a table or value refused (E620-E630); ``memory_limit`` not a size
        (E634).
    :raises FactsError: a date fact later than ``as_of`` (E353), before the ledger is read.
    :raises LedgerError: an earlier grant refused (E320-E329); the registry's ``ledger``
        table holding grants of a provision whose reading this run changes (E335: they are
        taken as counted by the defaults), unless ``on_other_reading`` takes it; a
        one-time award's earlier grant in another year than the registry gives its
        subject (E349), unless its provision is in ``skip`` or ``on_other_reading`` took
        its reading.
    :raises BatchCompileError: a construct the SQL back end cannot compile (E600-E619).
    """
    started = time.perf_counter()
    skipped = set(skip)
    on_other_reading = noting(on_other_reading, skipped)
    show = progress or Progress(enabled=False)
    with show.step("compiling the policy to SQL"):  # every refusal before a table is read
        plan = compile_batch(compiled, parameters=parameters, assumptions=assumptions, as_of=as_of)
    read_from = time.perf_counter()
    compiling = read_from - started
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = true").fetchall()
        con.execute("SET enable_progress_bar_print = false").fetchall()
        _memory_limit(con, memory_limit or MEMORY_LIMIT)
        con.execute(
            f"SET temp_directory = {literal(tempfile.gettempdir() + '/policyrules-duckdb')}"
        ).fetchall()
        checked = compiled.checked
        with show.step("reading the registry", con):
            registry, sources = read_registry(checked, source, con)
            if as_of is not None:  # E353, as the one-by-one path refuses the facts
                _refuse_later(con, compiled, as_of, {s.name: s.shown for s in sources})
                after = None
            else:  # taken as given, and said
                after = _after(con, compiled, today or facts_dated.machine_today())
        with show.step("reading the ledger", con):
            parts = []
            own = next((s for s in sources if s.name == "ledger"), None)
            if own is not None:
                try:
                    read_ledger_table(checked, con, own, "_ledger_table")
                except duckdb.Error as exc:  # a fault DuckDB finds only reading the rows
                    raise LedgerError(
                        Diagnostic(
                            "E320", f"{own.shown}: cannot read the ledger: {first_line(exc)}"
                        )
                    ) from None
                parts.append((own.shown, "_ledger_table"))
                check_table_readings(  # E335: its grants are taken as counted by the defaults
                    checked,
                    lambda: table_provisions(con, "_ledger_table"),
                    assumptions,
                    compiled.assumption_defaults,
                    own.shown,
                    on_other_reading,
                )
            if ledger is not None:
                load_grants(con, checked, ledger[1], "_ledger_given")
                parts.append((ledger[0], "_ledger_given"))
            if not parts:
                load_grants(con, checked, Ledger(()), "_ledger_given")
                parts.append(("no ledger", "_ledger_given"))
            check_ledger(compiled, con, parts, parameters, assumptions)
            _calendar(con, compiled, calendar, as_of)
        timings = [("reading", time.perf_counter() - read_from), ("compiling", compiling)]
        held = set(table_provisions(con, "ledger")) if plan.checks else set()
        found = [  # E349: a grant in another year than the facts give it
            (pid, row)
            for pid, sql in plan.check_sql("duckdb")
            if pid in held  # else no grant to compare: the rows are not read again
            for row in con.execute(f"{sql} LIMIT {_SHOW_YEARS}").fetchall()
        ]
        refuse_year_rows(compiled, found, ", ".join(p[0] for p in parts), skipped, keyed)
        timings += run_steps(con, plan, show, once=True)  # our plan, DuckDB only
        ups = top_ups(con)
        # The decisions as read: the plan's view under another name, read by the outputs'.
        run_sql(con, f"ALTER VIEW {ident(plan.decisions)} RENAME TO _plan_decisions")
        named = decisions_sql(Words.of(checked), "_plan_decisions", assumptions=assumptions)
        run_sql(con, f"CREATE TEMP VIEW decisions AS {named}")
        summary = BatchSummary(
            dict(registry.rows),
            0,
            0,
            {},
            Money(0),
            Money(0),
            time.perf_counter() - started,
            tuple(timings),
            after,
            ups,
        )
    except BaseException:
        con.close()
        raise
    readings = functools.partial(readings_of, checked, assumptions)
    text = functools.partial(grants_ledger, con, (), "_ledger_table")
    earlier = Earlier(None if own is None else (own.shown, text), ledger)
    undated = undated_provisions(checked, as_of)
    return BatchResult(
        con, summary, counted=False, readings=readings, earlier=earlier, undated=undated
    )


def run_steps(
    con: duckdb.DuckDBPyConnection,
    plan: SqlPlan,
    progress: Progress | None = None,
    *,
    once: bool = False,
) -> list[tuple[str, float]]:
    """Run ``plan`` on the input tables of ``con`` as ``policyrules batch`` does: the
    stored steps as temporary tables (each dropped once no later step reads it), the
    decisions as a view computed when read (written by :func:`write_outputs`, never held
    whole).  Returns the seconds of each step, by name.  ``once``: the plan is run on
    DuckDB only (:meth:`SqlPlan.statements` may write its trees in place).

    :raises TableError: E633 a value DuckDB cannot compute exactly (an overflow, a cast).
    :raises duckdb.Error: a missing input table or column."""
    show = progress or Progress(enabled=False)
    # Rows are located by their order only while reading; the plan needs no order.
    con.execute("SET preserve_insertion_order = false").fetchall()
    steps = plan.statements("duckdb", once=once)
    if show.total is None:  # the bar: steps done of every step, the two writes included
        show.total = show.done + len(steps) + 2
    # The decisions (one row per provision × subject, the lists of names built row by
    # row) are a view, computed as they are written: never held whole in memory.
    drops = plan.drops(lazy=frozenset({plan.decisions}))
    timings = []
    for i, (name, sql) in enumerate(steps, start=1):
        began = time.perf_counter()
        kind = "VIEW" if name == plan.decisions else "TABLE"
        with show.step(f"step {i}/{len(steps)}: {name}", con):
            try:
                run_sql(con, f"CREATE OR REPLACE TEMP {kind} {ident(name)} AS {sql}")
            except duckdb.DataError as exc:
                raise value_refused(f"step {i} of the plan ({name})", exc) from None
            # A table no later step reads is dropped: memory holds what is still needed.
            for done in drops.get(name, ()):
                run_sql(con, f"DROP TABLE IF EXISTS {ident(done)}")
        timings.append((name, time.perf_counter() - began))
    return timings


def _count(
    con: duckdb.DuckDBPyConnection,
    summary: BatchSummary,
    decisions: str,
    undated: frozenset[str] = frozenset(),
) -> BatchSummary:
    """``summary`` with the rows, statuses and totals of ``decisions`` (a table, view or
    file read) and of the ``grants`` table; ``undated``: the awards shown as forecasts."""
    counts: dict[str, int] = {}
    exact = rows = 0
    for status, n, fen in con.execute(
        "SELECT status, count(*), sum(amount_fen) FILTER (WHERE amount_kind = 'exact') "
        f"FROM {decisions} GROUP BY ALL"
    ).fetchall():
        counts[str(status)] = int(n)
        rows += int(n)
        exact += int(fen or 0)
    granted, grants = con.execute(
        "SELECT coalesce(sum(amount_fen), 0), count(*) FROM grants"
    ).fetchall()[0]
    statuses = {s: counts.pop(s, 0) for s in STATUSES} | counts
    amounts, unset = totals_queries(decisions)
    totals = totals_of(con.execute(amounts).fetchall(), con.execute(unset).fetchall(), undated)
    return attrs.evolve(
        summary,
        decisions=rows,
        grants=int(grants),
        statuses=statuses,
        exact=Money(exact),
        granted=Money(int(granted)),
        totals=totals,
    )
