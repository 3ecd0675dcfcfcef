"""The decision log and the ledger under `policyrules serve`: one transaction, bounded time,
no entry lost under concurrent requests on loopback."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
import yaml
from starlette.applications import Starlette
from starlette.testclient import TestClient

import policyrules
from policyrules.errors import PolicyRulesError
from policyrules.serve import ServeLimits, create_app
from policyrules.serve_log import DecisionLog
from policyrules.store import LedgerStore, StoreTransaction

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}
# firm-a, committed to an empty store (examples/firm-a.yaml): A1 200 万 + A2 150 万 + A3 50 万
# (the 1000 万 firm-year cap of 第3条, 600 万 of it in the facts' own ledger) + J1 2400 万
# (30% × 8000 万) = 2800 万元 granted; with the 3 × 200 万 imported, 3400 万 in the store.
GRANTED_FEN = 28_000_000 * 100
STORED_FEN = 34_000_000 * 100


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def firm(name: str = "firm-a") -> bytes:
    """firm-a's facts as JSON, with the firm (and its earlier grants) renamed ``name``."""
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    data["firms"][0]["id"] = name
    for grant in data["ledger"]:
        grant["firm"] = name
    return json.dumps(data, default=str).encode()


def firm_without_grants() -> bytes:
    """firm-a's facts as JSON without its earlier grants (committed by any service)."""
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    del data["ledger"]
    return json.dumps(data, default=str).encode()


@pytest.fixture
def log(tmp_path: Path) -> DecisionLog:
    return DecisionLog.open(tmp_path / "decisions.sqlite")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "grants.db"
    LedgerStore.open(path, create=True).close()
    return path


def stored_fen(path: Path) -> list[int]:
    with LedgerStore.open(path, create=False) as s:
        return [g.amount.fen for g in s.grants()]


def test_commit_records_grants_and_log_entry_together(
    policy: policyrules.Policy, log: DecisionLog, store: Path
) -> None:
    """commit=1 records the grants and a log row naming the store; the same firm again is
    granted nothing (every award is paid once, the caps are used up), and is logged too."""
    with TestClient(create_app(policy, log=log, ledger=store, import_ledgers=True)) as c:
        first = c.post("/v1/evaluate?commit=1", content=firm(), headers=JSON)
        again = c.post("/v1/evaluate?commit=1", content=firm(), headers=JSON)
        dry = c.post("/v1/evaluate", content=firm(), headers=JSON)
    assert (first.status_code, again.status_code, dry.status_code) == (200, 200, 200)
    assert sum(stored_fen(store)) == STORED_FEN
    rows = log.entries()
    assert [r["granted_fen"] for r in rows] == [GRANTED_FEN, 0, 0]
    assert [r["committed"] for r in rows] == [1, 1, 0]
    assert rows[0]["ledger"] == str(store)
    assert [g["amount"] for g in again.json()["grants"]] == []


