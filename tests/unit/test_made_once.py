"""What a loaded policy or a store transaction knows is made once, not again per call: the
one-time awards keyed by year (``ledger_years.year_keyed``: the Policy makes it at load) and
a store's recorded readings (read once per transaction, and again only after its own
writes).  The results are those of tests/unit/test_ledger_grant_year.py (E349) and
tests/unit/test_ledger_reading_doors.py (E335); here, how often the work is done.

京经信发〔2025〕50号 第3条 launch_reward: 200 万元 per product, once per product, at most
1000 万元 per firm per year of ``approved_on`` (by default; ``annual_cap_year: decision``
counts a grant in the year of the funding decision instead).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import policyrules
import policyrules.ledger_years as ledger_years
from policyrules import Grant, LedgerStore, Money
from policyrules.errors import LedgerError
from policyrules.ledger_bases import OtherReading
from support import BEIJING, LAUNCH_DECISION, LAUNCH_REWARD, WAN, launch_grant_file

DECISION = {"annual_cap_year": "decision"}
P1 = (("firm", "f1"), ("product", "P1"))


def _product(ident: str, approved: str) -> dict[str, Any]:
    return {
        "id": ident,
        "approved_on": approved,
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": "200万元",
    }


# f1's P1 approved 2026-01-05, P2 2026-02-02: both count in 2026 (approval, the default).
PRODUCTS = [_product("P1", "2026-01-05"), _product("P2", "2026-02-02")]
FACTS = {"firms": [{"id": "f1", "products": PRODUCTS}]}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The calls of ``ledger_years.year_keyed`` from now on."""
    calls: list[object] = []
    real = ledger_years.year_keyed

    def year_keyed(policy: Any) -> Any:
        calls.append(policy)
        return real(policy)

    monkeypatch.setattr(ledger_years, "year_keyed", year_keyed)
    return calls


def test_evaluate_uses_the_year_keyed_awards_made_at_load(counted: list[object]) -> None:
    """P1's grant of 200 万元 recorded in 2026, the year the facts give it: no E349, and
    P1 is not paid again (一次性); P2 is paid 200 万元 (2026: 200 + 200 = 400 ≤ 1000)."""
    policy = policyrules.load(BEIJING)
    made_at_load = len(counted)
    ledger = [Grant(LAUNCH_REWARD, P1, Money(200 * WAN), 2026)]
    for _ in range(2):
        result = policy.evaluate(FACTS, ledger=ledger)
        paid = {g.subject: g.amount.fen for g in result.grants if g.provision == LAUNCH_REWARD}
        assert paid == {"f1/P2": 200 * WAN}
    assert len(counted) == made_at_load  # years_differ looked the grant up: not made again
    # without a Policy (the function on its own) it is made where it is needed
    index = ledger_years.year_index(policy._keyed, [(ledger[0], "here")])
    facts = policy.read_facts(FACTS)
    params, assume = policy.compiled.parameter_defaults, policy.compiled.assumption_defaults
    assert ledger_years.years_differ(policy.compiled, facts, index, params, assume) == []
    assert len(counted) == made_at_load + 1


def test_the_batch_uses_them_too(counted: list[object], tmp_path: Path) -> None:
    """The batch's E349 (P1's grant in 2025, the registry gives 2026) names the cap from
    the awards the Policy made at load."""
    policy = policyrules.load(BEIJING)
    made_at_load = len(counted)
    reg = tmp_path / "registry"
    reg.mkdir()
    (reg / "firms.jsonl").write_text('{"id": "f1"}\n', "utf-8")
    rows = [{**p, "firm_id": "f1"} for p in PRODUCTS]
    (reg / "products.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    ledger = policy.load_ledger(launch_grant_file(tmp_path, 2025))
    with pytest.raises(LedgerError, match=r"E349[\s\S]*not 2025"):
        policy.evaluate_batch(reg, ledger=ledger)
    assert len(counted) == made_at_load


def _statements(store: LedgerStore) -> list[str]:
    """The SQL the store's connection runs from now on."""
    seen: list[str] = []
    conn: sqlite3.Connection = store._conn
    conn.set_trace_callback(seen.append)
    return seen


def test_a_store_evaluation_reads_the_readings_once(tmp_path: Path) -> None:
    """A run by decision on a store whose launch reward grants were counted by decision:
    whether the readings may differ, and then whether they do, from one read of them."""
    policy = policyrules.load(BEIJING)
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        store.append(
            [Grant(LAUNCH_REWARD, (("firm", "f0"), ("product", "Q1")), Money(200 * WAN), 2026)],
            bases=[LAUNCH_DECISION],
        )
        seen = _statements(store)
        policy.evaluate(FACTS, ledger=store, assumptions=DECISION, as_of="2026-12-31")
        reads = [s for s in seen if "FROM bases" in s]
        assert len(reads) == 1, reads


def test_a_transaction_reads_its_own_records(tmp_path: Path) -> None:
    """The readings kept are forgotten when the transaction writes readings: by
    ``record_file_bases``, or by a statement of the caller's own (``execute``)."""
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        with store.transaction() as txn:
            assert txn.bases() == ()
            txn.record_file_bases([LAUNCH_DECISION])
            assert txn.bases() == (LAUNCH_DECISION,)
            txn.execute("DELETE FROM bases")
            assert txn.bases() == ()
        assert store.bases() == ()


def test_grants_joining_a_store_are_an_other_reading() -> None:
    """The E335 of grants joining a store (``check_file_bases``) is an OtherReading's, and
    names what joins it; only that source names one."""
    found = OtherReading("s.db", LAUNCH_REWARD, "annual_cap_year", "approval", "decision",
                         False, "joining", joining="f.yaml")  # fmt: skip
    error = found.error().diagnostics[0]
    assert error.code == "E335"
    assert "annual_cap_year = approval (the default: none recorded)" in error.message
    assert "f.yaml gives annual_cap_year = decision" in error.message
    assert found.to_json()["joining"] == "f.yaml"
    with pytest.raises(ValueError, match="joining"):
        OtherReading("s.db", LAUNCH_REWARD, "annual_cap_year", "approval", "decision", False,
                     "joining")  # fmt: skip
    with pytest.raises(ValueError, match="joining"):
        OtherReading("s.db", LAUNCH_REWARD, "annual_cap_year", "approval", "decision", False,
                     "store", joining="f.yaml")  # fmt: skip
