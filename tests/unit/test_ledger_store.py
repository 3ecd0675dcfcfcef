"""The SQLite ledger store: one transaction per evaluation, unique grants, versioned schema,
concurrent runs that never exceed a cap, and a killed run that leaves nothing behind.

Policy: 京经信发〔2025〕50号 第3条 launch_reward: once per product, cap 200 万元 per product,
cap 1000 万元 per firm per year.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, Ledger, LedgerError, LedgerStore, Money
from policyrules.store import SCHEMA_VERSION, StoreTransaction, is_store

ROOT = Path(__file__).resolve().parents[2]
REWARD = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元
FORK = multiprocessing.get_context("fork")


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _grant(product: str, wan: int, year: int = 2026, firm: str = "f1") -> Grant:
    return Grant(REWARD, (("firm", firm), ("product", product)), Money.of(wan, "万元"), year)


def _product(pid: str, decided: str = "200万元", approved: str = "2026-03-01") -> dict[str, Any]:
    return {
        "id": pid,
        "approved_on": approved,
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": decided,
    }


def _facts(*products: dict[str, Any]) -> dict[str, Any]:
    return {"firms": [{"id": "f1", "products": list(products)}]}


def _reward(result: policyrules.Result, subject: str) -> policyrules.Decision:
    return next(d for d in result.decisions if d.provision == REWARD and d.subject == subject)


def _stored_fen(path: Path) -> int:
    """The sum of what the store holds, read with plain sqlite3 (not through the library)."""
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT coalesce(sum(amount_fen), 0) FROM grants").fetchone()[0])


def test_a_new_store_is_created_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    """Opening a missing file creates the schema: user_version 8, WAL journal."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        assert store.grants() == Ledger()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert is_store(path)


def test_what_is_appended_reads_back(tmp_path: Path) -> None:
    """Grants read back equal, in order, with their batch and time; a second open sees them."""
    path = tmp_path / "grants.db"
    grants = [_grant("P1", 200), Grant(REWARD, (("firm", "0701"),), Money(1), None)]
    with LedgerStore.open(path, create=True) as store:
        batch = store.append(grants, note="first")
    with LedgerStore.open(path, create=True) as store:
        assert store.grants() == Ledger(tuple(grants))
        records = store.records()
    assert [r.seq for r in records] == [1, 2]
    assert {r.batch for r in records} == {batch}
    assert records[0].note == "first"
    assert records[0].recorded_at.endswith("+00:00")
    assert _stored_fen(path) == 200 * WAN + 1


def test_a_grant_already_recorded_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    """The uniqueness constraint on (provision, path, year): a batch holding one grant that
    is already there is refused whole (E331), the other grants of the batch are not kept."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200)])
        with pytest.raises(LedgerError) as info:
            store.append([_grant("P2", 100), _grant("P1", 200)])
        assert info.value.code == "E331"
        assert "already recorded (grant #1" in str(info.value)
        assert store.grants() == Ledger((_grant("P1", 200),))
        # The same product in another year is another grant; 0.00 元 is no payment.
        store.append([_grant("P1", 200, year=2027), _grant("P1", 0)])
    assert _stored_fen(path) == 400 * WAN  # 200 万 (2026) + 200 万 (2027) + 0


def test_the_database_itself_refuses_bad_rows(tmp_path: Path) -> None:
    """CHECK constraints back the Grant checks: a negative amount written around the
    library is refused by SQLite; the unique index holds for raw writes too."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200)])
    with sqlite3.connect(path) as conn:
        batch = conn.execute("SELECT batch FROM grants").fetchone()[0]
        row = (REWARD, '[["firm","f1"],["product","P2"]]', "f1", 2026, -1, batch)
        insert = (
            "INSERT INTO grants (provision, path, firm, year, amount_fen, batch) "
            "VALUES (?, ?, ?, ?, ?, ?)"
        )
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(insert, row)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                insert, (*row[:1], '[["firm","f1"],["product","P1"]]', *row[2:4], 5, batch)
            )


def test_a_missing_store_is_refused_unless_made(tmp_path: Path) -> None:
    """``LedgerStore.open`` of a name that does not exist (a typo of the store's) refuses
    (E336) and makes no file, as the command line does: an empty ledger opened by mistake
    would pay every award again.  ``create=True`` makes it; then a plain open finds it."""
    path = tmp_path / "grnats.db"
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    assert info.value.code == "E336"
    assert "no such ledger store" in str(info.value)
    assert info.value.hint is not None
    assert "ledger init" in info.value.hint
    assert not path.exists()
    LedgerStore.open(path, create=True).close()
    with LedgerStore.open(path) as store:
        assert len(store.grants()) == 0


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    """A store written by a newer policyrules (user_version 9) is refused, not guessed at,
    and left as it was."""
    path = tmp_path / "grants.db"
    LedgerStore.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 9")
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path, create=True)
    assert info.value.code == "E330"
    assert "schema version 9 is newer" in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", ["sqlite", "text"])
