"""An award paid in instalments on Spark: the plan DuckDB runs, the same decisions and one
grant a year (pyspark, Java 17+; tests/unit/test_batch_instalments.py works the amounts).

Three firms and one earlier instalment, as Parquet: a few Spark jobs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.strategies import compile_text
from tests.unit.test_batch_instalments import THREE_YEARS

pytestmark = pytest.mark.timeout(600)  # the JVM starts

WAN = 1_000_000


def _registry(directory: Path) -> Path:
    directory.mkdir()
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES ('A', DATE '2025-03-01', '1000万元'), "
        "('B', DATE '2025-03-01', '3333333.37元'), ('C', NULL::DATE, '100万元')) "
        f"t(id, approved_on, investment)) TO '{directory / 'firms.parquet'}'"
    )
    con.execute(
        "COPY (SELECT 't/1/s' AS provision, 'A' AS firm, '100万元' AS amount, 2025 AS year) "
        f"TO '{directory / 'ledger.parquet'}'"
    )
    return directory


def test_instalments_on_spark_are_duckdbs(spark: Any, tmp_path: Path) -> None:
    """As of 2026-06-01.  A: 300 万元, 100 paid in 2025, 2026 settles 120 + 90 − 100 = 110
    万元 (2027's 90 future).  B: 30% of 333,333,337 fen = 100,000,001 fen; 40,000,000 in
    2025 and 30,000,000 in 2026 are due, 30,000,001 in 2027 future.  C: its start unknown."""
    policy = compile_text(THREE_YEARS)
    reg = str(_registry(tmp_path / "reg"))
    got = {}
    for engine in ("duckdb", "spark"):
        result: Any = policy.evaluate_batch(reg, as_of="2026-06-01", engine=engine)
        try:
            decided = result.decisions().select("subject", "status", "amount_fen", "amount_kind")
            granted = result.grants().select("firm", "amount_fen", "year")
            rows = decided.collect() if engine == "spark" else decided.fetchall()
            grants = granted.collect() if engine == "spark" else granted.fetchall()
        finally:
            result.close()
        got[engine] = (sorted(tuple(r) for r in rows), sorted(tuple(g) for g in grants))
    assert got["spark"] == got["duckdb"]
    assert got["spark"] == (
        [
            ("A", "eligible", 300 * WAN, "exact"),
            ("B", "eligible", 100_000_001, "exact"),
            ("C", "eligible", None, "unknown"),
        ],
        [("A", 110 * WAN, 2026), ("B", 30_000_000, 2026), ("B", 40_000_000, 2025)],
    )
