"""Property tests for working days and periods, checked against a day-by-day oracle."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules.errors import CalendarError
from policyrules.runtime import statutory
from policyrules.runtime.calendar import DurationUnit, Unpublished, WorkCalendar, published_years
from policyrules.runtime.statutory import statutory_holidays
from strategies import published_dates, unpublished_dates, workday_counts

CAL = WorkCalendar()
ASSUME = WorkCalendar(Unpublished.WEEKENDS_ONLY)
PROJECT = WorkCalendar(Unpublished.STATUTORY_PROJECTION)

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


# ---- the statutory projection against the published schedules ------------------------------

_NAMES = {
    "元旦": chinese_calendar.Holiday.new_years_day,
    "春节": chinese_calendar.Holiday.spring_festival,
    "清明节": chinese_calendar.Holiday.tomb_sweeping_day,
    "劳动节": chinese_calendar.Holiday.labour_day,
    "端午节": chinese_calendar.Holiday.dragon_boat_festival,
    "中秋节": chinese_calendar.Holiday.mid_autumn_festival,
    "国庆节": chinese_calendar.Holiday.national_day,
}


def test_projected_holidays_are_published_holidays() -> None:
    """For every published year (2004–2026, under the 1999, 2007, 2013 and 2024 texts), each
    projected statutory day is a rest day of the published schedule, named there for the same
    festival wherever the published data names one (a weekend inside a festival may be left
    unnamed: Sat 2012-06-23, 端午).  Checks every lunar date and 清明 the projection computes
    for those years, and each text's days, against the State Council's own notices."""
    span = published_years()
    assert span is not None
    assert span[0] >= statutory.FIRST_YEAR
    checked = 0
    for year in range(span[0], span[1] + 1):
        for day, festivals in statutory_holidays(year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            wanted = {_NAMES[f].value for f in festivals.split("、")}
            assert on_holiday, f"{day} ({festivals}) is a working day in the published {year}"
            assert name is None or name in wanted, f"{day}: published {name}, projected {festivals}"
            checked += 1
    # 2004–2007: 10 days a year; 2008–2024: 11, but 中秋 fell on 国庆 (2009-10-03, 2020-10-01):
    # one day less each; 2025–2026: 13.
    assert checked == 4 * 10 + 17 * 11 - 2 + 2 * 13


@given(st.dates(date(2027, 1, 1), date(2098, 1, 1)), workday_counts(400))
def test_projection_matches_a_day_by_day_oracle(start: date, n: int) -> None:
    """Under statutory_projection a working day is a weekday that is not a statutory holiday
    (400 working days from a start before 2098 end before 2100)."""
    years = range(start.year, min(start.year + 2, statutory.LAST_YEAR) + 1)
    rest = {d for y in years for d, _ in statutory_holidays(y)}
    end = PROJECT.add_workdays(start, n)
    assert end == oracle_add_workdays(start, n, lambda d: d.weekday() < 5 and d not in rest)
    assert n == PROJECT.workdays_between(start, end)


@given(st.integers(2027, 9999), st.sampled_from([ASSUME, PROJECT]))
def test_new_year_is_never_a_working_day(year: int, cal: WorkCalendar) -> None:
    """1 January of an unpublished year is a rest day under every assumption; beyond the
    projection's years it is not answered at all (E502), never answered as a working day."""
    if cal is PROJECT and year > statutory.LAST_YEAR:
        with pytest.raises(CalendarError, match=f"{year}"):
            cal.is_workday(date(year, 1, 1))
    else:
        assert cal.is_workday(date(year, 1, 1)) is False
        assert cal.add_days(date(year - 1, 12, 30), 2) > date(year, 1, 1)
