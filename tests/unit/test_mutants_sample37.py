"""Tests that kill the survivors of the mutation sample of seed 37 (issue 9 §12).

`benchmarks/mutation.py --sample 60 --seed 37` on main 65e850c left the mutants killed here
alive (the equivalent ones are listed in `benchmarks/mutation_equivalent.txt`).
Amounts are worked by hand in the comments (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

from policyrules import Money, RuleCheckError

WAN = 1_000_000

# ---- a decided value outside its range (backends/python/amounts.py: Bounds._range) --------

RANGE = """entity firm "企业"
  list firms
  fact base: money
  fact r: rate
  fact chosen: money

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each firm
    amount 10% to 30% of base decided r
"""


def test_a_decided_rate_outside_its_range_is_shown_as_a_rate() -> None:
    """r = 31% of a base of 100 元 is outside 10% to 30%: unknown (E416), and the reason
    shows the decided rate as a rate, 31%, not as the number 0.31.  A decided amount of
    101 元 outside 50 元 to 100 元 is shown as money."""
    policy = compile_text(RANGE)
    (d,) = policy.evaluate({"firms": [{"id": "F", "base": "100元", "r": "31%"}]}).decisions
    assert (d.status, d.amount) == ("unknown", None)
    (reason,) = d.reasons
    assert reason.startswith("E416: the decided 31% is outside amount 10% to 30% of base")
    money = compile_text(
        RANGE.replace("10% to 30% of base decided r", "50 元 to 100 元 decided chosen")
    )
    (d,) = money.evaluate({"firms": [{"id": "F", "chosen": "101元"}]}).decisions
    assert d.reasons[0].startswith("E416: the decided 101.00 元 is outside amount 50 元 to 100 元")


# ---- deadlines and targets (backends/python/timelimits.py) ---------------------------------

DEADLINE = """entity case "申请"
  list cases
  fact start: date
  fact finished: date

document dl "时限"
  valid from 2000-01-01

clause 1 "工作日"
  quote "三个工作日内办结。"

  deadline wd3 "工作日"
    for each case
    due 3 工作日 after start
    done finished
"""


def test_a_deadline_met_under_every_schedule_is_a_step_that_held() -> None:
    """3 工作日 after Wed 2026-12-30 (chinesecalendar publishes up to 2026), done Thu
    12-31: one working day passed, fewer than 3, so met whatever 2027's schedule is.  Its
    trace step held (ok True), as the step of a deadline met inside published years does:
    3 工作日 after Fri 2026-06-05, done Mon 06-08, met 2 工作日 early."""
    policy = compile_text(DEADLINE)
    facts = {"cases": [{"id": "R", "start": "2026-12-30", "finished": "2026-12-31"}]}
    (d,) = policy.evaluate(facts, assumptions={"holiday_schedule": "error"}).decisions
    assert d.status == "met"
    (step,) = d.trace
    assert step.kind == "deadline"
    assert "in time under any holiday schedule" in step.text
    assert step.ok is True
    early = {"cases": [{"id": "R", "start": "2026-06-05", "finished": "2026-06-08"}]}
    (d,) = policy.evaluate(early).decisions
    assert d.status == "met"
    assert [s.ok for s in d.trace if s.kind == "deadline"] == [None, True]


TARGET = """entity firm "企业"
  list firms
  fact revenue: money

document d "测试"
  valid from 2025-01-01

clause 1
  quote "q"

  target t
    for each firm
    require revenue >= 100 万元
"""


def test_a_money_target_margin_is_the_difference() -> None:
    """Revenue 130 万元 against at least 100 万元: met, margin 130 − 100 = 30 万元 (not
    the sum, 230 万元); 80 万元: not met, margin 80 − 100 = −20 万元."""
    policy = compile_text(TARGET)
    (d,) = policy.evaluate({"firms": [{"id": "F", "revenue": "130万元"}]}).decisions
    assert (d.status, d.margin) == ("met", "130 万元 against 100 万元: margin 30 万元")
    (d,) = policy.evaluate({"firms": [{"id": "F", "revenue": "80万元"}]}).decisions
    assert (d.status, d.margin) == ("not_met", "80 万元 against 100 万元: margin -20 万元")


# ---- a define read as a constant (exprs.py: constant) --------------------------------------

DEFINED_MINIMUM = """entity firm "企业"
  list firms
  fact base: money

