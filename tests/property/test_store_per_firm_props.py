"""An evaluation against a ledger store reads only the grants of its firms: the same decisions
and the same grants recorded as when it reads every grant of the store, for random ledgers of
many firms.

The policy keys its earlier grants every way the language allows: by product (`once per
product`, a cap per product), by firm and year through a pool two awards share, once per firm
from a product award, a subject's own entitlement (a cap without `per`), and a tier table read
`highest_only` (each tier paid once, read back from the grants' tiers) or `top_up`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import Grant, Ledger, LedgerStore, Money
from policyrules.api import Policy
from policyrules.errors import PolicyRulesError
from policyrules.store import StoreTransaction
from strategies import compile_text, within_caps

WAN = 1_000_000  # fen in 1 万元
POLICY = """entity firm
  list firms
  fact revenue: money
entity product
  list products of firm
  fact approved_on: date
  fact awarded: money

enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"

clause 1 "奖励"
  quote "q"
  award launch
    for each product
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 500 万元 per firm per year of approved_on shared firm_year
    order by approved_on, id
  award first
    for each product
    amount 30 万元
    once per firm
    cap 500 万元 per firm per year of approved_on shared firm_year
    order by approved_on, id
  award topup
    for each product
    amount decided awarded
    cap 150 万元
  award scale
    for each firm
    eligible when revenue reaches scale
    amount scale[revenue]
    tiers by reading
"""
FIRMS = [f"f{i}" for i in range(8)]
PRODUCTS = ["p1", "p2", "p10"]
TIERS = ["1 亿元", "5 亿元"]
_wan = st.integers(0, 250).map(lambda w: Money(w * WAN))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


def _product_grant(provision: str, with_year: bool) -> st.SearchStrategy[Grant]:
    return st.builds(
        lambda f, p, m, y: Grant(f"d/1/{provision}", (("firm", f), ("product", p)), m, y),
        st.sampled_from(FIRMS),
        st.sampled_from(PRODUCTS),
        _wan,
        st.sampled_from((2025, 2026)) if with_year else st.none(),
    )


_scale_grants = st.builds(
    lambda f, m, t: Grant("d/1/scale", (("firm", f),), m, None, tier=t),
    st.sampled_from(FIRMS),
    st.sampled_from((100 * WAN, 200 * WAN)).map(Money),
    st.sampled_from(TIERS) | st.none(),
)
_grants = st.lists(
    st.one_of(
        _product_grant("launch", True),
        _product_grant("first", True),
        _product_grant("topup", False),
        _scale_grants,
    ),
    max_size=30,
    unique_by=lambda g: g.identity,
)
_products = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(PRODUCTS),
            "approved_on": st.sampled_from(("2025-06-01", "2026-03-01", "2026-09-30")),
            "awarded": st.integers(0, 300).map(lambda w: f"{w}万元"),
        }
    ),
    max_size=3,
    unique_by=lambda p: p["id"],
)
_firms = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(FIRMS),
            "revenue": st.sampled_from(("0.5亿元", "1亿元", "6亿元", "12亿元")),
            "products": _products,
        }
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda f: f["id"],
)


def _run(
    policy: Policy, stored: tuple[Grant, ...], facts: dict[str, Any], reading: str, whole: bool
) -> tuple[Any, tuple[Grant, ...]]:
    """Record ``stored`` in a new store, evaluate ``facts`` against it with commit, and
    return (the result or the error's code, every grant the store then holds).  With
    ``whole`` the transaction reads every grant of the store, whatever firms it is asked
    for (as before the per-firm read)."""
    read = StoreTransaction.grants

    def every_grant(self: StoreTransaction, firms: Any = None) -> Ledger:
        return read(self, None)

    patch = mock.patch.object(StoreTransaction, "grants", every_grant) if whole else None
    with (
        tempfile.TemporaryDirectory() as folder,
        LedgerStore.open(Path(folder) / "g.db", create=True) as s,
    ):
        s.append(stored)
        try:
            if patch is not None:
                patch.start()
            try:
                outcome: Any = policy.evaluate(
                    facts, ledger=s, commit=True, assumptions={"reading": reading}
                )
            finally:
                if patch is not None:
                    patch.stop()
        except PolicyRulesError as exc:
            outcome = exc.code
        return outcome, s.grants().grants


# Each example makes two stores and commits twice into each (~25 ms a commit): a quarter of
# the profile's examples keeps this test to a few seconds.
@settings(max_examples=max(10, settings().max_examples // 4))
@given(_grants, _firms, st.sampled_from(("top_up", "highest_only")), st.data())
def test_a_per_firm_read_decides_and_records_as_the_whole_store(
    policy: Policy, grants: list[Grant], firms: list[dict[str, Any]], reading: str, data: Any
) -> None:
    """The grants (kept within every cap and `once per`, of up to 8 firms) are split at
    random between the store and the facts' own `ledger:` (some in both); the facts name 1
    to 3 of the firms.  Reading the store per firm and reading it whole give equal
    decisions (status, amount, caps with what each had used, trace), equal grants, and
    stores that hold the same grants afterwards, the facts' own imported included."""
    valid = within_caps(policy, grants)
    in_store = tuple(g for g in valid if data.draw(st.booleans()))
    own = [g.to_json() for g in valid if data.draw(st.booleans())]
    facts = {"firms": firms, "ledger": own}
    per_firm, after = _run(policy, in_store, facts, reading, whole=False)
    every, after_whole = _run(policy, in_store, facts, reading, whole=True)
    if isinstance(every, str) or isinstance(per_firm, str):
        assert per_firm == every  # the same error, by its code
    else:
        assert per_firm.decisions == every.decisions
        assert per_firm.grants == every.grants
    assert after == after_whole
