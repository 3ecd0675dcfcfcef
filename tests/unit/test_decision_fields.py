"""The structured fields of a decision and the runtime values behind them.

Not the wording of explanations: the amount kind, which cap bound, the title, the margin's
number, the facts as shown (money in 万元, rates in %), pools that are or are not shared, and
that only exact awards become grants.  Each policy is loaded from a temporary directory.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, Ledger, Money, Policy
from policyrules.runtime.calendar import DurationUnit, Unpublished, WorkCalendar, published_years
from policyrules.runtime.values import Duration, Unknown, is_unknown, missing_of

WAN = 1_000_000  # fen in 1 万元

HEAD = """enum Kind "类别" { alpha "甲", beta "乙", gamma "丙" }

entity firm "企业"
  list firms
  fact m1: money
  fact m2: money
  fact n1: number
  fact r: rate
  fact d1: date
  fact a: bool
  fact kinds: set of Kind
  fact ms: list of money
  fact ws: list of 工作日
  fact label: text

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"
"""


def _load(tmp_path: Path, body: str) -> Policy:
    folder = tmp_path / "policy"
    folder.mkdir(exist_ok=True)
    (folder / "t.rule").write_text(HEAD + body, encoding="utf-8")
    return policyrules.load(folder)


def _firms(*firms: dict[str, Any]) -> dict[str, Any]:
    return {"firms": list(firms)}


def _usable(result: policyrules.Result) -> None:
    """Every result can be explained and serialised, whatever it holds."""
    assert result.explain()
    assert result.explain(verbose=True)
    json.dumps(result.to_json(), ensure_ascii=False)


# ---- pools: separate unless shared ---------------------------------------------------------

TWO_POOLS = """
  award first "第一项"
    for each firm
    amount m1
    cap 100 万元 per firm

  award second "第二项"
    for each firm
    amount m2
    cap 100 万元 per firm
"""

ONE_POOL = """
  award first "第一项"
    for each firm
    amount m1
    cap 100 万元 per firm shared firm_pool

  award second "第二项"
    for each firm
    amount m2
    cap 100 万元 per firm shared firm_pool
"""


def test_caps_of_two_provisions_are_apart(tmp_path: Path) -> None:
    """Each provision's own cap: 80 万元 and 80 万元, each within its own 100 万元."""
    result = _load(tmp_path, TWO_POOLS).evaluate(
        _firms({"id": "F", "m1": "80 万元", "m2": "80 万元"})
    )
    assert [(d.amount, d.amount_kind) for d in result.decisions] == [
        (Money.of(80, "万元"), "exact"),
        (Money.of(80, "万元"), "exact"),
    ]
    _usable(result)


def test_a_shared_pool_is_one_cap(tmp_path: Path) -> None:
    """`shared firm_pool`: claims of 80 万元 and 80 万元 share 100 万元: 80 and 20, whichever
    goes first.  With 30 万元 in the ledger, 70 万元 are left, and the grant also counts
    against the entitlement of the firm under its own provision (80 − 30 = 50)."""
    policy = _load(tmp_path, ONE_POOL)
    facts = _firms({"id": "F", "m1": "80 万元", "m2": "80 万元"})

    def paid(ledger: list[dict[str, Any]] | None = None) -> list[int]:
        result = policy.evaluate(facts, ledger=ledger)
        assert all(d.amount_kind == "exact" for d in result.decisions)
        return sorted(d.amount.fen for d in result.decisions if d.amount is not None)

    assert paid() == [20 * WAN, 80 * WAN]
    # Under first: first (served first) pays its rest 50; second min(80, 70 − 50) = 20.
    assert paid([{"provision": "d/1/first", "firm": "F", "amount": "30 万元"}]) == [
        20 * WAN,
        50 * WAN,
    ]
    # Under second: first min(80, 70) = 70; second's rest 50 finds no room: 0.
    assert paid([{"provision": "d/1/second", "firm": "F", "amount": "30 万元"}]) == [0, 70 * WAN]


# ---- caps: binding, kinds, grants ---------------------------------------------------------

CAPPED = """
  award x "奖励"
    for each firm
    amount decided m1
    cap 200 万元 per firm
"""


