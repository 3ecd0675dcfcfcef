"""Properties of an award's amount at the fen: rate × base rounded down, caps never passed.

The oracle is integer arithmetic on fen: a rate of ``k`` hundredths of a percent is
``k / 10000``, so ``k``% % of ``b`` fen is ``b * k // 10000`` fen rounded down.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Policy

POLICY = """entity project "项目"
  list projects
  fact base: money
  fact share: rate
  fact limit: money
  fact other: money

document d "测试"

clause 1 "补助"
  quote "q"

  award grant "补助"
    for each project
    amount share of base
    cap limit
    cap 50% of other
"""


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    folder = tmp_path_factory.mktemp("bounds")
    (folder / "t.rule").write_text(POLICY, encoding="utf-8")
    return policyrules.load(folder)


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


@given(
    base=st.integers(0, 10**12),
    hundredths=st.integers(0, 10_000),  # 0.00% .. 100.00%
    limit=st.integers(0, 10**12),
    other=st.integers(0, 10**12),
)
def test_award_is_rate_times_base_rounded_down_within_every_cap(
    policy: Policy, base: int, hundredths: int, limit: int, other: int
) -> None:
    share = f"{Decimal(hundredths) / 100}%"
    facts = {
        "projects": [
            {
                "id": "x",
                "base": _yuan(base),
                "share": share,
                "limit": _yuan(limit),
                "other": _yuan(other),
            }
        ]
    }
    (d,) = policy.evaluate(facts).decisions
    expected = min(base * hundredths // 10_000, limit, other // 2)
    assert d.amount is not None
    assert (d.amount.fen, d.amount_kind) == (expected, "exact")
    assert d.amount.fen * 10_000 <= base * hundredths  # never above rate × base
    assert d.amount.fen <= limit
    assert 2 * d.amount.fen <= other
