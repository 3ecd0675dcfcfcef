"""The paid facts' line generated per plan (``backends/python/texts_gen.py``) says what the
loop (``texts._facts_line``) says, value for value, and hands the same claims to the
general way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from policyrules import Money
from policyrules.backends.python import texts_gen
from policyrules.backends.python.rows_caps import rare_text
from policyrules.backends.python.texts import _facts_line
from policyrules.explain import decision_text
from policyrules.instances import Instance
from policyrules.runtime.values import NONE, format_value
from strategies import compile_text
from support import PRODUCT_RULES

# A product's five facts and its firm's id and sector, as a plan lists them (key, owner,
# name, whether a rate, the lead the line writes before the value).
FACTS = (
    ("firm.id", "firm", "id", False, "  facts: firm.id = "),
    ("firm.sector", "firm", "sector", False, "; firm.sector = "),
    ("product.approved_on", "product", "approved_on", False, "; product.approved_on = "),
    ("product.reward", "product", "reward", False, "; product.reward = "),
    ("product.routes", "product", "routes", False, "; product.routes = "),
    ("product.share", "product", "share", True, "; product.share = "),
    ("product.other", "product", "other", False, "; product.other = "),
)
WANT = "product.reward"


def product(firm_values: dict[str, Any], values: dict[str, Any], firm_id: str = "f1") -> Instance:
    firm = Instance("firm", firm_id, firm_values, None, "firms[0]")
    return Instance("product", "P1", values, firm, "firms[0].products[0]")


FULL = {
    "approved_on": dt.date(2026, 9, 12),
    "reward": Money(226_003_897),  # 2,260,038.97 元
    "routes": frozenset({"national_priority_review"}),
    "share": Decimal("0.3"),
    "other": True,
}


# Their kinds as declared (the id: none), and kinds declared other than their values
# (each value then said as any value is); for a plan of other facts, the first few of
# each, as good as wrong.
KINDS = (None, "text", "date", "money", "set", "rate", "bool")
WRONG = ("money", "date", "bool", "set", "money", "date", "set")


def said_both(inst: Instance, facts: Any = FACTS, want: str = WANT) -> tuple[Any, list[str]]:
    """The generated functions' answer (the kinds known, wrong or not known) and what it
    added to ``shown``, checked against the loop's."""
    loop_shown: list[str] = []
    want_said = _facts_line(inst, want, facts, loop_shown)
    answers = []
    for kinds in ((), KINDS[: len(facts)], WRONG[: len(facts)]):
        made = texts_gen.facts_said_en(facts, want, kinds)
        assert made is not None
        shown: list[str] = []
        got = made(inst, shown)
        assert got == want_said, kinds
        assert shown == loop_shown, kinds
        answers.append((got, shown))
    return answers[0]


def test_a_line_of_every_kind_of_value_is_the_loops() -> None:
    """Money, a date, yes/no, a set, a rate, a text and an id, each as the loop says it."""
    got, shown = said_both(product({"sector": "医疗器械"}, FULL))
    assert got == (
        "  facts: firm.id = f1; firm.sector = 医疗器械; product.approved_on = 2026-09-12;"
        " product.reward = 2,260,038.97 元; product.routes = {national_priority_review};"
        " product.share = 30%; product.other = true"
    )
    assert shown == []


@pytest.mark.parametrize(
    ("firm_values", "values", "why"),
    [
        ({"sector": "x"}, {**FULL, "routes": NONE}, "a fact stated none"),
        ({}, FULL, "a fact missing (its owner the firm)"),
        ({"sector": "x"}, {k: v for k, v in FULL.items() if k != "other"}, "the last missing"),
    ],
)
def test_a_claim_the_loop_hands_on_is_handed_on(
    firm_values: dict[str, Any], values: dict[str, Any], why: str
) -> None:
    """Where the loop hands the claim to the general way, the function does too."""
    got, _ = said_both(product(firm_values, values))
    assert got is texts_gen.GENERAL, why


def test_a_fact_of_no_owner_on_the_path_is_handed_on() -> None:
    """A product listed without its firm: the firm's facts are not under the subject."""
    alone = Instance("product", "P1", FULL, None, "products[0]")
    got, _ = said_both(alone)
    assert got is texts_gen.GENERAL


def test_a_value_to_escape_is_added_to_shown() -> None:
    """A text fact and an id holding an escape sequence or a bidi mark are said as they are
    and added to ``shown`` (the caller escapes the text), as by the loop."""
    got, shown = said_both(product({"sector": "a\x1b[2J"}, FULL, firm_id="f\u202e1"))
    assert shown == ["f\u202e1", "a\x1b[2J"]
    assert "firm.id = f\u202e1; firm.sector = a\x1b[2J;" in got


def test_an_amount_read_as_none_leaves_it_to_the_general_way() -> None:
    """A value of Python's None (facts built in Python) for the amount: the loop returns
    None (the amount's fact not read) once every fact is said; so does the function."""
    got, _ = said_both(product({"sector": "x"}, {**FULL, "reward": None}))
    assert got is None


def test_a_plan_without_the_amounts_fact_or_facts_has_no_function() -> None:
    assert texts_gen.facts_said_en(FACTS, "product.cost") is None
    assert texts_gen.facts_said_en((), WANT) is None


def test_the_function_is_made_once_for_a_plans_facts() -> None:
    """Evaluations with parameters of their own make their plans again: the function is
    found by the facts, not generated again."""
    first = texts_gen.facts_said_en(FACTS, WANT)
    again = texts_gen.facts_said_en(tuple(FACTS), WANT)
    assert first is again


