"""Benchmark: one-by-one evaluation of device measure 3, per claim, against a hand-written loop.

Run on demand (not a test): ``python benchmarks/bench_one_by_one.py`` (``--quick``: only
10^3 and 10^4 claims; ``--sizes 1000,10000``: others).  The claims come from
:mod:`one_by_one_data` (京经信发〔2025〕50号 第3条, about 20 claims per firm, plus one firm with
10^4 claims).  Every row is timed in the same run as the baseline, a Python loop over tuples
doing the same rule in integer fen, and printed as µs per claim and as a multiple of it:

* all claims in one call, with only measure 3 loaded and with the whole shipped policy:

  - ``no explanations``: ``policy.evaluate(facts, explain=False)`` alone.  Measure 3's
    claims are then served by its lean function (amounts and grants only; its rows are
    made when the decisions or grants are first read), other decisions kept as compact
    rows: no :class:`~policyrules.result.Decision` is made;
  - ``no explanations, awards read``: the same plus each grant's amount in fen
    (``result.grants``: the awards, as the hand loop returns them; a lean award's grants
    made from its own record, no row made);
  - ``no explanations, decisions made``: the same plus ``result.decisions``, which makes
    every :class:`~policyrules.result.Decision` (amounts as Money, caps as CapEvents; for
    measure 3, after one replay of its fused function making its rows);
  - ``explanations rendered``: ``policy.evaluate(facts)`` (explanations on), then the
    explanation text of every decision, the not eligible ones included,
    ``result.decision_texts()``: the frequent claims (paid, or refused by a condition)
    rendered from the evaluator's record without making their decisions;
  - ``explanations in Chinese``: ``policy.evaluate(facts)``, then the whole Chinese text
    a reader gets by default, ``result.explain()`` (each decision that applies in full, the
    others in a line each, the grants, the assumptions): the frequent claims said from the
    evaluator's record without making their decisions;
  - ``explanations rendered from the decisions``: the same texts, each decision made
    (``result.decisions``) and rendered by :func:`~policyrules.explain.decision_text` (a
    paid claim's trace is made only when read: this text reads none of it);
  - ``explanations rendered with the trace``: the same with ``verbose=True`` (``--trace``),
    which makes every decision's trace;

* ``no explanations``, ``explanations rendered`` and ``explanations in Chinese`` one firm
  per call (as a service answering firm by firm: each result let go once made);
* a 200-product run with an empty ledger and with 50,000 earlier grants.

Facts are read once before timing (reading is the intake's benchmark); each timed call
includes the ledger checks ``policy.evaluate`` makes.  Every run's amounts are checked
against the hand loop's, fen for fen.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import one_by_one_data as data  # the generator beside this file

import policyrules
from policyrules import Grant, Money
from policyrules.api import Policy
from policyrules.explain import decision_text
from policyrules.result import Result

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "policies" / "beijing_2025"


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best CPU time of ``repeat`` runs, in seconds, and the last run's value.  CPU
    time of this process, not wall time: the machine may be shared."""
    times, out = [], None
    for _ in range(repeat):
        start = time.process_time()
        out = fn()
        times.append(time.process_time() - start)
    return min(times), out


def amounts(result: Result) -> dict[tuple[str, int], int]:
    """(firm, product number) -> fen of each eligible measure 3 decision."""
    out = {}
    for d in result.decisions:
        if d.provision == data.MEASURE3 and d.status == "eligible":
            assert d.amount is not None
            assert d.subject is not None
            firm, product = d.subject.split("/")
            out[(firm, int(product[1:]))] = d.amount.fen
    return out


def _modes(policy: Policy, facts: Any) -> dict[str, Callable[[], Result]]:
    """What each row times (see the module's docstring)."""

    def bare() -> Result:
        return policy.evaluate(facts, explain=False)

    def awards() -> Result:
        result = policy.evaluate(facts, explain=False)
        [g.amount.fen for g in result.grants]
        return result

    def made() -> Result:
        result = policy.evaluate(facts, explain=False)
        result.decisions  # noqa: B018 - makes every Decision
        return result

    def rendered() -> Result:
        result = policy.evaluate(facts)
        result.decision_texts()
        return result

    def chinese() -> Result:
        result = policy.evaluate(facts)
        result.explain()
        return result

    def from_decisions() -> Result:
        result = policy.evaluate(facts)
        for d in result.decisions:
            decision_text(d)
        return result

    def traced() -> Result:
        result = policy.evaluate(facts)
        for d in result.decisions:
            decision_text(d, verbose=True)
        return result

    return {
        "no explanations": bare,
        "no explanations, awards read": awards,
        "no explanations, decisions made": made,
        "explanations rendered": rendered,
        "explanations in Chinese": chinese,
        "explanations rendered from the decisions": from_decisions,
        "explanations rendered with the trace": traced,
    }


