"""Deadlines whose outcome is the same under every holiday schedule settle without the
unpublished year (issue 9 audit); a 0-length period ending on a rest day moves like any
other (民法典 第二百零三条).

chinesecalendar 1.11.0 publishes 2004–2026; 2027 is unpublished.  Weekdays used below:
2026-06-05 Fri, 06-06 Sat, 06-08 Mon; 2026-12-30 Wed, 12-31 Thu (a working day: no holiday
or 调休 in late December 2026); 2027-01-01 Fri (元旦), 01-04 Mon, 01-05 Tue.
"""

from __future__ import annotations

import datetime as dt

import pytest

from policyrules import Result
from policyrules.api import Policy
from policyrules.runtime.calendar import DurationUnit, Unpublished, WorkCalendar
from strategies import compile_text

TEXT = """entity case "申请"
  list cases
  fact start: date
  fact finished: date
  fact limit_days: 日
  fact used_days: 日

document dl "时限"
  valid from 2000-01-01

clause 1 "日历日"
  quote "一日内办结。"

  deadline cal1 "日"
    for each case
    due 1 日 after start
    done finished

clause 2 "工作日"
  quote "三个工作日内办结。"

  deadline wd3 "工作日"
    for each case
    due 3 工作日 after start
    done finished

clause 3 "计算"
  quote "剩余时限内办结。"

  deadline comp "计算"
    for each case
    due limit_days - used_days after start
    done finished
"""

POLICY: Policy = compile_text(TEXT)


def _run(*cases: dict[str, str], schedule: str = "error", as_of: str | None = None) -> Result:
    return POLICY.evaluate(
        {"cases": list(cases)}, assumptions={"holiday_schedule": schedule}, as_of=as_of
    )


def _get(result: Result, provision: str, case: str) -> tuple[str, dt.date | None]:
    (d,) = [x for x in result.decisions if x.provision.endswith(provision) and x.subject == case]
    return d.status, d.due


def test_three_working_days_done_on_a_published_day_is_met() -> None:
    """3 工作日 after Wed 2026-12-30, done Thu 12-31: 1 working day has passed (12-31), fewer
    than 3, so met under any 2027 schedule; no assumption is recorded."""
    result = _run({"id": "R", "start": "2026-12-30", "finished": "2026-12-31"})
    (d,) = [x for x in result.decisions if x.provision.endswith("wd3")]
    assert (d.status, d.due, d.done) == ("met", None, dt.date(2026, 12, 31))
    assert "in time under any holiday schedule" in (d.margin or "")
    assert d.assumptions == ()
    assert result.assumptions == ()


def test_one_day_done_by_the_calendar_end_is_met() -> None:
    """1 日 after 2026-12-31 ends 2027-01-01 before the rest-day rule, which needs 2027; done
    2026-12-31 is before that end, so met whatever 2027's schedule is."""
    result = _run({"id": "A", "start": "2026-12-31", "finished": "2026-12-31"})
    assert _get(result, "cal1", "A") == ("met", None)
    assert _get(result, "wd3", "A") == ("met", None)  # 0 working days passed, fewer than 3


@pytest.mark.parametrize(
    ("finished", "why"),
    [
        # after the calendar end 2027-01-01: whether 01-05 is in time depends on 2027
        ("2027-01-05", "E501"),
        ("2027-03-01", "E501"),  # late under any real schedule, but no sound bound: unknown
    ],
)
def test_done_after_the_calendar_end_stays_unknown(finished: str, why: str) -> None:
    result = _run({"id": "B", "start": "2026-12-31", "finished": finished})
    (d,) = [x for x in result.decisions if x.provision.endswith("cal1")]
    assert d.status == "unknown"
    assert d.reasons[0].startswith(why)


def test_not_done_before_the_calendar_end_is_pending() -> None:
    """Not done, as of 2026-12-31, 1 日 after 2026-12-31: the period cannot have ended (its
    calendar end is 2027-01-01): pending.  As of 2027-03-01: unknown (no as-of inference of
    lateness)."""
    case = {"id": "D", "start": "2026-12-31"}
    assert _get(_run(case, as_of="2026-12-31"), "cal1", "D") == ("pending", None)
    assert _get(_run(case, as_of="2027-03-01"), "cal1", "D")[0] == "unknown"
    assert _get(_run(case), "cal1", "D")[0] == "unknown"  # no as-of day: the due date is asked


def test_zero_day_period_from_a_saturday_moves_to_monday() -> None:
    """limit 0 日 - used 0 日 = 0 日 after Sat 2026-06-06: the period ends on the Saturday, a
    rest day, so on Mon 2026-06-08 (it used to be due that Saturday)."""
    case = {"id": "SAT0", "start": "2026-06-06", "limit_days": "0日", "used_days": "0日"}
    assert _get(_run(case), "comp", "SAT0") == ("pending", dt.date(2026, 6, 8))


