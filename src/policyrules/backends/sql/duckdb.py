"""Run a :class:`SqlPlan` on DuckDB, in process; load facts and a ledger into its tables.

:func:`run_plan` is the engine: given a connection holding the input tables (the batch
reader fills them from CSV/Parquet/JSONL/DuckDB files), it materialises every step of the
plan as a temporary table, in order, so ``decisions`` and ``grants`` stay in the
connection.  :func:`load_facts` and :func:`calendar_rows` build the input tables from what
``policy.read_facts`` returns and a ledger — for tests and small runs, one row at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import duckdb as _duckdb

from ...errors import CalendarError
from ...facts import Facts
from ...model import CheckedPolicy
from ...runtime.calendar import WorkCalendar, is_published
from ...runtime.currency import Foreign
from ...runtime.ledger import Ledger
from ...runtime.money import Money
from ...runtime.values import Duration, NoneValue
from ...types import Type, none_column
from .plan import SqlPlan
from .sqlbits import sql_type

__all__ = ["calendar_rows", "connect", "load_facts", "run_plan"]


def connect() -> _duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection."""
    return _duckdb.connect(":memory:")


def run_plan(
    con: _duckdb.DuckDBPyConnection,
    plan: SqlPlan,
    outputs: Sequence[str] = ("decisions", "grants"),
) -> tuple[str, str]:
    """Create each step of ``plan`` in ``con``, in order, and return the names of the
    decisions and grants tables.  The input tables must be there.  The steps of
    :meth:`SqlPlan.tables` (the outputs, and a step read by two or more later steps)
    become temporary tables; the others are written into the statements of their readers
    as common table expressions (:meth:`SqlPlan.statements`): no copy of their rows.

    ``outputs``: the tables wanted, ``("grants",)`` for the grants alone (what a cost
    estimate needs: the decisions are neither computed nor stored; :meth:`SqlPlan.only`);
    a table not wanted is not created.  The grants are the same rows either way.

    :raises ValueError: ``outputs`` names neither ``"decisions"`` nor ``"grants"``.
    :raises duckdb.Error: a missing input table or column, or a value the engine refuses
        (for example a sum beyond BIGINT)."""
    if tuple(outputs) != ("decisions", "grants"):
        plan = plan.only(outputs)
    for name, sql in plan.statements("duckdb"):
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
    return plan.decisions, plan.grants


def _cell(value: Any, ty: Type) -> Any:
    if value is None:
        return None
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, Foreign):  # money(C): BIGINT cents of its currency
        return value.cents
    if isinstance(value, Duration):
        return int(value.n)
    if isinstance(value, frozenset):
        return [_cell(v, ty.element or ty) for v in sorted(value, key=repr)]
    if isinstance(value, tuple):
        return [_cell(v, ty.element or ty) for v in value]
    if isinstance(value, Decimal):
        return value
    return value


def _create(
    con: _duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[Any]],
) -> None:
    spec = ", ".join(f'"{c}" {t}' for c, t in columns)
    con.execute(f'CREATE OR REPLACE TABLE "{table}" ({spec})')
    data = list(rows)
    if data:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', data)


def load_facts(
    con: _duckdb.DuckDBPyConnection,
    policy: CheckedPolicy,
    facts: Facts,
    ledger: Ledger | None = None,
    calendar: WorkCalendar | None = None,
    years: Iterable[int] | None = None,
) -> None:
    """Create the input tables of ``policy`` in ``con`` from checked ``facts`` (entity
    tables by key, canonical types), ``ledger`` (empty if none) and ``calendar_days`` for
    ``years`` (by default the years of the facts' dates, one before, three after) counted
    as ``calendar`` counts them (a year it cannot count is left out)."""
    seen: set[int] = set()
    for ent in policy.entities:
        cols: list[tuple[str, str]] = [("id", "VARCHAR")]
        if ent.parent:
            cols.append((f"{ent.parent}_id", "VARCHAR"))
        cols += [(f.name, sql_type(f.type).sql("duckdb")) for f in ent.facts]
        nullable = [f for f in ent.facts if f.type.nullable]
        cols += [(none_column(f.name), "BOOLEAN") for f in nullable]
        rows = []
        for inst in facts.instances.get(ent.name, ()):
            row: list[Any] = [inst.id]
            if ent.parent:
                row.append(inst.parent.id if inst.parent else None)
            for f in ent.facts:
                v = inst.values.get(f.name)
                if isinstance(v, dt.date):
                    seen.add(v.year)
                row.append(None if isinstance(v, NoneValue) else _cell(v, f.type))
            row += [isinstance(inst.values.get(f.name), NoneValue) for f in nullable]
            rows.append(row)
        _create(con, ent.key, cols, rows)
    names = [e.name for e in policy.entities]
    lcols = [
        ("provision", "VARCHAR"),
        *((n, "VARCHAR") for n in names),
        ("amount", "BIGINT"),
        ("year", "INTEGER"),
    ]
    lrows = []
    for g in ledger or ():
        path = dict(g.path)
        lrows.append([g.provision, *(path.get(n) for n in names), g.amount.fen, g.year])
    _create(con, "ledger", lcols, lrows)
    if years is None:
        years = range(min(seen) - 1, max(seen) + 4) if seen else range(0)
    _create(
        con,
        "calendar_days",
        [("day", "DATE"), ("workday", "BOOLEAN"), ("assumed", "BOOLEAN")],
        calendar_rows(calendar or WorkCalendar(), years),
    )


def calendar_rows(calendar: WorkCalendar, years: Iterable[int]) -> list[tuple[dt.date, bool, bool]]:
    """(day, workday, assumed) for every day of ``years`` the calendar can count: a year
    with no published schedule is counted under the calendar's assumption (``assumed``),
    or left out when it has none (E501/E502)."""
    out: list[tuple[dt.date, bool, bool]] = []
    for year in years:
        if not 1 <= year <= 9999:
            continue
        assumed = not is_published(year)
        day = dt.date(year, 1, 1)
        rows = []
        try:
            while day.year == year:
                rows.append((day, calendar.is_workday(day), assumed))
                if day == dt.date.max:
                    break
                day += dt.timedelta(days=1)
        except CalendarError:
            continue
        out.extend(rows)
    return out
