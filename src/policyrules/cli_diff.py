"""``policyrules diff POLICY FACTS|REGISTRY --set NAME=VALUE --assume NAME=VALUE``: what if.

FACTS (a YAML/JSON facts file, or ``-`` for standard input) is evaluated as it is and again
with the ``--set`` parameters and ``--assume`` assumptions (:func:`policyrules.diff.what_if`);
each decision that changes is printed before → after, then the totals, in Chinese unless
``--lang en`` (or ``POLICYRULES_LANG=en``) asks for English, as ``eval`` does.  A directory or a
DuckDB file is a registry: the batch runs twice (:func:`policyrules.diff_batch.what_if_batch`)
and the changes are counted per provision, the changed rows written to ``--out``.  Nothing
is recorded: a ledger store is only read.  Exit 0 whether or not anything changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .api import Policy, load
from .diff import reading_notes, what_if
from .diff_batch import ROW_COLUMNS, what_if_batch
from .errors import Diagnostic, PolicyRulesError
from .ledger_bases import OtherReading
from .output import (
    add_format,
    add_lang,
    chosen_lang,
    write_csv,
    write_json,
    write_jsonl,
    write_rows,
)
from .provenance import provenance
from .reading import Limits, read_as_of, read_pairs
from .runtime.ledger import Ledger
from .store import LedgerStore, is_store
from .tables import looks_like_duckdb
from .terminal import printable

__all__ = ["add_diff_command", "cmd_diff"]

CHANGE_COLUMNS = (
    "provision",
    "subject",
    *(
        f"{k}_{w}"
        for w in ("before", "after")
        for k in ("status", "amount_fen", "amount_yuan", "amount_kind")
    ),
)


def _registry(path: str) -> bool:
    """A directory of tables or a DuckDB file (by its header, as the batch knows one)."""
    p = Path(path)
    if p.is_dir():
        return True
    if not p.is_file():  # a pipe (<(cat f)) is read once, by the facts reader
        return False
    try:
        with p.open("rb") as f:
            return looks_like_duckdb(f.read(16))
    except OSError:  # reported where the facts file is read
        return False


def _ledger(arg: str | None, policy: Policy) -> LedgerStore | Ledger | None:
    if arg is None:
        return None
    if is_store(arg):
        return LedgerStore.open(arg, create=False)
    return policy.load_ledger(arg)


def cmd_diff(args: argparse.Namespace) -> int:
    parameters = read_pairs(args.set, "--set")
    before = read_pairs(args.set_before, "--set-before")
    assumptions = read_pairs(args.assume, "--assume")
    if not parameters and not assumptions:
        raise PolicyRulesError(
            Diagnostic(
                "E730",
                "diff: nothing to change",
                hint="give at least one --set PARAM=VALUE or --assume NAME=VALUE",
            )
        )
    as_of = None if args.as_of is None else read_as_of(args.as_of)
    lang = chosen_lang(args)  # (E425 before any work)
    policy = load(args.policy)
    ledger = _ledger(args.ledger, policy)
    try:
        if args.facts != "-" and _registry(args.facts):
            _batch(args, policy, ledger, (before, parameters), assumptions, as_of, lang)
            return 0
        if args.out is not None:
            raise PolicyRulesError(
                Diagnostic(
                    "E733",
                    "--out is for a registry (a directory of tables or a DuckDB file)",
                    hint="drop --out, or name a registry",
                )
            )
        facts = policy.load_facts(args.facts, Limits.from_env())
        extra = facts.extra
        result = what_if(
            policy,
            facts,
            parameters=parameters,
            assumptions=assumptions,
            ledger=ledger,
            ledger_file=args.ledger,
            as_of=as_of,
            facts_file=None if args.facts == "-" else str(args.facts),
            before_parameters=before,
        )
    finally:
        if isinstance(ledger, LedgerStore):
            ledger.close()
    if args.format == "text":
        text = result.text() if lang == "en" else result.text_zh()
        sys.stdout.write(printable(text, keep="\n"))
    elif args.format == "json":  # with the provenance of the second run, as eval --json
        made = provenance(
            policy,
            extra=extra,
            as_of=as_of,
            parameters={**before, **parameters},
            assumptions=assumptions,
        )
        write_json({**result.to_json(), "provenance": made})
    elif args.format == "jsonl":  # the changes as in json, one a line
        write_jsonl(c.to_json() for c in result.changes)
    else:
        write_csv((_change_row(c.to_json()) for c in result.changes), CHANGE_COLUMNS)
    _notes(args.format, result.read_otherwise)
    return 0


def _notes(fmt: str, found: tuple[OtherReading, ...]) -> None:
    """Rows have no place for them: the grants read otherwise are said on standard error."""
    if fmt in ("jsonl", "csv"):
        for line in reading_notes(found):
            print(printable(line), file=sys.stderr)


def _change_row(change: dict[str, Any]) -> dict[str, Any]:
    row = {"provision": change["provision"], "subject": change["subject"]}
    for when in ("before", "after"):
        side = change[when] or {}
        row[f"status_{when}"] = side.get("status")
        row[f"amount_fen_{when}"] = side.get("amount_fen")
        row[f"amount_yuan_{when}"] = side.get("amount")
        row[f"amount_kind_{when}"] = side.get("amount_kind")
    return row


def _batch(
    args: argparse.Namespace,
    policy: Policy,
    ledger: LedgerStore | Ledger | None,
    parameters: tuple[dict[str, Any], dict[str, Any]],
    assumptions: dict[str, Any],
    as_of: Any,
    lang: str,
) -> None:
    """``parameters``: the baseline's (``--set-before``) and the second run's (``--set``)."""
    result = what_if_batch(
        policy,
        args.facts,
        before_parameters=parameters[0],
        parameters=parameters[1],
        assumptions=assumptions,
        ledger=ledger,
        ledger_file=args.ledger,
        as_of=as_of,
        out=args.out,
    )
    if args.format == "text":
        text = result.text() if lang == "en" else result.text_zh()
        sys.stdout.write(printable(text, keep="\n"))
    elif args.format == "jsonl":
        write_jsonl(p.to_json() for p in result.provisions)
    else:
        write_rows(args.format, result.to_json(), [p.row() for p in result.provisions], ROW_COLUMNS)
    _notes(args.format, result.read_otherwise)


def add_diff_command(sub: Any) -> None:
    """Add ``policyrules diff`` to the command parser."""
    d = sub.add_parser(
        "diff",
        help="what if: the decisions that change when parameters or assumptions are set",
        description="Evaluate FACTS as they are and again with --set/--assume; print each "
        "decision that changes (status, amount, amount kind) and the totals of exact "
        "amounts and of upper bounds, before, after and their difference, in Chinese "
        "unless --lang en.  A directory of tables or a DuckDB file is a registry: the "
        "batch runs twice and the changes are counted per provision.  Nothing is recorded.",
    )
    d.add_argument("policy")
    d.add_argument(
        "facts",
        help="a facts file (YAML/JSON; - for standard input), or a registry: a directory "
        "of tables or a DuckDB file",
    )
    d.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PARAM=VALUE",
        help="give an open parameter a value in the second run",
    )
    d.add_argument(
        "--set-before",
        action="append",
        default=[],
        metavar="PARAM=VALUE",
        help="the baseline: give a parameter a value in both runs (--set overrides it in "
        "the second), to compare two values of a rate: --set-before R=30%% --set R=50%%",
    )
    d.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a named assumption in the second run",
    )
    d.add_argument("--as-of", help="the day the results speak for (YYYY-MM-DD)")
    d.add_argument(
        "--ledger", help="earlier grants: a ledger store (only read) or a YAML/JSON file"
    )
    d.add_argument(
        "--out",
        metavar="FILE",
        help="with a registry: write the changed decisions to FILE (.parquet or .csv), "
        "amounts in fen",
    )
    add_lang(d, "change")
    add_format(d, json_alias=False)
    d.set_defaults(run=cmd_diff)
