"""A yearly schedule says what it does with each year: a list entry after its last year is
refused, never ignored (E426); a year not due yet is said as not due, never asked for; a
period written in months gets a hint.  And the period counted from a day in mid-year
(贴息期限3年 from 2026-07-01), written as docs/patterns/years.md says ("A period counted
from a day"), pays the four calendar years it touches.  Amounts worked by hand (万元)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.errors import RuleSyntaxError
from policyrules.runtime.money import Money

WAN = 1_000_000  # fen in 1 万元

POLICY = """document d "贴息"
  valid from 2026-01-01 to 2029-12-31

entity firm "企业"
  list firms

entity loan "贷款"
  list loans of firm
  fact started_on: date "贷款起始日期"
  fact principal: money "贷款本金"
  fact interest: list of money "各年度实际支付利息"
  fact interest_days: list of number "各年度计息天数"

clause 1
  quote "按照实际支付利息的50%给予贴息，贴息利率最高不超过2个百分点，贴息期限最长不超过3年。"

  award subsidy "贴息"
    for each loan
    eligible when started_on in force
    amount 50% of this_year(interest)
    CAP
    paid yearly for YEARS years from started_on
"""

YEARLY_CAP = "cap 2% of principal per loan per year of payment_year()"
# 2% of the principal for the days of the year the period covers, over a year of 365 days
DAYS_CAP = (
    "cap 2% of principal × this_year(interest_days) / 365 per loan per year of payment_year()"
)


def _policy(years: int = 3, cap: str = YEARLY_CAP) -> policyrules.Policy:
    return compile_text(POLICY.replace("YEARS", str(years)).replace("CAP", cap))


def _loan(interest: list[str], as_of: str | None = None, **more: Any) -> dict[str, Any]:
    loan = {"id": "L1", "started_on": "2026-07-01", "principal": "1亿元", "interest": interest}
    facts: dict[str, Any] = {"firms": [{"id": "F1", "loans": [{**loan, **more}]}]}
    if as_of is not None:
        facts["as_of"] = as_of
    return facts


def test_an_entry_after_the_schedule_is_refused_not_ignored() -> None:
    """A loan from 2026-07-01 with interest for 2026–2029 against `for 3 years`: the
    schedule pays 2026–2028, so 2029's 150 万 would be left out (75 + 150 + 150 = 375 万
    instead of the 450 万 the text gives).  Before, 375 万 "exact", and no word."""
    (d,) = _policy().evaluate(_loan(["150万元", "300万元", "300万元", "150万元"])).decisions
    assert (d.status, d.amount) == ("unknown", None)
    assert d.reasons[0].startswith(
        "E426: interest has 4 entries, the first for 2026, and paid yearly for 3 years from "
        "started_on pays the 3 years 2026–2028: its entry 4 (150 万元, for 2029) would not be paid"
    )


def test_the_entry_after_the_schedule_is_said_in_chinese() -> None:
    result = _policy().evaluate(_loan(["150万元", "300万元", "300万元", "150万元", "0元"]))
    assert (
        "原因：无法判断：interest 列有 5 个年度的金额（自 2026 年度起），而分年拨付计划只拨付 "
        "2026—2028 年度：第 4 项（150 万元，2029 年度）及其后 1 项将不予拨付"
    ) in result.explain()


def test_entries_within_the_schedule_are_paid_as_before() -> None:
    """Three entries for three years: 50% of 150, 300, 300 = 75 + 150 + 150 = 375 万, within
    2% of 1 亿 = 200 万 a year."""
    (d,) = _policy().evaluate(_loan(["150万元", "300万元", "300万元"])).decisions
    assert (d.status, d.amount, d.amount_kind) == ("eligible", Money(375 * WAN), "exact")


def test_a_period_counted_from_a_day_is_written_over_the_years_it_touches() -> None:
    """The docs' writing of 贴息期限3年 from 2026-07-01: `for 4 years` (2026–2029), the cap's
    2% prorated by the days of each year (184, 365, 365, 181: 2026-07-01 to 2029-06-30).
    2026: 50% of 300 = 150 万, cut to 2% × 1 亿 × 184 / 365 = 200 万 × 184 / 365 =
    1,008,219.178… 元 → 1,008,219.17 元 (down to the fen); 2027, 2028: 150 万 each (cap 200
    万); 2029: 50% of 150 = 75 万 (cap 200 万 × 181 / 365 = 991,780.82 元).  In all
    1,008,219.17 + 1,500,000 + 1,500,000 + 750,000 = 4,758,219.17 元."""
    facts = _loan(["300万元", "300万元", "300万元", "150万元"], interest_days=[184, 365, 365, 181])
    (d,) = _policy(4, DAYS_CAP).evaluate(facts).decisions
    assert [(p.year, p.amount.fen if p.amount else None) for p in d.schedule] == [
        (2026, 100_821_917),
        (2027, 150 * WAN),
        (2028, 150 * WAN),
        (2029, 75 * WAN),
    ]
    assert d.amount == Money(475_821_917)


def test_a_year_not_due_is_said_so_not_asked_for() -> None:
    """On 2027-12-31 the 2028 interest cannot be known yet: 2026 and 2027 are paid (75 +
    150 万), 2028 is 尚未到期 and no fact is missing.  Before: 尚缺：各年度实际支付利息."""
    result = _policy().evaluate(_loan(["150万元", "300万元"], as_of="2027-12-31"))
    (d,) = result.decisions
    assert d.status == "eligible"
    assert d.missing_facts == ()
    assert [(p.year, p.status) for p in d.schedule] == [
        (2026, "due"),
        (2027, "due"),
        (2028, "future"),
    ]
    assert sum(g.amount.fen for g in result.grants) == 225 * WAN  # 75 + 150
    text = result.explain()
    assert "金额：待定（2028 年度尚未到期，金额届时确定）" in text
    assert "尚缺" not in text
    assert "尚需提供" not in text
    assert "amount: unknown (2028 not due yet: known when it comes)" in result.explain(lang="en")


def test_a_due_year_without_its_entry_is_still_asked_for() -> None:
    """On 2028-12-31 the 2028 interest is due: its entry is missing (尚缺), as before."""
    (d,) = _policy().evaluate(_loan(["150万元", "300万元"], as_of="2028-12-31")).decisions
    assert d.missing_facts == ("loan.interest",)


@pytest.mark.parametrize(
    ("line", "code", "hint"),
    [
        ("paid yearly for 36 months from started_on", "E121", "(36 个月: `for 3 years`)"),
        ("paid over 24 months from started_on: 50%, 50% remainder last", "E120", "`over 2 years`"),
    ],
)
def test_a_period_in_months_gets_a_hint(line: str, code: str, hint: str) -> None:
    text = POLICY.replace("CAP", YEARLY_CAP).replace(
        "paid yearly for YEARS years from started_on", line
    )
    with pytest.raises(RuleSyntaxError) as info:
        policyrules.parse(text, "t.rule")
    (d,) = info.value.diagnostics
    assert d.code == code
    assert "counted in years" in d.message
    assert d.hint is not None
    assert hint in d.hint


# A second award reading the same list over 5 years (五年内按实际支付利息的10%给予补助):
# the subsidy's 3 years and this one's 5 read one list, entry k for each start's k-th year.
LONGER = """
clause 2
  quote "五年内按实际支付利息的10%给予补助。"

  award support "补助"
    for each loan
    eligible when started_on in force
    amount 10% of this_year(interest)
    paid yearly for 5 years from started_on
