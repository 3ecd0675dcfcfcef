"""Unit tests for working days and Civil Code periods.

The 2025 facts used here are the State Council's schedule: 元旦 01-01; 春节 01-28..02-04 with
Sunday 01-26 and Saturday 02-08 working; 国庆节/中秋节 10-01..08 with Sunday 09-28 and Saturday
10-11 working.  2026: 国庆节 10-01..07.  Each was also checked against ``chinese_calendar``.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from policyrules.errors import CalendarError, EvaluationError
from policyrules.runtime import statutory
from policyrules.runtime.calendar import (
    DurationUnit,
    Unpublished,
    WorkCalendar,
    is_published,
    published_years,
)
from policyrules.runtime.statutory import statutory_holidays

CAL = WorkCalendar()
ASSUME = WorkCalendar(Unpublished.WEEKENDS_ONLY)

# --- the schedule --------------------------------------------------------------------------


def test_published_years_cover_2025_and_2026() -> None:
    """The package's data starts in 2004 and covers 2025 and 2026."""
    span = published_years()
    assert span is not None
    expected = (2004, True, True, False)
    assert expected == (
        span[0],
        is_published(2025),
        is_published(2026),
        is_published(2003),
    )


def test_tiaoxiu_weekends_are_working_days() -> None:
    """Sunday 2025-09-28 and Saturday 2025-10-11 were made working days for National Day."""
    expected = (True, True)
    assert expected == (CAL.is_workday(date(2025, 9, 28)), CAL.is_workday(date(2025, 10, 11)))


def test_national_day_2025_is_a_holiday() -> None:
    """2025-10-01..08 (National Day with Mid-Autumn) are all rest days, weekdays included."""
    days = [date(2025, 10, d) for d in range(1, 9)]
    expected = [True] * 8
    assert expected == [CAL.is_rest_day(d) for d in days]


def test_ordinary_weekend_and_weekday() -> None:
    """Saturday 2025-09-27 is an ordinary rest day; Monday 2025-09-29 an ordinary working day."""
    expected = (False, True)
    assert expected == (CAL.is_workday(date(2025, 9, 27)), CAL.is_workday(date(2025, 9, 29)))


def test_datetime_is_read_as_its_date() -> None:
    """A datetime counts as its calendar date: 2025-09-28 10:00 is on a working Sunday."""
    assert CAL.is_workday(datetime(2025, 9, 28, 10, 0)) is True


# --- working days --------------------------------------------------------------------------


def test_add_workdays_across_national_day() -> None:
    """2025-09-30 + 5 working days = 2025-10-14.

    10-01..08 are holidays; 10-09 (Thu) is 1, 10-10 (Fri) 2, 10-11 (Sat, 调休 working day) 3,
    10-12 (Sun) rests, 10-13 (Mon) 4, 10-14 (Tue) 5.
    """
    assert date(2025, 10, 14) == CAL.add_workdays(date(2025, 9, 30), 5)


def test_add_workdays_counts_a_working_sunday() -> None:
    """2025-01-24 (Fri) + 1 working day: 01-25 (Sat) rests, 01-26 (Sun, 调休) is the first."""
    assert date(2025, 1, 26) == CAL.add_workdays(date(2025, 1, 24), 1)


def test_add_workdays_skips_spring_festival() -> None:
    """2025-01-27 (Mon) + 1 working day: 01-28..02-04 are 春节, so 02-05 (Wed)."""
    assert date(2025, 2, 5) == CAL.add_workdays(date(2025, 1, 27), 1)


def test_add_workdays_from_a_holiday() -> None:
    """Starting on a holiday: 2025-10-03 + 1 working day is 10-09, the first day back."""
    assert date(2025, 10, 9) == CAL.add_workdays(date(2025, 10, 3), 1)


def test_add_workdays_across_new_year() -> None:
    """2024-12-31 + 1 working day: 2025-01-01 is 元旦, so 2025-01-02 (Thu)."""
    assert date(2025, 1, 2) == CAL.add_workdays(date(2024, 12, 31), 1)


def test_add_zero_workdays_is_the_start() -> None:
    """Zero working days after a day is that day, even a holiday."""
    assert date(2025, 10, 1) == CAL.add_workdays(date(2025, 10, 1), 0)


def test_add_workdays_rejects_negative_and_bool() -> None:
    """A negative count is a ValueError; a bool is not a count."""
    with pytest.raises(ValueError, match="negative"):
        CAL.add_workdays(date(2025, 1, 1), -1)
    with pytest.raises(TypeError):
        CAL.add_workdays(date(2025, 1, 1), True)


