"""The statutory public holidays of the State Council's 《全国年节及纪念日放假办法》, year by year.

第二条 of the 办法 fixes which days are 全体公民放假的节日 in every year; only the bridging
arrangements (调休: which weekend days become working days, how holidays join weekends) and the
day given in lieu of a holiday that falls on a weekend are published year by year, in the
State Council's notice near the end of the year before.  So for a year whose notice is not
published the statutory days are known and can be *projected*; the swaps cannot.

The text as last amended (国务院 2024-11-10, in force from 2025-01-01) reads:

    （一）元旦，放假1天（1月1日）；（二）春节，放假4天（农历除夕、正月初一至初三）；
    （三）清明节，放假1天（农历清明当日）；（四）劳动节，放假2天（5月1日、2日）；
    （五）端午节，放假1天（农历端午当日）；（六）中秋节，放假1天（农历中秋当日）；
    （七）国庆节，放假3天（10月1日至3日）。

Earlier texts governed earlier years and are applied to them (:data:`VERSIONS`): the
amendment of 1999-09-18 (春节 正月初一至初三, 劳动节 5月1日至3日, no lunar festivals besides
春节), of 2007-12-14 (from 2008: 春节 除夕、初一、初二; 清明、端午、中秋 added; 劳动节 5月1日), of
2013-12-11 (from 2014: 春节 初一至初三).

Lunar dates (除夕, 正月初一, 五月初五, 八月十五) and the day of the 清明 solar term come from the
``lunar_python`` package (6tail's 寿星-algorithm calendar, Beijing time), never from a typed
table.  It agrees with the independent ``lunardate`` tables on every 正月初一, 端午 and 中秋 of
2000–2099, and with ``chinese_calendar``'s solar terms on every 清明 of the same years.

>>> [f"{d:%m-%d} {name}" for d, name in statutory_holidays(2027)][:6]
['01-01 元旦', '02-05 春节', '02-06 春节', '02-07 春节', '02-08 春节', '04-05 清明节']
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import attrs

__all__ = ["FIRST_YEAR", "LAST_YEAR", "VERSIONS", "Version", "statutory_holidays", "version_for"]

FIRST_YEAR = 2000
"""The first year projected: the first whole year under the 1999 text."""
LAST_YEAR = 2099
"""The last year projected: the end of the range checked against a second lunar source."""


@attrs.frozen
class Version:
    """第二条 of 《全国年节及纪念日放假办法》 as one amendment left it.

    ``spring`` lists the 春节 days as offsets from 正月初一 (``-1`` is 除夕); ``labour`` the days
    of May of 劳动节; ``lunar_festivals`` whether 清明节, 端午节 and 中秋节 are holidays.
    """

    amended: date
    first_year: int
    spring: tuple[int, ...]
    labour: tuple[int, ...]
    lunar_festivals: bool


VERSIONS: tuple[Version, ...] = (
    Version(date(1999, 9, 18), 2000, (0, 1, 2), (1, 2, 3), lunar_festivals=False),
    Version(date(2007, 12, 14), 2008, (-1, 0, 1), (1,), lunar_festivals=True),
    Version(date(2013, 12, 11), 2014, (0, 1, 2), (1,), lunar_festivals=True),
    Version(date(2024, 11, 10), 2025, (-1, 0, 1, 2), (1, 2), lunar_festivals=True),
)
"""Every text since 2000, oldest first; each governs from its ``first_year`` to the next's."""


def version_for(year: int) -> Version:
    """The text that governs ``year``; ``ValueError`` outside ``FIRST_YEAR``..``LAST_YEAR``."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"no statutory projection for {year}: it covers {FIRST_YEAR}–{LAST_YEAR}")
    return [v for v in VERSIONS if v.first_year <= year][-1]


def _date(solar: Any) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _lunar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the (non-leap) lunar month in lunar year ``year``."""
    from lunar_python import Lunar  # imported when first needed: most runs never project

    return _date(Lunar.fromYmd(year, month, day).getSolar())


def _qingming(year: int) -> date:
    """The day of the 清明 solar term in ``year`` (Beijing time)."""
    from lunar_python import Solar

    # The lunar year that holds 15 April holds that spring's 清明.
    return _date(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"])


@functools.cache
def statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The statutory holidays of ``year`` as ``(date, festival)`` pairs, in date order.

    A day is listed once even where two festivals meet (中秋节 on 10月3日 in 2028, named
    ``中秋节、国庆节``): the text gives no extra day for it; the yearly notice may.

    A festival that falls on a Saturday or Sunday is listed on that day and nothing more:
    第六条 says "全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假", but which working
    day only the yearly notice says, so no day in lieu is projected.  A projected year may
    therefore count a working day that the published schedule will make a rest day.

    >>> statutory_holidays(2028)[-1]
    (datetime.date(2028, 10, 3), '中秋节、国庆节')

    Raises ``ValueError`` for a year outside ``FIRST_YEAR``..``LAST_YEAR``.
    """
    text = version_for(year)
    days: dict[date, str] = {}

    def add(day: date, festival: str) -> None:
        days[day] = f"{days[day]}、{festival}" if day in days else festival

    add(date(year, 1, 1), "元旦")
    new_year = _lunar(year, 1, 1).toordinal()
    for offset in text.spring:
        add(date.fromordinal(new_year + offset), "春节")
    if text.lunar_festivals:
        add(_qingming(year), "清明节")
    for day in text.labour:
        add(date(year, 5, day), "劳动节")
    if text.lunar_festivals:
        add(_lunar(year, 5, 5), "端午节")
        add(_lunar(year, 8, 15), "中秋节")
    for day in (1, 2, 3):
        add(date(year, 10, day), "国庆节")
    return tuple(sorted(days.items()))
