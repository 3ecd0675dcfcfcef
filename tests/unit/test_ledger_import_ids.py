"""``ledger import`` (and ``Policy.record``) refuse an id written as another number at the
store's door (E323): a spreadsheet dropped firm 0701's zeros, and its grant to ``701`` would
count against none of 0701's one-time awards, while every later evaluation of 0701 is
refused.  ``--ids-as-written`` (``ids_as_written=True``) says the ids are as their registry
writes them: 701 and 0701 are two firms.

Measure 3 (京经信发〔2025〕50号 第3条): a one-time launch reward per product, 200 万元.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, LedgerError, LedgerStore, Money
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import WAN
from support import run_cli as run


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _grant(firm: str, product: str, amount: str = "200万元") -> dict[str, Any]:
    return {"provision": LAUNCH, "firm": firm, "product": product, "amount": amount, "year": 2026}


def _file(folder: Path, *grants: dict[str, Any], name: str = "in.yaml") -> Path:
    """``ledger:`` with one grant a line, from line 2 (a JSON mapping is YAML)."""
    f = folder / name
    lines = ["ledger:", *(f"  - {json.dumps(g, ensure_ascii=False)}" for g in grants)]
    f.write_text("\n".join(lines) + "\n", "utf-8")
    return f


def _store(folder: Path, *paths: tuple[str, str]) -> Path:
    """A store holding a launch reward of 200 万元 to each (firm, product), with its reading."""
    db = folder / "s.db"
    with LedgerStore.open(db, create=True) as store:
        steps = [(("firm", f), ("product", p)) for f, p in paths]
        store.append(
            [Grant(LAUNCH, s, Money(200 * WAN), 2026) for s in steps],
            bases=[(LAUNCH, "annual_cap_year", "approval")],
        )
    return db


def _rows(db: Path) -> tuple[list[tuple[Any, ...]], int, int]:
    """The store's grants (firm, path), its batches and its readings, counted plainly."""
    with sqlite3.connect(db) as conn:
        grants = conn.execute("SELECT firm, path FROM grants ORDER BY seq").fetchall()
        batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
        bases = conn.execute("SELECT count(*) FROM bases").fetchone()[0]
    conn.close()
    return grants, batches, bases


@pytest.mark.parametrize(("firm", "written"), [("701", "701"), ("701.0", "701.0"), (701, "701")])
def test_a_grant_to_the_stores_firm_written_as_another_number_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, firm: Any, written: str
) -> None:
    """The file's first grant (to 0702) is fine, its second is to 701 (a number in YAML,
    too): the whole import is refused, naming the grant, its line and both ids, and nothing
    of the file is written, not even the first grant or a batch."""
    db = _store(tmp_path, ("0701", "007"))
    before = _rows(db)
    f = _file(tmp_path, _grant("0702", "1"), _grant(firm, "007"))
    code, out, err = run(capsys, "ledger", "import", "--policy", POLICY, db, f)
    assert code == 2
    assert out == ""
    assert (
        f"error[E323]: {f}:3: {LAUNCH} to firm {written}, product 007, year 2026: "
        f"firm '{written}' is in none of the grants of {db}, which have firm '0701': "
        "the same number written otherwise"
    ) in err
    assert "write the id as the store does, '0701'" in err
    assert "--ids-as-written" in err
    assert "Traceback" not in err
    assert _rows(db) == before


def test_a_store_that_lost_its_zeros_is_the_side_to_mend(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The store holds 701 (once a spreadsheet's), the file 0701: refused as before, but
    the hint says to mend the store, not to write the file's right id as the store does."""
    db = _store(tmp_path, ("701", "007"))
    f = _file(tmp_path, _grant("0701", "007"))
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, f)
    assert code == 2
    assert "firm '0701' is in none of the grants of" in err
    assert "the store's '701' looks like the one a spreadsheet changed" in err
    assert "write the id as the store does" not in err


def test_ids_as_written_imports_another_firm_written_as_another_number(
    beijing: policyrules.Policy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With --ids-as-written, 701 is another firm: its grant is recorded under its own id,
    and an evaluation holding both firms pays 0701's product, not 701's."""
    db = _store(tmp_path, ("0701", "007"))
    f = _file(tmp_path, _grant("701", "007"))
    code, out, err = run(capsys, "ledger", "import", "--policy", POLICY, db, f, "--ids-as-written")
    assert (code, err) == (0, "")
    assert out.startswith("imported 1 grant(s)")
    assert [firm for firm, _ in _rows(db)[0]] == ["0701", "701"]
    # imported again, without the flag: each id is the store's own now
    assert run(capsys, "ledger", "import", "--policy", POLICY, db, f)[0] == 0


def test_the_same_number_written_two_ways_in_one_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An empty store, a file with 0703 and 703.0: the file contradicts itself, and which
    is the registry's id it cannot tell.  Refused, naming both grants and their lines;
    with --ids-as-written both are imported, as two firms."""
    db = tmp_path / "s.db"
    LedgerStore.open(db, create=True).close()
    f = _file(tmp_path, _grant("0703", "1"), _grant("f9", "1"), _grant("703.0", "1"))
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, f)
    assert code == 2
    assert (
        f"error[E323]: {f}:4: {LAUNCH} to firm 703.0, product 1, year 2026: firm '703.0' "
        f"is the same number as firm '0703' of {LAUNCH} to firm 0703, product 1, year 2026 "
        f"({f}:2), written otherwise; the store holds neither"
    ) in err
    assert "--ids-as-written" in err
    assert _rows(db) == ([], 0, 0)
    code, _, _ = run(capsys, "ledger", "import", "--policy", POLICY, db, f, "--ids-as-written")
    assert code == 0
    assert [firm for firm, _ in _rows(db)[0]] == ["0703", "f9", "703.0"]


def test_a_product_is_compared_under_its_own_firm_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Product 7 of 0701 beside the store's 007 of 0701 is refused; product 7 of another
    firm is not (the owners differ), nor is a grant the store already holds."""
    db = _store(tmp_path, ("0701", "007"))
    refused = _file(tmp_path, _grant("0701", "7"), name="a.yaml")
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, refused)
    assert code == 2
    assert "product '7' is in none of the grants of" in err
    assert "which have product '007'" in err
    fine = _file(tmp_path, _grant("0701", "007"), _grant("f1", "7"), _grant("0702", "7"))
    code, out, _ = run(capsys, "ledger", "import", "--policy", POLICY, db, fine)
    assert code == 0
    assert "(1 already there)" in out


def test_policy_record_refuses_it_and_takes_ids_as_written(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    db = _store(tmp_path, ("0701", "007"))
    with LedgerStore.open(db) as store:
        with pytest.raises(LedgerError) as info:
            beijing.record(store, [_grant("701", "007")])
        (diag,) = info.value.diagnostics
        assert diag.code == "E323"
        assert diag.message.startswith(f"the grants given[0]: {LAUNCH} to firm 701,")
        assert diag.hint is not None
        assert "ids_as_written=True" in diag.hint
        assert len(store.grants()) == 1
        new = beijing.record(store, [_grant("701", "007")], ids_as_written=True)
        assert [g.path[0][1] for g in new] == ["701"]


def test_the_flag_is_in_the_commands_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "ledger", "import", "--help")
    assert "--ids-as-written" in capsys.readouterr().out
