"""Benchmark: the batch path on device measure 3 against three hand-made baselines.

Run on demand (never a test)::

    .venv/bin/pip install -q -e '.[bench]'
    .venv/bin/python benchmarks/bench_batch.py [--sizes 10000 100000 1000000] [--repeat 5]
        [--batch-repeat 2] [--steps] [--memory 4GB] [--data DIR] [--regenerate]

For each size it generates (or reuses, under ``--data``) the claims of the anchor benchmark
(``batch_claims.py``: 20 claims per firm, Parquet in the batch contract's canonical types,
with a ledger of earlier grants), loads them into an in-process DuckDB (``--memory`` is its
memory limit: the machine is shared), and times, best of ``--repeat`` runs (the best run is
the least disturbed):

- the hand-written DuckDB query (``batch_baselines.HAND_SQL``: one running SUM window per
  firm-year), materialised as a table;
- the hand-written Python loop over tuples;
- OpenFisca-core's vectorised formulation (``calculate`` alone, and with the simulation
  built from prepared arrays), when installed (the ``bench`` extra);
- the policyrules batch path: the plan ``compile_batch`` makes of measure 3 alone, run by
  ``run_plan`` (the DuckDB runner, as shipped) on the same tables, best of
  ``--batch-repeat``; ``--steps`` adds the time of each step of its plan;

and, once, the batch start-up for the whole shipped policy (``compile_batch``, target
< 1 s, then writing the plan as DuckDB SQL).

Inputs are in each path's own memory before the clock starts (DuckDB tables, Python
tuples, OpenFisca inputs); outputs are materialised in it.  Before any figure is printed,
every path's per-claim grants are checked equal to the hand query's (and, at sizes up to
``--reference-max``, the hand query's to the one-by-one ``Policy.evaluate`` of the whole
shipped policy): a benchmark comparing wrong answers is worthless, so a difference stops
the run.  Ratios printed are against the hand query and the Python loop of the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import batch_claims
import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from batch_baselines import HAND_SQL, OpenFiscaModel, python_loop, to_tuples
from batch_path import BatchPath

import policyrules
from policyrules.runtime.ledger import Grant
from policyrules.runtime.money import Money

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"
CLAIM_COLUMNS = (
    "firm_id",
    "id",
    "approved_on",
    "launch_routes",
    "other_national_project",
    "launch_reward_decided",
)
LEDGER_COLUMNS = ("provision", "firm", "product", "amount", "year")
BATCH = "policyrules batch: run_plan on DuckDB"
FISCA = "OpenFisca-core, calculate (numpy formula)"
FISCA_BUILT = "OpenFisca-core, simulation built + calculate"


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs of ``fn`` (seconds) and the last run's result."""
    fastest, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, out


def grants_table(firm: Any, product: Any, amount: Any) -> pa.Table:
    """(firm, product, amount) rows of the grants above 0.00 元."""
    table = pa.table({"firm": firm, "product": product, "amount": pa.array(amount, pa.int64())})
    return table.filter(pc.greater(table.column("amount"), 0))


def differences(con: duckdb.DuckDBPyConnection, name: str, got: pa.Table) -> tuple[int, int]:
    """(claims whose grant differs from the hand query's, total fen granted by ``got``)."""
    con.register("got", got)
    ((bad, total),) = con.execute(
        """
        WITH want AS (SELECT firm, product, amount FROM hand WHERE amount > 0)
        SELECT count(*) FILTER (WHERE want.amount IS DISTINCT FROM got.amount),
               (SELECT CAST(coalesce(sum(amount), 0) AS BIGINT) FROM got)
        FROM want FULL JOIN got USING (firm, product)
        """
    ).fetchall()
    con.unregister("got")
    if bad:
        sys.exit(f"{name}: {bad} claims granted differently from the hand-written query")
    return bad, total


