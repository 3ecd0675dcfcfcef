""" "Up to" because an earlier claim holds room (issue 9, the last audit): the explanation
names the earlier claim (subject, provision, the amount held, why it is not settled), in
English and in Chinese, and never says "the text fixes only ceilings" / 文本只规定了上限
when the text fixed the amount.

Policy: tests/unit/test_schedule_holds.py's (a 150 万元 yearly pool per firm shared by a
100 万元 one-time award, 30 % instalments 50/25/25 under a 300 万元 per-project cap, and a
yearly service subsidy), and a small one with an open rate.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text
from tests.unit.test_schedule_holds import L1, R1, _by, _facts, _policy

from policyrules.api import Policy
from policyrules.runtime.holds import Hold
from policyrules.runtime.money import Money
from policyrules.vocab import HOLD_REASONS, HOLD_REASONS_EN

WAN = 1_000_000
CEILINGS = ("the text fixes only ceilings", "文本只规定了上限")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return _policy()


@pytest.mark.parametrize(
    ("drop", "why"),
    [
        # R1's investment missing: its 2026 instalment is at most 50% × 300 万 (its
        # per-project cap) = 150 万元, held in the 2026 pool.
        ("investment", "instalment"),
        # R1's key_project missing: eligibility unknown; the schedule run as if eligible
        # holds 50% × min(30% × 1000 万, 300 万) = 150 万元.
        ("key_project", "eligibility"),
    ],
)
def test_the_later_claim_names_the_earlier_hold(policy: Policy, drop: str, why: str) -> None:
    r1 = {k: v for k, v in R1.items() if k != drop}
    result = policy.evaluate(_facts(r1, L1), as_of="2026-12-31")
    l1 = _by(result, "t/1/launch", "F1/L1")
    # L1 = min(100 万, 150 万 − 0 certain) = 100 万, but 150 万 − 150 万 held = 0: up to.
    assert (l1.amount, l1.amount_kind) == (Money(100 * WAN), "up_to")
    (cap,) = l1.caps
    assert cap.earlier.holds() == (Hold("F1/R1", "t/2/research", why, Money(150 * WAN)),)
    en = result.explain(lang="en")
    line = next(x for x in en.splitlines() if "amount: up to 100 万元" in x)
    assert "F1/R1 under t/2/research holds 150 万元" in line
    assert HOLD_REASONS_EN[why] in line
    zh = result.explain()
    line_zh = next(x for x in zh.splitlines() if "金额：最高 100 万元" in x)
    assert "F1/R1 按《测试》第2条“research”暂占 150 万元" in line_zh
    assert HOLD_REASONS[why] in line_zh
    for text in (line, line_zh):
        assert not any(c in text for c in CEILINGS)
    data = result.to_json()
    (j,) = [
        d for d in data["decisions"] if d["provision"] == "t/1/launch" and d["subject"] == "F1/L1"
    ]
    assert j["caps"][0]["held"] == [
        {"subject": "F1/R1", "provision": "t/2/research", "why": why, "amount": "1500000.00"}
    ]


def test_without_explanations_the_decisions_say_the_same(policy: Policy) -> None:
    """explain=False serves claims by the lean and fused functions: the hold is the same."""
    r1 = {k: v for k, v in R1.items() if k != "investment"}
    fast = policy.evaluate(_facts(r1, L1), as_of="2026-12-31", explain=False)
    slow = policy.evaluate(_facts(r1, L1), as_of="2026-12-31")
    a, b = (_by(r, "t/1/launch", "F1/L1").caps[0].earlier.holds() for r in (fast, slow))
    assert a == b
    assert len(a) == 1


RATE = """document t "测试"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact started_on: date "开工日期"
  fact cost: money "投资"

clause 1
  quote "按投资的一定比例给予补助，单个企业年度合计不超过100万元。"
  parameter rate: rate "一定比例"

  award grant "补助"
    for each project
    eligible when started_on in force
    amount rate of cost
    cap 80 万元 per project
    cap 100 万元 per firm per year of started_on shared pool
    order by started_on, id

clause 2
  quote "一次性奖励50万元，与第1条合计不超过100万元。"

  award bonus "奖励"
    for each project
    eligible when started_on in force
    amount 50 万元
    cap 100 万元 per firm per year of started_on shared pool
    order by started_on, id
"""


def _rate_facts() -> dict[str, Any]:
    return {
        "firms": [
            {
                "id": "F",
                "projects": [
                    {"id": "A", "started_on": "2026-01-05", "cost": "1000 万元"},
                    {"id": "B", "started_on": "2026-03-01", "cost": "10 万元"},
                ],
            }
        ]
    }


def test_an_earlier_claim_with_an_open_rate_is_named() -> None:
    """A's grant is rate × 1000 万, the rate unset: up to its 80 万元 per-project cap, held in
    the 100 万元 pool.  Pool order by started_on: A (01-05) grant, then A bonus, B grant,
    B bonus.  A's bonus: min(50 万, 100 万 − 0 certain) = 50 万, but 100 万 − 80 万 held =
    20 万 < 50 万: up to 50 万元, because of A's grant (its amount is not settled)."""
    policy = compile_text(RATE)
    result = policy.evaluate(_rate_facts())
    bonus = _by(result, "t/2/bonus", "F/A")
    assert (bonus.amount, bonus.amount_kind, bonus.missing_parameters) == (
        Money(50 * WAN),
        "up_to",
        (),
    )
    assert bonus.caps[0].earlier.holds() == (Hold("F/A", "t/1/grant", "amount", Money(80 * WAN)),)
    en = result.explain(lang="en")
    assert "F/A under t/1/grant holds 80 万元 (its amount is not settled)" in en
    assert not any(c in en for c in CEILINGS[:1])


