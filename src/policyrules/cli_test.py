"""``policyrules test POLICY [CASES…]``: run a policy's worked cases (issue 13 §1).

CASES are case files or directories of them (default ``POLICY/cases``).  Each failed case is
printed with expected beside computed, then a summary line.  Exit 0 when every case passes,
1 when one fails, 2 for bad usage or input (a policy that does not load, a malformed case
file, a case whose facts break the policy's schema).  A fault inside one case (a bad
expectation) fails that case alone, reported as its error; the file's other cases run.
``--junit-xml FILE`` writes a JUnit report for CI (one ``testsuite`` per case file, one
``testcase`` per case);
``--coverage`` adds what the cases exercise (:mod:`policyrules.case_coverage`);
``--format json`` prints the whole report as JSON instead of text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs

from .api import load
from .case_coverage import (
    case_coverage,
    case_coverage_json,
    case_coverage_text,
    exclusive_coverage,
)
from .cases import case_files, load_case_file
from .cases_run import CaseResult, failure_text, not_run, run_case, summary_line
from .errors import FactsError, PolicyRulesError
from .files import check_writable, write_atomic
from .terminal import json_printable, printable

__all__ = ["add_test_command", "cmd_test", "junit_xml"]


@attrs.frozen
class _FileRun:
    """One case file: its cases' results and times (seconds), or why it could not be read."""

    path: Path
    results: tuple[CaseResult, ...] = ()
    seconds: tuple[float, ...] = ()
    error: PolicyRulesError | None = None


def cmd_test(args: argparse.Namespace) -> int:
    policy = load(args.policy)
    if args.junit_xml is not None:
        check_writable(Path(args.junit_xml))  # before the run, not after it
    runs: list[_FileRun] = []
    for path in case_files(args.cases or [Path(args.policy) / "cases"]):
        try:
            case_file = load_case_file(path, policy.checked, keep_faulty=True)
        except FactsError as exc:  # CaseFileError, or a file that is not YAML at all
            runs.append(_FileRun(path, error=exc))
            continue
        results, seconds = [], []
        for case in case_file.cases:
            started = time.perf_counter()
            results.append(run_case(policy, case))
            seconds.append(time.perf_counter() - started)
        runs.append(_FileRun(path, tuple(results), tuple(seconds)))
    results = [r for run in runs for r in run.results]
    bad_files = [run for run in runs if run.error is not None]
    if args.junit_xml is not None:
        write_atomic(Path(args.junit_xml), junit_xml(Path(args.policy).name, runs))
    wanted = args.coverage or args.coverage_all
    rows = case_coverage(policy, results) if wanted else None
    groups = exclusive_coverage(policy, results) if wanted else []
    if args.format == "json":
        report = _report(runs, rows, groups)
        print(json_printable(json.dumps(report, ensure_ascii=False, indent=2)))
    else:
        for run in bad_files:
            assert run.error is not None
            sys.stderr.write(printable(run.error.render(), keep="\n") + "\n\n")
        for r in results:
            if not r.passed:
                sys.stdout.write(failure_text(r) + "\n")
        if rows is not None:
            text = case_coverage_text(rows, all_rows=args.coverage_all, groups=groups)
            sys.stdout.write(text + "\n")
        line = summary_line(results, len(runs))
        if bad_files:
            line += f"; {len(bad_files)} case file(s) could not be read"
        sys.stdout.write(printable(line) + "\n")
    if bad_files or any(r.error is not None for r in results):
        return 2
    return 0 if all(r.passed for r in results) else 1


def _report(runs: list[_FileRun], rows: Any, groups: Any) -> dict[str, Any]:
    results = [r for run in runs for r in run.results]
    out: dict[str, Any] = {
        "summary": {
            "cases": len(results),
            "passed": sum(1 for r in results if r.passed),
            "failed": sum(1 for r in results if r.error is None and not r.passed),
            "errors": sum(1 for r in results if r.error is not None),
            "files": len(runs),
            "unreadable_files": [str(run.path) for run in runs if run.error is not None],
        },
        "failures": [
            {
                "case": r.id,
                "error": None if r.error is None else _diagnostics(r.error),
                "mismatches": [attrs.asdict(m) | {"reasons": list(m.reasons)} for m in r.failures],
            }
            for r in results
            if not r.passed
        ],
        "file_errors": [_diagnostics(run.error) for run in runs if run.error is not None],
    }
    if rows is not None:
        out["coverage"] = case_coverage_json(rows, groups)
    return out


def _diagnostics(exc: PolicyRulesError) -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
            "file": d.span.file if d.span else None,
            "line": d.span.line if d.span else None,
            "col": d.span.col if d.span else None,
        }
        for d in exc.diagnostics
    ]


def junit_xml(name: str, runs: list[_FileRun]) -> str:
    """The JUnit XML report (``testsuites`` > ``testsuite`` per file > ``testcase`` per
    case, with a ``failure`` holding the expected/computed text, or an ``error`` for a case
    that could not be evaluated or a file that could not be read)."""
    root = ET.Element("testsuites", name=f"policyrules test {name}")
    totals = [0, 0, 0, 0.0]
    for run in runs:
        failures = sum(1 for r in run.results if r.error is None and not r.passed)
        errors = sum(1 for r in run.results if r.error is not None) + (run.error is not None)
        tests = len(run.results) + (run.error is not None)
        seconds = sum(run.seconds)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=run.path.name,
            tests=str(tests),
            failures=str(failures),
            errors=str(errors),
            skipped="0",
            time=f"{seconds:.3f}",
        )
        if run.error is not None:
            case = ET.SubElement(suite, "testcase", classname=run.path.name, name="(case file)")
            bad = ET.SubElement(case, "error", message=run.error.diagnostics[0].message)
            bad.set("type", run.error.code)
            bad.text = run.error.render()
        for r, t in zip(run.results, run.seconds, strict=True):
            case = ET.SubElement(
                suite, "testcase", classname=run.path.name, name=r.case.name, time=f"{t:.3f}"
            )
            if r.error is not None:
                bad = ET.SubElement(case, "error", message=not_run(r))
                bad.set("type", r.error.code)
                bad.text = failure_text(r)
            elif not r.passed:
                first = r.failures[0]
                message = f"{first.field}: expected {first.expected}, computed {first.computed}"
                bad = ET.SubElement(case, "failure", message=message, type="mismatch")
                bad.text = failure_text(r)
        totals = [totals[0] + tests, totals[1] + failures, totals[2] + errors, totals[3] + seconds]
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    root.set("time", f"{totals[3]:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def add_test_command(sub: Any) -> None:
    """Register ``policyrules test`` on the subcommand parsers ``sub``."""
    t = sub.add_parser("test", help="run a policy's worked cases (POLICY/cases/*.yaml)")
    t.add_argument("policy")
    t.add_argument(
        "cases", nargs="*", help="case files or directories of them (default POLICY/cases)"
    )
    t.add_argument("--junit-xml", metavar="FILE", help="also write a JUnit XML report")
    t.add_argument(
        "--coverage",
        action="store_true",
        help="report the provisions, conditions, caps and outcomes the cases exercise",
    )
    t.add_argument(
        "--coverage-all",
        action="store_true",
        help="coverage with every provision's counts, not only what is untested",
    )
    t.add_argument("--format", choices=("text", "json"), default="text", help="text or JSON")
    t.set_defaults(run=cmd_test)
