"""``policyrules batch --engine``: what is refused before any engine starts (no JVM here).

The runs on Spark itself are in test_batch_spark.py, which shares one Spark session.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.backends.sql.spark import SparkBatchError
from policyrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"


def _batch(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["batch", str(POLICY), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_a_duckdb_file_is_refused_on_spark_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "registry.db"
    duckdb.connect(str(db)).execute("CREATE TABLE firms (id VARCHAR)").close()
    code, err = _batch([str(db), "--out", str(tmp_path / "o"), "--engine", "spark"], capsys)
    assert code == 2
    assert "E648" in err
    assert "a DuckDB database file is read by the DuckDB engine only" in err
    assert "EXPORT DATABASE" in err  # the hint: how to make Parquet of it
    assert not (tmp_path / "o").exists()


def test_csv_tables_are_refused_on_spark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    code, err = _batch(
        [str(tmp_path / "reg"), "--out", str(tmp_path / "o"), "--engine", "spark"], capsys
    )
    assert code == 2
    assert "E648" in err
    assert "firms.csv: the Spark engine reads Parquet tables only" in err


@pytest.mark.parametrize(
    ("extra", "code", "said"),
    [
        (["--engine", "spark", "--memory-limit", "1GB"], "E648", "--memory-limit is DuckDB's"),
        (
            ["--engine", "spark", "--format", "csv", "--ledger-out", "g.json"],
            "E648",
            "--ledger-out reads the grants back from a local Parquet output",
        ),
        (["--engine", "spark", "--spark-conf", "spark.driver.memory"], "E649", "not KEY=VALUE"),
        (["--master", "local[2]"], "E649", "--master is for the Spark engine"),
        (["--spark-conf", "a=b"], "E649", "--spark-conf is for the Spark engine"),
    ],
)
def test_options_of_the_other_engine_are_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    code: str,
    said: str,
) -> None:
    (tmp_path / "reg").mkdir()
    exit_code, err = _batch([str(tmp_path / "reg"), "--out", str(tmp_path / "o"), *extra], capsys)
    assert exit_code == 2
    assert code in err
    assert said in err


def test_without_pyspark_the_error_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # pyspark stays installed: `import pyspark` is made to fail as it would without it.
    monkeypatch.setitem(sys.modules, "pyspark", None)
    (tmp_path / "reg").mkdir()
    code, err = _batch(
        [str(tmp_path / "reg"), "--out", str(tmp_path / "o"), "--engine", "spark"], capsys
    )
    assert code == 2
    assert "E640" in err
    assert "running a batch on Spark needs pyspark, which is not installed" in err
    assert "pip install 'policyrules[spark]'" in err


def test_an_unknown_engine_is_refused_by_the_api(tmp_path: Path) -> None:
    policy = policyrules.load(POLICY)
    with pytest.raises(SparkBatchError) as info:
        policy.evaluate_batch(tmp_path, engine="polars")  # type: ignore[call-overload]
    assert info.value.code == "E649"
