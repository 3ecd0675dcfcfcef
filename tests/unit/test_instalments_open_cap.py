"""An award paid over time whose cap is an unset parameter: its instalments are bounds,
never grants (issue 9: never pay more than a cap that is not yet known; an award that is
not exact grants nothing, paid at once or over time)."""

from __future__ import annotations

import pytest

import policyrules
from open_cap_rule import P1, load_rule, open_cap_rule
from policyrules.runtime.money import Money

RULE = open_cap_rule()

FACTS = {"projects": [P1]}


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    return load_rule(tmp_path_factory, "open_cap", RULE)


def test_an_unset_cap_grants_no_instalment(policy: policyrules.Policy) -> None:
    """10% × 1000 万元 = 100 万元 before the unset cap: at most 100 万元, and the two
    instalments of 50 万元 are not granted (the cap may turn out to be 30 万元)."""
    result = policy.evaluate(FACTS, as_of="2025-12-31")
    (d,) = result.decisions
    assert (d.status, d.amount) == ("eligible", Money(100_000_000))
    assert d.amount_kind != "exact"
    assert d.missing_parameters == ("project_cap",)
    assert result.grants == ()


def test_a_given_cap_grants_its_instalments(policy: policyrules.Policy) -> None:
    """project_cap = 30 万元: min(100 万元, 30 万元) = 30 万元, paid 50% in 2024 (15 万元) and
    the remainder in 2025 (15 万元), both due by 2025-12-31 and granted."""
    result = policy.evaluate(FACTS, as_of="2025-12-31", parameters={"project_cap": "30万元"})
    (d,) = result.decisions
    assert (d.amount, d.amount_kind) == (Money(30_000_000), "exact")
    assert sorted((g.year, g.amount) for g in result.grants) == [
        (2024, Money(15_000_000)),
        (2025, Money(15_000_000)),
    ]
