"""Benchmark: evaluating many firms with a policy compiled once.

Run on demand: ``python benchmarks/bench_eval.py``.  Prints times per firm and the ratio
against a baseline measured in the same run: loading (parse + check + compile) the policy
afresh for every firm, which is what compiling once saves.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import policyrules

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"


def firms(n: int) -> dict[str, Any]:
    """``n`` synthetic firms, each with three products and two projects."""
    out = []
    for i in range(n):
        products = [
            {
                "id": f"P{j}",
                "approved_on": f"2026-0{j + 1}-1{j}",
                "launch_routes": ["national_priority_review"],
                "launch_reward_decided": f"{150 + 100 * j}万元",
            }
            for j in range(3)
        ]
        projects = [
            {
                "id": "J1",
                "kind": "common_platform",
                "applied_on": "2026-03-01",
                "engineering_investment": f"{1000 + i}万元",
            },
            {
                "id": "J2",
                "kind": "park",
                "applied_on": "2026-03-01",
                "total_investment": "8000万元",
                "support_decided": "4500万元",
            },
        ]
        out.append({"id": f"firm-{i}", "products": products, "projects": projects})
    return {"firms": out}


def timed(fn: Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    n = 200
    data = firms(n)
    policy = policyrules.load(POLICY)
    facts = policy.read_facts(data)
    one = policy.read_facts(firms(1))

    compiled = timed(lambda: policy.evaluate(facts))
    baseline = timed(lambda: [policyrules.load(POLICY).evaluate(one) for _ in range(20)]) / 20
    per_firm = compiled / n
    print(f"compiled once : {per_firm * 1e6:9.1f} µs per firm ({n} firms, best of 3)")
    print(f"load per firm : {baseline * 1e6:9.1f} µs per firm (baseline, same run)")
    print(f"ratio         : {baseline / per_firm:9.1f}× faster when compiled once")


if __name__ == "__main__":
    main()
