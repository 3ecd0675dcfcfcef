"""Issue 9 §6 and §7: keywords never name anything; periods and expressions never crash.

Every check error is asserted by code and place; every evaluation by its value, worked out by
hand in a comment.
"""

from __future__ import annotations

import datetime as dt

import lark
import pytest

from policyrules import Money
from policyrules.check_names import reserved_words
from policyrules.parse import grammar_text
from strategies import compile_text
from support import diagnostics as _diagnostics

# ---- §6: names and keywords ----------------------------------------------------------------


def test_reserved_words_are_the_grammars_keywords() -> None:
    """The reserved set holds the expected words and every keyword lark finds in the grammar,
    so a keyword added to the grammar is reserved without a list to update."""
    expected = {"true", "false", "and", "or", "not", "in", "if", "then", "else", "of"}
    expected |= {"award", "deadline", "target", "each", "decided", "year", "force", "per"}
    grammar = lark.Lark(grammar_text(), parser="lalr")
    from_lark = {
        t.pattern.value
        for t in grammar.terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
    }
    # `limit` only opens a statement and is read as a name anywhere else (a soft keyword,
    # the guide's §2): every other keyword is reserved.
    soft = {"limit"}
    assert soft <= from_lark
    assert (expected | from_lark) - soft <= reserved_words()
    assert not ({"firm", "base", "min", "money", "known"} | soft) & reserved_words()


# One template per place a name is declared; {w} is the name.  Each is valid with a plain name.
_POSITIONS = {
    "fact": "entity firm\n  list firms\n  fact {w}: bool\n",
    "entity": "entity {w}\n  list firms\n",
    "list": "entity firm\n  list {w}\n",
    "enum": "enum {w} {{ a, b }}\n",
    "enum member": "enum Route {{ a, {w} }}\n",
    "parameter": 'parameter {w}: rate "比例"\n',
    "assumption": 'assumption {w}: date = 2025-01-01 "起算"\n',
    "document": 'document {w} "t"\n',
    "clause label": 'document d "t"\nclause "{w}"\n  quote "q"\n',
    "provision": (
        'entity firm\n  list firms\ndocument d "t"\nclause 1\n  quote "q"\n'
        '  entitlement {w}\n    consequence "c"\n'
    ),
    "pool": (
        'entity firm\n  list firms\ndocument d "t"\nclause 1\n  quote "q"\n'
        "  award a\n    for each firm\n    amount 5 元\n    cap 5 元 per firm shared {w}\n"
    ),
}


@pytest.mark.parametrize("position", sorted(_POSITIONS))
def test_every_reserved_word_is_refused_in_every_position(position: str) -> None:
    """For each reserved word in this position: E240, at the name, with a hint; and the same
    template with an ordinary name checks clean."""
    template = _POSITIONS[position]
    assert _diagnostics(template.format(w="plain_name")) == []
    for word in sorted(reserved_words()):
        text = template.format(w=word)
        found = [d for d in _diagnostics(text) if d.code == "E240"]
        assert len(found) == 1, (word, position)
        span = found[0].span
        assert span is not None
        line = text.splitlines()[span.line - 1]
        # The span is the name itself (inside quotes for a string label).
        assert line[span.col - 1 : span.end_col - 1].strip('"') == word
        assert f"not a name for a{'n' if position[0] in 'aeiou' else ''} {position}" in (
            found[0].message
        )
        assert found[0].hint


def test_fact_named_true_is_refused_with_a_hint() -> None:
    """The issue's example: `fact true: bool` is E240 at the name, hinting `is_true`."""
    text = "entity firm\n  list firms\n  fact true: bool\n"
    (d,) = _diagnostics(text)
    assert (d.code, d.span and (d.span.line, d.span.col, d.span.end_col)) == ("E240", (3, 8, 12))
    assert d.hint == "`true` is a keyword; rename the fact, e.g. `is_true`"


# ---- §7: periods -----------------------------------------------------------------------------

_DEADLINE = """entity firm
  list firms
  fact accepted_on: date
  fact limit_days: 日
  fact used_days: 日
  fact ms: list of money
  fact ok: bool

document d "t"

clause 1
  quote "q"

  deadline review
    for each firm
    due {period} after accepted_on
"""


@pytest.mark.parametrize(
    ("period", "code", "message"),
    [
        ("-5 日", "E241", "the period -5 日: a period cannot be negative"),
        ("3 日 - 5 日", "E241", "the period 3 日 - 5 日 is -2 日: a period cannot be negative"),
        ("-(2 周)", "E241", "the period -2 周: a period cannot be negative"),
        ("1.5 月", "E242", "the period 1.5 月: a period is a whole number of its unit"),
        ("3 工作日 × 0.5", "E242", "the period 3 工作日 × 0.5 is 1.5 工作日: a period is a"),
    ],
)
def test_constant_period_below_zero_or_not_whole_is_a_check_error(
    period: str, code: str, message: str
) -> None:
    """A constant period is computed by check: below zero is E241, not whole E242, at it."""
    (d,) = _diagnostics(_DEADLINE.format(period=period))
    assert d.code == code
    assert d.message.startswith(message)
    assert d.span is not None
    assert (d.span.line, d.span.col) == (16, 9)


def test_negative_computed_period_makes_that_decision_unknown() -> None:
    """limit_days - used_days = 10 - 13 = -3 日: that firm's deadline is unknown with the
    reason; the other firm's stands: 10 - 3 = 7 日 after 2025-03-01 is 03-08, a Saturday, so
    the period ends on the next working day, Monday 2025-03-10."""
    policy = compile_text(_DEADLINE.format(period="limit_days - used_days"))
    firms = [
        {"id": "a", "accepted_on": "2025-03-01", "limit_days": 10, "used_days": 13},
        {"id": "b", "accepted_on": "2025-03-01", "limit_days": 10, "used_days": 3},
    ]
    a, b = policy.evaluate({"firms": firms}).decisions
    assert (a.status, a.reasons) == (
        "unknown",
        ("E410: the period limit_days - used_days is -3 日: a period cannot be negative",),
    )
    assert (b.status, b.due) == ("pending", dt.date(2025, 3, 10))


