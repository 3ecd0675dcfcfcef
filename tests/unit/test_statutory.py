"""The statutory holiday projection (《全国年节及纪念日放假办法》) at the amendments' edges, and
working days counted across 31 December in projected years.

Lunar dates: 正月初一 was 2007-02-18, 2008-02-07 and 2014-01-31; 清明 fell on 2008-04-04 and
2014-04-05, 端午 (五月初五) on 2008-06-08 and 2014-06-02, 中秋 (八月十五) on 2008-09-14 and
2014-09-08 (the published notices of those years give the same days).
"""

from __future__ import annotations

from datetime import date

from policyrules.runtime.calendar import Unpublished, WorkCalendar
from policyrules.runtime.statutory import statutory_holidays

PROJECT = WorkCalendar(Unpublished.STATUTORY_PROJECTION)


def _days(year: int) -> list[tuple[str, str]]:
    return [(f"{d:%m-%d}", name) for d, name in statutory_holidays(year)]


def test_2007_is_the_last_year_of_the_1999_text() -> None:
    """1999 text: 春节 初一..初三 = 02-18..20, 劳动节 05-01..03, 国庆节 10-01..03, no lunar
    festivals besides 春节: 1 + 3 + 3 + 3 = 10 days."""
    assert _days(2007) == [
        ("01-01", "元旦"),
        ("02-18", "春节"),
        ("02-19", "春节"),
        ("02-20", "春节"),
        ("05-01", "劳动节"),
        ("05-02", "劳动节"),
        ("05-03", "劳动节"),
        ("10-01", "国庆节"),
        ("10-02", "国庆节"),
        ("10-03", "国庆节"),
    ]


def test_2008_is_the_first_year_of_the_2007_text() -> None:
    """2007 text (from 2008): 春节 除夕, 初一, 初二 = 02-06..08; 清明 04-04; 劳动节 one day;
    端午 06-08; 中秋 09-14; 国庆节 three days: 1 + 3 + 1 + 1 + 1 + 1 + 3 = 11 days."""
    assert _days(2008) == [
        ("01-01", "元旦"),
        ("02-06", "春节"),
        ("02-07", "春节"),
        ("02-08", "春节"),
        ("04-04", "清明节"),
        ("05-01", "劳动节"),
        ("06-08", "端午节"),
        ("09-14", "中秋节"),
        ("10-01", "国庆节"),
        ("10-02", "国庆节"),
        ("10-03", "国庆节"),
    ]


def test_2014_is_the_first_year_of_the_2013_text() -> None:
    """2013 text (from 2014): 春节 初一..初三 = 01-31, 02-01, 02-02 (no 除夕); 劳动节 one day,
    05-01: 1 + 3 + 1 + 1 + 1 + 1 + 3 = 11 days."""
    assert _days(2014) == [
        ("01-01", "元旦"),
        ("01-31", "春节"),
        ("02-01", "春节"),
        ("02-02", "春节"),
        ("04-05", "清明节"),
        ("05-01", "劳动节"),
        ("06-02", "端午节"),
        ("09-08", "中秋节"),
        ("10-01", "国庆节"),
        ("10-02", "国庆节"),
        ("10-03", "国庆节"),
    ]


def test_31_december_of_a_projected_year_is_a_working_day() -> None:
    """Fri 2027-12-31 is no holiday: Thu 12-30 + 1 working day is 12-31.  From 12-31, one
    working day passes Sat 2028-01-01 (元旦) and Sun 01-02 to Mon 01-03."""
    assert PROJECT.is_workday(date(2027, 12, 31))
    assert PROJECT.add_workdays(date(2027, 12, 30), 1) == date(2027, 12, 31)
    assert PROJECT.add_workdays(date(2027, 12, 31), 1) == date(2028, 1, 3)


def test_2025_is_the_first_year_of_the_2024_text() -> None:
    """The 2024 amendment governs from 2025: 春节 from 除夕 (Tue 2025-01-28) and 劳动节 on
    5月1日 and 2日; the 2013 text would give neither 01-28 nor 05-02."""
    days = {d for d, _ in statutory_holidays(2025)}
    assert date(2025, 1, 28) in days  # 除夕 of 乙巳 year
    assert date(2025, 5, 2) in days
    assert date(2025, 5, 3) not in days  # the law gives 2 days, not 3 (the 1999 text)
