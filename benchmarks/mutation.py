"""Mutation testing on demand: do the tests notice when the code is changed a little?

Each *mutant* is a copy of the package with one small change that a slip of the keyboard could
make: ``+`` for ``-``, ``<`` for ``<=``, ``and`` for ``or``, ``not x`` for ``x``, a constant
plus one, ``True`` for ``False``, ``min`` for ``max``, ``return None`` for a return value.  A
selected fast subset of the tests runs against each mutant (``pytest -x``, a time limit per
test and per mutant); a mutant is *killed* if a test fails, *timeout* if it ran out of time
(also caught), and *survived* if every test passed: the tests did not notice the change.

The working tree is never modified: the package is copied to a temporary directory (one copy
per parallel job), the mutated file is written there, and the tests import it through
``PYTHONPATH``.  Run from the repository root::

    .venv/bin/python benchmarks/mutation.py                     # every mutant of the targets
    .venv/bin/python benchmarks/mutation.py --sample 200 --seed 1 --jobs 2
    .venv/bin/python benchmarks/mutation.py --files calendar --list
    .venv/bin/python benchmarks/mutation.py --area input --sample 40 --seed 1
    .venv/bin/python benchmarks/mutation.py --json /tmp/mutants.json

Mutants known to be equivalent (no input can tell them from the original) are listed with a
reason in ``benchmarks/mutation_equivalent.txt`` and reported apart from the kill rate.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "policyrules"
# The evaluator: its expressions are in exprs.py (operations on values in exprs_values.py,
# bands in exprs_bands.py), its claims on caps in claims.py, its deadlines and targets in
# timelimits.py, amounts, tiers and exceptions in their modules, payments over time in
# schedule.py and instalments.py (their built-ins in exprs_years.py), exclusivity in
# exclusive.py and exclusive_run.py, an unknown claim's hold on shared caps in reserve.py.
# The generated fast path (codegen.py, fastpath.py) and the fused awards (fused.py) are left
# out: what tests them is tests/property/test_fast_path_props.py, which compares their every
# decision, trace and grant with the general evaluator's, not a mutant of their own code.
TARGETS = (
    "runtime/*.py",
    "backends/python/*.py",
    "exprs.py",
    "exprs_values.py",
    "exprs_bands.py",
    "exprs_years.py",
)
SKIPPED = (
    "backends/python/codegen.py",
    "backends/python/fastpath.py",
    "backends/python/fused.py",
)
TESTS = (  # fast ones first: with -x a mutant is usually killed in the first file
    "tests/unit/test_money_bounds.py",
    "tests/unit/test_evaluator_edges.py",
    "tests/unit/test_operators.py",
    "tests/unit/test_mutants_new_modules.py",
    "tests/unit/test_mutants_sample23.py",
    "tests/unit/test_mutants_sample37.py",
    "tests/unit/test_instalments.py",
    "tests/unit/test_exclusive.py",
    "tests/unit/test_deadline_any_schedule.py",
    "tests/unit/test_undated_schedule.py",
    "tests/unit/test_schedule_holds.py",
    # the Python half only: the SQL batch's half takes half a minute and no Python mutant
    "tests/property/test_unknown_claims_hold_props.py"
    "::test_what_is_reported_holds_however_the_unknown_claims_turn_out",
    # the lean function serves (and does not decline) an award untouched in this evaluation
    "tests/property/test_lean_props.py::test_lean_result_is_deferred",
    "tests/unit/test_decision_fields.py",
    "tests/unit/test_ledger_roundtrip.py",
    "tests/unit/test_calendar_boundaries.py",
    "tests/unit/test_evaluate.py",
    "tests/unit/test_money.py",
    "tests/unit/test_calendar.py",
    "tests/unit/test_ledger_grants.py",
    "tests/unit/test_unpublished_years.py",
    "tests/unit/test_pools.py",
    "tests/unit/test_claim_order.py",
    "tests/unit/test_exprs_limits.py",
    "tests/unit/test_names_periods.py",
    "tests/unit/test_statutory.py",
    "tests/unit/test_amount_patterns.py",
    "tests/unit/test_tier_tables.py",
    "tests/unit/test_cap_exceptions.py",
    "tests/unit/test_none.py",
    "tests/policies/test_cases.py",  # the worked cases, the patterns' among them
)
# The readers of what users bring (facts, ids, rates, dates, ledgers) and the checks of
# pooled caps and unused definitions: where real data goes wrong silently if they slip.
INPUT_TARGETS = (
    "convert*.py",
    "converters*.py",
    "facts.py",
    "reading*.py",
    "ledger_io.py",
    "ledger_check.py",
    "ledger_record.py",
    "ledger_span.py",
    "check_pools.py",
    "check_defines.py",
)
INPUT_TESTS = (  # fast ones first
    "tests/unit/test_mutants_input.py",
    "tests/unit/test_mutants_ledger_file.py",
    "tests/unit/test_facts.py",
    "tests/unit/test_ids_edge_space.py",
    "tests/unit/test_audit_ids_files.py",
    "tests/unit/test_audit_deep_values.py",
    "tests/unit/test_currencies.py",
    "tests/unit/test_ledger_files.py",
    "tests/unit/test_ledger_grants.py",
    "tests/unit/test_pool_warnings.py",
    "tests/unit/test_pools.py",
    "tests/unit/test_unused_defines.py",
    "tests/unit/test_reader_depth.py",
    "tests/unit/test_ledger_reading_doors.py",
    "tests/unit/test_values.py",
    "tests/unit/test_yaml_depth_place.py",
    "tests/unit/test_list_items_bound.py",
    "tests/unit/test_ledger_paid_twice.py",
    "tests/unit/test_intake.py",
    "tests/unit/test_date_readers.py",
    "tests/unit/test_ledger_grant_year.py",
    "tests/unit/test_ledger_year_span.py",
    "tests/unit/test_facts_ledger_readings.py",
    # the ledger's other readers and checks (not Spark, the store or the command line)
    "tests/unit/test_ledger_bases_handed.py",
    "tests/unit/test_ledger_bases_python.py",
    "tests/unit/test_ledger_exclusive.py",
    "tests/unit/test_ledger_file_bases.py",
    "tests/unit/test_ledger_file_bases_batch.py",
    "tests/unit/test_ledger_own_bases.py",
    "tests/unit/test_ledger_roundtrip.py",
)
# --area: the files mutated, those left out, and the tests run against each mutant.
AREAS = {
    "evaluator": (TARGETS, SKIPPED, TESTS),
    "input": (INPUT_TARGETS, (), INPUT_TESTS),
}
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")

_BINOPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Add,
    ast.FloorDiv: ast.Div,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
_CMPOPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SWAP_NAMES = {"min": "max", "max": "min", "any": "all", "all": "any"}
_SKIP_MARKS = ("pragma: no cover", "pragma: no mutate")


@dataclass(frozen=True)
class Mutant:
    """One change to one file: replace bytes [start, end) of ``file`` by ``text``."""

    key: str  # stable across edits elsewhere: file::function::before -> after[#n]
    file: str  # relative to src/policyrules
    line: int
    start: int
    end: int
    before: str
    after: str

    @property
    def where(self) -> str:
        return f"src/policyrules/{self.file}:{self.line}"


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | timeout | error
    seconds: float
    failed_test: str = ""


# ---- finding mutants -----------------------------------------------------------------------


def _annotation_nodes(tree: ast.AST) -> set[int]:
    """ids of nodes inside type annotations and f-strings, which are not mutated."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        roots: list[ast.AST | None] = []
        if isinstance(node, ast.arg):
            roots.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            roots.append(node)
        for root in roots:
            if root is not None:
                skip.update(id(n) for n in ast.walk(root))
    return skip


