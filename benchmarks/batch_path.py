"""The policyrules batch path as ``bench_batch.py`` times it, or why it cannot be timed.

When the package has no ``policyrules.backends.sql`` (``compile_batch`` and the DuckDB
runner of the batch contract), or it cannot compile measure 3, :attr:`BatchPath.available`
is false and :attr:`BatchPath.why` says so: the benchmark prints that, never a figure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyarrow as pa
from batch_claims import PROVISION

import policyrules
from policyrules.errors import PolicyRulesError
from policyrules.runtime.calendar import WorkCalendar

__all__ = ["BatchPath", "measure_3_only"]


def measure_3_only(policy_dir: Path, into: Path) -> Path:
    """A copy of the policy in ``into`` holding, of 京经信发〔2025〕50号, only 第3条 (the
    document's head, without its ``source`` line, and clause 3), with ``common.rule``."""
    text = (policy_dir / "jjxf-2025-50.rule").read_text(encoding="utf-8")
    head = text[: text.index('clause 1 "')]
    head = "".join(ln for ln in head.splitlines(True) if not ln.lstrip().startswith("source "))
    clause = text[text.index('clause 3 "') : text.index('chapter 二 "')]
    into.mkdir(parents=True, exist_ok=True)
    (into / "jjxf-2025-50.rule").write_text(head + clause, encoding="utf-8")
    common = (policy_dir / "common.rule").read_text(encoding="utf-8")
    (into / "common.rule").write_text(common, encoding="utf-8")
    return into


class _Timed:
    """A connection that times each ``execute``, keyed by the step it creates."""

    def __init__(self, con: Any, timings: dict[str, float]) -> None:
        self.con, self.timings = con, timings

    def execute(self, sql: str, *args: Any) -> Any:
        start = time.perf_counter()
        out = self.con.execute(sql, *args)
        words = sql.split(" AS ", 1)[0].split()
        self.timings[" ".join(words[5:]).strip('"') + f" ({words[4].lower()})"] = (
            time.perf_counter() - start
        )
        return out


class BatchPath:
    """``compile_batch`` + the DuckDB runner (``run_plan``) on the input tables of an open
    DuckDB connection, for the policy of measure 3 alone (:func:`measure_3_only`)."""

    def __init__(self, policy_dir: Path, work: Path) -> None:
        self.why = ""
        try:
            from policyrules.backends.sql import compile_batch
            from policyrules.backends.sql.duckdb import calendar_rows, run_plan
            from policyrules.backends.sql.exprs import sql_type
            from policyrules.batch import run_steps, write_outputs
        except ImportError as exc:
            self.why = f"not available (no batch backend in this checkout: {exc})"
            return
        self._compile, self._run, self._calendar = compile_batch, run_plan, calendar_rows
        self._run_steps, self._write = run_steps, write_outputs
        self._sql_type = sql_type
        self.whole = policyrules.load(policy_dir)
        self.policy = policyrules.load(measure_3_only(policy_dir, work))
        try:
            self.plan = compile_batch(self.policy.checked)
        except PolicyRulesError as exc:
            self.why = f"not available (measure 3 does not compile: {exc})"

    @property
    def available(self) -> bool:
        return not self.why

    def startup(self, repeat: int) -> str:
        """The start-up for the whole shipped policy, best of ``repeat``: ``compile_batch``
        (target < 1 s) and the plan written as DuckDB SQL, or why there is none."""
        if not hasattr(self, "whole"):
            return self.why
        compiled = cpu = written = float("inf")
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                plan = self._compile(self.whole.checked)
            except PolicyRulesError as exc:
                return f"not available (the whole policy does not compile yet: {exc})"
            middle, middle_cpu = time.perf_counter(), time.process_time()
            plan.statements("duckdb")
            end = time.perf_counter()
            compiled, written = min(compiled, middle - start), min(written, end - middle)
            cpu = min(cpu, middle_cpu - start_cpu)
        verdict = "met" if compiled < 1 else "MISSED"
        return (
            f"compile_batch {compiled:.3f} s wall, {cpu:.3f} s CPU (target < 1 s: {verdict}),"
            " then "
            f"{written:.3f} s to write its {len(plan.steps)} steps as DuckDB SQL"
            f" ({len(plan.tables())} statements)"
        )

    @property
    def entities(self) -> list[str]:
        """The names of the policy's entities, in order (the grants' id columns)."""
        return [e.name for e in self.policy.checked.entities]

    def inputs(self, con: Any, where: Path, years: range, *, views: bool) -> None:
        """Make in ``con`` the input relations of the batch contract from the Parquet files
        ``where/<table>.parquet`` (``firms``, ``products``, ``ledger``): each entity's
        table with every fact of the policy (NULL when the file has none), the ledger
        with every entity's column, and ``calendar_days`` for ``years``.  ``views``: each
        a view over its file (read by every query that reads it), else a table loaded
        once (not timed)."""
        for table, cols in self._columns().items():
            path = where / f"{table}.parquet"
            have = set()
            if path.exists():
                have = {
                    r[0]
                    for r in con.execute(
                        "SELECT name FROM parquet_schema(?) WHERE name <> 'element'", [str(path)]
                    ).fetchall()
                }
            picked = [f'"{c}"' if c in have else f'CAST(NULL AS {ty}) AS "{c}"' for c, ty in cols]
            source = f"read_parquet('{path}')" if path.exists() else "(SELECT 1) WHERE false"
            kind = "VIEW" if views else "TABLE"
            con.execute(
                f'CREATE OR REPLACE {kind} "{table}" AS SELECT {", ".join(picked)} FROM {source}'
            )
        con.execute(
            "CREATE OR REPLACE TABLE calendar_days (day DATE, workday BOOLEAN, assumed BOOLEAN)"
        )
        days = self._calendar(WorkCalendar(), years)
        if days:
            con.executemany("INSERT INTO calendar_days VALUES (?, ?, ?)", days)

    def _columns(self) -> dict[str, list[tuple[str, str]]]:
        """Each input table's columns (name, DuckDB type), as ``policyrules batch`` reads
        them."""
        out: dict[str, list[tuple[str, str]]] = {}
        for ent in self.policy.checked.entities:
            cols = [("id", "VARCHAR")]
            if ent.parent:
                cols.append((f"{ent.parent}_id", "VARCHAR"))
            cols += [(f.name, self._sql_type(f.type).sql("duckdb")) for f in ent.facts]
            out[ent.key] = cols
        out["ledger"] = [
            ("provision", "VARCHAR"),
            *((e, "VARCHAR") for e in self.entities),
            ("amount", "BIGINT"),
            ("year", "INTEGER"),
        ]
        return out

    def run(self, con: Any) -> None:
        """``run_plan`` on ``con`` as shipped (the plan's SQL is written on the first call
        and kept by the plan; the start-up figure counts the writing): every step and both
        outputs stored as tables."""
        self._run(con, self.plan)

    def run_grants(self, con: Any) -> None:
        """``run_plan(..., outputs=("grants",))`` on ``con``: the grants alone, stored as a
        table, no decision computed (the plan of the grants is made and written once, on
        the first call)."""
        self._run(con, self.plan, outputs=("grants",))

    def run_and_write(self, con: Any, out: Path) -> None:
        """What ``policyrules batch`` does once the registry is read: the plan's steps
        (``run_steps``: the decisions a view, computed as written), then both outputs
        written as Parquet into the directory ``out`` (``write_outputs``)."""
        self._run_steps(con, self.plan)
        self._write(con, out)

    def execute(self, con: Any, timings: dict[str, float]) -> None:
        """``run_plan`` once more, keeping in ``timings`` the seconds of each statement it
        sends: one per stored step, the steps it reads through views written into it."""
        self._run(_Timed(con, timings), self.plan)

    def grants(self, con: Any) -> pa.Table:
        """(firm, product, amount) of the plan's grants under 第3条 above 0.00 元."""
        return con.sql(
            f"SELECT firm, product, amount_fen AS amount FROM {self.plan.grants} "
            f"WHERE provision = '{PROVISION}' AND amount_fen > 0"
        ).to_arrow_table()
