"""The caps a whole ledger is checked against, found once for both checkers: a ledger
file's (:func:`policyrules.ledger_check.check_caps`) and a batch's ledger table in SQL
(:mod:`policyrules.tables_ledger_check`), which each found them by a copy of the same loop."""

from __future__ import annotations

from policyrules.ledger_check import fixed_caps
from strategies import compile_text
from support import products_head

WAN = 1_000_000  # fen in 1 万元


def test_each_cap_whose_limit_needs_no_facts_comes_once_with_its_pool() -> None:
    """a and b share pool p (100 万元 per firm): it comes once, counting both awards' grants;
    c's 50 万元 per product counts c's own; d's cap per claim counts d's own; e's limit is
    a parameter with no value, so it cannot be checked before the facts: left out."""
    policy = compile_text(
        'parameter e_limit: money "上限"\n'
        + products_head("awarded: money")
        + """
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p

  award b
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p

  award c
    for each product
    amount decided awarded
    cap 50 万元 per product

  award d
    for each product
    amount decided awarded
    cap 30 万元

  award e
    for each product
    amount decided awarded
    cap e_limit per product
"""
    )
    compiled = policy.compiled
    found = [
        (cp.info.id, cap.text, limit.fen, sorted(pool))
        for cp, cap, limit, pool in fixed_caps(
            compiled, compiled.parameter_defaults, compiled.assumption_defaults
        )
    ]
    assert found == [
        ("d/1/a", "100 万元 per firm", 100 * WAN, ["d/1/a", "d/1/b"]),
        ("d/1/c", "50 万元 per product", 50 * WAN, ["d/1/c"]),
        ("d/1/d", "30 万元", 30 * WAN, ["d/1/d"]),
    ]
