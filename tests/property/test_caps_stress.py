"""Money and caps under stress: several provisions sharing caps, random claims, ledgers, orders.

Three awards share one firm-year pool (``shared firm_year``) and two share a firm-lifetime
pool (``shared firm_total``); each has its own product cap and pays each product once.  Over
random claim sets in random orders, with random earlier grants in the ledger:

* no firm-year (or firm) total, ledger included, goes above its cap;
* no product is paid twice by a provision, nor paid again after a ledger grant;
* no ``amount 30% of base`` award exceeds 30% of its base (``fen × 10 ≤ base_fen × 3``);
* every sum is exact to the fen, and the grants do not depend on the order of the facts.

``HYPOTHESIS_PROFILE=slow`` runs thousands of claim sets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyrules import Grant, Money
from policyrules.api import Policy
from strategies import compile_text, within_caps
from support import WAN, products_head

POLICY = (
    products_head("approved_on: date", "awarded: money", "base: money")
    + """
  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on shared firm_year
    once per product
    order by approved_on, id

  award b
    for each product
    amount 30% of base
    cap 300 万元 per product
    cap 1000 万元 per firm per year of approved_on shared firm_year
    once per product
    order by approved_on, id

  award c
    for each product
    amount decided awarded
    cap 150 万元 per product
    cap 1000 万元 per firm per year of approved_on shared firm_year
    cap 400 万元 per firm shared firm_total
    once per product
    order by approved_on, id

  award e
    for each product
    amount 30% of base
    cap 400 万元 per firm shared firm_total
    once per product
    order by approved_on, id
