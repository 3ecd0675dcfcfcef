"""Benchmark: reading and checking a facts file of many firms, against bare YAML/JSON loading.

Run on demand: ``python benchmarks/bench_intake.py [--repeat R] [N ...]`` (default 2000
20000 firms, R = 3).  For each size it writes one YAML and one JSON facts file shaped like
``examples/*.yaml`` for the policy in ``policies/beijing_2025`` (each firm with three
products and two projects), then prints, from one run, the CPU time (``time.process_time``,
the least of R runs: the machine is shared) of ``Policy.load_facts`` against that of
``yaml.safe_load``, ``yaml.load(Loader=CSafeLoader)`` and ``json.loads`` of the same file
(each reading the file's text itself), and the ratio (target: at most 3x the fastest bare
load of the same format); and the load average before and after.  With ruamel.yaml
installed it also times ``YAML(typ="safe").load``, for comparison only.

Measured 2026-11-30 on a shared 2-core machine (load average 5-6, so +-50 %), one run:
2,000 firms: load_facts JSON 0.29 s vs json.load 0.05 s (5.3x; before: 0.29 s vs
0.02 s, 12x); YAML 1.69 s vs CSafeLoader 3.11 s.  20,000 firms: JSON 3.22 s vs 2.04 s
(1.6x; before: 9.12 s vs 0.94 s, 9.7x); YAML 18.5 s vs 39.2 s.  A 50 MB JSON file
(48,000 firms): 9.2 s, 560 MiB peak (before: 23 s).

Later the same day (load average 3-10), with the facts read a column at a time
(``policyrules.columns``) and JSON parsed without the duplicate-key hook, three runs at
2,000 firms: JSON 0.12 / 0.08 / 0.12 s vs json.load 0.03 / 0.04 / 0.03 s (4.0x, 2.2x,
3.5x; the code before, in the same runs: 8.8x, 7.5x, 7.5x); YAML 0.44-0.57x CSafeLoader.
20,000 firms, one run: JSON 2.22 s vs 0.44 s (5.1x; before 3.20 s vs 0.62 s, 5.2x), YAML
11.4 s vs 27.3 s; in a process of its own, three times: 1.15 / 1.30 / 1.17 s vs 0.58 /
0.45 / 0.44 s (2.0-2.9x).  Best of 15 in CPU time at 2,000 firms: 70-80 ms vs 23 ms.

2026-12-01, quiet machine (load average 0.1-1.0), one run each: records parsed from JSON
become their instances' values in place, depth checked from the shape read, no text
skeleton, paused_gc promoting from 10,000 objects.  2,000 firms: JSON 0.07 s vs 0.02 s
(3.16x; main in the next run: 0.09 s, 4.79x); 20,000 firms: 1.10 s vs 0.41 s (2.65x;
main: 0.92 s vs 0.23 s, 3.96x).  Instructions under valgrind, 2,000 firms: 478 M vs
176 M for read_text + json.loads (2.7x; main 557 M, 3.2x); 20,000 firms: 4,786 M vs
1,915 M (2.5x), with 1.5x the first-level cache misses.

2026-12-01 later, JSON decoded by msgspec (numbers as written: see policyrules.reading),
machine shared by 8 helpers (load average 7.4-9.5, so CPU times +-30 %), CPU time of
``policy.load_facts`` vs ``json.loads(read_text())`` in one process, fresh per size,
the code before (main) and after alternating, two rounds each: 2,000 firms 3.3-3.7x
(before 3.3-4.4x); 20,000 firms 2.2-2.7x (before 2.3-2.6x).  The decode alone, gc
paused: 0.15 s with msgspec against 0.23 s with ``json`` and its number hooks (20,000
firms); the rest of load_facts (about three quarters) is the column reader.

``--list N``: one firm whose list fact holds N numbers, instead.  2026-12-01 17:00, load
average 6-7 (bound9 branch), a list of 1,000,000 money amounts: load_facts JSON 0.61 s vs
json.loads 0.19 s (3.2x; before: 2.67 s, 14x, 311 vs 60 MiB peak RSS, now 194 MiB); YAML
10.5 s vs CSafeLoader 13.2 s.

2026-12-01 06:45-07:11, the intake branch (load average 12-23): JSON 2.5-2.6x at 2,000
firms (main 3.8-4.1x), 2.7-3.1x at 20,000 (main 3.8-4.0x); YAML 0.5x.  Details in
benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import policyrules

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"


def firms(n: int) -> dict[str, Any]:
    """``n`` synthetic firms, each with a few facts, three products and two projects."""
    out = []
    for i in range(n):
        products = [
            {
                "id": f"0{700 + j}",
                "approved_on": f"2026-0{j + 1}-1{j}",
                "launch_routes": ["national_priority_review"],
                "launch_reward_decided": f"{150 + 100 * j}万元",
                "overseas_authority": "FDA",
                "overseas_sales": True,
                "registration_cost": 1_200_000 + j,
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
        out.append(
            {
                "id": f"firm-{i}",
                "name": f"企业{i}",
                "new_approval_years": [2024, 2025],
                "rd_investment_year": 2025,
                "prior_year_rd_investment": f"{3000 + i}万元",
                "products": products,
                "projects": projects,
            }
        )
    return {"firms": out}


REPEAT = 3


def timed(fn: Callable[[], object]) -> float:
    """The least CPU time of ``REPEAT`` calls of ``fn`` (what it returns freed each time)."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _yaml_text(data: Any) -> str:
    # Products' ids as plain scalars (0700 unquoted, as exports write them).
    text = yaml.dump(data, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper)
    return text.replace("id: '0", "id: 0").replace("'", "")


