"""Edges of the evaluator that the mutation run (benchmarks/mutation.py) found untested: a
decided value within a range, rounding down of an amount that is not a multiple of the unit,
a minimum equal to the amount, a cap's exception left open on a subject paid before, the
conditions computed without explanations.  Through the public API; every amount worked by
hand in the comment beside it (1 万元 = 1,000,000 fen, 1 元 = 100 fen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import policyrules
from policyrules import Money
from policyrules.decisions import Step
from strategies import compile_text

WAN = 1_000_000

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact r: rate
  fact ok: bool
  fact major: determination "经认定的特别重大项目"
  fact raised: money

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"
"""


def _policy(*lines: str) -> policyrules.Policy:
    body = "".join(f"    {line}\n" for line in lines)
    return compile_text(f"{HEAD}\n  award a\n    for each firm\n{body}")


def _decide(
    policy: policyrules.Policy, ledger: Any = None, explain: bool = True, **facts: Any
) -> policyrules.Decision:
    result = policy.evaluate({"firms": [{"id": "f", **facts}]}, ledger=ledger, explain=explain)
    (d,) = [d for d in result.decisions if d.provision == "d/1/a"]
    return d


# ---- amounts (backends/python/amounts.py) ---------------------------------------------------


def test_a_rate_decided_within_the_range_is_the_exact_amount() -> None:
    """`10% to 30% of base decided r`, r = 25 %: 25 % × 200 万 = 50 万, exact, and the trace
    says it was decided within the range."""
    d = _decide(_policy("amount 10% to 30% of base decided r"), base="200万元", r="25%")
    assert (d.status, d.amount_kind, d.amount, d.amount_min) == (
        "eligible",
        "exact",
        Money(50 * WAN),
        None,
    )
    assert "decided within amount 10% to 30% of base: 50 万元" in [s.text for s in d.trace]


def test_rounding_down_keeps_the_whole_units() -> None:
    """12,345.67 元 rounded down to 1 元 is 12,345.00 元 (1,234,567 fen − 67); rounded down
    to 100 元 it is 12,300.00 元 (− 45.67 元)."""
    one = _decide(_policy("amount base", "rounding down to 1 元"), base="12345.67元")
    assert one.amount == Money(1_234_500)
    hundred = _decide(_policy("amount base", "rounding down to 100 元"), base="12345.67元")
    assert hundred.amount == Money(1_230_000)


def test_a_minimum_equal_to_the_amount_raises_nothing() -> None:
    """`minimum 50 元` on an amount of exactly 50 元: paid 50.00 元 and the trace notes no
    raise (only an amount below the minimum is raised)."""
    d = _decide(_policy("amount base", "minimum 50 元"), base="50元")
    assert d.amount == Money(5000)
    assert [s for s in d.trace if s.kind == "minimum"] == []


def test_an_amount_of_zero_is_not_below_zero() -> None:
    """`base − 10 元` rounded down to 1 元: 10.50 − 10 = 0.50 元, rounded to 0.00 元, is paid
    nothing, and the trace does not call it below zero; 5 − 10 = −5 元 is below zero and is
    paid 0.00 元 with that step."""
    policy = _policy("amount base - 10 元", "rounding down to 1 元")
    zero = _decide(policy, base="10.50元")
    assert zero.amount == Money(0)
    assert not [s for s in zero.trace if "below zero" in s.text]
    negative = _decide(policy, base="5元")
    assert negative.amount == Money(0)
    assert "-5.00 元 is below zero: 0.00 元" in [s.text for s in negative.trace]


# ---- caps (backends/python/claims.py, exceptions.py) ----------------------------------------


