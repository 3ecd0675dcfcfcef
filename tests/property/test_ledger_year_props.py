"""A run never builds on a ledger its own facts contradict (E349, issue 9).

京经信发〔2025〕50号 第3条 launch_reward: once per product, at most 200 万元 per product and
1000 万元 per firm per year of ``approved_on``.  One firm's products approved in December
2025 or January 2026; run 1 evaluates some of them and its grants become the ledger; run 2
holds them all, some approval dates moved across the year boundary.  Either run 2 is refused
with E349 (exactly when a product paid above 0.00 元 in run 1 now falls in another year), or
no year of the firm holds more than 1000 万元 counted as run 2's facts date each product.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules.errors import LedgerError
from support import BEIJING, LAUNCH_REWARD, WAN

_POLICY = policyrules.load(BEIJING)

_product = st.tuples(
    st.sampled_from([2025, 2026]),  # approved in December 2025 or January 2026
    st.integers(1, 28),
    st.sampled_from([50, 200, 300]),  # 万元 decided (300 is cut to 200 by the product cap)
    st.booleans(),  # claimed in run 1
    st.booleans(),  # its approval moved across the year boundary in run 2
)


def _date(year: int, day: int) -> str:
    return f"2025-12-{day:02d}" if year == 2025 else f"2026-01-{day:02d}"


def _facts(items: list[tuple[str, int, int, int]]) -> dict[str, Any]:
    products = [
        {
            "id": ident,
            "approved_on": _date(year, day),
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": f"{wan}万元",
        }
        for ident, year, day, wan in items
    ]
    return {"firms": [{"id": "f1", "products": products}]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_product, min_size=1, max_size=9))
def test_run_two_is_refused_or_within_the_yearly_cap(raw: list[tuple[Any, ...]]) -> None:
    ids = [f"P{i}" for i in range(1, len(raw) + 1)]
    first = [(i, y, d, w) for i, (y, d, w, in1, _) in zip(ids, raw, strict=True) if in1]
    moved = {i: (4051 - y if mv else y) for i, (y, _, _, _, mv) in zip(ids, raw, strict=True)}
    second = [(i, moved[i], d, w) for i, (_, d, w, _, _) in zip(ids, raw, strict=True)]
    r1 = _POLICY.evaluate(_facts(first))
    ledger = r1.ledger()
    contradicted = {g.path[-1][1] for g in ledger if g.amount and g.year != moved[g.path[-1][1]]}
    if contradicted:  # run 2 is refused, naming each such grant
        with pytest.raises(LedgerError, match="E349") as caught:
            _POLICY.evaluate(_facts(second), ledger=ledger)
        assert all(f"product {p}," in str(caught.value) for p in contradicted)
        return
    r2 = _POLICY.evaluate(_facts(second), ledger=ledger)  # else never refused
    per_year: dict[int, int] = defaultdict(int)
    for g in [*ledger, *r2.grants]:
        assert g.provision == LAUNCH_REWARD
        per_year[moved[g.path[-1][1]]] += g.amount.fen  # the year run 2's facts give it
    assert all(total <= 1000 * WAN for total in per_year.values()), per_year
