"""Working days and legal periods: the State Council's holiday schedule and the Civil Code.

Working days come from the published schedule carried by the ``chinese_calendar`` package,
including the weekend days made working days (调休).  Which years it covers is found by asking
it, never typed in here.  A date in a year with no published schedule is an error (E501)
unless the caller names an assumption (:class:`Unpublished`, the assumption
``holiday_schedule``):

- ``statutory_projection`` (recommended): Monday–Friday less the statutory holidays of
  《全国年节及纪念日放假办法》 (:mod:`policyrules.runtime.statutory`), with no 调休 swaps and no
  day in lieu: a *projection*, and every result computed with it says so;
- ``weekends_only``: Monday–Friday, except 1 January.

Under any assumption 1 January (元旦) is a rest day: every text of the 办法 since 1949 makes it
one, on that date.

>>> cal = WorkCalendar()
>>> cal.is_workday(date(2025, 9, 28))  # a Sunday made a working day for National Day
True
>>> cal.add_workdays(date(2025, 9, 30), 5)  # 10-01..08 off; 10-11 (Sat) is a working day
datetime.date(2025, 10, 14)
>>> cal.add_months(date(2025, 1, 31), 1)  # no 31 February: the month's last day
datetime.date(2025, 2, 28)
>>> cal.due_date(date(2025, 9, 26), 5, DurationUnit.DAY)  # ends on 10-01, a holiday: rolls
datetime.date(2025, 10, 9)
>>> WorkCalendar(Unpublished.WEEKENDS_ONLY).add_workdays(date(2026, 12, 31), 1)  # Fri 01-01 off
datetime.date(2027, 1, 4)
>>> WorkCalendar(Unpublished.STATUTORY_PROJECTION).add_workdays(date(2027, 2, 4), 1)
datetime.date(2027, 2, 9)

(2027-02-05..08 are 除夕 to 正月初三; 02-06 and 02-07 are also a weekend.)

A zero-length period ends where it starts, whatever kind of day that is.
"""

from __future__ import annotations

import bisect
import enum
import functools
from calendar import monthrange
from datetime import date, datetime, timedelta

import attrs
import chinese_calendar

from policyrules.errors import CalendarError, Diagnostic
from policyrules.runtime import statutory

__all__ = [
    "HOLIDAY_ASSUMPTION",
    "DurationUnit",
    "Unpublished",
    "WorkCalendar",
    "calendar_end",
    "is_published",
    "published_years",
]

HOLIDAY_ASSUMPTION = "holiday_schedule"
"""The name of the assumption that says how to count days in a year with no published schedule."""

# The years searched for published data: the package's range is probed within this window.
_PROBE_FIRST_YEAR = 1949
_PROBE_LAST_YEAR = 2199

_HINT = (
    f"name the assumption {HOLIDAY_ASSUMPTION}=statutory_projection (recommended: "
    "Monday–Friday less the statutory holidays of 《全国年节及纪念日放假办法》, no 调休 swaps; "
    f"results are marked PROJECTED) or {HOLIDAY_ASSUMPTION}=weekends_only "
    "(Monday–Friday except 1 January)"
)


class DurationUnit(enum.Enum):
    """The unit a period is counted in."""

    DAY = "日"
    WORKDAY = "工作日"
    WEEK = "周"
    MONTH = "月"
    YEAR = "年"

    @classmethod
    def parse(cls, text: str) -> DurationUnit:
        """Read a unit as written in Chinese (日, 天, 个工作日, 周, 个月, 年) or English.

        >>> DurationUnit.parse("个工作日")
        <DurationUnit.WORKDAY: '工作日'>
        >>> DurationUnit.parse("Working Days")
        <DurationUnit.WORKDAY: '工作日'>
        """
        if not isinstance(text, str):
            raise TypeError(f"DurationUnit.parse expects a str, not {type(text).__name__}")
        key = " ".join(text.split()).lower()
        unit = _UNIT_WORDS.get(key)
        if unit is None:
            raise ValueError(
                f"unknown duration unit {text!r}: expected 日, 天, 工作日, 个工作日, 周, 月, 个月, "
                "年, or day(s), workday(s), working day(s), week(s), month(s), year(s)"
            )
        return unit


_UNIT_WORDS: dict[str, DurationUnit] = {
    "日": DurationUnit.DAY,
    "天": DurationUnit.DAY,
    "工作日": DurationUnit.WORKDAY,
    "个工作日": DurationUnit.WORKDAY,
    "周": DurationUnit.WEEK,
    "月": DurationUnit.MONTH,
    "个月": DurationUnit.MONTH,
    "年": DurationUnit.YEAR,
} | {
    word + plural: unit
    for word, unit in (
        ("day", DurationUnit.DAY),
        ("workday", DurationUnit.WORKDAY),
        ("working day", DurationUnit.WORKDAY),
        ("week", DurationUnit.WEEK),
        ("month", DurationUnit.MONTH),
        ("year", DurationUnit.YEAR),
    )
    for plural in ("", "s")
}