def test_an_exception_that_applies_with_an_unknown_limit_leaves_the_cap_unknown() -> None:
    """`cap 500 万元 unless major raise to raised`: major holds, `raised` is not given, so
    the cap's limit is unknown: 20% of 1 亿 = 2000 万 is the most it could pay (up to), and
    `raised` is what it needs; with `raised` = 800 万 the cap pays exactly 800 万."""
    policy = _policy("amount 20% of base", "cap 500 万元", "  unless major raise to raised")
    d = _decide(policy, base="1亿元", major=True)
    assert (d.status, d.amount_kind, d.amount, d.missing_facts) == (
        "eligible",
        "up_to",
        Money(2000 * WAN),
        ("firm.raised",),
    )
    settled = _decide(policy, base="1亿元", major=True, raised="800万元")
    assert (settled.amount_kind, settled.amount) == ("exact", Money(800 * WAN))


def test_an_open_exception_on_a_subject_paid_before_cuts_both_bounds_by_the_payment() -> None:
    """20% of 1 亿 = 2000 万 asked; `cap 500 万元 unless major raise to 1000 万元` counts the
    100 万 the firm was paid before under this award; `major` is not known, so the limit is
    between 500 万 and 1000 万: at most 1000 − 100 = 900 万, at least 500 − 100 = 400 万."""
    policy = _policy("amount 20% of base", "cap 500 万元", "  unless major raise to 1000 万元")
    earlier = [{"provision": "d/1/a", "firm": "f", "amount": "100万元"}]
    d = _decide(policy, ledger=earlier, base="1亿元")
    assert (d.status, d.amount_kind, d.amount_min, d.amount) == (
        "eligible",
        "range",
        Money(400 * WAN),
        Money(900 * WAN),
    )
    assert d.missing_facts == ("firm.major",)


# ---- conditions without explanations (backends/python/conditions.py) ------------------------


def test_conditions_decide_alike_with_and_without_explanations() -> None:
    """An award taken the general way (its `minimum` keeps it off the fast path): a condition
    that holds makes it eligible, 80 元 (above the 50 元 minimum), one that fails makes it not
    eligible, with and without explanations."""
    policy = _policy("eligible when ok", "amount base", "minimum 50 元")
    for explain in (True, False):
        paid = _decide(policy, explain=explain, ok=True, base="80元")
        assert (paid.status, paid.amount) == ("eligible", Money(8000)), explain
        refused = _decide(policy, explain=explain, ok=False, base="80元")
        assert (refused.status, refused.amount) == ("not_eligible", None), explain


# ---- tiers (backends/python/tiers.py) --------------------------------------------------------

TIERED = """entity firm "企业"
  list firms
  fact revenue: money
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = highest_only "只享受最高档"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元
  from 10 亿元 give 300 万元

document d "测试"

clause 1 "t"
  quote "q"
  award a
    for each firm
    eligible when revenue reaches scale
    amount scale[revenue]
    tiers by reading
"""


def test_highest_only_names_the_highest_tier_paid_before() -> None:
    """Tiers 1 亿 and 5 亿 were paid before (100 万 and 200 万); revenue 7 亿 is in tier 5 亿,
    not above the highest paid: not eligible, and the reason names tier 5 亿元, the highest
    paid, not 1 亿元.  At 12 亿 (tier 10 亿, above both) 300 万元 is paid in full."""
    policy = compile_text(TIERED)
    earlier = [
        {"provision": "d/1/a", "firm": "f", "amount": "100万元", "tier": "1 亿元"},
        {"provision": "d/1/a", "firm": "f", "amount": "200万元", "tier": "5 亿元"},
    ]
    d = _decide(policy, ledger=earlier, revenue="7亿元")
    assert d.status == "not_eligible"
    assert d.reasons == (
        "tiers by reading (highest_only): tier 5 亿元 was already paid to f; "
        "tier 5 亿元 is not above it",
    )
    higher = _decide(policy, ledger=earlier, revenue="12亿元")
    assert (higher.status, higher.amount) == ("eligible", Money(300 * WAN))


# ---- deadlines (backends/python/timelimits.py) -----------------------------------------------

