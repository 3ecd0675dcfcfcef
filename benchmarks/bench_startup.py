"""The batch path's start-up for a policy: load + check, ``compile_batch``, the SQL written.

Each round runs in a fresh Python process (``python bench_startup.py --child POLICY``), so
nothing is cached by an earlier round; the figure of each phase is the least CPU time
(``time.process_time``) over the rounds.  Phases:

* ``load``: ``policyrules.load`` (parse, check, compile for ``evaluate``);
* ``compile_batch``: the SQL plan (sqlglot trees) of the whole policy;
* ``duckdb SQL``: ``plan.statements("duckdb", once=True)``, the text ``policyrules batch``
  runs;
* ``spark SQL``: each step of a plan compiled afresh (untimed) through
  ``backends.sql.spark.spark_sql`` as the Spark engine writes them (``run_plan(...,
  once=True)``: each tree rewritten in place, not copied; it writes the steps itself, not
  through ``plan.statements``).

Target (issue 10): compile to SQL (``compile_batch`` + the DuckDB SQL) under 1 s for the
whole shipped policy.  Usage, from the repository root::

    .venv/bin/python benchmarks/bench_startup.py [--repeat N] [POLICY ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("load", "compile_batch", "duckdb SQL", "spark SQL")


def _child(policy: str) -> None:
    """One round in this process: print the CPU seconds of each phase as JSON."""
    started = time.process_time()
    import policyrules
    from policyrules.backends.sql import compile_batch
    from policyrules.backends.sql.spark import spark_sql

    imported = time.process_time()
    loaded = policyrules.load(policy)
    t1 = time.process_time()
    plan = compile_batch(loaded.checked)
    t2 = time.process_time()
    try:  # as `policyrules batch` writes them
        statements = plan.statements("duckdb", once=True)
    except TypeError:  # a build before `once` (to time it against)
        statements = plan.statements("duckdb")
    t3 = time.process_time()
    fresh = compile_batch(loaded.checked)  # the Spark engine's own plan, untimed
    t4 = time.process_time()
    try:  # as `policyrules batch --engine spark` writes them
        spark = [spark_sql(query, copy=False) for _, query in fresh.steps]
    except TypeError:  # a build before `copy` (to time it against)
        spark = [spark_sql(query) for _, query in fresh.steps]
    t5 = time.process_time()
    out = {
        "import": imported - started,
        "load": t1 - imported,
        "compile_batch": t2 - t1,
        "duckdb SQL": t3 - t2,
        "spark SQL": t5 - t4,
        "statements": len(statements),
        "steps": len(spark),
    }
    print(json.dumps(out))


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("policies", nargs="*", default=["policies/beijing_2025"])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per policy")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    print(_uptime())
    for policy in args.policies:
        best: dict[str, float] = {}
        counts = ""
        for _ in range(args.repeat):
            run = subprocess.run(
                [sys.executable, __file__, "--child", policy],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            got = json.loads(run.stdout.strip().splitlines()[-1])
            counts = f"{got.pop('statements')} DuckDB statements, {got.pop('steps')} steps"
            for phase, seconds in got.items():
                best[phase] = min(best.get(phase, float("inf")), seconds)
        startup = best["compile_batch"] + best["duckdb SQL"]
        verdict = "met" if startup < 1 else "MISSED"
        print(f"{policy} ({counts}), CPU s, best of {args.repeat} fresh processes:")
        for phase in ("import", *PHASES):
            print(f"  {phase:<14} {best[phase]:7.3f}")
        print(f"  compile to DuckDB SQL {startup:.3f} s (target < 1 s: {verdict})")
    print(_uptime())


if __name__ == "__main__":
    main()
