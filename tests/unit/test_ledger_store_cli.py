"""The ledger store from the command line, as a new user meets it: the year basis a store's
grants were counted by, a mistyped store name, a refused ``--ledger-out``, ledgers through a
pipe, store names for JSON, a damaged store.

Policy: 京经信发〔2025〕50号 第3条 launch_reward: once per product, cap 200 万元 per product,
cap 1000 万元 per firm per year (the year of approval, or with ``annual_cap_year=decision`` of
the decision).  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import policyrules
from policyrules import LedgerError, LedgerStore, Money
from policyrules.errors import Diagnostic, PolicyRulesError
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN
from support import run_cli as run


def _claims(path: Path, first: int, approved: str, decided: str) -> Path:
    """Firm F, products P<first>..P<first+4>, each 200 万元, approved and decided on the
    given month's days 1-5 (the audit's y1.yaml / y2.yaml)."""
    lines = ["firms:", "- id: F", "  products:"]
    for i in range(5):
        lines += [
            f"  - id: P{first + i}",
            f"    approved_on: '{approved}-{i + 1:02d}'",
            "    launch_reward_decided: 200万元",
            f"    launch_reward_decided_on: '{decided}-{i + 1:02d}'",
            "    launch_routes: [national_priority_review]",
        ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _by_year(db: Path) -> dict[int, int]:
    """Fen stored per year, read with plain sqlite3."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT year, sum(amount_fen) FROM grants GROUP BY year").fetchall()
    return {int(y): int(f) for y, f in rows}


def _facts(folder: Path, *products: str) -> Path:
    f = folder / "f.yaml"
    rows = "".join(
        f"      - {{id: {p}, approved_on: 2026-06-01, launch_routes: [national_priority_review],"
        ' launch_reward_decided: "200万元"}\n'
        for p in products
    )
    f.write_text("firms:\n  - id: f1\n    products:\n" + rows, "utf-8")
    return f


# ---- 1. the year basis ---------------------------------------------------------------------


def test_a_store_refuses_a_run_counting_its_grants_by_another_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The audit's example.  Run 1 (annual_cap_year=decision): P1-P5 approved 2025-12,
    decided 2026-01: 5 x 200 = 1000 万元 recorded under 2026.  Run 2 (default: approval):
    P6-P10 approved and decided 2025-12.  Unrefused, run 2 would count P1-P5 in 2025 by
    approval for the cap but find no 2025 grants (they are keyed 2026), pay 5 x 200 万元 more,
    and F's 2025 total would be 2000 万元 against the 1000 万元 cap.  It is refused, dry run
    too, and nothing is recorded; with the store's basis it pays 1000 万元 under 2025."""
    db = tmp_path / "grants.db"
    y1 = _claims(tmp_path / "y1.yaml", 1, "2025-12", "2026-01")
    y2 = _claims(tmp_path / "y2.yaml", 6, "2025-12", "2025-12")
    assert run(capsys, "ledger", "init", db)[0] == 0
    args = ("eval", POLICY, y1, "--ledger", db, "--assume", "annual_cap_year=decision")
    assert run(capsys, *args)[0] == 0
    assert _by_year(db) == {2026: 1000 * WAN}
    for extra in ((), ("--dry-run",)):
        code, out, err = run(capsys, "eval", POLICY, y2, "--ledger", db, *extra)
        assert (code, out) == (2, "")
        assert "error[E335]" in err
        assert "annual_cap_year = decision" in err
        assert "annual_cap_year = approval" in err
        assert "--assume annual_cap_year=decision" in err
        assert _by_year(db) == {2026: 1000 * WAN}
    args = ("eval", POLICY, y2, "--ledger", db, "--assume", "annual_cap_year=decision")
    assert run(capsys, *args)[0] == 0
    assert _by_year(db) == {2025: 1000 * WAN, 2026: 1000 * WAN}  # each year at the cap


@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        ("approval", "approval", False),
        ("approval", "decision", True),
        ("decision", "decision", False),
        ("decision", "approval", True),
    ],
)
def test_a_commit_keeps_to_the_basis_its_provision_was_recorded_with(
    tmp_path: Path, first: str, second: str, refused: bool
) -> None:
    """Through the Python API: a store remembers the value per provision; only a different
    value for a provision with grants is refused (E335), and then nothing is written."""
    policy = policyrules.load(POLICY)

    def facts(pid: str) -> dict[str, object]:
        product = {
            "id": pid,
            "approved_on": "2026-03-01",
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": "200万元",
            "launch_reward_decided_on": "2026-04-01",
        }
        return {"firms": [{"id": "f1", "products": [product]}]}

    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        assumptions = {"annual_cap_year": first}
        policy.evaluate(facts("P1"), ledger=store, commit=True, assumptions=assumptions)
        assumptions = {"annual_cap_year": second}
        if refused:
            with pytest.raises(LedgerError) as info:
                policy.evaluate(facts("P2"), ledger=store, commit=True, assumptions=assumptions)
            assert info.value.code == "E335"
            assert [g.subject for g in store.grants()] == ["f1/P1"]
        else:
            policy.evaluate(facts("P2"), ledger=store, commit=True, assumptions=assumptions)
            assert [g.subject for g in store.grants()] == ["f1/P1", "f1/P2"]


