"""``progressive`` bands in SQL (超额累进), exact as
:func:`policyrules.exprs_bands.compile_progressive`.

Each band's rate applies to the part of the base above the previous limit and up to its
own, ``max(min(base, limit) − below, 0)`` fen; the products (BIGINT fen × DECIMAL(38,10),
exact with 10 decimals) are summed exactly and rounded down to the fen once.  Without
``band above`` nothing is paid above the last limit.  Limits that do not rise make the
value undecided (E417) where every operand is known, as the one-by-one path.
"""

from __future__ import annotations

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from .sqlbits import BIGINT, WHOLE, all_of, any_of, case, negate, not_null, par
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue

__all__ = ["Bands"]


def _fen0() -> exp.Expr:
    return _cast(exp.Literal.number(0), BIGINT)


class Bands:
    """Progressive bands (a mixin of the expression compiler)."""

    def compile(self, e: s.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def strict(self, e: s.Expr, vals: list[SqlValue], value: exp.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def progressive(self, e: s.Progressive) -> SqlValue:
        base = self.compile(e.base)
        limits = [self.compile(b.limit) if b.limit is not None else None for b in e.bands]
        rates = [self.compile(b.rate) for b in e.bands]
        below: exp.Expr = _fen0()
        total: exp.Expr | None = None
        falls: list[exp.Expr] = []
        for top, rate in zip(limits, rates, strict=True):
            if top is not None:
                falls.append(exp.LTE(this=par(top.value), expression=par(below)))
            upper = (
                base.value.copy()
                if top is None
                else case(
                    [(exp.LT(this=par(base.value), expression=par(top.value)), base.value)],
                    top.value,
                )
            )
            gap = exp.Sub(this=par(upper), expression=par(below))
            part = case([(exp.GT(this=gap.copy(), expression=_fen0()), gap)], _fen0())
            share = exp.Mul(this=_cast(part, WHOLE), expression=par(rate.value))
            total = share if total is None else exp.Add(this=total, expression=share)
            if top is not None:
                below = top.value.copy()
        assert total is not None  # the checker requires a band
        fen = _cast(exp.func("trunc", total), BIGINT)  # toward zero: the sum is ≥ 0
        vals = [base, *(v for v in limits if v is not None), *rates]
        known = all_of(*(not_null(v.value) for v in vals))
        undecided = all_of(known, any_of(*falls)) if falls else None
        # NULL unless every operand is known (a CASE on an unknown base would read the limit)
        stop = negate(known) if undecided is None else any_of(negate(known), undecided.copy())
        value = case([(stop, exp.Null())], fen)
        out = self.strict(e, vals, value)
        if undecided is None:
            return out
        und = undecided if out.undecided is None else any_of(out.undecided, undecided.copy())
        return attrs.evolve(out, undecided=und)
