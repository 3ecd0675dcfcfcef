"""Run the worked cases of every policy under policies/ (POLICY/cases/*.yaml) through the
case runner (:mod:`policyrules.cases_run`), the one ``policyrules test`` and the docs use.

Every expected amount in those files was worked out by hand from the clause text; the
arithmetic is in a YAML comment beside it.  A case lists only the decisions it asserts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cases import WorkedCase, case_files, load_case_file
from policyrules.cases_run import failure_text, run_case

POLICIES = Path(__file__).resolve().parents[2] / "policies"
POLICY_DIR = POLICIES / "beijing_2025"
CASES_DIR = POLICY_DIR / "cases"
WITH_CASES = sorted(p.parent for p in POLICIES.glob("*/cases") if p.is_dir())
_LOADED: dict[Path, policyrules.Policy] = {}


def _policy(directory: Path) -> policyrules.Policy:
    if directory not in _LOADED:
        _LOADED[directory] = policyrules.load(directory)
    return _LOADED[directory]


def _collect() -> list[Any]:
    params = []
    for directory in WITH_CASES:
        checked = _policy(directory).checked
        for path in case_files([directory / "cases"]):
            for case in load_case_file(path, checked).cases:
                params.append(
                    pytest.param(directory, case, id=f"{directory.name}/{path.name}::{case.name}")
                )
    return params


CASES = _collect()


def test_there_are_cases_for_every_encoded_clause() -> None:
    files = {p.name for p in CASES_DIR.glob("*.yaml")}
    for label in ("02", "03", "07", "08", "13"):
        assert f"clause-{label}.yaml" in files
    assert POLICY_DIR in WITH_CASES


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return _policy(POLICY_DIR)


@pytest.mark.parametrize(("directory", "case"), CASES)
def test_case(directory: Path, case: WorkedCase) -> None:
    result = run_case(_policy(directory), case)
    assert result.rows or result.error is not None
    assert result.passed, failure_text(result)


EXAMPLES = sorted((POLICY_DIR.parents[1] / "examples").glob("firm-*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_evaluates_with_an_exact_award_and_a_binding_cap(
    policy: policyrules.Policy, path: Path
) -> None:
    result = policy.evaluate(policy.load_facts(path))
    exact = [d for d in result.decisions if d.kind == "award" and d.amount_kind == "exact"]
    assert exact, f"{path.name}: no exact award"
    assert any(c.binding for d in result.decisions for c in d.caps), f"{path.name}: no cap binds"


def test_both_examples_exist() -> None:
    assert [p.name for p in EXAMPLES] == ["firm-a.yaml", "firm-b.yaml", "firm-c.yaml"]
