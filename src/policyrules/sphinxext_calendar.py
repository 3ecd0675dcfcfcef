"""A deadline's calendar strip for the clause reference (issue 12 §7).

:func:`strip_days` lays out the weeks from a period's start day to its due day, each day marked
by the project's :class:`~policyrules.runtime.calendar.WorkCalendar` (working day, weekend,
statutory holiday, 调休 working day) and, for a period of 工作日, numbered as the period counts
it (the start day never counts, 民法典 第二百零一条).  :func:`strip_html` renders the days as a
small table of plain HTML, styled by ``docs/_static/policyrules.css``: no script, no library.

The due day is not computed here: it is the deadline evaluation's (``Decision.due``); the strip
only checks that, for a period of 工作日, the last day it counts is that day.

>>> import datetime as dt
>>> days = strip_days(dt.date(2025, 9, 26), dt.date(2025, 10, 10), 5, "工作日")
>>> [(d.day.isoformat(), d.mark, d.count) for d in days if d.count][:3]
[('2025-09-28', 'swap', 1), ('2025-09-29', 'workday', 2), ('2025-09-30', 'workday', 3)]
>>> [(d.day.isoformat(), d.mark, d.count) for d in days if d.count][3:]
[('2025-10-09', 'workday', 4), ('2025-10-10', 'due', 5)]
>>> sorted({d.mark for d in days if dt.date(2025, 10, 1) <= d.day <= dt.date(2025, 10, 8)})
['holiday', 'weekend']
"""

from __future__ import annotations

import datetime as dt
import html

import attrs

from .runtime.calendar import DurationUnit, WorkCalendar

__all__ = ["MARKS", "StripDay", "strip_days", "strip_html"]

MARKS = {
    "start": "起算日（不计入）",
    "workday": "计入的工作日",
    "day": "期间内的日子",
    "weekend": "周末休息日",
    "holiday": "法定节假日",
    "swap": "调休上班日",
    "due": "期满日",
    "outside": "",
}
"""What each mark means, as the strip's legend and its cells' titles say it."""

_WEEKDAYS = "一二三四五六日"


@attrs.frozen
class StripDay:
    """One day of the strip: its date, its mark (a key of :data:`MARKS`), and its number among
    the working days the period counts (``None`` for a day not counted)."""

    day: dt.date
    mark: str
    count: int | None = None


def strip_days(
    start: dt.date,
    due: dt.date,
    n: int,
    unit: str,
    calendar: WorkCalendar | None = None,
    done: dt.date | None = None,
) -> list[StripDay]:
    """The days of whole weeks (Monday to Sunday) from ``start``'s week to the week of
    ``due`` (or of ``done``, if later): a period of ``n`` ``unit`` (``工作日``, ``日``, ``周``,
    ``月``, ``年``) starting on ``start`` and falling due on ``due``.

    Raises ``ValueError`` when a period of 工作日 does not end on ``due`` as the calendar
    counts it (the strip and the evaluation would disagree), and the calendar's own
    :class:`~policyrules.errors.CalendarError` for a year without a published schedule.
    """
    cal = calendar or WorkCalendar()
    workdays = DurationUnit.parse(unit) is DurationUnit.WORKDAY
    last = max(due, done or due)
    first_day = start - dt.timedelta(days=start.weekday())
    last_day = last + dt.timedelta(days=6 - last.weekday())
    out: list[StripDay] = []
    counted = 0
    day = first_day
    while day <= last_day:
        rest = not cal.is_workday(day)
        weekend = day.weekday() >= 5
        count = None
        if day == start:
            mark = "start"
        elif day == due:
            mark = "due"
        elif rest:
            mark = "weekend" if weekend else "holiday"
        elif weekend:
            mark = "swap"
        elif start < day < due:
            mark = "workday" if workdays else "day"
        else:
            mark = "outside"
        if workdays and start < day <= due and not rest:
            counted += 1
            count = counted
        out.append(StripDay(day, mark, count))
        day += dt.timedelta(days=1)
    if workdays and counted != n:
        raise ValueError(f"{n} 工作日 after {start} counted {counted} working days to {due}")
    return out


def _cell(d: StripDay, done: dt.date | None) -> str:
    label = f"{d.day.month}/{d.day.day}" if d.day.day == 1 or d.mark == "start" else str(d.day.day)
    title = f"{d.day.isoformat()} 星期{_WEEKDAYS[d.day.weekday()]}"
    title += f"：{MARKS[d.mark]}" if MARKS[d.mark] else ""
    title += f"，第 {d.count} 个工作日" if d.count else ""
    classes = [f"policyrules-day-{d.mark}"]
    if d.day == done:
        classes.append("policyrules-day-done")
        title += "，实际办结日"
    count = f"<small>{d.count}</small>" if d.count else ""
    return (
        f'<td class="{" ".join(classes)}" title="{html.escape(title)}" '
        f'data-date="{d.day.isoformat()}">{label}{count}</td>'
    )


def strip_html(days: list[StripDay], caption: str, done: dt.date | None = None) -> str:
    """The strip as an HTML table (a week a row) with a caption and a legend of the marks it
    uses; ``done`` (the day the matter was actually settled) is outlined."""
    rows = []
    for i in range(0, len(days), 7):
        cells = "".join(_cell(d, done) for d in days[i : i + 7])
        rows.append(f"<tr>{cells}</tr>")
    head = "".join(f"<th>{w}</th>" for w in _WEEKDAYS)
    used = dict.fromkeys(d.mark for d in days if MARKS[d.mark])
    legend = "".join(
        f'<span class="policyrules-day-{m}">{html.escape(MARKS[m])}</span>' for m in used
    )
    if done is not None:
        legend += '<span class="policyrules-day-done">实际办结日</span>'
    return (
        '<div class="policyrules-strip">'
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="policyrules-strip-legend">{legend}</p></div>'
    )
