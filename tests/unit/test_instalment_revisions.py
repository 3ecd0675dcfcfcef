"""Instalments when the entitlement changes between payments (issue 9, the last audit):
分期拨付 is the timing of one entitlement (rate × base), so by year k the first k shares of
the entitlement computed now are due.  An investment revised up after an instalment was
paid used to leave the earlier years' shortfall unpaid for ever (450 万元 "exact" of a
600 万元 entitlement); the next payment now settles it.  And a top-up in the year of a
recorded grant is refused by a store (E331) with what to do.

1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules.api import Policy
from policyrules.runtime.money import Money
from support import BEIJING
from support import run_cli as run

WAN = 1_000_000

RULE = """document t "测试"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact research_on: date "立项日期"
  fact investment: money "研发投入"

clause 2
  quote "按研发投入的30%给予支持，单个项目不超过1000万元，分三年拨付（50%、25%、25%）。YEARLY"

  award research
    for each project
    eligible when research_on in force
    amount 30% of investment
    cap 1000 万元 per project
    CAP
    paid over 3 years from research_on: 50%, 25%, 25% remainder last
"""


def _policy(yearly: bool = False) -> Policy:
    cap = "cap 100 万元 per firm per year of payment_year()" if yearly else ""
    text = RULE.replace("CAP", cap).replace(
        "YEARLY", "单个企业每年不超过100万元。" if yearly else ""
    )
    return compile_text(text)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return _policy()


def _facts(investment: str) -> dict[str, Any]:
    return {
        "firms": [
            {
                "id": "F1",
                "projects": [{"id": "R1", "research_on": "2026-02-01", "investment": investment}],
            }
        ]
    }


def _run(policy: Policy, investment: str, year: int, ledger: list[Any]) -> Any:
    return policy.evaluate(_facts(investment), ledger=ledger, as_of=f"{year}-12-31")


def test_an_entitlement_revised_up_is_settled_by_the_next_payment(policy: Policy) -> None:
    # 2026: 30% × 1000 万 = 300 万; 50% = 150 万 paid.
    r1 = _run(policy, "1000 万元", 2026, [])
    assert [(g.year, g.amount) for g in r1.grants] == [(2026, Money(150 * WAN))]
    # 2027: revised to 2000 万: entitlement 600 万; 75% of it = 450 万 due by 2027;
    # 450 − 150 paid = 300 万 now (its own share 25% × 600 = 150 万); 2028: 150 万.
    r2 = _run(policy, "2000 万元", 2027, list(r1.grants))
    (d,) = r2.decisions
    assert [(p.year, p.status, p.amount) for p in d.schedule] == [
        (2026, "paid", Money(150 * WAN)),
        (2027, "due", Money(300 * WAN)),
        (2028, "future", Money(150 * WAN)),
    ]
    assert (d.schedule[1].cap, d.schedule[1].before) == ("entitlement_raised", Money(150 * WAN))
    assert (d.amount, d.amount_kind) == (Money(600 * WAN), "exact")  # 150 + 300 + 150
    assert [(g.year, g.amount) for g in r2.grants] == [(2027, Money(300 * WAN))]
    en, zh = r2.explain(lang="en"), r2.explain()
    assert "raised from its share 150 万元" in en
    assert "以前各期拨付少于按现应得总额计算的份额，本期补足，由本期份额 150 万元 增至此数" in zh
    # 2028: the last 25% = 150 万; 600 万 in all.
    r3 = _run(policy, "2000 万元", 2028, [*r1.grants, *r2.grants])
    assert [(g.year, g.amount) for g in r3.grants] == [(2028, Money(150 * WAN))]


def test_a_payment_cut_by_a_yearly_cap_is_settled_later_within_the_caps() -> None:
    """Entitlement 30% × 1000 万 = 300 万; cap 100 万 per firm per year.  2026: 150 → 100;
    2027: 75% × 300 = 225 due by then − 100 paid = 125 → 100; 2028: 300 − 200 = 100 → 100.
    300 万 in all, the entitlement, never more than 100 万 a year; the same in one run or
    year by year."""
    policy = _policy(yearly=True)
    whole = _run(policy, "1000 万元", 2028, [])
    assert [(g.year, g.amount) for g in whole.grants] == [
        (2026, Money(100 * WAN)),
        (2027, Money(100 * WAN)),
        (2028, Money(100 * WAN)),
    ]
    ledger: list[Any] = []
    for year in (2026, 2027, 2028):
        ledger += _run(policy, "1000 万元", year, ledger).grants
    assert ledger == list(whole.grants)


@settings(max_examples=40, deadline=None)
@given(investments=st.lists(st.integers(0, 4000), min_size=3, max_size=3))
def test_the_schedule_pays_the_last_entitlement_and_never_more(investments: list[int]) -> None:
    """Three runs (2026, 2027, 2028), the investment (万元) revised before each: in all the
    schedule pays max(what the earlier runs paid, the last entitlement) — the entitlement
    30% × I capped at 1000 万 when the earlier payments do not exceed it — and each run's
    payments are never below 0."""
    policy = _POLICY
    ledger: list[Any] = []
    for year, inv in zip((2026, 2027, 2028), investments, strict=True):
        ledger += _run(policy, f"{inv} 万元", year, ledger).grants
    paid_before = sum(g.amount.fen for g in ledger if g.year < 2028)
    last = min(investments[-1] * WAN * 3 // 10, 1000 * WAN)
    assert sum(g.amount.fen for g in ledger) == max(paid_before, last)
    assert all(g.amount.fen >= 0 for g in ledger)


_POLICY = _policy()


def test_a_same_year_top_up_is_refused_with_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """第7条 common_platform: 30% of 8000 万 = 2400 万 recorded; revised to 10000 万:
    3000 − 2400 = 600 万 more, under the same identity (no year): E331, saying both amounts
    and how to record a paid top-up; nothing written."""
    db = tmp_path / "T.db"
    facts = (
        "firms:\n  - id: F\n    projects:\n      - {id: J1, kind: common_platform, "
        "applied_on: 2026-04-01, engineering_investment: INV}\n"
    )
    (tmp_path / "a.yaml").write_text(facts.replace("INV", "8000万元"), "utf-8")
    (tmp_path / "b.yaml").write_text(facts.replace("INV", "10000万元"), "utf-8")
    assert run(capsys, "ledger", "init", db)[0] == 0
    assert run(capsys, "eval", BEIJING, tmp_path / "a.yaml", "--ledger", db)[0] == 0
    code, _, err = run(capsys, "eval", BEIJING, tmp_path / "b.yaml", "--ledger", db)
    assert code == 2
    assert "error[E331]" in err
    assert "is already recorded (grant #1" in err
    assert "as 2400 万元" in err
    assert "gives it 600 万元 again" in err
    assert "top-up" in err
    assert "ledger export" in err
    assert "ledger import" in err
    code, out, _ = run(capsys, "ledger", "show", db, "--format", "json")
    assert code == 0
    assert out.count('"provision"') == 1
