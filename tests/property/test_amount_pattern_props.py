"""Properties of the amount constructs of issue 11 at the fen.

Oracles in integer and Fraction arithmetic on fen: a decided rate's exact award lies within
the range the same claim gets undecided; progressive bands equal the sum of each band's part
times its rate, rounded down once; a third of an amount is its fen // 3; a minimum never
lifts an award above a cap.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Money, Policy

POLICY = """entity project "项目"
  list projects
  fact base: money
  fact share: rate
  fact limit: money

document d "测试"

clause 1 "补助"
  quote "q"

  award ranged "区间"
    for each project
    amount 10% to 30% of base decided share
    cap limit

  award banded "分段"
    for each project
    amount progressive base
      band up to 1000 万元 at 10%
      band up to 5000 万元 at 7%
      band above at 5%

  award third "三分之一"
    for each project
    amount 1 / 3 of base

  award floored "最低"
    for each project
    amount 5% of base
    minimum 20 万元
    cap limit
"""


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    folder = tmp_path_factory.mktemp("amount_patterns")
    (folder / "t.rule").write_text(POLICY, encoding="utf-8")
    return policyrules.load(folder)


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f} 元"


def _decisions(policy: Policy, project: dict[str, str]) -> dict[str, policyrules.Decision]:
    result = policy.evaluate({"projects": [{"id": "p", **project}]})
    return {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions}


@given(
    base=st.integers(0, 10**12),
    hundredths=st.integers(1000, 3000),  # 10.00% .. 30.00%
    limit=st.integers(0, 10**12),
)
def test_a_decided_rate_lies_within_the_undecided_range(
    policy: Policy, base: int, hundredths: int, limit: int
) -> None:
    given_facts = {"base": _yuan(base), "limit": _yuan(limit)}
    open_range = _decisions(policy, given_facts)["ranged"]
    decided = _decisions(policy, {**given_facts, "share": f"{Decimal(hundredths) / 100}%"})[
        "ranged"
    ]
    assert decided.amount_kind == "exact"
    assert decided.amount is not None
    assert open_range.amount is not None
    low = {"range": open_range.amount_min, "up_to": Money.zero()}.get(
        str(open_range.amount_kind), open_range.amount
    )
    assert low is not None
    assert low <= decided.amount <= open_range.amount <= Money(limit)
    # the oracle: base × k / 10000 rounded down, then the cap
    assert decided.amount.fen == min(base * hundredths // 10_000, limit)


@given(base=st.integers(0, 10**13))
def test_bands_are_the_sum_of_each_part_rounded_down_once(policy: Policy, base: int) -> None:
    d = _decisions(policy, {"base": _yuan(base)})["banded"]
    wan = 1_000_000  # fen in 1 万元
    parts = [
        (min(base, 1000 * wan), Fraction(10, 100)),
        (max(min(base, 5000 * wan) - 1000 * wan, 0), Fraction(7, 100)),
        (max(base - 5000 * wan, 0), Fraction(5, 100)),
    ]
    exact = sum((p * r for p, r in parts), Fraction(0))
    assert d.amount == Money(int(exact))  # whole fen, rounded down
    assert d.amount.fen <= base * 10 // 100  # never above the top rate of the whole base


@given(base=st.integers(0, 10**15))
def test_a_third_is_exact_then_down_to_the_fen(policy: Policy, base: int) -> None:
    assert _decisions(policy, {"base": _yuan(base)})["third"].amount == Money(base // 3)


@given(base=st.integers(0, 10**12), limit=st.integers(0, 10**12))
def test_a_minimum_lifts_the_award_but_never_above_the_cap(
    policy: Policy, base: int, limit: int
) -> None:
    d = _decisions(policy, {"base": _yuan(base), "limit": _yuan(limit)})["floored"]
    assert d.amount_kind == "exact"
    # max(5% × base rounded down, 20 万元), then the cap
    assert d.amount == Money(min(max(base * 5 // 100, 20 * 1_000_000), limit))
