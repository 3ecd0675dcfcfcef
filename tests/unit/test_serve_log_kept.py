"""The decision log keeps one connection for its writes (closing the last connection to a
WAL file waits for the disk), and a log entry is read from the decisions, not from a second
JSON answer: the same row as before, the same file written."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import policyrules
from policyrules.errors import PolicyRulesError
from policyrules.explain import result_json
from policyrules.provenance import provenance
from policyrules.serve_log import DecisionLog, LogEntry
from policyrules.serve_work import Evaluator, ServeLimits
from policyrules.store import LedgerStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_an_entry_says_what_the_answer_says(policy: policyrules.Policy, example: Path) -> None:
    """The brief list, the counts and the assumptions of a row are what the answer's JSON
    (result_json, as the row was made from before) says of each decision: every example,
    with amounts exact, up to, unknown and none among them."""
    facts = policy.load_facts(example)
    result = policy.evaluate(facts)
    data = result_json(result)
    entry = LogEntry.of("e1", result, raw=b"{}", provenance=provenance(policy))
    brief = [
        [d["provision"], d["subject"], d["status"], d["amount"], d["amount_kind"]]
        for d in data["decisions"]
    ]
    assert json.loads(entry.decisions) == brief
    assert entry.decisions == json.dumps(
        brief, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    assert json.loads(entry.assumptions) == data["assumptions"]
    statuses = [d["status"] for d in data["decisions"]]
    assert (entry.eligible, entry.not_eligible, entry.unknown) == (
        statuses.count("eligible"),
        statuses.count("not_eligible"),
        statuses.count("unknown"),
    )
    kinds = {d[4] for d in brief}
    assert len(kinds) >= 2  # (each example has amounts of two kinds at least, or none)


def _entry(n: int) -> LogEntry:
    return LogEntry(
        id=f"e{n}",
        recorded_at="2026-12-04T00:00:00+00:00",
        policy_digest="sha256:0",
        tool_version="0",
        calendar_version=None,
        input_digest="sha256:1",
        options="{}",
        assumptions="{}",
        decisions="[]",
        eligible=0,
        not_eligible=0,
        unknown=0,
        granted_fen=n,
        committed=False,
        ledger=None,
    )


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []
    real = DecisionLog._open

    def counted(path: Path, wait: float = 60.0) -> sqlite3.Connection:
        opened.append(path)
        return real(path, wait)

    monkeypatch.setattr(DecisionLog, "_open", staticmethod(counted))
    return opened


def test_writes_share_one_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = DecisionLog.open(tmp_path / "log.sqlite")
    opened = _counting(monkeypatch)
    for n in range(5):
        log.append(_entry(n))
    assert len(opened) == 1
    assert [r["granted_fen"] for r in log.entries()] == [0, 1, 2, 3, 4]
    log.close_connection()
    log.append(_entry(5))  # closed: the next write opens another
    assert len(opened) == 3  # (entries() reads on a connection of its own)


def test_a_log_replaced_at_its_path_gets_the_writes(tmp_path: Path) -> None:
    """The file at the path moved away and a new log made there: the next row goes to the
    new file, not to the one the kept connection had open."""
    path = tmp_path / "log.sqlite"
    log = DecisionLog.open(path)
    log.append(_entry(1))
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", tmp_path / f"old.sqlite{suffix}")
    DecisionLog.open(path)
    log.append(_entry(2))
    assert [r["granted_fen"] for r in log.entries()] == [2]


def test_a_log_deleted_fails_the_write_loudly(tmp_path: Path) -> None:
    """The file deleted under the service: the row is not written into the unlinked file
    (lost to everyone) but refused, E720, as it was when each write opened the file."""
    path = tmp_path / "log.sqlite"
    log = DecisionLog.open(path)
    log.append(_entry(1))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(PolicyRulesError) as info:
        log.append(_entry(2))
    assert info.value.code == "E720"
    assert "no file at its path" in str(info.value)
    assert not path.exists()  # (not made again: see test_serve_stranger)


def test_a_forked_process_opens_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection is never used across a fork: another process id, another connection."""
    log = DecisionLog.open(tmp_path / "log.sqlite")
    opened = _counting(monkeypatch)
    log.append(_entry(1))
    pid = os.getpid()
    monkeypatch.setattr(os, "getpid", lambda: pid + 1)
    log.append(_entry(2))
    assert len(opened) == 2
    assert [r["granted_fen"] for r in log.entries()] == [1, 2]


def test_a_failed_write_leaves_no_transaction_open(tmp_path: Path) -> None:
    """The same id twice (UNIQUE): E720, rolled back, and the kept connection writes on."""
    log = DecisionLog.open(tmp_path / "log.sqlite")
    log.append(_entry(1))
    with pytest.raises(PolicyRulesError) as info:
        log.append(_entry(1))
    assert info.value.code == "E720"
    log.append(_entry(2))
    assert [r["granted_fen"] for r in log.entries()] == [1, 2]


def test_the_service_lets_its_connections_go_when_closed(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """The evaluator holds the store open (so no evaluation's connection is the last) and
    the log its own; closing the evaluator closes both."""
    store = tmp_path / "grants.db"
    LedgerStore.open(store, create=True).close()
    log = DecisionLog.open(tmp_path / "log.sqlite")
    log.append(_entry(1))
    work = Evaluator(policy, digest=("sha256:0", 0), log=log, ledger=store, limits=ServeLimits())
    held = work._held
    assert held is not None
    assert log._conn is not None
    work.close()
    assert work._held is None
    assert log._conn is None
    with pytest.raises(PolicyRulesError) as info:
        held.grants()
    assert info.value.code == "E330"  # closed
