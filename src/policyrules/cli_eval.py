"""``policyrules eval`` and ``policyrules explain``: a policy's decisions for a facts file (or
a registry's firms, ``--firm``), with ``--ledger`` (:mod:`.cli_ledger`), and a clause's text
and encoding; and :func:`say` and :func:`print_json`, how the command line writes text and
JSON (control and bidi characters escaped, docs/cli.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import attrs
import msgspec

from .api import Policy, load
from .cli_ledger import ExportFailed, evaluate_with_ledger
from .cli_registry import add_records_option, firms_own
from .cli_shell import positive_int
from .colour import paint, use_colour
from .errors import Diagnostic, PolicyRulesError
from .explain import decision_text
from .explain_zh import dated, decision_text_zh
from .labels import clause_json, find_clauses, shown_label
from .output import (
    add_format,
    add_lang,
    chosen_lang,
    write_decisions,
    write_indented_json,
    write_json,
    write_jsonl,
)
from .printer import print_module
from .provenance import provenance
from .reading import Limits, read_as_of, read_pairs
from .summary import measure_summary, reader_note, summary_text
from .terminal import json_printable, printable
from .vocab import chapter_zh

__all__ = ["add_eval_commands", "cmd_eval", "cmd_explain", "print_json", "say"]

OK = 0


def say(text: str = "", *, end: str = "\n", err: bool = False, keep: str = "\n") -> None:
    """Print human-readable text with control and bidi characters escaped (newlines kept)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(printable(text, keep=keep) + end)


def _say_decisions(text: str) -> None:
    """Decisions as text, their status tags in colour on a terminal (docs/cli.md)."""
    shown = printable(text, keep="\n")
    sys.stdout.write(paint(shown) if use_colour(sys.stdout) else shown)


def print_json(data: Any) -> None:
    """``data`` as indented JSON, control and bidi characters escaped the JSON way."""
    # msgspec writes, in C, the text json.dumps(data, ensure_ascii=False, indent=2) writes
    # for data without floats (none here); json's indenting encoder is pure Python and took
    # most of the time of `eval --format json` on a large facts file (benchmarks/README.md).
    if isinstance(data, dict):
        write_indented_json(data)
    else:
        print(json_printable(msgspec.json.format(msgspec.json.encode(data), indent=2).decode()))


def _limits(args: argparse.Namespace) -> Limits:
    limits = Limits.from_env()
    if args.max_input_mb is not None:
        limits = attrs.evolve(limits, max_bytes=args.max_input_mb * 2**20)
    if args.max_depth is not None:
        limits = attrs.evolve(limits, max_depth=args.max_depth)
    if args.max_items is not None:
        limits = attrs.evolve(limits, max_items=args.max_items)
    return limits


def _evaluate(args: argparse.Namespace, policy: Policy, *, commit: bool = False) -> Any:
    args.limits = _limits(args)
    if args.as_of is not None:  # one rule for values typed on the command line
        args.as_of = read_as_of(args.as_of)
    return evaluate_with_ledger(
        args,
        policy,
        parameters=read_pairs(args.set, "--set"),
        assumptions=read_pairs(args.assume, "--assume"),
        commit=commit,
    )


def cmd_eval(args: argparse.Namespace) -> int:
    policy = load(args.policy)
    try:
        result = _evaluate(args, policy, commit=True)
    except ExportFailed as exc:  # the store is committed: show what it recorded, then fail
        _show(args, firms_own(policy, args, exc.result), policy)
        raise
    _show(args, result := firms_own(policy, args, result), policy)
    if args.as_of is None and not all(map(dated, result.decisions)):
        say(_NO_AS_OF[chosen_lang(args)], err=True)
    return OK


