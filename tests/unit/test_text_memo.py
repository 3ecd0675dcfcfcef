"""The Chinese text of a decision, its policy-wide parts kept per words object
(explain_zh_memo.py), equals the text made from nothing; and a paid decision's facts read
in one pass (paid.py ``shown_facts``: rates, sets, enums, a fact not given) equal the general
way's, text for text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Money, explain_zh_memo
from policyrules.api import Policy
from policyrules.backends.python import rows as rows_module
from policyrules.explain import decision_text
from policyrules.explain_zh import decision_text_zh, explain_text_zh
from policyrules.result import Decision, Result
from support import general_way

RULES = """entity firm "企业"
  list firms

entity item "事项"
  list items of firm
  fact ok: bool "是否合规"
  fact big: bool "是否大型"
  fact base: money "基数"
  fact share: rate "占比"
  fact kinds: set of Kind "类别"
  fact kind: Kind "主类别"
  fact since: date "起始日期"
  fact decided_on: date "决定日期"

enum Kind "类别" {
  a "甲类",
  b "乙类",
}

enum Basis "年度" {
  since_year "起始日期所在年度",
  decided_year "决定日期所在年度",
}

assumption basis: Basis = since_year "按起始日期计年度。"

document d "测试"

clause 1 "补助"
  quote "q"

  award fixed "按假设计年度"
    for each item
    eligible when (ok or big) and share >= 10% and kinds != {} and kind = a
    amount base
    cap 30 万元 per item
    cap 50 万元 per firm per year of if basis = since_year then since else decided_on
