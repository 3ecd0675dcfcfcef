"""The ledger store's schema 3: the tier of a grant kept, older stores migrated in place with
every grant, tiers through `ledger import` / `ledger export`.

Policy (inline): a firm's scale reward from a tier table, 1 亿元 → 100 万元, 5 亿元 → 200 万元,
read `highest_only` (each tier paid at most once) or `top_up` (晋档补差).
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from policyrules import Grant, Ledger, LedgerError, LedgerStore, Money
from policyrules.store import SCHEMA_VERSION
from policyrules.store_schema import APPLICATION_ID
from strategies import compile_text
from support import run_cli

WAN = 1_000_000
REWARD = "d/1/a"
POLICY = """entity firm "企业"
  list firms
  fact revenue: money
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差，除非另有规定"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"

clause 1 "t"
  quote "q"
  award a
    for each firm
    eligible when revenue reaches scale
    amount scale[revenue]
    tiers by reading
"""
HIGHEST = {"reading": "highest_only"}

# The schema of versions 1 and 2 as they were written (store.py before schema 3): version 2
# is version 1 with `bases`.  Neither has a tier.
_V1 = """
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE grants (
    seq INTEGER PRIMARY KEY,
    provision TEXT NOT NULL CHECK (provision <> ''),
    path TEXT NOT NULL CHECK (path LIKE '[[%]]'),
    firm TEXT NOT NULL,
    year INTEGER CHECK (year IS NULL OR (typeof(year) = 'integer' AND year BETWEEN 1 AND 9999)),
    amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer' AND amount_fen >= 0),
    batch TEXT NOT NULL REFERENCES batches(id)
);
CREATE UNIQUE INDEX grant_identity ON grants (provision, path, coalesce(year, 0))
    WHERE amount_fen > 0;
CREATE INDEX grants_by_firm ON grants (firm, year);
"""
_BASES = """
CREATE TABLE bases (
    provision TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    batch TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (provision, name)
);
"""
# Version 3 is version 2 with the tier, in the grant's identity (as its migration made it).
_TIERED = """
ALTER TABLE grants ADD COLUMN tier TEXT
    CHECK (tier IS NULL OR (typeof(tier) = 'text' AND tier <> ''));
DROP INDEX grant_identity;
CREATE UNIQUE INDEX grant_identity
    ON grants (provision, path, coalesce(year, 0), coalesce(tier, ''))
    WHERE amount_fen > 0;
"""
# Three grants as an older policyrules recorded them: two batches, a grant of 0.00 元, one
# without a year.
_JAN, _FEB = "2026-01-05T10:00:00+00:00", "2026-02-01T09:30:00+00:00"
_ROWS = [
    ("b1", _JAN, "eval a.yaml", REWARD, '[["firm","f1"]]', "f1", 2026, 100 * WAN),
    ("b1", _JAN, "eval a.yaml", REWARD, '[["firm","f2"]]', "f2", None, 0),
    ("b2", _FEB, "import l.json", REWARD, '[["firm","f3"]]', "f3", 2025, 7),
]


def _old_store(path: Path, version: int) -> None:
    """A store of schema ``version`` (1, 2 or 3) holding ``_ROWS``, written with plain
    sqlite3."""
    with sqlite3.connect(path) as conn:
        conn.executescript(
            _V1 + (_BASES if version >= 2 else "") + (_TIERED if version == 3 else "")
        )
        for batch, at, note, provision, steps, firm, year, fen in _ROWS:
            conn.execute("INSERT OR IGNORE INTO batches VALUES (?, ?, ?)", (batch, at, note))
            conn.execute(
                "INSERT INTO grants (provision, path, firm, year, amount_fen, batch) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (provision, steps, firm, year, fen, batch),
            )
        if version >= 2:
            conn.execute("INSERT INTO bases VALUES (?, 'reading', 'top_up', 'b1')", (REWARD,))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def _indexes(path: Path) -> dict[str, str]:
    """name -> the SQL of each index made by a statement, on any table."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index'").fetchall()
    conn.close()
    return {name: " ".join(sql.split()) for name, sql in rows if sql is not None}