def _qualnames(tree: ast.AST) -> dict[int, str]:
    """The enclosing function or class of every node, as ``Class.method``."""
    out: dict[int, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{name}.{child.name}" if name else child.name
            out[id(child)] = inner
            visit(child, inner)

    visit(tree, "")
    return out


def _variants(node: ast.AST, parent: ast.AST | None) -> Iterator[ast.AST]:
    """The mutated copies of ``node`` (an expression), one change each."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        new = copy.deepcopy(node)
        new.op = _BINOPS[type(node.op)]()
        yield new
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _CMPOPS:
                new = copy.deepcopy(node)
                new.ops[i] = _CMPOPS[type(op)]()
                yield new
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        yield copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            yield ast.Constant(not node.value)
        elif isinstance(node.value, int) and not isinstance(parent, ast.UnaryOp):
            yield ast.Constant(node.value + 1)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in _SWAP_NAMES:
        yield ast.Name(_SWAP_NAMES[node.id], ast.Load())


def _offsets(source: bytes) -> list[int]:
    """Byte offset of the start of each line (1-based line numbers index it from 1)."""
    starts = [0, 0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


# The sources as read when the mutants were found: each mutant is applied to these bytes, so
# an edit to the working tree during a run changes nothing.
_SOURCES: dict[str, bytes] = {}


def find_mutants(file: Path) -> list[Mutant]:
    """Every mutant of one file, in source order."""
    source = file.read_bytes()
    _SOURCES[file.relative_to(PACKAGE).as_posix()] = source
    tree = ast.parse(source)
    lines = source.decode("utf-8").splitlines()
    skip = _annotation_nodes(tree)
    names = _qualnames(tree)
    starts = _offsets(source)
    rel = file.relative_to(PACKAGE).as_posix()
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    found: list[Mutant] = []
    seen: dict[str, int] = {}
    nodes = [n for n in ast.walk(tree) if hasattr(n, "lineno") and id(n) not in skip]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    for node in nodes:
        line = lines[node.lineno - 1]
        if any(mark in line for mark in _SKIP_MARKS):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Expr) and isinstance(node, ast.Constant):
            continue  # a docstring
        changes: list[tuple[ast.AST, ast.AST]] = [
            (node, v) for v in _variants(node, parent) if isinstance(node, ast.expr)
        ]
        value = node.value if isinstance(node, ast.Return) else None
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            changes.append((value, ast.Constant(None)))
        for target, new in changes:
            assert isinstance(target, ast.expr)
            start = starts[target.lineno] + target.col_offset
            assert target.end_lineno is not None
            assert target.end_col_offset is not None
            end = starts[target.end_lineno] + target.end_col_offset
            before = source[start:end].decode("utf-8")
            after = ast.unparse(new)
            base = f"{rel}::{names.get(id(node), '')}::{' '.join(before.split())} -> {after}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            found.append(Mutant(key, rel, target.lineno, start, end, before, after))
    return found


def apply(source: bytes, m: Mutant) -> bytes:
    return source[: m.start] + f"({m.after})".encode() + source[m.end :]


# ---- running -------------------------------------------------------------------------------


def _pytest(tests: list[str], per_test: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        f"--timeout={per_test}",
        "--rootdir",
        str(ROOT),
        *tests,
    ]


def _env(copy_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy_root / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("HYPOTHESIS_PROFILE", "mutants")  # tests/conftest.py: no shrinking
    return env


def _first_failure(out: str) -> str:
    for line in out.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0]
    return ""


def run_one(
    m: Mutant, copy_root: Path, tests: list[str], per_test: int, per_mutant: float
) -> Outcome:
    target = copy_root / "src" / "policyrules" / m.file
    original = _SOURCES[m.file]
    mutated = apply(original, m)
    try:
        compile(mutated, str(target), "exec")
    except SyntaxError:
        return Outcome(m, "error", 0.0, "the mutant does not compile")
    target.write_bytes(mutated)
    began = time.monotonic()
    try:
        proc = subprocess.run(
            _pytest(tests, per_test),
            cwd=ROOT,
            env=_env(copy_root),
            capture_output=True,
            text=True,
            timeout=per_mutant,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(m, "timeout", time.monotonic() - began)
    finally:
        target.write_bytes(original)
    seconds = time.monotonic() - began
    out = proc.stdout + proc.stderr
    if proc.returncode == 0:
        return Outcome(m, "survived", seconds)
    if "from pytest-timeout" in out:
        return Outcome(m, "timeout", seconds, _first_failure(out))
    return Outcome(m, "killed", seconds, _first_failure(out))


def make_copy(into: Path) -> Path:
    """A copy of the package (only src/policyrules) under ``into``; nothing else is copied."""
    dest = into / "src" / "policyrules"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for rel, source in _SOURCES.items():  # the targets as they were when enumerated
        (dest / rel).write_bytes(source)
    return into


def baseline(copy_root: Path, tests: list[str], per_test: int) -> float:
    """Run the subset on the unmutated copy: it must pass, and must import the copy."""
    probe = subprocess.run(
        [sys.executable, "-c", "import policyrules; print(policyrules.__file__)"],
        cwd=ROOT,
        env=_env(copy_root),
        capture_output=True,
        text=True,
        check=True,
    )
    imported = Path(probe.stdout.strip()).resolve()
    if not imported.is_relative_to(copy_root.resolve()):
        sys.exit(f"the tests would import {imported}, not the mutated copy: check PYTHONPATH")
    began = time.monotonic()
    proc = subprocess.run(
        _pytest(tests, per_test),
        cwd=ROOT,
        env=_env(copy_root),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit("the test subset fails without any mutation:\n" + proc.stdout[-3000:])
    return time.monotonic() - began


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def load_equivalent() -> dict[str, str]:
    """Keys of mutants known to be equivalent, with the reason (``key  # reason`` lines)."""
    out: dict[str, str] = {}
    if EQUIVALENT.exists():
        for raw in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                key, _, reason = raw.partition("  # ")
                out[key.strip()] = reason.strip()
    return out


def _write_json(path: Path, outcomes: list[Outcome]) -> None:
    data = [{**asdict(o), "mutant": asdict(o.mutant)} for o in outcomes]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--area",
        choices=sorted(AREAS),
        default="evaluator",
        help="the evaluator (default) or the input readers and their checks",
    )
    p.add_argument("--files", action="append", default=[], help="only targets whose path has this")
    p.add_argument("--match", help="only mutants whose key contains this text")
    p.add_argument("--sample", type=int, default=0, help="run a random sample of N mutants")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample")
    p.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    p.add_argument(
        "--tests",
        nargs="+",
        help="the test files to run against each mutant (default: the area's)",
    )
    p.add_argument("--timeout", type=int, default=20, help="seconds per test (pytest-timeout)")
    p.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    p.add_argument("--json", type=Path, help="write every outcome to this file")
    p.add_argument(
        "--rerun",
        type=Path,
        help="a --json file of an earlier run: run again only its survivors, keep the rest",
    )
    p.add_argument(
        "--resume",
        type=Path,
        help="a --json file of an interrupted run of the same selection: keep its outcomes, "
        "run only the mutants it lacks",
    )
    args = p.parse_args(argv)

    targets, skipped, tests = AREAS[args.area]
    if args.tests is None:
        args.tests = [t for t in tests if (ROOT / t.split("::")[0]).exists()]
    files = sorted({f for pattern in targets for f in PACKAGE.glob(pattern)})
    files = [
        f
        for f in files
        if f.name != "__init__.py" and f.relative_to(PACKAGE).as_posix() not in skipped
    ]
    if args.files:
        wanted = args.files
        files = [f for f in files if any(s in f.relative_to(PACKAGE).as_posix() for s in wanted)]
    mutants = [m for f in files for m in find_mutants(f)]
    if args.match:
        mutants = [m for m in mutants if args.match in m.key]
    total = len(mutants)
    kept: list[Outcome] = []
    if args.rerun:
        earlier = json.loads(args.rerun.read_text(encoding="utf-8"))
        by_key = {m.key: m for m in mutants}
        again = {o["mutant"]["key"] for o in earlier if o["status"] == "survived"}
        missing = sorted(k for k in again if k not in by_key)
        if missing:
            print(f"{len(missing)} earlier survivors no longer exist (the code moved):")
            print("\n".join(f"    {k}" for k in missing))
        kept = [
            Outcome(Mutant(**o["mutant"]), o["status"], o["seconds"], o["failed_test"])
            for o in earlier
            if o["status"] != "survived"
        ]
        mutants = [by_key[k] for k in sorted(again) if k in by_key]
    elif args.sample and args.sample < total:
        mutants = random.Random(args.seed).sample(mutants, args.sample)
        mutants.sort(key=lambda m: (m.file, m.start))
    if args.resume and args.resume.exists():
        earlier = json.loads(args.resume.read_text(encoding="utf-8"))
        have = {o.mutant.key: o for o in kept}
        have.update(
            (
                o["mutant"]["key"],
                Outcome(Mutant(**o["mutant"]), o["status"], o["seconds"], o["failed_test"]),
            )
            for o in earlier
        )
        kept = list(have.values())
        mutants = [m for m in mutants if m.key not in have]
    if args.list:
        for m in mutants:
            print(f"{m.where}: {_short(m.before)} -> {_short(m.after)}")
        print(f"{len(mutants)} of {total} mutants")
        return 0

    equivalent = load_equivalent()
    with tempfile.TemporaryDirectory(prefix="policyrules-mutants-") as tmp:
        copies: queue.Queue[Path] = queue.Queue()
        for i in range(max(1, args.jobs)):
            copies.put(make_copy(Path(tmp) / f"job{i}"))
        first = copies.get()
        base = baseline(first, args.tests, args.timeout)
        copies.put(first)
        per_mutant = max(60.0, 10 * base)
        print(
            f"{len(mutants)} of {total} mutants in {len(files)} files; "
            f"tests: {base:.1f} s unmutated, limit {per_mutant:.0f} s per mutant",
            flush=True,
        )

        def work(m: Mutant) -> Outcome:
            root = copies.get()
            try:
                return run_one(m, root, args.tests, args.timeout, per_mutant)
            finally:
                copies.put(root)

        outcomes: list[Outcome] = list(kept)
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for n, o in enumerate(pool.map(work, mutants), 1):
                outcomes.append(o)
                if args.json:  # after each mutant, so that an interrupted run can --resume
                    _write_json(args.json, outcomes)
                mark = {"killed": ".", "survived": "S", "timeout": "T", "error": "E"}[o.status]
                print(mark, end="\n" if n % 50 == 0 else "", flush=True)
                if o.status == "survived":  # at once, so that a long run can be worked on
                    print(f"\n    survived: {o.mutant.key}", flush=True)
        print()

    counts = {s: sum(o.status == s for o in outcomes) for s in ("killed", "timeout", "survived")}
    survivors = [o for o in outcomes if o.status == "survived"]
    known = [o for o in survivors if o.mutant.key in equivalent]
    real = [o for o in survivors if o.mutant.key not in equivalent]
    errors = sum(o.status == "error" for o in outcomes)
    ran = len(outcomes) - errors
    caught = counts["killed"] + counts["timeout"]
    print(
        f"ran {ran} mutants in {time.monotonic() - began:.0f} s: killed {counts['killed']}, "
        f"timeout {counts['timeout']}, survived {counts['survived']} "
        f"({len(known)} known equivalent); {errors} did not compile"
    )
    if ran:
        print(f"kill rate: {100 * caught / ran:.1f}% of all mutants")
    if ran - len(known):
        rate = 100 * caught / (ran - len(known))
        print(f"kill rate: {rate:.1f}% of non-equivalent mutants")
    for o in sorted(real, key=lambda o: (o.mutant.file, o.mutant.line)):
        print(f"SURVIVED {o.mutant.where}: {_short(o.mutant.before)} -> {_short(o.mutant.after)}")
        print(f"    key: {o.mutant.key}")
    for o in sorted(known, key=lambda o: (o.mutant.file, o.mutant.line)):
        reason = equivalent[o.mutant.key]
        m = o.mutant
        print(f"equivalent {m.where}: {_short(m.before)} -> {_short(m.after)}  ({reason})")
    if args.json:
        _write_json(args.json, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
