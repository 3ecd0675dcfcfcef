"""What the grants alone read after a window carrying its award's rows (issue 10, the
grants alone ≥ 0.8× the hand query): exactness without comparing amounts where the
window's ``hi`` is its ``lo`` by construction (``tight``, a literal in those parts of the
union)."""

from __future__ import annotations

import re

import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql.plan import SqlPlan

POLICY = "policies/beijing_2025"


def _plan() -> SqlPlan:
    return compile_batch(policyrules.load(POLICY).checked)


def _wide(plan: SqlPlan) -> list[tuple[str, str]]:
    """(award, window) of each window carrying its award's rows (its ``_j`` joins nothing)."""
    out = []
    for name, query in plan.steps:
        if re.fullmatch(r"p\d+_j", name) and query.find(exp.Join) is None:
            window = next(t.name for t in query.find_all(exp.Table) if t.name.startswith("w"))
            out.append((name.removesuffix("_j"), window))
    return out


def test_tight_is_a_literal_where_hi_is_lo_and_the_kind_reads_it() -> None:
    plan = _plan()
    steps = dict(plan.steps)
    for award, window in _wide(plan):
        union = steps[window]
        assert isinstance(union, exp.Union)
        inner = union.this
        assert isinstance(inner, exp.Union)
        certain, outside = inner.this, union.expression
        uncertain = steps[f"{window}_x"]
        for part, value in ((certain, True), (outside, True), (uncertain, False)):
            assert isinstance(part, exp.Select)
            given = {e.alias_or_name: e.this for e in part.expressions if e.alias_or_name}
            assert given["tight"] == exp.Boolean(this=value), (window, part.sql())
            if value:  # hi and lo the same expression there
                assert given["hi"] == given["lo"], (window, part.sql())
        kind = next(
            e.this for e in steps[f"{award}_e"].expressions if e.alias_or_name == "amount_kind"
        )
        assert "tight" in {c.name for c in kind.find_all(exp.Column)}, award
