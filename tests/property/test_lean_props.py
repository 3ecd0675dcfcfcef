"""Awards without explanations served by the lean function are the same awards.

``evaluate(..., explain=False)`` serves a fused award's claims by its lean function
(:mod:`policyrules.backends.python.lean`: amounts and grants only) and makes its rows on
demand, by one replay of the fused function.  Over random claims of device measure 3 and of
a small policy with every shape the lean function writes (a one-time rule per firm, a cap
per claim, per firm, per firm and year, two caps on one account, a text `order by` key),
each with earlier grants, the result equals the one without lean functions, the one
without generated code (the general way), and, explanation fields set aside, the one with
explanations: every decision, grant and assumption.  An event says whether the lean
function served or declined (a fact missing, which it leaves to the fused function).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Money
from policyrules.api import Policy
from policyrules.backends.python.lean_order import (
    SMALL,
    _numbered,
    _ranks,
    by_ranks,
    by_tuples,
    served_order,
)
from policyrules.result import Decision, Result
from policyrules.runtime.order import natural_key
from strategies import agreeing, compile_text, launch_claims, within_caps

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元

SHAPES = """entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact day: date
  fact asked: money
  fact grade: text

document d "测试"
  valid from 2025-01-01 to 2027-12-31

clause 1 "条"
  quote "q"

  award once_firm "每企业一次"
    for each product
    eligible when day in force
    amount asked
    once per firm
    cap 300 万元
    order by grade, day

  award pooled "共用账户"
    for each product
    eligible when day in force
    amount asked
    cap 500 万元 per firm
    cap 700 万元 per firm
    cap 400 万元 per firm per year of day
    order by day, id
