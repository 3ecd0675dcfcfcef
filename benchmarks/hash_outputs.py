"""Hashes of everything an evaluation of :mod:`one_by_one_data`'s claims says, to compare
two builds' outputs byte for byte (not a test): ``python benchmarks/hash_outputs.py >
new.txt``, then the same with ``PYTHONPATH=<other checkout>/src`` and ``diff`` the two.

For device measure 3 alone and the whole shipped policy, at 40 and 2,000 claims (20 a firm)
and for one firm of 10,000 claims (``--big``), each line is a SHA-256 of one reading of a
fresh result (the evaluator keeps different records, and says the texts from different
places, depending on what was read first): every decision's fields (its ``repr``, trace
included), every grant, ``decision_texts()``, ``explain()`` in Chinese and English,
verbose and not, and ``to_json()``; and the same readings in other orders.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import one_by_one_data as data  # the generator beside this file

import policyrules
from policyrules.result import Result

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "policies" / "beijing_2025"


def _digest(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _decisions(r: Result) -> str:
    return "\n".join(repr(d) for d in r.decisions)


def _grants(r: Result) -> str:
    return repr(tuple(r.grants)) + repr(sorted(r.grants.bases))


# Each sequence of readings runs on a fresh result; each reading's text is hashed.
READINGS: dict[str, Callable[[Result], Any]] = {
    "texts": lambda r: "\n\x00".join(r.decision_texts()),
    "zh": lambda r: r.explain(),
    "en": lambda r: r.explain(lang="en"),
    "json": lambda r: r.to_json(),
    "json_all": lambda r: r.to_json(all_earlier=True),
    "decisions": _decisions,
    "grants": _grants,
    "zh_verbose": lambda r: r.explain(verbose=True),
    "en_verbose": lambda r: r.explain(lang="en", verbose=True),
}
ORDERS = (
    ("texts", "zh", "en", "json", "grants", "decisions"),
    ("zh", "texts", "json", "en"),
    ("en", "zh"),
    ("json", "zh", "texts"),
    ("grants", "texts", "zh"),
    ("decisions", "texts", "zh", "en", "json", "zh_verbose", "en_verbose", "json_all"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--big", type=int, default=10_000, help="the one firm's claims")
    parser.add_argument("--sizes", default="40,2000", help="claims, 20 a firm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        policies = {
            "measure3": policyrules.load(data.measure3_only(SHIPPED, tmp)),
            "whole": policyrules.load(SHIPPED),
        }
    sets = [(f"{n}", data.claims(n)) for n in map(int, args.sizes.split(","))]
    sets.append((f"big{args.big}", data.claims(args.big, per_firm=args.big)))
    for label, rows in sets:
        raw = data.as_facts(rows)
        for name, policy in policies.items():
            facts = policy.read_facts(raw)
            for order in ORDERS:
                result = policy.evaluate(facts)
                for what in order:
                    said = _digest(READINGS[what](result))
                    print(f"{name} {label} {'>'.join(order)} {what} {said}", flush=True)
            bare = policy.evaluate(facts, explain=False)
            print(f"{name} {label} bare grants {_digest(_grants(bare))}", flush=True)
            print(f"{name} {label} bare decisions {_digest(_decisions(bare))}", flush=True)


if __name__ == "__main__":
    main()
