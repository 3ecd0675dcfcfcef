"""Without explanations, a row without an amount (unknown, or eligible to a consequence)
is made into its decision once for each outcome of its provision (status, facts missing,
assumptions read) and copied with each subject (``Rows.materialise``): the decisions of a
registry run, where most subjects lack most measures' facts, the same as the general way's.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from tests.strategies import compile_text

from policyrules.backends.python import rows
from support import general_way

TEXT = """entity firm "企业"
  list firms
  fact region: text
entity project "项目"
  list projects of firm
  fact ok: bool
  fact seen: bool

assumption strict: bool = true "从严"

document d "测试"

clause 1
  quote "q"

  entitlement e "可享受"
    for each project
    eligible when if strict then ok else seen
    eligible when region = "甲"
    consequence "受理"
"""

# f/P1, f/P2 and g/Q1 lack every fact (one outcome); f/P3 has ok but not the region (its
# own: region missing); f/P4 and f/P5 have everything (eligible, and refused).
PROJECTS = [
    {"id": "P1"},
    {"id": "P2"},
    {"id": "P3", "ok": True},
    {"id": "P4", "ok": True},
    {"id": "P5", "ok": False},
]
FACTS = {
    "firms": [
        {"id": "f", "region": None, "projects": PROJECTS[:3]},
        {"id": "h", "region": "甲", "projects": PROJECTS[3:]},
        {"id": "g", "projects": [{"id": "Q1"}]},
    ]
}


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, frozenset[str]]]:
    """The decisions made afresh for rows without an amount, by status and facts missing."""
    seen: Counter[tuple[str, frozenset[str]]] = Counter()
    unpaid = rows.Rows._unpaid_decision

    def counting(static: Any, status: str, missing: Any, assumed: Any, then: Any) -> Any:
        seen[(status, frozenset(missing))] += 1
        return unpaid(static, status, missing, assumed, then)

    monkeypatch.setattr(rows.Rows, "_unpaid_decision", staticmethod(counting))
    return seen


def test_each_outcome_made_once(made: Counter[tuple[str, frozenset[str]]]) -> None:
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    result = policy.evaluate(facts, explain=False)
    decisions = {d.subject: d for d in result.decisions}
    assert decisions["f/P1"].missing_facts == decisions["g/Q1"].missing_facts
    assert decisions["f/P1"].status == "unknown"
    assert decisions["h/P4"].status == "eligible"
    # f/P1, f/P2 and g/Q1 share the outcome of lacking everything, f/P3 lacks the region
    # only, h/P4 is eligible to the consequence: three decisions made for five rows (the
    # refused h/P5 is made as before, without an outcome to share).
    assert made == {
        ("unknown", frozenset({"project.ok", "firm.region"})): 1,
        ("unknown", frozenset({"firm.region"})): 1,
        ("eligible", frozenset()): 1,
    }
    assert [d.subject for d in result.decisions] == ["f/P1", "f/P2", "f/P3", "h/P4", "h/P5", "g/Q1"]


@pytest.mark.parametrize("strict", [True, False])
def test_the_same_decisions_as_the_general_way(strict: bool) -> None:
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    run: dict[str, Any] = {"assumptions": {"strict": strict}, "explain": False}
    fast = policy.evaluate(facts, **run).decisions
    general = general_way(policy).evaluate(facts, **run).decisions
    assert fast == general
    assert repr(fast) == repr(general)
    # Each its own object, its subject its own.
    assert len({id(d) for d in fast}) == len(fast)
    assert len({d.subject for d in fast}) == len(fast)
