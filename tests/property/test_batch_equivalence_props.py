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

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.strategies import batch_registries, compile_text
from tests.strategies_exclusive import (
    AMONG,
    AS_OF,
    GROUPS,
    SUPERSEDED,
    exclusive_policy_text,
    exclusive_registries,
    later_document_text,
    one_award_a_firm,
)
from tests.strategies_min_max import min_max_firms, min_max_policies

import policyrules
from policyrules.backends.python.compile import compile_policy
from policyrules.backends.python.evaluate import evaluate
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql.dated import later_dates
from policyrules.batch_columns import decisions_sql, held_zh
from policyrules.errors import FactsError
from policyrules.explain_exclusive import exclusion_zh
from policyrules.explain_zh import words_for
from policyrules.explain_zh_caps import cap_said_zh
from policyrules.explain_zh_reasons import refused_reason_zh
from policyrules.facts_dated import SHOWN, LaterDate, later_in_facts, later_in_rows, refuse_later
from policyrules.ledger_years import year_index, year_keyed, years_differ
from policyrules.model import CheckedPolicy
from policyrules.runtime.calendar import WorkCalendar
from policyrules.runtime.money import Money
from policyrules.runtime.values import Value
from policyrules.words import Words

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


@functools.cache
def _compiled(part: CheckedPolicy) -> Any:
    return compile_policy(part)


def one_by_one(
    part: CheckedPolicy, facts: Any, ledger: Any, params: dict[str, Value], as_of: Any = None
) -> Any:
    compiled = _compiled(part)
    return evaluate(
        compiled,
        facts,
        ledger=ledger,
        parameters={**compiled.parameter_defaults, **params},
        assumptions=compiled.assumption_defaults,
        calendar=WorkCalendar(),
        as_of=as_of,
    )


def batch(plan: Any, part: CheckedPolicy, facts: Any, ledger: Any) -> tuple[list[Any], list[Any]]:
    con = engine.connect()
    con.execute("SET threads = 1")  # a few rows: one thread, no scheduling overhead
    engine.load_facts(con, part, facts, ledger)
    _same_years(plan, part, facts, ledger, con)
    engine.run_plan(con, plan)
    # read as the batch writes them (policyrules.batch_columns): money named with its unit
    named = decisions_sql(
        Words.of(part), "decisions", assumptions=_compiled(part).assumption_defaults
    )
    rows = con.execute(
        "SELECT provision, subject, status, amount_fen, amount_kind, missing_facts,"
        " missing_parameters, assumptions, amount_yuan, amount_min_fen, document_number,"
        f" clause, title, binding_caps FROM ({named})"
    ).fetchall()
    names = [e.name for e in part.entities]
    grants = con.execute(
        f"SELECT provision, {', '.join(names)}, amount_fen, year FROM grants"
    ).fetchall()
    return rows, grants


def _same_years(plan: Any, part: CheckedPolicy, facts: Any, ledger: Any, con: Any) -> None:
    """The batch's E349 check (plan.checks) finds the grants the one-by-one check finds: a
    one-time award's earlier grant in another year than the facts give its subject."""
    got = {
        (pid, tuple(str(i) for i in row[:-3]), row[-2])
        for pid, sql in plan.check_sql("duckdb")
        for row in con.execute(sql).fetchall()
    }
    compiled = _compiled(part)
    found = years_differ(
        compiled,
        facts,
        year_index(year_keyed(compiled), ((g, "") for g in ledger)),
        compiled.parameter_defaults,
        compiled.assumption_defaults,
    )
    assert got == {(g.provision, tuple(i for _, i in g.path), g.year) for g, *_ in found}


def _same_later(part: CheckedPolicy, facts: Any, as_of: dt.date, con: Any) -> list[LaterDate]:
    """The batch's E353 query (every row, no bound) finds the dates after ``as_of`` the
    one-by-one path finds in the facts, in the same order; both refuse with the same
    words after their places (or neither refuses)."""
    query = later_dates(part, as_of, None)
    rows = con.execute(query.sql("duckdb")).fetchall() if query is not None else []
    batch, total = later_in_rows(part, rows, {})
    one = later_in_facts(part, facts, as_of)
    assert batch == one
    assert total == len(one) or not rows

    def said(found: list[LaterDate], n: int | None = None) -> list[tuple[str, str | None]]:
        try:
            refuse_later(part, found, as_of, n)
        except FactsError as exc:
            return [(d.message.split(": ", 1)[-1], d.hint) for d in exc.diagnostics]
        return []

    assert said(batch, total) == said(one)
    return one


