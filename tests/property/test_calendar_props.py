"""Property tests for working days and periods, checked against a day-by-day oracle."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from hypothesis import given

from policyrules.runtime.calendar import DurationUnit, Unpublished, WorkCalendar
from strategies import published_dates, unpublished_dates, workday_counts

CAL = WorkCalendar()
ASSUME = WorkCalendar(Unpublished.WEEKENDS_ONLY)

# Starts late enough in 2026 would run into 2027: 150 working days from 2026-03-31 end in
# November 2026 even with every holiday in between.
starts = published_dates(max_value=date(2026, 3, 31))


def oracle_add_workdays(start: date, n: int, is_workday: object) -> date:
    """The n-th working day after start, stepping one day at a time."""
    assert callable(is_workday)
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


@given(starts, workday_counts())
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    """workdays_between(s, add_workdays(s, n)) == n."""
    assert n == CAL.workdays_between(start, CAL.add_workdays(start, n))


@given(starts, workday_counts())
def test_add_workdays_matches_the_package_day_by_day(start: date, n: int) -> None:
    """The result equals stepping day by day with chinese_calendar.is_workday."""
    assert oracle_add_workdays(start, n, chinese_calendar.is_workday) == CAL.add_workdays(start, n)


@given(starts, workday_counts().filter(lambda n: n > 0))
def test_add_workdays_lands_on_a_later_working_day(start: date, n: int) -> None:
    """For n > 0 the result is a working day after the start, and adding one more is later."""
    end = CAL.add_workdays(start, n)
    assert end > start
    assert CAL.is_workday(end)
    assert CAL.add_workdays(start, n + 1) > end


@given(published_dates(max_value=date(2025, 10, 31)), workday_counts(400))
def test_add_days_ends_on_the_first_working_day_from_start_plus_n(start: date, n: int) -> None:
    """add_days ends at start + n, or the first working day after it; never earlier."""
    end = CAL.add_days(start, n)
    target = start + timedelta(days=n)
    assert end >= target
    if n > 0:
        assert CAL.is_workday(end)
        assert CAL.workdays_between(target, end) == (1 if end > target else 0)


def corresponding_day(start: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day: found by stepping back."""
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    day = start.day
    while True:
        try:
            return date(year, month0 + 1, day)
        except ValueError:
            day -= 1


@given(starts, workday_counts(8))
def test_add_months_clamps_then_rolls(start: date, n: int) -> None:
    """add_months ends on the corresponding (or last) day, or the first working day after it."""
    end = CAL.add_months(start, n)
    target = corresponding_day(start, n)
    assert end >= target
    if n > 0:
        assert CAL.is_workday(end)
        assert CAL.workdays_between(target, end) == (1 if end > target else 0)


@given(published_dates(max_value=date(2025, 3, 31)), workday_counts())
def test_weekends_only_agrees_in_published_years(start: date, n: int) -> None:
    """The assumption changes nothing where the schedule is published (150 days, working days,
    21 weeks, 5 months and 1 year from a start before April 2025 all end within 2026)."""
    lengths = {
        DurationUnit.DAY: n,
        DurationUnit.WORKDAY: n,
        DurationUnit.WEEK: n // 7,
        DurationUnit.MONTH: n // 30,
        DurationUnit.YEAR: n // 150,
    }
    for unit, length in lengths.items():
        assert CAL.due_date(start, length, unit) == ASSUME.due_date(start, length, unit)


def _weekday_not_new_year(d: date) -> bool:
    return d.weekday() < 5 and (d.month, d.day) != (1, 1)


@given(unpublished_dates(), workday_counts(400))
def test_weekends_only_matches_monday_to_friday(start: date, n: int) -> None:
    """Under WEEKENDS_ONLY, unpublished years count exactly the weekdays other than 1 January."""
    end = ASSUME.add_workdays(start, n)
    assert end == oracle_add_workdays(start, n, _weekday_not_new_year)
    assert n == ASSUME.workdays_between(start, end)
