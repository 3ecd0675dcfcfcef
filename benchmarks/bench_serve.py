"""Benchmark: `policyrules serve` under load on loopback.

Run on demand (needs the ``serve``, ``test`` and ``bench`` extras; psutil reads the
server's CPU time)::

    python benchmarks/bench_serve.py [--requests 2000] [--clients 20] [--firms 100]

Starts ``policyrules serve`` in a process of its own with a decision log and an empty
ledger store (``--import-ledgers``: each document brings its firm's earlier grants, as
firm-a.yaml does), then sends ``--requests`` evaluations of examples/firm-a.yaml (renamed into
``--firms`` firms, each sent requests/firms times, all with ``commit=1`` unless ``--dry``)
from ``--clients`` concurrent clients.  Prints the latency p50/p99, the server process's CPU
time a request (user and system: blind to waits for the disk), the answers by status
(5xx among them), the log entries against the requests answered, and checks the store:
each firm granted once (3400 万元 with the 600 万 of its earlier grants) and no firm's
第3条 launch rewards above the 1000 万 firm-year cap.  The baseline, measured in the same
run, is one evaluation in process (the document read and evaluated, no HTTP, no store, no
log): the ratio says what the service adds.  A second baseline evaluates against the final
store (read as the service reads it: the grants of the firm evaluated).  Prints the load
average at the start and the end (the machine may be shared: compare ratios).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
import psutil
import yaml

import policyrules
from policyrules.store import LedgerStore

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
CAP_FEN = 10_000_000 * 100  # 第3条: 单个企业年度奖励不超过 1000 万元
STORED_FEN = 34_000_000 * 100  # 600 万 earlier + 200 + 150 + 50 + 2400 万


def body(name: str) -> bytes:
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    data["firms"][0]["id"] = name
    for grant in data["ledger"]:
        grant["firm"] = name
    return json.dumps(data, default=str).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def baseline(runs: int, store: Path | None = None) -> float:
    """Median seconds of one in-process evaluation of the same document; with ``store``,
    read against that ledger store, as the service does."""
    policy = policyrules.load(POLICY)
    raw = body("f0")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        facts = policy.load_facts("request.json", raw=raw)
        if store is None:
            policy.evaluate(facts)
        else:
            with LedgerStore.open(store, create=False) as s:
                policy.evaluate(facts, ledger=s)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _cpu(server: psutil.Process) -> float:
    """User and system CPU seconds of the server and its worker processes."""
    return sum(sum(p.cpu_times()[:2]) for p in [server, *server.children(recursive=True)])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--firms", type=int, default=100)
    p.add_argument("--processes", type=int, default=1, help="policyrules serve --processes")
    p.add_argument("--dry", action="store_true", help="evaluate against the store without commit=1")
    args = p.parse_args()
    load_start = os.getloadavg()
    query = "" if args.dry else "?commit=1"
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    store, log = work / "grants.db", work / "decisions.sqlite"
    LedgerStore.open(store, create=True).close()
    port = free_port()
    command = [sys.executable, "-m", "policyrules", "serve", str(POLICY), "--port", str(port)]
    command += ["--log", str(log), "--ledger", str(store), "--log-level", "warning"]
    # The document brings the firm's earlier grants (its ledger:), recorded with commit=1.
    command += ["--import-ledgers"]
    if args.processes != 1:  # (not given otherwise: a version before the option runs too)
        command += ["--processes", str(args.processes)]
    server = subprocess.Popen([*command, "--timeout", "60"])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx2.get(f"{url}/v1/health").status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        bodies = [body(f"f{i % args.firms:04d}") for i in range(args.requests)]

        def client(share: list[bytes]) -> list[tuple[int, float]]:
            out = []
            with httpx2.Client(base_url=url, timeout=120) as c:
                for b in share:
                    t = time.perf_counter()
                    a = c.post(
                        f"/v1/evaluate{query}",
                        content=b,
                        headers={"content-type": "application/json"},
                    )
                    out.append((a.status_code, time.perf_counter() - t))
            return out

        cpu = psutil.Process(server.pid)
        cpu_before = _cpu(cpu)
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            shares = [bodies[i :: args.clients] for i in range(args.clients)]
            answers = [a for part in pool.map(client, shares) for a in part]
        wall = time.perf_counter() - started
        served_cpu = _cpu(cpu) - cpu_before
    finally:
        server.terminate()
        server.wait(30)
    one = baseline(50)
    full = baseline(20, store)
    latencies = sorted(t for _, t in answers)
    statuses: dict[int, int] = {}
    for status, _ in answers:
        statuses[status] = statuses.get(status, 0) + 1
    with sqlite3.connect(log) as conn:
        logged = conn.execute("SELECT count(*) FROM decisions").fetchone()[0]
    per_firm: dict[str, int] = {}
    launch: dict[str, int] = {}
    with LedgerStore.open(store, create=False) as s:
        grants = list(s.grants())
        for g in grants:
            firm = g.path[0][1]
            per_firm[firm] = per_firm.get(firm, 0) + g.amount.fen
            if g.provision == "jjxf_2025_50/3/launch_reward" and g.year == 2026:
                launch[firm] = launch.get(firm, 0) + g.amount.fen
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"{args.requests} requests from {args.clients} clients in {wall:.1f} s")
    print(f"  throughput       {args.requests / wall:.0f} requests/s")
    print(
        f"  server CPU       {served_cpu / args.requests * 1000:.1f} ms a request (user + system)"
    )
    print(f"  latency p50      {p50 * 1000:.1f} ms   p99 {p99 * 1000:.1f} ms")
    print(f"  baseline         {one * 1000:.1f} ms: one evaluation in process")
    print(f"  p50 / baseline   {p50 / one:.1f}x")
    print(
        f"  baseline, store  {full * 1000:.1f} ms: the same against the final store "
        f"({len(grants)} grants in it)"
    )
    load_end = os.getloadavg()
    print(
        "  load average     "
        + " / ".join(f"{a:.1f}" for a in load_start)
        + " at the start, "
        + " / ".join(f"{a:.1f}" for a in load_end)
        + " at the end (1, 5, 15 min)"
    )
    print(f"  answers          {dict(sorted(statuses.items()))}")
    print(f"  5xx              {sum(n for s, n in statuses.items() if s >= 500)}")
    print(f"  log entries      {logged} for {statuses.get(200, 0)} answered 200")
    over = [f for f, fen in launch.items() if fen > CAP_FEN]
    sent = {f"f{i % args.firms:04d}" for i in range(args.requests)}
    wrong = [] if args.dry else [f for f in sent if per_firm.get(f) != STORED_FEN]
    print(f"  caps exceeded    {len(over)} firms; firms not paid exactly once: {len(wrong)}")
    ok = not over and not wrong and logged == statuses.get(200, 0) == args.requests
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