def test_workdays_between_national_day() -> None:
    """From 2025-09-30 to 2025-10-14: 10-09, 10-10, 10-11, 10-13, 10-14 are 5 working days."""
    expected = 5
    assert expected == CAL.workdays_between(date(2025, 9, 30), date(2025, 10, 14))


def test_workdays_between_january_2025() -> None:
    """January 2025 has 19 working days.

    23 weekdays (Wed 1 – Fri 3, then four full weeks), less 01-01 and 01-28..31 (5 holidays on
    weekdays) = 18, plus Sunday 01-26 (调休) = 19.
    """
    expected = 19
    assert expected == CAL.workdays_between(date(2024, 12, 31), date(2025, 1, 31))


def test_workdays_between_backwards_is_zero() -> None:
    """An end on or before the start has no working days in between."""
    expected = (0, 0)
    assert expected == (
        CAL.workdays_between(date(2025, 5, 6), date(2025, 5, 6)),
        CAL.workdays_between(date(2025, 5, 6), date(2025, 4, 1)),
    )


def test_whole_year_2025() -> None:
    """2025 has 248 working days: 261 weekdays - 18 weekday holidays + 5 调休 weekend days.

    Weekday holidays: 01-01; 01-28..31, 02-03, 02-04; 04-04; 05-01, 05-02, 05-05; 06-02;
    10-01..03, 10-06..08 = 1 + 6 + 1 + 3 + 1 + 6 = 18.  Working weekends: 01-26, 02-08, 04-27,
    09-28, 10-11.  2025 starts on Wednesday and has 365 days: 52 weeks + Wed = 261 weekdays.
    """
    expected = 248
    assert expected == CAL.workdays_between(date(2024, 12, 31), date(2025, 12, 31))


# --- Civil Code periods --------------------------------------------------------------------


def test_days_ending_on_a_holiday_roll_forward() -> None:
    """2025-09-26 + 5 days = 10-01, a holiday; 第二百零三条 moves the end to 10-09."""
    assert date(2025, 10, 9) == CAL.add_days(date(2025, 9, 26), 5)


def test_days_ending_on_a_sunday_roll_to_monday() -> None:
    """2025-03-01 (Sat) + 1 day = 03-02 (Sun), a rest day, so the period ends 03-03 (Mon)."""
    assert date(2025, 3, 3) == CAL.add_days(date(2025, 3, 1), 1)


def test_days_ending_on_a_working_saturday_stay() -> None:
    """2025-10-04 + 7 days = 10-11, a Saturday made a working day: no roll."""
    assert date(2025, 10, 11) == CAL.add_days(date(2025, 10, 4), 7)


def test_weeks_are_seven_days() -> None:
    """2025-09-17 (Wed) + 2 weeks = 10-01, a holiday, so the period ends 10-09."""
    assert date(2025, 10, 9) == CAL.add_weeks(date(2025, 9, 17), 2)


def test_month_end_clamp() -> None:
    """2025-01-31 + 1 month: February has no 31st, so its last day, 02-28 (Fri, working)."""
    assert date(2025, 2, 28) == CAL.add_months(date(2025, 1, 31), 1)


def test_month_end_clamp_leap_year() -> None:
    """2024-01-31 + 1 month: 2024 is a leap year, so 02-29 (Thu, working)."""
    assert date(2024, 2, 29) == CAL.add_months(date(2024, 1, 31), 1)


def test_month_ending_on_a_saturday_rolls() -> None:
    """2025-01-15 + 1 month = 02-15 (Sat, rest), so the period ends 02-17 (Mon)."""
    assert date(2025, 2, 17) == CAL.add_months(date(2025, 1, 15), 1)


def test_month_ending_on_national_day_rolls() -> None:
    """2025-09-01 + 1 month = 10-01, a holiday through 10-08, so 10-09."""
    assert date(2025, 10, 9) == CAL.add_months(date(2025, 9, 1), 1)


def test_month_ending_on_a_working_saturday_stays() -> None:
    """2025-09-11 + 1 month = 10-11, a Saturday made a working day: no roll."""
    assert date(2025, 10, 11) == CAL.add_months(date(2025, 9, 11), 1)


def test_year_from_leap_day() -> None:
    """2024-02-29 + 1 year: 2025 has no 02-29, so 02-28 (Fri, working)."""
    assert date(2025, 2, 28) == CAL.add_years(date(2024, 2, 29), 1)