def one_by_one(tables: dict[str, pa.Table]) -> pa.Table:
    """The grants of ``Policy.evaluate`` (the whole shipped policy) for the same tables."""
    policy = policyrules.load(POLICY)
    firms: dict[str, list[dict[str, Any]]] = {
        f: [] for f in tables["firms"].column("id").to_pylist()
    }
    for row in tables["products"].to_pylist():
        fen = row["launch_reward_decided"]
        firms[row["firm_id"]].append(
            {
                "id": row["id"],
                "approved_on": row["approved_on"].isoformat(),
                "launch_routes": row["launch_routes"],
                "other_national_project": row["other_national_project"],
                "launch_reward_decided": f"{fen // 100}.{fen % 100:02d}元",
                "launch_reward_decided_on": row["launch_reward_decided_on"].isoformat(),
            }
        )
    ledger = [
        Grant(
            r["provision"],
            (("firm", r["firm"]), ("product", r["product"])),
            Money(r["amount"]),
            r["year"],
        )
        for r in tables["ledger"].to_pylist()
    ]
    facts = {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}
    result = policy.evaluate(facts, ledger=ledger)
    mine = [g for g in result.grants if g.provision == batch_claims.PROVISION]
    return grants_table(
        [dict(g.path)["firm"] for g in mine],
        [dict(g.path)["product"] for g in mine],
        [g.amount.fen for g in mine],
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, load average {_load()}; "
        f"Python {platform.python_version()},"
        f" DuckDB {duckdb.__version__}, pyarrow {pa.__version__}, numpy {_version('numpy')},"
        f" sqlglot {_version('sqlglot')}, OpenFisca-core {_version('openfisca-core')}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeat", type=int, default=5, help="runs per path; the best counts")
    parser.add_argument("--data", type=Path, default=Path("/tmp/policyrules-bench-batch"))
    parser.add_argument("--batch-repeat", type=int, default=2, help="runs of the batch path")
    parser.add_argument(
        "--steps", action="store_true", help="time each step of the batch plan (last size)"
    )
    parser.add_argument(
        "--memory", default="4GB", help="DuckDB's memory_limit (the machine is shared)"
    )
    parser.add_argument("--regenerate", action="store_true", help="write the tables afresh")
    parser.add_argument(
        "--reference-max",
        type=int,
        default=10**4,
        help="check against the one-by-one Policy.evaluate up to this many claims",
    )
    args = parser.parse_args(argv)

    try:
        fisca: OpenFiscaModel | None = OpenFiscaModel()
    except ImportError as exc:
        fisca, fisca_why = None, f"not available ({exc}); pip install -e '.[bench]'"
    batch = BatchPath(POLICY, args.data / "measure-3-only")
    print(f"machine: {machine()}")
    print(f"started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; best of {args.repeat} runs")
    startup = batch.startup(args.repeat)
    rows: dict[int, dict[str, float | str]] = {}
    timings: dict[str, float] = {}
    for n in args.sizes:
        tables = batch_claims.load(args.data, n, regenerate=args.regenerate)
        spill = str(args.data / "duckdb-spill")
        con = duckdb.connect(config={"memory_limit": args.memory, "temp_directory": spill})
        for name, table in tables.items():
            con.register("arrow_in", table)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow_in")
            con.unregister("arrow_in")
        row: dict[str, float | str] = {}
        rows[n] = row

        row["hand DuckDB query"], _ = best(
            lambda con=con: con.execute(f"CREATE OR REPLACE TABLE hand AS {HAND_SQL}"), args.repeat
        )
        totals = {}
        if n <= args.reference_max:
            _, totals["one-by-one Policy.evaluate"] = differences(
                con, "one-by-one Policy.evaluate", one_by_one(tables)
            )

        claims = to_tuples(tables["products"], CLAIM_COLUMNS)
        ledger = to_tuples(tables["ledger"], LEDGER_COLUMNS)
        row["Python loop over tuples"], looped = best(
            lambda c=claims, lg=ledger: python_loop(c, lg), args.repeat
        )
        _, totals["loop"] = differences(
            con, "Python loop", grants_table(*zip(*looped, strict=True))
        )
        del claims, ledger, looped  # a million tuples: make room for the next paths

        if fisca is not None:
            data = fisca.inputs(tables["products"], tables["ledger"])
            calc = built = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                sim = fisca.simulation(data)
                ready = time.perf_counter()
                granted = fisca.calculate(sim)
                done = time.perf_counter()
                calc, built = min(calc, done - ready), min(built, done - start)
            row[FISCA] = calc
            row[FISCA_BUILT] = built
            products = tables["products"]
            _, totals["OpenFisca"] = differences(
                con, "OpenFisca", grants_table(products["firm_id"], products["id"], granted)
            )
            del data, sim, granted
        else:
            row[FISCA] = fisca_why

        if batch.available:
            batch.prepare(con, range(2024, 2031))
            row[BATCH], _ = best(lambda con=con: batch.run(con), args.batch_repeat)
            if args.steps:
                timings.clear()
                batch.execute(con, timings)
            _, totals["batch"] = differences(con, "batch", batch.grants(con))
        else:
            row[BATCH] = batch.why
        ((hand_total,),) = con.execute("SELECT CAST(sum(amount) AS BIGINT) FROM hand").fetchall()
        agreed = ", ".join(f"{k} {v}" for k, v in totals.items())
        assert all(v == hand_total for v in totals.values()), agreed
        print(f"{n:>9,} claims: every path grants the same per claim, {hand_total:,} fen in all")
        con.close()
    report(rows, startup)
    print(f"finished {dt.datetime.now(dt.UTC):%H:%M} UTC; load average then {_load()}")
    if args.steps and batch.available:
        print(f"\nbatch plan steps at {n:,} claims (seconds, one run):")
        for name, seconds in timings.items():
            print(f"  {name:<20} {seconds:8.3f}")


def report(rows: dict[int, dict[str, float | str]], startup: str) -> None:
    for n, row in rows.items():
        hand, loop = row["hand DuckDB query"], row["Python loop over tuples"]
        print(f"\n{n:,} claims ({n // batch_claims.CLAIMS_PER_FIRM:,} firms)\n")
        print("| path | µs per claim | claims/s | × hand DuckDB query | × Python loop |")
        print("|---|---:|---:|---:|---:|")
        for path, s in row.items():
            if isinstance(s, str):
                print(f"| {path} | {s} | | | |")
                continue
            assert isinstance(hand, float)
            assert isinstance(loop, float)
            print(
                f"| {path} | {s / n * 1e6:.3f} | {n / s:,.0f} | {hand / s:.2f} | {loop / s:.2f} |"
            )
    print(f"\nbatch start-up, whole shipped policy: {startup}")
    for n, row in rows.items():
        if not isinstance(row[BATCH], float):
            print(f"targets at {n:,}: {row[BATCH]}")
            continue
        got = row[BATCH]
        assert isinstance(got, float)
        parts = []
        for against, short, need in (
            ("hand DuckDB query", "hand DuckDB query", 0.8),
            (FISCA, "OpenFisca calculate", 5.0),
            (FISCA_BUILT, "OpenFisca built + calculate", 5.0),
        ):
            base = row.get(against)
            if isinstance(base, float):
                verdict = "met" if base / got >= need else "MISSED"
                parts.append(f"{base / got:.2f}× {short} (≥ {need}×: {verdict})")
        print(f"targets at {n:,}: batch " + "; ".join(parts))


if __name__ == "__main__":
    main()
