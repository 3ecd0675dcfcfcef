"""Payments over time (issue 11 §5): `paid over N years …` (分三年拨付), `paid yearly for N years
…` (前三年全额、后两年减半; 贴息), caps `over N years` (三年内累计) and `ever` (累计).

Each year's payment is a grant of that year; the caps of that year see it; a later run sees
it in the ledger.  Amounts worked by hand in the comments (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import compile_text

import policyrules
from policyrules.api import Policy
from policyrules.backends.python.entitlement import split
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.cases import case_files, load_case_file
from policyrules.errors import RuleCheckError
from policyrules.printer import print_module
from policyrules.runtime.money import Money

WAN = 1_000_000
PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"

HEADER = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity firm "企业"
  list firms
  fact approved_on: date "立项日期"
  fact investment: money "投资额"
  fact interest: list of money "各年度实际支付的利息"
  fact base_year: year "起始年度"

clause 1
  quote "分三年拨付。"
"""

INSTALMENTS = (
    HEADER
    + """
  award s
    for each firm
    amount 30% of investment
    cap 1000 万元 per firm
    paid over 3 years from approved_on: 40%, 30%, 30% remainder last
"""
)

YEARLY = (
    HEADER
    + """
  award y
    for each firm
    amount 50% of this_year(interest)
    cap 100 万元 per firm per year of payment_year()
    cap 250 万元 per firm over 2 years
    paid yearly for 3 years from base_year
"""
)


def _codes(text: str) -> list[str]:
    with pytest.raises(RuleCheckError) as info:
        compile_text(text)
    return [d.code for d in info.value.diagnostics]


def _one(policy: Policy, facts: dict[str, Any], **kw: Any) -> policyrules.Decision:
    (d,) = policy.evaluate({"firms": [{"id": "F", **facts}]}, **kw).decisions
    return d


def test_the_syntax_prints_back_as_written() -> None:
    """Round trip of both schedules and of the two cap spans."""
    text = (
        HEADER
        + """
  award s
    for each firm
    amount 30% of investment
    cap 300 万元 per firm ever
    cap 200 万元 per firm over 3 years
    paid over 2 years from approved_on: 60%, 40% remainder first
"""
    )
    module = policyrules.parse(text, "t.rule")
    assert print_module(module) == text
    yearly = policyrules.parse(YEARLY, "t.rule")
    assert print_module(yearly) == YEARLY


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        ("paid over 3 years from approved_on: 40%, 30%, 20% remainder last", "E287"),  # 90%
        ("paid over 3 years from approved_on: 50%, 50% remainder last", "E287"),  # 2 shares
        ("paid over 2 years from approved_on: 50%, 0.5 remainder last", "E287"),  # not a rate
        ("paid over 2 years from approved_on: 50%, 50%", "E292"),  # no remainder rule
        ("paid over 2 years from approved_on: 50%, 50% remainder middle", "E292"),
        ("paid over 0 years from approved_on: ", None),  # a syntax error, not a check
        ("paid yearly for 51 years from approved_on", "E293"),
        ("paid yearly for 3 years from investment", "E293"),  # money is no start
    ],
)
def test_a_malformed_schedule_is_refused_with_its_code(schedule: str, code: str | None) -> None:
    """Shares sum to exactly 100% (E287), the remainder is declared (E292), a length of
    1..50 years from a date or a year (E293)."""
    text = HEADER + f"\n  award s\n    for each firm\n    amount investment\n    {schedule}\n"
    if code is None:
        with pytest.raises(policyrules.PolicyRulesError):
            compile_text(text)
        return
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ("cap 10 万元 per firm over 3 years", "E290"),  # no schedule
        ("cap 10 万元 per firm per year of approved_on ever", "E288"),
        ("cap 10 万元 over 3 years", "E288"),  # no owner (and no schedule)
        ("eligible when year_index() > 1", "E291"),
        ("cap 10 万元 per firm per year of payment_year()", None),  # no schedule: E291
    ],
)
def test_caps_and_payment_calls_outside_a_schedule(lines: str, code: str | None) -> None:
    """A window needs payments by year (E290); `ever` and `over` take no `per year of`
    and need an owner (E288); the payment built-ins live in a schedule (E291)."""
    text = HEADER + f"\n  award s\n    for each firm\n    amount investment\n    {lines}\n"
    assert (code or "E291") in _codes(text)