def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path, content: str) -> None:
    """Another SQLite database, or a text file named .db: E330, never overwritten."""
    path = tmp_path / "other.db"
    if content == "sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        path.write_text("not a database\n" * 100, "utf-8")
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path, create=True)
    assert info.value.code == "E330"
    assert path.read_bytes() == before


def test_a_damaged_store_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """A store whose grants table was dropped outside policyrules: E330 on read and on
    write, and the command line exits 2 with the error."""
    from policyrules.cli import main

    path = tmp_path / "grants.db"
    LedgerStore.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE grants")
    with LedgerStore.open(path, create=True) as store:
        for action in (store.grants, lambda: store.append([_grant("P1", 1)])):
            with pytest.raises(LedgerError) as info:
                action()
            assert (info.value.code, "no such table: grants" in str(info.value)) == ("E330", True)
    assert main(["ledger", "show", str(path)]) == 2


def test_evaluate_commits_and_a_second_run_sees_the_first(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """``evaluate(ledger=store, commit=True)`` records the result's grants; a later run of
    the same product finds it paid (一次性), another product finds the year's cap used.
    800 万 earlier + P5 200 万 = 1000 万: P6 gets 1000 − 1000 = 0.00 元, recorded as nothing."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant(f"P{i}", 200) for i in range(1, 5)])  # 4 × 200 万 = 800 万
        first = beijing.evaluate(_facts(_product("P5")), ledger=store, commit=True)
        assert _reward(first, "f1/P5").amount == Money.of(200, "万元")
        again = beijing.evaluate(_facts(_product("P5")), ledger=store, commit=True)
        assert (_reward(again, "f1/P5").status, again.grants) == ("not_eligible", ())
        other = beijing.evaluate(_facts(_product("P6")), ledger=store, commit=True)
        assert (_reward(other, "f1/P6").amount, other.grants) == (Money.zero(), ())
    assert _stored_fen(path) == 1000 * WAN


def test_without_commit_the_store_is_only_read(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """``commit=False`` (the CLI's --dry-run) evaluates against the store and writes nothing;
    ``commit=True`` without a store is a usage error."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        nine = [_grant(f"E{i}", 200 if i < 5 else 100) for i in range(1, 6)]  # 900 万
        store.append(nine)
        result = beijing.evaluate(_facts(_product("P2")), ledger=store)
        assert _reward(result, "f1/P2").amount == Money.of(100, "万元")  # 1000 − 900
        assert len(store.grants()) == 5
        with pytest.raises(TypeError):
            beijing.evaluate(_facts(), ledger=[], commit=True)


def test_a_grant_the_run_repeats_rolls_the_run_back(tmp_path: Path) -> None:
    """A provision without `once per` pays a product the rest of its entitlement (2 元
    decided, 1 元 granted before: 1 元 more); recorded again under the same identity it
    would break the store's uniqueness, the last line of defence: the commit is refused
    (E331) and none of the run's grants are kept."""
    from strategies import compile_text

    policy = compile_text(
        """entity firm
  list firms
entity product
  list products of firm
  fact d: money

document d "t"

clause 1 "c"
  quote "q"
  award a "a"
    for each product
    amount decided d
"""
    )
    facts = {"firms": [{"id": "f", "products": [{"id": "p", "d": "1"}, {"id": "q", "d": "2"}]}]}
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([Grant("d/1/a", (("firm", "f"), ("product", "q")), Money.of(1))])
        with pytest.raises(LedgerError) as info:
            policy.evaluate(facts, ledger=store, commit=True)
        assert info.value.code == "E331"
        assert len(store.grants()) == 1
    assert _stored_fen(path) == 100  # 1 元, the earlier grant only


def test_a_store_held_too_long_is_reported_busy(tmp_path: Path) -> None:
    """While one connection holds the write transaction, another that may wait only 0.1 s
    gets E332, and the holder's work is unaffected."""
    path = tmp_path / "grants.db"
    with (
        LedgerStore.open(path, create=True) as holder,
        LedgerStore.open(path, timeout=0.1, create=True) as other,
    ):
        with holder.transaction(note="slow") as txn:
            txn.append([_grant("P1", 100)])
            with pytest.raises(LedgerError) as info:
                other.append([_grant("P2", 100)])
            assert info.value.code == "E332"
        assert other.grants() == Ledger((_grant("P1", 100),))


# ---- several processes ---------------------------------------------------------------------


def _claim(
    policy: policyrules.Policy, path: Path, products: list[str], gate: Any, out: Any
) -> None:
    gate.wait(timeout=20)
    with LedgerStore.open(path, create=True) as store:
        result = policy.evaluate(_facts(*map(_product, products)), ledger=store, commit=True)
    out.send(sum(g.amount.fen for g in result.grants))


def test_concurrent_runs_never_exceed_the_firm_year_cap(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """Four processes evaluate different products of firm f1 against one store at once;
    each asks 2 × 200 万 = 400 万, 1,600 万 in all.  800 万 is already granted in 2026, so
    1000 − 800 = 200 万 is left: what is stored sums to exactly 1,000 万, never more.
    (Reading without the write lock, each run would see 800 万 and store 1,600 + 800.)"""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant(f"E{i}", 200) for i in range(4)])
    gate = FORK.Barrier(4)
    pipes = [FORK.Pipe(duplex=False) for _ in range(4)]
    procs = [
        FORK.Process(target=_claim, args=(beijing, path, [f"A{n}", f"B{n}"], gate, pipes[n][1]))
        for n in range(4)
    ]
    for p in procs:
        p.start()
    paid = [pipes[n][0].recv() for n in range(4)]
    for p in procs:
        p.join(timeout=20)
        assert p.exitcode == 0
    assert sum(paid) == 200 * WAN  # the runs together paid what was left
    assert _stored_fen(path) == 1000 * WAN
    with LedgerStore.open(path, create=True) as store:
        assert len(store.grants()) == 5  # 4 earlier + the one product paid 200 万


def _die_mid_commit(path: Path, ready: Any) -> None:
    original = StoreTransaction.append

    def append_then_hang(self: StoreTransaction, grants: Any, **kw: Any) -> str | None:
        batch = original(self, grants, **kw)  # the rows are written, not yet committed
        ready.send(batch)
        signal.pause()
        return batch

    StoreTransaction.append = append_then_hang  # type: ignore[method-assign]
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    with LedgerStore.open(path, create=True) as store:
        policy.evaluate(_facts(_product("P9")), ledger=store, commit=True)


def test_a_run_killed_while_committing_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """A child evaluates, writes its grant inside the transaction, tells us, and is
    SIGKILLed before COMMIT: the store holds exactly what it held, and the next run is not
    blocked by the dead one's lock."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200)])
    before = sorted(map(repr, LedgerStore.open(path, create=True).records()))
    recv, send = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_die_mid_commit, args=(path, send))
    child.start()
    assert recv.poll(20), "the child never reached its commit"
    assert recv.recv()  # a batch id: the grant was written inside the transaction
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=10)
    assert child.exitcode == -signal.SIGKILL
    with LedgerStore.open(path, timeout=2, create=True) as store:
        assert sorted(map(repr, store.records())) == before
        store.append([_grant("P2", 100)])  # the write lock is free again
    assert _stored_fen(path) == 300 * WAN  # 200 万 + 100 万; the dead run's 200 万 is gone


def test_the_store_holds_what_json_export_shows(tmp_path: Path) -> None:
    """Export is the store's grants as a ledger file: amounts in 元 as text, ids as text."""
    from policyrules.ledger_io import dump_ledger

    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200)])
        data = json.loads(dump_ledger(store.grants()))
    assert data == {
        "ledger": [
            {
                "provision": REWARD,
                "firm": "f1",
                "product": "P1",
                "amount": "2000000.00",
                "year": 2026,
            }
        ]
    }