# The operator's how-to, which the reader's text (未给出评估日期，不判断是否已逾期) leaves out,
# in the run's language; the option is named as the operator types it.
_NO_AS_OF = {
    "en": "note: no --as-of given: a deadline or target not done is not judged overdue; "
    "give --as-of YYYY-MM-DD (the day the result speaks for) to judge it",
    "zh": "提示：未给出 --as-of 选项，尚未完成的期限或目标不判断是否已逾期；"
    "要判断，请用 --as-of YYYY-MM-DD 给出结果所针对的日期",
}


def _show(args: argparse.Namespace, result: Any, policy: Policy) -> None:
    if args.format == "json":
        data = result.to_json(all_earlier=args.all_earlier)
        data["provenance"] = provenance(
            policy,
            extra=getattr(args, "facts_extra", None),
            as_of=args.as_of,
            parameters=read_pairs(args.set, "--set"),
            assumptions=read_pairs(args.assume, "--assume"),
        )
        print_json(data)
    elif args.format != "text":  # JSON Lines and CSV: the decisions, one a line
        write_decisions(args.format, result, all_earlier=args.all_earlier)
    else:
        _say_decisions(result.explain(verbose=args.trace, lang=chosen_lang(args)))


def cmd_explain(args: argparse.Namespace) -> int:
    policy = load(args.policy)
    c = policy.checked
    clauses = find_clauses(c, args.clause)
    lang = chosen_lang(args)
    if args.facts:
        result = _evaluate(args, policy)
        ids = {cl.id for cl in clauses}
        chosen = [d for d in result.decisions if d.clause in ids]
        if args.format != "text":
            write_decisions(args.format, result, chosen)
            return OK
        for d in chosen:
            if lang == "en":
                _say_decisions(decision_text(d, verbose=True) + "\n\n")
            else:
                _say_decisions(decision_text_zh(d, policy.words, verbose=args.trace) + "\n\n")
        return OK
    if args.format != "text":
        rows = [clause_json(c, cl) for cl in clauses]
        if args.format == "json":
            write_json({"clauses": rows})
        elif args.format == "jsonl":
            write_jsonl(rows)
        else:
            raise PolicyRulesError(
                Diagnostic(
                    "E734",
                    "explain --format csv needs --facts: a clause's text is not a table",
                    hint="use --format json or jsonl, or give --facts for its decisions",
                )
            )
        return OK
    if lang == "zh":
        _explain_zh(policy, clauses, trace=args.trace)
        return OK
    for cl in clauses:
        doc = c.document(cl.document)
        label = shown_label(cl.label)
        number = doc.number if doc and doc.number else cl.document  # no "None"
        say(f"{number} {label} {cl.title or ''}".rstrip())
        if cl.chapter:
            say(f"chapter {cl.chapter[0]}: {cl.chapter[1]}")
        say(f"\n原文: {cl.quote}\n")
        for note in cl.notes:
            say(f"note: {note}")
        for name in cl.parameters:
            param = c.parameter(name)
            state = "unset" if param is None or param.default is None else "has a default"
            say(f"parameter {name} ({state}): {param.title if param else ''}")
        for p in cl.provisions:
            say(f"\n{p.kind} {p.id}: {p.title or ''}")
            say(f"  facts: {', '.join(p.facts) or '-'}")
            if p.parameters:
                say(f"  parameters: {', '.join(p.parameters)}")
            if p.assumptions:
                for a in p.assumptions:
                    info = c.assumption(a)
                    say(f"  assumption {a}: {info.rationale if info else ''}")
        if cl.node is not None:
            from .syntax import Module

            say("\nencoding:\n")
            say(print_module(Module((cl.node,))), end="")
    return OK


def _explain_zh(policy: Policy, clauses: list[Any], *, trace: bool) -> None:
    """Each clause in Chinese: its original text and notes, then its summary in words
    (:mod:`policyrules.summary`); ``trace`` adds the encoding."""
    c = policy.checked
    for cl in clauses:
        summary = measure_summary(c, cl, policy.words)
        say(summary.heading)
        if cl.chapter:
            say(chapter_zh(*cl.chapter))
        say(f"\n原文：「{cl.quote}」\n")
        say(summary_text(summary).split("\n", 1)[1], end="")
        if cl.notes:
            say("说明：")
            for note in cl.notes:
                say(f"  · {reader_note(policy.words, note)}")
        if trace and cl.node is not None:
            from .syntax import Module

            say("\n编码：\n")
            say(print_module(Module((cl.node,))), end="")


