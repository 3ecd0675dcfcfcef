"""The batch's summary says when awards paid over time were only a forecast (no ``--as-of``).

hCI's trial: `batch inst reg1 --out out1` decided two firms' 分三年拨付 award exact and granted
nothing for it (a forecast: the years due cannot be told without a day), and the summary
said only "exact amounts … grants: 1".  Now a line says how many decisions were a forecast
and what to do, in English, in Chinese and in the JSON (``amounts.total.forecast``, and per
provision), on DuckDB and Spark alike (the summary's query is shared: ``batch_totals``).

Policy: 「一次性奖励100万元，分两年拨付」 (t/1/r, 50 % / 50 %) and 「奖励10万元」 (t/2/o, paid
at once), firms F1 and F2 approved in 2026.  Without ``--as-of``: r is exact 100 万元 for each
(a forecast, granted nothing), o 10 万元 each, granted: exact 2 × 100 + 2 × 10 = 220 万元
(4), grants 2, 20 万元, forecasts 2.  With ``--as-of 2026-06-30``: r grants 2026's 50 % =
50 万元 each: grants 4, 2 × 50 + 2 × 10 = 120 万元, no forecast.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.runtime.money import Money
from support import WAN, run_cli

RULE = """document t "测试"
  number "测试〔2026〕2号"

entity firm "企业"
  list firms
  fact approved_on: date "获批日期"

clause 1 "分期奖励"
  quote "给予一次性奖励100万元，分两年拨付。"

  award r "分期奖励"
    for each firm
    eligible when approved_on >= 2026-01-01
    amount 100 万元
    paid over 2 years from approved_on: 50%, 50% remainder last

clause 2 "奖励"
  quote "给予奖励10万元。"

  award o "奖励"
    for each firm
    eligible when approved_on >= 2026-01-01
    amount 10 万元
"""

LINE = (
    "forecasts: 2 decision(s) of awards paid over time (t/1/r: 2) shown as a forecast, "
    "granted nothing: no --as-of, so the years due cannot be told; give --as-of YYYY-MM-DD, "
    "the day of the payment run, to grant the years due by then"
)
LINE_ZH = (
    "预计：分年拨付的奖补有 2 项决定（测试〔2026〕2号 第1条 分期奖励 2 项）仅列出预计金额，"
    "未发放：未给出评估日期，无法确定哪些年度已到期；给出 --as-of YYYY-MM-DD（拨付日期），"
    "即发放届时已到期的年度"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "t.rule").write_text(RULE, "utf-8")
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "firms.csv").write_text(
        "id,approved_on\nF1,2026-03-02\nF2,2026-05-01\n", "utf-8"
    )
    return tmp_path


def test_the_summary_says_the_forecasts_and_what_to_do(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ("batch", folder / "pol", folder / "reg", "--out", folder / "o")
    code, out, _ = run_cli(capsys, *run)
    assert code == 0
    lines = out.splitlines()
    assert "exact amounts: 220 万元; grants: 2, 20 万元" in lines
    assert LINE in lines
    code, out, _ = run_cli(capsys, *run, "--lang", "zh")
    assert (code, LINE_ZH in out.splitlines()) == (0, True)
    code, out, _ = run_cli(capsys, *run, "--summary-format", "json")
    amounts = json.loads(out)["amounts"]
    assert amounts["total"]["forecast"] == 2
    assert {p["provision"]: p["forecast"] for p in amounts["provisions"]} == {
        "t/1/r": 2,
        "t/2/o": 0,
    }


def test_with_as_of_the_years_due_are_granted_and_nothing_is_a_forecast(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        capsys, "batch", folder / "pol", folder / "reg", "--out", folder / "o",
        "--as-of", "2026-06-30",
    )  # fmt: skip
    assert code == 0
    assert "grants: 4, 120 万元" in out
    assert "forecast" not in out
    policy = policyrules.load(folder / "pol")
    result = policy.evaluate_batch(folder / "reg", as_of="2026-06-30")
    try:
        assert result.summary.totals.total.forecast == 0
    finally:
        result.close()


@pytest.mark.timeout(600)  # the JVM starts
def test_spark_says_the_same(spark: object, folder: Path) -> None:
    reg = folder / "reg-parquet"
    reg.mkdir()
    duckdb.sql(f"FROM read_csv('{folder / 'reg' / 'firms.csv'}', all_varchar=true)").write_parquet(
        str(reg / "firms.parquet")
    )
    policy = policyrules.load(folder / "pol")
    on_duckdb = policy.evaluate_batch(reg)
    try:
        want = on_duckdb.summary.totals
    finally:
        on_duckdb.close()
    run = policy.evaluate_batch(str(reg), engine="spark", master="local[2]")
    try:
        run.write(folder / "out-spark", "parquet")
        got = run.summary.totals
    finally:
        run.close()
    assert got == want
    assert (got.total.forecast, got.total.exact) == (2, Money(220 * WAN))
    assert LINE in got.lines()
