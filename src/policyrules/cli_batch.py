"""``policyrules batch POLICY INPUT --out OUT``: a whole registry at once, on DuckDB or Spark.

INPUT is a directory of tables named by entity key (``firms.parquet``, ``products.csv``...,
optionally ``ledger``) or a DuckDB database file; OUT becomes a directory holding
``decisions`` and ``grants`` (``--format parquet|csv|jsonl``), written all or nothing.  A
summary (rows, statuses, the total of exact amounts in 元, time) is printed at the end
unless ``--quiet``; a progress bar is drawn on a terminal for runs over two seconds.

``--engine spark`` runs the same plan on Spark (:mod:`policyrules.batch_spark`): INPUT a
directory or URL of Parquet tables, ``--master`` (default ``local[*]``), ``--spark-conf
KEY=VALUE``; OUT gets ``decisions.<fmt>/`` and ``grants.<fmt>/`` directories of part files.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import attrs

from .api import Policy, load
from .batch import BatchSummary
from .cli_batch_ledger import LedgerOut, ledger_out, write_ledger_out
from .errors import Diagnostic, PolicyRulesError
from .files import write_atomic
from .output import chosen_lang, money_cells, write_json
from .progress import Progress, wanted
from .provenance import provenance
from .reading import read_as_of, read_pairs
from .runtime.ledger import Ledger
from .store import LedgerStore, is_store
from .terminal import printable

__all__ = ["add_batch_command", "cmd_batch", "summary_json"]


def cmd_batch(args: argparse.Namespace) -> int:
    _refuse_ledger_in_out(args.ledger_out, str(args.out))
    # the summary's language, read (E425 for another) before anything is: English unless
    # --lang or POLICYRULES_LANG says otherwise, as the summary was first printed
    args.lang = chosen_lang(args, default="en")
    if args.engine == "spark":
        return _batch_spark(args)
    if args.master is not None or args.spark_conf:
        raise _not_spark("--master" if args.master is not None else "--spark-conf")
    policy = load(args.policy)
    with ledger_out(policy, args.ledger_out, args.ledger, **_ahead(args)) as out:
        return _batch_duckdb(args, policy, out)


def _ahead(args: argparse.Namespace) -> dict[str, Any]:
    """``--as-of`` and ``--record-ahead``, for ``--ledger-out`` (E428)."""
    as_of = None if args.as_of is None else read_as_of(args.as_of)  # a date when checked
    return {"as_of": as_of, "record_ahead": args.record_ahead}


def _refuse_ledger_in_out(ledger: str | None, out: str) -> None:
    """E334 for ``--ledger-out`` inside ``--out``, before anything is read: the outputs'
    directory is replaced whole by each run, so the ledger would be lost with it."""
    if ledger is None or "://" in out:
        return
    where, outs = Path(ledger).resolve(), Path(out).resolve()
    if where == outs or outs in where.parents:
        raise PolicyRulesError(
            Diagnostic(
                "E334",
                f"cannot write {ledger}: it is inside --out {out}, which each run replaces "
                "whole (only its decisions and grants)",
                hint="write the ledger beside the outputs: --ledger-out grants.json",
            )
        )


def _batch_duckdb(args: argparse.Namespace, policy: Policy, out: LedgerOut | None) -> int:
    ledger = _ledger(args, policy)
    progress = Progress(enabled=wanted(args.quiet))
    started = time.perf_counter()
    try:
        result = policy.evaluate_batch(
            Path(args.input),
            ledger=ledger,
            ledger_file=args.ledger,
            parameters=read_pairs(args.set, "--set"),
            assumptions=read_pairs(args.assume, "--assume"),
            as_of=None if args.as_of is None else read_as_of(args.as_of),
            progress=progress,
            memory_limit=args.memory_limit,
        )
        try:
            # the whole ledger first: refused (E331 a top-up, E333, E335), nothing is written
            text = None if out is None else out.text(policy, result.grants_ledger(), result.earlier)
            result.write(Path(args.out), args.format, progress, sort=args.sort)
            if out is not None and text is not None:
                write_atomic(out.path, text)
            summary = None if args.quiet else result.summary  # counted from the written file
        finally:
            result.close()
    finally:
        progress.close()
        if isinstance(ledger, LedgerStore):
            ledger.close()
    _done(args, summary, started, policy)
    return 0


def _ledger(args: argparse.Namespace, policy: Policy) -> LedgerStore | Ledger | None:
    """``--ledger``: a store (only read) or a YAML/JSON ledger file."""
    if args.ledger is None:
        return None
    if is_store(args.ledger):
        return LedgerStore.open(args.ledger, create=False)
    return policy.load_ledger(args.ledger)


def _done(
    args: argparse.Namespace, summary: BatchSummary | None, started: float, policy: Policy
) -> None:
    if summary is not None and not args.quiet:
        # the time from reading to the last file written
        summary = attrs.evolve(summary, seconds=time.perf_counter() - started)
        if args.summary_format == "json":
            made = provenance(
                policy,
                as_of=None if args.as_of is None else read_as_of(args.as_of),
                parameters=read_pairs(args.set, "--set"),
                assumptions=read_pairs(args.assume, "--assume"),
            )
            said = {"out": str(args.out), **summary_json(summary)}
            if (unrecorded := _unrecorded(args)) is not None:
                # no grants: nothing to record, no command to run
                record = unrecorded if summary.grants else None
                said["ledger"] = {"store": args.ledger, "recorded": False, "record": record}
            write_json({**said, "provenance": made})
            return
        shown = summary.text_zh() if args.lang == "zh" else summary.text()
        sys.stdout.write(printable(f"wrote {args.out}\n{shown}\n", keep="\n"))
        if summary.grants and (unrecorded := _unrecorded(args)) is not None:
            sys.stdout.write(
                printable(
                    f"ledger: {args.ledger} was only read; this run's grants are NOT recorded "
                    f"in it (a second run grants them again). To record them: {unrecorded}\n",
                    keep="\n",
                )
            )


def _unrecorded(args: argparse.Namespace) -> str | None:
    """With ``--ledger STORE``: the commands that record the run's grants in it (the batch
    only reads a store): ``ledger import`` of the ``--ledger-out`` file (the whole ledger;
    the grants the store holds already are counted once)."""
    if args.ledger is None or not is_store(args.ledger):
        return None
    store, policy = shlex.quote(args.ledger), shlex.quote(args.policy)
    record = f"policyrules ledger import --policy {policy} {store} "
    if args.ledger_out is not None:
        return record + shlex.quote(args.ledger_out)
    return f"run again with --ledger-out grants.json, then {record}grants.json"


def summary_json(summary: BatchSummary) -> dict[str, Any]:
    """The summary as JSON-ready data: counts, and money in fen and in 元 text."""
    after = {} if summary.after_today is None else {"after_today": summary.after_today.to_json()}
    return {
        "inputs": dict(summary.inputs),
        "decisions": summary.decisions,
        "statuses": dict(summary.statuses),
        "grants": summary.grants,
        **money_cells("exact", summary.exact),
        **money_cells("granted", summary.granted),
        "seconds": round(summary.seconds, 3),
        **after,
        "top_ups": summary.top_ups.to_json(),
        "amounts": summary.totals.to_json(),
    }


def _not_spark(option: str) -> PolicyRulesError:
    return PolicyRulesError(
        Diagnostic("E649", f"{option} is for the Spark engine", hint="add --engine spark")
    )


def _spark_conf(pairs: list[str]) -> dict[str, str]:
    conf = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise PolicyRulesError(
                Diagnostic(
                    "E649",
                    f"--spark-conf {pair!r} is not KEY=VALUE",
                    hint="e.g. --spark-conf spark.driver.memory=2g",
                )
            )
        conf[key.strip()] = value.strip()
    return conf


def _batch_spark(args: argparse.Namespace) -> int:
    """``--engine spark``: the registry read, run and written by Spark."""
    from .batch_spark import refuse_input, refuse_options

    refuse_options(
        memory_limit=args.memory_limit,
        ledger_out=args.ledger_out is not None,
        out=str(args.out),
        fmt=args.format,
    )
    conf = _spark_conf(args.spark_conf)
    refuse_input(args.input)
    policy = load(args.policy)
    with ledger_out(policy, args.ledger_out, args.ledger, **_ahead(args)) as out:
        return _spark_run(args, policy, conf, out)


def _spark_run(
    args: argparse.Namespace, policy: Policy, conf: dict[str, str], out: LedgerOut | None
) -> int:
    from .batch_spark import DEFAULT_MASTER

    ledger = _ledger(args, policy)
    progress = Progress(enabled=wanted(args.quiet))
    started = time.perf_counter()
    try:
        result = policy.evaluate_batch(
            args.input,
            ledger=ledger,
            ledger_file=args.ledger,
            parameters=read_pairs(args.set, "--set"),
            assumptions=read_pairs(args.assume, "--assume"),
            as_of=None if args.as_of is None else read_as_of(args.as_of),
            progress=progress,
            engine="spark",
            master=DEFAULT_MASTER if args.master is None else args.master,
            spark_conf=conf,
        )
        try:
            result.write(args.out, args.format, progress, sort=args.sort)
            if out is not None:
                write_ledger_out(out, policy, result.grants_ledger(args.out), result.earlier)
            summary = result.summary
        finally:
            result.close()
    finally:
        progress.close()
        if isinstance(ledger, LedgerStore):
            ledger.close()
    _done(args, summary, started, policy)
    return 0


def add_batch_command(sub: Any) -> None:
    """Add ``policyrules batch`` to the command parser."""
    b = sub.add_parser(
        "batch", help="evaluate a registry of tables (Parquet, CSV, JSON Lines, DuckDB) at once"
    )
    b.add_argument("policy")
    b.add_argument(
        "input",
        help="a directory of tables named by entity key (firms.parquet, products.csv, ..., "
        "ledger) or a DuckDB database file; on Spark a directory (or hdfs://, s3a:// URL) "
        "of Parquet tables",
    )
    b.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="where the batch runs: duckdb in this process (default), or spark (local mode "
        "or a cluster: see --master); Spark needs pip install 'policyrules[spark]' and Java 17+",
    )
    b.add_argument(
        "--master",
        metavar="URL",
        help="Spark's master: local[*] (default: every core here), local[2], "
        "spark://host:7077, yarn, k8s://...",
    )
    b.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, repeatable (e.g. spark.driver.memory=2g, "
        "spark.sql.shuffle.partitions=200)",
    )
    b.add_argument(
        "--out",
        required=True,
        help="the directory to write decisions and grants to (on Spark also a URL)",
    )
    b.add_argument(
        "--format",
        choices=("parquet", "csv", "jsonl"),
        default="parquet",
        help="the outputs' format (default parquet)",
    )
    b.add_argument(
        "--ledger",
        help="more earlier grants: a ledger store (only read) or a YAML/JSON ledger file",
    )
    b.add_argument(
        "--ledger-out",
        metavar="FILE",
        help="also write the whole ledger (the registry's ledger table, the --ledger grants "
        "and this run's) as a JSON ledger file, for 'policyrules ledger import'",
    )
    b.add_argument("--as-of", help="the day the result speaks for (YYYY-MM-DD)")
    b.add_argument(
        "--record-ahead",
        action="store_true",
        help="with --ledger-out and an --as-of after today, write the grants of years after "
        "this one all the same (refused otherwise, E428: they would be recorded as paid now)",
    )
    b.add_argument(
        "--set", action="append", default=[], metavar="PARAM=VALUE", help="give a parameter"
    )
    b.add_argument(
        "--assume", action="append", default=[], metavar="NAME=VALUE", help="an assumption"
    )
    b.add_argument(
        "--sort",
        action="store_true",
        help="write decisions sorted by firm, subject, provision (costs time on large runs)",
    )
    b.add_argument("--quiet", action="store_true", help="no summary, no progress bar")
    b.add_argument(
        "--summary-format",
        choices=("text", "json"),
        default="text",
        help="how to print the summary (--format names the outputs' format)",
    )
    b.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="the text summary's language: en (the default) or zh; default POLICYRULES_LANG "
        "if set (the outputs' columns are the same)",
    )
    b.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="DuckDB's memory limit (e.g. 1GB); beyond it DuckDB works on disk",
    )
    b.set_defaults(run=cmd_batch)