def test_a_claim_equal_to_the_cap_is_not_cut(tmp_path: Path) -> None:
    """200 万元 claimed under a 200 万元 cap: paid whole; the cap does not bind (cut 0)."""
    (d,) = _load(tmp_path, CAPPED).evaluate(_firms({"id": "F", "m1": "200 万元"})).decisions
    assert (d.amount, d.amount_kind) == (Money.of(200, "万元"), "exact")
    assert d.caps[0].binding is False
    assert d.caps[0].cut == Money.zero()


def test_a_claim_one_fen_over_the_cap_is_cut_by_one_fen(tmp_path: Path) -> None:
    """2,000,000.01 元 under 200 万元: paid 200 万元; the cap binds and cuts 0.01 元."""
    (d,) = _load(tmp_path, CAPPED).evaluate(_firms({"id": "F", "m1": "2000000.01"})).decisions
    assert (d.amount, d.amount_kind) == (Money.of(200, "万元"), "exact")
    assert d.caps[0].binding is True
    assert d.caps[0].cut == Money(1)


def test_only_exact_awards_become_grants(tmp_path: Path) -> None:
    """No decided amount: "up to" 200 万元, which is a bound and never a grant."""
    result = _load(tmp_path, CAPPED).evaluate(_firms({"id": "F"}, {"id": "G", "m1": "5 万元"}))
    assert [(d.subject, d.amount, d.amount_kind) for d in result.decisions] == [
        ("F", Money.of(200, "万元"), "up_to"),
        ("G", Money.of(5, "万元"), "exact"),
    ]
    assert [(g.firm, g.amount) for g in result.grants] == [("firm:G", Money.of(5, "万元"))]
    _usable(result)


# ---- titles, declarations, margins ---------------------------------------------------------

TITLES = """
  award titled "有标题的奖励"
    for each firm
    amount m1

  entitlement untitled
    for each firm
    eligible when a
    consequence "x"

  declaration nothing "无可计算内容"
"""


def test_titles_and_declarations(tmp_path: Path) -> None:
    """A provision's own title, else its clause's; a declaration makes no decision."""
    result = _load(tmp_path, TITLES).evaluate(_firms({"id": "F", "m1": "1 元", "a": False}))
    assert [(d.provision, d.title, d.status) for d in result.decisions] == [
        ("d/1/titled", "有标题的奖励", "eligible"),
        ("d/1/untitled", "条", "not_eligible"),
    ]
    not_eligible = result.decisions[1]
    assert not_eligible.reasons
    assert all(isinstance(r, str) and r for r in not_eligible.reasons)
    _usable(result)


TARGETS = """
  target t_days
    for each firm
    require average(ws) <= 60 工作日

  target t_money
    for each firm
    require m1 >= 100 万元

  target t_number
    for each firm
    require n1 < 10

  target t_date
    for each firm
    require d1 <= 2025-06-01
"""


def test_target_margins(tmp_path: Path) -> None:
    """average [50, 54] = 52 工作日 against 60: margin 8 工作日; 150 万元 against 100 万元:
    margin 50 万元; 7 against 10: margin 3."""
    result = _load(tmp_path, TARGETS).evaluate(
        _firms({"id": "F", "ws": [50, 54], "m1": "150 万元", "n1": 7})
    )
    assert [d.status for d in result.decisions[:3]] == ["met", "met", "met"]
    days, money, number, _ = (d.margin or "" for d in result.decisions)
    assert days.endswith("8 工作日")
    assert money.endswith("50 万元")
    assert number.endswith(" 3")


def test_no_python_none_in_a_margin(tmp_path: Path) -> None:
    """A date target has no numeric margin, and says so in words, never "None"."""
    result = _load(tmp_path, TARGETS).evaluate(
        _firms({"id": "F", "ws": [1], "m1": "1 元", "n1": 1, "d1": "2025-05-01"})
    )
    date_target = result.decisions[3]
    assert date_target.status == "met"
    assert date_target.margin
    assert "None" not in date_target.margin


SHOWN = """
  entitlement shown
    for each firm
    eligible when known(m1) and known(n1) and known(r) and known(d1) and known(a)
    eligible when known(kinds) and known(ms) and known(label)
    consequence "x"
"""


