"""Benchmark: ``policyrules batch`` on DuckDB and on local Spark, same registry, same outputs.

Run on demand (never a test; heavy: run it when the machine is quiet)::

    .venv/bin/pip install -q -e '.[bench,spark]'
    export JAVA_HOME="$(scripts/install-jdk.sh)"
    .venv/bin/python benchmarks/bench_batch_spark.py [--firms 100000] [--data DIR]
        [--master 'local[*]'] [--spark-conf spark.driver.memory=2g ...] [--regenerate]

Generates (or reuses, under ``--data``) a registry of ``--firms`` firms with
``gen_registry.py`` (Parquet, with a ledger), then runs ``policyrules batch`` on it twice,
each in its own process: ``--engine duckdb`` and ``--engine spark`` (the JVM included).  For
each it prints the wall time and the peak memory of the process tree (the sum of the RSS of
the process and its children, sampled every 0.2 s by psutil), and the ratio Spark / DuckDB.
Then it compares the outputs: the same columns and types, and the same rows — as multisets,
i.e. row for row once both are sorted (DuckDB's ``EXCEPT ALL`` both ways over the Parquet
files, so no 10^7 Python objects).  A difference stops the run with exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run(argv: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the process tree (bytes), and the output of ``argv``."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    )
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, _tree_rss(watched))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    out = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        sys.exit(f"failed ({child.returncode}): {' '.join(argv)}\n{out}")
    return wall, peak, out


def compare(duck: Path, spark: Path) -> dict[str, int]:
    """Rows per output, after checking both engines wrote the same multiset of rows."""
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/policyrules-duckdb'")
    rows = {}
    for table in ("decisions", "grants"):
        a = f"read_parquet('{duck / f'{table}.parquet'}')"
        b = f"read_parquet('{spark / f'{table}.parquet'}/*.parquet')"
        types_a = con.execute(f"DESCRIBE SELECT * FROM {a}").fetchall()
        types_b = con.execute(f"DESCRIBE SELECT * FROM {b}").fetchall()
        if [r[:2] for r in types_a] != [r[:2] for r in types_b]:
            sys.exit(f"{table}: columns differ:\n  duckdb {types_a}\n  spark  {types_b}")
        n_a = con.execute(f"SELECT count(*) FROM {a}").fetchall()[0][0]
        n_b = con.execute(f"SELECT count(*) FROM {b}").fetchall()[0][0]
        only_a = con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchall()
        only_b = con.execute(f"SELECT count(*) FROM (FROM {b} EXCEPT ALL FROM {a})").fetchall()
        if n_a != n_b or only_a[0][0] or only_b[0][0]:
            sys.exit(
                f"{table}: DuckDB {n_a} rows, Spark {n_b}; only in DuckDB's {only_a[0][0]}, "
                f"only in Spark's {only_b[0][0]}"
            )
        rows[table] = int(n_a)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--data", default="/tmp/policyrules-bench-spark")
    ap.add_argument("--master", default="local[*]")
    ap.add_argument(
        "--spark-conf",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="Spark settings (default: spark.driver.memory=2g)",
    )
    ap.add_argument("--regenerate", action="store_true")
    args = ap.parse_args()
    conf = args.spark_conf or ["spark.driver.memory=2g"]
    data = Path(args.data)
    registry = data / f"registry-{args.firms}"
    if args.regenerate or not (registry / "firms.parquet").exists():
        gen = [sys.executable, "benchmarks/gen_registry.py", str(args.firms), str(registry)]
        subprocess.run([*gen, "--ledger"], check=True, cwd=ROOT)
    py = [sys.executable, "-m", "policyrules", "batch", str(POLICY), str(registry), "--quiet"]
    figures = {}
    for engine in ("duckdb", "spark"):
        out = data / f"out-{args.firms}-{engine}"
        extra = ["--engine", engine]
        if engine == "spark":
            extra += ["--master", args.master]
            for pair in conf:
                extra += ["--spark-conf", pair]
        subprocess.run(["rm", "-rf", str(out)], check=True)
        print(f"running {engine} ...", flush=True)
        figures[engine] = run([*py, "--out", str(out), *extra])[:2]
    rows = compare(data / f"out-{args.firms}-duckdb", data / f"out-{args.firms}-spark")
    cpu = platform.processor() or platform.machine()
    print(
        f"\n{args.firms} firms; {rows['decisions']:,} decisions, {rows['grants']:,} grants: "
        f"identical on both engines (same columns and types, same rows once sorted)\n"
        f"machine: {os.cpu_count()} cores ({cpu}), load {os.getloadavg()[0]:.1f}; "
        f"Spark {args.master} with {', '.join(conf)}\n"
    )
    print("| engine | wall (s) | peak RSS of the process tree (GB) |")
    print("|---|---|---|")
    for engine, (wall, peak) in figures.items():
        print(f"| {engine} | {wall:.1f} | {peak / 1e9:.2f} |")
    (dw, dp), (sw, sp) = figures["duckdb"], figures["spark"]
    print(f"\nSpark / DuckDB: {sw / dw:.1f}x the wall time, {sp / dp:.1f}x the memory")


if __name__ == "__main__":
    main()
