"""A ledger's first use: read_ledger, the first evaluate on it, the same Ledger again.

200 products of 10 firms (:func:`one_by_one_data.claims`), and N earlier grants of measure 3
(40 万元 each, year 2026): of other firms (``--case other``: they count in no cap of the
evaluated firms) or of the evaluated firms' own products and more (``--case own``: firms
firm-0.. as the claims name them, in their caps).  Best of ``--repeat`` runs, each on a new
Ledger value (so each first use is a first use).  Times are the process's CPU time
(``time.process_time``): on a shared machine the wall clock also counts the waits::

    PYTHONPATH=src python benchmarks/bench_ledger_first.py --sizes 50000 --policy whole
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import one_by_one_data as data

import policyrules
from policyrules import Grant, Money

__all__ = ["grants", "main"]


def grants(n: int, case: str) -> list[Grant]:
    """``n`` grants of measure 3, 40 万元 each in 2026: of firms ``old-…`` (``other``) or
    of ``firm-…`` (``own``: the first ten are the evaluated firms; products P21.. so no
    evaluated product was paid before)."""
    firm = "old" if case == "other" else "firm"
    first = 1 if case == "other" else 21
    return [
        Grant(
            data.MEASURE3,
            (("firm", f"{firm}-{i // 20}"), ("product", f"P{i % 20 + first}")),
            Money(40 * 10_000 * 100),
            2026,
        )
        for i in range(n)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50000")
    ap.add_argument("--policy", choices=("measure3", "whole"), default="measure3")
    ap.add_argument("--case", choices=("other", "own"), default="other")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = Path("policies/beijing_2025")
    if args.policy == "whole":
        policy = policyrules.load(root)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            policy = policyrules.load(data.measure3_only(root, tmp))
    facts = policy.read_facts(data.as_facts(data.claims(200)))
    policy.evaluate(facts, explain=False)
    for n in (int(s) for s in args.sizes.split(",")):
        gl = grants(n, args.case)
        best = [float("inf")] * 3
        for _ in range(args.repeat):
            t0 = time.process_time()
            earlier = policy.read_ledger(gl)
            t1 = time.process_time()
            policy.evaluate(facts, ledger=earlier, explain=False)
            t2 = time.process_time()
            policy.evaluate(facts, ledger=earlier, explain=False)
            t3 = time.process_time()
            best = [min(b, t) for b, t in zip(best, (t1 - t0, t2 - t1, t3 - t2), strict=True)]
            del earlier
        print(
            f"{args.policy:>8} {args.case:>5} {n:>8} grants: read_ledger {best[0] * 1e3:8.1f} ms"
            f"  first evaluate {best[1] * 1e3:8.1f} ms  again {best[2] * 1e3:7.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
