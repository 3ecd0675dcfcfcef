"""A number literal above 1 before `of` is refused (E245).

A new author's trial: `amount 50 of rent_paid` (meant 50%) passed `check` and paid 50 times
the rent, 50 万元 on a rent of 1 万元, cut only by the cap.  A number before `of` stands for
a fraction (`1 / 3 of booth_fees`, 三分之一, the guide's Units); one above 1 is now refused
with the rate and the product as hints.
"""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

from policyrules.errors import RuleCheckError

RULE = """document d "测试"
  valid from 2026-01-01

entity firm "企业"
  list firms
  fact rent: money "房租"

clause 1 "房租"
  quote "q"
  award rent_subsidy
    for each firm
    amount AMOUNT
"""


@pytest.mark.parametrize("share", ["50", "1.5", "100"])
def test_a_number_above_one_before_of_is_e245(share: str) -> None:
    with pytest.raises(RuleCheckError) as info:
        compile_text(RULE.replace("AMOUNT", f"{share} of rent"))
    (d,) = info.value.diagnostics
    assert d.code == "E245"
    assert d.message == (
        f"`{share} of rent` is {share} times rent: a number before `of` is a fraction of the "
        "base, such as `1 / 3 of rent`"
    )
    assert d.hint == (
        f"write the share as a rate: `{share}% of rent`; a multiple as a product: `{share} × rent`"
    )


@pytest.mark.parametrize(
    ("amount", "fen"),
    [
        # 1/3 of 10,000.00 元 = 3,333.333… 元, rounded down to the fen: 3,333.33 元.
        ("1 / 3 of rent", 333_333),
        # 0.5 of 10,000.00 元 = 5,000.00 元.
        ("0.5 of rent", 500_000),
        ("1 of rent", 1_000_000),
        # A multiple written as a product: 2 × 10,000.00 元 = 20,000.00 元.
        ("2 × rent", 2_000_000),
    ],
)
def test_fractions_and_products_are_paid(amount: str, fen: int) -> None:
    policy = compile_text(RULE.replace("AMOUNT", amount))
    (d,) = policy.evaluate({"firms": [{"id": "A", "rent": "10000元"}]}).decisions
    assert d.amount is not None
    assert d.amount.fen == fen
