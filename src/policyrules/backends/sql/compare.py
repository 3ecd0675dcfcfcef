"""Arithmetic, comparison and the calls ``year()``, ``count()``, ``min()``, ``max()`` in SQL:
the part of :class:`~policyrules.backends.sql.exprs.ExprCompiler` that combines compiled
operands.

Mixed into the expression compiler, which supplies compiling an operand, the strict and
none-aware combination of operands and the refusal of what SQL cannot express.
"""

from __future__ import annotations

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ... import types as t
from ...printer import print_expr
from ...runtime.currency import ExchangeRate
from ...runtime.values import Unknown
from .sqlbits import (
    BIGINT,
    DECIMAL,
    WHOLE,
    all_of,
    any_of,
    case,
    is_null,
    literal,
    negate,
    not_null,
    par,
)
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue, undecided_of

__all__ = ["COMPARE", "Comparisons", "money_times"]


def money_times(fen: exp.Expr, rate: exp.Expr) -> exp.Expr:
    """``fen × rate`` (BIGINT fen × DECIMAL(38,10)) rounded down (toward zero) to the fen,
    as ``Money.times(rate, DOWN)``; both operands copied."""
    product = exp.Mul(this=_cast(fen.copy(), WHOLE), expression=par(rate.copy()))
    return _cast(exp.func("trunc", product), BIGINT)