"""


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


@pytest.fixture(scope="module")
def shapes() -> Policy:
    return compile_text(SHAPES)


def _spied(policy: Policy, served: list[str]) -> Policy:
    """``policy`` whose lean functions note what they served or declined."""

    def spy(pid: str, fn: Any) -> Any:
        def lean(*args: Any) -> Any:
            got = fn(*args)
            served.append(f"{pid.rsplit('/', 1)[-1]} {'declined' if got is None else 'served'}")
            return got

        return lean

    lean = {pid: spy(pid, fn) for pid, fn in policy.compiled.lean.items()}
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, lean=lean))


def _without(policy: Policy, **what: Any) -> Policy:
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, **what))


def _bare(d: Decision) -> Decision:
    return attrs.evolve(d, trace=(), reasons=(), facts=(), parameters=())


def _same(policy: Policy, facts: Any, ledger: Any, grants_first: bool) -> None:
    ledger = agreeing(policy, facts, ledger)  # else refused alike (E349)
    served: list[str] = []
    lean = _spied(policy, served).evaluate(facts, ledger=ledger, explain=False)
    for outcome in sorted(set(served)):
        event(f"lean function {outcome}")
    if grants_first:  # the grants looked at before the decisions: one replay makes both
        assert lean.grants == tuple(lean.grants)
    fused = _without(policy, lean={}).evaluate(facts, ledger=ledger, explain=False)
    assert lean == fused  # decisions, grants, assumptions
    general = _without(policy, fast={}).evaluate(facts, ledger=ledger, explain=False)
    assert lean == general
    full = policy.evaluate(facts, ledger=ledger)
    assert [_bare(d) for d in full.decisions] == list(lean.decisions)
    assert (lean.grants, lean.assumptions) == (full.grants, full.assumptions)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(launch_claims(), st.booleans(), st.booleans())
def test_measure_3_same_result(
    shipped: Policy, claims: tuple[dict[str, Any], list[Grant]], complete: bool, first: bool
) -> None:
    raw, grants = claims
    if complete:  # every fact given: the lean function serves every claim
        for firm in raw["firms"]:
            for p in firm["products"]:
                p.setdefault("approved_on", "2026-03-02")
                p.setdefault("launch_routes", ["national_priority_review"])
                p.setdefault("other_national_project", False)
                p.setdefault("launch_reward_decided", "150 万元")
    _same(shipped, shipped.read_facts(raw), within_caps(shipped, grants), first)


_DAYS = (date(2024, 12, 31), date(2025, 3, 1), date(2025, 3, 1), date(2026, 7, 1))


@st.composite
def shape_claims(draw: st.DrawFn, policy: Policy) -> tuple[Any, tuple[Grant, ...]]:
    """Up to 3 firms of up to 6 products (ids whose natural order differs from their text
    order), asking 0-450 万元 on a few days (ties), graded by a text; a fact missing one
    time in thirty; earlier grants of either award to the same products."""
    firms = []
    for f in range(draw(st.integers(1, 3))):
        products = []
        for n in draw(st.lists(st.integers(1, 12), unique=True, max_size=6)):
            item: dict[str, Any] = {"id": f"P{n}"}
            fields = {
                "day": st.sampled_from(_DAYS).map(date.isoformat),
                "asked": st.integers(0, 450).map(lambda w: f"{w} 万元"),
                "grade": st.sampled_from(("a2", "a10", "b")),
            }
            for name, values in fields.items():
                if draw(st.integers(0, 29)):
                    item[name] = draw(values)
            products.append(item)
        firms.append({"id": f"f{f}", "products": products})
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(("d/1/once_firm", "d/1/pooled")),
                st.integers(0, 2),
                st.integers(1, 12),
                st.integers(0, 300),
                st.sampled_from((2025, 2026)),
            ),
            max_size=4,
            unique_by=lambda r: (r[0], r[1], r[2]),
        )
    )
    grants = [
        Grant(pid, (("firm", f"f{f}"), ("product", f"P{n}")), Money(w * WAN), year)
        for pid, f, n, w, year in rows
    ]
    return {"firms": firms}, within_caps(policy, grants)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data(), st.booleans())
def test_every_lean_shape_same_result(shapes: Policy, data: st.DataObject, first: bool) -> None:
    # once per firm on products: an earlier claim not settled holds the one-time award
    # (backends/python/once_hold.py), so that award is served the general way, no lean code
    assert set(shapes.compiled.lean) == {"d/1/pooled"}
    assert "d/1/once_firm" not in shapes.compiled.fast
    raw, ledger = data.draw(shape_claims(shapes))
    _same(shapes, shapes.read_facts(raw), ledger, first)


def test_lean_result_is_deferred(shipped: Policy) -> None:
    """The lean function served; its grants are made from its own record, without running
    the fused function; its rows are made once, by one run of it, when first looked at."""
    served: list[str] = []
    policy = _spied(shipped, served)
    fused_runs: list[str] = []  # the fused function's runs for measure 3's award: replays

    def counted(fn: Any) -> Any:
        def fused(*args: Any) -> Any:
            fused_runs.append("run")
            return fn(*args)

        return fused

    fused = dict(policy.compiled.fused)
    fused[LAUNCH] = counted(fused[LAUNCH])
    policy = _without(policy, fused=fused)
    products = [
        {
            "id": f"P{n}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "other_national_project": False,
            "launch_reward_decided": "300 万元",
        }
        for n in range(1, 8)
    ]
    result: Result = policy.evaluate({"firms": [{"id": "f1", "products": products}]}, explain=False)
    assert [s for s in served if s.startswith("launch_reward")] == ["launch_reward served"]
    # 7 × min(300, 200) 万元 = 1400 万元 asked of f1's 1000 万元 in 2026: P1-P5 get 200
    # each, P6 and P7 nothing (no grant for 0.00 元).
    assert [g.amount for g in result.grants] == [Money(200 * WAN)] * 5
    assert [g.path for g in result.grants] == [
        (("firm", "f1"), ("product", f"P{n}")) for n in range(1, 6)
    ]
    assert [g.year for g in result.grants] == [2026] * 5  # the firm-year cap's year
    assert fused_runs == []  # the grants read without a replay
    launch = [d for d in result.decisions if d.provision == LAUNCH]
    assert fused_runs == ["run"]  # the rows: one replay (which checks the grants agree)
    assert [d.amount for d in launch] == [Money(200 * WAN)] * 5 + [Money(0)] * 2
    assert [s for s, _ in launch[6].caps[1].earlier] == [f"f1/P{n}" for n in range(1, 7)]
    assert result.decisions is result.decisions  # made once
    # Another result's grants read after its rows: made from the replay's, the same.
    again: Result = policy.evaluate({"firms": [{"id": "f1", "products": products}]}, explain=False)
    assert again.decisions == result.decisions
    assert again.grants == result.grants
    assert fused_runs == ["run", "run"]


_ID_CHARS = st.sampled_from(["P", "p", "-", "产", "0", "1", "2", "9", "１", "٣"])


_NUMBERED = st.builds(
    lambda prefix, numbers: [f"{prefix}{number}" for number in numbers],
    st.text(st.sampled_from(["P", "p", "-", "产", "a", "\n"]), max_size=2),
    st.lists(st.integers(0, 10**12) | st.integers(0, 300), min_size=1, max_size=40),
)


@given(
    st.lists(st.text(_ID_CHARS, min_size=1, max_size=5), min_size=1, max_size=12)
    | _NUMBERED
    | st.tuples(_NUMBERED, st.lists(st.text(_ID_CHARS, min_size=1, max_size=5), max_size=2)).map(
        lambda t: t[0] + t[1]
    ),
)
def test_id_ranks_order_as_natural_keys(ids: list[str]) -> None:
    """The ranks the lean function gives ids (one prefix then a number each: the
    number; else the rank by natural key) order them as their natural keys do, are equal
    exactly when the ids are, and stay below the bound given."""
    event("numbered" if _numbered(ids) is not None else "by natural key")
    got = _ranks(ids, True)
    assert got is not None
    distinct, ranked, bound = got
    rank = dict(zip(distinct, ranked, strict=True))
    ranks = [rank[i] for i in ids]
    assert all(0 <= r < bound for r in ranks)
    for a, ra in zip(ids, ranks, strict=True):
        for b, rb in zip(ids, ranks, strict=True):
            assert (ra < rb) == (natural_key(a) < natural_key(b))
            assert (ra == rb) == (a == b)


_ORDER_DAYS = st.dates(date(2025, 1, 1), date(2025, 1, 9)) | st.dates()  # a sparse span: ranked


@given(
    st.lists(
        st.tuples(
            _ORDER_DAYS,
            st.sampled_from([1, 2, Decimal("2.0"), Decimal("0.5")]),
            st.text(_ID_CHARS, min_size=1, max_size=3),
            st.booleans(),
        ),
        min_size=1,
        max_size=2 * SMALL,
    ),
    st.sampled_from([served_order, by_ranks, by_tuples]),
)
def test_served_order_is_the_tuples_order(
    claims: list[tuple[Any, Any, str, bool]], order: Callable[..., Any]
) -> None:
    """The served order (few claims: their tuples compared; more: columns ranked and
    folded into one int a claim, a stable sort) is the order of the tuples (day, number,
    natural key of the id, claim number) of the chosen claims, equal numbers (2 and 2.0)
    tying, whichever way it is found."""
    days, numbers, ids, chosen = (list(c) for c in zip(*claims, strict=True))
    picked = [j for j, keep in enumerate(chosen) if keep]
    columns = [(days, False), (numbers, False), (ids, True)]
    got = order(columns, picked)
    want = sorted(
        range(len(picked)),
        key=lambda e: (days[picked[e]], numbers[picked[e]], natural_key(ids[picked[e]]), e),
    )
    assert got == want
    everyone = order(columns, None)
    assert everyone == sorted(
        range(len(days)), key=lambda j: (days[j], numbers[j], natural_key(ids[j]), j)
    )


_PATH_CLAIM = st.tuples(
    st.dates(date(2025, 1, 1), date(2025, 3, 1)),
    st.integers(1, 30).map(lambda k: f"f{k}"),
    st.integers(1, 99).map(lambda k: f"P{k}") | st.just("x"),
    st.booleans(),
)


@given(
    st.lists(_PATH_CLAIM, min_size=2, max_size=SMALL)
    | st.lists(_PATH_CLAIM, min_size=SMALL + 1, max_size=3 * SMALL),
    st.sampled_from([served_order, by_ranks]),
    st.booleans(),
    st.booleans(),
)
def test_served_order_declines_a_path_met_twice(
    claims: list[tuple[date, str, str, bool]],
    order: Callable[..., Any],
    key_id: bool,
    twice: bool,
) -> None:
    """Given the paths' ids (a firm's, a product's), the served order is the order without
    them where every claim's path differs, and None where two claims' paths are the same
    (chosen or not), as distinct_paths finds; the product's id a key or a path's level."""
    days, firms, products, chosen = (list(c) for c in zip(*claims, strict=True))
    if twice:  # the last claim's path the first's
        firms[-1], products[-1] = firms[0], products[0]
    picked = [j for j, keep in enumerate(chosen) if keep]
    columns = [(days, False), (products, True), (firms, True)]
    if not key_id:
        columns = [(days, False), (firms, True), (products, True)]
    got = order(columns, picked, (firms, products))
    same = len(set(zip(firms, products, strict=True))) < len(claims)
    event(
        f"{'a path twice' if same else 'distinct'}, {'over' if len(claims) > SMALL else 'to'} SMALL"
    )
    if same:
        assert got is None
    else:
        assert got == order(columns, picked)
        assert got is not None


def test_served_order_declines_values_that_do_not_sort() -> None:
    """Values without an order (a date beside a number): None, the fused function sorts."""
    for order in (served_order, by_ranks, by_tuples):
        assert order([([date(2025, 1, 1), 3], False)], None) is None
        assert order([([date(2025, 1, 1), date(2024, 1, 1)], False)], None) == [1, 0]
