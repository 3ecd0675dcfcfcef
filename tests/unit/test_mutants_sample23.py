"""Tests that kill the survivors of the mutation sample of seed 23 (issue 9 §12).

`benchmarks/mutation.py --sample 60 --seed 23` on main 93e82d7 left ten mutants alive; each
is killed here.
Amounts are worked by hand in the comments (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import Money, RuleCheckError
from policyrules.runtime.currency import Foreign
from policyrules.runtime.ledger import Accounts, Earlier, Grant, Ledger
from policyrules.runtime.order import natural_key
from policyrules.runtime.statutory import VERSIONS

WAN = 1_000_000

# ---- a yearly schedule's claim cap (backends/python/schedule.py: compile_schedule) --------

YEARLY_CAPPED = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity firm "企业"
  list firms
  fact interest: list of money "各年度实际支付的利息"
  fact base_year: year "起始年度"

clause 1
  quote "按实际支付利息的50%给予贴息，连续贴息三年，累计不超过120万元。"
  award y
    for each firm
    amount 50% of this_year(interest)
    cap 120 万元
    paid yearly for 3 years from base_year
"""


def test_a_claim_cap_of_a_yearly_schedule_sums_its_years() -> None:
    """Interest of 100 万 a year, 50% of it each year: 50 万, 50 万, then 50 万 cut by the
    claim's cap of 120 万 累计 to 120 − (50 + 50) = 20 万: 120 万 in all, not 150 万."""
    policy = compile_text(YEARLY_CAPPED)
    facts = {"id": "F", "base_year": 2025, "interest": ["100万元", "100万元", "100万元"]}
    (d,) = policy.evaluate({"firms": [facts]}).decisions
    assert d.amount == Money(120 * WAN)
    assert [p.amount for p in d.schedule] == [Money(50 * WAN), Money(50 * WAN), Money(20 * WAN)]


def test_a_yearly_payment_under_an_unset_yearly_cap_is_not_granted() -> None:
    """The same yearly schedule without the claim cap, under `cap year_cap per firm per year
    of payment_year()` left unset: each year pays at most 50 万 (50% of 100 万), a bound
    only, so nothing is granted (the cap may turn out to be 30 万); with year_cap = 30 万
    each of the three years pays min(50 万, 30 万) = 30 万, all three due by 2027 and
    granted."""
    text = YEARLY_CAPPED.replace(
        "    cap 120 万元\n",
        "    cap year_cap per firm per year of payment_year()\n",
    ).replace("clause 1\n", 'clause 1\n  parameter year_cap: money "每年上限，待定"\n')
    policy = compile_text(text)
    facts = {"id": "F", "base_year": 2025, "interest": ["100万元", "100万元", "100万元"]}
    unset = policy.evaluate({"firms": [facts]}, as_of="2027-12-31")
    (d,) = unset.decisions
    assert d.missing_parameters == ("year_cap",)
    assert unset.grants == ()
    given = policy.evaluate(
        {"firms": [facts]}, as_of="2027-12-31", parameters={"year_cap": "30万元"}
    )
    assert sorted((g.year, g.amount) for g in given.grants) == [
        (2025, Money(30 * WAN)),
        (2026, Money(30 * WAN)),
        (2027, Money(30 * WAN)),
    ]


# ---- a trace of a tier whose key is unknown (backends/python/tiers.py: tier_steps) ---------

TIERS = """entity firm "企业"
  list firms
  fact level: Level
enum Level { low "低", mid "中", high "高" }

table grade: Level to money
  when low give 10 万元
  when mid give 30 万元
  when high give 50 万元

document d "测试"
clause 1 "t"
  quote "按等级分别奖励10万元、30万元、50万元。"
  award a
    for each firm
    amount if level reaches grade then grade[level] else 0 元
"""


def _tier(facts: dict[str, Any], explain: bool) -> policyrules.Decision:
    (d,) = (
        compile_text(TIERS).evaluate({"firms": [{"id": "f", **facts}]}, explain=explain).decisions
    )
    return d


def test_a_tier_with_an_unknown_key_is_explained_without_a_row() -> None:
    """Level unknown: eligible (nothing else is asked) for an amount that is unknown, with
    or without explanations, and the trace names no row; level high: the row `when high`,
    50 万元."""
    for explain in (False, True):
        d = _tier({}, explain)
        assert (d.status, d.amount, d.missing_facts) == ("eligible", None, ("firm.level",))
    assert not [s for s in _tier({}, True).trace if s.kind == "tier"]
    known = _tier({"level": "high"}, True)
    assert known.amount == Money(50 * WAN)
    (step,) = [s for s in known.trace if s.kind == "tier"]
    assert "when high" in step.text


