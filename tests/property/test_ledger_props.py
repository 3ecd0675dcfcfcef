"""Ledger properties: written ledgers read back exactly, a grant missing a key it is keyed
by is always refused, and claims recorded batch by batch into one store never exceed a cap.

The inline award: once per product, cap 200 万元 per product, cap 1000 万元 per firm per year.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import Ledger, LedgerError, LedgerStore, Money
from policyrules.api import Policy
from policyrules.ledger_io import dump_ledger
from strategies import compile_text, grant_ids, product_grants, within_caps

WAN = 1_000_000  # fen in 1 万元
PROVISION = "d/1/reward"
POLICY = """entity firm
  list firms
entity product
  list products of firm
  fact approved_on: date
  fact awarded: money

document d "t"

clause 1 "c"
  quote "q"
  award reward "a"
    for each product
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    order by approved_on, id
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ledgers")


@given(product_grants(PROVISION), st.sampled_from(("json", "yaml")))
def test_a_written_ledger_reads_back_exactly(
    policy: Policy, folder: Path, grants: Any, fmt: str
) -> None:
    """dump → read gives the same grants, whatever the ids look like (0701, 12:30, true);
    the grants are those a ledger may hold (no one-time award twice, no cap exceeded)."""
    ledger = Ledger(within_caps(policy, grants))
    f = folder / f"l.{fmt}"
    f.write_text(dump_ledger(ledger, fmt), "utf-8")
    assert policy.load_ledger(f) == ledger


@given(grant_ids, grant_ids, st.sets(st.sampled_from(("firm", "product", "year", "amount"))))
def test_a_grant_missing_a_key_is_refused(
    policy: Policy, firm: str, product: str, dropped: set[str]
) -> None:
    """A grant is accepted if and only if it names firm, product, amount and year (the
    award is once per product and capped per firm per year); otherwise its error names
    the first missing key."""
    entry: dict[str, Any] = {
        "provision": PROVISION,
        "firm": firm,
        "product": product,
        "amount": "1",
        "year": 2026,
    }
    for key in dropped:
        del entry[key]
    if not dropped:
        assert len(policy.read_ledger([entry])) == 1
        return
    with pytest.raises(LedgerError) as info:
        policy.read_ledger([entry])
    text = str(info.value)
    first = next(k for k in ("firm", "product", "amount", "year") if k in dropped)
    assert f"no `{first}`" in text


_claims = st.lists(
    st.tuples(
        st.sampled_from(("f1", "f2")),
        st.integers(0, 300 * WAN),
        st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    ),
    min_size=1,
    max_size=8,
)


# Each example creates a store and commits up to four batches, each fsynced (~25 ms): a fifth
# of the profile's examples keeps this test near 2 s (the "slow" profile still runs 1,000).
@settings(max_examples=max(10, settings().max_examples // 5))
@given(_claims, st.integers(1, 4), st.randoms(use_true_random=False))
def test_batches_recorded_in_one_store_never_exceed_a_cap(
    policy: Policy, claims: list[tuple[str, int, dt.date]], batches: int, rnd: Any
) -> None:
    """Claims split at random into batches, each evaluated and committed into one store:
    what is stored never pays a product twice, no product over 200 万, no firm-year over
    1000 万, and no grant of 0.00 元 is stored."""
    products = [(firm, f"p{i}", fen, day) for i, (firm, fen, day) in enumerate(claims)]
    rnd.shuffle(products)
    with (
        tempfile.TemporaryDirectory() as folder,
        LedgerStore.open(Path(folder) / "g.db", create=True) as store,
    ):
        for b in range(batches):
            part = products[b::batches]
            firms: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for firm, pid, fen, day in part:
                firms[firm].append(
                    {"id": pid, "awarded": str(Money(fen).yuan), "approved_on": day.isoformat()}
                )
            facts = {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}
            policy.evaluate(facts, ledger=store, commit=True)
        stored = store.grants()
    per_year: dict[tuple[str, int | None], int] = defaultdict(int)
    seen = set()
    for g in stored:
        assert g.path not in seen, "a product paid twice"
        seen.add(g.path)
        assert 0 < g.amount.fen <= 200 * WAN
        per_year[(g.path[0][1], g.year)] += g.amount.fen
    assert all(total <= 1000 * WAN for total in per_year.values())
