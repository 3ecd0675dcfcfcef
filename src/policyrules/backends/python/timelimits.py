"""Time limits and targets: when a deadline falls due and whether it was met, whether a
target was reached, and by what margin.

Working days follow :class:`~policyrules.runtime.calendar.WorkCalendar`; a period that ends
on a rest day moves to the next working day (Civil Code arts. 201-203).  A deadline whose
outcome is the same under every holiday schedule is settled without the unpublished year.
Mixed into the evaluator (:mod:`policyrules.evaluate`), which supplies the calendar, the day
the result speaks for and the settling of unknown decisions.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

from ...decisions import DeadlineMargin
from ...errors import CalendarError
from ...printer import print_expr
from ...result import Step
from ...runtime.calendar import DurationUnit, WorkCalendar
from ...runtime.money import Money
from ...runtime.values import NONE, Duration, Undecided, Unknown, Value, format_value
from .compile import CompiledProvision, Env, Fn

__all__ = ["TimeLimits"]


class TimeLimits:
    """Deadlines and targets of one evaluation (a mixin of the evaluator)."""

    calendar: WorkCalendar
    as_of: dt.date | None

    def settle(self, cp: CompiledProvision, env: Env, fns: list[Fn], missing: set[str]) -> set[str]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    # ---- time limits and targets ---------------------------------------------------------

    def deadline(
        self, cp: CompiledProvision, env: Env, trace: list[Step]
    ) -> tuple[str, dict[str, Any]]:
        assert cp.due is not None
        period, start = cp.due[0](env), cp.due[1](env)
        if isinstance(period, Unknown) or isinstance(start, Unknown):
            missing = (period.missing if isinstance(period, Unknown) else frozenset()) | (
                start.missing if isinstance(start, Unknown) else frozenset()
            )
            return "unknown", {"missing": set(missing)}
        assert isinstance(period, Duration)
        assert isinstance(start, dt.date)
        what = f"the period {print_expr(cp.info.due.period)} is {period}" if cp.info.due else ""
        if period.n < 0:
            raise Undecided(f"E410: {what}: a period cannot be negative")
        if period.n != period.n.to_integral_value():
            raise Undecided(f"E401: {what}: a period is a whole number of its unit")
        unit = DurationUnit(period.unit)
        try:
            if period.n > _MAX_PERIOD:
                raise OverflowError
            due = self.calendar.due_date(start, int(period.n), unit)
        except OverflowError:
            raise Undecided(
                f"E401: {period} after {start} ends after 9999-12-31, the last date there is"
            ) from None
        except CalendarError as gap:
            return self._settled_without_schedule(cp, env, trace, start, period, gap)
        trace.append(
            Step(
                "deadline",
                f"due: {period} after {start} = {due} (start day not "
                "counted; a period ending on a rest day moves to the next working "
                "day)",
                None,
            )
        )
        done = cp.done(env) if cp.done else None
        if done is None or done is NONE or isinstance(done, Unknown):  # (none: not done)
            if self.as_of is not None and self.as_of > due:
                said = self._margin("overdue", unit, due, self.as_of, self.as_of)
                trace.append(Step("deadline", said.describe(), False))
                return "not_met", {"due": due, "margin": said}
            if self.as_of is not None:  # the day judged on, said (without one: not judged)
                # (a period ends at the end of its last day: 民法典 第二百零三条)
                said = DeadlineMargin("pending", on=self.as_of, last_day=self.as_of == due)
                trace.append(Step("deadline", said.describe(), None))
                return "pending", {"due": due, "margin": said}
            return "pending", {"due": due}
        assert isinstance(done, dt.date)
        met = done <= due
        if done == due:
            said = DeadlineMargin("last_day")
        else:
            first, last = (done, due) if met else (due, done)
            said = self._margin("early" if met else "late", unit, first, last, None)
        trace.append(Step("deadline", f"done {done}: {said.describe()}", met))
        return ("met" if met else "not_met"), {"due": due, "done": done, "margin": said}

    def _settled_without_schedule(
        self,
        cp: CompiledProvision,
        env: Env,
        trace: list[Step],
        start: dt.date,
        period: Duration,
        gap: CalendarError,
    ) -> tuple[str, dict[str, Any]]:
        """The outcome of a deadline whose last day falls in a year with no schedule, when
        it is the same under every schedule: done (or, not done, the as-of day) on or before
        the calendar end, or before the last working day counted in published years (see
        :meth:`WorkCalendar.met_under_every_schedule`).  Otherwise ``gap`` is raised: the
        decision is unknown.  Lateness is never inferred."""
        n, unit = int(period.n), DurationUnit(period.unit)
        done = cp.done(env) if cp.done else None
        # Not done and no as-of day: the last day itself is what is asked for, and unknown.
        when = done if isinstance(done, dt.date) else self.as_of
        if when is None or not self.calendar.met_under_every_schedule(start, n, unit, when):
            raise gap
        why, year = gap.diagnostics[0].message, gap.unpublished
        if isinstance(done, dt.date):
            said = DeadlineMargin("in_time", on=done, any_schedule=True, gap=why, unpublished=year)
            trace.append(Step("deadline", said.describe(), True))
            return "met", {"done": done, "margin": said}
        said = DeadlineMargin("pending", on=when, any_schedule=True, gap=why, unpublished=year)
        trace.append(Step("deadline", said.describe(), None))
        return "pending", {"margin": said}

    def _margin(
        self, kind: str, unit: DurationUnit, start: dt.date, end: dt.date, on: dt.date | None
    ) -> DeadlineMargin:
        """The margin ``kind`` (early, late, overdue on ``on``) of the distance from ``start``
        to ``end``: in working days for a working-day period.

        Only the margin needs the working days there: whether the deadline was met does not,
        so a year with no schedule leaves the count in calendar days, saying why."""
        days = (end - start).days
        if unit is not DurationUnit.WORKDAY:
            return DeadlineMargin(kind, days, "日", on)
        try:
            return DeadlineMargin(kind, self.calendar.workdays_between(start, end), "工作日", on)
        except CalendarError as exc:
            why = exc.diagnostics[0].message
            return DeadlineMargin(kind, days, "日", on, gap=why, unpublished=exc.unpublished)

    def target(
        self, cp: CompiledProvision, env: Env, trace: list[Step]
    ) -> tuple[str, dict[str, Any]]:
        assert cp.require is not None
        value = cp.require.fn(env)
        if isinstance(value, Unknown):
            trace.append(Step("target", f"{cp.require.text}: unknown", None))
            return "unknown", {"missing": self.settle(cp, env, [cp.require.fn], set(value.missing))}
        margin = None
        if cp.margin is not None:
            op, left, right, rate = cp.margin
            a, b = left(env), right(env)
            if not isinstance(a, Unknown) and not isinstance(b, Unknown):
                diff = _difference(b, a, rate) if op in ("<", "<=") else _difference(a, b, rate)
                margin = f"{_shown(a, rate)} against {_shown(b, rate)}: margin {diff}"
        trace.append(
            Step("target", cp.require.text + (f" ({margin})" if margin else ""), bool(value))
        )
        return ("met" if value else "not_met"), {"margin": margin}


_MAX_PERIOD = 10**7  # more days, weeks or months than any period before 9999-12-31


def _shown(v: Value, rate: bool) -> str:
    """A compared value as the margin shows it: a rate as a percentage (``89.9%``, ``≈90.33%``
    for a quotient that does not terminate), anything else as :func:`format_value` does."""
    if rate and isinstance(v, Decimal):
        with decimal.localcontext() as ctx:
            ctx.prec = 200
            return f"{format_value(v * 100)}%"
    return format_value(v)


def _difference(a: Value, b: Value, rate: bool = False) -> str:
    """``a - b`` as text; of two rates, in percentage points."""
    with decimal.localcontext() as ctx:
        ctx.prec = 200  # exact for any two values of at most 40 digits before the point
        if rate and isinstance(a, Decimal) and isinstance(b, Decimal):
            return f"{format_value((a - b) * 100)} percentage points"
        return _exact_difference(a, b)


def _exact_difference(a: Value, b: Value) -> str:
    if isinstance(a, Duration) and isinstance(b, Duration):
        (dim, x), (_, y) = a.normalized(), b.normalized()
        unit = {"days": "日", "months": "月"}.get(dim, "工作日")
        return f"{format_value(x - y)} {unit}"
    if isinstance(a, Money) and isinstance(b, Money):
        return format_value(a - b)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return format_value(a - b)
    return "n/a"