"""
)

FIRMS = ("f1", "f2", "f3")
YEARLY = {"d/1/a", "d/1/b", "d/1/c"}  # the provisions in the firm_year pool
TOTAL = {"d/1/c", "d/1/e"}  # the provisions in the firm_total pool
PRODUCT_CAP = {"d/1/a": 200 * WAN, "d/1/b": 300 * WAN, "d/1/c": 150 * WAN}
RATE_BASED = {"d/1/b", "d/1/e"}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


_fen = st.one_of(
    st.integers(0, 600 * WAN),
    st.sampled_from((0, 1, 99, 150 * WAN, 200 * WAN, 200 * WAN + 1, 1000 * WAN)),
)
_claims = st.lists(
    st.tuples(
        st.sampled_from(FIRMS),
        _fen,
        _fen,
        st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    ),
    max_size=10,
).map(lambda xs: [(firm, f"p{i}", dec, base, day) for i, (firm, dec, base, day) in enumerate(xs)])

_ledger = st.lists(
    st.tuples(
        st.sampled_from(sorted(YEARLY | TOTAL)),
        st.sampled_from(FIRMS),
        st.integers(0, 12),
        st.integers(0, 700 * WAN),
        st.sampled_from((2025, 2026)),
    ),
    max_size=5,
    unique_by=lambda g: (g[0], g[1], g[2]),
)

Claim = tuple[str, str, int, int, dt.date]


def _facts(claims: list[Claim]) -> dict[str, object]:
    firms: dict[str, list[dict[str, object]]] = {}
    for firm, pid, decided, base, day in claims:
        firms.setdefault(firm, []).append(
            {
                "id": pid,
                "awarded": Decimal(decided).scaleb(-2),
                "base": Decimal(base).scaleb(-2),
                "approved_on": day.isoformat(),
            }
        )
    return {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}


def _grants(
    raw: list[tuple[str, str, int, int, int]], claims: list[Claim] | None = None
) -> tuple[Grant, ...]:
    # A grant of a product the facts hold is in the year the facts give it: another year is
    # refused (E349: tests/property/test_ledger_year_props.py).
    years = {(firm, pid): day.year for firm, pid, _, _, day in claims or ()}
    return tuple(
        Grant(
            prov,
            (("firm", f), ("product", f"p{i}")),
            Money(fen),
            years.get((f, f"p{i}"), year) if prov in YEARLY else None,
        )
        for prov, f, i, fen, year in raw
    )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    _claims.flatmap(lambda c: st.tuples(st.just(c), st.permutations(c))),
    _ledger,
)
def test_shared_caps_hold_over_random_claims(
    policy: Policy, pair: tuple[list[Claim], list[Claim]], ledger: list
) -> None:
    """Four awards, two shared pools, a ledger: every cap holds, ledger included."""
    claims, shuffled = pair
    earlier = within_caps(policy, _grants(ledger, claims))
    result = policy.evaluate(_facts(claims), ledger=earlier)
    again = policy.evaluate(_facts(shuffled), ledger=earlier)
    assert set(result.grants) == set(again.grants), "the order of the facts changed the grants"

    by_product = {(firm, pid): (dec, base, day) for firm, pid, dec, base, day in claims}
    # A grant of 0.00 元 is not a payment: it does not use up the one-time award.
    paid_before = {(g.provision, g.path) for g in earlier if g.amount}
    year_used: dict[tuple[str, int], int] = defaultdict(int)
    total_used: dict[str, int] = defaultdict(int)
    for g in earlier:
        if g.provision in YEARLY:
            assert g.year is not None
            year_used[(g.path[0][1], g.year)] += g.amount.fen
        if g.provision in TOTAL:
            total_used[g.path[0][1]] += g.amount.fen

    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    year_now: dict[tuple[str, int], int] = defaultdict(int)
    total_now: dict[str, int] = defaultdict(int)
    for g in result.grants:
        key = (g.provision, g.path)
        assert key not in seen, f"{key} paid twice"
        assert key not in paid_before, f"{key} paid again after a ledger grant"
        seen.add(key)
        firm, pid = g.path[0][1], g.path[1][1]
        decided, base, day = by_product[(firm, pid)]
        fen = g.amount.fen
        assert isinstance(fen, int)
        assert fen > 0, "a grant of 0.00 元 is not recorded"
        if g.provision in PRODUCT_CAP:
            assert fen <= PRODUCT_CAP[g.provision]
        if g.provision in RATE_BASED:
            assert fen * 10 <= base * 3, "award above rate × base"
        else:
            assert fen <= decided
        if g.provision in YEARLY:
            assert g.year == day.year
            year_now[(firm, day.year)] += fen
        if g.provision in TOTAL:
            total_now[firm] += fen

    for (firm, year), fen in year_now.items():
        assert fen + year_used[(firm, year)] <= max(1000 * WAN, year_used[(firm, year)])
        assert fen <= max(1000 * WAN - year_used[(firm, year)], 0)
    for firm, fen in total_now.items():
        assert fen <= max(400 * WAN - total_used[firm], 0)

    # Exact to the fen: each decision's amount is the grant's, and sums add up in fen.
    granted = {(g.provision, "/".join(i for _, i in g.path)): g.amount for g in result.grants}
    for d in result.decisions:
        if (d.provision, d.subject) in granted:
            assert d.amount == granted[(d.provision, d.subject)]
    total = sum((g.amount for g in result.grants), Money.zero())
    assert total.fen == sum(g.amount.fen for g in result.grants)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_claims, _ledger)
def test_ledger_out_then_in_pays_nothing_twice(
    policy: Policy, claims: list[Claim], ledger: list
) -> None:
    """Feeding a result's grants back as the ledger pays none of them again, and the caps
    still hold over both runs together."""
    earlier = within_caps(policy, _grants(ledger, claims))
    first = policy.evaluate(_facts(claims), ledger=earlier)
    second = policy.evaluate(_facts(claims), ledger=(*earlier, *first.grants))
    assert not {(g.provision, g.path) for g in second.grants} & {
        (g.provision, g.path) for g in first.grants
    }
    year_total: dict[tuple[str, int | None], int] = defaultdict(int)
    for g in (*first.grants, *second.grants):
        if g.provision in YEARLY:
            year_total[(g.path[0][1], g.year)] += g.amount.fen
    for fen in year_total.values():
        assert fen <= 1000 * WAN


NEGATIVE = (
    products_head("granted: money", "base: money")
    + """
  award a
    for each product
    amount granted - base
    cap 100 万元 per firm shared pool

  award b
    for each product
    amount granted
    cap 100 万元 per firm shared pool
"""
)


@pytest.fixture(scope="module")
def negative() -> Policy:
    return compile_text(NEGATIVE)


@given(st.lists(st.tuples(st.sampled_from(FIRMS), _fen, _fen), max_size=8))
def test_negative_amounts_never_give_a_pool_back(
    negative: Policy, claims: list[tuple[str, int, int]]
) -> None:
    """An amount that comes out below zero pays nothing: no grant is negative, so a shared
    pool's total never exceeds its cap (a negative grant would have given room back)."""
    firms: dict[str, list[dict[str, object]]] = {}
    for i, (firm, granted, base) in enumerate(claims):
        firms.setdefault(firm, []).append(
            {
                "id": f"p{i}",
                "granted": Decimal(granted).scaleb(-2),
                "base": Decimal(base).scaleb(-2),
            }
        )
    result = negative.evaluate({"firms": [{"id": f, "products": ps} for f, ps in firms.items()]})
    per_firm: dict[str, int] = defaultdict(int)
    for g in result.grants:
        assert g.amount.fen >= 0
        per_firm[g.path[0][1]] += g.amount.fen
    for fen in per_firm.values():
        assert fen <= 100 * WAN
