"""The batch summary says what is not exact (DuckDB and Spark alike), in English or Chinese.

Worked by hand from ``tests.support_rates.RULES`` (clause 1: 一定支持 of the registration
cost, 单个产品不超过 100 万元; clause 2: 50 万元 per product sold), registry F1: P1 cost
120 万 sold, P2 cost 40 万 sold, P3 cost 80 万 ``sold`` missing, P4 not sold.

* rate unset: clause 1 P1 and P2 eligible, amount open, up to the 100 万 cap each → up to
  200 万 (2); P3 unknown; clause 2 P1, P2 50 万 exact → exact 100 万 (2), P3 unknown.
  Exact 100 万, at most 100 + 200 = 300 万, 2 of unknown eligibility (one per clause),
  support_rate leaves 2 decisions open.
* support_rate = 50 %: P1 50 % × 120 万 = 60 万, P2 50 % × 40 万 = 20 万 (under the cap):
  clause 1 exact 80 万 (2); exact 80 + 100 = 180 万 (4), nothing up to.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from tests.support import WAN, run_cli
from tests.support_rates import REWARD, SUPPORT, write_registry, write_rules

import policyrules
from policyrules.batch_totals import MeasureTotals
from policyrules.runtime.money import Money


def _wan(n: int) -> Money:
    return Money(n * WAN)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "reg")


def test_the_summary_says_the_bounds_the_unknown_and_the_unset(
    capsys: pytest.CaptureFixture[str], rules: Path, registry: Path, tmp_path: Path
) -> None:
    code, text, _ = run_cli(capsys, "batch", rules, registry, "--out", tmp_path / "o")
    assert code == 0
    lines = text.splitlines()
    assert "exact amounts: 100 万元; grants: 2, 100 万元" in lines
    start = lines.index("exact amounts: 100 万元; grants: 2, 100 万元") + 1
    assert lines[start : start + 4] == [
        "awards: exact 100 万元 (2); up to 200 万元 more (2); at most 300 万元; "
        "2 of unknown eligibility",
        f"  {SUPPORT}: exact 0.00 元 (0); up to 200 万元 more (2); at most 200 万元; "
        "1 of unknown eligibility",
        f"  {REWARD}: exact 100 万元 (2); 1 of unknown eligibility",
        "unset parameters (amounts left open): support_rate (2 decisions)",
    ]


def test_the_json_summary_has_the_totals_by_provision(
    capsys: pytest.CaptureFixture[str], rules: Path, registry: Path, tmp_path: Path
) -> None:
    args = ("batch", rules, registry, "--out", tmp_path / "o", "--summary-format", "json")
    code, text, _ = run_cli(capsys, *args)
    assert code == 0
    amounts = json.loads(text)["amounts"]
    total = amounts["total"]
    assert (total["exact_fen"], total["up_to_fen"], total["upper_fen"]) == (
        100 * WAN,
        200 * WAN,
        300 * WAN,
    )
    assert (total["upper_yuan"], total["unknown"], total["no_amount"]) == ("3000000.00", 2, 0)
    by = {p["provision"]: p for p in amounts["provisions"]}
    assert (by[SUPPORT]["up_to_count"], by[SUPPORT]["exact_count"]) == (2, 0)
    assert amounts["unset_parameters"] == [{"parameter": "support_rate", "decisions": 2}]


def test_a_rate_set_leaves_only_exact_amounts(
    capsys: pytest.CaptureFixture[str], rules: Path, registry: Path, tmp_path: Path
) -> None:
    args = ("batch", rules, registry, "--out", tmp_path / "o", "--set", "support_rate=50%")
    code, text, _ = run_cli(capsys, *args, "--lang", "zh")
    assert code == 0
    lines = text.splitlines()
    start = lines.index("确定金额合计：180 万元；发放记录：4 笔，180 万元") + 1
    assert lines[start : start + 3] == [
        "奖补：确定金额 180 万元（4 项）；是否符合条件尚未确定 2 项",
        "  测试〔2026〕1号 第1条 注册成本支持：确定金额 80 万元（2 项）；是否符合条件尚未确定 1 项",
        "  测试〔2026〕1号 第2条 销售奖励：确定金额 100 万元（2 项）；是否符合条件尚未确定 1 项",
    ]
    assert not any(line.startswith("未设定的参数") for line in lines)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_totals_come_from_the_written_file_in_any_format(
    rules: Path, registry: Path, tmp_path: Path, fmt: str
) -> None:
    result = policyrules.load(rules).evaluate_batch(registry)
    try:
        result.write(tmp_path / "o", fmt)
        totals = result.summary.totals
    finally:
        result.close()
    assert totals.total == MeasureTotals(None, _wan(100), 2, _wan(200), 2, 0, 2)
    assert totals.unset == (("support_rate", 2),)


@pytest.mark.timeout(600)  # the JVM starts
def test_spark_gives_the_same_totals(
    spark: object, rules: Path, registry: Path, tmp_path: Path
) -> None:
    reg = tmp_path / "reg-parquet"
    reg.mkdir()
    for name in ("firms", "products"):
        duckdb.sql(f"FROM read_csv('{registry / name}.csv', all_varchar=true)").write_parquet(
            str(reg / f"{name}.parquet")
        )
    policy = policyrules.load(rules)
    on_duckdb = policy.evaluate_batch(reg)
    try:
        want = on_duckdb.summary.totals
    finally:
        on_duckdb.close()
    for fmt in ("parquet", "csv"):
        run = policy.evaluate_batch(str(reg), engine="spark", master="local[2]")
        try:
            run.write(tmp_path / f"out-{fmt}", fmt)
            got = run.summary.totals
        finally:
            run.close()
        assert got == want, fmt
        assert [(m.provision, m.label_zh) for m in got.measures] == [
            (SUPPORT, "测试〔2026〕1号 第1条 注册成本支持"),
            (REWARD, "测试〔2026〕1号 第2条 销售奖励"),
        ]
    assert want.total.upper == _wan(300)
