"""Awards without explanations are the same awards: ``evaluate(..., explain=False)``.

Over random facts for the shipped policy (every entity, each fact given or missing at
random), random earlier grants of measure 3 and the open rate set or not, the decisions
computed without explanations equal those computed with them once the explanation fields
(trace, reasons, facts read, parameter values) are set aside: status, amount, exact / up
to / unknown, missing facts and parameters, caps, assumptions, deadlines, and the grants.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant
from policyrules.api import Policy
from policyrules.result import Decision
from strategies import agreeing, policy_facts, shipped_launch_grants, within_caps

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _without_explanations(d: Decision) -> Decision:
    return attrs.evolve(d, trace=(), reasons=(), facts=(), parameters=(), parameters_set=())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), grants=shipped_launch_grants(), rate=st.sampled_from((None, "10%", "35%")))
def test_no_explanations_same_decisions(
    shipped: Policy, data: st.DataObject, grants: list[Grant], rate: str | None
) -> None:
    facts = shipped.read_facts(data.draw(policy_facts(shipped.checked, max_items=2)))
    ledger = agreeing(shipped, facts, within_caps(shipped, grants))
    params: dict[str, Any] = {"rd_reward_rate": rate} if rate else {}
    full = shipped.evaluate(facts, ledger=ledger, parameters=params)
    bare = shipped.evaluate(facts, ledger=ledger, parameters=params, explain=False)
    assert len(bare.decisions) == len(full.decisions)
    for a, b in zip(full.decisions, bare.decisions, strict=True):
        assert (b.status, b.amount, b.amount_kind) == (a.status, a.amount, a.amount_kind)
        assert (b.missing_facts, b.missing_parameters) == (a.missing_facts, a.missing_parameters)
        assert _without_explanations(a) == b  # everything else too, caps included
        assert (b.trace, b.reasons, b.facts, b.parameters, b.parameters_set) == ((),) * 5
    assert bare.grants == full.grants
    assert bare.assumptions == full.assumptions
