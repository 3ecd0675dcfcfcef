"""The batch on Spark refuses a one-time award's grant recorded in another year than the
registry gives it (E349), as DuckDB does (tests/unit/test_ledger_grant_year.py: the worked
example).  Run 2's registry: firm f1, P1 approved 2026-01-05, P2-P6 in February 2026, 200
万元 each; the ledger holds P1's 200 万元 in 2025.  Corrected to 2026: 1000 − 200 = 800
万元 left, P2-P5 200 each, P6 0 (2026: 200 + 800 = 1000 万元, the cap)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from policyrules.cli import main
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import WAN, launch_grant_file

pytestmark = pytest.mark.timeout(600)  # the JVM starts and plans the shipped policy


def _registry(directory: Path) -> Path:
    directory.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'f1' AS id) TO '{directory / 'firms.parquet'}'")
    rows = ", ".join(
        f"('P{i}', 'f1', DATE '{day}', ['national_priority_review'], '200万元')"
        for i, day in [(1, "2026-01-05"), *((i, f"2026-02-0{i}") for i in range(2, 7))]
    )
    con.execute(
        f"COPY (SELECT * FROM (VALUES {rows}) "
        "t(id, firm_id, approved_on, launch_routes, launch_reward_decided)) "
        f"TO '{directory / 'products.parquet'}'"
    )
    return directory


def test_spark_refuses_a_grant_in_another_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "registry")
    spark = ["--engine", "spark", "--master", "local[2]", "--quiet", "--format", "parquet"]
    batch = ["batch", str(POLICY), str(reg), *spark]
    code = main(
        [*batch, "--out", str(tmp_path / "bad"), "--ledger", str(launch_grant_file(tmp_path, 2025))]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "E349" in err
    assert "firm f1, product P1" in err
    assert "not 2025" in err
    code = main(
        [*batch, "--out", str(tmp_path / "ok"), "--ledger", str(launch_grant_file(tmp_path, 2026))]
    )
    assert code == 0, capsys.readouterr().err
    got = duckdb.connect().sql(
        f"SELECT subject, amount_fen FROM '{tmp_path / 'ok' / 'decisions.parquet'}/*.parquet' "
        f"WHERE provision = '{LAUNCH}' AND status = 'eligible'"
    )
    assert dict(got.fetchall()) == {"f1/P2": 200 * WAN, "f1/P3": 200 * WAN, "f1/P4": 200 * WAN,
                                    "f1/P5": 200 * WAN, "f1/P6": 0}  # fmt: skip
