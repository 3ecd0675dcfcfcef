"""E331 for a grant that tops up one imported in the same run.  ``eval REGISTRY --firm
F1 --ledger STORE``: the registry's ledger holds 10 万元 paid to project P2 under 第7条
(no year: the award has no yearly cap); the run imports it into the store, then pays the
rest, 30 % × 132 万元 - 10 万元 = 29.6 万元, a grant of the same identity.  E331 said the
grant was "already recorded (grant #1, recorded <now>...)": it was recorded a moment
before, by the run itself, and rolled back with it.  Now it says what happened."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import BEIJING, run_cli

PLATFORM = "jjxf_2025_50/7/common_platform"


def _registry(folder: Path, investment: str, paid: str | None) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nF1\n", "utf-8")
    (folder / "projects.csv").write_text(
        "id,firm_id,kind,applied_on,engineering_investment\n"
        f"P2,F1,common_platform,2026-01-10,{investment}\n",
        "utf-8",
    )
    if paid is not None:
        (folder / "ledger.csv").write_text(
            f"provision,firm,project,amount,year\n{PLATFORM},F1,P2,{paid},\n", "utf-8"
        )
    return folder


def _store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = tmp_path / "grants.db"
    assert run_cli(capsys, "ledger", "init", store)[0] == 0
    return store


def test_a_top_up_of_a_grant_imported_in_the_same_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path, capsys)
    reg = _registry(tmp_path / "reg", "132万元", "10万元")
    code, _, err = run_cli(capsys, "eval", BEIJING, reg, "--firm", "F1", "--ledger", store)
    assert code == 2
    assert err.splitlines()[0] == (
        f"error[E331]: {store}: the grant {PLATFORM} to firm F1, project P2 was recorded in "
        f"this same run (imported from {reg}) as 10 万元, and the run gives it 296,000.00 元 "
        "more, a top-up of it (what is due now exceeds what it paid, e.g. a fact revised "
        "upward); a store records one payment per provision, subject and year, so nothing "
        "was written, the import neither"
    )
    # 10 万元 + 29.6 万元 = 39.6 万元
    assert "record the total, 396,000.00 元, as the one grant: set its amount in the " in err
    assert "already recorded" not in err
    assert run_cli(capsys, "ledger", "show", store)[1].startswith("0 grant(s)")
    # as the hint says: the total in the registry's row, then nothing more is paid
    (reg / "ledger.csv").write_text(
        f"provision,firm,project,amount,year\n{PLATFORM},F1,P2,396000.00,\n", "utf-8"
    )
    assert run_cli(capsys, "eval", BEIJING, reg, "--firm", "F1", "--ledger", store)[0] == 0
    assert "396,000.00 元" in run_cli(capsys, "ledger", "show", store)[1]


def test_a_grant_recorded_by_an_earlier_run_is_already_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recorded by a run before (30 % × 100 万元 = 30 万元), then the investment revised to
    132 万元: 9.6 万元 more, and the grant is indeed already recorded."""
    store = _store(tmp_path, capsys)
    first = _registry(tmp_path / "first", "100万元", None)
    assert run_cli(capsys, "eval", BEIJING, first, "--firm", "F1", "--ledger", store)[0] == 0
    revised = _registry(tmp_path / "revised", "132万元", None)
    code, _, err = run_cli(capsys, "eval", BEIJING, revised, "--firm", "F1", "--ledger", store)
    assert (code, "is already recorded (grant #1, recorded " in err) == (2, True)
    assert "as 30 万元; this batch gives it 96,000.00 元 again" in err
