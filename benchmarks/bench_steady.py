"""Benchmark: the one-by-one paths' ratios to the hand loop, steadily (many processes, medians).

Run on demand (not a test): ``python benchmarks/bench_steady.py [--claims 10000]
[--processes 7] [--rounds 5] [MODE ...]``.

Why another benchmark: :mod:`bench_one_by_one` times each row as the best of three runs, the
hand loop's three apart from a path's, once per process.  On this machine a row of it moved
±15 % from one run to the next at 10^4 claims, whatever the commit: too much to see a change
of a few per cent.  Most of that spread is the process, not the code: the hash seed (the
order of sets and dicts of strings, and so the buckets probed), where the allocator put the
objects, the load of the moment.  So this benchmark

* runs each mode in ``--processes`` fresh child processes, each with a hash seed of its own
  (``PYTHONHASHSEED`` 1, 2, …: the same seeds on every commit, so two commits are compared
  on the same draws);
* in each child, times the hand loop and the mode **in alternation**, ``--rounds`` times,
  and takes the ratio of each adjacent pair (a burst of load falls on both sides of a pair
  more often than on one), then the median of the child's ratios;
* prints, per mode, each child's median ratio, then the median over the children and the
  range (lowest, highest) and the spread of the middle half (quartiles), in × the hand loop.

CPU time of the child (``time.process_time``), not wall time.  Device measure 3 only
(京经信发〔2025〕50号 第3条), the claims of :mod:`one_by_one_data`; the amounts of every run
checked against the hand loop's, fen for fen.  Modes (as :mod:`bench_one_by_one`'s rows):

* ``awards``: ``evaluate(facts, explain=False)``, then each grant's amount in fen;
* ``texts``: ``evaluate(facts)``, then ``result.decision_texts()`` (English);
* ``explain_zh``: ``evaluate(facts)``, then ``result.explain()`` (the whole Chinese text);
* ``firm_texts``, ``firm_zh``: the same two, one firm a call (about 20 claims a call).

To compare two commits, run it on each (``PYTHONPATH=/path/to/other/src``) at the same
arguments, one after the other on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import one_by_one_data as data  # the generator beside this file

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "policies" / "beijing_2025"
MODES = ("awards", "texts", "explain_zh", "firm_texts", "firm_zh")


def _amounts(result: Any) -> dict[tuple[str, int], int]:
    """(firm, product number) -> fen of every measure 3 grant."""
    out = {}
    for g in result.grants:
        if g.provision == data.MEASURE3:
            subject = dict(g.path)
            out[(subject["firm"], int(subject["product"][1:]))] = g.amount.fen
    return out


def _runner(mode: str, claims: int) -> tuple[Callable[[], Any], Callable[[], bool]]:
    """The timed call of ``mode`` and a check that its last results pay as the hand loop."""
    import policyrules

    with tempfile.TemporaryDirectory() as tmp:
        policy = policyrules.load(data.measure3_only(SHIPPED, tmp))
    rows = data.claims(claims)
    hand = {k: fen for k, fen in data.hand_loop(rows).items() if fen}  # grants: paid ones
    if mode.startswith("firm_"):
        firms = [policy.read_facts(data.as_facts(rs)) for rs in data.by_firm(rows)]
        chinese = mode == "firm_zh"

        def run() -> Any:
            # Each answer let go once made, as a service answering firm by firm does.
            for facts in firms:
                result = policy.evaluate(facts)
                result.explain() if chinese else result.decision_texts()

        def check() -> bool:
            merged: dict[tuple[str, int], int] = {}
            for facts in firms:
                merged.update(_amounts(policy.evaluate(facts)))
            return merged == hand

        return run, check
    facts = policy.read_facts(data.as_facts(rows))

    def run_one() -> Any:
        if mode == "awards":
            result = policy.evaluate(facts, explain=False)
            [g.amount.fen for g in result.grants]
        else:
            result = policy.evaluate(facts)
            result.explain() if mode == "explain_zh" else result.decision_texts()
        return result

    return run_one, lambda: _amounts(run_one()) == hand


def child(mode: str, claims: int, rounds: int) -> None:
    """Time ``mode`` against the hand loop, in alternation; print the ratios as JSON."""
    run, check = _runner(mode, claims)
    rows = data.claims(claims)
    run()  # warm: the compiled policy's caches, the parser's, the allocator's arenas
    data.hand_loop(rows)
    ratios, hand_us, path_us = [], [], []
    for _ in range(rounds):
        start = time.process_time()
        data.hand_loop(rows)
        hand_s = time.process_time() - start
        start = time.process_time()
        run()
        path_s = time.process_time() - start
        ratios.append(path_s / hand_s)
        hand_us.append(hand_s / claims * 1e6)
        path_us.append(path_s / claims * 1e6)
    if not check():
        raise SystemExit(f"{mode}: the amounts differ from the hand loop's")
    print(
        json.dumps(
            {
                "ratio": statistics.median(ratios),
                "hand_us": statistics.median(hand_us),
                "path_us": statistics.median(path_us),
            }
        )
    )


def _quartiles(xs: list[float]) -> tuple[float, float]:
    if len(xs) < 4:
        return min(xs), max(xs)
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("modes", nargs="*", metavar="MODE", help=f"of {', '.join(MODES)} (all)")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=7, help="children a mode (seeds 1..P)")
    parser.add_argument("--rounds", type=int, default=5, help="hand/path pairs a child")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.claims, args.rounds)
        return
    unknown = [m for m in args.modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode {', '.join(unknown)}; modes: {', '.join(MODES)}")
    args.modes = args.modes or list(MODES)
    print(
        f"Python {sys.version.split()[0]}; {args.claims} claims; {args.processes} processes a "
        f"mode, {args.rounds} alternating rounds each; load {os.getloadavg()[0]:.2f}"
    )
    print(f"{'mode':<11} {'median':>7} {'low':>6} {'high':>6} {'q1-q3':>11} {'µs/claim':>9}  each")
    for mode in args.modes:
        results = []
        for seed in range(1, args.processes + 1):
            env = {**os.environ, "PYTHONHASHSEED": str(seed)}
            argv = ["--child", mode, "--claims", str(args.claims), "--rounds", str(args.rounds)]
            out = subprocess.run(
                [sys.executable, __file__, *argv],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        ratios = [r["ratio"] for r in results]
        q1, q3 = _quartiles(ratios)
        each = " ".join(f"{x:.2f}" for x in ratios)
        path_us = statistics.median(r["path_us"] for r in results)
        print(
            f"{mode:<11} {statistics.median(ratios):6.2f}× {min(ratios):5.2f}× {max(ratios):5.2f}×"
            f" {q1:5.2f}-{q3:4.2f}× {path_us:9.2f}  {each}",
            flush=True,
        )
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
