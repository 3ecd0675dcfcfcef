"""Calls on one long-lived policy give what calls on a new one give.

``Policy.evaluate`` keeps what does not depend on the facts (per compiled policy: pools,
groups, texts, what an evaluation on the defaults learns to explain a provision; per
policy: the ledgers it was given, the empty ledger's checks and index per parameters and
assumptions; a calendar per holiday choice).  Over random facts of the shipped policy,
random earlier grants of measure 3 (one ledger value given again and again, a list,
none) and random parameters and assumptions, a sequence of calls on one policy object
(kept across examples) gives, call by call, the result (or the error) and the texts of
the same call on a new policy object over a policy compiled apart, with nothing kept yet.
The facts are claims of device measure 3 whose caps bind (``launch_claims``), the grants
to the same firms and products.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, PolicyRulesError
from policyrules.api import Policy
from policyrules.runtime.ledger import Ledger
from strategies import agreeing, launch_claims, within_caps

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"

_ASSUME = (
    None,
    {"annual_cap_year": "decision"},
    {"holiday_schedule": "weekends_only"},
    {"cap_share_order": "first_decided", "holiday_schedule": "statutory_projection"},
)
_PARAMS = (None, {"rd_reward_rate": "10%"}, {"rd_reward_rate": "35%"})
_CALL = st.tuples(
    st.sampled_from(_ASSUME),
    st.sampled_from(_PARAMS),
    st.sampled_from(("none", "empty", "list", "value")),
    st.booleans(),
)


@pytest.fixture(scope="module")
def policies() -> tuple[Policy, Policy]:
    """The policy under test, and one compiled apart for the fresh calls."""
    kept = policyrules.load(SHIPPED)
    return kept, Policy(kept.checked, policyrules.compile_policy(kept.checked), kept.path)


def _outcome(policy: Policy, facts: Any, ledger: Any, call: tuple[Any, ...]) -> Any:
    assume, params, _, explain = call
    try:
        result = policy.evaluate(
            facts, ledger=ledger, assumptions=assume, parameters=params, explain=explain
        )
    except PolicyRulesError as exc:
        return [(d.code, d.message) for d in exc.diagnostics]
    # the texts first: rendered from the rows, with what the evaluation learns of a
    # provision (a paid plan, its lines) kept by the compiled policy for the next
    texts = result.decision_texts(), result.explain(lang="en"), result.explain()
    return texts, result.decisions, result.grants, result.assumptions


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(claims=launch_claims(), calls=st.lists(_CALL, min_size=1, max_size=4))
def test_calls_on_one_policy_are_fresh_calls(
    policies: tuple[Policy, Policy],
    claims: tuple[dict[str, Any], list[Grant]],
    calls: list[tuple[Any, ...]],
) -> None:
    kept, apart = policies
    facts = kept.read_facts(claims[0])
    grants = claims[1]
    earlier = list(agreeing(kept, facts, within_caps(kept, grants)))
    value = Ledger(earlier)  # the same value each call: kept by identity
    for call in calls:
        ledger = {"none": None, "empty": [], "list": earlier, "value": value}[call[2]]
        # compiled apart, with nothing kept (attrs.evolve: its memos made anew)
        fresh = Policy(apart.checked, attrs.evolve(apart.compiled), apart.path)
        assert _outcome(kept, facts, ledger, call) == _outcome(fresh, facts, ledger, call)