def _columns(path: Path) -> list[tuple[Any, ...]]:
    """(name, type, not null, default) of each column of `grants`, in order."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("PRAGMA table_info(grants)").fetchall()
    conn.close()
    return [tuple(r[1:5]) for r in rows]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_store_is_migrated_and_keeps_every_grant(tmp_path: Path, version: int) -> None:
    """A store of schema 1, 2, 3 or 4 opens as schema 8: every grant with its seq, batch, time
    and note as it was, no tier on any; `bases` there (the older row kept); the columns and
    indexes of `grants` those of a new store (the index on the firm's number among them); and
    a tiered grant can now be recorded in it."""
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _old_store(old, version)
    LedgerStore.open(new, create=True).close()
    with LedgerStore.open(old, create=False) as store:
        records = store.records()
        store.append([Grant(REWARD, (("firm", "f4"),), Money.of(200, "万元"), 2026, tier="5 亿元")])
    assert [(r.seq, r.batch, r.recorded_at, r.note) for r in records] == [
        (1, "b1", "2026-01-05T10:00:00+00:00", "eval a.yaml"),
        (2, "b1", "2026-01-05T10:00:00+00:00", "eval a.yaml"),
        (3, "b2", "2026-02-01T09:30:00+00:00", "import l.json"),
    ]
    assert [r.grant for r in records] == [
        Grant(REWARD, (("firm", "f1"),), Money(100 * WAN), 2026),
        Grant(REWARD, (("firm", "f2"),), Money(0), None),
        Grant(REWARD, (("firm", "f3"),), Money(7), 2025),
    ]
    assert _columns(old) == _columns(new)
    assert _indexes(old) == _indexes(new)
    assert "grants_by_number" in _indexes(new)
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        assert conn.execute("SELECT tier FROM grants ORDER BY seq").fetchall() == [
            (None,),
            (None,),
            (None,),
            ("5 亿元",),
        ]
        bases = conn.execute("SELECT provision, name, value FROM bases").fetchall()
    conn.close()
    assert bases == ([(REWARD, "reading", "top_up")] if version >= 2 else [])


def test_a_migration_that_fails_changes_nothing(tmp_path: Path) -> None:
    """A version 2 file that is not a policyrules store (another application id): E330, and
    the file keeps its version and its columns (the migration is one transaction)."""
    path = tmp_path / "old.db"
    _old_store(path, 2)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 7")
    conn.close()
    before = _columns(path)
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path, create=False)
    assert info.value.code == "E330"
    assert "not a policyrules ledger store" in str(info.value)
    assert _columns(path) == before
    assert "tier" not in [c[0] for c in before]


def test_a_tier_is_part_of_a_grants_identity_in_a_store(tmp_path: Path) -> None:
    """Tier 1 亿 and tier 5 亿 paid to one firm in one year are two payments (the identity
    is provision, path, year, tier); the same tier twice is refused (E331) naming the
    first, and nothing of that batch is kept."""

    def grant(tier: str | None, wan: int) -> Grant:
        return Grant(REWARD, (("firm", "f"),), Money.of(wan, "万元"), 2026, tier=tier)

    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        store.append([grant("1 亿元", 100), grant("5 亿元", 200)])
        with pytest.raises(LedgerError) as info:
            store.append([grant(None, 1), grant("5 亿元", 200)])
        assert info.value.code == "E331"
        assert "already recorded (grant #2" in str(info.value)
        assert store.grants() == Ledger((grant("1 亿元", 100), grant("5 亿元", 200)))


def test_a_tier_that_is_not_text_is_refused_by_the_database(tmp_path: Path) -> None:
    """The CHECK on `tier` backs the library: an empty tier written around it is refused."""
    path = tmp_path / "g.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([Grant(REWARD, (("firm", "f"),), Money(1), 2026, tier="1 亿元")])
    with sqlite3.connect(path) as conn:
        batch = conn.execute("SELECT batch FROM grants").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(
                "INSERT INTO grants (provision, path, firm, year, amount_fen, batch, tier) "
                "VALUES (?, '[[\"firm\",\"g\"]]', 'g', 2026, 1, ?, '')",
                (REWARD, batch),
            )
    conn.close()


def test_highest_only_reads_the_tier_back_from_a_store(tmp_path: Path) -> None:
    """Committed under `highest_only`: 6 亿元 pays tier 5 亿元, 200 万元 (tier 1 亿 crossed at
    once: not paid), recorded with its tier.  A later run at 7 亿元 reads the tier from the
    store: tier 5 亿 was paid, so not eligible (as with a ledger file), and nothing more is
    recorded."""
    policy = compile_text(POLICY)
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        first = policy.evaluate(
            {"firms": [{"id": "f", "revenue": "6亿元"}]},
            ledger=store,
            commit=True,
            assumptions=HIGHEST,
        )
        assert [g.tier for g in first.grants] == ["5 亿元"]
        again = policy.evaluate(
            {"firms": [{"id": "f", "revenue": "7亿元"}]},
            ledger=store,
            commit=True,
            assumptions=HIGHEST,
        )
        (d,) = again.decisions
        assert (d.status, again.grants) == ("not_eligible", ())
        assert store.grants().grants == (
            Grant(REWARD, (("firm", "f"),), Money(200 * WAN), None, tier="5 亿元"),
        )


def test_tiers_go_through_ledger_import_and_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A ledger file with tiers imported into a store and exported again: the same grants,
    tiers included, in the same order; the export read back by `ledger import` into a second
    store gives it the same grants."""
    rule = tmp_path / "t.rule"
    rule.write_text(POLICY, "utf-8")
    grants = [
        {"provision": REWARD, "firm": "f1", "amount": "1000000.00", "tier": "1 亿元"},
        {"provision": REWARD, "firm": "f1", "amount": "2000000.00", "tier": "5 亿元"},
        {"provision": REWARD, "firm": "f2", "amount": "1000000.00"},
    ]
    src = tmp_path / "l.json"
    src.write_text(json.dumps({"ledger": grants}, ensure_ascii=False), "utf-8")
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    out = tmp_path / "out.json"
    for store in (first, second):
        assert run_cli(capsys, "ledger", "init", store)[0] == 0
    code, said, err = run_cli(capsys, "ledger", "import", first, src, "--policy", rule)
    assert (code, err) == (0, ""), err
    assert "imported 3 grant(s), 4,000,000.00 元" in said  # 100 + 200 + 100 万元
    code, _, err = run_cli(capsys, "ledger", "export", first, "--out", out)
    assert (code, err.startswith("exported 3 grant(s), 4,000,000.00 元")) == (0, True), err
    # The file gave no `bases:`: its grants were taken as counted by the default reading,
    # which the import recorded and the export now states (ledger_bases.implied_bases).
    basis = {"provision": REWARD, "assumption": "reading", "value": "top_up"}
    assert json.loads(out.read_text("utf-8")) == {"ledger": grants, "bases": [basis]}
    code, _, err = run_cli(capsys, "ledger", "import", second, out, "--policy", rule)
    assert code == 0, err
    code, shown, _ = run_cli(capsys, "ledger", "show", second)
    lines = shown.splitlines()
    assert code == 0
    assert lines[0].endswith(f"{REWARD}  firm f1  -  1,000,000.00 元  tier 1 亿元")
    assert lines[2].endswith(f"{REWARD}  firm f2  -  1,000,000.00 元")  # names no tier
    with LedgerStore.open(first, create=True) as a, LedgerStore.open(second, create=True) as b:
        assert a.grants() == b.grants()
        assert a.bases() == b.bases() == ((REWARD, "reading", "top_up"),)
        assert [g.tier for g in a.grants()] == ["1 亿元", "5 亿元", None]
