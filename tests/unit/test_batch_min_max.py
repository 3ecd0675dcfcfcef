"""``min()`` and ``max()`` in the batch: the trial's 贷款贴息 clause (issue hBP), on DuckDB
and Spark, as the one-by-one path decides it.

「按照企业实际支付利息的 50% 给予贴息,贴息利率不超过同期贷款市场报价利率(LPR)」 is
``amount 50% of min(interest_paid, lpr of principal)``: the interest paid, at most the LPR
of the principal, halved.  Amounts are worked by hand in the comments; every product is
rounded down to the fen.  (The old code refused the policy: E602, min() cannot be compiled.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql import spark as on_spark
from policyrules.backends.sql.spark_tables import read_registry
from policyrules.batch_columns import decisions_sql
from policyrules.words import Words

QUOTE = (
    "对区内中小企业使用银行贷款开展技术改造的,按照企业实际支付利息的 50% 给予贴息,"
    "贴息利率不超过同期贷款市场报价利率(LPR),单个企业年度贴息额不超过 100 万元。"
)
TEXT = f"""entity firm "企业"
  list firms
  fact sme: bool "中小企业"

entity loan "贷款"
  list loans of firm
  fact principal: money "贷款本金"
  fact lpr: rate "同期贷款市场报价利率（LPR）"
  fact interest_paid: money "企业实际支付的利息"
  fact interest_paid_on: date "利息支付日期"
  fact drawn_on: date "放款日期"
  fact yearly_interest: list of money "各年度实际支付的利息"

document d "测试"
  valid from 2026-01-01 to 2027-12-31

clause 1 "技术改造贷款贴息"
  quote "{QUOTE}"

  award interest_subsidy "技术改造贷款贴息"
    for each loan
    eligible when firm.sme
    eligible when interest_paid_on in force
    amount 50% of min(interest_paid, lpr of principal)
    cap 100 万元 per firm per year of interest_paid_on
    order by interest_paid_on, id

clause 2 "放款和付息"
  quote "放款和付息均在 2027 年底前、按各年度所付利息中最低一年的 10% 给予奖励的"

  award later_of_two "放款和付息"
    for each loan
    eligible when max(drawn_on, interest_paid_on) <= 2027-12-31
    amount 10% of min(yearly_interest)
"""
SUBSIDY, LATER = "d/1/interest_subsidy", "d/2/later_of_two"

L1 = {  # the LPR binds: 10,000,000.00 × 3.45% = 345,000.00 < 413,700.00
    "id": "L1",
    "principal": "1000万元",
    "lpr": "3.45%",
    "interest_paid": "413,700.00元",
    "interest_paid_on": "2026-06-20",
    "drawn_on": "2026-03-15",
    "yearly_interest": ["200,000.00元", "213,700.00元"],
}
L2 = {  # the interest binds: 3,333,333.33 × 3.1% = 103,333.333… → 103,333.33 > 77,777.77
    "id": "L2",
    "principal": "3,333,333.33元",
    "lpr": "3.1%",
    "interest_paid": "77,777.77元",
    "interest_paid_on": "2026-09-30",
    "drawn_on": "2028-01-05",
    "yearly_interest": [],
}
L3 = {  # the interest paid missing: unknown, though the LPR ceiling is known
    "id": "L3",
    "principal": "100万元",
    "lpr": "3%",
    "interest_paid_on": "2026-10-30",
}
L4 = {"id": "L4", "principal": "100万元", "interest_paid_on": "2026-11-30"}  # both missing


def _policy() -> policyrules.Policy:
    return compile_text(TEXT)


def _raw() -> dict[str, Any]:
    return {"firms": [{"id": "F1", "sme": True, "loans": [L1, L2, L3, L4]}]}


def _batch(policy: policyrules.Policy) -> Any:
    con = engine.connect()
    engine.load_facts(con, policy.checked, policy.read_facts(_raw()), policy.read_ledger([]))
    engine.run_plan(con, compile_batch(policy.checked))
    return con


def _rows(con: Any) -> dict[tuple[str, str], tuple[Any, ...]]:
    named = decisions_sql(Words.of(_policy().checked), "decisions")
    rows = con.execute(
        f"SELECT provision, subject, status, amount_fen, amount_kind, missing_facts FROM ({named})"
    ).fetchall()
    return {(r[0], r[1].split("/")[-1]): r[2:] for r in rows}


def test_the_lpr_ceiling_or_the_interest_whichever_is_less() -> None:
    rows = _rows(_batch(_policy()))
    # L1: 50% × min(413,700.00, 345,000.00) = 50% × 345,000.00 = 172,500.00 元
    assert rows[SUBSIDY, "L1"][:3] == ("eligible", 17_250_000, "exact")
    # L2: 50% × min(77,777.77, 103,333.33) = 38,888.885 → 38,888.88 元 (down to the fen)
    assert rows[SUBSIDY, "L2"][:3] == ("eligible", 3_888_888, "exact")


def test_an_unknown_operand_leaves_the_amount_unknown_missing_it() -> None:
    """As one by one: a known ceiling does not decide min(); the amount is at most the
    firm's room for 2026, 100 万元 − 172,500.00 − 38,888.88 = 788,611.12 元."""
    rows = _rows(_batch(_policy()))
    assert rows[SUBSIDY, "L3"] == ("eligible", 78_861_112, "up_to", ["loan.interest_paid"])
    both = ["loan.interest_paid", "loan.lpr"]
    assert rows[SUBSIDY, "L4"] == ("eligible", 78_861_112, "up_to", both)