@settings(max_examples=30, deadline=None)
@given(
    drop=st.sets(st.sampled_from(["investment", "key_project", "research_on"])),
    launched=st.sampled_from(["2026-01-10", "2026-05-01"]),
    fast=st.booleans(),
)
def test_an_up_to_of_this_fixed_award_is_always_explained_by_a_hold(
    policy: Policy, drop: set[str], launched: str, fast: bool
) -> None:
    """The launch award is a fixed 100 万元 with no open parameter: whenever it is "up to"
    with nothing of its own missing, an earlier claim holds room, and the texts name it —
    never "the text fixes only ceilings"."""
    r1 = {k: v for k, v in R1.items() if k not in drop}
    result = policy.evaluate(
        _facts(r1, {**L1, "launched_on": launched}), as_of="2026-12-31", explain=not fast
    )
    l1 = _by(result, "t/1/launch", "F1/L1")
    if l1.amount_kind != "up_to" or l1.missing_facts or l1.missing_parameters:
        return
    holds = [h for ev in l1.caps for h in ev.earlier.holds()]
    assert holds
    assert all(h.subject == "F1/R1" for h in holds)
    texts = result.explain(lang="en") + result.explain()
    assert not any(c in texts for c in CEILINGS)


def test_a_later_scheduled_payment_respects_an_earlier_hold() -> None:
    """policies/patterns 第4条 (insurance_compensation): 80% of each year's premium, 500 万元
    per firm over any 3 years.  P1 (insured 2026-01-15, premiums missing) may take the whole
    window each year: it holds 500 万元 in 2026, 2027 and 2028.  P2 (insured 2028-03-01,
    125 万元 a year → 80% = 100 万元) is served after it: in 2028 the window 2026–2028 has
    500 万 − 0 certain = 500 万 of room, but 500 万 − 1500 万 held < 100 万, so its 2028 payment
    is at most 100 万元, not granted, and the award up to 3 × 100 万 = 300 万元, naming P1.
    (Before, P2's 2028 payment was granted as exact; P1, once its premiums were known,
    found 100 万元 of its window taken.)"""
    from policyrules import load
    from support import ROOT

    policy = load(ROOT / "policies" / "patterns")
    facts = {
        "firms": [
            {
                "id": "F1",
                "projects": [
                    {"id": "P1", "insured_on": "2026-01-15"},
                    {"id": "P2", "insured_on": "2028-03-01", "premiums_paid": ["125万元"] * 3},
                ],
            }
        ]
    }
    result = policy.evaluate(facts, as_of="2028-12-31")
    p2 = _by(result, "patterns_years/4/insurance_compensation", "F1/P2")
    assert (p2.amount, p2.amount_kind) == (Money(300 * WAN), "up_to")
    first = p2.schedule[0]
    assert (first.year, first.status, first.held, first.amount) == (
        2028,
        "due",
        True,
        Money(100 * WAN),
    )
    assert first.held_by == (
        Hold("F1/P1", "patterns_years/4/insurance_compensation", "instalment", Money(500 * WAN)),
    )
    assert not [g for g in result.grants if g.provision.endswith("insurance_compensation")]
    en = result.explain(lang="en")
    assert "F1/P1 under patterns_years/4/insurance_compensation holds 500 万元" in en
    assert not any(c in en for c in CEILINGS)


def test_an_entitlement_under_a_cap_ever_respects_an_earlier_hold() -> None:
    """policies/patterns 第5条 (digital_service_subsidy): 50% of the contract, 300 万元 per firm
    ever, in 60%/40%.  P1 (signed 2026-04-01, contract missing) may take the whole 300 万元:
    it holds 60% × 300 万 (+ fen) and 40% in 2026 and 2027.  P2 (2026-06-01, 300 万元
    contract): 50% × 300 万 = 150 万, room 300 万 − 0 certain = 300 万, but 300 万 − held
    300 万 < 150 万: up to 150 万元 (90 万 + 60 万 shown), nothing granted, naming P1.  (Before:
    150 万元 exact and granted; with P1's contract of 400 万元 known, P2 gets only 100 万元.)"""
    from policyrules import load
    from support import ROOT

    policy = load(ROOT / "policies" / "patterns")
    p1: dict[str, Any] = {"id": "P1", "service_signed_on": "2026-04-01"}
    p2 = {"id": "P2", "service_signed_on": "2026-06-01", "service_contract": "300万元"}
    result = policy.evaluate({"firms": [{"id": "F1", "projects": [p1, p2]}]}, as_of="2027-12-31")
    d = _by(result, "patterns_years/5/digital_service_subsidy", "F1/P2")
    assert (d.amount, d.amount_kind) == (Money(150 * WAN), "up_to")
    assert [(p.year, p.amount, p.held) for p in d.schedule] == [
        (2026, Money(90 * WAN), True),
        (2027, Money(60 * WAN), True),
    ]
    assert {h.subject for p in d.schedule for h in p.held_by} == {"F1/P1"}
    assert not [g for g in result.grants if g.provision.endswith("digital_service_subsidy")]
    # Once P1's contract is known (400 万元 → 200 万), P2 is exact: 300 − 200 = 100 万元.
    p1["service_contract"] = "400万元"
    known = policy.evaluate({"firms": [{"id": "F1", "projects": [p1, p2]}]}, as_of="2027-12-31")
    d = _by(known, "patterns_years/5/digital_service_subsidy", "F1/P2")
    assert (d.amount, d.amount_kind) == (Money(100 * WAN), "exact")
