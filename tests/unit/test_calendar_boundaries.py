"""Working days and periods at the edges: 31 December to 1 January, the Spring Festival, and
the first and last day of a period.

Expected dates are read by hand from the State Council's holiday notices (国务院办公厅关于
2025年/2026年部分节假日安排的通知), which chinesecalendar 1.11.0 carries:

- 2025: 元旦 1 January (Wed) off.  春节 28 January (Tue) – 4 February (Tue) off; Sunday
  26 January and Saturday 8 February are working days.
- 2026: 元旦 1–3 January (Thu–Sat) off; Sunday 4 January is a working day.  春节 15 February
  (Sun) – 23 February (Mon) off; Saturday 14 February and Saturday 28 February are working days.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policyrules
from policyrules.runtime.calendar import DurationUnit, Unpublished, WorkCalendar

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2024, 12, 31), True),  # Tue
        (date(2025, 1, 1), False),  # 元旦
        (date(2025, 1, 2), True),
        (date(2025, 1, 26), True),  # Sunday made a working day (春节 调休)
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # last day off
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday made a working day
        (date(2025, 2, 9), False),  # an ordinary Sunday
        (date(2025, 12, 31), True),
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), False),  # a Friday off
        (date(2026, 1, 3), False),
        (date(2026, 1, 4), True),  # Sunday made a working day
        (date(2026, 2, 14), True),  # Saturday made a working day
        (date(2026, 2, 15), False),
        (date(2026, 2, 23), False),  # a Monday off
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday made a working day
    ],
)
def test_published_schedule(day: date, workday: bool) -> None:
    assert CAL.is_workday(day) is workday
    assert CAL.is_rest_day(day) is not workday


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2025, 12, 30), 1, date(2025, 12, 31)),
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # 1–3 January off, Sunday 4th works
        (date(2025, 12, 31), 2, date(2026, 1, 5)),
        (date(2025, 12, 30), 3, date(2026, 1, 5)),  # 12-31, 01-04, 01-05
        (date(2026, 1, 1), 1, date(2026, 1, 4)),  # from a holiday: the start never counts
        (date(2024, 12, 31), 1, date(2025, 1, 2)),  # 元旦 2025 is one day
        (date(2024, 12, 30), 2, date(2025, 1, 2)),  # 12-31, 01-02
        (date(2025, 1, 24), 1, date(2025, 1, 26)),  # Sat 25th off, Sun 26th works
        (date(2025, 1, 24), 2, date(2025, 1, 27)),
        (date(2025, 1, 24), 3, date(2025, 2, 5)),  # the whole festival skipped
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        (date(2025, 2, 7), 1, date(2025, 2, 8)),  # Saturday 8th works
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # 15th–23rd off
        (date(2026, 2, 13), 3, date(2026, 2, 25)),  # 14th, 24th, 25th
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        (date(2025, 12, 31), 0, date(2025, 12, 31)),  # a zero period ends where it starts
    ],
)
def test_add_workdays_across_year_end_and_festival(start: date, n: int, due: date) -> None:
    assert CAL.add_workdays(start, n) == due
    assert CAL.due_date(start, n, DurationUnit.WORKDAY) == due


def test_add_workdays_over_a_whole_year() -> None:
    """2025 has 248 working days: 365 - 104 weekend days - 18 weekdays off (元旦 1, 春节 6,
    清明 1, 劳动节 3, 端午 1, 国庆中秋 6) + 5 weekend days worked (01-26, 02-08, 04-27, 09-28,
    10-11).  So from 2024-12-31 the 248th working day is 2025-12-31 and the 249th 2026-01-04."""
    assert CAL.workdays_between(date(2024, 12, 31), date(2025, 12, 31)) == 248
    assert CAL.add_workdays(date(2024, 12, 31), 248) == date(2025, 12, 31)
    assert CAL.add_workdays(date(2024, 12, 31), 249) == date(2026, 1, 4)
    assert CAL.add_workdays(date(2024, 12, 31), 247) == date(2025, 12, 30)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2025, 12, 30), date(2025, 12, 31), 1),  # the end counts, the start does not
        (date(2025, 12, 31), date(2025, 12, 31), 0),
        (date(2025, 12, 31), date(2025, 12, 30), 0),  # backwards: nothing
        (date(2025, 12, 31), date(2026, 1, 3), 0),
        (date(2025, 12, 31), date(2026, 1, 4), 1),
        (date(2025, 12, 30), date(2026, 1, 5), 3),  # 12-31, 01-04, 01-05
        (date(2025, 12, 29), date(2026, 1, 4), 3),  # 12-30, 12-31, 01-04
        (date(2025, 1, 27), date(2025, 2, 5), 1),
        (date(2025, 1, 26), date(2025, 2, 5), 2),  # 27th and 5th
    ],
)
def test_workdays_between(start: date, end: date, count: int) -> None:
    assert CAL.workdays_between(start, end) == count


def test_workdays_between_counts_the_last_day() -> None:
    """2025-01-25 (Sat) to 2025-02-08 (Sat, a working day): 26, 27 Jan; 5, 6, 7, 8 Feb = 6."""
    assert CAL.workdays_between(date(2025, 1, 25), date(2025, 2, 8)) == 6
    assert CAL.workdays_between(date(2025, 1, 25), date(2025, 2, 7)) == 5


@pytest.mark.parametrize(
    ("start", "n", "unit", "due"),
    [
        (date(2025, 6, 2), 1, DurationUnit.DAY, date(2025, 6, 3)),  # the start is not counted
        (date(2025, 6, 2), 3, DurationUnit.DAY, date(2025, 6, 5)),
        (date(2025, 12, 29), 3, DurationUnit.DAY, date(2026, 1, 4)),  # 01-01 off: rolls to 4th
        (date(2025, 12, 28), 3, DurationUnit.DAY, date(2025, 12, 31)),
        (date(2025, 1, 24), 4, DurationUnit.DAY, date(2025, 2, 5)),  # 28 Jan: festival, rolls
        (date(2025, 1, 24), 2, DurationUnit.DAY, date(2025, 1, 26)),  # Sunday 26th works
        (date(2025, 6, 2), 1, DurationUnit.WEEK, date(2025, 6, 9)),
        (date(2025, 6, 2), 2, DurationUnit.WEEK, date(2025, 6, 16)),
        (date(2025, 1, 31), 1, DurationUnit.MONTH, date(2025, 2, 28)),  # no 31 Feb
        (date(2025, 3, 3), 1, DurationUnit.MONTH, date(2025, 4, 3)),
        (date(2025, 11, 30), 1, DurationUnit.MONTH, date(2025, 12, 30)),
        (date(2025, 12, 1), 1, DurationUnit.MONTH, date(2026, 1, 4)),  # 01-01 off: rolls
        (date(2025, 12, 15), 1, DurationUnit.MONTH, date(2026, 1, 15)),
        (date(2024, 12, 2), 13, DurationUnit.MONTH, date(2026, 1, 4)),  # 2026-01-02 off
        (date(2025, 3, 3), 1, DurationUnit.YEAR, date(2026, 3, 3)),
        (date(2024, 2, 29), 1, DurationUnit.YEAR, date(2025, 2, 28)),
    ],
)
def test_due_dates(start: date, n: int, unit: DurationUnit, due: date) -> None:
    assert CAL.due_date(start, n, unit) == due


def test_deadline_met_on_the_last_day_only() -> None:
    """Due 2026-01-05 (2 工作日 after 2025-12-31): met on the 5th, not met on the 6th."""
    assert CAL.deadline_met(date(2025, 12, 31), 2, DurationUnit.WORKDAY, date(2026, 1, 5)) == (
        True,
        date(2026, 1, 5),
    )
    assert CAL.deadline_met(date(2025, 12, 31), 2, DurationUnit.WORKDAY, date(2026, 1, 6)) == (
        False,
        date(2026, 1, 5),
    )


def test_weekends_only_counts_monday_to_friday() -> None:
    """Under the assumption, a year without a schedule counts Mon–Fri: from Fri 2027-01-08,
    1 工作日 is Mon 01-11, 5 are Fri 01-15, 6 are Mon 01-18; 01-09..01-18 holds 6 days."""
    weekends = WorkCalendar(Unpublished.WEEKENDS_ONLY)
    assert weekends.add_workdays(date(2027, 1, 8), 1) == date(2027, 1, 11)
    assert weekends.add_workdays(date(2027, 1, 8), 5) == date(2027, 1, 15)
    assert weekends.add_workdays(date(2027, 1, 8), 6) == date(2027, 1, 18)
    assert weekends.workdays_between(date(2027, 1, 8), date(2027, 1, 18)) == 6
    assert weekends.is_workday(date(2027, 1, 9)) is False  # a Saturday
    assert weekends.is_workday(date(2027, 1, 8)) is True


def test_unpublished_year_is_refused_by_default() -> None:
    with pytest.raises(policyrules.CalendarError):
        CAL.add_workdays(date(2027, 6, 1), 1)
    with pytest.raises(policyrules.CalendarError):
        CAL.is_workday(date(2199, 6, 1))


# ---- the same through a policy: a deadline in 工作日 ------------------------------------------

DEADLINE = """entity case "案件"
  list cases
  fact accepted_on: date
  fact reviewed_on: date

