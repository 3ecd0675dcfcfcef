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

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Ledger, Money, RuleCheckError
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
from support import general_way

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"


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


def _whole(run: Callable[[], Result]) -> tuple[Any, ...]:
    """The whole texts of fresh results, each said from the evaluator's record before the
    decisions are made: in Chinese, in English, each decision's English text, the JSON."""
    return (run().explain(), run().explain(lang="en"), run().decision_texts(), run().to_json())


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
        general = general_way(policy).evaluate(facts, explain=explain, **run)
        assert fast.decisions == general.decisions  # the traces too, with explanations
        assert fast.grants == general.grants
        assert fast.assumptions == general.assumptions
        assert _texts(fast) == _texts(general)
        if explain:  # (a blank subject's rows said from its provision's kept text)
            assert _whole(partial(policy.evaluate, facts, **run)) == _whole(
                partial(general_way(policy).evaluate, facts, **run)
            )


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
        general = general_way(shipped).evaluate(
            facts, ledger=ledger, parameters=params, explain=explain
        )
        assert fast == general  # decisions (traces included), grants, assumptions
        assert _texts(fast) == _texts(general)
        if explain:
            kw = {"ledger": ledger, "parameters": params}
            assert _whole(partial(shipped.evaluate, facts, **kw)) == _whole(
                partial(general_way(shipped).evaluate, facts, **kw)
            )


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
        general = general_way(shipped).evaluate(facts, ledger=ledger, explain=explain)
        assert fused == general
        assert _texts(fused) == _texts(general)  # the rendered texts, character for character
        statuses = {d.status for d in fused.decisions if d.provision == LAUNCH}
        event(f"launch decisions: {sorted(statuses)}")
    assert LAUNCH in shipped.compiled.fused


OVERSEAS = "jjxf_2025_50/13/overseas_registration"
_OVERSEAS_DAYS = st.sampled_from(
    [date(2025, 10, 1), date(2026, 3, 2), date(2026, 3, 9), date(2026, 12, 31), date(2027, 6, 1)]
).map(date.isoformat)


@st.composite
def overseas_claims(draw: st.DrawFn) -> tuple[dict[str, Any], list[Grant]]:
    """Facts of 京经信发〔2025〕50号 第13条 (overseas registration: 100 万元 per product, 300
    万元 per firm and year, in the order of approval or decision day): up to 3 firms of up
    to 8 products, each fact missing at random (the days, which place a claim in the order
    and in a year, one time in three; the others one time in five), so that claims whose
    eligibility, year and place in the order are unknown (holding their bounds in the
    firm's caps) come before and after claims that are decided; earlier grants of it to
    the same products."""
    fields = {
        "overseas_authority": (5, st.sampled_from(["FDA", "CE", "FDA", "other", "none"])),
        "other_authority_recognised": (5, st.booleans()),
        "overseas_sales": (5, st.sampled_from([True, True, False])),
        "overseas_approved_on": (3, _OVERSEAS_DAYS),
        "registration_cost": (5, st.integers(0, 400).map(lambda w: f"{w} 万元")),
        "overseas_support_decided_on": (3, _OVERSEAS_DAYS),
    }
    firms: list[dict[str, Any]] = []
    for f in range(draw(st.integers(1, 3))):
        products = []
        for n in draw(st.lists(st.integers(1, 12), unique=True, min_size=1, max_size=8)):
            item: dict[str, Any] = {"id": f"P{n}"}
            for name, (odds, values) in fields.items():
                if draw(st.integers(1, odds)) > 1:  # missing one time in `odds`
                    item[name] = draw(values)
            products.append(item)
        firms.append({"id": f"f{f}", "products": products})
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(1, 12), st.integers(0, 150)),
            max_size=3,
            unique_by=lambda r: (r[0], r[1]),
        )
    )
    year = draw(st.sampled_from((2025, 2026, 2027)))
    grants = [
        Grant(OVERSEAS, (("firm", f"f{f}"), ("product", f"P{n}")), Money(w * 1_000_000), year)
        for f, n, w in rows
    ]
    return {"firms": firms}, grants


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    overseas_claims(),
    st.sampled_from((None, "50%", "100%", "100%")),
    st.sampled_from(("approval", "decision")),
    st.sampled_from(("first_approved", "first_decided")),
)
def test_unknown_claims_under_shared_caps_same_result(
    shipped: Policy,
    claims: tuple[dict[str, Any], list[Grant]],
    rate: str | None,
    year_basis: str,
    order: str,
) -> None:
    """Claims of unknown eligibility (their bounds held in the shared caps: an amount, an
    unbounded one, in a year or in every year) and of unknown place in the order, served
    the fast way, by the fused function and the general way, agree, and so do the claims
    after them: the whole policy loaded, with and without explanations."""
    raw, grants = claims
    facts = shipped.read_facts(raw)
    # The earlier grants counted by this run's readings (else E335 refuses the ledger).
    bases = [(OVERSEAS, "annual_cap_year", year_basis), (OVERSEAS, "cap_share_order", order)]
    ledger = agreeing(shipped, facts, Ledger(within_caps(shipped, grants), bases=bases))
    run: dict[str, Any] = {
        "ledger": ledger,
        "parameters": {"overseas_support_rate": rate} if rate else {},
        "assumptions": {"annual_cap_year": year_basis, "cap_share_order": order},
    }
    for explain in (False, True):
        fused = shipped.evaluate(facts, explain=explain, **run)
        assert fused == _claim_by_claim(shipped).evaluate(facts, explain=explain, **run)
        general = general_way(shipped).evaluate(facts, explain=explain, **run)
        assert fused == general
        assert _texts(fused) == _texts(general)
        for d in fused.decisions:
            if d.provision == OVERSEAS:
                event(f"{d.status} {d.amount_kind}")