def _eval_options(q: argparse.ArgumentParser) -> None:
    """The options ``eval`` and ``explain --facts`` share."""
    q.add_argument(
        "--firm",
        action="append",
        default=[],
        metavar="ID",
        help="with a registry (as batch reads) in place of the facts file: a firm's id "
        "(again for more); its ledger table gives the earlier grants",
    )
    q.add_argument(
        "--ledger",
        help="earlier grants: a ledger store (.db/.sqlite/.sqlite3, made by "
        "'policyrules ledger init'; eval appends this run's grants) or a YAML/JSON file "
        "(read only)",
    )
    q.add_argument(
        "--as-of",
        help="the day the result speaks for (YYYY-MM-DD): deadlines not done by then are overdue",
    )
    q.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PARAM=VALUE",
        help="give an open parameter a value",
    )
    q.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a named assumption",
    )
    q.add_argument(
        "--max-input-mb",
        type=positive_int,
        metavar="MB",
        help="refuse facts and ledger files larger than this (default 64, "
        "or POLICYRULES_MAX_INPUT_MB)",
    )
    q.add_argument(
        "--max-depth",
        type=positive_int,
        metavar="N",
        help="refuse data nested deeper than this (default 100, or POLICYRULES_MAX_DEPTH)",
    )
    q.add_argument(
        "--max-items",
        type=positive_int,
        metavar="N",
        help="refuse a list of more items than this (default 1000000, or POLICYRULES_MAX_ITEMS)",
    )


def add_eval_commands(sub: Any) -> None:
    """The ``eval`` and ``explain`` subcommands, on ``sub`` (the root's subparsers)."""
    e = sub.add_parser("eval", help="evaluate a facts file")
    add_lang(e)
    e.add_argument("policy")
    e.add_argument(
        "facts",
        help="a YAML or JSON facts file; - for standard input; or a registry with --firm",
    )
    add_format(e)
    e.add_argument("--trace", action="store_true", help="show every step")
    e.add_argument(
        "--all-earlier",
        action="store_true",
        help="with --format json or jsonl: list every earlier entry on a cap, each payment "
        "of a schedule apart (by default the last 3 claims, with their count and total)",
    )
    e.add_argument(
        "--ledger-out",
        help="write the whole ledger after this run (earlier grants and this run's) to a "
        "JSON or YAML file; may be the --ledger file",
    )
    e.add_argument(
        "--dry-run",
        action="store_true",
        help="evaluate against --ledger without recording anything",
    )
    e.add_argument(
        "--record-ahead",
        action="store_true",
        help="with an --as-of after today, record the grants of years after this one all the "
        "same (refused otherwise, E428: they would be recorded as paid now)",
    )
    add_records_option(e)
    _eval_options(e)
    e.set_defaults(run=cmd_eval)

    x = sub.add_parser("explain", help="explain a clause, or its decisions for a facts file")
    x.add_argument("policy")
    x.add_argument(
        "clause",
        help="a clause as the tool prints it: 3, 第3条, (十九), （十九）, 十九, or its id "
        "(jjxf_2025_50/3)",
    )
    x.add_argument(
        "--facts",
        help="a facts file (- for standard input), or a registry with --firm: the clause's "
        "decisions with traces",
    )
    x.add_argument(
        "--trace",
        action="store_true",
        help="in Chinese: add the encoding (or, with --facts, each decision's trace); "
        "in English both are always shown",
    )
    add_lang(x)
    add_format(x)
    _eval_options(x)
    x.set_defaults(run=cmd_explain)