document d "测试"

clause 1 "时限"
  quote "q"

  deadline review "审评时限"
    for each case
    due 3 工作日 after accepted_on
    done reviewed_on
"""


@pytest.mark.parametrize(
    ("accepted", "reviewed", "status", "due"),
    [
        # 3 working days after 2025-12-31: 01-04, 01-05, 01-06.
        ("2025-12-31", "2026-01-06", "met", date(2026, 1, 6)),
        ("2025-12-31", "2026-01-07", "not_met", date(2026, 1, 6)),
        ("2025-12-31", "2025-12-31", "met", date(2026, 1, 6)),
        # 3 working days after 2026-02-12 (Thu): 02-13, 02-14 (Sat, 调休), 02-24.
        ("2026-02-12", "2026-02-24", "met", date(2026, 2, 24)),
        ("2026-02-12", "2026-02-25", "not_met", date(2026, 2, 24)),
    ],
)
def test_deadline_decision(
    tmp_path: Path, accepted: str, reviewed: str, status: str, due: date
) -> None:
    (tmp_path / "t.rule").write_text(DEADLINE, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    facts = {"cases": [{"id": "c", "accepted_on": accepted, "reviewed_on": reviewed}]}
    (d,) = policy.evaluate(facts).decisions
    assert (d.status, d.due) == (status, due)


def test_pending_deadline_overdue_as_of(tmp_path: Path) -> None:
    """Not done, due 2026-01-06: pending as of the 6th itself, not met as of the 7th."""
    (tmp_path / "t.rule").write_text(DEADLINE, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    facts = {"cases": [{"id": "c", "accepted_on": "2025-12-31"}]}
    on_time = policy.evaluate(facts, as_of="2026-01-06").decisions[0]
    late = policy.evaluate(facts, as_of="2026-01-07").decisions[0]
    assert (on_time.status, on_time.due) == ("pending", date(2026, 1, 6))
    assert (late.status, late.due) == ("not_met", date(2026, 1, 6))