def test_facts_as_shown(tmp_path: Path) -> None:
    """The facts a decision read, as a person reads them: money in 万元 when whole, a rate in
    %, a number as written, a set sorted, a list in order."""
    facts = {
        "id": "F",
        "m1": "100 万元",
        "n1": "2.5",
        "r": "30%",
        "d1": "2025-06-01",
        "a": True,
        "kinds": ["gamma", "alpha"],
        "ms": ["5 元", "9 元"],
        "label": "abc",
    }
    (d,) = _load(tmp_path, SHOWN).evaluate(_firms(facts)).decisions
    assert d.status == "eligible"
    assert dict(d.facts) == {
        "firm.m1": "100 万元",
        "firm.n1": "2.5",
        "firm.r": "30%",
        "firm.d1": "2025-06-01",
        "firm.a": "true",
        "firm.kinds": "{alpha, gamma}",
        "firm.ms": "[5.00 元, 9.00 元]",
        "firm.label": "abc",
    }


# ---- runtime values and the calendar's public functions -----------------------------------


def test_unknown_values_combine() -> None:
    a, b = Unknown(frozenset({"x"})), Unknown(frozenset({"y"}))
    assert a | b == Unknown(frozenset({"x", "y"}))
    assert missing_of(1, a, "t", b) == Unknown(frozenset({"x", "y"}))
    assert missing_of(1, "t") is None
    assert is_unknown(a) is True
    assert is_unknown(Money.zero()) is False


def test_durations_normalise() -> None:
    """2 周 = 14 日; 2 年 = 24 月; 工作日 stays apart."""
    from decimal import Decimal

    assert Duration(Decimal(2), "周").normalized() == ("days", Decimal(14))
    assert Duration(Decimal(2), "年").normalized() == ("months", Decimal(24))
    assert Duration(Decimal(3), "月").normalized() == ("months", Decimal(3))
    assert Duration(Decimal(3), "日").normalized() == ("days", Decimal(3))
    assert Duration(Decimal(3), "工作日").normalized() == ("workdays", Decimal(3))


def test_ledger_is_a_sized_collection() -> None:
    g = Grant("d/1/x", (("firm", "F"),), Money(1), 2025)
    h = Grant("d/1/x", (("firm", "G"),), Money(2), 2025)
    k = Grant("d/1/x", (("firm", "H"),), Money(3), 2026)
    ledger = Ledger((g,))
    assert len(ledger) == 1
    assert list(ledger) == [g]
    assert len(ledger.with_grants([h, k])) == 3
    assert g.firm == "firm:F"


def test_money_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        Money(1) - 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1) + 1  # type: ignore[operator]
    assert str(Money(0)) == "0.00 元"
    assert Money(0).format_cn() == "0.00 元"


