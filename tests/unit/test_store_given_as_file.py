"""A ledger store (SQLite) given where a JSON/YAML file is read (issue 9, audit of the
fifth session): ``policyrules ledger import S.db S.db`` said "not UTF-8 text".  Anywhere a
data file is read (facts, a ledger file, ``ledger import``), a file starting with SQLite's
header ``SQLite format 3\\0`` is refused as a store, E343, with the command that fits.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import FactsError, LedgerStore
from policyrules.reading import read_data
from support import BEIJING as POLICY
from support import run_cli as run

_HEADER = b"SQLite format 3\x00"


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM grants").fetchone()[0])


def _store(path: Path) -> Path:
    LedgerStore.open(path, create=True).close()
    return path


def test_importing_a_store_into_itself_says_it_is_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _store(tmp_path / "S.db")
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, db)
    assert code != 0
    assert "error[E343]" in err
    assert "the store itself" in err
    assert "not UTF-8" not in err
    assert f"ledger export {db} --out grants.yaml" in err
    assert _count(db) == 0


def test_importing_another_store_names_export_then_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _store(tmp_path / "S.db")
    other = _store(tmp_path / "other.yaml")  # a store, whatever its name says
    code, _, err = run(capsys, "ledger", "import", "--policy", POLICY, db, other)
    assert code != 0
    assert "error[E343]" in err
    assert "a ledger store, not a JSON/YAML ledger file" in err
    assert f"ledger export {other} --out grants.yaml" in err
    assert f"ledger import --policy POLICY {db} grants.yaml" in err


def test_a_store_given_as_facts_is_named_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("S.db", "facts.yaml", "facts.json"):
        db = _store(tmp_path / name)
        code, _, err = run(capsys, "eval", POLICY, db)
        assert code != 0
        assert "error[E343]" in err, name
        assert "this is a ledger store (SQLite), not a JSON/YAML file" in err
        assert f"--ledger {db}" in err  # the hint: where a store goes


def test_a_store_given_to_the_python_readers(tmp_path: Path) -> None:
    db = _store(tmp_path / "facts.json")
    policy = policyrules.load(POLICY)
    with pytest.raises(FactsError) as err:
        policy.load_facts(db)
    assert [d.code for d in err.value.diagnostics] == ["E343"]


@given(tail=st.binary(max_size=200), suffix=st.sampled_from([".json", ".yaml", ".yml", ""]))
def test_any_file_with_the_sqlite_header_is_refused_as_a_store(tail: bytes, suffix: str) -> None:
    """Whatever follows the header and whatever the name, the reader says "store" (E343)
    and never decodes the bytes as text."""
    with pytest.raises(FactsError) as err:
        read_data(f"x{suffix}", raw=_HEADER + tail)
    assert [d.code for d in err.value.diagnostics] == ["E343"]


def test_text_that_merely_mentions_the_header_is_read_as_text() -> None:
    # "SQLite format 3" without its NUL byte, inside YAML, is just text.
    _, data = read_data("x.yaml", raw=b"note: SQLite format 3\n")
    assert data == {"note": "SQLite format 3"}
