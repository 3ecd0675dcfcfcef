"""One LedgerStore shared by threads, and a closed store (a new user's trial).

Evaluations sharing one open store from a thread pool each raised sqlite3's
`ProgrammingError: SQLite objects created in a thread can only be used in that same
thread`, and a closed store `Cannot operate on a closed database`: tracebacks, not the
project's errors.  The store's transactions now take turns on its connection, whatever the
thread; a closed store is E330.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.errors import LedgerError
from policyrules.store import LedgerStore

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"


def _product(i: int) -> dict[str, Any]:
    return {
        "firms": [
            {
                "id": "firm-a",
                "products": [
                    {
                        "id": f"P{i}",
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "200万元",
                    }
                ],
            }
        ]
    }


def test_threads_sharing_a_store_take_turns_and_pay_within_the_cap(tmp_path: Path) -> None:
    """48 commits from 16 threads of 12 products, each decided 200 万元: the firm's 2026
    account of 第3条 holds 1000 万元, so 5 products are paid 200 万 each and no product twice,
    whatever the order the threads come in."""
    policy = policyrules.load(POLICY)
    with LedgerStore.open(tmp_path / "grants.db", create=True) as store:

        def commit(i: int) -> int:
            result = policy.evaluate(_product(i % 12), ledger=store, commit=True)
            return len(result.grants)

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            paid = sum(pool.map(commit, range(48)))
        grants = [g for g in store.grants() if g.provision == LAUNCH]
    assert paid == 5
    assert sorted(g.amount.fen for g in grants) == [200_000_000] * 5  # 5 × 200 万 = 1000 万
    assert len({g.path for g in grants}) == 5


def test_a_closed_store_is_e330(tmp_path: Path) -> None:
    store = LedgerStore.open(tmp_path / "grants.db", create=True)
    store.close()
    with pytest.raises(LedgerError) as info:
        policyrules.load(POLICY).evaluate(_product(1), ledger=store)
    (d,) = info.value.diagnostics
    assert d.code == "E330"
    assert d.message.endswith("grants.db: the ledger store was closed")
    with pytest.raises(LedgerError):
        store.grants()


def test_attach_on_a_closed_store_is_e330(tmp_path: Path) -> None:
    store = LedgerStore.open(tmp_path / "grants.db", create=True)
    store.close()
    with pytest.raises(LedgerError) as info:
        store.attach(tmp_path / "log.sqlite", "log")
    assert info.value.diagnostics[0].code == "E330"