def test_zero_day_period_from_new_year_2027_needs_the_calendar() -> None:
    """0 日 after 2027-01-01 (元旦, never a working day): under weekends_only it moves to Mon
    01-04 (01-02 Sat, 01-03 Sun), and the assumption is recorded; with no assumption it is
    unknown (E501) unless done by 01-01, which is in time under any schedule."""
    case = {"id": "Y27", "start": "2027-01-01", "limit_days": "0日", "used_days": "0日"}
    result = _run(case, schedule="weekends_only")
    (d,) = [x for x in result.decisions if x.provision.endswith("comp")]
    assert (d.status, d.due) == ("pending", dt.date(2027, 1, 4))
    assert d.assumptions == (("holiday_schedule", "weekends_only (assumed for 2027)"),)
    (plain,) = [x for x in _run(case).decisions if x.provision.endswith("comp")]
    assert plain.status == "unknown"
    assert plain.reasons[0].startswith("E501")
    done = _run({**case, "finished": "2027-01-01"})
    assert _get(done, "comp", "Y27") == ("met", None)


@pytest.mark.parametrize(
    ("start", "n", "unit", "done", "settled"),
    [
        # calendar units: done on or before start + period (before the rest-day move)
        (dt.date(2026, 12, 31), 1, DurationUnit.DAY, dt.date(2027, 1, 1), True),
        (dt.date(2026, 12, 31), 1, DurationUnit.DAY, dt.date(2027, 1, 2), False),
        (dt.date(2026, 12, 25), 1, DurationUnit.WEEK, dt.date(2027, 1, 1), True),  # +7 日
        (dt.date(2026, 11, 30), 1, DurationUnit.MONTH, dt.date(2026, 12, 30), True),
        (dt.date(2026, 11, 30), 1, DurationUnit.MONTH, dt.date(2026, 12, 31), False),
        (dt.date(2026, 1, 31), 1, DurationUnit.YEAR, dt.date(2027, 1, 31), True),
        (dt.date(2026, 12, 31), 5, DurationUnit.DAY, dt.date(2026, 12, 1), True),  # early
        # working days: 12-31 is the 1st after 12-30, 12-30 the 1st after 12-29
        (dt.date(2026, 12, 30), 1, DurationUnit.WORKDAY, dt.date(2026, 12, 31), True),
        (dt.date(2026, 12, 29), 1, DurationUnit.WORKDAY, dt.date(2026, 12, 31), False),
        (dt.date(2026, 12, 29), 2, DurationUnit.WORKDAY, dt.date(2026, 12, 31), True),
        # done in 2027: its working days are unknown, so not settled as met
        (dt.date(2026, 12, 30), 3, DurationUnit.WORKDAY, dt.date(2027, 1, 1), False),
        # 0 working days after Sat 2026-06-06: due Mon 06-08; done Sun 06-07 or Mon in time
        (dt.date(2026, 6, 6), 0, DurationUnit.WORKDAY, dt.date(2026, 6, 6), True),
        (dt.date(2026, 6, 6), 0, DurationUnit.WORKDAY, dt.date(2026, 6, 7), True),
        (dt.date(2026, 6, 6), 0, DurationUnit.WORKDAY, dt.date(2026, 6, 8), True),
        (dt.date(2026, 6, 6), 0, DurationUnit.WORKDAY, dt.date(2026, 6, 9), False),
        # 0 working days after Fri 06-05 (a working day): due that Friday
        (dt.date(2026, 6, 5), 0, DurationUnit.WORKDAY, dt.date(2026, 6, 6), False),
        # Fri 06-05 + 1 工作日 is Mon 06-08: done Sat 06-06, 0 passed, in time
        (dt.date(2026, 6, 5), 1, DurationUnit.WORKDAY, dt.date(2026, 6, 6), True),
        # Thu 06-04 + 1 工作日 is Fri 06-05: done Sat 06-06 has 1 passed and is a rest day
        (dt.date(2026, 6, 4), 1, DurationUnit.WORKDAY, dt.date(2026, 6, 6), False),
    ],
)
def test_met_under_every_schedule_table(
    start: dt.date, n: int, unit: DurationUnit, done: dt.date, settled: bool
) -> None:
    assert WorkCalendar().met_under_every_schedule(start, n, unit, done) is settled
    if settled:  # and then it is met under each assumption too
        for how in (Unpublished.WEEKENDS_ONLY, Unpublished.STATUTORY_PROJECTION):
            assert WorkCalendar(how).deadline_met(start, n, unit, done)[0]