# ---- 2. a mistyped store name ---------------------------------------------------------------


def test_a_missing_store_is_an_error_never_a_new_empty_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--ledger grant.db`` for ``grants.db``: E336 with the init hint, no file made, for
    eval (with and without --dry-run), export, show and import."""
    typo = tmp_path / "grant.db"
    facts = _facts(tmp_path, "P1")
    ledger_file = tmp_path / "l.json"
    ledger_file.write_text('{"ledger": []}', "utf-8")
    for argv in (
        ("eval", POLICY, facts, "--ledger", typo),
        ("eval", POLICY, facts, "--ledger", typo, "--dry-run"),
        ("ledger", "export", typo),
        ("ledger", "show", typo),
        ("ledger", "import", typo, ledger_file, "--policy", POLICY),
    ):
        code, out, err = run(capsys, *argv)
        assert (code, out, "error[E336]" in err) == (2, "", True), argv
        assert f"policyrules ledger init {typo}" in err
        assert not typo.exists()


def test_ledger_init_makes_a_store_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """init makes an empty store; a second init, or a name that is not a store's, is E337."""
    db = tmp_path / "grants.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    with LedgerStore.open(db, create=False) as store:
        assert len(store.grants()) == 0
    before = db.read_bytes()
    code, _, err = run(capsys, "ledger", "init", db)
    assert (code, "error[E337]" in err, db.read_bytes() == before) == (2, True, True)
    code, _, err = run(capsys, "ledger", "init", tmp_path / "grants.json")
    assert (code, "error[E337]" in err) == (2, True)
    assert not (tmp_path / "grants.json").exists()


# ---- 3. --ledger-out checked before the run -------------------------------------------------


@pytest.mark.parametrize(
    ("target", "code"),
    [("od2", "E334"), ("devlink.json", "E334"), ("f1.yaml", "E320"), ("new.db", "E338"),
     ("nodir/x.json", "E334")],
)  # fmt: skip
def test_a_refused_ledger_out_leaves_the_store_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str, code: str
) -> None:
    """A directory, a symlink to /dev/null, a facts file, a store's name, a missing
    directory: refused before anything is recorded (no "recorded" line, no grant)."""
    (tmp_path / "od2").mkdir()
    os.symlink("/dev/null", tmp_path / "devlink.json")
    facts = _facts(tmp_path, "P1")
    (tmp_path / "f1.yaml").write_text(facts.read_text("utf-8"), "utf-8")
    db = tmp_path / "w2.db"
    LedgerStore.open(db, create=True).close()
    status, out, err = run(capsys, "eval", POLICY, facts, "--ledger", db, "--ledger-out",
                           tmp_path / target)  # fmt: skip
    assert (status, out, f"error[{code}]" in err, "recorded" in err) == (2, "", True, False)
    with LedgerStore.open(db, create=False) as store:
        assert len(store.grants()) == 0
    assert (tmp_path / "f1.yaml").read_text("utf-8") == facts.read_text("utf-8")