def test_a_failure_between_log_and_grants_leaves_neither(
    policy: policyrules.Policy, log: DecisionLog, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log row is written first in the store's transaction; when appending the grants
    then fails, both are rolled back: 503 E330, no row, no grant."""
    real = StoreTransaction.append

    def failing(self: StoreTransaction, grants: Any, *, note: str | None = None) -> Any:
        if list(grants):
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, [], note=note)

    monkeypatch.setattr(StoreTransaction, "append", failing)
    with TestClient(create_app(policy, log=log, ledger=store, import_ledgers=True)) as c:
        answer = c.post("/v1/evaluate?commit=1", content=firm(), headers=JSON)
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["code"] == "E330"
    assert log.entries() == []
    assert stored_fen(store) == []


class Gate:
    """Holds every evaluation until opened; ``entered`` is set when one is held."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        real = policyrules.api.Policy.evaluate

        def held(policy: policyrules.Policy, *args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.open.wait(30)
            return real(policy, *args, **kwargs)

        monkeypatch.setattr(policyrules.api.Policy, "evaluate", held)


def _drain(app: Starlette) -> None:
    """Wait for the evaluations still running in the app's threads to end."""
    app.state.evaluator.pool.shutdown(wait=True)


@pytest.mark.parametrize("commit", [False, True])
def test_timeout_answers_504_and_records_nothing(
    policy: policyrules.Policy,
    log: DecisionLog,
    store: Path,
    monkeypatch: pytest.MonkeyPatch,
    commit: bool,
) -> None:
    """An evaluation still running at the time bound is answered 504 E712; when it ends it
    finds its job abandoned and writes neither a log row nor (committing) a grant."""
    gate = Gate(monkeypatch)
    app = create_app(
        policy,
        log=log,
        ledger=store,
        limits=ServeLimits(timeout=0.2, workers=1),
        import_ledgers=True,
    )
    with TestClient(app) as c:
        answer = c.post(f"/v1/evaluate?commit={int(commit)}", content=firm(), headers=JSON)
        gate.open.set()
        _drain(app)
    assert answer.status_code == 504
    assert answer.json()["errors"][0]["code"] == "E712"
    assert log.entries() == []
    assert stored_fen(store) == []


def test_no_free_thread_in_time_answers_503(
    policy: policyrules.Policy, log: DecisionLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one thread held by a first request, a second waits for it in vain: 503 E713
    (Retry-After), while the first is 504; neither is logged."""
    gate = Gate(monkeypatch)
    app = create_app(policy, log=log, limits=ServeLimits(timeout=0.5, workers=1))
    with TestClient(app) as c, concurrent.futures.ThreadPoolExecutor(2) as pool:
        first = pool.submit(c.post, "/v1/evaluate", content=firm(), headers=JSON)
        assert gate.entered.wait(30)  # the first evaluation holds the one thread
        second = c.post("/v1/evaluate", content=firm(), headers=JSON)
        gate.open.set()
        answers = [first.result(), second]
        _drain(app)
    assert [a.status_code for a in answers] == [504, 503]
    assert [a.json()["errors"][0]["code"] for a in answers] == ["E712", "E713"]
    assert answers[1].headers["retry-after"] == "1"
    assert log.entries() == []


def test_a_store_held_by_another_writer_answers_503_busy(
    policy: policyrules.Policy, log: DecisionLog, store: Path
) -> None:
    """Another program holds the store's write lock (`BEGIN IMMEDIATE`): a committing
    evaluation waits half of the timeout for it, then is answered 503 E332 with
    Retry-After, before its time is up (not 504, abandoned); nothing is recorded, and an
    evaluation that only reads the store is answered meanwhile."""
    limits = ServeLimits(timeout=4)  # the store is waited for 2 s
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with TestClient(create_app(policy, log=log, ledger=store, limits=limits)) as c:
            started = time.monotonic()
            busy = c.post("/v1/evaluate?commit=1", content=firm_without_grants(), headers=JSON)
            waited = time.monotonic() - started
            dry = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (busy.status_code, busy.headers["retry-after"]) == (503, "1")
    assert busy.json()["errors"][0]["code"] == "E332"
    assert 2 <= waited < 4
    assert dry.status_code == 200
    assert [r["committed"] for r in log.entries()] == [0]  # the dry run's row only
    assert stored_fen(store) == []


def test_store_wait_is_below_the_timeout() -> None:
    """The store's wait is half the timeout unless given, and always below it."""
    assert ServeLimits().store_wait == 5
    assert ServeLimits(timeout=3, store_wait=1).store_wait == 1
    for wait in (3, 4, 0):
        with pytest.raises(ValueError, match="below timeout"):
            ServeLimits(timeout=3, store_wait=wait)


def test_errors_show_a_client_no_path_of_the_server(
    policy: policyrules.Policy,
    log: DecisionLog,
    store: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The store's and the log's paths are the server's business: an error naming them (a
    store keyed by another reading, 409 E335; the log held by another writer, 503 E720)
    names them `the service's ledger store` and `the service's decision log` (were
    `<ledger store>`, `<decision log>`: a client reading them learnt no term it knew); the
    server's log has the path."""
    other = sqlite3.connect(log.path, isolation_level=None)
    limits = ServeLimits(timeout=2)
    with TestClient(create_app(policy, log=log, ledger=store, limits=limits)) as c:
        body = firm_without_grants()
        assert c.post("/v1/evaluate?commit=1", content=body, headers=JSON).status_code == 200
        keyed = c.post("/v1/evaluate?assume=annual_cap_year%3Ddecision", content=body, headers=JSON)
        other.execute("BEGIN IMMEDIATE")
        try:
            busy = c.post("/v1/evaluate", content=body, headers=JSON)
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert (keyed.status_code, busy.status_code) == (409, 503)
    for answer, code, label in (
        (keyed, "E335", "the service's ledger store"),
        (busy, "E720", "the service's decision log"),
    ):
        assert str(tmp_path) not in answer.text
        assert "grants.db" not in answer.text
        assert "decisions.sqlite" not in answer.text
        (err,) = answer.json()["errors"]
        assert err["code"] == code
        assert err["message"].startswith(f"{label}: ")
        assert answer.json()["text"].startswith(f"error[{code}]: {label}: ")
    assert f"error[E720]: {log.path}: " in caplog.text


def test_path_hider_replaces_whole_paths_only(tmp_path: Path) -> None:
    """The server's files by label, the policy's by their names inside it; a path is
    replaced only where it stands whole (a store named `d` leaves `d/1/a` as it is)."""
    from policyrules.serve_work import path_hider  # (new: the module's other tests run without)

    policy = tmp_path / "policy"
    policy.mkdir()
    hide = path_hider({"<ledger store>": Path("d"), "<decision log>": None}, policy)
    assert hide(f"{policy}/a.rule:3:1: error") == "a.rule:3:1: error"
    assert hide(f"{policy}: no rules") == "<policy>: no rules"
    assert (
        hide("d: busy; the grant of d/1/a (firm d-2)")
        == "<ledger store>: busy; the grant of d/1/a (firm d-2)"
    )
    assert hide(f"{Path('d').absolute()}: busy") == "<ledger store>: busy"
    assert path_hider({}, None)("anything") == "anything"


def test_log_refuses_a_file_that_is_not_a_log(tmp_path: Path) -> None:
    """A ledger store (or any other SQLite file with tables) is not taken for a log: E720."""
    path = tmp_path / "grants.db"
    LedgerStore.open(path, create=True).close()
    with pytest.raises(PolicyRulesError) as info:
        DecisionLog.open(path)
    assert info.value.code == "E720"


@pytest.fixture
def served(policy: policyrules.Policy, log: DecisionLog, store: Path) -> Iterator[str]:
    """The service on a loopback port of its own, run by uvicorn in a thread."""
    app = create_app(
        policy, log=log, ledger=store, limits=ServeLimits(timeout=50), import_ledgers=True
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", limit_concurrency=50))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(30)
    sock.close()


def test_concurrent_commits_on_loopback_lose_nothing_and_pay_once(
    served: str, log: DecisionLog, store: Path
) -> None:
    """200 requests from 10 clients, 10 commits for each of 20 firms: every answer is 200,
    the log holds exactly the 200 ids answered, each firm is granted 2800 万 once (the 9
    others nothing), and the store holds 20 × 3400 万, each firm's 第3条 launch rewards for
    2026 exactly at the 1000 万 cap (600 万 earlier + 200 + 150 + 50)."""
    bodies = [firm(f"f{i:02d}") for i in range(20)] * 10

    def client(share: list[bytes]) -> list[tuple[int, str]]:
        with httpx2.Client(base_url=served, timeout=60) as c:
            out = []
            for body in share:
                a = c.post("/v1/evaluate?commit=1", content=body, headers=JSON)
                out.append((a.status_code, a.headers.get("x-decision-id", "")))
            return out

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = [a for part in pool.map(client, [bodies[i::10] for i in range(10)]) for a in part]
    assert [status for status, _ in answers] == [200] * 200
    rows = log.entries()
    assert sorted(r["id"] for r in rows) == sorted(i for _, i in answers)
    paid: dict[str, list[int]] = {}
    for r in rows:
        paid.setdefault(json.loads(r["decisions"])[0][1].split("/")[0], []).append(r["granted_fen"])
    assert {f: sorted(p) for f, p in paid.items()} == {
        f"f{i:02d}": [0] * 9 + [GRANTED_FEN] for i in range(20)
    }
    with LedgerStore.open(store, create=False) as s:
        grants = list(s.grants())
    assert sum(g.amount.fen for g in grants) == 20 * STORED_FEN
    launch: dict[str, int] = {}
    for g in grants:
        if g.provision == "jjxf_2025_50/3/launch_reward":
            launch[g.path[0][1]] = launch.get(g.path[0][1], 0) + g.amount.fen
    assert launch == {f"f{i:02d}": 10_000_000 * 100 for i in range(20)}


def test_concurrent_evaluations_each_get_their_row(
    policy: policyrules.Policy, log: DecisionLog
) -> None:
    """40 evaluations from 8 threads at once, none committing: 40 rows, one per answer id,
    each with its own body's digest."""
    bodies = [firm(f"g{i:02d}") for i in range(40)]
    with (
        TestClient(create_app(policy, log=log)) as c,
        concurrent.futures.ThreadPoolExecutor(8) as pool,
    ):
        answers = list(pool.map(lambda b: c.post("/v1/evaluate", content=b, headers=JSON), bodies))
    assert [a.status_code for a in answers] == [200] * 40
    rows = {r["id"]: r["input_digest"] for r in log.entries()}
    assert rows == {
        a.headers["x-decision-id"]: "sha256:" + hashlib.sha256(b).hexdigest()
        for a, b in zip(answers, bodies, strict=True)
    }


def test_a_committed_document_bringing_grants_is_refused_by_default(
    policy: policyrules.Policy, log: DecisionLog, store: Path
) -> None:
    """A new user's trial: with commit=1, a document's own `ledger:` was recorded in the
    store for any firm it named; five 200 万元 grants of a `victim` used up its 1000 万元
    firm-year cap, and one 0.01 元 grant of 2031 blocked its later requests (E349).  The
    service records only the grants it makes unless started with --import-ledgers (403
    E722); without commit the document's grants count as before, recording nothing."""
    data = json.loads(firm())
    data["ledger"] = [
        {"provision": "jjxf_2025_50/3/launch_reward", "firm": "victim", "product": f"fake{i}",
         "amount": "200万元", "year": 2026}
        for i in range(5)
    ]  # fmt: skip
    body = json.dumps(data).encode()
    with TestClient(create_app(policy, log=log, ledger=store)) as c:
        refused = c.post("/v1/evaluate?commit=1", content=body, headers=JSON)
        dry = c.post("/v1/evaluate", content=body, headers=JSON)
    assert refused.status_code == 403
    (error,) = refused.json()["errors"]
    assert error["code"] == "E722"
    assert "this document brings earlier grants of its own (ledger:)" in error["message"]
    assert "--import-ledgers" in error["hint"]
    assert stored_fen(store) == []  # nothing recorded
    assert [r["committed"] for r in log.entries()] == [0]  # the dry run only
    assert dry.status_code == 200
    # firm-a's own products are not capped by the victim's grants (another firm's cap).
    assert dry.json()["grants"]


def test_path_hider_keeps_provision_ids_of_a_policy_named_as_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: `serve jjxf_2025_50` (a relative directory named as its document) made
    `jjxf_2025_50/3/launch_reward` read `3/launch_reward`; the relative form is replaced only
    before the names of its `.rule` files."""
    from policyrules.serve_work import path_hider

    monkeypatch.chdir(tmp_path)
    (tmp_path / "jjxf_2025_50").mkdir()
    (tmp_path / "jjxf_2025_50" / "a.rule").write_text("", "utf-8")
    hide = path_hider({}, Path("jjxf_2025_50"))
    said = "unknown provision 'jjxf_2025_50/3/launch_reward'"
    assert hide(said) == said
    assert hide("jjxf_2025_50/a.rule:3:1: error") == "a.rule:3:1: error"
    assert hide(f"{tmp_path}/jjxf_2025_50/a.rule:3:1: error") == "a.rule:3:1: error"


def test_the_turn_to_write_ends_before_the_requests_time() -> None:
    """A review: the wait for the store counted from when the evaluation began, so a request
    that queued for a worker ran out of time (504) before its 503.  timeout 10 s, store_wait
    5 s: a request that began at once waits until 5 s; one that queued 6 s until 9 s, not 11."""
    from policyrules.serve_work import turn_deadline

    limits = ServeLimits(timeout=10.0, store_wait=5.0)
    assert turn_deadline(100.0, 100.0, limits) == 105.0
    assert turn_deadline(100.0, 106.0, limits) == 109.0
    assert turn_deadline(100.0, 109.5, limits) == 109.0  # past it: no wait, 503 if held