document d "测试"
  valid from 2025-01-01

clause 1
  quote "q"

  define floor = FLOOR

  award a
    for each firm
    amount 30 万元
    minimum floor
    cap 10 万元
"""


def test_a_constant_define_as_a_minimum_is_checked_against_the_cap() -> None:
    """`define floor = 50 万元` reads nothing: a constant, so `minimum floor` above `cap
    10 万元` is E258 (50 万 > 10 万).  `define floor = base * 2` reads a fact: not a
    constant, nothing to check; with base 40 万 the minimum raises 30 万 to 80 万 and the
    cap cuts it to 10 万."""
    with pytest.raises(RuleCheckError) as info:
        compile_text(DEFINED_MINIMUM.replace("FLOOR", "50 万元"))
    assert [d.code for d in info.value.diagnostics] == ["E258"]
    policy = compile_text(DEFINED_MINIMUM.replace("FLOOR", "base * 2"))
    (d,) = policy.evaluate({"firms": [{"id": "F", "base": "40万元"}]}).decisions
    assert (d.status, d.amount) == ("eligible", Money(10 * WAN))


# ---- foreign money times a rate (exprs_values.py: times) -----------------------------------

FOREIGN = """entity firm "企业"
  list firms
  fact exports: money(USD) "出口额"
parameter usd_cny: exchange(USD) "美元中间价"
document d "测试"
clause 1
  quote "q"
  award a
    for each firm
    eligible when exports * 50% >= 1 万美元
    amount convert(exports * 10%, usd_cny)
  award b
    for each firm
    eligible when 50% * exports >= 1 万美元
    amount convert(10% * exports, usd_cny)
"""
USD_CNY = {"usd_cny": {"rate": "7.1234", "date": "2026-01-05"}}


@pytest.mark.parametrize("provision", ["d/1/a", "d/1/b"])
def test_foreign_money_times_a_rate_on_either_side(provision: str) -> None:
    """Exports of 25,000.00 美元: × 50% = 12,500.00 美元 ≥ 10,000.00 美元, eligible; the
    amount 25,000.00 美元 × 10% = 2,500.00 美元 (250,000 cents) × 7.1234 = 1,780,850 fen =
    17,808.50 元.  Exports of 15,000.00 美元: × 50% = 7,500.00 美元 < 10,000.00 美元, not
    eligible."""
    policy = compile_text(FOREIGN)
    high = policy.evaluate({"firms": [{"id": "F", "exports": "2.5 万美元"}]}, parameters=USD_CNY)
    (d,) = [d for d in high.decisions if d.provision == provision]
    assert (d.status, d.amount) == ("eligible", Money(1_780_850))
    low = policy.evaluate({"firms": [{"id": "F", "exports": "1.5 万美元"}]}, parameters=USD_CNY)
    (d,) = [d for d in low.decisions if d.provision == provision]
    assert d.status == "not_eligible"


# ---- floor and ceil of a quotient (runtime/quotients.py) -----------------------------------

ROUNDED = """entity firm "企业"
  list firms
  fact n: number

document d "测试"
  valid from 2025-01-01

clause 1
  quote "q"

  award rounded_up
    for each firm
    amount ceil(n / 3) × 1 万元

  award rounded_down
    for each firm
    amount floor(n / 3) × 1 万元
"""


def test_ceil_and_floor_of_a_quotient() -> None:
    """n = 7: 7 / 3 = 2.33…, ceil 3 → 3 万元, floor 2 → 2 万元; n = 6: 6 / 3 = 2 exactly,
    both 2 万元."""
    policy = compile_text(ROUNDED)
    for n, up, down in ((7, 3, 2), (6, 2, 2)):
        result = policy.evaluate({"firms": [{"id": "F", "n": n}]})
        assert [d.amount for d in result.decisions] == [Money(up * WAN), Money(down * WAN)]