DEADLINES = """entity case "申请"
  list cases
  fact start: date
  fact finished: date
  fact limit: 工作日

document dl "时限"
  valid from 2000-01-01

clause 1 "工作日"
  quote "规定时限内办结。"

  deadline wd "工作日"
    for each case
    due limit after start
    done finished
"""


def _deadline(as_of: str, **case: str) -> policyrules.Decision:
    policy = compile_text(DEADLINES)
    (d,) = policy.evaluate({"cases": [{"id": "c", **case}]}, as_of=as_of).decisions
    return d


def test_an_overdue_deadline_fails_its_step() -> None:
    """3 工作日 after Mon 2026-01-05 is Thu 01-08; not done by 2026-03-01: not met, and the
    overdue step is a failed one (ok False), as the explanation marks it."""
    d = _deadline("2026-03-01", start="2026-01-05", limit="3 工作日")
    assert (d.status, d.due) == ("not_met", dt.date(2026, 1, 8))
    assert d.trace[-1] == Step("deadline", "not done; 32 工作日 overdue as of 2026-03-01", False)


def test_a_period_beyond_the_last_date_is_refused_before_any_calendar() -> None:
    """15,000,000 工作日 (more than 10⁷, the bound on a period) after 2026-01-05 ends tens of
    thousands of years after 9999-12-31: unknown with E401, decided before any holiday
    schedule is asked for (no unpublished year makes it pending)."""
    d = _deadline("2026-03-01", start="2026-01-05", limit="15000000 工作日")
    assert d.status == "unknown"
    assert d.reasons == (
        "E401: 15000000 工作日 after 2026-01-05 ends after 9999-12-31, the last date there is",
    )


# ---- expressions (exprs.py) ------------------------------------------------------------------

EXPRS = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity firm "企业"
  list firms
  fact title_on: date or none "取得称号的日期"
  fact ok: bool
  fact n: number
  fact ns: list of number
  fact shipments: list of money(USD)

clause 1
  quote "q"

  award x
    for each firm
    eligible when (title_on in force and ok) or n > 100
    amount 10 元
    minimum 1 元

  award y
    for each firm
    amount 10 元 × sum(ns) + 5 元
    minimum 1 元

  award z
    for each firm
    eligible when n × n > 0
    amount 1 元

  award w
    for each firm
    eligible when sum(shipments) = 0 美元
    amount 1 元
    minimum 1 元