def test_an_export_failing_after_the_commit_shows_the_decisions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing --ledger-out fails after the commit (disk full), the decisions are printed
    and the error says the store WAS committed; the grant (200 万元) is in the store."""

    def full(path: Path, text: str) -> None:
        raise PolicyRulesError(Diagnostic("E334", f"cannot write {path}: No space left"))

    monkeypatch.setattr("policyrules.cli_ledger.write_atomic", full)
    db = tmp_path / "grants.db"
    LedgerStore.open(db, create=True).close()
    facts = _facts(tmp_path, "P1")
    code, out, err = run(
        capsys, "eval", POLICY, facts, "--ledger", db, "--ledger-out", tmp_path / "o.json", "--json"
    )
    assert code == 2
    paid = [d["amount"] for d in json.loads(out)["decisions"] if d["provision"] == REWARD]
    assert paid == ["2000000.00"]
    assert "WAS committed" in err
    assert "No space left" in err
    assert f"policyrules ledger export {db}" in err
    with LedgerStore.open(db, create=False) as store:
        assert store.grants().total() == Money.of(200, "万元")


# ---- 4. ledgers and facts through a pipe ----------------------------------------------------


@pytest.fixture
def pipe() -> Iterator[object]:
    """``pipe(data)`` -> ``/dev/fd/N``, a pipe that yields ``data`` once (like ``<(cat f)``)."""
    fds: list[int] = []

    def make(data: bytes) -> str:
        r, w = os.pipe()
        fds.append(r)
        t = threading.Thread(target=lambda: (os.write(w, data), os.close(w)))
        t.start()
        return f"/dev/fd/{r}"

    yield make
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def test_a_ledger_through_a_pipe_is_read_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pipe: object
) -> None:
    """``--ledger <(cat L.json)`` with 900 万元 granted to f1 in 2026: P1 is paid the
    1000 - 900 = 100 万元 left, with and without --ledger-out (which holds 900 + 100)."""
    make = pipe
    assert callable(make)
    # 900 万元 over five products, each within the 200 万元 per-product cap: 4 × 200 + 100.
    earlier = {"ledger": [{"provision": REWARD, "firm": "f1", "product": f"P0{i}",
                           "amount": "100万元" if i == 4 else "200万元", "year": 2026}
                          for i in range(5)]}  # fmt: skip
    data = json.dumps(earlier, ensure_ascii=False).encode()
    facts = _facts(tmp_path, "P1")
    code, out, err = run(capsys, "eval", POLICY, facts, "--ledger", make(data), "--json")
    assert (code, err) == (0, "")
    paid = [d for d in json.loads(out)["decisions"] if d["provision"] == REWARD]
    assert paid[0]["amount"] == "1000000.00"
    out_file = tmp_path / "o.json"
    code, _, err = run(
        capsys, "eval", POLICY, facts, "--ledger", make(data), "--ledger-out", out_file
    )
    assert (code, err) == (0, "")
    assert len(json.loads(out_file.read_text("utf-8"))["ledger"]) == 6  # 5 earlier + P1
    # facts through a pipe too
    code, out, _ = run(capsys, "eval", POLICY, make(facts.read_bytes()), "--json")
    assert code == 0
    assert [d["amount"] for d in json.loads(out)["decisions"] if d["provision"] == REWARD] == [
        "2000000.00"
    ]


def test_a_store_through_a_pipe_is_refused_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pipe: object
) -> None:
    """A SQLite store's bytes through a pipe: E339, not "not UTF-8" or "empty"."""
    make = pipe
    assert callable(make)
    db = tmp_path / "grants.db"
    LedgerStore.open(db, create=True).close()
    code, _, err = run(capsys, "eval", POLICY, _facts(tmp_path, "P1"), "--ledger",
                       make(db.read_bytes()))  # fmt: skip
    assert (code, "error[E339]" in err, "--ledger grants.db" in err) == (2, True, True)


def test_a_bad_ledger_through_a_pipe_reports_its_fault_not_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pipe: object
) -> None:
    """``ledger import S <(echo 'ledger: [')``: the YAML error (E302), not "empty" (E320),
    which a second read of the spent pipe would have said."""
    make = pipe
    assert callable(make)
    db = tmp_path / "grants.db"
    LedgerStore.open(db, create=True).close()
    code, _, err = run(capsys, "ledger", "import", db, make(b"ledger: [\n"), "--policy", POLICY)
    assert (code, "error[E302]" in err, "E320" in err) == (2, True, False)


# ---- 5. a store's name for JSON -------------------------------------------------------------


@pytest.mark.parametrize("name", ["new.db", "new.sqlite", "new.sqlite3", "NEW.DB"])
def test_json_is_never_written_under_a_stores_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """--ledger-out and ledger export --out refuse a store's name (E338) and write nothing."""
    db = tmp_path / "grants.db"
    LedgerStore.open(db, create=True).close()
    target = tmp_path / name
    facts = _facts(tmp_path, "P1")
    for argv in (
        ("eval", POLICY, facts, "--ledger", db, "--ledger-out", target),
        ("eval", POLICY, facts, "--ledger-out", target),
        ("ledger", "export", db, "--out", target),
    ):
        code, _, err = run(capsys, *argv)
        assert (code, "error[E338]" in err, f"--ledger {target}" in err) == (2, True, True)
        assert not target.exists()


# ---- 6. a damaged store ---------------------------------------------------------------------


def test_a_damaged_store_says_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A .db file that is not SQLite: E330 with the way out (backup, or init and import)."""
    db = tmp_path / "grants.db"
    db.write_bytes(b"garbage, not a database" * 100)
    code, _, err = run(capsys, "ledger", "show", db)
    assert (code, "error[E330]" in err) == (2, True)
    assert "backup" in err
    assert "ledger init" in err
    assert "ledger import" in err
