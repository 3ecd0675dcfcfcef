"""Benchmark: the batch path on device measure 3 against three hand-made baselines.

Run on demand (never a test)::

    .venv/bin/pip install -q -e '.[bench]'
    .venv/bin/python benchmarks/bench_batch.py [--sizes 10000 100000 1000000] [--repeat 5]
        [--batch-repeat 3] [--steps] [--memory 4GB] [--data DIR] [--regenerate]

For each size it generates (or reuses, under ``--data``) the claims of the anchor benchmark
(``batch_claims.py``: 20 claims per firm, Parquet in the batch contract's canonical types,
with a ledger of earlier grants) and times, in an in-process DuckDB (``--memory`` is its
memory limit: the machine is shared), wall and CPU time, the best of each:

**Like for like, the figure of the target** (``--batch-repeat`` runs, the two sides
alternating): both sides do what ``policyrules batch`` does for a user once the registry is
read.  They read the same Parquet files (views over ``firms``, ``products``, ``ledger``:
each query reads the files it needs) and write the same two outputs as Parquet files of
the same columns and rows: the decisions (one row per product: provision, kind, subject,
firm, status, amount, amount_min, amount_kind, binding_caps, missing_facts,
missing_parameters, assumptions) and the grants (provision, one id column per entity,
amount, year).

- the hand-written DuckDB query (``batch_baselines.HAND_SQL``: one running SUM window per
  firm-year, with each decision's status, amount and binding caps) stored once as a table,
  then ``batch_baselines.hand_decisions`` and ``hand_grants`` written from it by ``COPY``;
- the policyrules batch path: the plan ``compile_batch`` makes of measure 3 alone, run by
  ``policyrules.batch.run_steps`` (as ``policyrules batch`` runs it: the decisions a view
  computed as they are written) and written by ``policyrules.batch.write_outputs``.

**In memory** (the same alternation): both sides read DuckDB tables loaded from the same
files beforehand and store both outputs as tables (the hand query: the per-claim table,
decisions and grants; the batch path: ``run_plan``, the DuckDB runner as shipped).

**Grants only, in memory** (the same alternation, the same tables): the hand query's
grants alone stored as a table, and the batch path computing the grants alone
(``run_plan(..., outputs=("grants",))``: no decision computed or stored).

**Other baselines of the grants alone** (``--repeat`` runs; inputs in their own memory
before the clock starts, outputs in memory): the hand-written Python loop over tuples, and
OpenFisca-core's vectorised formulation (``calculate`` alone, and with the simulation built
from prepared arrays: the ledger joins and the ranks of ids are prepared, not timed), when
installed (the ``bench`` extra).  The batch path's grants only is their like-for-like
peer (the OpenFisca target's ratio), the batch with decisions printed beside it.

And, once, the batch start-up for the whole shipped policy (``compile_batch``, target
< 1 s, then writing the plan as DuckDB SQL).  ``--steps`` adds the time of each step of
the plan (in memory, last size).

Before any figure is printed the outputs are checked: the batch path's decisions and
grants equal to the hand query's, row for row (``EXCEPT ALL`` both ways, the Parquet files
read back, the same column types), and every path's per-claim grants equal to the hand
query's (and, at sizes up to ``--reference-max``, the hand query's to the one-by-one
``Policy.evaluate`` of the whole shipped policy): a benchmark comparing wrong answers is
worthless, so a difference stops the run.  Ratios printed are against the hand query (of
the same kind) and the Python loop of the same run.
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
from batch_baselines import (
    HAND_SQL,
    OpenFiscaModel,
    hand_decisions,
    hand_grants,
    python_loop,
    to_tuples,
)
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
FISCA = "OpenFisca-core, calculate (numpy formula)"
FISCA_BUILT = "OpenFisca-core, simulation built + calculate"


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


HAND_FILES = "hand DuckDB query, Parquet in and out"
BATCH_FILES = "policyrules batch: run_steps + write_outputs, Parquet in and out"
HAND_TABLES = "hand DuckDB query, tables in and out"
BATCH_TABLES = "policyrules batch: run_plan on DuckDB, tables in and out"
HAND_GRANTS = "hand DuckDB query, grants only, tables in, a table out"
BATCH_GRANTS = "policyrules batch: run_plan grants only, tables in, a table out"
LOOP = "Python loop over tuples (grants only)"
OUTPUTS = ("decisions", "grants")
BUILDING = "OpenFisca-core, simulation built"


class Clock:
    """The best wall and CPU seconds of the runs given to :meth:`time`, per path."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def time(self, path: str, fn: Callable[[], Any]) -> Any:
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        self.wall[path] = min(self.wall.get(path, float("inf")), wall)
        self.cpu[path] = min(self.cpu.get(path, float("inf")), cpu)
        return out