def test_year_ending_on_national_day_2026() -> None:
    """2025-10-01 + 1 year = 2026-10-01; 2026-10-01..07 are off, so 2026-10-08 (Thu)."""
    assert date(2026, 10, 8) == CAL.add_years(date(2025, 10, 1), 1)


def test_zero_length_periods_end_at_the_start_moved_off_a_rest_day() -> None:
    """A period of 0 days, weeks, months, years or working days ends on its start day, and
    like any period (民法典 第二百零三条) a rest day moves it to the next working day:
    2025-10-01 (Wed) to 10-08 are the National Day holiday, 10-09 (Thu) works.  A working
    day stays: 2025-09-30 (Tue)."""
    holiday, workday = date(2025, 10, 1), date(2025, 9, 30)
    assert [date(2025, 10, 9)] * 5 == [CAL.due_date(holiday, 0, unit) for unit in DurationUnit]
    assert [workday] * 5 == [CAL.due_date(workday, 0, unit) for unit in DurationUnit]


def test_due_date_dispatches() -> None:
    """due_date picks the rule for each unit (see the tests above for each answer)."""
    assert [
        date(2025, 10, 9),
        date(2025, 10, 14),
        date(2025, 10, 9),
        date(2025, 2, 28),
        date(2025, 2, 28),
    ] == [
        CAL.due_date(date(2025, 9, 26), 5, DurationUnit.DAY),
        CAL.due_date(date(2025, 9, 30), 5, DurationUnit.WORKDAY),
        CAL.due_date(date(2025, 9, 17), 2, DurationUnit.WEEK),
        CAL.due_date(date(2025, 1, 31), 1, DurationUnit.MONTH),
        CAL.due_date(date(2024, 2, 29), 1, DurationUnit.YEAR),
    ]


def test_deadline_met() -> None:
    """5 working days from 2025-09-30 end 10-14: done on 10-14 is in time, 10-15 is late."""
    start, due = date(2025, 9, 30), date(2025, 10, 14)
    assert [(True, due), (False, due)] == [
        CAL.deadline_met(start, 5, DurationUnit.WORKDAY, date(2025, 10, 14)),
        CAL.deadline_met(start, 5, DurationUnit.WORKDAY, date(2025, 10, 15)),
    ]


@pytest.mark.parametrize("unit", list(DurationUnit))
def test_negative_periods_are_refused(unit: DurationUnit) -> None:
    """No period has a negative length."""
    with pytest.raises(ValueError, match="negative"):
        CAL.due_date(date(2025, 1, 1), -1, unit)


# --- unpublished years ---------------------------------------------------------------------


def _unpublished_message(year: int) -> str:
    span = published_years()
    assert span is not None
    return f"the holiday schedule for {year} is not published (published: {span[0]}–{span[1]})"


def test_2027_is_an_error_by_default() -> None:
    """A working day in 2027 needs a schedule not yet published: E501, with a hint."""
    with pytest.raises(CalendarError) as caught:
        CAL.is_workday(date(2027, 1, 4))
    error = caught.value
    assert ("E501", _unpublished_message(2027), True) == (
        error.code,
        error.diagnostics[0].message,
        "weekends_only" in (error.hint or ""),
    )


def test_far_future_is_an_error_and_an_evaluation_error() -> None:
    """2099 is unpublished; CalendarError is an EvaluationError and a ValueError."""
    with pytest.raises(CalendarError, match="2099") as caught:
        CAL.add_days(date(2099, 3, 1), 1)
    expected = (True, True)
    assert expected == (
        isinstance(caught.value, EvaluationError),
        isinstance(caught.value, ValueError),
    )


def test_before_the_data_is_an_error() -> None:
    """2003 predates the package's data: also E501, naming the year."""
    with pytest.raises(CalendarError, match="2003") as caught:
        CAL.is_workday(date(2003, 6, 2))
    expected = "E501"
    assert expected == caught.value.code


def test_crossing_into_2027_is_an_error() -> None:
    """2026-12-31 (Thu) + 1 working day needs 2027-01-01: an error by default."""
    with pytest.raises(CalendarError, match="2027"):
        CAL.add_workdays(date(2026, 12, 31), 1)


def test_long_request_fails_fast() -> None:
    """10,000 working days from 2025 run past the published years: an error, not a hang."""
    with pytest.raises(CalendarError):
        CAL.add_workdays(date(2025, 1, 1), 10_000)


