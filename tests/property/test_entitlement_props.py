"""An award is its subject's entitlement under its provision: whatever was granted before
(any year, by any route) counts against it, so feeding results back never pays more."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules import Grant, Money
from policyrules.api import Policy
from strategies import compile_text

POLICY = """entity firm
  list firms

entity project
  list projects of firm
  fact base: money

document d "测试"

clause 1 "补助"
  quote "q"

  award a
    for each project
    amount 30% of base
    cap 5000 万元 per project
"""

WAN = 1_000_000  # fen in 1 万元
PATH = (("firm", "f"), ("project", "J"))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


def _facts(base_fen: int) -> dict[str, object]:
    base = str(Decimal(base_fen).scaleb(-2))  # 元, exact
    return {"firms": [{"id": "f", "projects": [{"id": "J", "base": base}]}]}


@given(
    st.integers(0, 20_000 * WAN),
    st.lists(st.tuples(st.integers(0, 3000 * WAN), st.integers(2020, 2030)), max_size=3),
)
def test_the_award_is_what_is_left_of_the_entitlement(
    policy: Policy, base: int, earlier: list[tuple[int, int]]
) -> None:
    """Earlier grants in distinct years totalling E: the award is
    max(min(30% × base, 5000 万) − E, 0), and min(5000 万 − E, ·) bounds it, to the fen."""
    years = {y: fen for fen, y in earlier}  # one grant per year: distinct identities
    ledger = [Grant("d/1/a", PATH, Money(fen), y) for y, fen in years.items()]
    before = sum(years.values())
    if before > 5000 * WAN:
        return  # an overspent ledger is refused (E329): see test_ledger_paid_twice
    (d,) = policy.evaluate(_facts(base), ledger=ledger).decisions
    entitlement = base * 30 // 100  # 30% rounded down to the fen
    expected = max(min(entitlement - before, 5000 * WAN - before), 0)
    assert d.amount == Money(expected)


@given(st.integers(0, 20_000 * WAN), st.integers(1, 4))
def test_feeding_results_back_never_pays_more(policy: Policy, base: int, runs: int) -> None:
    """Run after run, each fed every earlier grant (recorded in a new year): the total
    paid is the entitlement min(30% × base, 5000 万), paid once."""
    ledger: list[Grant] = []
    for year in range(2026, 2026 + runs):
        result = policy.evaluate(_facts(base), ledger=ledger)
        ledger += [Grant(g.provision, g.path, g.amount, year) for g in result.grants]
    assert sum(g.amount.fen for g in ledger) == min(base * 30 // 100, 5000 * WAN)