def assert_same(expected: Any, rows: list[Any], got_grants: list[Any], part: CheckedPolicy) -> None:
    got = {(r[0], r[1]): r[2:] for r in rows}
    words = Words.of(part)
    want = {
        (d.provision, d.subject): (
            d.status,
            d.amount.fen if isinstance(d.amount, Money) else None,
            d.amount_kind,
            list(d.missing_facts),
            list(d.missing_parameters),
            sorted(a for a, _ in d.assumptions),
            str(d.amount.yuan) if isinstance(d.amount, Money) else None,
            d.amount_min.fen if d.amount_min is not None else None,
            d.document_number,
            d.clause_label,
            d.title,
            _binding(words, d),
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


def _binding(words: Words, d: Any) -> list[str]:
    """The caps that bound ``d``, in the words of its Chinese text (in the order applied),
    then what an exclusive group did to it as its Chinese text says it (``exclusion_zh``),
    as the batch lists them."""
    w = words_for(words, d.assumptions)
    said = [cap_said_zh(w, words.provisions.get(d.provision), e.cap) for e in d.caps if e.binding]
    note = exclusion_zh(words, d)
    # a limit per owner's refusal (单个企业每年奖励人数不超过 N 人), as its Chinese text says it
    limit = [
        refused_reason_zh(w, r) for r in d.reasons if r.startswith("limit ") and "no place" in r
    ]
    held = [
        held_zh(cap_said_zh(w, words.provisions.get(d.provision), ev.cap), fen)
        for ev in d.caps
        if (fen := _held_fen(d, ev))
    ]
    return list(dict.fromkeys(said)) + held + ([] if note is None else [note]) + limit


def _held_fen(d: Any, ev: Any) -> int:
    """What the earlier open claims on cap event ``ev``'s account hold of the room ``d``
    would have, where they hold its ``up_to`` amount down (0 elsewhere, or paid over time):
    room hi = (limit - ledger - exact grants)⁺, were they paid their bounds lo = (hi -
    bounds)⁺ (backends/python/claims.py, apply_caps); held when lo < amount: hi - lo."""
    if d.amount_kind != "up_to" or not isinstance(d.amount, Money) or d.schedule:
        return 0
    if ev.limit is None or ev.account is None:
        return 0
    holds = ev.earlier.holds(10**9)
    bounds = sum(h.amount.fen for h in holds if h.amount is not None)
    exact = ev.earlier.total_fen - bounds  # (one nothing bounds counts 0 in the total)
    hi = max(ev.limit.fen - ev.used_before.fen - exact, 0)
    # one nothing bounds may take all
    lo = 0 if any(h.amount is None for h in holds) else max(hi - bounds, 0)
    return hi - lo if lo < d.amount.fen else 0


@settings(max_examples=max(8, settings().max_examples // 12))
@given(batch_registries(), st.booleans())
def test_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]], rate_set: bool
) -> None:
    policy, part = _policy()
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(part, facts, ledger, _params(rate_set))
    rows, got_grants = batch(_plans(rate_set), part, facts, ledger)
    assert_same(expected, rows, got_grants, part)


@functools.cache
def _whole_plan(rate_set: bool, as_of: dt.date | None) -> Any:
    policy, _ = _policy()
    return compile_batch(policy.checked, parameters=_params(rate_set), as_of=as_of)


# The whole shipped policy (both documents: deadlines in 工作日, 周 and 月 against the
# calendar table, targets, entitlements, every award), fewer examples: each runs ~190 steps.
@settings(max_examples=max(4, settings().max_examples // 40))
@given(
    batch_registries(),
    st.booleans(),
    st.sampled_from([None, dt.date(2026, 3, 1), dt.date(2026, 12, 31)]),
)
def test_whole_policy_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]],
    rate_set: bool,
    as_of: dt.date | None,
) -> None:
    policy, _ = _policy()
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(policy.checked, facts, ledger, _params(rate_set), as_of)
    rows, got_grants = batch(_whole_plan(rate_set, as_of), policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)
    if as_of is not None:  # E353: the decisions above are the evaluator's; the doors refuse
        con = engine.connect()
        engine.load_facts(con, policy.checked, facts, ledger)
        if _same_later(policy.checked, facts, as_of, con):
            with pytest.raises(FactsError):
                policy.evaluate(facts, as_of=as_of)


