"""Cap exceptions (issue 11 §7): `cap X … unless C raise to Y` (原则上不超过 X，…可提高至 Y).

One ceiling with exceptions, not two caps: X where no exception applies, Y where one does;
two that apply with different limits are a conflict (the decision is unknown, E420, never a
silent pick); an unknown condition leaves the award between the two (at least, at most).
Amounts worked by hand in the comments (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.api import Policy
from policyrules.backends.sql import compile_batch
from policyrules.errors import RuleCheckError
from policyrules.printer import print_module

WAN = 1_000_000

HEADER = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity project "项目"
  list projects
  fact investment: money "投资额"
  fact major: determination "经认定的特别重大项目"
  fact key_chain: determination "经认定的产业链关键项目"
  fact flagship: determination "经认定的旗舰项目"

clause 1
  quote "按投资额的 20% 给予支持，原则上不超过 500 万元，特别重大项目可提高至 1000 万元。"
"""

POLICY = (
    HEADER
    + """
  award s
    for each project
    amount 20% of investment
    cap 500 万元 per project
      unless major raise to 1000 万元
      unless key_chain raise to 800 万元
      unless flagship raise to 1000 万元
"""
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


def _decide(policy: Policy, **facts: Any) -> policyrules.Decision:
    (d,) = policy.evaluate({"projects": [{"id": "P", **facts}]}).decisions
    return d


def test_round_trip_puts_each_exception_on_its_own_line() -> None:
    module = policyrules.parse(POLICY, "t.rule")
    text = print_module(module)
    assert "    cap 500 万元 per project\n      unless major raise to 1000 万元\n" in text
    assert policyrules.parse(text, "t.rule") == module


def test_no_exception_applies_the_cap_binds(policy: Policy) -> None:
    # 20% × 6000 万 = 1200 万 > 500 万 → 500 万.
    d = _decide(policy, investment="6000万元", major=False, key_chain=False, flagship=False)
    assert (d.status, d.amount_kind, d.amount.fen if d.amount else None) == (
        "eligible",
        "exact",
        500 * WAN,
    )


def test_an_exception_that_applies_raises_the_cap(policy: Policy) -> None:
    # major: the cap is 1000 万; 1200 万 → 1000 万.
    d = _decide(policy, investment="6000万元", major=True, key_chain=False, flagship=False)
    assert (d.amount_kind, d.amount.fen if d.amount else None) == ("exact", 1000 * WAN)
    (ev,) = d.caps
    assert ev.note == "raised to 1000 万元: major holds"
    # key_chain alone: 800 万.
    d = _decide(policy, investment="6000万元", major=False, key_chain=True, flagship=False)
    assert d.amount == policyrules.Money(800 * WAN)


def test_two_exceptions_with_the_same_limit_are_no_conflict(policy: Policy) -> None:
    d = _decide(policy, investment="6000万元", major=True, key_chain=False, flagship=True)
    assert (d.status, d.amount) == ("eligible", policyrules.Money(1000 * WAN))


def test_two_exceptions_with_different_limits_are_a_conflict(policy: Policy) -> None:
    d = _decide(policy, investment="6000万元", major=True, key_chain=True, flagship=False)
    assert d.status == "unknown"
    assert d.amount is None
    (reason,) = d.reasons
    assert reason.startswith("E420: conflict: the exceptions `major` (1000 万元) and `key_chain`")


def test_an_unknown_condition_gives_at_least_and_at_most(policy: Policy) -> None:
    # major unknown (the others false): the cap is 500 万 or 1000 万; 1200 万 → at least
    # 500 万, at most 1000 万, waiting on major.
    d = _decide(policy, investment="6000万元", key_chain=False, flagship=False)
    assert d.status == "eligible"
    assert d.amount_kind == "range"
    assert d.amount_min == policyrules.Money(500 * WAN)
    assert d.amount == policyrules.Money(1000 * WAN)
    assert d.missing_facts == ("project.major",)
    assert not policy.evaluate({"projects": [{"id": "P", "investment": "6000万元"}]}).grants


def test_an_amount_below_every_limit_is_exact_whatever_applies(policy: Policy) -> None:
    # 20% × 2000 万 = 400 万 ≤ 500 万 ≤ any raised limit: exact, and granted.
    result = policy.evaluate({"projects": [{"id": "P", "investment": "2000万元"}]})
    (d,) = result.decisions
    assert (d.amount_kind, d.amount) == ("exact", policyrules.Money(400 * WAN))
    assert d.missing_facts == ()
    assert [g.amount for g in result.grants] == [policyrules.Money(400 * WAN)]
    # 500 万 + 1 fen of award (2500 万 + 5 fen × 20% = 500 万 + 1 fen): the cap may bind.
    d = _decide(policy, investment="25,000,000.05 元")
    assert d.amount_kind == "range"
    assert (d.amount_min, d.amount) == (
        policyrules.Money(500 * WAN),
        policyrules.Money(500 * WAN + 1),
    )


def test_the_ledger_counts_against_the_raised_limit() -> None:
    policy = compile_text(
        HEADER + "\n  award s\n    for each project\n    amount 20% of investment\n"
        "    cap 500 万元 per project per year of 2026-06-01\n"
        "      unless major raise to 1000 万元\n"
    )
    ledger = [{"provision": "t/1/s", "project": "P", "amount": "300万元", "year": 2026}]
    facts = {"projects": [{"id": "P", "investment": "6000万元", "major": True}], "ledger": ledger}
    (d,) = policy.evaluate(facts).decisions
    # 1000 万 − 300 万 already granted = 700 万 room; 1200 万 → 700 万.
    assert d.amount == policyrules.Money(700 * WAN)
    facts["projects"][0].pop("major")
    (d,) = policy.evaluate(facts).decisions
    # unknown: at least 500 − 300 = 200 万, at most 700 万.
    assert (d.amount_min, d.amount) == (policyrules.Money(200 * WAN), policyrules.Money(700 * WAN))


def test_exceptions_are_checked() -> None:
    with pytest.raises(RuleCheckError) as info:
        compile_text(
            HEADER + "\n  award s\n    for each project\n    amount 20% of investment\n"
            "    cap 500 万元 per project\n      unless major raise to 500 万元\n"
            "      unless key_chain raise to 30%\n      unless investment raise to 900 万元\n"
        )
    text = str(info.value)
    assert "E285" in text
    assert "`raise to 500 万元` is not above the cap 500 万元" in text
    assert "an exception raises the cap to money, not rate" in text
    assert "an exception's condition must be bool, not money" in text


def test_an_exception_on_a_shared_cap_is_refused() -> None:
    with pytest.raises(RuleCheckError) as info:
        compile_text(
            HEADER + "\n  award s\n    for each project\n    amount 20% of investment\n"
            "    cap 500 万元 per project shared pool\n      unless major raise to 900 万元\n"
        )
    assert "E286" in str(info.value)


def test_general_path_only_and_compiled_by_the_batch(policy: Policy) -> None:
    # E616 is no longer raised for a cap of the claim's own (tests/unit/test_batch_bounds.py
    # compares the batch with the one-by-one path).
    assert "t/1/s" not in policy.compiled.fast
    plan = compile_batch(policy.checked)
    assert any(name == "decisions" for name, _ in plan.steps)