class Comparisons:
    """Operations on compiled operands (a mixin of the expression compiler)."""

    def compile(self, e: s.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def fail(self, e: s.Expr, what: str) -> Exception:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def strict(self, e: s.Expr, vals: list[SqlValue], value: exp.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def nones(
        self, e: s.Expr, vals: list[SqlValue], value: exp.Expr, if_none: exp.Expr
    ) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def equal(self, a: exp.Expr, b: exp.Expr, ty: t.Type) -> exp.Expr:
        if ty.kind == "set":
            return exp.EQ(this=_set_norm(a), expression=_set_norm(b))
        return exp.EQ(this=par(a), expression=par(b))

    # -- arithmetic and comparison

    def arith(self, e: s.Expr, op: str, a: SqlValue, b: SqlValue) -> SqlValue:
        ka, kb = a.type.kind, b.type.kind
        if op in ("+", "-") and ka == kb and ka in ("money", "number", "rate", "duration"):
            cls = exp.Add if op == "+" else exp.Sub
            return self.strict(e, [a, b], cls(this=par(a.value), expression=par(b.value)))
        if op == "×":
            if ka == "money" and kb in ("rate", "number"):
                a, b = b, a
                ka, kb = kb, ka
            if kb == "money" and ka in ("rate", "number"):
                if b.type.unit:  # another currency: down to the cent (Foreign.times)
                    product = exp.Mul(this=_cast(b.value.copy(), WHOLE), expression=par(a.value))
                    cents = _cast(exp.func("floor", product), BIGINT)
                    return self.strict(e, [a, b], cents)
                return self.strict(e, [a, b], money_times(b.value, a.value))
        raise self.fail(e, f"{op} of {a.type.describe()} and {b.type.describe()}")

    def compare(self, e: s.Expr, op: str, left: s.Expr, right: s.Expr) -> SqlValue:
        for side, other, flip in ((left, right, False), (right, left, True)):
            if isinstance(side, s.Call) and side.func == "average" and len(side.args) == 1:
                return self.compare_average(e, op, side.args[0], other, flip)
        for side, other in ((left, right), (right, left)):
            if isinstance(side, s.SetLit) and not side.items and op in ("=", "!="):
                v = self.compile(other)
                size = exp.ArraySize(this=v.value.copy())
                return self.strict(e, [v], COMPARE[op](this=size, expression=exp.Literal.number(0)))
        a, b = self.compile(left), self.compile(right)
        if a.type.kind == "set" or b.type.kind == "set":
            if op not in ("=", "!="):  # pragma: no cover - the checker allows = and != only
                raise self.fail(e, f"{op} between sets")
            av, bv = _set_norm(a.value), _set_norm(b.value)
        elif a.type.kind == "list" and op not in ("=", "!="):
            raise self.fail(e, f"{op} between lists")
        else:
            av, bv = par(a.value), par(b.value)
        # With a none: `=` holds between two nones only, `!=` is its negation, an order
        # is false (the closures' _compare_none).
        if_none: exp.Expr = exp.Boolean(this=op == "!=")
        if a.none is not None and b.none is not None and op in ("=", "!="):
            both = all_of(a.none, b.none)
            if_none = both if op == "=" else negate(both)
        return self.nones(e, [a, b], COMPARE[op](this=av, expression=bv), if_none)

    def convert(self, e: s.Expr, amount: s.Expr, rate: s.Expr) -> SqlValue:
        """``convert(x, r)``: cents × 元 per unit, rounded down to the fen (to_yuan_fen);
        the dated rate is a parameter, bound when compiling."""
        x = self.compile(amount)
        r = self.rate_of(rate)
        if isinstance(r, Unknown):
            out = self.strict(e, [x], _cast(exp.Null(), BIGINT))
            missing = tuple((k, exp.Boolean(this=True)) for k in sorted(r.missing))
            return attrs.evolve(out, missing=(*out.missing, *missing))
        per_unit = literal(r.per_unit, t.Type("number"), f"{print_expr(e)}")
        product = exp.Mul(this=_cast(x.value.copy(), WHOLE), expression=per_unit)
        return self.strict(e, [x], _cast(exp.func("floor", product), BIGINT))

    def rate_of(self, e: s.Expr) -> ExchangeRate | Unknown:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def compare_average(
        self, e: s.Expr, op: str, items: s.Expr, other: s.Expr, flip: bool
    ) -> SqlValue:
        """``average(L) op x`` as ``sum(L) op x × count(L)``: exact, with no division;
        undecided for an empty L (E414), as the one-by-one path."""
        lv, xv = self.compile(items), self.compile(other)
        if lv.type.kind == "set":
            raise self.fail(e, "the average of a set")
        elem = lv.type.element
        if elem is None or elem.kind not in ("duration", "number", "money"):
            raise self.fail(e, "this average")
        if elem.kind == "money":
            raise self.fail(e, "an average of money (rounded down to the fen)")
        size = exp.ArraySize(this=lv.value.copy())
        total = exp.ArraySum(this=lv.value.copy())
        scaled = exp.Mul(this=xv.value.copy(), expression=size.copy())
        cmp = COMPARE[op]
        value = cmp(this=scaled, expression=total) if flip else cmp(this=total, expression=scaled)
        out = self.strict(
            e,
            [lv, xv],
            case([(exp.EQ(this=size.copy(), expression=exp.Literal.number(0)), exp.Null())], value),
        )
        empty = all_of(not_null(lv.value), exp.EQ(this=size, expression=exp.Literal.number(0)))
        und = undecided_of(lv, xv)
        return attrs.evolve(out, undecided=any_of(und, empty) if und is not None else empty)

    def call(self, e: s.Expr, func: str, args: tuple[s.Expr, ...]) -> SqlValue:
        if func == "year" and len(args) == 1:
            d = self.compile(args[0])
            return self.strict(e, [d], _cast(exp.Year(this=par(d.value)), DECIMAL))
        if func == "convert" and len(args) == 2:
            return self.convert(e, args[0], args[1])
        if func in ("min", "max"):
            return self.extreme(e, func, args)
        if func == "count" and len(args) == 1:
            lv = self.compile(args[0])
            items = _set_norm(lv.value) if lv.type.kind == "set" else lv.value.copy()
            if lv.type.kind in ("set", "list"):
                return self.strict(e, [lv], _cast(exp.ArraySize(this=items), DECIMAL))
        raise self.fail(e, f"{func}()")

    def extreme(self, e: s.Expr, func: str, args: tuple[s.Expr, ...]) -> SqlValue:
        """``min(a, b, ...)``, ``max(a, b, ...)``, ``min(L)``: as the closures' builtin, strict
        (unknown when any operand is, missing what every unknown one misses: a known
        operand does not bound it) and undecided for an empty list (E414).  ``LEAST`` and
        ``GREATEST`` skip NULLs (DuckDB, Spark), so an unknown operand is tested first."""
        items: tuple[s.Expr, ...] = args
        if len(args) == 1 and isinstance(args[0], s.SetLit):
            items = args[0].items  # an empty literal is folded (undecided) before this
        elif len(args) == 1:
            return self._extreme_of_list(e, func, self.compile(args[0]))
        vals = [self.compile(a) for a in items]
        if any(v.none is not None for v in vals):  # pragma: no cover - E282 refuses none
            raise self.fail(e, f"{func}() of a value that may be none")
        first, *rest = (par(v.value.copy()) for v in vals)
        cls = exp.Least if func == "min" else exp.Greatest
        pick = cls(this=first, expressions=rest, ignore_nulls=True) if rest else first
        guarded = case([(any_of(*(is_null(v.value) for v in vals)), exp.Null())], pick)
        return self.strict(e, vals, guarded)

    def _extreme_of_list(self, e: s.Expr, func: str, lv: SqlValue) -> SqlValue:
        if lv.type.kind not in ("list", "set"):  # pragma: no cover - the checker's E204
            raise self.fail(e, f"{func}() of {lv.type.describe()}")
        cls = exp.ArrayMin if func == "min" else exp.ArrayMax
        size = exp.ArraySize(this=lv.value.copy())
        zero = exp.EQ(this=size, expression=exp.Literal.number(0))
        out = self.strict(e, [lv], case([(zero, exp.Null())], cls(this=lv.value.copy())))
        empty = all_of(not_null(lv.value), zero.copy())
        und = undecided_of(lv)
        return attrs.evolve(out, undecided=any_of(und, empty) if und is not None else empty)


COMPARE: dict[str, type[exp.Binary]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


def _set_norm(e: exp.Expr) -> exp.Expr:
    """A set's items sorted, each once: two sets are equal when these lists are."""
    return exp.ArraySort(this=exp.ArrayDistinct(this=e.copy()))
