"""An award paid in instalments in the SQL batch (分两年拨付), as
:mod:`policyrules.backends.python.instalments` pays it, in the shapes :mod:`.years` compiles
(every cap sees the entitlement whole and no other claim).

``<p>_b`` (:mod:`.award_rooms`) joins the ledger's instalments of the subject under the
award year by year: ``pd<k>`` (fen, 0 where none), year k the start's year ``sy`` + k − 1.
Then, for an eligible claim whose start is known:

* ``<p>_s``: the entitlement ``ent`` = the amount (0.00 元 at least) cut to each cap's limit
  (a limit unknown leaves it, as the one-by-one path: the decision is then ``unknown``),
  never less the ledger's instalments (they are part of it, not a top-up), and ``bc<n>``
  whether cap n cut it (the decision's ``binding_caps``, as a claim paid at once); instalment k
  ``sh<k>`` = ⌊ent × share_k⌋ fen (integer division of whole numbers), the fen left to the
  ``remainder`` one; ``du<k>`` the first k summed (due by year k);
* ``<p>_k<k>``, one step a year in order: a year the ledger paid keeps its amount; else the
  payment is ``du<k>`` less what earlier years were paid (its share, raised or lowered by
  what they were paid short of or ahead of their shares; never below 0), cut to
  what the entitlement leaves (``r<k>``, never below 0): ``v<k>``, the paid so far ``w<k>``;
* ``<p>_f``: the total ``w<N>``, exact when the start, amount and every limit are known.

A grant per year not paid before, above 0.00 元, of an exact total, in a year up to the
``as_of`` year; none without one (every year is then the one-by-one path's forecast, shown
in the decision and never granted).  A ledger payment
outside the schedule's years (E421) or a year past 9999 (E422) makes the claim undecided, as
one by one (status unknown, nothing missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ...model import EntityInfo
from .awards import LedgerSum, col, greatest, least_known, ledger_sums, lit, num
from .plan import Step
from .quotients import HUGE, int_div
from .sqlbits import BIGINT, INTEGER, VARCHAR, all_of, any_of, case, is_bool, is_null, not_null
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import status as status_code
from .trees import table

__all__ = ["InstalmentPlan", "instalment_grants", "instalment_steps", "ledger_years", "outside"]

_MAX_YEAR = 9999


def _t(name: str) -> exp.Table:
    return exp.to_table(name, quoted=True)


def _minus(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """``a - (b)``: sqlglot writes no parentheses a tree does not hold."""
    return exp.Sub(this=a, expression=exp.Paren(this=b))


def _null(ty: str | exp.DataType = BIGINT) -> exp.Expr:
    return _cast(exp.Null(), ty)


@attrs.frozen
class InstalmentPlan:
    """The instalments of one award: ``years``, the shares as exact fractions, the
    ``remainder`` instalment (``first`` or ``last``), whether the start is a ``year`` (else
    a date), and the ``as_of`` year (``None``: every year is due)."""

    years: int
    shares: tuple[Fraction, ...]
    remainder: str
    start_is_year: bool
    as_of_year: int | None

    @staticmethod
    def of(node: s.Schedule, start_kind: str, as_of_year: int | None) -> InstalmentPlan:
        """The plan of ``node`` (checked: E287 every share a rate literal, summing to 100%)."""
        shares = tuple(Fraction(r.number) / 100 for r in node.shares if isinstance(r, s.RateLit))
        return InstalmentPlan(
            node.years, shares, node.remainder or "last", start_kind == "year", as_of_year
        )

    def start_year(self, start: exp.Expr) -> exp.Expr:
        """The calendar year of ``start`` (a date's year, or a ``year`` value's number)."""
        if self.start_is_year:
            return _cast(start, INTEGER)
        return _cast(exp.Year(this=start), INTEGER)


def ledger_years(
    plan: InstalmentPlan,
    pid: str,
    entities: tuple[str, ...],
    chain: tuple[EntityInfo, ...],
    start: exp.Expr,
) -> tuple[list[exp.Expr], list[tuple[exp.Expr, exp.Expr]]]:
    """For ``<p>_b``: the columns ``pd1``…``pd<N>`` (the ledger's grants of ``pid`` to the
    subject itself in year k of the schedule, fen, 0 where none) and the LEFT JOINs that
    give them (a table and its condition), the rows aliased ``r``; ``start`` the rows'
    start column."""
    cols: list[exp.Expr] = []
    joins: list[tuple[exp.Expr, exp.Expr]] = []
    for k in range(1, plan.years + 1):
        alias = f"ly{k}"
        sub = ledger_sums(
            entities, chain, [LedgerSum("pd", frozenset({pid}), exact=True)], year=True
        )
        conds: list[exp.Expr] = [
            exp.EQ(this=col(f"k_{e.name}", alias), expression=col(f"e_{e.name}", "r"))
            for e in chain
        ]
        year = exp.Add(this=plan.start_year(start.copy()), expression=exp.Literal.number(k - 1))
        conds.append(exp.EQ(this=col("k_year", alias), expression=year))
        t = exp.Subquery(this=sub, alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True)))
        joins.append((t, all_of(*conds)))
        got = exp.Coalesce(this=col("pd", alias), expressions=[num(0)])
        cols.append(_alias(got, f"pd{k}", quoted=True))
    return cols, joins


def outside(plan: InstalmentPlan, start: exp.Expr) -> exp.Expr:
    """Whether the ledger pays the subject under the award outside the schedule's years
    (E421: ``before``, the ledger's grants to it in any year, is not the years' sum) or
    the schedule runs past the year 9999 (E422); ``start`` known."""
    years: exp.Expr = col("pd1")
    for k in range(2, plan.years + 1):
        years = exp.Add(this=years, expression=col(f"pd{k}"))
    last = exp.Add(this=plan.start_year(start), expression=exp.Literal.number(plan.years - 1))
    return any_of(
        exp.NEQ(this=col("before"), expression=years),
        exp.GT(this=last, expression=exp.Literal.number(_MAX_YEAR)),
    )


def _split(plan: InstalmentPlan, ent: exp.Expr) -> list[exp.Expr]:
    """Each instalment of ``ent`` (fen): ⌊ent × share⌋, the remainder one what the others
    leave (``entitlement.split``); ``ent`` is never below 0."""
    floors: list[exp.Expr] = []
    for r in plan.shares:
        scaled = exp.Mul(this=_cast(ent.copy(), HUGE), expression=exp.Literal.number(r.numerator))
        floors.append(_cast(int_div(scaled, exp.Literal.number(r.denominator)), BIGINT))
    at = len(floors) - 1 if plan.remainder == "last" else 0
    rest: exp.Expr = ent.copy()
    for j, f in enumerate(floors):
        if j != at:
            rest = _minus(rest, f.copy())
    floors[at] = rest
    return floors


def instalment_steps(
    plan: InstalmentPlan,
    name: str,
    amount: exp.Expr,
    limits: Sequence[exp.Expr],
    start: exp.Expr,
) -> list[Step]:
    """The steps ``<p>_s``, ``<p>_k1``…``<p>_k<N>`` and ``<p>_f`` from ``<p>_c`` (see the
    module); ``amount`` the rows' amount, ``limits`` the caps' limits, ``start`` the
    start, as the rows give them."""
    ent: exp.Expr = greatest(amount.copy(), num(0))
    binds: list[exp.Expr] = []
    for n, lim in enumerate(limits, start=1):
        # a limit unknown (NULL) leaves the amount (GREATEST skips a NULL: not 0 here)
        room = case([(is_null(lim.copy()), _null())], greatest(lim.copy(), num(0)))
        # ``bc<n>``: the cap cut the entitlement (its room below what the caps before it
        # left), the amount and the start known (the one-by-one path's binding cap event)
        cut = all_of(
            not_null(start.copy()),
            not_null(amount.copy()),
            not_null(room.copy()),
            exp.LT(this=room.copy(), expression=ent.copy()),
        )
        binds.append(_alias(is_bool(cut, True), f"bc{n}", quoted=True))
        ent = least_known(ent, room)
    ent = case([(is_null(amount.copy()), _null())], ent)
    # ``ent`` is read by the split as a column of the step before it (a SELECT cannot read
    # its own aliases on every engine).
    base = exp.select(
        exp.Star(),
        _alias(ent, "ent", quoted=True),
        _alias(plan.start_year(start.copy()), "sy", quoted=True),
        *binds,
    )
    more: list[exp.Expr] = [exp.Star()]
    due: exp.Expr | None = None
    for k, share in enumerate(_split(plan, col("ent")), start=1):
        more.append(_alias(share, f"sh{k}", quoted=True))
        due = share.copy() if due is None else exp.Add(this=due, expression=share.copy())
        more.append(_alias(due, f"du{k}", quoted=True))
    paid: exp.Expr = col("pd1")
    for k in range(2, plan.years + 1):
        paid = exp.Add(this=paid, expression=col(f"pd{k}"))
    more += [
        _alias(_minus(col("ent"), paid), "r0", quoted=True),
        _alias(num(0), "w0", quoted=True),
    ]
    steps: list[Step] = [
        (f"{name}_s0", base.from_(_t(f"{name}_c"), copy=False)),
        (f"{name}_s", exp.select(*more).from_(_t(f"{name}_s0"), copy=False)),
    ]
    prev = f"{name}_s"
    for k in range(1, plan.years + 1):
        was_paid = exp.NEQ(this=col(f"pd{k}"), expression=num(0))
        # 分期拨付: by year k the first k shares are due, no more and no less: what earlier
        # years were paid short is settled, what they were paid ahead taken off (never
        # below 0); what is left never below 0.  (Each operand known where ``ent`` is:
        # GREATEST and LEAST need not test for NULL.)
        short = exp.Sub(this=col(f"du{k}"), expression=col(f"w{k - 1}"))
        raised = exp.Greatest(this=short, expressions=[num(0)], ignore_nulls=True)
        left = exp.Greatest(this=col(f"r{k - 1}"), expressions=[num(0)], ignore_nulls=True)
        least = exp.Least(this=raised, expressions=[left], ignore_nulls=True)
        owed = case([(is_null(col("ent")), _null())], least)
        v = case([(was_paid, col(f"pd{k}"))], owed)
        r = case(
            [(was_paid.copy(), col(f"r{k - 1}"))],
            _minus(col(f"r{k - 1}"), owed.copy()),
        )
        q = exp.select(
            exp.Star(),
            _alias(v, f"v{k}", quoted=True),
            _alias(exp.Add(this=col(f"w{k - 1}"), expression=v.copy()), f"w{k}", quoted=True),
            _alias(r, f"r{k}", quoted=True),
        ).from_(_t(prev), copy=False)
        prev = f"{name}_k{k}"
        steps.append((prev, q))
    ok = exp.EQ(this=col("st"), expression=status_code("ok"))
    unknown = any_of(is_null(start.copy()), is_null(amount.copy()), *map(is_null, limits))
    kind = case([(unknown, lit("unknown"))], lit("exact"))
    total = case([(all_of(ok.copy(), not_null(col("sy"))), col(f"w{plan.years}"))], _null())
    last = exp.select(
        exp.Star(),
        _alias(total, "amount", quoted=True),
        _alias(case([(ok, kind)], _null(VARCHAR)), "amount_kind", quoted=True),
    ).from_(_t(prev), copy=False)
    steps.append((f"{name}_f", last))
    return steps


def instalment_grants(
    plan: InstalmentPlan,
    pid: str,
    name: str,
    chain: Sequence[EntityInfo],
    entities: Sequence[str],
) -> exp.Select:
    """The grants of the award from ``<p>_f``: one a year not paid before, above 0.00 元,
    of an exact total, up to the ``as_of`` year (none without one: a forecast)."""
    names = {e.name for e in chain}
    parts: list[exp.Select] = []
    for k in range(1, plan.years + 1):
        year = exp.Add(this=col("sy"), expression=exp.Literal.number(k - 1))
        cols: list[exp.Expr] = [_alias(lit(pid), "provision", quoted=True)]
        for e in entities:
            value = col(f"e_{e}") if e in names else _null(VARCHAR)
            cols.append(_alias(value, e, quoted=True))
        cols.append(_alias(col(f"v{k}"), "amount_fen", quoted=True))
        cols.append(_alias(_cast(year, INTEGER), "year", quoted=True))
        conds: list[exp.Expr] = [
            exp.EQ(this=col("st"), expression=status_code("ok")),
            exp.EQ(this=col("amount_kind"), expression=lit("exact")),
            exp.EQ(this=col(f"pd{k}"), expression=num(0)),
            exp.GT(this=col(f"v{k}"), expression=num(0)),
        ]
        if plan.as_of_year is None:  # every year a forecast: none granted, as one by one
            conds.append(exp.false())
        else:
            conds.append(exp.LTE(this=year.copy(), expression=exp.Literal.number(plan.as_of_year)))
        q = (
            exp.select(*cols)
            .from_(table(f"{name}_f"), copy=False)
            .where(all_of(*conds), copy=False)
        )
        parts.append(q)
    out: exp.Expr = parts[0]
    for q in parts[1:]:
        out = exp.Union(this=out, expression=q, distinct=False)
    every = exp.Subquery(this=out, alias=exp.TableAlias(this=exp.to_identifier("g", quoted=True)))
    return exp.select(exp.Star()).from_(every, copy=False)