class Unpublished(enum.Enum):
    """What to do for a date in a year whose holiday schedule is not published."""

    ERROR = "error"
    """Raise :class:`CalendarError` (E501): the default."""
    STATUTORY_PROJECTION = "statutory_projection"
    """Monday–Friday less the statutory holidays of the year (《全国年节及纪念日放假办法》 第二条),
    no 调休 swaps, no day in lieu: a projection, for 2000–2099 (E502 outside)."""
    WEEKENDS_ONLY = "weekends_only"
    """Monday–Friday, except 1 January: no other holiday, no swap."""


@functools.cache
def is_published(year: int) -> bool:
    """Whether the official holiday schedule for ``year`` is known to ``chinese_calendar``.

    >>> is_published(2025), is_published(1900)
    (True, False)
    """
    if not date.min.year <= year <= date.max.year:
        return False
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def published_years() -> tuple[int, int] | None:
    """The first and last year with a published schedule, or ``None`` if there is none."""
    years = [y for y in range(_PROBE_FIRST_YEAR, _PROBE_LAST_YEAR + 1) if is_published(y)]
    return (years[0], years[-1]) if years else None


@functools.cache
def _published_workdays(year: int) -> tuple[int, ...]:
    """The ordinals of the working days of a published year, in order."""
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    return tuple(
        o for o in range(first, last + 1) if chinese_calendar.is_workday(date.fromordinal(o))
    )