def test_a_scheduled_award_counts_its_yearly_caps_by_the_year_paid() -> None:
    """`per year of approved_on` would put every instalment in one year: E290; a range on
    a scheduled award is not supported: E293; `year_index()` in instalments: E291."""
    text = INSTALMENTS + "    cap 10 万元 per firm per year of approved_on\n"
    assert "E290" in _codes(text)
    ranged = INSTALMENTS.replace("amount 30% of investment", "amount 10% to 30% of investment")
    assert "E293" in _codes(ranged)
    indexed = INSTALMENTS.replace(
        "amount 30% of", "amount (if year_index() > 1 then 30% else 0%) of"
    )
    assert "E291" in _codes(indexed)


def test_a_payment_built_in_read_through_a_define_is_checked_where_the_define_is_read() -> None:
    """hCH found E291 blind to defines: `define early = payment_year() < 2027` read in
    `eligible when` of a yearly award passed `check`, and every decision turned unknown
    ("E291: payment_year() is read outside a payment schedule") at run time.  Now `check`
    refuses it at the define's name; the same define read in the amount stands."""
    define = "  define early = payment_year() < 2027\n"
    yearly = YEARLY.replace("  award y\n", define + "  award y\n")
    refused = yearly.replace("    amount 50%", "    eligible when early\n    amount 50%")
    with pytest.raises(RuleCheckError) as info:
        compile_text(refused)
    (d,) = [d for d in info.value.diagnostics if d.code == "E291"]
    assert "read through the define `early`" in d.message
    read = yearly.replace(
        "amount 50% of this_year(interest)",
        "amount (if early then 50% else 25%) of this_year(interest)",
    )
    compile_text(read)  # no error: the amount of a yearly schedule may read it


@given(
    fen=st.integers(min_value=0, max_value=10**15),
    cuts=st.lists(st.integers(min_value=1, max_value=99), min_size=0, max_size=5, unique=True),
    last=st.booleans(),
)
def test_instalments_always_sum_to_the_entitlement(fen: int, cuts: list[int], last: bool) -> None:
    """Any shares summing to 100%: the instalments sum to the entitlement to the fen, each
    is its floor share, and only the declared one holds the remainder (< N fen)."""
    points = sorted(cuts)
    shares = tuple(Decimal(b - a) / 100 for a, b in zip([0, *points], [*points, 100], strict=True))
    parts = split(Money(fen), shares, "last" if last else "first")
    assert sum(p.fen for p in parts) == fen
    floors = [int(fen * r) for r in shares]
    who = len(parts) - 1 if last else 0
    for i, (p, f) in enumerate(zip(parts, floors, strict=True)):
        if i == who:
            assert 0 <= p.fen - f < len(parts)
        else:
            assert p.fen == f


def test_a_yearly_schedule_caps_each_year_and_a_window() -> None:
    """Interest 300 万, 120 万, 260 万 from 2025: 50% is 150 万, 60 万, 130 万; the yearly cap
    100 万 gives 100 万, 60 万, 100 万; the window of 2 years (250 万): 2026 holds 100 + 60 =
    160 万, 2027 holds 60 + 100 = 160 万 — no cut.  Total 260 万, three grants by year (as of
    the end of 2027; without as_of the same schedule is a forecast, granted by no one)."""
    policy = compile_text(YEARLY)
    facts = {"base_year": 2025, "interest": ["300万元", "120万元", "260万元"]}
    raw = {"firms": [{"id": "F", **facts}]}
    assert policy.evaluate(raw).grants == ()
    result = policy.evaluate(raw, as_of="2027-12-31")
    (d,) = result.decisions
    assert d.amount == Money(260 * WAN)
    assert [(p.year, p.amount, p.status) for p in d.schedule] == [
        (2025, Money(100 * WAN), "due"),
        (2026, Money(60 * WAN), "due"),
        (2027, Money(100 * WAN), "due"),
    ]
    assert [(g.year, g.amount.fen) for g in result.grants] == [
        (2025, 100 * WAN),
        (2026, 60 * WAN),
        (2027, 100 * WAN),
    ]


def test_the_window_cuts_when_two_years_exceed_it() -> None:
    """Interest 200 万 each year: 100 万 a year (yearly cap); the 2-year window 250 万 never
    binds (200 万).  With a ledger grant of 100 万 of another award in the same pool? No:
    with the firm's own earlier 2024 grant outside the schedule, E421 (unknown)."""
    policy = compile_text(YEARLY)
    facts = {"base_year": 2025, "interest": ["200万元", "200万元", "200万元"]}
    ledger = [{"provision": "t/1/y", "firm": "F", "amount": "50万元", "year": 2024}]
    d = _one(policy, facts, ledger=ledger)
    assert d.status == "unknown"
    assert any(r.startswith("E421") for r in d.reasons)


