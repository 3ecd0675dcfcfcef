"""The SQL back end on hand-worked cases: firm-a of examples/firm-a.yaml, refusals."""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.backends.sql import duckdb as engine

LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def firm_a() -> dict[tuple[str, str], tuple[object, ...]]:
    policy = policyrules.load("policies/beijing_2025")
    facts = policy.load_facts("examples/firm-a.yaml")
    ledger = policy.read_ledger(facts.extra["ledger"])
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, ledger)
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute(
        "SELECT provision, subject, status, amount, amount_kind, binding_caps, missing_parameters"
        " FROM decisions"
    ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_launch_rewards_share_the_firm_year_cap(
    firm_a: dict[tuple[str, str], tuple[object, ...]],
) -> None:
    # 2026 firm-year cap 1000 万元, 600 万 already in the ledger (3 × 200 万):
    # A1 (approved 03-02) 200 万 → 800; A2 (05-20) 150 万 → 950; A3 (09-08) decided 200 万,
    # only 1000 − 950 = 50 万 left → 50 万 = 50 000 000 fen, the firm-year cap binds.
    assert firm_a[(LAUNCH, "firm-a/A1")][:3] == ("eligible", 200_000_000, "exact")
    assert firm_a[(LAUNCH, "firm-a/A2")][:3] == ("eligible", 150_000_000, "exact")
    a3 = firm_a[(LAUNCH, "firm-a/A3")]
    assert a3[:3] == ("eligible", 50_000_000, "exact")
    assert a3[3] == [
        "1000 万元 per firm per year of if annual_cap_year = approval then approved_on "
        "else launch_reward_decided_on"
    ]


def test_rate_of_base_and_open_rate(firm_a: dict[tuple[str, str], tuple[object, ...]]) -> None:
    # 第7条: 30% × 8000 万元 = 2400 万元 = 2 400 000 000 fen, under the 5000 万 cap: exact.
    assert firm_a[("jjxf_2025_50/7/common_platform", "firm-a/J1")][:3] == (
        "eligible",
        2_400_000_000,
        "exact",
    )
    # 第13条: the rate is open, so A1 gets at most the 100 万元 per-product cap.
    a1 = firm_a[("jjxf_2025_50/13/overseas_registration", "firm-a/A1")]
    assert a1[:3] == ("eligible", 100_000_000, "up_to")
    assert a1[4] == ["overseas_support_rate"]


def test_the_whole_policy_agrees_with_evaluate() -> None:
    # Every decision of the four example files (both documents: awards, entitlements,
    # deadlines, targets), field for field.
    policy = policyrules.load("policies/beijing_2025")
    plan = compile_batch(policy.checked)
    for name in ("firm-a", "firm-b", "firm-c", "drugmaker-d"):
        facts = policy.load_facts(f"examples/{name}.yaml")
        ledger = policy.read_ledger(facts.extra.get("ledger", []))
        want = {
            (d.provision, d.subject): (
                d.status,
                d.amount.fen if d.amount else None,
                d.amount_kind,
                list(d.missing_facts),
                list(d.missing_parameters),
                sorted(a for a, _ in d.assumptions),
            )
            for d in policy.evaluate(facts).decisions
        }
        con = engine.connect()
        engine.load_facts(con, policy.checked, facts, ledger)
        engine.run_plan(con, plan)
        rows = con.execute(
            "SELECT provision, subject, status, amount, amount_kind, missing_facts,"
            " missing_parameters, assumptions FROM decisions"
        )
        got = {(r[0], r[1]): r[2:] for r in rows.fetchall()}
        assert got == want, name


def test_a_claim_under_two_shared_caps_is_refused() -> None:
    policy = compile_text(
        """entity firm
  list firms
entity product
  list products of firm
  fact x: money
document d "D"
clause 1 "c"
  quote "q"
  award a "A"
    quote "q"
    for each product
    amount x
    cap 10 万元 per firm
    cap 20 万元 per firm per year of 2026-01-01
"""
    )
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    assert err.value.diagnostics[0].code == "E604"


def test_once_per_owner_is_refused() -> None:
    policy = compile_text(
        """entity firm
  list firms
entity product
  list products of firm
  fact x: money
document d "D"
clause 1 "c"
  quote "q"
  award a "A"
    quote "q"
    for each product
    amount x
    once per firm
"""
    )
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    assert err.value.diagnostics[0].code == "E605"
    assert "once per firm" in err.value.diagnostics[0].message
