"""Exact, bounded arithmetic on known values: what the closures of :mod:`policyrules.exprs`
(and the generated code of :mod:`policyrules.backends.python.codegen`) apply to their operands.

A result that cannot be computed exactly (E413), divides by zero (E415) or has more than 40
digits (E412) raises :class:`~policyrules.runtime.values.Undecided`: the one decision being
computed becomes *unknown* with that reason.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from decimal import Decimal

from . import syntax as s
from .exprs_values import arith, negate, times
from .printer import print_expr
from .runtime import quotients as q
from .runtime.currency import Foreign
from .runtime.money import Money
from .runtime.values import Duration, Undecided, Value
from .typing_rules import MAX_DIGITS

__all__ = ["compute", "exact_op"]

# Exact arithmetic: far more digits than any 40-digit operand needs, and a result that would
# be rounded is refused (Inexact trapped) instead of being silently changed.
_EXACT = decimal.Context(
    prec=200,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
_MAX_FEN = 10**MAX_DIGITS  # as Money.of: at most 40 digits of fen


def exact_op(e: s.Expr) -> Callable[..., Value] | None:
    """For ``+ - ×``, ``of``, negation and ``year()``: the function of known operand values
    that :func:`~policyrules.exprs.compile_expr`'s closure of ``e`` applies (exact and
    bounded: it raises :class:`Undecided` where the closure does); ``None`` for any other
    node."""
    fn: Callable[..., Value]
    match e:
        case s.BinOp(op=op):
            fn = arith(op)
        case s.Of():
            fn = times
        case s.Neg():
            fn = negate
        case s.Call(func="year", args=(_,)):
            fn = _year
        case s.Call(func="floor", args=(_,)):
            fn = q.floor_of
        case s.Call(func="ceil", args=(_,)):
            fn = q.ceil_of
        case _:
            return None
    return lambda *values: compute(e, fn, list(values))


def compute(e: s.Expr, fn: Callable[..., Value], values: list[Value]) -> Value:
    """``fn`` of known ``values`` exactly and bounded, as ``e``'s closure computes: a result
    that cannot be exact, divides by zero or has more than 40 digits is :class:`Undecided`
    (computed in the exact context: a result that would be rounded is refused)."""
    try:
        with decimal.localcontext(_EXACT):
            result = fn(*values)
    except ZeroDivisionError:  # decimal.DivisionByZero too
        raise Undecided(f"E415: {print_expr(e)} divides by zero") from None
    except decimal.Inexact:
        raise Undecided(
            f"E413: {print_expr(e)} cannot be computed exactly in {_EXACT.prec} digits"
        ) from None
    except (ArithmeticError, ValueError) as exc:
        raise Undecided(f"E413: {print_expr(e)} cannot be computed ({exc})") from None
    if _too_large(result):
        raise Undecided(
            f"E412: {print_expr(e)} is too large: more than {MAX_DIGITS} digits",
        )
    return result


def _year(d: dt.date) -> Decimal:
    return Decimal(d.year)


def _too_large(v: Value) -> bool:
    if isinstance(v, Money):
        return bool(abs(v.fen) >= _MAX_FEN)
    if isinstance(v, Foreign):
        return bool(abs(v.cents) >= _MAX_FEN)
    if isinstance(v, Duration):
        return _too_large(v.n)
    if isinstance(v, Decimal):
        return not v.is_finite() or (bool(v) and v.adjusted() >= MAX_DIGITS)
    if q.is_quotient(v):  # a quotient: its size, and its denominator's, as a number's
        return bool(abs(v) >= _MAX_FEN or v.denominator >= _MAX_FEN)
    return False