"""

WAN = 10_000 * 100  # 1 万元 in fen


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    root = tmp_path_factory.mktemp("memo")
    (root / "t.rule").write_text(RULES, encoding="utf-8")
    return policyrules.load(root)


def _item(n: int, ok: bool | None, share: int, kinds: list[str], base: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"i{n}",
        "big": n % 2 == 0,
        "base": f"{base} 万元",
        "share": f"{share}%",
        "kinds": kinds,
        "kind": "a" if n % 3 else "b",
        "since": f"2026-0{n % 9 + 1}-01",
        "decided_on": "2027-06-01",
    }
    if ok is not None:  # not given: `ok or big` holds when big does
        item["ok"] = ok
    return item


def _fresh(d: Decision, words: Any, verbose: bool = False) -> str:
    """The Chinese text made with no memo kept: every part made from nothing."""
    explain_zh_memo._MEMOS.clear()
    return decision_text_zh(d, words, verbose=verbose)


items_st = st.lists(
    st.tuples(
        st.none() | st.booleans(),
        st.integers(0, 30),
        st.sampled_from([[], ["a"], ["a", "b"]]),
        st.integers(1, 40),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items_st, st.sampled_from(["since_year", "decided_year"]))
def test_paid_facts_and_kept_words_as_made_from_nothing(
    policy: Policy, items: list[tuple[bool | None, int, list[str], int]], basis: str
) -> None:
    facts = policy.read_facts(
        {"firms": [{"id": "g", "items": [_item(n, *it) for n, it in enumerate(items, 1)]}]}
    )
    got = policy.evaluate(facts, assumptions={"basis": basis})
    want = general_way(policy).evaluate(facts, assumptions={"basis": basis})
    assert got == want
    words = got._words
    for a, b in zip(got.decisions, want.decisions, strict=True):
        assert decision_text(a, verbose=True) == decision_text(b, verbose=True)
        for verbose in (False, True):
            warm = decision_text_zh(a, words, verbose=verbose)
            assert warm == decision_text_zh(b, words, verbose=verbose)
            assert warm == _fresh(a, words, verbose)
    assert explain_text_zh(got, words) == explain_text_zh(want, words)


def test_each_kind_of_fact_read_by_a_paid_claim(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # i1: ok not given, big false -> `ok or big` unknown: not paid (the general way);
    # i2: ok not given, big true -> paid, its facts list ok as not given (未提供);
    # i3: ok, share 5% < 10%: not eligible
    facts = policy.read_facts(
        {
            "firms": [
                {
                    "id": "g",
                    "items": [
                        _item(1, None, 20, ["a"], 10),
                        _item(2, None, 20, ["a", "b"], 10),
                        _item(3, True, 5, ["a"], 10),
                        _item(4, True, 25, ["b"], 12),
                    ],
                }
            ]
        }
    )
    made: list[str] = []
    real = rows_module.paid_decision

    def counted(plan: Any, cp: Any, *rest: Any) -> Any:
        d = real(plan, cp, *rest)
        if d is not None:
            made.append(d.subject)
        return d

    monkeypatch.setattr(rows_module, "paid_decision", counted)
    got = policy.evaluate(facts)
    want = general_way(policy).evaluate(facts)
    assert got == want
    by = {d.subject: d for d in got.decisions}
    assert by["g/i1"].status == "unknown"
    assert by["g/i3"].status == "not_eligible"
    # i4 paid from the plan: 12 万元 under both caps (30 万元 an item; 50 万元 the firm's
    # year: 10 + 12 = 22 万元 with i2); i2 read a fact not given, so the fast path left it
    # to the general way
    assert made == ["g/i4"]
    assert (by["g/i2"].amount, by["g/i4"].amount) == (Money(10 * WAN), Money(12 * WAN))
    facts4 = dict(by["g/i4"].facts)
    assert facts4["item.share"] == "25%"  # a rate, written as one
    assert facts4["item.kinds"] == "{b}"
    assert "类别：乙类" in decision_text_zh(by["g/i4"], got._words)
    facts2 = dict(by["g/i2"].facts)
    assert facts2["item.ok"] == "unknown"
    assert facts2["item.share"] == "20%"  # a rate, written as one
    assert facts2["item.kinds"] == "{a, b}"
    zh = decision_text_zh(by["g/i2"], got._words)
    assert "是否合规" not in zh  # not given and not needed (paid): left out
    assert "类别：甲类、乙类" in zh
    assert "主类别：甲类" in zh
    for a, b in zip(got.decisions, want.decisions, strict=True):
        assert decision_text(a, verbose=True) == decision_text(b, verbose=True)
        assert decision_text_zh(a, got._words) == _fresh(b, want._words)


def test_a_decisions_own_assumptions_in_the_kept_words(policy: Policy) -> None:
    # One words object, decisions made under either value of `basis`: each decision's cap is
    # said with the year its own assumption chose, kept apart.
    facts = policy.read_facts({"firms": [{"id": "g", "items": [_item(1, True, 20, ["a"], 9)]}]})
    since = policy.evaluate(facts).decisions[0]
    decided = policy.evaluate(facts, assumptions={"basis": "decided_year"}).decisions[0]
    words = policy.evaluate(facts)._words
    assert words is not None
    texts = [decision_text_zh(d, words) for d in (since, decided, since, decided)]
    assert "按起始日期所在年度计" in texts[0]
    assert "按决定日期所在年度计" in texts[1]
    assert texts[2:] == texts[:2]
    assert texts[:2] == [_fresh(since, words), _fresh(decided, words)]


def test_past_the_bounds_texts_are_made_not_kept(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = policy.read_facts(
        {"firms": [{"id": "g", "items": [_item(n, True, 20, ["a"], n) for n in range(1, 9)]}]}
    )
    result: Result = policy.evaluate(facts)
    words = result._words
    want = [_fresh(d, words) for d in result.decisions]
    explain_zh_memo._MEMOS.clear()
    monkeypatch.setattr(explain_zh_memo, "PER_WORDS", 1)
    monkeypatch.setattr(explain_zh_memo, "_WORDS_MAX", 1)
    assert [decision_text_zh(d, words) for d in result.decisions] == want
    assert len(explain_zh_memo._MEMOS) <= 1
    kept = next(iter(explain_zh_memo._MEMOS.values()))[1]
    assert all(len(m) <= 1 for m in kept.values())


def test_claims_a_condition_refused_made_as_the_general_way(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # i1: share 5% < 10%; i2: no kinds; i3: kind b (3 % 3 == 0), share 5% and no kinds
    # (three conditions false, three reasons); i4: ok not given and big false (an unknown
    # condition) with share 5%: the general way; i5: eligible
    facts = policy.read_facts(
        {
            "firms": [
                {
                    "id": "g",
                    "items": [
                        _item(1, True, 5, ["a"], 10),
                        _item(2, True, 20, [], 10),
                        _item(3, True, 5, [], 10),
                        {**_item(5, None, 5, ["a"], 10), "id": "i4"},
                        _item(5, True, 20, ["a"], 10),
                    ],
                }
            ]
        }
    )
    made: list[str | None] = []
    real = rows_module.failed_decision

    def counted(*args: Any) -> Any:
        d = real(*args)
        made.append(None if d is None else d.subject)
        return d

    monkeypatch.setattr(rows_module, "failed_decision", counted)
    got = policy.evaluate(facts)
    want = general_way(policy).evaluate(facts)
    assert got == want
    by = {d.subject: d for d in got.decisions}
    assert [by[f"g/i{n}"].status for n in range(1, 6)] == ["not_eligible"] * 4 + ["eligible"]
    assert len(by["g/i3"].reasons) == 3
    assert [st.ok for st in by["g/i3"].trace] == [True, False, False, False]
    assert {"g/i1", "g/i2", "g/i3"} <= set(made)
    assert not {"g/i4", "g/i5"} & set(made)
    for a, b in zip(got.decisions, want.decisions, strict=True):
        assert decision_text(a, verbose=True) == decision_text(b, verbose=True)
        assert decision_text_zh(a, got._words, verbose=True) == _fresh(b, want._words, True)