def test_no_text_of_the_rule_or_the_facts_is_written_into_the_source() -> None:
    """Leads and names hold quotes, braces and a newline: they are constants of the
    namespace, and the source passes codegen's guard; the line says them as given."""
    odd = (("product.reward", "product", "reward", False, "  facts: \"}\n{__import__('os')}"),)
    got, _ = said_both(product({}, FULL), odd)
    assert got == "  facts: \"}\n{__import__('os')}2,260,038.97 元"


def test_the_functions_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound (here 1) a function is made and not kept: it says the same line."""
    monkeypatch.setattr(texts_gen, "_MADE", {})
    monkeypatch.setattr(texts_gen, "_MADE_MAX", 1)
    texts_gen.facts_said_en(FACTS, WANT)
    later = FACTS[2:]
    made = texts_gen.facts_said_en(later, WANT)
    assert len(texts_gen._MADE) == 1
    assert texts_gen.facts_said_en(later, WANT) is not made
    said_both(product({}, FULL), later)


def test_a_set_is_said_again_by_its_kept_text_unless_it_needs_escaping() -> None:
    """A set that holds nothing to escape is kept by its value once said (the next claim
    finds it); one holding a bidi mark is said by the loop's way each time, and added to
    ``shown`` each time."""
    safe = frozenset({"national_priority_review", "special_review"})
    unsafe = frozenset({"review\u202e"})
    for _ in range(2):
        got, shown = said_both(product({"sector": "x"}, {**FULL, "routes": safe}))
        assert "product.routes = {national_priority_review, special_review};" in got
        assert shown == []
    assert texts_gen._SETS[safe] == "{national_priority_review, special_review}"
    for _ in range(2):
        got, shown = said_both(product({"sector": "x"}, {**FULL, "routes": unsafe}))
        assert shown == ["{review\u202e}"]
    assert unsafe not in texts_gen._SETS


def test_only_sets_are_kept_and_boundedly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts, ids and rates are said afresh (only a set's text is kept), and past the bound
    a set is said afresh too, alike."""
    kept = texts_gen._SETS
    monkeypatch.setattr(texts_gen, "_SETS_MAX", len(kept) + 1)  # room for one more
    first, second = frozenset({"only_sets_1"}), frozenset({"only_sets_2"})
    said_both(product({"sector": "医疗器械"}, {**FULL, "routes": first}))
    assert first in kept
    assert all(type(key) is frozenset for key in kept)
    said_both(product({"sector": "医疗器械"}, {**FULL, "routes": second}))  # past the bound
    assert second not in kept


def test_an_evaluation_makes_the_function_with_the_declared_kinds() -> None:
    """The facts a paid plan shows, sorted by key (remark, then reward), with the kinds
    the rule declares them: text, money."""
    policy = compile_text(PRODUCT_RULES)
    products = [{"id": "P1", "reward": "60 万元", "remark": "-"}]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    [text] = result.decision_texts()
    assert "  facts: product.remark = -; product.reward = 60 万元" in text
    keys = [key for key in texts_gen._MADE if key[0][0][0] == "product.remark"]
    assert ("text", "money") in [key[2] for key in keys]


def test_equal_sets_written_apart_are_said_as_the_loop_says_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """{1.000000} and {1.0000000} are equal sets said apart ({1}, {≈1.00}).  Once the
    loop's memo of sets is full (here: it keeps none), it says each from its own value; the
    generated function keeps no set the loop does not, and says them alike (found by the
    review: it said the second as the first)."""
    from policyrules.backends.python import rows_caps

    monkeypatch.setattr(rows_caps, "_SETS_MAX", len(rows_caps._SETS))  # full
    first, second = frozenset({Decimal("1.000000")}), frozenset({Decimal("1.0000000")})
    assert first == second
    for codes in (first, second):
        got, _ = said_both(product({"sector": "x"}, {**FULL, "routes": codes}))
        assert f"product.routes = {format_value(codes)};" in got
    assert first not in texts_gen._SETS
    fresh = frozenset({"equal_sets_fresh"})  # a set of texts, past the full memo's bound
    assert rare_text(fresh, False) == "{equal_sets_fresh}"
    assert fresh not in rows_caps._SETS


CODES_RULES = """entity firm "企业"
  list firms
  fact reward: money "奖励金额"
  fact codes: set of number "代码"

document d "测试"

clause 1 "奖励"
  quote "按核定金额奖励。"

  award grant "奖励"
    for each firm
    eligible when 7 not in codes
    amount reward
"""


def test_equal_sets_of_numbers_are_each_said_from_their_own_items() -> None:
    """Two firms' codes {1.000000} and {1.0000000} are equal sets, written {1} and {≈1.00}:
    each firm's facts' line says its own, from the row and from the decision alike (a set's
    text was kept by the set, and the second said as the first)."""
    policy = compile_text(CODES_RULES)
    facts = {
        "firms": [
            {"id": "f1", "reward": "1 万元", "codes": ["1.000000"]},
            {"id": "f2", "reward": "1 万元", "codes": ["1.0000000"]},
        ]
    }
    made = policy.evaluate(facts)
    texts = policy.evaluate(facts).decision_texts()
    assert texts == tuple(decision_text(d) for d in made.decisions)
    assert "  facts: firm.codes = {1}; firm.reward = 1 万元" in texts[0]
    assert "  facts: firm.codes = {≈1.00}; firm.reward = 1 万元" in texts[1]


def test_a_set_not_all_of_texts_is_said_from_its_own_items() -> None:
    """Facts built in Python may hold a set of a text and a number: such a set is not kept
    (an equal one may be written apart), each said from its own items."""
    first = frozenset({"a", Decimal("1.000000")})
    second = frozenset({"a", Decimal("1.0000000")})
    assert first == second
    assert rare_text(first, False) == format_value(first)
    assert rare_text(second, False) == format_value(second) != format_value(first)