def row(label: str, seconds: float, n: int, base: float) -> None:
    per = seconds / n * 1e6
    print(f"  {label:<50} {per:10.2f} µs/claim {per / base:9.1f}×", flush=True)


def size_rows(policies: dict[str, Policy], rows: list[data.Row], label: str, repeat: int) -> None:
    n = len(rows)
    hand_s, hand = best(lambda: data.hand_loop(rows), max(repeat, 3))
    base = hand_s / n * 1e6
    print(f"{label}: {n} claims, {len({r[0] for r in rows})} firm(s)", flush=True)
    row("hand-written loop over tuples", hand_s, n, base)
    raw = data.as_facts(rows)
    for name, policy in policies.items():
        facts = policy.read_facts(raw)
        for what, run in _modes(policy, facts).items():
            if what.endswith(("with the trace", "the decisions")) and name != "measure 3 only":
                continue  # the trace's cost is measure 3's to show
            s, result = best(run, repeat)
            assert amounts(result) == hand, f"{name}: amounts differ from the hand loop"
            row(f"{name}, {what}", s, n, base)
    # One firm per call: only where firms are small (the big firm is one call anyway).
    # The rows above leave nothing behind for the collector to walk while these run.
    result = None
    gc.collect()
    policy = policies["measure 3 only"]
    firms = [policy.read_facts(data.as_facts(rs)) for rs in data.by_firm(rows)]
    if len(firms) > 1:
        for what in ("no explanations", "explanations rendered", "explanations in Chinese"):
            calls = [_modes(policy, f)[what] for f in firms]  # the calls, made beforehand

            def per_firm(calls: list[Callable[[], Result]] = calls) -> None:
                # Each answer let go once made, as a service answering firm by firm does:
                # kept, 500 results would time CPython's collector walking them all.
                for call in calls:
                    call()

            s, _ = best(per_firm, repeat)
            row(f"per firm, measure 3 only, {what}", s, n, base)


def ledger_rows(policy: Policy, repeat: int) -> None:
    """200 products (10 firms) with no earlier grants, and with 50,000 of them (other
    firms' 2026 launch rewards: they count in no cap of these firms, yet are read and
    checked)."""
    rows = data.claims(200)
    facts = policy.read_facts(data.as_facts(rows))
    earlier = policy.read_ledger(
        [
            Grant(
                data.MEASURE3,
                (("firm", f"old-{i // 20}"), ("product", f"P{i % 20 + 1}")),
                Money(40 * 10_000 * 100),  # 20 × 40 万元: within the firm-year cap
                2026,
            )
            for i in range(50_000)
        ]
    )
    empty_s, _ = best(lambda: policy.evaluate(facts, explain=False), repeat)
    first_s, _ = best(lambda: policy.evaluate(facts, ledger=earlier, explain=False), 1)
    again_s, _ = best(lambda: policy.evaluate(facts, ledger=earlier, explain=False), repeat)
    print("200 products, measure 3 only, no explanations:", flush=True)
    print(f"  {'empty ledger':<46} {empty_s * 1e3:10.1f} ms", flush=True)
    for label, s in (
        ("50,000 earlier grants, first run (reads them)", first_s),
        ("50,000 earlier grants, the same Ledger again", again_s),
    ):
        print(f"  {label:<46} {s * 1e3:10.1f} ms {s / empty_s:9.1f}×", flush=True)


def _load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on this platform
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="10^3 and 10^4 claims only")
    parser.add_argument("--sizes", help="comma-separated claim counts (default 10^3..10^5)")
    args = parser.parse_args()
    sizes = [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        policies = {
            "measure 3 only": policyrules.load(data.measure3_only(SHIPPED, tmp)),
            "whole policy": policyrules.load(SHIPPED),
        }
    print(f"Python {sys.version.split()[0]}; CPU times, the best of the repeats; × is per claim")
    print("against the hand-written loop timed in the same run at the same size.")
    print(f"Load average at the start: {_load_average()}\n", flush=True)
    for n in sizes:
        size_rows(policies, data.claims(n), f"{n} claims", 3 if n <= 10_000 else 1)
    # best of 3 as the 10^4 claims of many firms are (it was timed once, cold, against the
    # hand loop's best of 3)
    size_rows(policies, data.claims(10_000, per_firm=10_000), "one big firm", 3)
    ledger_rows(policies["measure 3 only"], 3)
    print(f"\nLoad average at the end: {_load_average()}")


if __name__ == "__main__":
    main()
