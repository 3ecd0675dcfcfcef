"""E322 for a grant without the first id of its path, said in a sentence: an institution's
award (jybf_2025_5 (十九), 真实世界研究 support, `for each institution`) is keyed by its
institution, not "keyed by every grant names its firm" (a new user's ledger table without
the `institution` column read that garbled sentence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import BEIJING

import policyrules
from policyrules.errors import LedgerError

RWS = "jybf_2025_5/(十九)/rws_support"
SAID = (
    f"no `institution`: {RWS} is keyed by its institution, the first id of its path; "
    "without it the grant could never match a claim"
)


def test_a_ledger_table_without_the_institution_column(tmp_path: Path) -> None:
    (tmp_path / "institutions.csv").write_text("id\nH1\n", "utf-8")
    (tmp_path / "ledger.csv").write_text(f"provision,amount,year\n{RWS},50万元,2026\n", "utf-8")
    with pytest.raises(LedgerError) as info:
        policyrules.load(BEIJING).evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert (d.code, d.message) == ("E322", f"{tmp_path / 'ledger.csv'}: row 1: {SAID}")


def test_a_ledger_file_grant_without_its_institution(tmp_path: Path) -> None:
    ledger = tmp_path / "l.yaml"
    ledger.write_text(f"ledger:\n  - {{provision: {RWS}, amount: 50万元}}\n", "utf-8")
    with pytest.raises(LedgerError) as info:
        policyrules.load(BEIJING).load_ledger(ledger)
    (d,) = info.value.diagnostics
    assert d.code == "E322"
    assert SAID in d.message
    assert "institution" in str(d.hint)
