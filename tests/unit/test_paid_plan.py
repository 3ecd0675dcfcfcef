"""A paid award's decision made from its provision's plan (backends/python/paid.py) equals
the general way's, field for field and text for text (Chinese and English, trace
included); the plan is made only where the amount's and the caps' reads are fixed for the
whole evaluation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Money
from policyrules.api import Policy
from policyrules.backends.python import paid, rows_caps
from policyrules.backends.python import rows as rows_module
from policyrules.backends.python.paid import fixed_reads
from policyrules.explain import decision_text
from policyrules.explain_zh import decision_text_zh
from policyrules.result import Result
from support import general_way

WAN = 10_000 * 100  # 1 万元 in fen

RULES = """entity firm "企业"
  list firms

entity item "事项"
  list items of firm
  fact ok: bool
  fact big: bool
  fact base: money
  fact since: date
  fact decided_on: date

enum Basis "年度" {
  since_year "起始日期所在年度",
  decided_year "决定日期所在年度",
}

assumption basis: Basis = since_year "按起始日期计年度。"

document d "测试"

clause 1 "补助"
  quote "q"

  define doubled = base * 2

  award fixed "按假设计年度"
    for each item
    eligible when ok or big
    amount base
    cap 30 万元 per item
    cap 50 万元 per firm per year of if basis = since_year then since else decided_on

  award rated "按比例"
    for each item
    eligible when ok
    amount 50% of base - 2 万元
    cap 8 万元 per item

  award by_fact "按事实计年度"
    for each item
    eligible when ok
    amount base
    cap 50 万元 per firm per year of if big then since else decided_on

  award excepted "上限例外"
    for each item
    eligible when ok
    amount base
    cap 10 万元 per item
      unless big raise to 20 万元

  award defined "定义"
    for each item
    eligible when ok
    amount doubled