def test_weekends_only_for_2027() -> None:
    """Under WEEKENDS_ONLY, 2027-01-01 (Fri) is 元旦, a rest day; 01-02 (Sat) rest; 01-04 (Mon)
    working."""
    expected = (False, False, True)
    assert expected == (
        ASSUME.is_workday(date(2027, 1, 1)),
        ASSUME.is_workday(date(2027, 1, 2)),
        ASSUME.is_workday(date(2027, 1, 4)),
    )


def test_weekends_only_crossing_into_2027() -> None:
    """2026-12-30 (Wed) + 3 working days: 12-31 (Thu) 1, 2027-01-01 (Fri) is 元旦, 01-04 (Mon) 2,
    01-05 (Tue) 3."""
    assert (date(2027, 1, 5), 3) == (
        ASSUME.add_workdays(date(2026, 12, 30), 3),
        ASSUME.workdays_between(date(2026, 12, 30), date(2027, 1, 5)),
    )


def test_weekends_only_keeps_the_published_schedule() -> None:
    """The assumption fills unpublished years only: 2025-10-01 is still a holiday."""
    assert False is ASSUME.is_workday(date(2025, 10, 1))


def test_weekends_only_ten_thousand_workdays() -> None:
    """2050-01-07 (Fri) + 10,000 weekdays: each 7-day block after a Friday holds 5 weekdays and
    ends on a Friday, so 2,000 blocks = 14,000 days later, 2088-05-07 (Fri), less 1 January.

    1 January of 2051..2088 (38 years) falls on a weekend 10 times (Sun 2051, Sat 2056, Sat 2061,
    Sun 2062, Sat 2067, Sun 2068, Sun 2073, Sat 2078, Sun 2079, Sat 2084), on a weekday 28
    times: 28 weekdays more.  Fri 2088-05-07 + 25 weekdays (5 weeks) = Fri 06-11; + 3 = Wed 06-16.
    """
    assert date(2088, 6, 16) == ASSUME.add_workdays(date(2050, 1, 7), 10_000)


def test_weekends_only_runs_out_of_dates() -> None:
    """A period past 9999-12-31 cannot be represented."""
    with pytest.raises(OverflowError):
        ASSUME.add_workdays(date(9999, 12, 1), 1_000)


def test_unpublished_policy_is_validated() -> None:
    """The policy must be an Unpublished member, not its string value."""
    with pytest.raises(TypeError):
        WorkCalendar("weekends_only")  # type: ignore[arg-type]


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("日", DurationUnit.DAY),
        ("天", DurationUnit.DAY),
        ("day", DurationUnit.DAY),
        ("Days", DurationUnit.DAY),
        ("工作日", DurationUnit.WORKDAY),
        ("个工作日", DurationUnit.WORKDAY),
        ("workday", DurationUnit.WORKDAY),
        ("workdays", DurationUnit.WORKDAY),
        ("working day", DurationUnit.WORKDAY),
        (" working  days ", DurationUnit.WORKDAY),
        ("周", DurationUnit.WEEK),
        ("weeks", DurationUnit.WEEK),
        ("月", DurationUnit.MONTH),
        ("个月", DurationUnit.MONTH),
        ("month", DurationUnit.MONTH),
        ("年", DurationUnit.YEAR),
        ("years", DurationUnit.YEAR),
    ],
)
def test_duration_unit_parse(text: str, unit: DurationUnit) -> None:
    """Chinese and English names of units read to the same unit."""
    assert unit == DurationUnit.parse(text)


@pytest.mark.parametrize("text", ["hour", "", "工作", "fortnight"])
def test_duration_unit_parse_rejects(text: str) -> None:
    """Unknown unit names are refused."""
    with pytest.raises(ValueError, match="unknown duration unit"):
        DurationUnit.parse(text)


# --- the statutory projection (《全国年节及纪念日放假办法》) ------------------------------------

PROJECT = WorkCalendar(Unpublished.STATUTORY_PROJECTION)


