"""The batch's summary on Spark says what DuckDB's says (tests/unit/test_batch_top_up.py,
tests/unit/test_batch_after_today.py: the situations, worked by hand): the dates after
the machine's date when no ``--as-of`` is given, and the grants topping up an earlier
grant of their identity; the same lines, the same JSON keys.  Before, Spark's summary
had neither: ``after_today`` was missing and ``top_ups`` always said 0 grants."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.support import BEIJING, run_cli
from tests.unit.test_batch_top_up import TOP_UP_ZH

from policyrules import facts_dated

pytestmark = pytest.mark.timeout(600)  # the JVM starts

PLATFORM = "jjxf_2025_50/7/common_platform"
ON_SPARK = ("--engine", "spark", "--master", "local[2]")


def _parquet(folder: Path, tables: dict[str, str]) -> Path:
    """``tables``: each table's rows as a DuckDB query, written as Parquet."""
    folder.mkdir()
    con = duckdb.connect()
    for name, query in tables.items():
        con.execute(f"COPY ({query}) TO '{folder / name}.parquet'")
    con.close()
    return folder


def _both(
    capsys: pytest.CaptureFixture[str], reg: Path, out: Path
) -> tuple[list[str], dict[str, Any]]:
    """The batch's summary on DuckDB and on Spark, as text (the same lines after ``wrote
    OUT``, the time's line aside) and as JSON (the keys compared here)."""
    said, data = [], []
    for engine, name in (((), "duckdb"), (ON_SPARK, "spark")):
        code, text, err = run_cli(capsys, "batch", BEIJING, reg, "--out", out / name, *engine)
        assert code == 0, err
        said.append(text.splitlines()[-1])
        code, text, _ = run_cli(
            capsys,
            "batch",
            BEIJING,
            reg,
            "--out",
            out / f"{name}-json",
            "--summary-format",
            "json",
            *engine,
        )
        assert code == 0
        data.append(json.loads(text))
    assert said[0] == said[1]
    for key in ("top_ups", "after_today", "grants", "granted_fen"):
        assert data[1].get(key) == data[0].get(key), key
    return said, data[1]


def test_spark_warns_of_a_top_up(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """30 % × 132 万元 = 39.6 万元 (第7条); 10 万元 paid before under no year: 29.6 万元
    more, a grant of the 10 万元's identity."""
    reg = _parquet(
        tmp_path / "reg",
        {
            "firms": "SELECT 'F1' AS id",
            "projects": "SELECT 'P2' AS id, 'F1' AS firm_id, 'common_platform' AS kind, "
            "DATE '2026-01-10' AS applied_on, '132万元' AS engineering_investment",
            "ledger": f"SELECT '{PLATFORM}' AS provision, 'F1' AS firm, 'P2' AS project, "
            "'10万元' AS amount, NULL::INTEGER AS year",
        },
    )
    said, data = _both(capsys, reg, tmp_path)
    assert said[-1].startswith(
        "warning: 1 grant tops up an earlier grant of the same provision, subject and year "
        f"({PLATFORM} to firm F1, project P2 under no year: 10 万元 before, 296,000.00 元 now)"
    )
    assert said[-1].endswith("set the earlier grant's amount to 396,000.00 元")  # 10 + 29.6 万
    # in Chinese as on DuckDB (tests/unit/test_batch_top_up.py)
    code, text, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--out", tmp_path / "zh", "--lang", "zh", *ON_SPARK
    )
    assert (code, text.splitlines()[-1]) == (0, TOP_UP_ZH)
    assert data["top_ups"] == {
        "grants": 1,
        "first": {
            "provision": PLATFORM,
            "subject": "firm F1, project P2",
            "year": None,
            "before_fen": 100_000 * 100,
            "now_fen": 296_000 * 100,
        },
    }


def test_spark_counts_the_dates_after_today(
    spark: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Run on 2026-12-05: PFUT's approval, 2027-03-01, is the one date after it, paid as
    given (200 万元, 第3条) and said."""
    monkeypatch.setattr(facts_dated, "machine_today", lambda: dt.date(2026, 12, 5))
    routes = "['national_priority_review']"
    reg = _parquet(
        tmp_path / "reg",
        {
            "firms": "SELECT 'f1' AS id",
            "products": "SELECT * FROM (VALUES "
            f"('P1', 'f1', DATE '2026-03-02', {routes}, '150万元'), "
            f"('PFUT', 'f1', DATE '2027-03-01', {routes}, '200万元')) "
            "t(id, firm_id, approved_on, launch_routes, launch_reward_decided)",
        },
    )
    said, data = _both(capsys, reg, tmp_path)
    assert said[-1] == (
        "warning: 1 date fact lies after today (2026-12-05, this machine's date), taken as "
        "given (product f1/PFUT's approved_on 2027-03-01): --as-of YYYY-MM-DD would judge "
        "the dates as of that day (one after it refused, E353)"
    )
    assert data["after_today"] == {
        "today": "2026-12-05",
        "dates": 1,
        "first": "product f1/PFUT's approved_on 2027-03-01",
    }
    assert data["top_ups"] == {"grants": 0, "first": None}
    assert data["granted_fen"] == 3_500_000 * 100  # 150 万 + 200 万
