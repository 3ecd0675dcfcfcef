"""`ever` / `over N years` before `shared` is the same cap as after it (hCI's trial).

`cap 300 万元 per firm ever shared firm_total` was E101 with a list of top-level keywords,
while `cap 300 万元 per firm shared firm_total ever` parsed: the words a text gives in
either order (同一企业累计不超过 300 万元，与第N条合计).  Both parse to one cap; fmt prints
the span last.
"""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.parse import parse
from policyrules.printer import print_module

HEAD = """document t "测试"

entity firm "企业"
  list firms
  fact x: money "x"
  fact start: date "起始日期"

clause 1
  quote "q"

  award a "a"
    for each firm
    amount x
    paid over 2 years from start: 50%, 50% remainder last
"""


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        (
            "cap 300 万元 per firm ever shared firm_total",
            "cap 300 万元 per firm shared firm_total ever",
        ),
        (
            "cap 300 万元 per firm over 3 years shared firm_total",
            "cap 300 万元 per firm shared firm_total over 3 years",
        ),
        (
            "cap 300 万元 per firm over 3 years from first grant shared firm_total",
            "cap 300 万元 per firm shared firm_total over 3 years from first grant",
        ),
    ],
)
def test_the_span_before_shared_is_the_same_cap(written: str, canonical: str) -> None:
    tree = parse(HEAD + f"    {written}\n", "t.rule")
    assert tree == parse(HEAD + f"    {canonical}\n", "t.rule")  # (spans aside)
    printed = print_module(tree)
    assert printed.splitlines()[-1] == f"    {canonical}"


def test_the_policy_checks_alike_in_either_order() -> None:
    """The checked policy (not only the tree) is the same: the pool and the span kept."""
    texts = [HEAD + f"    {line}\n" for line in (
        "cap 300 万元 per firm ever shared firm_total",
        "cap 300 万元 per firm shared firm_total ever",
    )]  # fmt: skip
    facts = {"firms": [{"id": "F1", "x": "500万元", "start": "2026-03-02"}]}
    amounts = []
    for text in texts:
        policy = compile_text(text)
        (d,) = policy.evaluate(policy.read_facts(facts)).decisions
        amounts.append(d.amount)
    # 500 万元 cut to the 300 万元 cap, ever: the same in both orders
    assert amounts[0] == amounts[1] == policyrules.Money.of(300, "万元")