def run(n: int, policy: policyrules.Policy, folder: Path) -> None:
    data = firms(n)
    yml = folder / f"facts-{n}.yaml"
    yml.write_text(_yaml_text(data), "utf-8")
    jsn = folder / f"facts-{n}.json"
    jsn.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    size = yml.stat().st_size / 2**20, jsn.stat().st_size / 2**20
    print(f"\n{n:,} firms: YAML {size[0]:.1f} MiB, JSON {size[1]:.1f} MiB")

    def read(p: Path) -> str:
        return p.read_text("utf-8")

    rows: list[tuple[str, float]] = [
        ("yaml.safe_load (pure Python)", timed(lambda: yaml.safe_load(read(yml)))),
        ("yaml.load CSafeLoader", timed(lambda: yaml.load(read(yml), Loader=yaml.CSafeLoader))),
    ]
    try:
        from ruamel.yaml import YAML  # type: ignore[import-not-found]

        rows.append(("ruamel.yaml safe", timed(lambda: YAML(typ="safe").load(read(yml)))))
    except ImportError:
        pass
    ours_yaml = timed(lambda: policy.load_facts(yml))
    rows.append(("policy.load_facts (YAML)", ours_yaml))
    bare_json = timed(lambda: json.loads(read(jsn)))
    rows.append(("json.loads", bare_json))
    ours_json = timed(lambda: policy.load_facts(jsn))
    rows.append(("policy.load_facts (JSON)", ours_json))
    for name, seconds in rows:
        print(f"  {name:32} {seconds:8.3f} s")
    c_yaml = rows[1][1]
    print(f"  ratio load_facts / CSafeLoader: {ours_yaml / c_yaml:.2f}x")
    print(f"  ratio load_facts / json.loads:  {ours_json / bare_json:.2f}x")


def run_list(n: int, policy: policyrules.Policy, folder: Path) -> None:
    """One firm whose ``new_approval_years`` (a set of numbers) holds ``n`` numbers: the
    cost of one long list (policyrules.converters_lists), against the bare loads."""
    data = {"firms": [{"id": "f", "name": "企业", "new_approval_years": list(range(n))}]}
    jsn = folder / f"list-{n}.json"
    jsn.write_text(json.dumps(data), "utf-8")
    yml = folder / f"list-{n}.yaml"
    yml.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True), "utf-8")
    limits = policyrules.reading.Limits(max_items=max(n, 1))
    bare_json = timed(lambda: json.loads(jsn.read_text("utf-8")))
    ours_json = timed(lambda: policy.load_facts(jsn, limits))
    c_yaml = timed(lambda: yaml.load(yml.read_text("utf-8"), Loader=yaml.CSafeLoader))
    ours_yaml = timed(lambda: policy.load_facts(yml, limits))
    print(f"\none list of {n:,} numbers: JSON {ours_json:.3f} s vs json.loads {bare_json:.3f} s")
    print(f"  ({ours_json / bare_json:.2f}x); YAML {ours_yaml:.3f} s vs CSafeLoader {c_yaml:.3f} s")


def main(argv: list[str]) -> None:
    global REPEAT
    if argv[:1] == ["--repeat"]:
        REPEAT, argv = int(argv[1]), argv[2:]
    if argv[:1] == ["--list"]:  # one facts file of one list of N numbers
        policy = policyrules.load(POLICY)
        print(f"CPU time, least of {REPEAT}; load average {os.getloadavg()[0]:.1f}")
        with tempfile.TemporaryDirectory() as tmp:
            run_list(int(argv[1]), policy, Path(tmp))
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    sizes = [int(a) for a in argv] or [2000, 20000]
    policy = policyrules.load(POLICY)
    print(f"PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}")
    print(f"CPU time, least of {REPEAT}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            run(n, policy, Path(tmp))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