def _connect(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    spill = str(args.data / "duckdb-spill")
    con = duckdb.connect(config={"memory_limit": args.memory, "temp_directory": spill})
    # As ``policyrules batch`` runs the plan (``run_steps``), for both sides alike.
    con.execute("SET preserve_insertion_order = false")
    return con


def hand_files(con: duckdb.DuckDBPyConnection, out: Path, entities: list[str]) -> None:
    """The hand query's per-claim rows stored, then its decisions and grants written."""
    out.mkdir(parents=True, exist_ok=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE hand AS {HAND_SQL}")
    for name, query in (
        ("decisions", hand_decisions("hand")),
        ("grants", hand_grants("hand", entities)),
    ):
        con.execute(f"COPY ({query}) TO '{out / name}.parquet' (FORMAT parquet)")


def hand_grants_only(con: duckdb.DuckDBPyConnection, entities: list[str]) -> None:
    """The hand query's grants alone stored as a table (its per-claim rows not stored)."""
    query = hand_grants(f"({HAND_SQL})", entities)
    con.execute(f"CREATE OR REPLACE TEMP TABLE hand_grants_only AS {query}")


def hand_tables(con: duckdb.DuckDBPyConnection, entities: list[str]) -> None:
    """The hand query's per-claim rows, decisions and grants stored as tables."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE hand AS {HAND_SQL}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE hand_decisions AS {hand_decisions('hand')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE hand_grants AS {hand_grants('hand', entities)}")


def same_rows(con: duckdb.DuckDBPyConnection, what: str, want: str, got: str) -> None:
    """Stop the run unless ``got`` holds the rows of ``want`` (relations or file reads),
    each as often, in columns of the same names and types."""
    kinds = [
        con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {r})").fetchall()
        for r in (want, got)
    ]
    if kinds[0] != kinds[1]:
        sys.exit(f"{what}: columns differ: {kinds[0]} against {kinds[1]}")
    ((extra, lost),) = con.execute(
        f"SELECT (SELECT count(*) FROM (FROM {got} EXCEPT ALL FROM {want})), "
        f"(SELECT count(*) FROM (FROM {want} EXCEPT ALL FROM {got}))"
    ).fetchall()
    if extra or lost:
        sys.exit(f"{what}: {extra} rows not in the hand query's, {lost} of its missing")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeat", type=int, default=5, help="runs per baseline; the best")
    parser.add_argument("--data", type=Path, default=Path("/tmp/policyrules-bench-batch"))
    parser.add_argument(
        "--batch-repeat", type=int, default=3, help="runs of each side, like for like"
    )
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
    if not batch.available:
        sys.exit(f"the batch path: {batch.why}")
    print(f"machine: {machine()}")
    print(
        f"started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; best of {args.batch_repeat}"
        f" runs like for like, of {args.repeat} for the other baselines"
    )
    startup = batch.startup(args.repeat)
    clocks: dict[int, Clock] = {}
    timings: dict[str, float] = {}
    entities = batch.entities
    years = range(2024, 2031)
    for n in args.sizes:
        tables = batch_claims.load(args.data, n, regenerate=args.regenerate)
        where = args.data / f"n={n}"
        clock = clocks[n] = Clock()

        # Like for like: Parquet in, Parquet out.
        con = _connect(args)
        batch.inputs(con, where, years, views=True)
        outs = {side: args.data / f"out-{side}-{n}" for side in ("hand", "batch")}
        for _ in range(args.batch_repeat):
            clock.time(HAND_FILES, lambda c=con, o=outs["hand"]: hand_files(c, o, entities))
            clock.time(BATCH_FILES, lambda c=con, o=outs["batch"]: batch.run_and_write(c, o))
        for name in OUTPUTS:
            files = [f"read_parquet('{outs[s] / name}.parquet')" for s in ("hand", "batch")]
            same_rows(con, f"batch {name} (Parquet)", *files)
        con.close()

        # In memory: tables in, tables out; the other baselines' grants checked here.
        con = _connect(args)
        batch.inputs(con, where, years, views=False)
        for _ in range(args.batch_repeat):
            clock.time(HAND_TABLES, lambda c=con: hand_tables(c, entities))
            clock.time(BATCH_TABLES, lambda c=con: batch.run(c))
        same_rows(con, "batch decisions (tables)", "hand_decisions", batch.plan.decisions)
        same_rows(con, "batch grants (tables)", "hand_grants", batch.plan.grants)
        # Grants only, in memory: OpenFisca's like-for-like peer (no decision computed).
        for _ in range(args.batch_repeat):
            clock.time(HAND_GRANTS, lambda c=con: hand_grants_only(c, entities))
            clock.time(BATCH_GRANTS, lambda c=con: batch.run_grants(c))
        same_rows(con, "hand grants only", "hand_grants", "hand_grants_only")
        same_rows(con, "batch grants only", "hand_grants", batch.plan.grants)
        if args.steps:
            timings.clear()
            batch.execute(con, timings)

        totals = {"batch": differences(con, "batch", batch.grants(con))[1]}
        if n <= args.reference_max:
            _, totals["one-by-one Policy.evaluate"] = differences(
                con, "one-by-one Policy.evaluate", one_by_one(tables)
            )
        claims = to_tuples(tables["products"], CLAIM_COLUMNS)
        ledger = to_tuples(tables["ledger"], LEDGER_COLUMNS)
        looped: Any = None
        for _ in range(args.repeat):
            looped = clock.time(LOOP, lambda c=claims, lg=ledger: python_loop(c, lg))
        _, totals["loop"] = differences(
            con, "Python loop", grants_table(*zip(*looped, strict=True))
        )
        del claims, ledger, looped  # a million tuples: make room for the next paths

        if fisca is not None:
            data = fisca.inputs(tables["products"], tables["ledger"])
            granted: Any = None
            for _ in range(args.repeat):
                sim = clock.time(BUILDING, lambda d=data: fisca.simulation(d))
                granted = clock.time(FISCA, lambda sim=sim: fisca.calculate(sim))
            for best in (clock.wall, clock.cpu):  # the best built plus the best calculate
                best[FISCA_BUILT] = best.pop(BUILDING) + best[FISCA]
            products = tables["products"]
            _, totals["OpenFisca"] = differences(
                con, "OpenFisca", grants_table(products["firm_id"], products["id"], granted)
            )
            del data, sim, granted
        ((hand_total,),) = con.execute("SELECT CAST(sum(amount) AS BIGINT) FROM hand").fetchall()
        agreed = ", ".join(f"{k} {v}" for k, v in totals.items())
        assert all(v == hand_total for v in totals.values()), agreed
        print(
            f"{n:>9,} claims: decisions and grants identical to the hand query's (Parquet and"
            f" tables); every path grants the same per claim, {hand_total:,} fen in all"
        )
        con.close()
    report(clocks, startup, None if fisca is not None else fisca_why)
    print(f"finished {dt.datetime.now(dt.UTC):%H:%M} UTC; load average then {_load()}")
    if args.steps:
        print(f"\nbatch plan steps at {n:,} claims, in memory (seconds, one run):")
        for name, seconds in timings.items():
            print(f"  {name:<20} {seconds:8.3f}")


def report(clocks: dict[int, Clock], startup: str, fisca_why: str | None) -> None:
    for n, clock in clocks.items():
        wall, cpu = clock.wall, clock.cpu
        print(f"\n{n:,} claims ({n // batch_claims.CLAIMS_PER_FIRM:,} firms)\n")
        print("| path | µs per claim | CPU µs per claim | claims/s | × its hand query (CPU) |")
        print("|---|---:|---:|---:|---:|")
        against = {
            HAND_FILES: HAND_FILES,
            BATCH_FILES: HAND_FILES,
            HAND_TABLES: HAND_TABLES,
            BATCH_TABLES: HAND_TABLES,
            HAND_GRANTS: HAND_GRANTS,
            BATCH_GRANTS: HAND_GRANTS,
        }
        for path, s in wall.items():
            base = against.get(path)
            ratio = f"{wall[base] / s:.2f} ({cpu[base] / cpu[path]:.2f})" if base else ""
            print(
                f"| {path} | {s / n * 1e6:.3f} | {cpu[path] / n * 1e6:.3f} | {n / s:,.0f}"
                f" | {ratio} |"
            )
        if fisca_why:
            print(f"| {FISCA} | {fisca_why} | | | |")
    print(f"\nbatch start-up, whole shipped policy: {startup}")
    for n, clock in clocks.items():
        wall, cpu = clock.wall, clock.cpu
        parts = []
        for base, got, short, need in (
            (HAND_FILES, BATCH_FILES, "the hand query, Parquet in and out", 0.8),
            (HAND_TABLES, BATCH_TABLES, "the hand query, tables", 0.8),
            (HAND_GRANTS, BATCH_GRANTS, "the hand query, grants only", 0.8),
            # Like for like: grants only, in memory, on both sides.
            (FISCA, BATCH_GRANTS, "OpenFisca calculate (batch grants only)", 5.0),
            (FISCA_BUILT, BATCH_GRANTS, "OpenFisca built + calculate (batch grants only)", 5.0),
            # As before: the batch computing and storing every decision too.
            (FISCA, BATCH_TABLES, "OpenFisca calculate (batch with decisions)", 5.0),
        ):
            if base not in wall:
                continue
            ratio, ratio_cpu = wall[base] / wall[got], cpu[base] / cpu[got]
            verdict = "met" if ratio >= need else "MISSED"
            parts.append(f"{ratio:.2f}× {short} (CPU {ratio_cpu:.2f}×; ≥ {need}×: {verdict})")
        print(f"targets at {n:,}: batch " + "; ".join(parts))


if __name__ == "__main__":
    main()