def _weekdays_through(ordinal: int) -> int:
    """How many Monday–Friday days there are among ordinals 1..``ordinal`` (1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _nth_weekday(k: int) -> int:
    """The ordinal of the ``k``-th Monday–Friday day counting from ordinal 1 (``k`` >= 1)."""
    weeks, rest = divmod(k - 1, 5)
    return 7 * weeks + rest + 1


def _unpublished_error(year: int) -> CalendarError:
    span = published_years()
    unpublished: int | None = year
    if span is None:
        message = f"the holiday schedule for {year:04d} is not published (none is available)"
    elif year > span[1]:
        message = (
            f"the holiday schedule for {year:04d} is not published (published: {span[0]}–{span[1]})"
        )
    else:
        message = (
            f"no holiday schedule is available for {year:04d} (published: {span[0]}–{span[1]})"
        )
        unpublished = None
    return CalendarError(Diagnostic("E501", message, hint=_HINT), unpublished=unpublished)


def _no_projection(year: int) -> CalendarError:
    return CalendarError(
        Diagnostic(
            "E502",
            f"the holiday schedule for {year:04d} is not published and the statutory projection "
            f"covers {statutory.FIRST_YEAR}–{statutory.LAST_YEAR} only",
            hint=f"name {HOLIDAY_ASSUMPTION}=weekends_only to count Monday–Friday except 1 January",
        ),
        unpublished=year,
    )


@functools.cache
def _projected_workdays(year: int) -> tuple[int, ...]:
    """The ordinals of the working days of ``year`` under the statutory projection."""
    rest = {d.toordinal() for d, _ in statutory.statutory_holidays(year)}
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    return tuple(
        o for o in range(first, last + 1) if o not in rest and date.fromordinal(o).weekday() < 5
    )


def _new_year_skipped(year: int, after: int) -> int:
    """1 if a weekends-only count from ordinal ``after`` passes a 1 January that is a weekday."""
    jan1 = date(year, 1, 1)
    return int(jan1.weekday() < 5 and after < jan1.toordinal())


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, not {type(value).__name__}")
    return value


def _as_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a period length must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"a period length cannot be negative (got {n})")
    return n


def _too_late() -> OverflowError:
    return OverflowError("the period ends after the last representable date (9999-12-31)")


_LAST_ORDINAL = date.max.toordinal()


def calendar_end(start: date, n: int, unit: DurationUnit) -> date:
    """The calendar end of a period of ``n`` days, weeks, months or years from ``start``,
    before a rest day moves it (民法典 第二百零一、二百零二条): ``start`` + ``n`` days
    (``7 n`` for weeks); for months and years the corresponding day of the final month, or
    its last day where it has none.  ``start`` itself for ``n`` = 0.

    :raises OverflowError: if that is after 9999-12-31.
    :raises ValueError: for a working-day unit (its end depends on the schedule).
    """
    start, n = _as_date(start), _as_count(n)
    if unit is DurationUnit.WORKDAY:
        raise ValueError("a period of working days has no calendar end")
    if unit in (DurationUnit.DAY, DurationUnit.WEEK):
        try:
            return start + timedelta(days=n * (7 if unit is DurationUnit.WEEK else 1))
        except OverflowError:
            raise _too_late() from None
    months = n * (12 if unit is DurationUnit.YEAR else 1)
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if year > date.max.year:
        raise _too_late()
    return date(year, month0 + 1, min(start.day, monthrange(year, month0 + 1)[1]))


@attrs.frozen
class WorkCalendar:
    """Working days and the Civil Code's period rules, under a stated policy for unknown years.

    A calendar made by :meth:`tracked` records in :attr:`assumed` each unpublished year it
    answered for under its assumption, so a caller can say which results rest on it.
    """

    unpublished: Unpublished = attrs.field(
        default=Unpublished.ERROR, validator=attrs.validators.instance_of(Unpublished)
    )
    assumed: set[int] | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    """The unpublished years answered for under the assumption; ``None`` when not tracked."""

    def tracked(self) -> WorkCalendar:
        """A copy with the same policy that records the years it assumes, starting empty."""
        return self.__class__(self.unpublished, assumed=set())  # as attrs.evolve, directly

    def describe(self, years: set[int] | frozenset[int]) -> str:
        """The assumption as a result shows it: its value, and the years it stood in for.

        >>> WorkCalendar(Unpublished.STATUTORY_PROJECTION).describe({2028, 2027})
        'statutory_projection (PROJECTED for 2027, 2028)'
        """
        listed = ", ".join(f"{y:04d}" for y in sorted(years))
        if self.unpublished is Unpublished.STATUTORY_PROJECTION:
            return f"{self.unpublished.value} (PROJECTED for {listed})"
        return f"{self.unpublished.value} (assumed for {listed})"

    def note(self, years: set[int] | frozenset[int]) -> str:
        """One line for a trace: which years were not published and how they were counted."""
        listed = ", ".join(f"{y:04d}" for y in sorted(years))
        if self.unpublished is Unpublished.STATUTORY_PROJECTION:
            return (
                f"PROJECTED: no holiday schedule is published for {listed}; counted as "
                "Monday–Friday less the statutory holidays of 《全国年节及纪念日放假办法》, "
                "without 调休 swaps or days in lieu"
            )
        return (
            f"ASSUMED: no holiday schedule is published for {listed}; counted as "
            "Monday–Friday except 1 January"
        )

    def is_published(self, year: int) -> bool:
        """Whether the official holiday schedule for ``year`` is published."""
        return is_published(year)

    def _projected(self, year: int) -> tuple[int, ...] | None:
        """The working days of unpublished ``year`` as ordinals under the assumption, or
        ``None`` for weekends_only (counted by arithmetic, bounded for any year).

        Raises E501 under :attr:`Unpublished.ERROR`, E502 for a year the statutory
        projection does not cover."""
        if self.unpublished is Unpublished.ERROR:
            raise _unpublished_error(year)
        days = None
        if self.unpublished is Unpublished.STATUTORY_PROJECTION:
            if not statutory.FIRST_YEAR <= year <= statutory.LAST_YEAR:
                raise _no_projection(year)
            days = _projected_workdays(year)
        if self.assumed is not None:
            self.assumed.add(year)
        return days

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day, following the official schedule (调休 included)."""
        d = _as_date(d)
        if is_published(d.year):
            return bool(chinese_calendar.is_workday(d))
        days = self._projected(d.year)
        if days is not None:
            index = bisect.bisect_left(days, d.toordinal())
            return index < len(days) and days[index] == d.toordinal()
        return d.weekday() < 5 and (d.month, d.day) != (1, 1)

    def is_rest_day(self, d: date) -> bool:
        """Whether ``d`` is a weekend or holiday rest day (not a working day)."""
        return not self.is_workday(d)

    def _count_in_year(self, year: int, after: int, through: int) -> int:
        """Working days with ordinal in ``(after, through]``, both inside ``year``."""
        days = _published_workdays(year) if is_published(year) else self._projected(year)
        if days is not None:
            return bisect.bisect_right(days, through) - bisect.bisect_right(days, after)
        skipped = _new_year_skipped(year, after)  # after < through: 1 January is inside
        return _weekdays_through(through) - _weekdays_through(after) - skipped

    def workdays_between(self, start: date, end: date) -> int:
        """The number of working days ``d`` with ``start < d <= end``; 0 if ``end <= start``."""
        after, through = _as_date(start).toordinal(), _as_date(end).toordinal()
        total = 0
        while after < through:  # one pass per calendar year: bounded
            year = date.fromordinal(after + 1).year
            segment_end = min(through, date(year, 12, 31).toordinal())
            total += self._count_in_year(year, after, segment_end)
            after = segment_end
        return total

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself never counts.

        民法典 第二百零一条: the day a period starts is not counted; it runs from the next day.
        """
        start, n = _as_date(start), _as_count(n)
        if n == 0:
            return start
        after = start.toordinal()
        while after < _LAST_ORDINAL:  # one pass per calendar year: bounded
            year = date.fromordinal(after + 1).year
            year_end = date(year, 12, 31).toordinal()
            days = _published_workdays(year) if is_published(year) else self._projected(year)
            if days is not None:
                index = bisect.bisect_right(days, after)
                available = len(days) - index
                if n <= available:
                    return date.fromordinal(days[index + n - 1])
            else:
                skipped = _new_year_skipped(year, after)
                before = _weekdays_through(after)
                available = _weekdays_through(year_end) - before - skipped
                if n <= available:
                    return date.fromordinal(_nth_weekday(before + skipped + n))
            n -= available
            after = year_end
        raise _too_late()

    def _roll(self, end: date) -> date:
        """民法典 第二百零三条: a period ending on a rest day ends on the next working day."""
        return end if self.is_workday(end) else self.add_workdays(end, 1)

    def add_days(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` days from ``start``.

        民法典 第二百零一条: the start day is not counted, so the period ends on ``start + n``;
        第二百零三条: if that is a rest day, it ends on the first working day after it (a
        period of 0 days too: it ends on its start day, or the first working day after).
        """
        return self._roll(calendar_end(start, n, DurationUnit.DAY))

    def add_weeks(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` weeks: ``n`` weeks are ``7 n`` days."""
        return self._roll(calendar_end(start, n, DurationUnit.WEEK))

    def add_months(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` months from ``start``.

        民法典 第二百零二条: the period ends on the corresponding day of the final month, or on
        that month's last day where it has none; then 第二百零三条 rolls a rest day forward.
        """
        return self._roll(calendar_end(start, n, DurationUnit.MONTH))

    def add_years(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` years: ``12 n`` months (民法典 第二百零二条)."""
        return self._roll(calendar_end(start, n, DurationUnit.YEAR))

    def due_date(self, start: date, n: int, unit: DurationUnit) -> date:
        """The last day of a period of ``n`` ``unit`` starting on ``start``."""
        if unit is DurationUnit.DAY:
            return self.add_days(start, n)
        if unit is DurationUnit.WORKDAY:
            # 0 working days: the start day, moved to a working day like any period's end.
            return self.add_workdays(start, n) if n else self._roll(_as_date(start))
        if unit is DurationUnit.WEEK:
            return self.add_weeks(start, n)
        if unit is DurationUnit.MONTH:
            return self.add_months(start, n)
        if unit is DurationUnit.YEAR:
            return self.add_years(start, n)
        raise TypeError(f"expected a DurationUnit, not {unit!r}")

    def deadline_met(
        self, start: date, n: int, unit: DurationUnit, done: date
    ) -> tuple[bool, date]:
        """Whether ``done`` falls on or before the period's last day, and that day."""
        due = self.due_date(start, n, unit)
        return _as_date(done) <= due, due

    def met_under_every_schedule(self, start: date, n: int, unit: DurationUnit, done: date) -> bool:
        """Whether ``done`` is on or before the period's last day whatever the schedules of
        the unpublished years, read from published years only (never an assumption).

        The last day is never before the calendar end (``start`` + the period, not yet moved
        off a rest day), so ``done`` on or before that end is in time.  For working days, if
        every year from the day after ``start`` to ``done`` is published, ``done`` is in
        time when fewer than ``n`` working days have passed by it, or exactly ``n`` and
        ``done`` is itself a working day (then it is the ``n``-th).  ``False`` means "not
        shown", not "late": lateness is never inferred (an unpublished year might hold any
        number of rest days).
        """
        start, done, n = _as_date(start), _as_date(done), _as_count(n)
        if done <= start:
            return True
        if unit is not DurationUnit.WORKDAY:
            try:
                return done <= calendar_end(start, n, unit)
            except OverflowError:
                return True  # the period ends after 9999-12-31, so after any date
        if not all(is_published(y) for y in range(start.year, done.year + 1)):
            return False
        if n == 0:  # the start day if it works, else the first working day after it
            if self.is_workday(start):
                return False  # done is after the start, so after the last day
            n = 1
        passed = self.workdays_between(start, done)
        return passed < n or (passed == n and self.is_workday(done))
