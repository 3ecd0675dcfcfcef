"""A result, and everything read of it, holds no reference cycle: let go, it is freed at
once by reference counting.

The evaluator runs and reads its results with the cyclic collector paused and moves what
they made to the oldest generation (:class:`policyrules.bounds.paused_gc`); a cycle among
them would then wait for a full collection, and a service answering firm after firm would
keep every result it answered until one came.  (A result and its grants once held each
other: ``Grants`` kept the result's bound method to find its readings.)
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import PolicyRulesError
from policyrules.api import Policy
from policyrules.reference import load_cases

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


# The ways a caller reads a result, alone (what one sets going may be what another lets go
# of: the grants drop what finds their readings once it has) and all together.
_READS: tuple[Callable[[Any], object], ...] = (
    lambda r: r,
    lambda r: r.grants,
    lambda r: r.decisions,
    lambda r: r.explain(),
    lambda r: r.explain(lang="en"),
    lambda r: r.decision_texts(),
    lambda r: r.to_json(),
    lambda r: r.ledger(),
    lambda r: (r.to_json(all_earlier=True), r.explain(verbose=True), r.grants.bases),
)


def _garbage(run: Callable[[], None]) -> Counter[str]:
    """The objects only the cyclic collector frees, of what ``run`` made and let go."""
    gc.collect()
    was = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        gc.collect()
        found = Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.garbage.clear()
        gc.set_debug(was)
    return found


def _facts() -> Iterator[tuple[str, Any]]:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield path.name, path
    for case in load_cases(SHIPPED / "cases"):
        yield f"{case.file}: {case.name}", case.facts


def _evaluations(policy: Policy) -> list[tuple[str, Callable[[], None]]]:
    """Each example and worked case, with and without explanations: evaluated, read in
    each way, let go."""
    out = []
    for name, given in _facts():
        try:
            facts = policy.load_facts(given) if isinstance(given, Path) else None
            facts = facts or policy.read_facts(given)
        except PolicyRulesError:
            continue  # (a case of bad input)
        for explain in (True, False):
            for n, read in enumerate(_READS):

                def run(facts: Any = facts, explain: bool = explain, read: Any = read) -> None:
                    try:
                        result = policy.evaluate(facts, explain=explain)
                    except PolicyRulesError:
                        return  # (a case whose ledger is refused)
                    read(result)

                out.append((f"{name} (explain={explain}, read {n})", run))
    return out


def test_results_let_go_hold_no_cycle(shipped: Policy) -> None:
    runs = _evaluations(shipped)
    assert len(runs) > 100

    def every() -> None:
        for _, run in runs:
            run()

    if _garbage(every):  # (one collection for all: each walks the whole process)
        found = {}
        for name, run in runs:  # the first few that leave cycles, named
            got = _garbage(run)
            if got:
                found[name] = got
            if len(found) == 3:
                break
        raise AssertionError(f"cycles left by {found}")


def test_grants_outlive_their_result(shipped: Policy) -> None:
    # The grants, kept after their result is let go, still find the readings they were
    # counted by (from the decisions, made again), and are then freed at once too.
    facts = shipped.load_facts(ROOT / "examples" / "firm-a.yaml")
    kept = shipped.evaluate(facts).grants
    assert kept
    again = shipped.evaluate(facts)
    assert kept.bases == again.grants.bases
    assert kept.bases  # (firm-a's launch rewards read annual_cap_year and more)
    # Read before the decisions are made, then the decisions made, then the result let go:
    # the grants make them again.
    result = shipped.evaluate(facts)
    read = result.grants
    assert result.decisions
    del result
    assert read.bases == kept.bases
    assert _garbage(lambda: shipped.evaluate(facts, explain=False).grants.bases) == Counter()
