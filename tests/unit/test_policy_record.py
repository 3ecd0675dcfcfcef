"""`Policy.record`: grants made elsewhere recorded in a store, checked against the policy.

A new user's trial: `LedgerStore.append` (the store knows no policy) recorded a grant of a
provision no policy pays, a one-time award paid twice and 2,800 万元 against a 1000 万元
firm-year cap; every later evaluation of the firm was then refused.  `Policy.record` checks
the grants with the store's own first, as `policyrules ledger import --policy` does (the
two now share one function), and records all of them or none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules import Grant, LedgerError, LedgerStore, Money

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _grant(product: str, yuan: str, year: int = 2026, provision: str = LAUNCH) -> Grant:
    path = (("firm", "firm-a"), ("product", product))
    return Grant(provision, path, Money.parse(yuan), year)


def _fen(store: LedgerStore) -> list[int]:
    return [g.amount.fen for g in store.grants()]


def test_grants_within_the_policy_are_recorded_once(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        new = policy.record(store, [_grant("P1", "200万元"), _grant("P2", "150万元")])
        assert [g.amount.fen for g in new] == [200_000_000, 150_000_000]
        again = policy.record(store, [_grant("P1", "200万元")])  # already there: one grant
        assert list(again) == []
        assert _fen(store) == [200_000_000, 150_000_000]


@pytest.mark.parametrize(
    ("grants", "code"),
    [
        ([_grant("P0", "1元", provision="nope/1/x")], "E321"),  # no such award
        # the per-product cap of 第3条 is 200 万元
        ([_grant("BIG", "900万元")], "E329"),
        # 6 × 200 万 = 1200 万 against the 1000 万 firm-year cap (with the store's P1)
        ([_grant(f"C{i}", "200万元") for i in range(5)], "E329"),
        ([_grant("P1", "200万元", 2027)], "E328"),  # the one-time award of P1 paid again
    ],
)
def test_grants_against_the_policy_are_refused_and_nothing_is_written(
    policy: policyrules.Policy, tmp_path: Path, grants: list[Grant], code: str
) -> None:
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        policy.record(store, [_grant("P1", "200万元")])
        with pytest.raises(LedgerError) as info:
            policy.record(store, grants)
        assert info.value.diagnostics[0].code == code
        assert _fen(store) == [200_000_000]
