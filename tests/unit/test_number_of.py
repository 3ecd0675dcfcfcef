"""A number literal above 1 before `of` is refused (E245); progressive limits out of order (E261).

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


@pytest.mark.parametrize(
    ("bands", "said"),
    [
        (
            "band up to 3000 万元 pays 10% band up to 500 万元 pays 0%",
            "500 万元 comes after 3000 万元",
        ),
        (
            "band up to 500 万元 pays 0% band up to 500 万元 pays 10%",
            "500 万元 comes after 500 万元",
        ),
        (
            "band up to 30000000 元 pays 10% band up to 500 万元 pays 0% band above pays 5%",
            "500 万元 comes after 3000 万元",
        ),
    ],
)
def test_progressive_limits_written_out_of_order_are_e261(bands: str, said: str) -> None:
    """A new author's trial: bands written 3000 万 then 500 万 passed check, and every firm
    was unknown (E417) when evaluated; limits written as amounts are now held to rise when
    the policy is checked."""
    with pytest.raises(RuleCheckError) as info:
        compile_text(RULE.replace("AMOUNT", f"progressive rent {bands}"))
    (d,) = info.value.diagnostics
    assert d.code == "E261"
    assert d.message == f"the bands' limits rise from the lowest: {said}"


def test_progressive_limits_in_order_pay_band_by_band() -> None:
    policy = compile_text(
        RULE.replace(
            "AMOUNT",
            "progressive rent band up to 500 万元 pays 0% band up to 3000 万元 pays 10% "
            "band above pays 5%",
        )
    )
    (d,) = policy.evaluate({"firms": [{"id": "A", "rent": "4000万元"}]}).decisions
    # 0% of 500 万 + 10% of 2500 万 + 5% of 1000 万 = 0 + 250 万 + 50 万 = 300 万元.
    assert d.amount is not None
    assert d.amount.fen == 300 * 10_000 * 100