def test_max_of_dates_and_min_of_a_list() -> None:
    rows = _rows(_batch(_policy()))
    # L1: max(2026-03-15, 2026-06-20) = 2026-06-20 <= 2027-12-31;
    # 10% × min(200,000.00, 213,700.00) = 20,000.00 元
    assert rows[LATER, "L1"][:3] == ("eligible", 2_000_000, "exact")
    # L2: max(2028-01-05, 2026-09-30) = 2028-01-05, after 2027-12-31
    assert rows[LATER, "L2"][0] == "not_eligible"
    # L3: drawn_on missing: the max is unknown (2026-10-30 alone does not decide it)
    assert rows[LATER, "L3"][0] == "unknown"
    assert "loan.drawn_on" in rows[LATER, "L3"][3]


def test_the_batch_gives_the_one_by_one_decisions() -> None:
    policy = _policy()
    result = policy.evaluate(policy.read_facts(_raw()))
    want = {
        (d.provision, d.subject.split("/")[-1]): (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_kind,
        )
        for d in result.decisions
        if d.subject is not None
    }
    got = {k: v[:3] for k, v in _rows(_batch(policy)).items()}
    assert got == want


def test_min_of_an_empty_list_is_undecided_on_both_paths() -> None:
    """min() of no items has no value (E414): a loan whose yearly_interest is [] is
    undecided in the batch as one by one, with no amount."""
    policy = _policy()
    loan = {"id": "L5", "drawn_on": "2026-03-01", "interest_paid_on": "2026-03-02"}
    raw = {"firms": [{"id": "F1", "sme": True, "loans": [{**loan, "yearly_interest": []}]}]}
    one = {d.provision: d for d in policy.evaluate(policy.read_facts(raw)).decisions}[LATER]
    con = engine.connect()
    engine.load_facts(con, policy.checked, policy.read_facts(raw), policy.read_ledger([]))
    engine.run_plan(con, compile_batch(policy.checked))
    status, fen = con.execute(
        "SELECT status, amount FROM decisions WHERE provision = ?", [LATER]
    ).fetchone()
    assert (status, fen) == (one.status, None)
    assert one.status == "unknown"
    assert any("E414" in r for r in one.reasons)


@pytest.mark.timeout(600)  # the JVM starts
def test_on_spark_as_on_duckdb(spark: Any, tmp_path: Path) -> None:
    """Spark's LEAST and GREATEST skip NULLs as DuckDB's do: the unknown L3 and L4 stay
    unknown there too, and L1, L2 are paid as worked above."""
    policy = _policy()
    con = _batch(policy)
    plan = compile_batch(policy.checked)
    for name in [n for n in plan.inputs if n != "calendar_days"]:
        con.execute(f"COPY \"{name}\" TO '{tmp_path / name}.parquet' (FORMAT parquet)")
    outputs = on_spark.run_plan(spark, plan, read_registry(spark, policy.checked, str(tmp_path)))
    cols = "provision, subject, status, amount, amount_kind"
    want = sorted(con.execute(f"SELECT {cols} FROM decisions").fetchall())
    got = sorted(tuple(r) for r in outputs["decisions"].select(*cols.split(", ")).collect())
    assert got == want
    assert sum(r["amount_fen"] for r in outputs["grants"].collect()) == 23_138_888
    # 17,250,000 + 3,888,888 (interest_subsidy L1, L2) + 2,000,000 (later_of_two L1) fen


@pytest.mark.parametrize(
    ("amount", "hint"),
    [
        ("(lpr × 50%) of principal", "a share of a share compiles, `lpr of (50% of X)`"),
        ("average(yearly_interest)", "an average compared compiles"),
        ("sum(yearly_interest)", None),
    ],
)
def test_e602_names_a_form_the_batch_compiles(amount: str, hint: str | None) -> None:
    """E602's hint says a compiled form where there is one, else only one by one."""
    text = TEXT.replace("amount 10% of min(yearly_interest)", f"amount {amount}")
    with pytest.raises(BatchCompileError) as info:
        compile_batch(compile_text(text).checked)
    (d,) = info.value.diagnostics
    assert d.code == "E602"
    assert d.hint is not None
    assert d.hint.endswith("policy.evaluate(policy.registry_facts(REGISTRY, ID)))")
    assert (hint in d.hint) if hint else d.hint.startswith("evaluate")
