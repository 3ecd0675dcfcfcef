"""The batch refuses every construct it cannot compile yet in one error, each by name (issue
11: "whatever the batch engine cannot compile yet is listed in its refusal message")."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.backends.sql import BatchCompileError, compile_batch

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"


def test_the_patterns_policy_lists_every_refused_award() -> None:
    policy = policyrules.load(PATTERNS)
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    found = {(d.code, d.message.split(":")[0]) for d in err.value.diagnostics}
    # the four awards paid over time of years.rule in a shape not compiled (E617: yearly,
    # windows, caps per year of payment), research_support's instalments compiled ...
    assert not any(pid == "patterns_years/1/research_support" for _, pid in found)
    for n, award in enumerate(
        [
            "park_rent_subsidy",
            "loan_interest_subsidy",
            "insurance_compensation",
            "digital_service_subsidy",
        ],
        start=2,
    ):
        assert ("E617", f"patterns_years/{n}/{award}") in found
    # ... and nothing else: the exclusive groups (among each award's own project) and the
    # award of the clause 2025 supersedes (as of the batch's as_of) are compiled
    assert ("E618", "patterns_excl_2023/2/smart_retrofit") not in found
    assert {code for code, _ in found} == {"E617"}