def test_computed_period_not_whole_is_unknown() -> None:
    """limit_days × 0.5 = 5 日 × 0.5 = 2.5 日: a period that is not whole cannot be counted
    (E401), and the decision is unknown."""
    policy = compile_text(_DEADLINE.format(period="limit_days × 0.5"))
    facts = {"firms": [{"id": "a", "accepted_on": "2025-03-03", "limit_days": 5}]}
    (d,) = policy.evaluate(facts).decisions
    assert d.status == "unknown"
    assert d.reasons == (
        "E401: the period limit_days × 0.5 is 2.5 日: a period is a whole number of its unit",
    )


# ---- §7: other expressions that cannot be computed -------------------------------------------

_AWARD = """entity firm
  list firms
  fact base: money
  fact n: number
  fact ms: list of money
  fact ok: bool

document d "t"

clause 1
  quote "q"

  award a
    for each firm
{lines}
"""


def _award(*lines: str) -> str:
    return _AWARD.format(lines="\n".join(f"    {x}" for x in lines))


def test_empty_list_min_max_average_are_unknown_sum_is_zero() -> None:
    """max/average of no amounts have no value (E414: unknown, with why); sum of none is 0 元."""
    policy = compile_text(_award("eligible when max(ms) > 5 元", "amount average(ms)"))
    (d,) = policy.evaluate({"firms": [{"id": "f", "ms": []}]}).decisions
    assert (d.status, d.reasons) == (
        "unknown",
        ("E414: max(ms): max() of an empty list has no value",),
    )
    assert d.missing_facts == ()
    total = compile_text(_award("amount sum(ms) + 1 元"))
    (d,) = total.evaluate({"firms": [{"id": "f", "ms": []}]}).decisions
    assert (d.status, d.amount) == ("eligible", Money.of(1))  # 0 元 + 1 元


def test_a_false_condition_decides_even_beside_an_undecidable_one() -> None:
    """`max(ms) > 5 元` cannot be decided on no amounts; `ok` false makes the firm not
    eligible all the same (false and anything is false); with `ok` true it is unknown."""
    policy = compile_text(_award("eligible when max(ms) > 5 元", "eligible when ok", "amount 5 元"))
    firms = [{"id": "no", "ms": [], "ok": False}, {"id": "yes", "ms": [], "ok": True}]
    no, yes = policy.evaluate({"firms": firms}).decisions
    assert no.status == "not_eligible"
    assert (yes.status, yes.reasons) == (
        "unknown",
        ("E414: max(ms): max() of an empty list has no value",),
    )


def test_result_beyond_forty_digits_is_unknown() -> None:
    """base × n = 1 元 × 10^39 = 10^41 fen: more than 40 digits (E412), unknown; the other
    firm's 1 元 × 3 = 3 元 stands."""
    policy = compile_text(_award("amount base × n"))
    firms = [
        {"id": "big", "base": "1 元", "n": "1" + "0" * 39},
        {"id": "small", "base": "1 元", "n": 3},
    ]
    big, small = policy.evaluate({"firms": firms}).decisions
    assert (big.status, big.reasons) == (
        "unknown",
        ("E412: base × n is too large: more than 40 digits",),
    )
    assert small.amount == Money.of(3)


def test_in_compares_durations_by_length() -> None:
    """`7 日 in {1 周}` is true, as `7 日 = 1 周` is: 1 周 is 7 日."""
    policy = compile_text(
        _award(
            "eligible when 7 日 in {1 周} and 7 日 = 1 周 and not (8 日 in {1 周})", "amount 1 元"
        )
    )
    (d,) = policy.evaluate({"firms": [{"id": "f"}]}).decisions
    assert d.status == "eligible"


def test_min_max_of_values_that_do_not_order_is_a_check_error() -> None:
    """max() orders what `<` orders: not bools, enums, sets or text (E204)."""
    (d,) = _diagnostics(_award("eligible when max(ok, true)", "amount 1 元"))
    assert (d.code, d.message) == ("E204", "max() does not order bool")


def test_constant_that_cannot_be_computed_is_a_check_error() -> None:
    """min({}) has no value and 1 元 × 10^39 is 10^41 fen, 42 digits: E243 at each."""
    diags = _diagnostics(
        _award("amount base + min({}) + 1 元 × 1000000000000000000000000000000000000000")
    )
    assert [(d.code, d.span and d.span.col) for d in diags] == [("E243", 19), ("E243", 29)]


def test_a_long_inexact_average_prints() -> None:
    """An average of 39-digit durations, (10^39 - 1 + 1 + 0) / 3 = 333…333.33…, prints with
    all its 39 digits before the point, and its margin 5 - 333…333.33… = -333…328.33… is exact
    (it raised InvalidOperation past 28 digits, and the margin was rounded to 28 digits)."""
    policy = compile_text(
        'entity firm\n  list firms\n  fact days: list of 日\ndocument d "t"\nclause 1\n'
        '  quote "q"\n  target t\n    for each firm\n    require average(days) <= 5 日\n'
    )
    facts = {"firms": [{"id": "f", "days": [10**39 - 1, 1, 0]}]}
    (d,) = policy.evaluate(facts).decisions
    assert d.status == "not_met"
    assert d.margin == f"≈{'3' * 39}.33 日 against 5 日: margin ≈-{'3' * 37}28.33 日"