"""


def _expr_decision(provision: str, **facts: Any) -> policyrules.Decision:
    """The decision of ``provision``, taken the general way (x, y, w have a `minimum`, which
    keeps them off the generated fast path: the closures of exprs.py compute them)."""
    policy = compile_text(EXPRS)
    assert not {"t/1/x", "t/1/y", "t/1/w"} & set(policy.compiled.fast)
    result = policy.evaluate({"firms": [{"id": "f", **facts}]})
    (d,) = [d for d in result.decisions if d.provision == f"t/1/{provision}"]
    return d


def test_a_date_stated_none_is_not_in_force_within_a_conjunction() -> None:
    """`(title_on in force and ok) or n > 100` with title_on none (nothing happened), ok
    true, n = 1: false and true is false, or false: not eligible, nothing missing; with
    title_on 2026-05-01 (within 2025–2027) eligible, 10 元."""
    d = _expr_decision("x", title_on="none", ok=True, n="1")
    assert (d.status, d.missing_facts) == ("not_eligible", ())
    d = _expr_decision("x", title_on="2026-05-01", ok=True, n="1")
    assert (d.status, d.amount) == ("eligible", Money(1000))


def test_the_sum_of_nothing_is_zero_of_its_unit() -> None:
    """10 元 × sum([]) + 5 元 = 10 × 0 + 5 = 5 元; with [2, 3]: 10 × 5 + 5 = 55 元.  The sum
    of no shipments in 美元 is 0 美元 (eligible); of one of 0.01 美元 it is not."""
    assert _expr_decision("y", ns=[]).amount == Money(500)
    assert _expr_decision("y", ns=[2, 3]).amount == Money(5500)
    assert _expr_decision("w", shipments=[]).status == "eligible"
    assert _expr_decision("w", shipments=["0.01 美元"]).status == "not_eligible"


def test_a_number_beyond_forty_digits_is_too_large() -> None:
    """n = 10^25: n × n = 10^50, 51 digits, above the 40-digit bound: unknown with E412;
    n = 10^19: n × n = 10^38, 39 digits, computed: eligible."""
    d = _expr_decision("z", n=str(10**25))
    assert (d.status, d.reasons) == (
        "unknown",
        ("E412: n × n is too large: more than 40 digits",),
    )
    assert _expr_decision("z", n=str(10**19)).status == "eligible"


# ---- runtime values: accounts, earlier claims, foreign money, the calendar -------------------


def test_accounts_read_the_ledger_and_this_evaluations_claims() -> None:
    """A 5 万 grant to f1/P1 in 2026 is used in pool d/1/a at scope f1 for 2026 and for any
    year; an account nothing used holds 0 fen, and no claims until one is added."""
    from policyrules.runtime.ledger import NO_EARLIER, Accounts, Grant, Ledger

    path = (("firm", "f1"), ("product", "P1"))
    ledger = Ledger((Grant("d/1/a", path, Money(5 * WAN), 2026),))
    accounts = Accounts(ledger, {"d/1/a": {"d/1/a"}})
    firm = (("firm", "f1"),)
    assert accounts.used("d/1/a", firm, 2026) == Money(5 * WAN)
    assert accounts.used("d/1/a", firm, None) == Money(5 * WAN)
    assert accounts.used("d/1/a", firm, 2027) == Money(0)
    assert accounts.claims("d/1/a", firm, 2026) is NO_EARLIER
    accounts.add(("d/1/a", firm, 2026), "f1/P2", Money(300), certain=True)
    assert accounts.claims("d/1/a", firm, 2026) == (("f1/P2", Money(300)),)


def test_the_last_earlier_claims() -> None:
    """Of five claims (1..5 fen), the first is P1 and the last two are the fourth and
    fifth; asking for more than there are gives them all."""
    from policyrules.runtime.ledger import Earlier

    earlier = Earlier.of((f"P{i}", Money(i)) for i in range(1, 6))
    assert earlier[0] == ("P1", Money(1))
    assert earlier.last(2) == (("P4", Money(4)), ("P5", Money(5)))
    assert len(earlier.last(9)) == 5


def test_foreign_money_adds_up() -> None:
    """1.00 美元 + 2.50 美元 = 3.50 美元 (350 cents)."""
    from policyrules.runtime.currency import Foreign

    assert Foreign("USD", 100) + Foreign("USD", 250) == Foreign("USD", 350)


def test_in_time_under_every_schedule() -> None:
    """Calendar days: 30 日 after 2026-12-20 end on 2027-01-19 whatever 2027's schedule, so
    done 2027-01-10 is in time.  Working days, all in published 2026: 1 工作日 after Mon
    2026-06-01 is Tue 06-02; done Wed 06-10, a working day 7 working days on, is not shown in
    time (only exactly the n-th working day, or fewer, is)."""
    from policyrules.runtime.calendar import DurationUnit, WorkCalendar

    cal = WorkCalendar()
    day = dt.date
    assert cal.met_under_every_schedule(day(2026, 12, 20), 30, DurationUnit.DAY, day(2027, 1, 10))
    assert not cal.met_under_every_schedule(
        day(2026, 6, 1), 1, DurationUnit.WORKDAY, day(2026, 6, 10)
    )
    assert cal.met_under_every_schedule(day(2026, 6, 1), 1, DurationUnit.WORKDAY, day(2026, 6, 2))
