"""The pieces the Chinese text of a paid claim is said with from its row, without the
evaluator's English texts of them (backends/python/texts_zh.py): a cap's account from its
parts (``scope_zh``), a money fact's value as written (``money_as_written``), and a claim
whose id the evaluator's text of its account would read back otherwise.  Each is checked
against the way a made decision is said."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.explain_zh import explain_text_zh
from policyrules.explain_zh_caps import _scope, scope_zh
from policyrules.runtime.money import cn_text
from policyrules.words import money_as_written, value_zh
from strategies import compile_text

TYPED_RULES = """entity firm "企业"
  list firms
  fact base: money "申报基数"
  fact kind: Kind "类别"
  fact kinds: set of Kind "类别集合"
  fact score: number "评分"

enum Kind "类别" {
  large "100 万元",
  small "小型",
}

document d "测试"

clause 1 "补助"
  quote "每家企业补助 10 万元。"

  award grant "补助"
    for each firm
    eligible when score >= 0
    amount 10 万元
"""

_IDENT = st.text(string.ascii_letters + string.digits + "-_ ,.年/\u4e00", min_size=1, max_size=12)


@settings(max_examples=300)
@given(
    entity=st.sampled_from(["firm", "product", "project_kind"]),
    ident=_IDENT,
    year=st.none() | st.integers(1, 9999),
)
def test_an_account_said_from_its_parts_as_from_its_text(
    entity: str, ident: str, year: int | None
) -> None:
    """An account said from its parts (``CapEvent.account``) reads as the evaluator's text
    of it read back (a ``CapEvent`` made without them) wherever that text is not
    ambiguous: an id not empty, holding no newline and no ``, year ``."""
    if "\n" in ident or ", year " in ident:
        return  # said from its text: the words may differ, by design
    policy = compile_text(TYPED_RULES)
    w = policy.words
    where = f"{entity} {ident}" if year is None else f"{entity} {ident}, year {year}"
    assert scope_zh(w.entity(entity), ident, year) == _scope(w, where)


@pytest.mark.parametrize("ident", ["f, year 2026", "f2, year 1", "a, year"])
def test_an_id_that_reads_like_a_year_names_its_own_account(ident: str) -> None:
    """A firm whose id ends ``, year 2026`` under a cap per firm (no year): its account is
    said from its parts (``CapEvent.account``), the firm and no year, not read back from
    the evaluator's text ``firm f, year 2026`` as firm f in 2026; alike from the row and
    from the decision."""
    policy = compile_text(
        TYPED_RULES.replace("    amount 10 万元\n", "    amount 10 万元\n    cap 5 万元 per firm\n")
    )
    facts = {"firms": [{"id": ident, "base": "1 万元", "score": "1"}]}
    made = policy.evaluate(facts)
    [event] = made.decisions[0].caps
    assert event.account == ("firm", ident, None)
    text = policy.evaluate(facts).explain()
    assert text == explain_text_zh(made, policy.words)
    assert f"（企业 {ident}）" in text
    assert "年度）" not in text


@settings(max_examples=200)
@given(fen=st.integers(-(10**15), 10**15))
def test_a_money_value_is_said_as_written_but_under_an_enum(fen: int) -> None:
    """``value_zh`` gives money's text as it is for a money, number, text or date fact;
    under an enum (or a set of one) it looks the text up among the members' names: the
    member ``large`` is titled ``100 万元`` here, but a member named so would be read."""
    w = compile_text(TYPED_RULES).words
    text = cn_text(fen)
    for key in ("firm.base", "firm.score"):
        t = w.fact(key)
        assert t is not None
        assert money_as_written(t.type)
        assert value_zh(text, t.type, w) == text
    for key in ("firm.kind", "firm.kinds"):
        t = w.fact(key)
        assert t is not None
        assert not money_as_written(t.type)
    assert money_as_written(None)


def test_a_member_named_as_money_is_said_by_its_title() -> None:
    """Why ``money_as_written`` is false under an enum: ``large`` said by its title."""
    w = compile_text(TYPED_RULES).words
    kind = w.fact("firm.kind")
    assert kind is not None
    assert value_zh("large", kind.type, w) == "100 万元"


@pytest.mark.parametrize(
    ("firm", "from_row"),
    [
        (
            {
                "id": "f1",
                "base": "123.45 元",
                "kind": "large",
                "kinds": ["small", "large"],
                "score": "7",
            },
            True,
        ),
        ({"id": "f2", "base": "200 万元", "kind": "small", "kinds": [], "score": "0"}, True),
        # kinds not given: the claim is decided the general way, and said from its decision
        ({"id": "f3", "base": "3 元", "kind": "large", "score": "1.50"}, False),
    ],
)
def test_the_facts_of_a_paid_claim_said_as_its_decision_says_them(
    firm: dict[str, object], from_row: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Money, an enum and a set of one by their titles, a number, facts not given: the
    facts line of a claim paid its fact ``base`` (read from its subject, not through the
    English texts) is the decision's."""
    from policyrules.backends.python import texts_zh

    policy = compile_text(
        TYPED_RULES.replace("    amount 10 万元\n", "    amount base\n").replace(
            "    eligible when score >= 0\n",
            "    eligible when score >= 0\n    eligible when kind != small or kinds = {}\n",
        )
    )
    facts = {"firms": [firm]}
    want = explain_text_zh(policy.evaluate(facts), policy.words)

    def general(*args: object) -> None:
        raise AssertionError("the facts said from their English texts")

    monkeypatch.setattr(texts_zh.PaidZh, "pairs_line", general)
    result = policy.evaluate(facts)
    assert result._texts_zh is not None
    assert [type(x) is str for x in result._texts_zh(policy.words)] == [from_row]
    assert result.explain() == want
    assert "  所依据的情况：申报基数：" in want
