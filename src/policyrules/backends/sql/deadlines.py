"""Deadlines in SQL: the last day of a period from the ``calendar_days`` table.

As :meth:`policyrules.runtime.calendar.WorkCalendar.due_date`: ``n`` 工作日 after a start is
the ``n``-th working day after it (the start day never counts; 0 工作日: the start, moved to
a working day); ``n`` 日/周/月/年 end on the calendar end (a month's last day where it has no
corresponding day), moved to the next working day if that is a rest day.  With ``wk`` the
number of working days up to a day, the last day is the working day whose ``wk`` is that of
the day counted from plus 0 or 1 (or ``n``).  A day outside the table is a year with no
schedule: the decision is unknown (E501), unless it is met (or not yet due) under any
schedule, judged from the calendar end as the one-by-one path does for 日/周/月/年.
A decision that read a day of an ``assumed`` year uses the ``holiday_schedule`` assumption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlglot.expressions as exp

from ...model import ProvisionInfo
from ...runtime.calendar import HOLIDAY_ASSUMPTION
from ...types import Type
from .awards import col, lit
from .outputs import decision_row
from .plan import Step, refuse
from .sqlbits import (
    DATE,
    VARCHARS,
    Pairs,
    all_of,
    any_of,
    case,
    is_null,
    negate,
    not_null,
    par,
)
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import status as status_code
from .trees import join, table

__all__ = ["CALENDAR_STEPS", "calendar_steps", "deadline_select"]


CALENDAR_STEPS = ("cal", "cal_y")


def calendar_steps() -> list[Step]:
    """``cal``: day, workday, assumed, ``wk`` (working days up to the day); ``cal_y``: year,
    ``ca`` (assumed years up to it), ``a`` (the year is assumed)."""
    wk = exp.Window(
        this=exp.Sum(this=case([(col("workday"), exp.Literal.number(1))], exp.Literal.number(0))),
        order=exp.Order(expressions=[exp.Ordered(this=col("day"), desc=False, nulls_first=False)]),
        spec=exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"
        ),
    )
    cal = exp.select(
        col("day"), col("workday"), col("assumed"), _alias(wk, "wk", quoted=True)
    ).from_(table("calendar_days"), copy=False)
    year = exp.Year(this=col("day"))
    per_year = (
        exp.select(
            _alias(year, "y", quoted=True),
            _alias(
                exp.Max(
                    this=case([(col("assumed"), exp.Literal.number(1))], exp.Literal.number(0))
                ),
                "a",
                quoted=True,
            ),
        )
        .from_(table("calendar_days"), copy=False)
        .group_by(year.copy(), copy=False)
    )
    ca = exp.Window(
        this=exp.Sum(this=col("a")),
        order=exp.Order(expressions=[exp.Ordered(this=col("y"), desc=False, nulls_first=False)]),
        spec=exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"
        ),
    )
    cal_y = exp.select(col("y"), col("a"), _alias(ca, "ca", quoted=True)).from_(
        exp.Subquery(this=per_year, alias=exp.TableAlias(this=exp.to_identifier("t"))), copy=False
    )
    return [("cal", cal), ("cal_y", cal_y)]


def _days(d: exp.Expr, n: exp.Expr, unit: str) -> exp.Expr:
    return exp.DateAdd(this=d.copy(), expression=n.copy(), unit=exp.var(unit))


def deadline_select(
    p: ProvisionInfo, name: str, as_of: dt.date | None, lists: Mapping[str, Pairs]
) -> tuple[list[Step], exp.Select]:
    """Steps after the rows of deadline ``p`` (``dp`` period, ``ds`` start, ``dd`` done)
    and its decisions (``lists``: the rows' lists of names, :attr:`.rows.Rows.lists`)."""

    assert p.due is not None
    period_type = _period_type(p)
    dim = period_type.dimension
    dp, ds = col("dp", "r"), col("ds", "r")
    one = exp.Literal.number(1)
    if dim == "workdays":
        end: exp.Expr = ds.copy()
        x: exp.Expr = ds.copy()
        first_year: exp.Expr = case(
            [(exp.EQ(this=dp.copy(), expression=exp.Literal.number(0)), exp.Year(this=ds.copy()))],
            exp.Year(this=_days(ds, one, "DAY")),
        )
    else:
        # A calendar end after 9999-12-31 has no date (E401 one by one): found without
        # computing it (a period of 10^9 日 is beyond the engine's dates too).
        last = _cast(lit(dt.date.max.isoformat()), DATE)
        if dim == "days":
            room: exp.Expr = exp.DateDiff(this=last, expression=ds.copy(), unit=exp.var("DAY"))
        else:
            years_left = exp.Sub(this=exp.Literal.number(9999), expression=exp.Year(this=ds.copy()))
            room = exp.Add(
                this=exp.Mul(this=par(years_left), expression=exp.Literal.number(12)),
                expression=exp.Sub(
                    this=exp.Literal.number(12), expression=exp.Month(this=ds.copy())
                ),
            )
        beyond_end = exp.GT(this=dp.copy(), expression=par(room))
        end = case(
            [(beyond_end, _cast(exp.Null(), DATE))],
            _days(ds, dp, "DAY" if dim == "days" else "MONTH"),
        )
        x = end.copy()
        first_year = exp.Year(this=end.copy())
    known = all_of(
        exp.EQ(this=col("st0", "r"), expression=status_code("ok")),
        not_null(dp),
        not_null(ds),
        exp.GTE(this=dp.copy(), expression=exp.Literal.number(0)),
    )
    rows = (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("r", quoted=True)),
            _alias(end, "dend", quoted=True),
            _alias(first_year, "dy0", quoted=True),
            _alias(col("wk", "cx"), "xwk", quoted=True),
            _alias(col("workday", "cx"), "xwork", quoted=True),
            _alias(col("assumed", "cx"), "xassumed", quoted=True),
            _alias(col("wk", "cw"), "wwk", quoted=True),
            _alias(col("workday", "cw"), "wwork", quoted=True),
            _alias(col("assumed", "cw"), "wassumed", quoted=True),
        )
        .from_(_alias(table(name), "r", quoted=True), copy=False)
        .join(
            join(
                _alias(table("cal"), "cx", quoted=True),
                "LEFT",
                all_of(known, exp.EQ(this=col("day", "cx"), expression=x)),
            ),
            copy=False,
        )
        .join(
            join(
                _alias(table("cal"), "cw", quoted=True),
                "LEFT",
                exp.EQ(this=col("day", "cw"), expression=_when(p, as_of, "r")),
            ),
            copy=False,
        )
    )
    if dim == "workdays":
        step = case(
            [
                (
                    exp.EQ(this=col("dp", "x"), expression=exp.Literal.number(0)),
                    case([(col("xwork", "x"), exp.Literal.number(0))], one),
                )
            ],
            col("dp", "x"),
        )
    else:
        step = case([(col("xwork", "x"), exp.Literal.number(0))], one)
    target = exp.Add(this=col("xwk", "x"), expression=step)
    due = (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("x", quoted=True)),
            _alias(col("day", "cd"), "due", quoted=True),
        )
        .from_(_alias(table(f"{name}_x"), "x", quoted=True), copy=False)
        .join(
            join(
                _alias(table("cal"), "cd", quoted=True),
                "LEFT",
                all_of(col("workday", "cd"), exp.EQ(this=col("wk", "cd"), expression=target)),
            ),
            copy=False,
        )
    )
    years = (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("d", quoted=True)),
            _alias(
                exp.GT(
                    this=exp.Sub(
                        this=exp.Sub(this=col("ca", "yh"), expression=col("ca", "yl")),
                        expression=exp.Neg(this=col("a", "yl")),
                    ),
                    expression=exp.Literal.number(0),
                ),
                "assumed_cal",
                quoted=True,
            ),
        )
        .from_(_alias(table(f"{name}_d"), "d", quoted=True), copy=False)
        .join(
            join(
                _alias(table("cal_y"), "yl", quoted=True),
                "LEFT",
                exp.EQ(this=col("y", "yl"), expression=col("dy0", "d")),
            ),
            copy=False,
        )
        .join(
            join(
                _alias(table("cal_y"), "yh", quoted=True),
                "LEFT",
                exp.EQ(this=col("y", "yh"), expression=exp.Year(this=col("due", "d"))),
            ),
            copy=False,
        )
    )
    steps: list[Step] = [(f"{name}_x", rows), (f"{name}_d", due), (f"{name}_y", years)]
    st0 = col("st0")
    ok = exp.EQ(this=st0, expression=status_code("ok"))
    has_done = p.done is not None
    done = col("dd") if has_done else _cast(exp.Null(), DATE)
    day = _cast(lit(as_of.isoformat()), DATE) if as_of is not None else _cast(exp.Null(), DATE)
    unknown_in = any_of(is_null(col("dp")), is_null(col("ds")))
    when = exp.Coalesce(this=done.copy(), expressions=[day.copy()])
    if dim == "workdays":
        # In time under any schedule: every year from the start to that day published, and
        # fewer than n working days passed by it, or n with that day itself working.
        passed = exp.Sub(this=col("wwk"), expression=col("xwk"))
        n = case([(exp.EQ(this=col("dp"), expression=exp.Literal.number(0)), one)], col("dp"))
        counted = all_of(
            not_null(col("wwk")),
            not_null(col("xwk")),
            negate(col("wassumed")),
            negate(col("xassumed")),
            any_of(
                exp.LT(this=passed, expression=n),
                all_of(exp.EQ(this=passed.copy(), expression=n.copy()), col("wwork")),
            ),
            any_of(exp.NEQ(this=col("dp"), expression=exp.Literal.number(0)), negate(col("xwork"))),
        )
        in_time: exp.Expr = counted
    else:
        in_time = exp.LTE(this=when.copy(), expression=col("dend"))
    settled = all_of(
        not_null(when), any_of(exp.LTE(this=when.copy(), expression=col("ds")), in_time)
    )
    # A calendar end after 9999-12-31 (dend NULL with the period and start known): unknown.
    beyond = [] if dim == "workdays" else [is_null(col("dend"))]
    status = case(
        [
            (exp.EQ(this=st0.copy(), expression=status_code("no")), lit("not_eligible")),
            (exp.NEQ(this=st0.copy(), expression=status_code("ok")), lit("unknown")),
            (unknown_in, lit("unknown")),
            (
                any_of(
                    exp.LT(this=col("dp"), expression=exp.Literal.number(0)),
                    col("dp_un"),
                    col("ds_un"),
                    *beyond,
                ),
                lit("unknown"),
            ),
            (
                is_null(col("due")),
                case(
                    [
                        (all_of(settled, not_null(done)), lit("met")),
                        (settled.copy(), lit("pending")),
                    ],
                    lit("unknown"),
                ),
            ),
            (
                not_null(done),
                case(
                    [(exp.LTE(this=done.copy(), expression=col("due")), lit("met"))], lit("not_met")
                ),
            ),
            (all_of(not_null(day), exp.GT(this=day.copy(), expression=col("due"))), lit("not_met")),
        ],
        lit("pending"),
    )
    missing_when = all_of(ok.copy(), unknown_in.copy())
    empty = _cast(exp.Array(expressions=[]), VARCHARS)
    unknown = exp.EQ(this=st0.copy(), expression=status_code("unknown"))

    def missing(x: str) -> exp.Expr:
        both = exp.ArrayConcat(this=col(f"dp_{x}"), expressions=[col(f"ds_{x}")])
        return case(
            [
                (unknown.copy(), col(f"c_{x}")),
                (missing_when.copy(), exp.ArraySort(this=exp.ArrayDistinct(this=both))),
            ],
            empty.copy(),
        )

    parts: list[exp.Expr] = [
        col("c_as"),
        case(
            [(ok.copy(), exp.ArrayConcat(this=col("dp_as"), expressions=[col("ds_as")]))],
            empty.copy(),
        ),
    ]
    if has_done:
        parts.append(case([(all_of(ok.copy(), not_null(col("due"))), col("dd_as"))], empty.copy()))
    holiday = exp.Array(expressions=[lit(HOLIDAY_ASSUMPTION)])
    parts.append(
        case([(all_of(ok.copy(), not_null(col("due")), col("assumed_cal")), holiday)], empty.copy())
    )
    fields = {
        "status": status,
        "missing_facts": missing("mf"),
        "missing_parameters": missing("mp"),
        "assumptions": exp.ArraySort(
            this=exp.ArrayDistinct(this=exp.ArrayConcat(this=parts[0], expressions=parts[1:]))
        ),
    }
    final = exp.select(*decision_row(p, fields, lists)).from_(table(f"{name}_y"), copy=False)
    return steps, final


def _when(p: ProvisionInfo, as_of: dt.date | None, table: str) -> exp.Expr:
    """The completion date, or else the as-of day (NULL if neither)."""
    day = _cast(lit(as_of.isoformat()), DATE) if as_of is not None else _cast(exp.Null(), DATE)
    if p.done is None:
        return day
    return exp.Coalesce(this=col("dd", table), expressions=[day])


def _period_type(p: ProvisionInfo) -> Type:
    from ... import syntax as s

    assert p.due is not None
    period = p.due.period
    if isinstance(period, s.DurationLit):
        return Type("duration", unit=period.unit)
    raise refuse(
        "E607",
        f"{p.id}: for SQL, a deadline's period is written as a number of 日, 工作日, 周, 月 or 年",
    )