"""

FIXED, RATED, BY_FACT, EXCEPTED, DEFINED = (
    f"d/1/{n}" for n in ("fixed", "rated", "by_fact", "excepted", "defined")
)


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    root = tmp_path_factory.mktemp("paid")
    (root / "t.rule").write_text(RULES, encoding="utf-8")
    return policyrules.load(root)


def _same(got: Result, want: Result) -> None:
    assert got == want
    for a, b in zip(got.decisions, want.decisions, strict=True):
        assert decision_text(a, verbose=True) == decision_text(b, verbose=True)
        assert decision_text_zh(a, verbose=True) == decision_text_zh(b, verbose=True)
        assert decision_text(a) == decision_text(b)
        assert decision_text_zh(a) == decision_text_zh(b)


def test_a_plan_only_where_the_reads_are_fixed_for_the_evaluation(policy: Policy) -> None:
    fixed = {cp.info.id: fixed_reads(cp, policy.checked) for cp in policy.compiled.provisions}
    # an `if` on an assumption: one branch for the whole evaluation; a rate of a fact
    assert fixed[FIXED]
    assert fixed[RATED]
    # an `if` on a fact reads another fact per claim; a cap's exception reads its
    # condition only where the limit is known; a define notes its value in the trace
    assert not fixed[BY_FACT]
    assert not fixed[EXCEPTED]
    assert not fixed[DEFINED]


def _firm(n: int, ok: bool, big: bool, base_wan: int | None, year: int) -> dict[str, Any]:
    firm: dict[str, Any] = {
        "id": f"f{n}",
        "ok": ok,
        "big": big,
        "since": f"{year}-03-0{n % 9 + 1}",
        "decided_on": f"{year + 1}-06-01",
    }
    if base_wan is not None:
        firm["base"] = f"{base_wan} 万元"
    return firm


def _count_plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = rows_module.paid_decision

    def counted(plan: Any, cp: Any, *rest: Any) -> Any:
        d = real(plan, cp, *rest)
        if d is not None:
            made.append(cp.info.id)
        return d

    monkeypatch.setattr(rows_module, "paid_decision", counted)
    return made


def test_each_status_and_cap_case_rendered_as_the_general_way(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # f1..f6 share the yearly cap of 50 万元 in 2026 (in order of `since`): 12 + 15 + 23
    # fill it, so later claims are cut and see more than 3 earlier claims (the count
    # form); f8 is not eligible; f9 lacks its base
    # (up to the caps); f10 is in 2027 with its own year.
    firms = [
        _firm(1, True, False, 12, 2026),
        _firm(2, False, True, 25, 2026),
        _firm(3, True, True, 40, 2026),
        _firm(4, True, False, 3, 2026),
        _firm(5, True, False, 1, 2026),
        _firm(6, True, False, 7, 2026),
        _firm(7, True, False, 1, 2026),
        _firm(8, False, False, 9, 2026),
        _firm(9, True, False, None, 2026),
        _firm(10, True, True, 31, 2027),
    ]
    facts = policy.read_facts({"firms": [{"id": "g", "items": firms}]})
    # f2 was granted 10 万元 under `fixed` before: the rest of its 25 万元 is paid
    ledger = policy.read_ledger(
        [Grant(FIXED, (("firm", "g"), ("item", "f2")), Money(10 * WAN), 2025)],
    )
    made = _count_plans(monkeypatch)
    got = policy.evaluate(facts, ledger=ledger)
    want = general_way(policy).evaluate(facts, ledger=ledger)
    _same(got, want)
    statuses = {(d.provision, d.status) for d in got.decisions}
    assert {(FIXED, "eligible"), (FIXED, "not_eligible")} <= statuses
    fixed = {d.subject: d for d in got.decisions if d.provision == FIXED}
    fixed = {k.split("/")[1]: d for k, d in fixed.items() if k}
    # f9 lacks its base: at most the caps, not paid (the general way makes it)
    assert fixed["f9"].amount_kind == "up_to"
    assert fixed["f9"].missing_facts == ("item.base",)
    # f2: 25 万元 − 10 万元 granted before = 15 万元 asked
    assert fixed["f2"].granted_before == Money(10 * WAN)
    assert any(st.kind == "entitlement" for st in fixed["f2"].trace)
    # f3: 40 万元 cut to 30 万元 by the per-item cap, then to 50 − 12 − 15 = 23 万元 by
    # the year's (f1 and f2 came first)
    assert [ev.binding for ev in fixed["f3"].caps] == [True, True]
    assert fixed["f3"].amount == Money(23 * WAN)
    # f6 in 2026 after 12 + 15 + 23 = 50 万元: the year is spent, 0
    assert fixed["f6"].amount == Money(0)
    assert len(fixed["f6"].caps[1].earlier) > 3
    assert "claims," in decision_text(fixed["f6"])  # the count form of earlier claims
    # f7 under `rated`: 50% of 1 万元 − 2 万元 = −1.5 万元, below zero: pays 0.00 元
    rated = {d.subject: d for d in got.decisions if d.provision == RATED}
    assert rated["g/f7"].amount == Money(0)
    assert any("below zero" in st.text for st in rated["g/f7"].trace)
    # the plan made the paid claims of `fixed` and `rated` (f1..f7, f10 of `fixed`: 8;
    # `rated` pays the ok firms but f9: 7); none of the others
    assert made.count(FIXED) == 8
    assert made.count(RATED) == 7
    assert set(made) == {FIXED, RATED}


def test_a_paid_trace_read_later_makes_no_cap_event(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paid decision's trace, made when first read, writes its caps' lines without
    making their events again (the decision has them); the trace is the general way's."""
    # f1..f4 share the yearly cap of 50 万元 in 2026: 12 + 25 + 30 (cut to 13) + 3 (cut
    # to 0), so the lines say earlier claims, a cap binding and one spent.
    firms = [_firm(1, True, False, 12, 2026), _firm(2, False, True, 25, 2026)]
    firms += [_firm(3, True, True, 30, 2026), _firm(4, True, False, 3, 2026)]
    facts = policy.read_facts({"firms": [{"id": "g", "items": firms}]})
    want = [d.trace for d in general_way(policy).evaluate(facts).decisions]
    got = policy.evaluate(facts).decisions

    def refused(*args: Any) -> Any:
        raise AssertionError("a cap event made for a trace")

    for module in (rows_caps, rows_module, paid):
        monkeypatch.setattr(module, "cap_events_row", refused)
    assert [d.trace for d in got] == want
    assert any("binds: cut" in s.text for t in want for s in t)
    assert any("earlier claims in this evaluation" in s.text for t in want for s in t)


def test_the_other_branch_of_an_assumption(policy: Policy) -> None:
    # basis = decided_year: the cap's year is the decision's (2027 for firms of 2026)
    firms = [_firm(n, True, False, 20, 2026) for n in range(1, 5)]
    facts = policy.read_facts({"firms": [{"id": "g", "items": firms}]})
    assumptions = {"basis": "decided_year"}
    got = policy.evaluate(facts, assumptions=assumptions)
    _same(got, general_way(policy).evaluate(facts, assumptions=assumptions))
    scopes = {ev.scope for d in got.decisions if d.provision == FIXED for ev in d.caps[1:]}
    assert scopes == {"firm g, year 2027"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.booleans(),
            st.none() | st.integers(0, 60),
            st.sampled_from([2025, 2026]),
        ),
        min_size=1,
        max_size=9,
    ),
    st.sampled_from(["since_year", "decided_year"]),
)
def test_paid_plans_decide_and_read_as_the_general_way(
    policy: Policy, firms: list[tuple[bool, bool, int | None, int]], basis: str
) -> None:
    facts = policy.read_facts(
        {"firms": [{"id": "g", "items": [_firm(n, *f) for n, f in enumerate(firms, 1)]}]}
    )
    got = policy.evaluate(facts, assumptions={"basis": basis})
    _same(got, general_way(policy).evaluate(facts, assumptions={"basis": basis}))
