"""The batch on Spark refuses a date fact later than ``as_of`` (E353) as DuckDB and the
one-by-one path do (tests/unit/test_as_of_later.py: the reproduction, worked by hand):
the same query, the same diagnostics, before the ledger and the plan are run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.errors import FactsError
from support import BEIJING, TIMED_RULES

pytestmark = pytest.mark.timeout(600)  # the JVM starts


def _registry(directory: Path, firms: str, rows: str, table: str, columns: str) -> Path:
    directory.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES {firms}) t(id)) TO '{directory / 'firms.parquet'}'")
    con.execute(
        f"COPY (SELECT * FROM (VALUES {rows}) t({columns})) TO '{directory / table}.parquet'"
    )
    con.close()
    return directory


def _refusal(policy: policyrules.Policy, reg: Path, **options: Any) -> list[Any]:
    with pytest.raises(FactsError) as info:
        policy.evaluate_batch(str(reg), as_of="2026-11-15", **options)
    return list(info.value.diagnostics)


def test_spark_refuses_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    """As of 2026-11-15, C1's submission (2026-12-01) and C2's approval (2026-12-20) are
    both to come: two diagnostics, in the same order, the same words after the table."""
    reg = _registry(
        tmp_path / "reg",
        "('d'), ('e')",
        "('C1', 'd', 'clinical_trial_application', true, DATE '2026-12-01', NULL::DATE), "
        "('C2', 'd', 'clinical_trial_application', true, DATE '2026-11-01', DATE '2026-12-20')",
        "pilot_applications",
        "id, firm_id, application_kind, in_pilot, submitted_on, approved_on",
    )
    policy = policyrules.load(BEIJING)
    on_spark = _refusal(policy, reg, engine="spark")
    on_duckdb = _refusal(policy, reg)
    assert [d.code for d in on_spark] == ["E353", "E353"]
    assert [(d.message.split(": ", 1)[1], d.hint) for d in on_spark] == [
        (d.message.split(": ", 1)[1], d.hint) for d in on_duckdb
    ]
    assert on_spark[0].message.startswith(f"{reg}/pilot_applications: pilot_application d/C1's")
    assert "d/C2's approved_on (临床试验申请审批完成日期) is 2026-12-20" in on_spark[1].message


def test_spark_runs_on_the_day_itself(spark: Any, tmp_path: Path) -> None:
    """TIMED_RULES: 30 工作日 after Sunday 2026-11-01 is Friday 2026-12-11; done
    2026-12-20: not met.  As of 2026-12-20 the approval is a fact: judged, not refused."""
    reg = _registry(
        tmp_path / "timed",
        "('f')",
        "('f', DATE '2026-11-01', DATE '2026-12-20')",
        "firms",
        "id, submitted_on, approved_on",
    )
    policy = compile_text(TIMED_RULES)
    result = policy.evaluate_batch(str(reg), as_of="2026-12-20", engine="spark")
    try:
        rows = result.decisions().where("provision LIKE '%answer'").select("status").collect()
    finally:
        result.close()
    assert [r[0] for r in rows] == ["not_met"]
