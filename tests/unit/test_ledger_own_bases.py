"""Two more doors to the fault of ``test_ledger_file_bases.py`` (a yearly cap paid twice by
counting the same grants under another reading; issue 9 §3), closed:

- a store's grants with no recorded reading (a version-1 store, grants appended by hand)
  were counted by the defaults: another value is refused (E335), and a facts file's grants
  imported into a store are recorded with the facts' own readings.

Policy: 京经信发〔2025〕50号 第3条 launch_reward, cap 1000 万元 per firm per year of approval
(default) or of the funding decision (``annual_cap_year=decision``).  P1–P5 were paid 200 万元
each, counted in 2026 by approval; P6–P10, approved 2026-03-02 too, decided 2027-02-15.
By approval the firm's 2026 is full: P6–P10 get 1000 − 5 × 200 = 0.  Counted by decision
they fall in 2027, where nothing was paid: 5 × 200 more, 2000 万元 in all (两次计年口径不同，
同一年度上限被付两次)。1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, LedgerError, LedgerStore, Money
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN, launch_products


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _paid_before(year: int) -> list[dict[str, Any]]:
    return [
        {"provision": REWARD, "firm": "f1", "product": f"P{i}", "amount": "200万元", "year": year}
        for i in range(1, 6)
    ]


def _paid(result: Any) -> int:
    return sum(g.amount.fen for g in result.grants if g.provision == REWARD)


def _bare_store(tmp_path: Path) -> Path:
    """A store holding f1's P1–P5 appended by hand (no reading recorded), 200 万元 each,
    counted in 2026."""
    db = tmp_path / "s.db"
    with LedgerStore.open(db, create=True) as store:
        store.append(
            Grant(REWARD, (("firm", "f1"), ("product", f"P{i}")), Money(200 * WAN), 2026)
            for i in range(1, 6)
        )
    return db


def test_a_store_without_readings_is_read_by_the_defaults(beijing: Any, tmp_path: Path) -> None:
    """P1–P5 appended to a store by hand (no reading recorded), counted in 2026: by approval
    P6–P10 get 0; by decision (2027) they would get 1000 more: refused, nothing written."""
    db = _bare_store(tmp_path)
    facts = {"firms": [{"id": "f1", "products": launch_products(6)}]}
    with LedgerStore.open(db, create=True) as store:
        with pytest.raises(LedgerError) as err:
            beijing.evaluate(
                facts,
                ledger=store,
                commit=True,
                as_of="2027-12-31",
                assumptions={"annual_cap_year": "decision"},
            )
        assert err.value.diagnostics[0].code == "E335"
        assert len(store.ledger().grants) == 5
        result = beijing.evaluate(facts, ledger=store, commit=True, as_of="2027-12-31")
        assert _paid(result) == 0


def test_another_firms_bare_grants_hold_the_store_to_the_defaults(
    beijing: Any, tmp_path: Path
) -> None:
    """f1's P1–P5 appended by hand (no reading), counted in 2026 by approval.  A run for f2
    by decision reads none of f1's grants, but a commit would record decision for the
    launch reward store-wide: f1's P1–P5 would then pass as counted by decision, and a
    later run for f1 by decision would count P6–P10 in 2027 (nothing paid there): 5 × 200
    万元 more, 2000 against f1's 1000 万元 year.  So the f2 run is refused (E335, with or
    without commit; nothing written), as a run reading the whole store is; a what-if
    (``on_other_reading``) is told."""
    db = _bare_store(tmp_path)
    other = {"firms": [{"id": "f2", "products": launch_products(1)}]}
    by_decision = {"annual_cap_year": "decision"}
    with LedgerStore.open(db, create=True) as store:
        for commit in (True, False):
            with pytest.raises(LedgerError) as err:
                beijing.evaluate(
                    other, ledger=store, commit=commit, as_of="2027-12-31", assumptions=by_decision
                )
            diagnostic = err.value.diagnostics[0]
            assert diagnostic.code == "E335"
            assert "records no reading" in diagnostic.message
            assert "ledger export" in (diagnostic.hint or "")
        assert store.bases() == ()
        assert len(store.ledger().grants) == 5
        told: list[Any] = []
        result = beijing.evaluate(
            other, ledger=store, as_of="2027-12-31", assumptions=by_decision,
            on_other_reading=told.append,
        )  # fmt: skip
        assert [(t.provision, t.counted, t.used, t.said, t.source) for t in told] == [
            (REWARD, "approval", "decision", False, "store")
        ]
        assert _paid(result) == 1000 * WAN  # f2's own year: 5 × 200, nothing paid before
        # by approval f2 is paid and the store records approval; f1's P6–P10 then get 0
        beijing.evaluate(other, ledger=store, commit=True, as_of="2027-12-31")
        assert (REWARD, "annual_cap_year", "approval") in store.bases()
        f1 = {"firms": [{"id": "f1", "products": launch_products(6)}]}
        with pytest.raises(LedgerError):
            beijing.evaluate(
                f1, ledger=store, commit=True, as_of="2027-12-31", assumptions=by_decision
            )
        assert _paid(beijing.evaluate(f1, ledger=store, commit=True, as_of="2027-12-31")) == 0


def test_imported_grants_keep_the_facts_reading(beijing: Any, tmp_path: Path) -> None:
    """A facts file (decision) brings P1–P5 counted in 2027 into a store: the store records
    decision for them.  A later run by approval is refused (it would count P6–P10 in 2026,
    empty); by decision P6–P10 get 0."""
    db = tmp_path / "s.db"
    first = {
        "assumptions": {"annual_cap_year": "decision"},
        "ledger": _paid_before(2027),
        "firms": [{"id": "f0", "products": []}],
    }
    later = {"firms": [{"id": "f1", "products": launch_products(6)}]}
    with LedgerStore.open(db, create=True) as store:
        beijing.evaluate(first, ledger=store, commit=True, as_of="2027-12-31")
        assert (REWARD, "annual_cap_year", "decision") in store.bases()
        with pytest.raises(LedgerError) as err:
            beijing.evaluate(later, ledger=store, commit=True, as_of="2027-12-31")
        assert err.value.diagnostics[0].code == "E335"
        result = beijing.evaluate(
            later,
            ledger=store,
            commit=True,
            as_of="2027-12-31",
            assumptions={"annual_cap_year": "decision"},
        )
        assert _paid(result) == 0
