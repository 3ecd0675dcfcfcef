"""The ``policyrules`` command: check, fmt, eval, explain, coverage, schema, ledger, batch,
serve, diff.

Exit codes: 0 all is well; 1 a finding (a check error in ``check``, a file ``fmt --check``
would change); 2 bad input or usage (a policy that does not load, a facts file that breaks
the schema, an unknown option).  Errors print as ``file:line:col`` with the source line and a
caret, never as a Python traceback.  Text output passes through
:func:`policyrules.terminal.printable`: control and bidi characters from the input are shown
escaped (``\x1b``, ``\u202e``), never sent to the terminal; JSON output escapes them the
JSON way and reads back exactly.  The conventions shared with other tools (``--format``,
``-`` for standard input, colour, completion, a closed pipe) are in docs/cli.md.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from .api import load, read_rule_files
from .cli_batch import add_batch_command
from .cli_check import add_batch_option, check_batch
from .cli_diff import add_diff_command
from .cli_eval import add_eval_commands, print_json, say
from .cli_ledger import add_ledger_commands
from .cli_serve import add_serve_command
from .cli_shell import add_completion_command, add_version, closed_pipe
from .cli_test import add_test_command
from .errors import PolicyRulesError, RuleCheckError, RuleSyntaxError, render_warnings
from .files import write_atomic
from .output import add_format, add_lang, chosen_lang
from .parse import parse
from .printer import print_module
from .terminal import printable

__all__ = ["main", "write_atomic"]

OK, FINDING, BAD_INPUT = 0, 1, 2


def cmd_check(args: argparse.Namespace) -> int:
    try:
        policy = load(args.policy)
    except (RuleSyntaxError, RuleCheckError) as exc:
        say(exc.render(), err=True)
        n = len(exc.diagnostics)
        say(f"\n{n} error{'s' if n != 1 else ''}", err=True)
        return FINDING
    c = policy.checked
    provisions = c.provisions()
    if c.warnings:  # W290...: shown, and with --strict a finding
        say(render_warnings(c.warnings, read_rule_files(args.policy)), err=True)
    say(
        f"ok: {len(c.documents)} document(s), {len(c.clauses)} clause(s), "
        f"{len(provisions)} provision(s), {len(c.entities)} entities, "
        f"{len(c.parameters)} parameter(s) ({sum(p.default is None for p in c.parameters)} "
        f"unset), {len(c.assumptions)} assumption(s)"
        + (f", {len(c.warnings)} warning(s)" if c.warnings else "")
    )
    if args.batch and check_batch(policy):
        return FINDING
    return FINDING if c.warnings and args.strict else OK


def cmd_fmt(args: argparse.Namespace) -> int:
    texts: dict[str, str] = {}
    for target in args.paths:
        texts.update(read_rule_files(target))
    changed = []
    formatted: dict[str, str] = {}
    for file, text in texts.items():
        formatted[file] = print_module(parse(text, file))
        if formatted[file] != text:
            changed.append(file)
    if args.diff:
        for file in changed:
            sys.stdout.writelines(
                printable(line, keep="\n\t")
                # a last line without one, marked as diff(1) and patch(1) do
                + ("" if line.endswith("\n") else "\n\\ No newline at end of file\n")
                for line in difflib.unified_diff(
                    texts[file].splitlines(keepends=True),
                    formatted[file].splitlines(keepends=True),
                    f"{file} (now)",
                    f"{file} (formatted)",
                )
            )
    if args.check or args.diff:
        for file in changed:
            say(f"would reformat {printable(file)}", err=True)
        return FINDING if changed else OK
    for file in changed:
        write_atomic(Path(file), formatted[file])
        say(f"reformatted {printable(file)}", err=True)
    return OK


def cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import coverage_json, coverage_text, coverage_text_zh, write_coverage

    policy = load(args.policy)
    checked = policy.checked
    if args.format == "json":
        print_json(coverage_json(checked, policy.words))
    elif args.format in ("jsonl", "csv"):
        write_coverage(args.format, checked)
    elif chosen_lang(args) == "en":
        say(coverage_text(checked), end="")
    else:
        say(coverage_text_zh(checked, policy.words), end="")
    return OK


def cmd_schema(args: argparse.Namespace) -> int:
    print_json(load(args.policy).schema())
    return OK


def cmd_lsp(args: argparse.Namespace) -> int:
    try:
        from .lsp.server import main as serve
    except ImportError:  # pygls is the optional extra `lsp`
        say("error: the language server needs pygls: pip install 'policyrules[lsp]'", err=True)
        return BAD_INPUT
    return serve()  # ends the process: 0 after the editor's shutdown request, 1 without


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="policyrules",
        description="check, fmt, eval, explain, coverage, schema, ledger, batch, diff: "
        "a toolkit for Chinese industrial policy as rules",
    )
    add_version(p)
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="parse and check a policy")
    c.add_argument("policy")
    c.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    add_batch_option(c)
    c.set_defaults(run=cmd_check)

    f = sub.add_parser("fmt", help="format .rule files (rewrites them unless --check/--diff)")
    f.add_argument("paths", nargs="+")
    f.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    f.add_argument("--diff", action="store_true", help="print what would change")
    f.add_argument(
        "--write",
        action="store_true",
        help="rewrite the files in place (the default; each write is atomic)",
    )
    f.set_defaults(run=cmd_fmt)

    add_eval_commands(sub)

    cov = sub.add_parser("coverage", help="what each measure encodes and leaves open")
    cov.add_argument("policy")
    add_lang(cov, "measure")
    add_format(cov)
    cov.set_defaults(run=cmd_coverage)

    s = sub.add_parser("schema", help="print the JSON Schema of facts files for a policy")
    s.add_argument("policy")
    s.set_defaults(run=cmd_schema)

    ls = sub.add_parser("lsp", help="a language server for .rule files on stdin/stdout (editors)")
    ls.set_defaults(run=cmd_lsp)

    add_ledger_commands(sub)
    add_batch_command(sub)
    add_diff_command(sub)
    add_completion_command(sub, p)
    add_serve_command(sub)
    add_test_command(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
        if not sys.stdout.closed:  # the language server closes it on exit
            sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except PolicyRulesError as exc:
        say(exc.render(), err=True)
        return BAD_INPUT
    except BrokenPipeError:  # the reader stopped early (| head): end quietly
        return closed_pipe()
    except OSError as exc:
        say(f"error: {printable(str(exc.filename or ''))}: {exc.strerror}", err=True)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
