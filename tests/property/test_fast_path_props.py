"""The fast path of an evaluation decides and explains exactly as the general way.

Claims of provisions whose expressions have generated code
(:mod:`policyrules.backends.python.codegen`) are decided on plain values and kept as rows
until looked at (:mod:`policyrules.backends.python.fastpath`); their explanations are
made then (:mod:`policyrules.backends.python.rows`).  Over random well-typed
expressions in every position of a small policy and random facts with extreme values,
each fact given or missing, and over random facts for the shipped policy with earlier
grants, the result equals, decision for decision and field for field, the result of the
same policy with no generated code (every claim the general way, through the closures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, RuleCheckError
from policyrules.api import Policy
from policyrules.explain import decision_text
from policyrules.explain_zh import decision_text_zh
from policyrules.result import Result
from strategies import (
    agreeing,
    compile_text,
    every_position_policies,
    extreme_facts,
    launch_claims,
    policy_facts,
    shipped_launch_grants,
    within_caps,
)

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"


def _general(policy: Policy) -> Policy:
    """The same policy without generated code: every claim goes the general way."""
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, fast={}))


def _claim_by_claim(policy: Policy) -> Policy:
    """The same policy without fused functions (backends/python/fused.py): each claim the
    fast path's way, one call at a time."""
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, fused={}))


def _texts(result: Result) -> list[tuple[str, str]]:
    """Each decision rendered as a reader sees it: in Chinese (the default) and in English
    (``--lang en``), the trace included."""
    return [
        (decision_text_zh(d, verbose=True), decision_text(d, verbose=True))
        for d in result.decisions
    ]


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def test_the_shipped_policy_has_generated_code(shipped: Policy) -> None:
    # Every provision with a subject, except declarations (which decide nothing).
    kinds = {p.id: p.kind for p in shipped.checked.provisions()}
    assert LAUNCH in shipped.compiled.fast
    assert {k for i, k in kinds.items() if i not in shipped.compiled.fast} == {"declaration"}


@given(
    every_position_policies(),
    extreme_facts,
    st.sampled_from(({}, {"pr": "30%"}, {"pm": "0 元", "pn": "-2"})),
)
def test_random_expressions_same_result(
    text: str, facts: dict[str, Any], parameters: dict[str, str]
) -> None:
    try:
        policy = compile_text(text)
    except RuleCheckError:
        return  # a constant the checker refuses (E241-E243): nothing to evaluate
    event(f"generated code for: {sorted(k.rsplit('/', 1)[-1] for k in policy.compiled.fast)}")
    run = {"parameters": parameters, "assumptions": {"holiday_schedule": "weekends_only"}}
    for explain in (False, True):
        fast = policy.evaluate(facts, explain=explain, **run)
        general = _general(policy).evaluate(facts, explain=explain, **run)
        assert fast.decisions == general.decisions  # the traces too, with explanations
        assert fast.grants == general.grants
        assert fast.assumptions == general.assumptions
        assert _texts(fast) == _texts(general)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), grants=shipped_launch_grants(), rate=st.sampled_from((None, "10%", "35%")))
def test_shipped_policy_same_result(
    shipped: Policy, data: st.DataObject, grants: list[Grant], rate: str | None
) -> None:
    facts = shipped.read_facts(data.draw(policy_facts(shipped.checked, max_items=2)))
    ledger = agreeing(shipped, facts, within_caps(shipped, grants))
    params: dict[str, Any] = {"rd_reward_rate": rate} if rate else {}
    for explain in (False, True):
        fast = shipped.evaluate(facts, ledger=ledger, parameters=params, explain=explain)
        general = _general(shipped).evaluate(
            facts, ledger=ledger, parameters=params, explain=explain
        )
        assert fast == general  # decisions (traces included), grants, assumptions
        assert _texts(fast) == _texts(general)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(launch_claims())
def test_fused_award_same_result(
    shipped: Policy, claims: tuple[dict[str, Any], list[Grant]]
) -> None:
    """Measure 3's claims served by its fused function, the fast path claim by claim and
    the general way agree: facts missing at random, several caps binding, a ledger."""
    raw, grants = claims
    facts = shipped.read_facts(raw)
    ledger = agreeing(shipped, facts, within_caps(shipped, grants))
    for explain in (False, True):
        fused = shipped.evaluate(facts, ledger=ledger, explain=explain)
        assert fused == _claim_by_claim(shipped).evaluate(facts, ledger=ledger, explain=explain)
        general = _general(shipped).evaluate(facts, ledger=ledger, explain=explain)
        assert fused == general
        assert _texts(fused) == _texts(general)  # the rendered texts, character for character
        statuses = {d.status for d in fused.decisions if d.provision == LAUNCH}
        event(f"launch decisions: {sorted(statuses)}")
    assert LAUNCH in shipped.compiled.fused
