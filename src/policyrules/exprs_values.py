"""The operations of expressions on values: three-valued ``and``/``or``, ``in`` and the
comparisons (a none, a duration by its length), arithmetic on money, durations and exact
quotients, and the average of a list.

Each takes and returns :data:`~policyrules.runtime.values.Value`; the closures of
:mod:`policyrules.exprs` call them.  Money times a rate or count is rounded down to the fen.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

from .runtime import quotients as q
from .runtime.currency import Foreign
from .runtime.money import Money, Rounding
from .runtime.values import Duration, NoneValue, Unknown, Value, missing_of

__all__ = [
    "COMPARE",
    "add",
    "and3",
    "arith",
    "average",
    "compare_key",
    "compare_none",
    "in_literal",
    "negate",
    "or3",
    "same_value",
    "sub",
    "times",
]

# An average divides: its quotient is rounded (shown with ≈ when it does not terminate).
_ROUNDED = decimal.Context(prec=50, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def and3(a: Value, b: Value) -> Value:
    if a is False or b is False:
        return False
    return missing_of(a, b) or True


def or3(a: Value, b: Value) -> Value:
    if a is True or b is True:
        return True
    return missing_of(a, b) or False


def same_value(a: Value, b: Value) -> bool:
    try:
        return type(a) is type(b) and bool(compare_key(a) == compare_key(b))
    except TypeError:  # pragma: no cover - the checker gives both branches one type
        return False


def in_literal(x: Value, items: list[Value], negated: bool) -> Value:
    """``x in {a, b, …}`` in three values: true as soon as a known item equals a known
    ``x``; false only when ``x`` and every item are known and none equals it."""
    if not isinstance(x, Unknown) and any(
        not isinstance(i, Unknown) and compare_key(i) == compare_key(x) for i in items
    ):
        return not negated
    unknown = missing_of(x, *items)
    return unknown if unknown is not None else negated


def compare_none(op: str, x: Value, y: Value) -> bool:
    """A comparison with none: ``=`` holds only between two nones, ``!=`` otherwise; none
    is neither before nor after anything (``<``, ``<=``, ``>``, ``>=`` false)."""
    same = isinstance(x, NoneValue) and isinstance(y, NoneValue)
    if op == "=":
        return same
    if op == "!=":
        return not same
    return False


def compare_key(v: Value) -> Value:
    """What ``=``, ``<`` and ``in`` compare: a duration by its length (1 周 = 7 日)."""
    return v.normalized() if isinstance(v, Duration) else v


COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "=": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def times(x: Value, y: Value) -> Value:
    """Multiply; money times a rate or count is rounded down to the fen (never above)."""
    if q.is_quotient(x) or q.is_quotient(y):
        return q.times(x, y)
    if isinstance(x, Money) and isinstance(y, Decimal):
        return x.times(y, Rounding.DOWN)
    if isinstance(y, Money) and isinstance(x, Decimal):
        return y.times(x, Rounding.DOWN)
    if isinstance(x, Foreign) and isinstance(y, Decimal):
        return x.times(y)
    if isinstance(y, Foreign) and isinstance(x, Decimal):
        return y.times(x)
    if isinstance(x, Duration) and isinstance(y, Decimal):
        return Duration(x.n * y, x.unit)
    if isinstance(y, Duration) and isinstance(x, Decimal):
        return Duration(y.n * x, y.unit)
    return x * y


def add(x: Value, y: Value) -> Value:
    if isinstance(x, Duration) and isinstance(y, Duration):
        return _dur_op(x, y, 1)
    if q.is_quotient(x) or q.is_quotient(y):
        return q.plus(x, y)
    return x + y


def sub(x: Value, y: Value) -> Value:
    if isinstance(x, Duration) and isinstance(y, Duration):
        return _dur_op(x, y, -1)
    if q.is_quotient(x) or q.is_quotient(y):
        return q.plus(x, y, -1)
    return x - y


def _dur_op(x: Duration, y: Duration, sign: int) -> Duration:
    if x.unit == y.unit:
        return Duration(x.n + sign * y.n, x.unit)
    (dim, a), (_, b) = x.normalized(), y.normalized()
    return Duration(a + sign * b, "日" if dim == "days" else "月")


def arith(op: str) -> Callable[[Value, Value], Value]:
    return {"+": add, "-": sub, "×": times, "/": q.divide}[op]


def negate(x: Value) -> Value:
    if isinstance(x, Duration):
        return Duration(-x.n, x.unit)
    return -x


def average(total: Value, n: int) -> Value:
    if isinstance(total, Money):
        return Money(total.fen // n)  # average money: rounded down to the fen
    with decimal.localcontext(_ROUNDED):
        if isinstance(total, Duration):
            return Duration(total.n / n, total.unit)
        return total / n
