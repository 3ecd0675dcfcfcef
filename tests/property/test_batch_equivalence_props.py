"""The batch (SQL on DuckDB) path gives the one-by-one path's decisions, row for row.

For random registries (several firms, products and projects across 2025-2026, facts missing
at random, a ledger of earlier grants, open parameters set or not), every decision of the
batch equals ``evaluate``'s for the same provision and subject: status, amount in fen,
amount kind, missing facts, missing parameters, assumptions used; and the grants agree.
Run on the measures that hold every kind of construct of the shipped policy's awards
(measure 3: eligibility, once per product, per-product cap, the ordered firm-year cap
against the ledger; 6: sets, ``year()``, if-then-else on assumptions, an open rate; 7: rate
× base rounded down, decided amounts under rate caps; 13: an open rate with an ordered cap;
2: entitlements and ``average`` targets), compiled once.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import batch_registries

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.compile import compile_policy
from policyrules.evaluate import evaluate
from policyrules.model import CheckedPolicy
from policyrules.runtime.calendar import WorkCalendar
from policyrules.runtime.money import Money
from policyrules.runtime.values import Value

CLAUSES = {
    "jjxf_2025_50/2",
    "jjxf_2025_50/3",
    "jjxf_2025_50/6",
    "jjxf_2025_50/7",
    "jjxf_2025_50/13",
}


@functools.cache
def _policy() -> tuple[policyrules.Policy, CheckedPolicy]:
    policy = policyrules.load("policies/beijing_2025")
    part = attrs.evolve(
        policy.checked, clauses=tuple(c for c in policy.checked.clauses if c.id in CLAUSES)
    )
    return policy, part


@functools.cache
def _plans(rate_set: bool) -> Any:
    _, part = _policy()
    return compile_batch(part, parameters=_params(rate_set))


def _params(rate_set: bool) -> dict[str, Value]:
    if not rate_set:
        return {}
    return {"rd_reward_rate": Decimal("0.15"), "overseas_support_rate": Decimal("0.333")}


def one_by_one(part: CheckedPolicy, facts: Any, ledger: Any, params: dict[str, Value]) -> Any:
    compiled = compile_policy(part)
    return evaluate(
        compiled,
        facts,
        ledger=ledger,
        parameters={**compiled.parameter_defaults, **params},
        assumptions=compiled.assumption_defaults,
        calendar=WorkCalendar(),
    )


def batch(
    part: CheckedPolicy, facts: Any, ledger: Any, rate_set: bool
) -> tuple[list[Any], list[Any]]:
    con = engine.connect()
    engine.load_facts(con, part, facts, ledger)
    engine.run_plan(con, _plans(rate_set))
    rows = con.execute(
        "SELECT provision, subject, status, amount, amount_kind, missing_facts,"
        " missing_parameters, assumptions FROM decisions"
    ).fetchall()
    names = [e.name for e in part.entities]
    grants = con.execute(
        f"SELECT provision, {', '.join(names)}, amount, year FROM grants"
    ).fetchall()
    return rows, grants


@settings(max_examples=max(8, settings().max_examples // 10))
@given(batch_registries(), st.booleans())
def test_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]], rate_set: bool
) -> None:
    policy, part = _policy()
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(part, facts, ledger, _params(rate_set))
    rows, got_grants = batch(part, facts, ledger, rate_set)
    got = {(r[0], r[1]): r[2:] for r in rows}
    want = {
        (d.provision, d.subject): (
            d.status,
            d.amount.fen if isinstance(d.amount, Money) else None,
            d.amount_kind,
            list(d.missing_facts),
            list(d.missing_parameters),
            sorted(a for a, _ in d.assumptions),
        )
        for d in expected.decisions
    }
    assert len(rows) == len(expected.decisions)
    for key, value in want.items():
        assert got[key] == value, key
    names = [e.name for e in part.entities]
    want_grants = sorted(
        (g.provision, *(dict(g.path).get(n) for n in names), g.amount.fen, g.year)
        for g in expected.grants
    )
    assert sorted(got_grants, key=repr) == sorted(want_grants, key=repr)
