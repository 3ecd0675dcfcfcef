"""What the grants alone read after a window carrying its award's rows (issue 10, the
grants alone ≥ 0.8× the hand query): the amount after every cap from ``rstar`` and the
shared cap's ``hh<k>`` (not the request and each cap's room, which the window would carry
for them), and exactness without comparing amounts where the window's ``hi`` is its
``lo`` by construction (``tight``, a literal in those parts of the union)."""

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


def _read_from(plan: SqlPlan, top: str, wanted: set[str], stop: str) -> set[str]:
    """The columns of step ``stop`` that the columns ``wanted`` of step ``top`` are
    computed from, following the award's chain of ``SELECT *, expr AS name FROM prev``
    steps (each reads one step)."""
    steps = dict(plan.steps)
    name, need = top, set(wanted)
    while name != stop:
        query = steps[name]
        assert isinstance(query, exp.Select), name
        made = {e.alias: e.this for e in query.expressions if isinstance(e, exp.Alias)}
        star = any(isinstance(e, exp.Star) for e in query.expressions)
        passed = {c.name: c for c in query.expressions if isinstance(c, exp.Column)}
        below: set[str] = set()
        for c in need:
            if c in made:
                below |= {x.name for x in made[c].find_all(exp.Column)}
            else:
                assert star or c in passed, (name, c)
                below.add(c)
        where = query.args.get("where")
        if where is not None:
            below |= {x.name for x in where.find_all(exp.Column)}
        (source,) = {t.name for t in query.find_all(exp.Table)}
        name, need = source, below
    return need


def test_the_grants_alone_read_rstar_not_the_request_and_each_room() -> None:
    plan = _plan()
    wide = _wide(plan)
    assert wide  # 京经信发〔2025〕50号 第3条's firm-year cap at least
    only = plan.only(("grants",))
    (grants,) = [q for n, q in only.steps if n == only.grants]
    for award, window in wide:
        # what the grants of this award read of its stored step
        wanted = {c.name for c in grants.find_all(exp.Column)}
        read = _read_from(only, f"{award}_f", wanted & _stored(only, award), window)
        assert {"rstar", "cert"} <= read, (award, read)
        assert "req" not in read, (award, read)
        assert not {c for c in read if re.fullmatch(r"h\d+", c)}, (award, read)
    # The decisions still read the request and each cap's room (their binding caps).
    for award, window in wide:
        read = _read_from(plan, f"{award}_f", _stored(plan, award), window)
        assert {"req", "rstar"} <= read, (award, read)


def _stored(plan: SqlPlan, award: str) -> set[str]:
    query = dict(plan.steps)[f"{award}_f"]
    assert isinstance(query, exp.Select)
    return {e.alias_or_name for e in query.expressions}


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
