"""Tests that kill the survivors of the mutation sample of seed 37 (issue 9 §12).

`benchmarks/mutation.py --sample 60 --seed 37` on main 65e850c left the mutants killed here
alive (the equivalent ones are listed in `benchmarks/mutation_equivalent.txt`).
Amounts are worked by hand in the comments (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

from tests.strategies import compile_text

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
