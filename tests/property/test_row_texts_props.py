"""The English texts rendered from the evaluator's rows (``Result.decision_texts``,
``Result.explain(lang="en")``; backends/python/texts.py) and the whole Chinese text
(``Result.explain()``; backends/python/texts_zh.py) are the texts of the decisions,
character for character.

Each side is its own evaluation: one renders the texts without making the decisions it
can say from their rows, the other makes every decision and renders it
(:func:`~policyrules.explain.decision_text`, :func:`~policyrules.explain.explain_text`,
:func:`~policyrules.explain_zh.explain_text_zh`).
Over measure 3's claims with caps binding, facts missing and a ledger; over random facts
of the whole shipped policy with parameters; over random expressions in every position of
a small policy (amounts whose closure runs for each claim)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Decision, Grant, PolicyRulesError, RuleCheckError
from policyrules.api import Policy
from policyrules.explain import decision_text, explain_text
from policyrules.explain_zh import explain_text_zh
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


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _same_texts(policy: Policy, facts: Any, **run: Any) -> None:
    for explain in (False, True):
        rendered = policy.evaluate(facts, explain=explain, **run)
        made = policy.evaluate(facts, explain=explain, **run)
        expected = tuple(decision_text(d) for d in made.decisions)
        said = rendered._said()
        event(f"explain={explain}: some said from rows: {any(type(x) is str for x in said)}")
        assert rendered.decision_texts() == expected
        whole = policy.evaluate(facts, explain=explain, **run).explain(lang="en")
        assert whole == explain_text(made)
        zh = policy.evaluate(facts, explain=explain, **run)
        said_zh = zh._texts_zh(policy.words) if zh._texts_zh is not None else []
        from_rows = any(type(x) is not Decision for x in said_zh)
        event(f"explain={explain}: some said in Chinese from rows: {from_rows}")
        assert zh.explain() == explain_text_zh(made, policy.words)
        # Rendering made no decision the result keeps: they are made afterwards, the same.
        assert rendered.decisions == made.decisions
        assert rendered.grants == made.grants


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(launch_claims())
def test_measure3_texts_from_rows(
    shipped: Policy, claims: tuple[dict[str, Any], list[Grant]]
) -> None:
    raw, grants = claims
    facts = shipped.read_facts(raw)
    _same_texts(shipped, facts, ledger=agreeing(shipped, facts, within_caps(shipped, grants)))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), grants=shipped_launch_grants(), rate=st.sampled_from((None, "10%", "35%")))
def test_shipped_policy_texts_from_rows(
    shipped: Policy, data: st.DataObject, grants: list[Grant], rate: str | None
) -> None:
    facts = shipped.read_facts(data.draw(policy_facts(shipped.checked, max_items=2)))
    ledger = agreeing(shipped, facts, within_caps(shipped, grants))
    params: dict[str, Any] = {"rd_reward_rate": rate} if rate else {}
    _same_texts(shipped, facts, ledger=ledger, parameters=params)


@given(
    every_position_policies(),
    extreme_facts,
    st.sampled_from(({}, {"pr": "30%"}, {"pm": "0 元", "pn": "-2"})),
)
def test_random_expressions_texts_from_rows(
    text: str, facts: dict[str, Any], parameters: dict[str, str]
) -> None:
    try:
        policy = compile_text(text)
    except RuleCheckError:
        return  # a constant the checker refuses (E241-E243): nothing to evaluate
    run = {"parameters": parameters, "assumptions": {"holiday_schedule": "weekends_only"}}
    _same_texts(policy, facts, **run)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(every_position_policies(), st.lists(extreme_facts, min_size=2, max_size=3))
def test_random_expressions_on_the_defaults_again_and_again(
    text: str, facts: list[dict[str, Any]]
) -> None:
    """On the defaults themselves (no parameter or assumption given), what an evaluation
    learns to say a provision (its paid plan and lines, the refusals said in English and
    in Chinese) is kept by the compiled policy for the next: evaluation after evaluation
    on other facts, the texts are those of a policy compiled apart, with nothing kept."""
    try:
        policy = compile_text(text)
    except RuleCheckError:
        return
    for each in facts:
        fresh = Policy(policy.checked, attrs.evolve(policy.compiled), policy.path)
        assert _said_or_refused(policy, each) == _said_or_refused(fresh, each, made=True)


def _said_or_refused(policy: Policy, facts: Any, made: bool = False) -> Any:
    """The English texts and the whole Chinese text of an evaluation on the defaults
    (``made``: from its decisions, made first), or the error's diagnostics (a year of
    working days not published: E501)."""
    try:
        result = policy.evaluate(facts)
        if made:
            decisions = result.decisions
            return tuple(decision_text(d) for d in decisions), explain_text_zh(result, policy.words)
        return result.decision_texts(), policy.evaluate(facts).explain()
    except PolicyRulesError as exc:
        return [(d.code, d.message) for d in exc.diagnostics]