def test_as_of_separates_due_from_future_and_json_has_stable_keys() -> None:
    """3 × 100 万 entitlement 300 万 (30% of 1000 万): 120 万, 90 万, 90 万; as of 2026: the
    2025 and 2026 instalments are due, 2027 future; JSON lists them under `schedule`."""
    policy = compile_text(INSTALMENTS)
    import datetime as dt

    facts = {"approved_on": "2025-06-01", "investment": "1000万元"}
    result = policy.evaluate({"firms": [{"id": "F", **facts}]}, as_of=dt.date(2026, 1, 1))
    data = json.loads(json.dumps(result.to_json()))
    (d,) = data["decisions"]
    assert d["amount"] == "3000000.00"
    assert d["schedule"] == [
        {"year": 2025, "index": 1, "status": "due", "dated": True,
         "amount": "1200000.00", "share": "40%",
         "cap": None, "before": None, "held_by": [], "held_count": 0},
        {"year": 2026, "index": 2, "status": "due", "dated": True,
         "amount": "900000.00", "share": "30%",
         "cap": None, "before": None, "held_by": [], "held_count": 0},
        {"year": 2027, "index": 3, "status": "future", "dated": True,
         "amount": "900000.00", "share": "30%",
         "cap": None, "before": None, "held_by": [], "held_count": 0},
    ]  # fmt: skip
    assert [g["year"] for g in data["grants"]] == [2025, 2026]
    zh = result.explain()
    assert "分年拨付" in zh
    assert "2027 年度（第 3 期，30%）：90 万元，尚未到期" in zh
    en = result.explain(lang="en")
    assert "2027 (#3, 30%): 90 万元, not yet due" in en


def test_the_batch_refuses_a_yearly_schedule_by_name() -> None:
    """E617, naming the provision and the shape: never compiled as one payment, never
    skipped.  Instalments are compiled (tests/unit/test_batch_instalments.py)."""
    compile_batch(compile_text(INSTALMENTS).checked)
    with pytest.raises(BatchCompileError) as info:
        compile_batch(compile_text(YEARLY).checked)
    assert {d.code for d in info.value.diagnostics} == {"E617"}
    messages = [d.message for d in info.value.diagnostics]
    assert all(m.startswith("t/1/y: ") for m in messages)
    assert any("`paid yearly for N years`" in m for m in messages)


def _worked_cases() -> list[Any]:
    policy = policyrules.load(PATTERNS)
    out = []
    for path in case_files([PATTERNS / "cases"]):
        if path.name.startswith("years-"):
            out.extend(load_case_file(path, policy.checked).cases)
    return out


def test_the_fast_paths_decline_and_agree_with_the_general_path() -> None:
    """No generated or fused function for a scheduled award; with and without explanations
    (the path the fused functions serve) every worked case gives the same decisions and
    grants."""
    policy = policyrules.load(PATTERNS)
    years = [p.id for p in policy.checked.provisions() if p.id.startswith("patterns_years/")]
    assert len(years) == 6
    assert not set(years) & set(policy.compiled.fast)
    assert not set(years) & set(policy.compiled.fused)
    cases = _worked_cases()
    assert len(cases) >= 15
    for case in cases:
        facts = policy.read_facts(case.facts)
        full = policy.evaluate(facts)
        bare = policy.evaluate(facts, explain=False)

        def key(d: policyrules.Decision) -> tuple[Any, ...]:
            return (d.provision, d.subject, d.status, d.amount, d.amount_kind, d.schedule)

        assert [key(d) for d in full.decisions] == [key(d) for d in bare.decisions]
        assert full.grants == bare.grants


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("paid over 3 from approved_on: 40%", "E120"),
        ("paid yearly 3 years from approved_on", "E121"),
        ("cap 1 元 per firm over 3", "E122"),
    ],
)
def test_a_misspelt_schedule_gets_a_friendly_syntax_error(line: str, code: str) -> None:
    """The parser's state names the construct and shows its form (not a token list)."""
    text = HEADER + f"\n  award s\n    for each firm\n    amount investment\n    {line}\n"
    with pytest.raises(policyrules.RuleSyntaxError) as info:
        policyrules.parse(text, "t.rule")
    assert info.value.diagnostics[0].code == code