def _festivals(year: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d, name in statutory_holidays(year):
        out.setdefault(name, []).append(f"{d:%m-%d}")
    return out


def test_statutory_holidays_2027() -> None:
    """2027 under the 2024 text (13 days).  正月初一 is Sat 2027-02-06, so 除夕 is Fri 02-05 and
    初三 Mon 02-08; 清明 (solar term) Mon 04-05; 端午 (五月初五) Wed 06-09; 中秋 (八月十五) Wed
    09-15.  The lunar dates agree with the lunardate tables and the 清明 with chinese_calendar's
    solar terms (checked when the module was written; see its docstring)."""
    assert _festivals(2027) == {
        "元旦": ["01-01"],
        "春节": ["02-05", "02-06", "02-07", "02-08"],
        "清明节": ["04-05"],
        "劳动节": ["05-01", "05-02"],
        "端午节": ["06-09"],
        "中秋节": ["09-15"],
        "国庆节": ["10-01", "10-02", "10-03"],
    }


def test_statutory_holidays_follow_the_text_in_force() -> None:
    """Each amendment governs its own years.  2005 (1999 text): 春节 正月初一..初三 = 02-09..11
    (正月初一 2005-02-09), 劳动节 05-01..03, no 清明/端午/中秋.  2012 (2007 text): 春节 除夕,
    初一, 初二 = 01-22..24 (正月初一 01-23).  2019 (2013 text): 初一..初三 = 02-05..07."""
    f2005, f2012, f2019 = _festivals(2005), _festivals(2012), _festivals(2019)
    assert (f2005["春节"], f2005["劳动节"], "清明节" in f2005) == (
        ["02-09", "02-10", "02-11"],
        ["05-01", "05-02", "05-03"],
        False,
    )
    assert (f2012["春节"], f2012["劳动节"]) == (["01-22", "01-23", "01-24"], ["05-01"])
    assert f2019["春节"] == ["02-05", "02-06", "02-07"]
    assert [len(statutory_holidays(y)) for y in (2005, 2012, 2019, 2027)] == [10, 11, 11, 13]


def test_mid_autumn_on_national_day_is_one_day() -> None:
    """2028: 八月十五 is 10-03, also 国庆节: one rest day named for both, 12 days in all."""
    assert (statutory_holidays(2028)[-1], len(statutory_holidays(2028))) == (
        (date(2028, 10, 3), "中秋节、国庆节"),
        12,
    )


def test_projection_has_no_day_in_lieu() -> None:
    """2027-05-01 and 05-02 (劳动节) are Sat and Sun: no day in lieu is projected (第六条
    leaves the day to the yearly notice), so Mon 05-03 is a working day; Fri 2027-10-01 rest."""
    assert (PROJECT.is_workday(date(2027, 5, 3)), PROJECT.is_workday(date(2027, 10, 1))) == (
        True,
        False,
    )


def test_projection_keeps_the_published_schedule() -> None:
    """In a published year the schedule is used as it is: Sun 2025-09-28 (调休) works, and no
    assumption is recorded."""
    cal = PROJECT.tracked()
    assert (cal.is_workday(date(2025, 9, 28)), cal.assumed) == (True, set())


def test_projection_records_the_years_it_stood_in_for() -> None:
    """A tracked calendar lists the unpublished years it answered for: Thu 2026-12-31 + 300
    working days pass through 2027 into 2028."""
    cal = PROJECT.tracked()
    cal.add_workdays(date(2026, 12, 31), 300)
    assert cal.assumed == {2027, 2028}


def test_projection_range() -> None:
    """The projection covers 2000–2099: 2100 and 1999 are E502, naming weekends_only."""
    for year in (1999, 2100):
        with pytest.raises(CalendarError, match=str(year)) as caught:
            PROJECT.is_workday(date(year, 3, 1))
        assert caught.value.code == "E502"
        assert "weekends_only" in (caught.value.hint or "")
    assert (statutory.FIRST_YEAR, statutory.LAST_YEAR) == (2000, 2099)


def test_e501_hint_recommends_the_projection() -> None:
    """The E501 hint names statutory_projection as the recommended assumption, then
    weekends_only."""
    with pytest.raises(CalendarError) as caught:
        CAL.is_workday(date(2027, 3, 1))
    hint = caught.value.hint or ""
    assert hint.index("statutory_projection (recommended") < hint.index("weekends_only")


@pytest.mark.parametrize("year", [2027, 2028, 2032, 2038, 2049, 2099])
@pytest.mark.parametrize("cal", [ASSUME, PROJECT], ids=["weekends_only", "statutory"])
def test_new_year_is_never_a_working_day(cal: WorkCalendar, year: int) -> None:
    """1 January is a rest day under any assumption: Fri 2027, Sat 2028, Thu 2032, Fri 2038,
    Fri 2049, Thu 2099; the period rolls past it.  Under no assumption it is an error."""
    assert cal.is_workday(date(year, 1, 1)) is False
    assert cal.add_days(date(year - 1, 12, 31), 1) > date(year, 1, 1)
    with pytest.raises(CalendarError):
        CAL.is_workday(date(year, 1, 1))