def test_a_store_is_read_by_firm(tmp_path: Path) -> None:
    """``grants(firms)`` gives the grants of those firms only, in the order recorded; an
    unknown firm gives none; no argument gives every grant."""
    a1, b1, a2 = (
        _grant("P1", 200, firm="a"),
        _grant("P1", 100, firm="b"),
        _grant("P2", 50, firm="a"),
    )
    with LedgerStore.open(tmp_path / "grants.db", create=True) as store:
        store.append([a1, b1, a2])
        assert store.grants(["a"]) == Ledger((a1, a2))
        assert store.grants(["b", "zz"]) == Ledger((b1,))
        assert store.grants([]) == Ledger()
        assert store.grants() == Ledger((a1, b1, a2))


def test_the_facts_own_grants_of_another_firm_are_not_recorded_twice(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """The facts evaluate firm f1 and carry, in their own `ledger:`, a grant of firm g that
    the store already holds: the run reads g's grants too, sees it is the same grant, and
    records only f1's 200 万 (not g's again, which would be refused as a duplicate, E331)."""
    path = tmp_path / "grants.db"
    g = _grant("Q1", 150, firm="g")
    facts = {**_facts(_product("P1")), "ledger": [g.to_json()]}
    with LedgerStore.open(path, create=True) as store:
        store.append([g])
        result = beijing.evaluate(facts, ledger=store, commit=True)
        assert [(x.subject, x.amount) for x in result.grants] == [("f1/P1", Money.of(200, "万元"))]
        assert store.grants().grants == (g, _grant("P1", 200))
        assert store.grants().bases == store.bases()  # with the readings the run recorded
    assert _stored_fen(path) == 350 * WAN  # 150 万 (g) + 200 万 (f1)


def test_a_ledger_file_given_as_the_store_is_named(tmp_path: Path) -> None:
    """A YAML ledger file given where a store is read (`ledger show g.yaml`) is E330 saying
    it is no SQLite database and how to make a store of it, where it advised restoring a
    damaged store from a backup; a file that starts as SQLite but is damaged keeps that."""
    path = tmp_path / "g.yaml"
    path.write_text("ledger:\n  - provision: d/1/a\n", "utf-8")
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    assert info.value.code == "E330"
    assert "a YAML or JSON file, not a ledger store" in str(info.value)
    assert info.value.hint is not None
    assert "ledger import STORE.db FILE" in info.value.hint
    assert "backup" not in info.value.hint
    damaged = tmp_path / "d.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(damaged)
    assert info.value.hint is not None
    assert "restore the store from a backup" in info.value.hint


def test_a_grant_to_an_id_now_refused_is_named_not_damage(tmp_path: Path) -> None:
    """A store an earlier policyrules wrote, holding a grant to firm `０７０１` (full-width,
    refused since): reading it is E330 naming the grant and the id's fault, the hint the
    way to mend it (export with that version, write `0701`, import), where it said the
    store was changed outside policyrules; an evaluation against it pays nothing."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200, firm="f0701")])
    with sqlite3.connect(path) as conn:  # as the earlier version wrote it (schema 4)
        conn.execute(
            "UPDATE grants SET firm = ?, path = ? WHERE seq = 1",
            ("０７０１", '[["firm","０７０１"],["product","P1"]]'),
        )
        conn.execute("PRAGMA user_version = 4")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    message = str(info.value)
    assert info.value.code == "E330"
    assert "grant #1 holds an id this policyrules refuses" in message
    assert "full-width letter or digit" in message
    assert info.value.hint is not None
    assert "export it with the version that wrote it" in info.value.hint
    assert "write '0701'" in info.value.hint
    assert "changed outside policyrules" not in info.value.hint
    # Nothing read, nothing paid: the store is left at schema 4, unread by any run.
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()
    from policyrules.cli import main

    policy = str(ROOT / "policies" / "beijing_2025")
    assert main(["eval", policy, "--ledger", str(path), str(_facts_0701(tmp_path))]) == 2
    assert path.read_bytes() == before


def _facts_0701(folder: Path) -> Path:
    f = folder / "f.json"
    f.write_text(json.dumps({"firms": [{"id": "0701", "products": [_product("P1")]}]}), "utf-8")
    return f


def test_a_schema_4_store_of_plain_ids_migrates_to_7(tmp_path: Path) -> None:
    """A store of schema 4 whose ids are all ones this version takes opens as schema 8,
    its grants as they were."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200, firm="0701"), _grant("（北京）P2", 100)])
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 4")
    conn.close()
    with LedgerStore.open(path) as store:
        assert store.grants().total() == Money.of(300, "万元")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    conn.close()


def test_a_current_store_edited_to_a_refused_id_names_it_when_read(tmp_path: Path) -> None:
    """A store of this schema whose grant was given `０７０１` outside policyrules: read, it is
    E330 naming the grant and the id's fault (the same words as the migration's), not
    "damaged"; a path that is no list of pairs is still "damaged"."""
    path = tmp_path / "grants.db"
    with LedgerStore.open(path, create=True) as store:
        store.append([_grant("P1", 200, firm="f0701"), _grant("P2", 100)])
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE grants SET path = ? WHERE seq = 1", ('[["firm","０７０１"],["product","P1"]]',)
        )
        conn.execute("UPDATE grants SET path = ? WHERE seq = 2", ('[["firm"]]',))
    conn.close()
    with LedgerStore.open(path) as store, pytest.raises(LedgerError) as info:
        store.grants()
    assert info.value.code == "E330"
    assert "grant #1 holds an id this policyrules refuses" in str(info.value)
    assert info.value.hint is not None
    assert "write '0701'" in info.value.hint
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM grants WHERE seq = 1")
    conn.close()
    with LedgerStore.open(path) as store, pytest.raises(LedgerError) as info:
        store.grants()
    assert "grant #2 is damaged" in str(info.value)
