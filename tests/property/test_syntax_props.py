"""Properties of the syntax: printing round-trips, and checked policies always compile."""

from __future__ import annotations

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

import policyrules
from policyrules import RuleCheckError
from policyrules import syntax as s
from policyrules.parse import parse
from policyrules.printer import print_expr, print_module
from strategies import TYPED_HEADER, bool_exprs, expressions, modules, money_exprs


@given(modules())
def test_print_then_parse_round_trips(tree: s.Module) -> None:
    """Any syntax tree printed and parsed again is the same tree."""
    text = print_module(tree)
    assert tree == parse(text)


@given(modules())
def test_printing_is_idempotent(tree: s.Module) -> None:
    """Printing the parsed print gives the same text."""
    text = print_module(tree)
    assert text == print_module(parse(text))


@given(expressions)
def test_expression_round_trips(e: s.Expr) -> None:
    """A single expression keeps its structure through the printer's parentheses."""
    module = parse(f"parameter p: money = {print_expr(e)}")
    assert e == module.items[0].default


def _typed_policy(eligible: list[s.Expr], amount: s.Expr, cap: s.Expr | None) -> str:
    body: list[s.ProvisionStmt] = [s.Subject("product")]
    body += [s.Eligible(c) for c in eligible]
    body.append(s.Amount(amount))
    if cap is not None:
        body.append(s.Cap(cap, ("product",)))
    clause = s.Clause("1", "t", (s.Quote("q"),), (s.Provision("award", "a", None, tuple(body)),))
    return TYPED_HEADER + "\n" + print_module(s.Module((clause,)))


@given(
    st.lists(bool_exprs(), max_size=3),
    money_exprs(),
    st.none() | money_exprs(3),
)
def test_checked_policies_compile(
    eligible: list[s.Expr], amount: s.Expr, cap: s.Expr | None
) -> None:
    """If `check` accepts a policy, `compile_policy` never raises."""
    text = _typed_policy(eligible, amount, cap)
    try:
        checked = policyrules.check([parse(text, "t.rule")], texts={"t.rule": text}, sources={})
    except RuleCheckError:
        assume(False)
        raise
    compiled = policyrules.compile_policy(checked)
    assert len(compiled.provisions) == 1


@given(modules())
def test_generated_trees_that_check_compile(tree: s.Module) -> None:
    """Random trees rarely check; those that do compile without error."""
    text = print_module(tree)
    module = attrs.evolve(parse(text, "r.rule"))
    try:
        checked = policyrules.check([module], texts={"r.rule": text}, sources={})
    except RuleCheckError:
        return
    policyrules.compile_policy(checked)
