"""The limit per owner of one award's steps (a mixin of :class:`.award_steps.AwardSteps`):
its steps after ``<p>_e`` (:mod:`.limit_steps`), and the decision's lists where the limit
decided: a refused claim misses what its conditions miss (as one by one), one held out
what they miss and what the claims holding places need, one of unknown year the year's
facts too.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot.expressions as exp

from ...check_limits import limit_of
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from .awards import col, lit, num
from .exprs import ExprCompiler
from .limit_steps import LimitRows, limit_overrides, limit_steps
from .limit_steps import waits as limit_waits
from .limits import LIMIT_STATES, LimitPlan, limit_plan, refuse_fixed
from .plan import Step
from .sqlbits import Pairs, all_of, case
from .sqlbits import empty_names as _empty
from .sqlbits import status as status_code

__all__ = ["LimitedAward"]


def _concat(parts: list[exp.Expr]) -> exp.Expr:
    if len(parts) == 1:
        return parts[0].copy()
    return exp.ArrayConcat(this=parts[0].copy(), expressions=[p.copy() for p in parts[1:]])


def _sorted(parts: list[exp.Expr]) -> exp.Expr:
    return exp.ArraySort(this=exp.ArrayDistinct(this=_concat(parts)))


def _if_list(cond: exp.Expr, then: exp.Expr) -> exp.Expr:
    return case([(cond, then)], _empty())


class LimitedAward:
    """The limit's part of an award's steps (:class:`.award_steps.AwardSteps` supplies
    the state read here)."""

    policy: CheckedPolicy
    p: ProvisionInfo
    name: str
    chain: tuple[EntityInfo, ...]
    entities: tuple[str, ...]
    order_kinds: list[str]
    lists: dict[str, Pairs]
    limit: LimitPlan | None
    ref: Callable[[str], exp.Expr]
    _unknown: Callable[[str], exp.Expr]
    _award_parts: Callable[[], dict[str, list[exp.Expr]]]
    fixed: tuple[int, exp.Expr] | None

    def limit_of(self, ec: ExprCompiler) -> LimitPlan | None:
        """Its limit as the batch compiles it (the kind of its year's value read by ``ec``);
        E650 on an award a later document supersedes."""
        lim = limit_of(self.p)
        kind = ec.type_of(lim.year_of).kind if lim and lim.year_of is not None else None
        plan = limit_plan(self.policy, self.p, ec.parameters, kind)
        if plan is not None and self.fixed is not None:
            refuse_fixed(self.p)
        return plan

    def _limit_assumptions(self) -> list[exp.Expr]:
        """The assumptions its year reads, once the limit is read."""
        if self.limit is None or not self.limit.by_year:
            return []
        return [_if_list(col("lreach"), self.ref("ly_as"))]

    def _limit_line(self, caps: exp.Expr) -> exp.Expr:
        """``caps`` then a refusal's line, as its Chinese text says it."""
        if self.limit is None:
            return caps
        note = exp.Array(expressions=[col("lnote")])
        return _concat([caps, _if_list(self._lst("refused"), note)])

    def _limit_steps(self, steps: list[Step]) -> dict[str, exp.Expr]:
        """The limit's steps after ``<p>_e`` (:mod:`.limits`), added to ``steps``; the
        stored step's columns the limit decides (status, amount, kind, the refusal's line)."""
        if self.limit is None:
            return {}
        needs = {x: self._needs(x) for x in ("mf", "mp")}
        rows = LimitRows(
            self.name, self.chain, tuple(self.order_kinds), self.ref, needs, self.lists
        )
        steps.extend(limit_steps(self.limit, rows, self.p.id, self.entities))
        for x in ("mf", "mp"):
            self.lists[f"lw_{x}"] = limit_waits(rows, x)
        return limit_overrides(self.limit, self.policy)

    def _lst(self, state: str) -> exp.Expr:
        return exp.EQ(this=col("lst"), expression=num(LIMIT_STATES[state]))

    def _own_missing(self, x: str) -> exp.Expr:
        """The names its conditions miss (while they are unknown)."""
        return _if_list(
            exp.EQ(this=col("st0"), expression=status_code("unknown")), self.ref(f"c_{x}")
        )

    def _year_missing(self, x: str) -> exp.Expr:
        by_year = self.limit is not None and self.limit.by_year
        return self.ref(f"ly_{x}") if by_year else _empty()

    def _needs(self, x: str) -> exp.Expr:
        """What a claim holding a place under the limit needs (list ``x``): held out, what
        its conditions miss; of unknown year, the year's facts too; else its own decision's."""
        ok = exp.EQ(this=col("st"), expression=status_code("ok"))
        inexact = all_of(ok, exp.NEQ(this=col("amount_kind"), expression=lit("exact")))
        return case(
            [
                (self._lst("no_year"), _sorted([self._own_missing(x), self._year_missing(x)])),
                (self._lst("held_out"), self._own_missing(x)),
                (exp.EQ(this=col("st"), expression=status_code("unknown")), self._unknown(x)),
                (inexact, _sorted(self._award_parts()[x])),
            ],
            _empty(),
        )

    def _limit_missing(self, x: str) -> list[tuple[exp.Expr, exp.Expr]]:
        """The decision's list ``x`` where the limit made it unknown."""
        if self.limit is None:
            return []
        own, year = self._own_missing(x), self._year_missing(x)
        return [
            (self._lst("held_out"), _sorted([own, col(f"lw_{x}")])),
            (self._lst("no_year"), _sorted([own.copy(), year])),
            (self._lst("undecided"), own.copy()),
            (self._lst("refused"), own.copy()),  # as one by one: what its conditions miss
        ]