# The registries' dates run from 2025-10-01 to 2026-12-31: a day from before the first to
# after the last, so that none, some or all of them fall after it.
@settings(max_examples=max(10, settings().max_examples // 4))
@given(batch_registries(), st.dates(dt.date(2025, 9, 1), dt.date(2027, 1, 31)))
def test_dates_after_as_of_are_found_alike(
    registry: tuple[dict[str, Any], list[dict[str, Any]]], as_of: dt.date
) -> None:
    """Random registries, a random as_of: the batch's query over the input tables finds
    exactly the date facts after it that ``Policy.evaluate`` refuses (E353), none when it
    runs; and ``Policy.evaluate`` refuses exactly when they are found."""
    policy, _ = _policy()
    raw, grants = registry
    facts = policy.read_facts(raw)
    con = engine.connect()
    con.execute("SET threads = 1")
    engine.load_facts(con, policy.checked, facts, policy.read_ledger(grants))
    found = _same_later(policy.checked, facts, as_of, con)
    if not found:
        policy.evaluate(facts, as_of=as_of, explain=False)
        return
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts, as_of=as_of, explain=False)
    assert {d.code for d in info.value.diagnostics} == {"E353"}
    assert len(info.value.diagnostics) == min(len(found), SHOWN) + (len(found) > SHOWN)


POOL_POLICY = """entity firm
  list firms

entity product
  list products of firm
  fact approved_on: date
  fact ranked_on: date
  fact awarded: money
  fact cost: money

document d "测试"

clause 1 "奖励"
  quote "q"

  award a "A"
    quote "q"
    for each product
    amount decided awarded
    cap 50 万元 per product
    cap 100 万元 per firm per year of approved_on shared firm_pool
    order by ranked_on, id

  award b "B"
    quote "q"
    for each product
    amount 30% of cost
    cap 100 万元 per firm per year of approved_on shared firm_pool
    order by approved_on, id
"""

_POOL_MONEY = st.sampled_from([0, 10, 25, 40, 60]).map(lambda w: f"{w}万元")


@st.composite
def pool_registries(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Products of one or two firms claiming under two awards that share a firm-year pool."""
    firms = []
    ledger = []
    for f in range(draw(st.integers(1, 2))):
        products = []
        for pid in draw(st.lists(st.sampled_from(["P1", "P2", "P10"]), max_size=3, unique=True)):
            prod: dict[str, Any] = {"id": pid}
            for key, strategy in (
                ("approved_on", st.sampled_from(["2026-01-05", "2026-03-01", "2027-02-01"])),
                # award a's order key, missing at random: its claim is held first (issue 9)
                ("ranked_on", st.sampled_from(["2026-01-05", "2026-03-01", "2026-06-01"])),
                ("awarded", _POOL_MONEY),
                ("cost", _POOL_MONEY),
            ):
                value = draw(st.one_of(st.none(), strategy))
                if value is not None:
                    prod[key] = value
            products.append(prod)
        firms.append({"id": f"f{f}", "products": products})
        for prov in draw(st.lists(st.sampled_from(["d/1/a", "d/1/b"]), max_size=2, unique=True)):
            amount = draw(_POOL_MONEY)
            ledger.append(
                {
                    "provision": prov,
                    "firm": f"f{f}",
                    "product": "old",
                    "amount": amount,
                    "year": 2026,
                }
            )
    return {"firms": firms}, ledger


# Found by this property once the Python path held claims of unknown year in every year
# (issue 9): P1 and P2 have no approved_on, so their claims (b's amount unknown too) hold in
# 2026, first, and P10's 3 万元 under b is "up to" in both paths.
_UNKNOWN_YEAR = (
    {
        "firms": [
            {
                "id": "f0",
                "products": [
                    {"id": "P1"},
                    {"id": "P2"},
                    {"id": "P10", "approved_on": "2026-01-05", "cost": "10万元"},
                ],
            }
        ]
    },
    [],
)
# a/P1's year unknown and its order known (ranked_on): a ghost at its place in 2026 and 2027,
# after a/P2 (exact) and before b/P10 and a/P10.
_GHOST_AT_ITS_PLACE = (
    {
        "firms": [
            {
                "id": "f0",
                "products": [
                    {"id": "P1", "ranked_on": "2026-03-01", "awarded": "60万元", "cost": "0万元"},
                    {
                        "id": "P2",
                        "approved_on": "2026-01-05",
                        "ranked_on": "2026-01-05",
                        "awarded": "40万元",
                        "cost": "0万元",
                    },
                    {
                        "id": "P10",
                        "approved_on": "2027-02-01",
                        "ranked_on": "2026-06-01",
                        "awarded": "60万元",
                        "cost": "60万元",
                    },
                ],
            }
        ]
    },
    [{"provision": "d/1/a", "firm": "f0", "product": "old", "amount": "25万元", "year": 2026}],
)


@settings(max_examples=max(8, settings().max_examples // 12))
@given(pool_registries())
@example(_UNKNOWN_YEAR)
@example(_GHOST_AT_ITS_PLACE)
def test_shared_pool_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    policy = _pool_policy()
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(policy.checked, facts, ledger, {})
    rows, got_grants = batch(_pool_plan(), policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)


@functools.cache
def _pool_policy() -> policyrules.Policy:
    return compile_text(POOL_POLICY)


@functools.cache
def _pool_plan() -> Any:
    return compile_batch(_pool_policy().checked)


# ---- the constructs of policies/patterns -----------------------------------------------------


@functools.cache
def _patterns() -> tuple[policyrules.Policy, CheckedPolicy, Any]:
    from tests.unit.test_batch_patterns import _part, _policy

    part = _part()  # the clauses the batch compiles (ranges, minimums, quotients, bands,
    # tier tables, currencies, cap exceptions, year facts, none)
    policy = _policy()
    rate = {"usd_cny": {"rate": "7.1234", "date": "2026-01-05"}}
    plan = compile_batch(part, parameters=policy._values(rate, "parameters"))
    return policy, part, plan


# Each example runs the patterns' plan (~250 steps) on DuckDB: a few seconds; few examples.
@settings(max_examples=max(3, settings().max_examples // 40))
@given(st.data())
def test_pattern_constructs_batch_equals_one_by_one(data: st.DataObject) -> None:
    from tests.strategies import policy_facts

    policy, part, plan = _patterns()
    raw = data.draw(policy_facts(part, max_items=2))
    raw["parameters"] = {"usd_cny": {"rate": "7.1234", "date": "2026-01-05"}}
    facts = policy.read_facts(raw)
    compiled = _compiled(part)
    expected = evaluate(
        compiled,
        facts,
        ledger=policy.read_ledger([]),
        parameters={
            **compiled.parameter_defaults,
            **policy._values(raw["parameters"], "parameters"),
        },
        assumptions=compiled.assumption_defaults,
        calendar=WorkCalendar(),
    )
    rows, got_grants = batch(plan, part, facts, policy.read_ledger([]))
    assert_same(expected, rows, got_grants, part)


# ---- exclusive groups (不重复支持，按照就高原则): tests/strategies_exclusive.py -----------------


@functools.cache
def _exclusive(groups: tuple[str, str]) -> tuple[policyrules.Policy, Any]:
    policy = compile_text(exclusive_policy_text(*groups))
    return policy, compile_batch(policy.checked)


@settings(max_examples=max(8, settings().max_examples // 6))
@given(exclusive_registries(), st.sampled_from(GROUPS))
def test_exclusive_groups_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]], groups: tuple[str, str]
) -> None:
    policy, plan = _exclusive(groups)
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(policy.checked, facts, ledger, {})
    rows, got_grants = batch(plan, policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)
    # and what the group did to each claim, as its Chinese text says it (binding_caps)
    words = Words.of(policy.checked)
    notes = {(r[0], r[1]): [c for c in r[-1] if c.startswith("不重复支持")] for r in rows}
    for d in expected.decisions:
        note = exclusion_zh(words, d)
        assert notes[(d.provision, d.subject)] == ([] if note is None else [note])


# ---- supersession (以此为准): a later document, the batch's as_of ----------------------------


@functools.cache
def _superseding(
    groups: tuple[str, str], superseded: str, as_of: dt.date | None
) -> tuple[policyrules.Policy, Any]:
    texts = {"t.rule": exclusive_policy_text(*groups), "u.rule": later_document_text(superseded)}
    modules = [policyrules.parse(text, name) for name, text in texts.items()]
    checked = policyrules.check(modules, texts=texts, sources={})
    policy = policyrules.Policy(checked, policyrules.compile_policy(checked), Path("."))
    return policy, compile_batch(checked, as_of=as_of)


@settings(max_examples=max(8, settings().max_examples // 6))
@given(
    exclusive_registries(),
    st.sampled_from(GROUPS),
    st.sampled_from(SUPERSEDED),
    st.sampled_from(AS_OF),
)
def test_superseded_provisions_batch_equals_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]],
    groups: tuple[str, str],
    superseded: str,
    as_of: dt.date | None,
) -> None:
    """A later document supersedes clause 2 (an award of a group, one of a shared pool) or
    the whole earlier document: as of the batch's ``as_of`` the batch gives what the one by
    one path gives (not eligible from its first day, unknown with no day, E424), with the
    line its Chinese text says in ``binding_caps``."""
    policy, plan = _superseding(groups, superseded, as_of)
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(grants)
    expected = one_by_one(policy.checked, facts, ledger, {}, as_of)
    rows, got_grants = batch(plan, policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)


# ---- groups among an owner (among firm, of project awards) ---------------------------------


@functools.cache
def _owner(groups: tuple[str, str], among: tuple[str, str]) -> tuple[policyrules.Policy, Any]:
    policy = compile_text(exclusive_policy_text(*groups, among=among))
    return policy, compile_batch(policy.checked)


@settings(max_examples=max(8, settings().max_examples // 6))
@given(
    exclusive_registries(),
    st.sampled_from(GROUPS),
    st.tuples(st.sampled_from(AMONG), st.sampled_from(AMONG)).filter(lambda a: "firm" in a),
)
def test_groups_among_an_owner_batch_equal_one_by_one(
    registry: tuple[dict[str, Any], list[dict[str, Any]]],
    groups: tuple[str, str],
    among: tuple[str, str],
) -> None:
    """A group among the firm (one or both): the claims of a firm's projects under the
    group's awards compete, taken by provision then by project id in natural order (P2
    before P10), as one by one; the earlier grants of a firm under one award exclude the
    others'; every decision and its Chinese line in ``binding_caps`` alike."""
    policy, plan = _owner(groups, among)
    raw, grants = registry
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger(one_award_a_firm(grants, among))
    expected = one_by_one(policy.checked, facts, ledger, {})
    rows, got_grants = batch(plan, policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)


# ---- min() and max(): tests/strategies_min_max.py ----------------------------------------------


@functools.cache
def _min_max(text: str) -> tuple[policyrules.Policy, Any]:
    policy = compile_text(text)
    return policy, compile_batch(policy.checked)


@settings(max_examples=max(10, settings().max_examples // 4))
@given(min_max_policies(), min_max_firms())
def test_min_max_batch_equals_one_by_one(text: str, raw: dict[str, Any]) -> None:
    policy, plan = _min_max(text)
    facts = policy.read_facts(raw)
    ledger = policy.read_ledger([])
    expected = one_by_one(policy.checked, facts, ledger, {})
    rows, got_grants = batch(plan, policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)