def test_calendar_public_functions() -> None:
    """chinesecalendar 1.11.0 carries the schedules of 2004 to 2026."""
    cal = WorkCalendar()
    assert published_years() == (2004, 2026)
    assert cal.is_published(2026) is True
    assert cal.is_published(2027) is False
    # A datetime is read as its date: 2025-12-31 09:30, 1 工作日 later is 2026-01-04.
    assert cal.add_workdays(datetime(2025, 12, 31, 9, 30), 1) == date(2026, 1, 4)
    # 0 months or days from 2025-01-31, a Spring Festival rest day (01-28..02-04 off): the
    # period ends on its start, moved to the next working day, Wed 2025-02-05.
    assert cal.due_date(date(2025, 1, 31), 0, DurationUnit.MONTH) == date(2025, 2, 5)
    assert cal.due_date(date(2025, 1, 31), 0, DurationUnit.DAY) == date(2025, 2, 5)
    with pytest.raises(TypeError):
        cal.add_workdays("2025-12-31", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cal.add_workdays(date(2025, 12, 31), True)
    with pytest.raises(ValueError, match="negative"):
        cal.add_workdays(date(2025, 12, 31), -1)


def test_weekends_only_into_a_published_year() -> None:
    """2003 has no published schedule, 2004 has: under weekends_only, 1 工作日 after Tue
    2003-12-30 is Wed 12-31 (the last of 2003), 2 is Fri 2004-01-02 (元旦 2004 is off)."""
    weekends = WorkCalendar(Unpublished.WEEKENDS_ONLY)
    assert weekends.add_workdays(date(2003, 12, 30), 1) == date(2003, 12, 31)
    assert weekends.add_workdays(date(2003, 12, 30), 2) == date(2004, 1, 2)
    assert weekends.workdays_between(date(2003, 12, 30), date(2004, 1, 2)) == 2


# ---- what reasons, caps and the trace carry (values, not wording) --------------------------

ONCE = """
  award once_only "一次性奖励"
    for each firm
    eligible when a
    eligible when d1 in force
    amount decided m1
    once per firm
    cap 200 万元 per firm per year of d1
"""


def test_reasons_show_the_values_read(tmp_path: Path) -> None:
    """A failed condition shows the value it read (a = false); a date outside the validity
    shows the date and the period (2025-01-01 – 2030-12-31)."""
    policy = _load(tmp_path, ONCE)
    (d,) = policy.evaluate(_firms({"id": "F", "a": False, "d1": "2025-06-01"})).decisions
    assert d.status == "not_eligible"
    assert "false" in d.reasons[0]
    (d,) = policy.evaluate(_firms({"id": "F", "a": True, "d1": "2031-01-01"})).decisions
    assert d.status == "not_eligible"
    assert "2031-01-01" in d.reasons[0]
    assert "2025-01-01" in d.reasons[0]
    assert "2030-12-31" in d.reasons[0]


def test_trace_marks_the_once_step_and_the_cap(tmp_path: Path) -> None:
    """Paid before: the `once` step failed.  Paid now: the cap's scope names the year, and its
    line shows the limit (200 万元)."""
    policy = _load(tmp_path, ONCE)
    facts = _firms({"id": "F", "a": True, "d1": "2025-06-01", "m1": "250 万元"})
    (paid,) = policy.evaluate(facts).decisions
    assert (paid.amount, paid.amount_kind) == (Money.of(200, "万元"), "exact")
    assert "2025" in paid.caps[0].scope
    cap_steps = [s for s in paid.trace if s.kind == "cap"]
    assert len(cap_steps) == 1
    assert "200 万元" in cap_steps[0].text
    assert cap_steps[0].ok is False  # the cap bound
    assert [s.ok for s in paid.trace if s.kind == "once"] == [True]
    ledger = [{"provision": "d/1/once_only", "firm": "F", "amount": "1", "year": 2025}]
    (again,) = policy.evaluate(facts, ledger=ledger).decisions
    assert again.status == "not_eligible"
    assert [s.ok for s in again.trace if s.kind == "once"] == [False]


def test_numbers_shown_to_six_places(tmp_path: Path) -> None:
    """A number with six decimal places is shown as written: 1.000001."""
    (d,) = (
        _load(tmp_path, SHOWN)
        .evaluate(_firms({"id": "F", "n1": "1.000001", "m1": "12.5", "r": "2.5%"}))
        .decisions
    )
    shown = dict(d.facts)
    assert shown["firm.n1"] == "1.000001"
    assert shown["firm.m1"] == "12.50 元"
    assert shown["firm.r"] == "2.5%"


def test_cap_line_shows_what_was_used_before(tmp_path: Path) -> None:
    """30 万元 in the ledger: 250 万元 claimed, 200 - 30 = 170 万元 paid; the cap's trace line
    shows the 30 万元 already used."""
    policy = _load(tmp_path, CAPPED)
    ledger = [{"provision": "d/1/x", "firm": "F", "amount": "30 万元"}]
    (d,) = policy.evaluate(_firms({"id": "F", "m1": "250 万元"}), ledger=ledger).decisions
    assert (d.amount, d.amount_kind) == (Money.of(170, "万元"), "exact")
    assert d.caps[0].used_before == Money.of(30, "万元")
    (line,) = (s.text for s in d.trace if s.kind == "cap")
    assert "30 万元" in line


ASSUMED = """
  assumption count_decided: bool = true "“年度”未说明按何日期计年"

  award x "奖励"
    for each firm
    amount if count_decided then m1 else m2
"""


def test_an_assumption_is_read_and_listed(tmp_path: Path) -> None:
    """Default true: m1 = 5 万元; assumed false: m2 = 7 万元; the decision lists it."""
    policy = _load(tmp_path, ASSUMED)
    facts = _firms({"id": "F", "m1": "5 万元", "m2": "7 万元"})
    (d,) = policy.evaluate(facts).decisions
    assert d.amount == Money.of(5, "万元")
    assert dict(d.assumptions) == {"count_decided": "true"}
    (d,) = policy.evaluate(facts, assumptions={"count_decided": False}).decisions
    assert d.amount == Money.of(7, "万元")
    assert dict(d.assumptions) == {"count_decided": "false"}


PER_TWO = """
  award x "奖励"
    for each product
    amount decided decided_amount
    cap 100 万元 per firm per product
"""


def test_a_cap_per_firm_per_product_counts_each_product(tmp_path: Path) -> None:
    """`per firm per product` is scoped to the deepest owner, the product: two products of
    one firm claiming 80 万元 each get 80 万元 each (not 80 and 20)."""
    folder = tmp_path / "two"
    folder.mkdir()
    text = """entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact decided_amount: money

document d "测试"

clause 1 "条"
  quote "q"
"""
    (folder / "t.rule").write_text(text + PER_TWO, encoding="utf-8")
    policy = policyrules.load(folder)
    facts = {
        "firms": [
            {
                "id": "F",
                "products": [
                    {"id": "P", "decided_amount": "80 万元"},
                    {"id": "Q", "decided_amount": "80 万元"},
                ],
            }
        ]
    }
    result = policy.evaluate(facts)
    assert [d.amount for d in result.decisions] == [Money.of(80, "万元"), Money.of(80, "万元")]


RATED = """
  parameter support_rate: rate "支持比例"

  award x "奖励"
    for each firm
    amount support_rate of m1

  entitlement y
    for each firm
    consequence "即收即检"

  target z
    for each firm
    require average(ws) <= 60 工作日
"""


def test_parameters_consequences_and_averages_as_shown(tmp_path: Path) -> None:
    """A set rate parameter is shown in % (30%: 30% of 10 万元 = 3 万元); an entitlement's
    consequence step holds; average [1, 1, 2] = 4/3 工作日 is shown to two places, ≈1.33."""
    policy = _load(tmp_path, RATED)
    facts = _firms({"id": "F", "m1": "10 万元", "ws": [1, 1, 2]})
    award, entitled, target = policy.evaluate(facts, parameters={"support_rate": "30%"}).decisions
    assert award.amount == Money.of(3, "万元")
    assert dict(award.parameters) == {"support_rate": "30%"}
    assert [s.ok for s in entitled.trace if s.kind == "consequence"] == [True]
    assert target.status == "met"
    assert "1.33" in (target.margin or "")


def test_is_published_outside_the_calendar() -> None:
    from policyrules.runtime.calendar import is_published

    assert is_published(0) is False
    assert is_published(10_000) is False
    assert is_published(2026) is True


def test_grants_validate_their_path_and_year() -> None:
    """A path holds (entity, id) pairs, never bare text; a year is in 1..9999."""
    assert Grant("d/1/x", (("firm", "F"),), Money(1), 1).year == 1
    assert Grant("d/1/x", (("firm", "F"),), Money(1), 9999).year == 9999
    with pytest.raises(policyrules.PolicyRulesError):
        Grant("d/1/x", (("firm", "F"), "pr"), Money(1))  # type: ignore[arg-type]
    with pytest.raises(policyrules.PolicyRulesError):
        Grant("d/1/x", (("firm", "F"),), Money(1), 0)


def test_statutory_projection_at_its_edges() -> None:
    """The projection (no 调休): 元旦 2029 is a Monday and a holiday, so 1 工作日 after Fri
    2028-12-29 is Tue 2029-01-02; it covers 2000 (the 1999 rules: 元旦 off, 6 June 2000, a
    Tuesday, worked)."""
    projected = WorkCalendar(Unpublished.STATUTORY_PROJECTION)
    assert projected.add_workdays(date(2028, 12, 29), 1) == date(2029, 1, 2)
    assert projected.is_workday(date(2029, 1, 1)) is False
    assert projected.is_workday(date(2000, 1, 1)) is False
    assert projected.is_workday(date(2000, 6, 6)) is True


def test_a_calendar_is_a_value_whatever_it_tracked() -> None:
    """The years a calendar answered for under an assumption are a record, not its identity:
    two calendars of one policy are equal and hashable whatever they tracked."""
    a = WorkCalendar(Unpublished.WEEKENDS_ONLY, assumed=set())
    b = WorkCalendar(Unpublished.WEEKENDS_ONLY, assumed={2027})
    assert a == b
    assert hash(a) == hash(b)