"""


def _both(interest: list[str]) -> dict[str, policyrules.Decision]:
    text = POLICY.replace("YEARS", "3").replace("CAP", YEARLY_CAP) + LONGER
    result = compile_text(text).evaluate(_loan(interest))
    return {d.provision.split("/")[-1]: d for d in result.decisions}


def test_an_entry_within_a_longer_schedule_on_the_same_list_is_not_refused() -> None:
    """Five entries (150, 300, 300, 150, 100 万) for 2026–2030: 2029 and 2030 are past the
    subsidy's 3 years but within support's 5, so they are support's years, not an error.
    Subsidy: 50% of 150, 300, 300 = 75 + 150 + 150 = 375 万 (each within 2% of 1 亿 = 200
    万).  Support: 10% of each = 15 + 30 + 30 + 15 + 10 = 100 万.  Before: subsidy unknown
    (E426) for the entry that belongs to support."""
    got = _both(["150万元", "300万元", "300万元", "150万元", "100万元"])
    subsidy, support = got["subsidy"], got["support"]
    assert (subsidy.status, subsidy.amount, subsidy.amount_kind) == (
        "eligible",
        Money(375 * WAN),
        "exact",
    )
    assert (support.status, support.amount) == ("eligible", Money(100 * WAN))
    assert (
        "interest: entries 4–5 (for 2029–2030) are after this schedule's years: "
        "d/2/support's schedule of 5 years pays them"
    ) in [step.text for step in subsidy.trace]


def test_an_entry_past_every_schedule_reading_the_list_is_refused() -> None:
    """A sixth entry (2031) is past both: each refuses it, naming entry 6, not entry 4."""
    got = _both(["150万元", "300万元", "300万元", "150万元", "100万元", "50万元"])
    assert {k: d.status for k, d in got.items()} == {"subsidy": "unknown", "support": "unknown"}
    assert (
        got["subsidy"]
        .reasons[0]
        .startswith(
            "E426: interest has 6 entries, the first for 2026, and paid yearly for 3 years from "
            "started_on pays the 3 years 2026–2028: its entry 6 (50 万元, for 2031) would not be "
            "paid (nor by d/2/support's schedule of 5 years)"
        )
    )
    assert (
        got["support"]
        .reasons[0]
        .startswith(
            "E426: interest has 6 entries, the first for 2026, and paid yearly for 5 years from "
            "started_on pays the 5 years 2026–2030: its entry 6 (50 万元, for 2031) would not be "
            "paid"
        )
    )
    policy = compile_text(POLICY.replace("YEARS", "3").replace("CAP", YEARLY_CAP) + LONGER)
    facts = _loan(["150万元", "300万元", "300万元", "150万元", "100万元", "50万元"])
    assert (
        "只拨付 2026—2028 年度（读同一列表的 d/2/support 拨付 5 个年度）："
        "第 6 项（50 万元，2031 年度）将不予拨付"
    ) in policy.evaluate(facts).explain()
