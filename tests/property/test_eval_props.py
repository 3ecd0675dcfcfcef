"""Properties of evaluation: pure, caps shared fairly whatever the order, monotone bases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules import Grant, Money
from policyrules.api import Policy
from strategies import agreeing, compile_text, within_caps
from support import WAN, products_head

AWARD = (
    products_head("approved_on: date", "awarded: money")
    + """
  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    once per product
    order by approved_on, id
"""
)

BASE = """entity project
  list projects
  fact base: money

document d "测试"

clause 1 "补助"
  quote "q"

  award a
    for each project
    amount 30% of base
    cap 5000 万元 per project
"""

PROVISION = "d/1/a"


@pytest.fixture(scope="module")
def award() -> Policy:
    return compile_text(AWARD)


@pytest.fixture(scope="module")
def based() -> Policy:
    return compile_text(BASE)


_claims = st.lists(
    st.tuples(
        st.sampled_from(("f1", "f2")),
        st.one_of(st.integers(0, 300 * WAN), st.sampled_from((0, 200 * WAN, 300 * WAN))),
        st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    ),
    max_size=12,
).map(lambda xs: [(firm, f"p{i}", fen, day) for i, (firm, fen, day) in enumerate(xs)])


def _facts(claims: list[tuple[str, str, int, dt.date]]) -> dict[str, object]:
    firms: dict[str, list[dict[str, object]]] = {}
    for firm, pid, fen, day in claims:
        product = {"id": pid, "awarded": Decimal(fen).scaleb(-2), "approved_on": day.isoformat()}
        firms.setdefault(firm, []).append(product)
    return {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}


_ledger = st.lists(
    st.tuples(
        st.sampled_from(("f1", "f2")),
        st.integers(0, 11),
        st.integers(0, 400 * WAN),
        st.sampled_from((2025, 2026)),
    ),
    max_size=3,
    unique_by=lambda g: (g[0], g[1]),
)


def _grants(raw: list[tuple[str, int, int, int]]) -> tuple[Grant, ...]:
    return tuple(
        Grant(PROVISION, (("firm", f), ("product", f"p{i}")), Money(fen), year)
        for f, i, fen, year in raw
    )


@given(_claims, _ledger)
def test_evaluation_is_pure(award: Policy, claims: list, ledger: list) -> None:
    """The same policy, facts and ledger twice give equal results."""
    facts = _facts(claims)
    grants = agreeing(award, facts, within_caps(award, _grants(ledger)))
    assert award.evaluate(facts, ledger=grants) == award.evaluate(facts, ledger=grants)


@given(_claims.flatmap(lambda c: st.tuples(st.just(c), st.permutations(c))), _ledger)
def test_caps_hold_in_every_order(award: Policy, pair: tuple[list, list], ledger: list) -> None:
    """Grants respect every cap, never pay a product twice, and do not depend on list order."""
    claims, shuffled = pair
    grants = agreeing(award, _facts(claims), within_caps(award, _grants(ledger)))
    first = award.evaluate(_facts(claims), ledger=grants)
    again = award.evaluate(_facts(shuffled), ledger=grants)
    assert set(first.grants) == set(again.grants)

    decided = {(firm, pid): Money(fen) for firm, pid, fen, _ in claims}
    year_of = {(firm, pid): day.year for firm, pid, _, day in claims}
    # A grant of 0.00 元 is not a payment: it does not use up the one-time award.
    paid_before = {(g.path[0][1], g.path[1][1]) for g in grants if g.amount}
    used: dict[tuple[str, int | None], Money] = defaultdict(Money.zero)
    for g in grants:
        used[(g.path[0][1], g.year)] += g.amount
    now: dict[tuple[str, int | None], Money] = defaultdict(Money.zero)
    for g in first.grants:
        key = (g.path[0][1], g.path[1][1])
        assert key not in paid_before
        assert Money.zero() < g.amount <= Money(200 * WAN)  # zero grants are not recorded
        assert g.amount <= decided[key]
        assert g.year == year_of[key]
        now[(key[0], g.year)] += g.amount
    paid_now = [(g.path[0][1], g.path[1][1]) for g in first.grants]
    assert len(paid_now) == len(set(paid_now))
    paid = [d for d in first.decisions if d.amount_kind == "exact" and d.amount]
    assert len(first.grants) == len(paid)
    assert len(paid) <= len([c for c in claims if (c[0], c[1]) not in paid_before])
    for key, total in now.items():
        assert total <= max(Money(1000 * WAN) - used[key], Money.zero())


@given(st.integers(0, 10**12), st.integers(0, 10**12))
def test_award_is_monotone_in_its_base(based: Policy, x: int, y: int) -> None:
    """A larger base never gives a smaller award, and the award never exceeds 30% of it."""
    small, large = sorted((x, y))
    facts = {
        "projects": [
            {"id": "small", "base": Decimal(small).scaleb(-2)},
            {"id": "large", "base": Decimal(large).scaleb(-2)},
        ]
    }
    result = based.evaluate(facts)
    amounts = {d.subject: d.amount for d in result.decisions}
    assert amounts["small"] <= amounts["large"]
    for name, base in (("small", small), ("large", large)):
        award = amounts[name]
        assert award is not None
        assert award.fen * 10 <= base * 3
        assert award <= Money(5000 * WAN)
