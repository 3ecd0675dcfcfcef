"""`policyrules serve --processes N`: N worker processes on one address, committing to one
ledger store and one log; each award paid once across processes; all stopped together."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx2
import pytest
from tests.unit.test_serve_log import GRANTED_FEN, JSON, POLICY, STORED_FEN, firm

from policyrules.errors import PolicyRulesError
from policyrules.serve_log import DecisionLog
from policyrules.serve_processes import WORKER_ENV, worker_app
from policyrules.store import LedgerStore


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces and parentheses
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _workers(pid: int) -> list[int]:
    """The worker processes of the server ``pid``: its children running uvicorn's worker
    (spawned: their command line names multiprocessing's spawn; the resource tracker is
    not one)."""
    found = []
    for child in _children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"spawn_main" in part for part in command):
            found.append(child)
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path, Path]]:
    store, log = tmp_path / "grants.db", tmp_path / "decisions.sqlite"
    LedgerStore.open(store, create=True).close()
    command = [sys.executable, "-m", "policyrules", "serve", str(POLICY), "--port", "0"]
    command += ["--processes", "2", "--ledger", str(store), "--log", str(log)]
    command += ["--import-ledgers", "--log-level", "warning", "--timeout", "60"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.endswith(", 2 processes\n"), line
        url = line.split(" on ", 1)[1].split("/v1/", 1)[0]
        deadline = time.monotonic() + 120
        while len(_workers(server.pid)) < 2 or not _healthy(url):
            assert time.monotonic() < deadline, "the workers did not start"
            assert server.poll() is None, "the server stopped"
            time.sleep(0.2)
        yield server, url, store, log
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(60)


def _healthy(url: str) -> bool:
    try:
        return httpx2.get(f"{url}/v1/health").status_code == 200
    except httpx2.TransportError:
        return False


def test_two_processes_commit_each_award_once(
    served: tuple[subprocess.Popen[str], str, Path, Path],
) -> None:
    """12 firms, each sent 3 times with commit=1 from 6 clients at once, answered by two
    processes: every answer 200 and logged; each firm's first evaluation granted 2800 万元
    and the others nothing (the 1000 万 firm-year cap of 第3条 and every once-only award
    held across the processes), so the store holds each firm's 3400 万 (with the 600 万
    it brought) exactly once."""
    _, url, store, log = served
    bodies = [firm(f"p{i % 12:02d}") for i in range(36)]

    def send(share: list[bytes]) -> list[tuple[int, int]]:
        got = []
        with httpx2.Client(base_url=url, timeout=120) as c:
            for b in share:
                a = c.post("/v1/evaluate?commit=1", content=b, headers=JSON)
                granted = sum(int(Decimal(g["amount"]) * 100) for g in a.json()["grants"])
                got.append((a.status_code, granted))
        return got

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = [a for part in pool.map(send, [bodies[i::6] for i in range(6)]) for a in part]
    assert [status for status, _ in answers] == [200] * 36
    assert sorted(g for _, g in answers) == [0] * 24 + [GRANTED_FEN] * 12
    per_firm: dict[str, int] = {}
    with LedgerStore.open(store, create=False) as s:
        for g in s.grants():
            per_firm[g.path[0][1]] = per_firm.get(g.path[0][1], 0) + g.amount.fen
    assert per_firm == {f"p{i:02d}": STORED_FEN for i in range(12)}
    rows = DecisionLog(log).entries()
    assert len(rows) == 36
    assert sorted(r["granted_fen"] for r in rows) == [0] * 24 + [GRANTED_FEN] * 12


def test_a_signal_stops_the_server_and_its_workers(
    served: tuple[subprocess.Popen[str], str, Path, Path],
) -> None:
    server, _, _, _ = served
    workers = _workers(server.pid)
    assert len(workers) == 2
    server.send_signal(signal.SIGTERM)
    assert server.wait(60) == 0
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{w}").exists() for w in workers):
        assert time.monotonic() < deadline, "a worker outlived the server"
        time.sleep(0.1)


def test_a_worker_not_started_by_the_command_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKER_ENV, raising=False)
    with pytest.raises(PolicyRulesError) as info:
        worker_app()
    assert info.value.code == "E724"
    assert "--processes" in str(info.value)


def test_a_worker_serves_what_the_command_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The worker's application is the command's: the policy, the log (made), the limits."""
    import json

    from starlette.testclient import TestClient

    log = tmp_path / "decisions.sqlite"
    limits = {"max_body_bytes": 100, "max_depth": 7, "timeout": 9.0, "workers": 2}
    worker = {"policy": str(POLICY), "log": str(log), "ledger": None}
    worker |= {"import_ledgers": False, "limits": limits}
    monkeypatch.setenv(WORKER_ENV, json.dumps(worker))
    with TestClient(worker_app()) as c:
        too_big = c.post("/v1/evaluate", content=firm(), headers=JSON)
        health = c.get("/v1/health")
    assert (too_big.status_code, health.status_code) == (413, 200)
    assert log.exists()
    assert os.environ[WORKER_ENV] == json.dumps(worker)
