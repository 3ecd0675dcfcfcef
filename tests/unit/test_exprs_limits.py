"""Expressions at their limits: the 40-digit bound (E412), empty sets (E414), constant folding
(E243 at the largest constant part), an unknown `if` whose branch cannot be computed, and the
facts a `known()` guard waits on.

Every expected value is worked out by hand in the comment beside it (1 元 = 100 fen).
"""

from __future__ import annotations

import pytest

from policyrules import Money, RuleCheckError
from strategies import compile_text

HEAD = """enum Kind {{ alpha, beta }}

entity firm
  list firms
  fact base: money
  fact n: number
  fact a: bool
  fact b: bool
  fact m1: money
  fact ms: list of money

document d "测试"

clause 1 "奖励"
  quote "q"

  award t
    for each firm
{lines}
"""


def _award(*lines: str) -> str:
    return HEAD.format(lines="\n".join(f"    {x}" for x in lines))


def _check_errors(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(RuleCheckError) as info:
        compile_text(text)
    return [(d.code, d.span and d.span.col, d.message) for d in info.value.diagnostics]


def test_an_amount_of_exactly_ten_to_the_forty_fen_is_too_large() -> None:
    """1 元 × 10^38 = 100 × 10^38 = 10^40 fen: 41 digits, one more than allowed (E412,
    unknown).  1 元 × (10^38 − 1) = 10^40 − 100 fen: 40 digits, paid in full."""
    policy = compile_text(_award("amount base × n"))
    firms = [
        {"id": "edge", "base": "1 元", "n": "1" + "0" * 38},
        {"id": "under", "base": "1 元", "n": "9" * 38},
    ]
    edge, under = policy.evaluate({"firms": firms}).decisions
    assert (edge.status, edge.amount, edge.reasons) == (
        "unknown",
        None,
        ("E412: base × n is too large: more than 40 digits",),
    )
    assert (under.status, under.amount) == ("eligible", Money(10**40 - 100))


def test_sum_of_an_empty_set_literal_is_a_check_error() -> None:
    """`sum({})` has no element type, so no zero of a unit: E243 at `sum` (column 17 of
    "    amount base + sum({})"), with the E414 reason."""
    assert _check_errors(_award("amount base + sum({})")) == [
        (
            "E243",
            19,
            "this constant cannot be computed: sum({}): a set with no items has no unit to total",
        )
    ]


def test_a_constant_if_is_folded_whole() -> None:
    """`if alpha in {alpha} then 1 元 × 10^39 else 1 元` reads only an enum member, so the
    whole `if` is the largest constant part: E243 at the `if` (column 12), not at the
    product inside it (column 33)."""
    text = _award("amount if alpha in {alpha} then 1 元 × 1" + "0" * 39 + " else 1 元")
    [(code, col, message)] = _check_errors(text)
    assert (code, col) == ("E243", 12)
    assert "more than 40 digits" in message


def test_an_unknown_if_with_a_branch_that_cannot_be_computed_waits_on_its_condition() -> None:
    """`if a then max(ms) else 1 元` with `a` missing and `ms` empty: the `then` branch has no
    value (E414), so the amount is unknown and waits on `a` alone (with a = true it stays
    unknown, with the reason); with a = false it
    is the `else` branch, 1 元 = 100 fen."""
    policy = compile_text(_award("amount if a then max(ms) else 1 元"))
    unknown, known = policy.evaluate(
        {"firms": [{"id": "f", "ms": []}, {"id": "g", "ms": [], "a": False}]}
    ).decisions
    assert (unknown.status, unknown.amount_kind, unknown.missing_facts) == (
        "eligible",
        "unknown",
        ("firm.a",),
    )
    assert (known.status, known.amount) == ("eligible", Money(100))


def test_a_known_guard_waits_on_what_it_guards_once_the_fact_is_given() -> None:
    """`m1 > 0 元` and `not known(m1) or b`, neither m1 nor b given: today the guard is true
    (m1 is not known), but once m1 is given it holds only if b does, so the facts that settle
    the decision are m1 and b, not m1 alone."""
    policy = compile_text(
        _award("eligible when m1 > 0 元", "eligible when not known(m1) or b", "amount 1 元")
    )
    [d] = policy.evaluate({"firms": [{"id": "f"}]}).decisions
    assert (d.status, d.missing_facts) == ("unknown", ("firm.b", "firm.m1"))
