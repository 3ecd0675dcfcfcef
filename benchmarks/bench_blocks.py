"""Benchmark: memory blocks a claim that an evaluation's record and its texts hold.

Run on demand (not a test): ``python benchmarks/bench_blocks.py [--claims 2000] [MODE ...]``.
Counts Python's allocated blocks (``sys.getallocatedblocks()``: every object and buffer
the interpreter's allocator holds) before an evaluation and after it, the result (and what
the mode reads of it) still held, with the cyclic collector off: the blocks a claim the
record keeps (``record``) and those it and the texts read keep (``read``).  Like the
instructions of ``bench_instructions.py`` they do not move with the machine's load
(the same to the block from run to run, with ``PYTHONHASHSEED`` fixed); fewer blocks a
claim means less memory made, touched and freed.  Device measure 3 only (京经信发〔2025〕50号
第3条), the claims of :mod:`one_by_one_data`, each mode warmed twice first.  Modes as
``bench_instructions.py``'s of the same names: ``awards`` (no explanations, the grants'
amounts), ``texts``, ``explain_zh``, ``firm_texts``, ``firm_zh`` (one firm a call: the
records and texts of every firm held together).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import one_by_one_data as data  # the generator beside this file

import policyrules

ROOT = Path(__file__).resolve().parent.parent
MODES = ("hand", "awards", "texts", "explain_zh", "firm_texts", "firm_zh")


def _steps(
    mode: str, policy: Any, rows: list[Any]
) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """``mode``'s evaluation (giving what it keeps) and its reading of that."""
    facts = policy.read_facts(data.as_facts(rows))
    firms = [policy.read_facts(data.as_facts(r)) for r in data.by_firm(rows)]
    if mode == "hand":
        return lambda: data.hand_loop(rows), lambda got: None
    if mode == "awards":
        return (
            lambda: policy.evaluate(facts, explain=False),
            lambda got: [g.amount.fen for g in got.grants],
        )
    if mode == "texts":
        return lambda: policy.evaluate(facts), lambda got: got.decision_texts()
    if mode == "explain_zh":
        return lambda: policy.evaluate(facts), lambda got: got.explain()
    read = "decision_texts" if mode == "firm_texts" else "explain"
    return (
        lambda: [policy.evaluate(f) for f in firms],
        lambda got: [getattr(r, read)() for r in got],
    )


def _blocks(mode: str, claims: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        policy = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp))
    rows = data.claims(claims)
    evaluate, read = _steps(mode, policy, rows)
    for _ in range(2):  # warm: the policy's memos made, the parser's caches filled
        read(evaluate())
    gc.collect()
    gc.disable()
    start = sys.getallocatedblocks()
    got = evaluate()
    record = sys.getallocatedblocks() - start
    said = read(got)
    total = sys.getallocatedblocks() - start
    del got, said
    gc.enable()
    return record / claims, total / claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("modes", nargs="*", default=list(MODES))
    args = parser.parse_args()
    bad = [m for m in args.modes if m not in MODES]
    if bad:
        parser.error(f"unknown mode(s) {', '.join(bad)}; choose from {', '.join(MODES)}")
    print(f"blocks a claim held, {args.claims} claims of measure 3")
    for mode in args.modes:
        record, total = _blocks(mode, args.claims)
        print(f"  {mode:<10} record {record:7.1f}   read {total:7.1f}", flush=True)


if __name__ == "__main__":
    main()
