"""Division, ``floor()`` and ``ceil()`` in SQL, exact as :mod:`policyrules.runtime.quotients`.

A quotient is never a SQL DECIMAL division (DuckDB divides decimals as DOUBLE, Spark
rounds to a scale).  It is kept as a pair of whole numbers (:class:`Ratio`: numerator and
denominator, HUGEINT; on Spark DECIMAL(38,0)), and only these uses of it are compiled:

* ``floor(a / b)``, ``ceil(a / b)``: integer division of the pair, rounded toward minus
  (plus) infinity whatever the signs (每增加 100 万元: the remainder is dropped);
* ``a / b op x`` (a comparison): ``a op x × b`` with the sign of ``b`` taken out;
* ``a / b of m``, ``(a / b) × m``, a constant such as ``1 / 3 of m``: money ``m × a / b``
  rounded toward zero to the fen, as ``Money.times``;
* ``m / x``, money by a number: money rounded toward zero to the fen.

Money is a pair in fen, a number or rate in units of 10⁻¹⁰ (its DECIMAL(38,10) value
times 10¹⁰, a whole number).  A zero denominator with every operand known is undecided
(E415), as the one-by-one path; any other use of a quotient is refused (E608), named.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ... import types as t
from ...printer import print_expr
from .plan import ONE_BY_ONE, refuse
from .sqlbits import DECIMAL, all_of, any_of, case, not_null
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue, undecided_of

__all__ = ["HUGE", "Quotients", "Ratio", "int_div"]

HUGE = exp.DataType.build("HUGEINT")  # written DECIMAL(38,0) for Spark (spark._rewrite)
_SCALE = 10**10  # a DECIMAL(38,10) number in whole units of 10⁻¹⁰


def _huge(n: int) -> exp.Expr:
    return _cast(exp.Literal.number(n), HUGE)


@attrs.frozen
class Ratio:
    """``num / den`` (HUGEINT expressions, ``den`` > 0 where known) and the operands it
    reads; ``zero``: when the denominator is zero with every operand known (E415)."""

    num: exp.Expr
    den: exp.Expr
    parts: tuple[SqlValue, ...]
    zero: exp.Expr

    def safe_den(self) -> exp.Expr:
        """The denominator, 1 where it is zero (the value is then NULL): no engine error."""
        return case([(self.zero.copy(), _huge(1))], self.den.copy())


def _whole(v: SqlValue) -> exp.Expr:
    """``v`` as a whole number: fen for money, units of 10⁻¹⁰ for a number or rate."""
    if v.type.kind == "money":
        return _cast(v.value.copy(), HUGE)
    scaled = exp.Mul(this=exp.Paren(this=v.value.copy()), expression=_huge(_SCALE))
    return _cast(scaled, HUGE)


def int_div(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """``a // b`` of whole numbers, toward zero (DuckDB's ``//`` on HUGEINT, Spark's
    ``DIV``); ``b`` never zero here."""
    return exp.IntDiv(this=exp.Paren(this=a.copy()), expression=exp.Paren(this=b.copy()))


class Quotients:
    """Quotients of compiled operands (a mixin of the expression compiler)."""

    where: str

    def compile(self, e: s.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def strict(self, e: s.Expr, vals: list[SqlValue], value: exp.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def type_of(self, e: s.Expr) -> t.Type:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def foldable(self, e: s.Expr) -> bool:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def constant(self, e: s.Expr) -> object:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def refuse_quotient(self, e: s.Expr, what: str) -> Exception:
        return refuse(
            "E608",
            f"{self.where}: {what} is not compiled to SQL: {print_expr(e)}",
            hint=f"use it in floor(), ceil(), a comparison or `of` an amount; or {ONE_BY_ONE}",
        )

    def ratio(self, e: s.Expr) -> Ratio | None:
        """``e`` as a :class:`Ratio` if it is a quotient: a division of two numbers (or
        two amounts), or a constant with no finite decimal form; else None."""
        if self.foldable(e):
            v = self.constant(e)
            if isinstance(v, Fraction):
                n, d = v.numerator, v.denominator
                return Ratio(_huge(n), _huge(d), (), exp.Boolean(this=False))
            return None
        if not (isinstance(e, s.BinOp) and e.op == "/"):
            return None
        a, b = self.compile(e.left), self.compile(e.right)
        kinds = {a.type.kind, b.type.kind}
        if not (kinds <= {"number", "rate"} or kinds == {"money"}):
            return None  # money by a number is money (see money_quotient)
        num, den = _whole(a), _whole(b)
        # The sign goes to the numerator, so the denominator is above zero.
        negative = exp.LT(this=den.copy(), expression=_huge(0))
        num = case([(negative, exp.Neg(this=exp.Paren(this=num.copy())))], num)
        den = exp.Abs(this=den)
        return Ratio(num, den, (a, b), _is_zero(a, b))

    def quotient(self, e: s.Expr) -> SqlValue:
        """``floor(q)``, ``ceil(q)``, or ``m / x`` (money by a number); E608 otherwise."""
        if isinstance(e, s.Call) and e.func in ("floor", "ceil") and len(e.args) == 1:
            r = self.ratio(e.args[0])
            if r is None:
                x = self.compile(e.args[0])
                func = "floor" if e.func == "floor" else "ceil"
                return self.strict(e, [x], _cast(exp.func(func, x.value.copy()), DECIMAL))
            return self._whole_of(e, r, up=e.func == "ceil")
        if isinstance(e, s.BinOp) and e.op == "/":
            a, b = self.compile(e.left), self.compile(e.right)
            if a.type.kind == "money" and b.type.kind in ("number", "rate"):
                num = exp.Mul(this=_cast(a.value.copy(), HUGE), expression=_huge(_SCALE))
                r = Ratio(num, _whole(b), (a, b), _is_zero(a, b))
                fen = int_div(r.num, r.safe_den())  # toward zero, as _fen_toward_zero
                return self._of_ratio(e, r, _cast(fen, "BIGINT"))
            if self.ratio(e) is not None:
                raise self.refuse_quotient(e, "a quotient used as a value")
        raise self.refuse_quotient(e, "this division")

    def _whole_of(self, e: s.Expr, r: Ratio, *, up: bool) -> SqlValue:
        q = int_div(r.num, r.safe_den())
        rest = exp.Mod(this=exp.Paren(this=r.num.copy()), expression=r.safe_den())
        # Toward zero, then one down (floor) below zero or one up (ceil) above it.
        fix: exp.Expr
        if up:
            fix = exp.GT(this=rest, expression=_huge(0))
            whole = case([(fix, exp.Add(this=q, expression=_huge(1)))], q.copy())
        else:
            fix = exp.LT(this=rest, expression=_huge(0))
            whole = case([(fix, exp.Sub(this=q, expression=_huge(1)))], q.copy())
        return self._of_ratio(e, r, _cast(whole, DECIMAL))

    def _of_ratio(self, e: s.Expr, r: Ratio, value: exp.Expr) -> SqlValue:
        """A value computed from ``r``: NULL (undecided, E415) where it divides by zero."""
        out = self.strict(e, list(r.parts), case([(r.zero.copy(), exp.Null())], value))
        und = undecided_of(out) if out.undecided is not None else None
        zero = r.zero.copy()
        return attrs.evolve(out, undecided=any_of(und, zero) if und is not None else zero)

    def times_ratio(self, e: s.Expr, r: Ratio, money: SqlValue) -> SqlValue:
        """``m × num / den`` rounded toward zero to the fen (``Money.times``)."""
        product = exp.Mul(this=_cast(money.value.copy(), HUGE), expression=exp.Paren(this=r.num))
        fen = _cast(int_div(product, r.safe_den()), "BIGINT")
        r = attrs.evolve(r, parts=(*r.parts, money))
        return self._of_ratio(e, r, fen)

    def compare_ratio(
        self, e: s.Expr, op: type[exp.Binary], r: Ratio, x: SqlValue, flip: bool
    ) -> SqlValue:
        """``num / den op x`` as ``num op x × den`` (``den`` > 0; the scales of the pair
        cancel); ``flip``: ``x op num / den``."""
        scaled = exp.Mul(this=exp.Paren(this=x.value.copy()), expression=r.den.copy())
        left = r.num.copy()
        cmp = op(this=scaled, expression=left) if flip else op(this=left, expression=scaled)
        return self._of_ratio(e, attrs.evolve(r, parts=(*r.parts, x)), cmp)


def _zero(v: SqlValue) -> exp.Expr:
    return _cast(exp.Literal.number(0), "BIGINT" if v.type.kind == "money" else DECIMAL)


def _is_zero(a: SqlValue, b: SqlValue) -> exp.Expr:
    return all_of(
        not_null(a.value), not_null(b.value), exp.EQ(this=b.value.copy(), expression=_zero(b))
    )
