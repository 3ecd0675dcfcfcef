"""Checking a policy of many awards that pay for the same thing (warning W290).

A generated policy: one document, N awards each in a clause of its own, every one paying for
each firm a share of its rent, the i-th with the i % K-th of K eligibility conditions on an
enum fact (``--kinds K``; 1: none).  Every pair of awards whose conditions can both hold pays
for the same thing with nothing said between them, so each award says one W290 naming the
earlier ones.  Prints the CPU time (``time.process_time``, the least of R runs: the machine
is shared) of parsing and of checking, the number of W290 warnings and the load average.
Usage, from the repository root (``PYTHONPATH=src`` to time another checkout's code)::

    .venv/bin/python benchmarks/bench_overlaps.py [--repeat R] [--kinds K] [N ...]

Measured on 2 cores shared with other jobs (load average 7-8.6), 1,700 awards, least of 3,
the code before (60ee678, every earlier award of a base compared with each later one) and
after (earlier awards kept by kind, counted): check 5.73 s → 0.43 s with one kind, 6.11 s →
0.64 s with six; 1,699 W290 both, the same warnings (their text compared).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import policyrules
from policyrules.check import check_all

T = TypeVar("T")

HEAD = """document d "生成的政策"
  issued 2026-01-01

entity firm "企业"
  list firms
  fact rent: money "房租"
  fact kind: Kind "类别"

enum Kind "类别" { a "甲", b "乙", c "丙" }
"""
# Conditions on the enum fact: a and b never hold together, each may meet `kind in {a, b}`.
GUARDS = ("", "kind = a", "kind = b", "kind in {a, b}", "kind = c", "kind in {b, c}")


def policy_text(awards: int, kinds: int = 1) -> str:
    """A policy of ``awards`` awards paying 10% of the firm's rent, under ``kinds`` (1-6)
    conditions in turn."""
    out = [HEAD]
    for i in range(1, awards + 1):
        when = GUARDS[(i - 1) % kinds]
        out.append(
            f'\nclause {i} "第{i}条"\n  quote "给予房租补贴"\n  award a{i} "补贴{i}"\n'
            f"    for each firm\n"
            + (f"    eligible when {when}\n" if when else "")
            + "    amount 10% of rent\n"
        )
    return "".join(out)


def _least(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The least CPU seconds of ``repeat`` runs, and the last run's result."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        got = run()
        best = min(best, time.process_time() - started)
    return best, got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1700])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", type=int, default=1, choices=range(1, len(GUARDS) + 1))
    args = parser.parse_args()
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for n in args.sizes:
        text = policy_text(n, args.kinds)
        parse_s, module = _least(args.repeat, partial(policyrules.parse, text, "gen.rule"))
        checking = partial(check_all, [module], texts={"gen.rule": text}, sources={})
        check_s, (_, found) = _least(args.repeat, checking)
        warned = sum(1 for d in found if d.code == "W290")
        print(
            f"{n} awards, {args.kinds} kinds: parse {parse_s:.2f} s, "
            f"check {check_s:.2f} s, {warned} W290"
        )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
