"""An exclusive group (就高) with a claim that is eligible but whose amount is of kind
``unknown``: a scheduled award (分两年拨付) whose cap is an unset parameter.  Its amount is
the entitlement before that cap; by the guide (docs/patterns/exclusive.md, "When the higher
one is not known") an unknown claim has no known most, so the other claim is only "at most"
and nothing is granted until the cap is given."""

from __future__ import annotations

import pytest

import policyrules
from open_cap_rule import P1, load_rule, open_cap_rule
from policyrules.runtime.money import Money

RULE = open_cap_rule(
    facts="  fact recognised: bool\n",
    group="  exclusive a, b among project keep highest\n",
    awards="""
  award b "乙"
    for each project
    eligible when approved_on in force and recognised
    amount 20% × cost
""",
)

FACTS = {"projects": [{**P1, "recognised": True}]}


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    return load_rule(tmp_path_factory, "unknown_kind", RULE)


def _by_award(result: policyrules.Result) -> dict[str, policyrules.Decision]:
    return {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions}


def test_an_unknown_amount_has_no_known_most(policy: policyrules.Policy) -> None:
    """a: eligible, 10% × 1000 万元 = 100 万元 before its unset cap, kind unknown.  b: 20% ×
    1000 万元 = 200 万元.  a's most is not known, so b is not surely the higher: b is "at most
    200 万元", a is not excluded, and nothing is granted."""
    result = policy.evaluate(FACTS)
    got = _by_award(result)
    a, b = got["a"], got["b"]
    assert (a.status, a.amount, a.amount_kind) == ("eligible", Money(100_000_000), "unknown")
    assert a.missing_parameters == ("project_cap",)
    assert a.exclusivity is not None
    assert a.exclusivity.outcome == "undecided"
    assert (b.status, b.amount, b.amount_kind) == ("eligible", Money(200_000_000), "up_to")
    assert b.exclusivity is not None
    assert b.exclusivity.outcome == "undecided"
    assert b.exclusivity.other == "d/1/a"
    assert result.grants == ()


def test_once_the_cap_is_given_the_higher_is_paid(policy: policyrules.Policy) -> None:
    """project_cap = 50 万元: a = min(100 万元, 50 万元) = 50 万元 exact, below b's 200 万元:
    b is paid 200 万元 exactly and a is not eligible."""
    got = _by_award(policy.evaluate(FACTS, parameters={"project_cap": "50 万元"}))
    assert got["a"].status == "not_eligible"
    assert (got["b"].status, got["b"].amount, got["b"].amount_kind) == (
        "eligible",
        Money(200_000_000),
        "exact",
    )
    assert got["b"].exclusivity is not None
    assert got["b"].exclusivity.outcome == "paid"


def test_a_scheduled_claim_that_may_still_lose_is_at_most_and_grants_nothing(
    policy: policyrules.Policy,
) -> None:
    """project_cap = 300 万元: a = min(10% × 1000 万元, 300 万元) = 100 万元, exact, in two
    instalments of 50 万元 (2024, 2025).  With b's recognition not given, b (200 万元) may
    still win: a is "at most 100 万元" and grants nothing (the guide: "makes no grant").
    Recognition refused: a is paid, 50 万元 in 2024 and 50 万元 in 2025 (as of 2025-12-31:
    both due; without as_of neither is granted, a forecast)."""
    cap = {"project_cap": "300 万元"}
    day = "2025-12-31"
    result = policy.evaluate({"projects": [P1]}, parameters=cap, as_of=day)
    a = _by_award(result)["a"]
    assert (a.status, a.amount, a.amount_kind) == ("eligible", Money(100_000_000), "up_to")
    assert a.exclusivity is not None
    assert a.exclusivity.outcome == "undecided"
    assert result.grants == ()
    result = policy.evaluate({"projects": [{**P1, "recognised": False}]}, parameters=cap, as_of=day)
    a = _by_award(result)["a"]
    assert (a.status, a.amount, a.amount_kind) == ("eligible", Money(100_000_000), "exact")
    assert [(g.provision, g.amount, g.year) for g in result.grants] == [
        ("d/1/a", Money(50_000_000), 2024),
        ("d/1/a", Money(50_000_000), 2025),
    ]