# ---- a declared table read with a constant key (exprs.py: constant) ------------------------


def test_a_constant_tier_of_a_declared_table_is_checked_against_the_cap() -> None:
    """`minimum grade[high]` is 50 万元 and `cap grade[low]` 10 万元: both constants, so the
    minimum above the cap is E258 (50 万 > 10 万); with the two the other way round
    (10 万 ≤ 50 万) the policy checks clean."""
    guard = "amount if level reaches grade then grade[level] else 0 元"
    both = "eligible when high reaches grade and low reaches grade\n    amount 30 万元\n    {}"
    body = TIERS.replace(guard, both)
    with pytest.raises(RuleCheckError) as info:
        compile_text(body.replace("{}", "minimum grade[high]\n    cap grade[low]"))
    assert [d.code for d in info.value.diagnostics] == ["E258"]
    policy = compile_text(body.replace("{}", "minimum grade[low]\n    cap grade[high]"))
    (d,) = policy.evaluate({"firms": [{"id": "f"}]}).decisions
    assert d.amount == Money(30 * WAN)  # 10 万 ≤ 30 万 ≤ 50 万


# ---- runtime values: foreign money, earlier claims, the accounts ---------------------------


def test_foreign_money_subtracts() -> None:
    """3.50 美元 − 1.00 美元 = 2.50 美元 (350 − 100 = 250 cents)."""
    assert Foreign("USD", 350) - Foreign("USD", 100) == Foreign("USD", 250)


def test_earlier_claims_compare_unequal_to_other_things() -> None:
    """Earlier claims equal a tuple of the same pairs; compared with a number, Python is
    told the comparison is not implemented, so `==` gives False (not None)."""
    earlier = Earlier.of([("P1", Money(100))])
    assert earlier == (("P1", Money(100)),)
    assert earlier.__eq__(5) is NotImplemented
    assert (earlier == 5) is False


def test_earlier_claims_described_with_another_count_keep_the_default() -> None:
    """Five claims of 1..5 元 (15 元 in all): described with the last 4 first, the default
    description still shows the last 3, as a fresh one does."""
    pairs = [(f"P{i}", Money(i * 100)) for i in range(1, 6)]
    earlier = Earlier.of(pairs)
    four = earlier.describe(4)
    assert four == (
        "5 claims, 15.00 元 in all; the last 4: P2 2.00 元, P3 3.00 元, P4 4.00 元, P5 5.00 元"
    )
    expected = "5 claims, 15.00 元 in all; the last 3: P3 3.00 元, P4 4.00 元, P5 5.00 元"
    assert earlier.describe() == expected
    assert Earlier.of(pairs).describe() == expected


def test_pending_claims_are_the_bounds_of_the_undecided_ones() -> None:
    """Nothing claimed yet: 0 fen pending.  A certain claim of 3 元 and an undecided one of
    at most 5 元: 5 元 pending (500 fen), 3 元 granted now."""
    ledger = Ledger((Grant("d/1/a", (("firm", "f1"),), Money(5 * WAN), 2026),))
    accounts = Accounts(ledger, {"d/1/a": {"d/1/a"}})
    firm = (("firm", "f1"),)
    assert accounts.pending("d/1/a", firm, 2026) == Money(0)
    accounts.add(("d/1/a", firm, 2026), "f1/P1", Money(300), certain=True)
    accounts.add(("d/1/a", firm, 2026), "f1/P2", Money(500), certain=False)
    assert accounts.pending("d/1/a", firm, 2026) == Money(500)
    assert accounts.granted_now("d/1/a", firm, 2026) == Money(300)


# ---- natural order's key and the holiday texts' dates (runtime/order.py, statutory.py) -----


def test_the_natural_key_has_its_documented_shape() -> None:
    """`产品07a`: the text run (1, 0, "", "产品"), the digit run (0, 1 digit, "7", "07") and
    the text run (1, 0, "", "a"), as `NaturalKey` documents it (the SQL back end's
    `natural_literal` unpacks these four fields)."""
    assert natural_key("产品07a") == (
        (1, 0, "", "产品"),
        (0, 1, "7", "07"),
        (1, 0, "", "a"),
    )


def test_each_holiday_text_is_dated_as_the_state_council_amended_it() -> None:
    """《全国年节及纪念日放假办法》 as amended by 国务院令 第270号 (1999-09-18), 第513号
    (2007-12-14), 第644号 (2013-12-11) and 第795号 (2024-11-10), each governing from the
    next year."""
    assert [(v.amended, v.first_year) for v in VERSIONS] == [
        (dt.date(1999, 9, 18), 2000),
        (dt.date(2007, 12, 14), 2008),
        (dt.date(2013, 12, 11), 2014),
        (dt.date(2024, 11, 10), 2025),
    ]
