"""The batch says why an amount is only "up to" when earlier open claims of its shared cap
hold it down: ``binding_caps`` names the cap and what they hold of its room, as the Chinese
decision text says a hold (``暂占``), on DuckDB and on Spark alike."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import policyrules

RULES = """\
entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact recognised: bool "经认定"
  fact reward: money "奖励金额"
  fact approved_on: date "获批日期"

document d "测试"
  number "测试〔2026〕1号"

clause 1 "奖励"
  quote "经认定的产品按核定金额奖励，单个企业不超过 150 万元，按获批先后支持。"

  award grant "产品奖励"
    for each product
    eligible when recognised
    amount reward
    cap 150 万元 per firm
    order by approved_on, id
"""

# P1 and P4: whether recognised is not known, so each holds its reward until decided.
PRODUCTS = """\
id,firm_id,recognised,reward,approved_on
P1,F1,,601234.56元,2026-01-01
P2,F1,true,50万元,2026-02-01
P3,F1,true,80万元,2026-03-01
P4,F2,,60万元,2026-01-01
P5,F2,true,120万元,2026-02-01
"""

CAP = "单个企业不超过 150 万元"
HELD = "：共用上限中在先的申请尚未确定，暂占 "

# By hand, firm F1 (cap 150 万元, in order of approval):
#   P1 holds 601,234.56 元 (its eligibility unknown);
#   P2: room were P1 paid nothing 150 万 - 0 = 150 万, were it paid its bound
#       150 万 - 601,234.56 = 898,765.44 元 >= 50 万: exact 50 万元, nothing held down;
#   P3: room 150 万 - 50 万 = 100 万, were P1 paid 100 万 - 601,234.56 = 398,765.44 元,
#       below 80 万: up to 80 万元, P1 holding 100 万 - 398,765.44 = 601,234.56 元.
# Firm F2: P4 holds 60 万; P5: room 150 万, were P4 paid 150 - 60 = 90 万, below 120 万:
#   up to 120 万元, P4 holding 150 - 90 = 60 万元.
WANT = {
    "F1/P1": ("unknown", None, None, []),
    "F1/P2": ("eligible", 50_000_000, "exact", []),
    "F1/P3": ("eligible", 80_000_000, "up_to", [CAP + HELD + "601,234.56 元"]),
    "F2/P4": ("unknown", None, None, []),
    "F2/P5": ("eligible", 120_000_000, "up_to", [CAP + HELD + "60 万元"]),
}


def _setup(tmp_path: Path) -> tuple[policyrules.Policy, Path]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "t.rule").write_text(RULES, "utf-8")
    reg = tmp_path / "reg"
    reg.mkdir()
    (tmp_path / "products.csv").write_text(PRODUCTS, "utf-8")
    # Parquet, which both engines read (the text as written: the policy reads its types)
    duckdb.sql("SELECT * FROM (VALUES ('F1'), ('F2')) t(id)").write_parquet(
        str(reg / "firms.parquet")
    )
    products = duckdb.read_csv(str(tmp_path / "products.csv"), all_varchar=True)
    products.write_parquet(str(reg / "products.parquet"))
    return policyrules.load(rules), reg


_COLUMNS = "subject, status, amount_fen, amount_kind, binding_caps"


def _rows(rows: list[tuple[object, ...]]) -> dict[object, tuple[object, ...]]:
    return {r[0]: (r[1], r[2], r[3], list(r[4])) for r in rows}  # type: ignore[call-overload]


def test_the_batch_says_what_earlier_open_claims_hold(tmp_path: Path) -> None:
    policy, reg = _setup(tmp_path)
    result = policy.evaluate_batch(reg)
    try:
        got = _rows(result.decisions().select(_COLUMNS).fetchall())
    finally:
        result.close()
    assert got == WANT
    # the one-by-one text names the claim that holds, and the same amount
    facts = policy.registry_facts(reg, ["F1", "F2"])
    text = policy.evaluate(facts).explain(lang="zh")
    assert "F1/P1 按测试〔2026〕1号 第1条“产品奖励”暂占 601,234.56 元" in text
    assert "F2/P4 按测试〔2026〕1号 第1条“产品奖励”暂占 60 万元" in text


@pytest.mark.timeout(600)  # the JVM starts
def test_spark_says_it_as_duckdb(spark: object, tmp_path: Path) -> None:
    policy, reg = _setup(tmp_path)
    run = policy.evaluate_batch(str(reg), engine="spark", master="local[2]")
    try:
        got = _rows([tuple(r) for r in run.decisions().select(*_COLUMNS.split(", ")).collect()])
    finally:
        run.close()
    assert got == WANT
