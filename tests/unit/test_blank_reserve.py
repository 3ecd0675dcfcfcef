"""What an award's claim of unknown eligibility holds in its shared caps, for subjects
lacking every fact its amount and caps read (backends/python/fast_reserve.py): the amount,
the limits and the years read once an evaluation, the accounts still claim by claim."""

from __future__ import annotations

from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules.backends.python.fast_reserve as fast_reserve
from policyrules.backends.python.fast_conditions import FastConditions
from policyrules.backends.python.fast_keys import FastKeys
from support import general_way

TEXT = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact ok: bool
  fact base: money
  fact on: date

document d "测试"

clause 1
  quote "q"

  award a
    for each project
    eligible when ok
    amount base
    cap 100 元 per project
    cap 250 元 per firm per year of on
"""


@pytest.mark.parametrize("explain", [False, True])
def test_a_blank_claims_bound_is_read_once_an_evaluation(
    monkeypatch: pytest.MonkeyPatch, explain: bool
) -> None:
    policy = compile_text(TEXT)
    fp = next(iter(policy.compiled.fast.values()))
    assert sorted(fp.reserve_facts or ()) == [
        ("project", "base", "project.base"),
        ("project", "on", "project.on"),
    ]
    calls: list[str] = []
    read = fast_reserve._blank_values

    def counted(fp: Any, cp: Any, reads: Any) -> Any:
        calls.append(reads.inst.id)
        return read(fp, cp, reads)

    monkeypatch.setattr(fast_reserve, "_blank_values", counted)
    # P1-P3 lack every fact (their bound: 100 元, in every year of the firm), P4 and P5
    # have an amount (P4 under its limit), P6 a year: none of them blank.
    projects: list[dict[str, Any]] = [{"id": f"P{n}"} for n in (1, 2, 3)]
    projects += [{"id": "P4", "base": "30 元"}, {"id": "P5", "base": "500 元"}]
    projects += [
        {"id": "P6", "on": "2025-03-01"},
        {"id": "P7", "ok": True, "base": "80 元", "on": "2025-03-01"},
    ]
    facts = policy.read_facts({"firms": [{"id": "f", "projects": projects}]})
    result = policy.evaluate(facts, explain=explain)
    assert calls == ["P1"]
    general = general_way(policy).evaluate(facts, explain=explain)
    assert repr(result.decisions) == repr(general.decisions)
    assert repr(result.grants) == repr(general.grants)
    # Once an evaluation: the next one reads them again.
    policy.evaluate(facts, explain=explain).decisions  # noqa: B018
    assert calls == ["P1", "P1"]


def test_a_blank_claims_order_key_is_found_once_an_evaluation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `order by` a fact the blank subjects lack (and an assumption), another, then the id
    # (never blank: the id is always given).
    text = TEXT.replace(
        'document d "测试"', 'assumption late: bool = true "晚"\n\ndocument d "测试"'
    )
    policy = compile_text(text + "    order by if late then on else on, base, id\n")
    fp = next(iter(policy.compiled.fast.values()))
    on, base = ("project", "on", "project.on"), ("project", "base", "project.base")
    assert fp.order_facts == ((on,), (base,), None)
    calls: list[tuple[str, int]] = []
    compute = FastKeys._order_key_of

    def counted(self: Any, fp: Any, cp: Any, n: int, inst: Any, used: set[str]) -> Any:
        calls.append((inst.id, n))
        return compute(self, fp, cp, n, inst, used)

    monkeypatch.setattr(FastKeys, "_order_key_of", counted)
    projects: list[dict[str, Any]] = [{"id": f"P{n}"} for n in (1, 2, 3)]
    projects += [{"id": "P4", "ok": True, "base": "80 元", "on": "2025-03-01"}]
    projects += [{"id": "P5", "base": "30 元"}, {"id": "P6", "ok": True, "on": "2025-01-01"}]
    facts = policy.read_facts({"firms": [{"id": "f", "projects": projects}]})
    for explain in (False, True):
        calls.clear()
        result = policy.evaluate(facts, explain=explain)
        # P4's keys by the function of them all; P1's on and base (then kept for those
        # lacking them: the function of them all not tried again), P5's base, P6's on and
        # each one's id.
        first = [("P1", 0), ("P1", 1), ("P1", 2), ("P2", 2), ("P3", 2)]
        assert calls == [*first, ("P5", 1), ("P5", 2), ("P6", 0), ("P6", 2)]
        general = general_way(policy).evaluate(facts, explain=explain)
        assert repr(result.decisions) == repr(general.decisions)
        assert [d.assumptions for d in result.decisions] == [
            d.assumptions for d in general.decisions
        ]


def test_blank_subjects_conditions_found_once_with_the_assumptions_they_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = TEXT.replace(
        'document d "测试"', 'assumption strict: bool = true "从严"\n\ndocument d "测试"'
    )
    text += """
  entitlement e "权益"
    for each project
    eligible when if strict then ok else not ok
    consequence "可以"

  award b
    for each project
    eligible when if strict then ok else not ok
    amount base
    cap 100 元 per firm
"""
    policy = compile_text(text)
    calls: list[str] = []
    compute = FastConditions._conditions_of

    def counted(self: Any, fp: Any, cp: Any, inst: Any, used: set[str]) -> Any:
        if cp.info.kind == "entitlement":
            calls.append(inst.id)
        return compute(self, fp, cp, inst, used)

    monkeypatch.setattr(FastConditions, "_conditions_of", counted)
    projects: list[dict[str, Any]] = [{"id": f"P{n}"} for n in (1, 2, 3)]
    projects += [{"id": "P4", "ok": True}, {"id": "P5"}]
    facts = policy.read_facts({"firms": [{"id": "f", "projects": projects}]})
    result = policy.evaluate(facts, explain=False)
    # P1's outcome (unknown, reading `strict`) kept for P2, P3, P5; P4's (ok) its own.
    assert calls == ["P1", "P4"]
    general = general_way(policy).evaluate(facts, explain=False)
    assert repr(result.decisions) == repr(general.decisions)
    made = [(d.provision, d.subject, d.status, d.assumptions) for d in result.decisions]
    assert made == [(d.provision, d.subject, d.status, d.assumptions) for d in general.decisions]
    strict = (("strict", "true"),)
    for provision in ("/e", "/b"):  # (b: an award, its claims one by one, .fastpath)
        said = [(s, st, a) for p, s, st, a in made if p.endswith(provision)]
        assert said == [(f"f/P{n}", "unknown", strict) for n in (1, 2, 3)] + [
            ("f/P4", "eligible", strict),
            ("f/P5", "unknown", strict),
        ]
