"""Expressions as closures: each checked expression node becomes a Python function of an Env.

No text from a ``.rule`` file is ever passed to ``eval`` or ``exec``: each node becomes a
closure over already-checked values and names.  The checker uses the same closures to fold
constant expressions (:func:`fold`), so a constant that cannot be computed is a check error
rather than a surprise at evaluation.

What the checker cannot rule out is reported, not raised: an operation whose result has more
than 40 digits, cannot be computed exactly, or takes the ``min``/``max``/``average`` of an
empty list raises :class:`~policyrules.runtime.values.Undecided`, and the one decision being
computed becomes *unknown* with that reason (codes E412–E414).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from . import syntax as s
from . import types as t
from .exprs_assumed import decided_by, may_assume
from .exprs_bands import compile_define, compile_progressive
from .exprs_exact import compute, exact_op
from .exprs_values import (
    COMPARE,
    add,
    and3,
    arith,
    average,
    compare_key,
    compare_none,
    in_literal,
    negate,
    or3,
    same_value,
    times,
)
from .exprs_years import PAYMENT_FUNCS, payment_call
from .model import CheckedPolicy, DocumentInfo, tier_of
from .printer import print_expr
from .runtime import quotients as q
from .runtime.currency import UNITS, Foreign, to_yuan_fen
from .runtime.money import Money
from .runtime.values import (
    Duration,
    NoneValue,
    Undecided,
    Unknown,
    Value,
    format_value,
    missing_of,
)
from .typing_rules import ExprTyper, Usage

if TYPE_CHECKING:
    from .facts import Instance

__all__ = [
    "Env",
    "Fn",
    "compile_expr",
    "compute",
    "constant",
    "exact_op",
    "fold",
    "may_assume",
    "table_rows",
]

_ABSENT = object()


@attrs.define
class Env:
    """What an evaluator may read: the subject and its owners, parameters, assumptions.

    ``present`` names missing facts to treat as given, values still unknown: ``known(x)``
    is then true for them.  It finds which facts settle an unknown decision, ``known()``
    included (see ``Conditions.settle`` in :mod:`policyrules.backends.python.conditions`)."""

    instances: Mapping[str, Instance]
    parameters: Mapping[str, Value]
    assumptions: Mapping[str, Value]
    document: DocumentInfo | None
    reads: dict[str, Value] = attrs.field(factory=dict)
    used_assumptions: set[str] = attrs.field(factory=set)
    present: frozenset[str] = attrs.field(factory=frozenset)
    # Lines for the trace: a define's value where it was read, a progressive band's part.
    notes: list[str] = attrs.field(factory=list)
    # In a payment schedule: (the year paid, its index 1..N); see backends/python/schedule.py.
    payment: tuple[int, int] | None = None

    def scratch(self) -> Env:
        """The same inputs, with reads and used assumptions of its own."""
        return Env(
            self.instances,
            self.parameters,
            self.assumptions,
            self.document,
            present=self.present,
            payment=self.payment,
        )

    def fact(self, entity: str, name: str) -> Value:
        inst = self.instances.get(entity)
        key = f"{entity}.{name}"
        if inst is None:
            return Unknown(frozenset({key}))
        value = inst.id if name == "id" else inst.values.get(name, _ABSENT)
        if value is _ABSENT:
            value = Unknown(frozenset({key}))
        self.reads[key] = value
        return value

    def parameter(self, name: str) -> Value:
        value = self.parameters.get(name, _ABSENT)
        if value is _ABSENT:
            return Unknown(frozenset({f"parameter {name}"}))
        return value

    def assumption(self, name: str) -> Value:
        self.used_assumptions.add(name)
        return self.assumptions[name]


Fn = Callable[[Env], Value]


# ---- constants -----------------------------------------------------------------------------


def constant(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> bool:
    """Whether ``e`` reads nothing: no fact, parameter, assumption or document validity."""
    if isinstance(e, s.InForce) or (isinstance(e, s.Call) and e.func in PAYMENT_FUNCS):
        return False
    if isinstance(e, s.TableAt | s.Reaches) and policy.table(e.table) is None:
        return False  # a table given by the caller, as a parameter
    if isinstance(e, s.Name):
        r = policy.resolve(e.parts, scope)
        if r is not None and r.kind == "define":
            info = policy.define(r.name)
            return info is not None and constant(info.expr, policy, scope)
        return r is not None and r.kind not in ("fact", "parameter", "assumption")
    return all(constant(c, policy, scope) for c in s.operands(e))


def fold(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> Value:
    """The value of the constant expression ``e``; :class:`Undecided` if it has none."""
    return compile_expr(e, policy, scope)(Env({}, {}, {}, None))


# ---- expressions ---------------------------------------------------------------------------


def compile_expr(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> Fn:
    """A closure computing ``e`` in an :class:`Env`; ``e`` must have passed the checker.

    The closure returns a value or an :class:`Unknown`; it raises :class:`Undecided` where
    a value exists in principle but cannot be computed (too large, inexact, an empty list)."""

    def c(x: s.Expr) -> Fn:
        return compile_expr(x, policy, scope)

    match e:
        case s.MoneyLit(number=n, unit=u) if u in UNITS:
            return _const(Foreign.of(n, u))
        case s.MoneyLit(number=n, unit=u):
            return _const(Money.of(n, u))
        case s.RateLit(number=n):
            return _const(n / 100)
        case s.DurationLit(number=n, unit=u):
            return _const(Duration(n, u))
        case s.NumberLit(number=n):
            return _const(n)
        case s.DateLit(value=v) | s.BoolLit(value=v) | s.StringLit(value=v):
            return _const(v)
        case s.Name(parts=parts):
            r = policy.resolve(parts, scope)
            if r is None:  # pragma: no cover - the checker reports unknown names
                raise AssertionError(f"unresolved name {parts}")
            if r.kind == "fact":
                entity, name = r.entity or "", r.name
                return lambda env: env.fact(entity, name)
            ref = r.name
            if r.kind == "define":
                info = policy.define(ref)
                assert info is not None  # resolved
                return compile_define(info, compile_expr(info.expr, policy, scope))
            if r.kind == "parameter":
                return lambda env: env.parameter(ref)
            if r.kind == "assumption":
                return lambda env: env.assumption(ref)
            return _const(r.member)
        case s.SetLit(items=items):
            return _plain(e, lambda *vs: frozenset(vs), [c(i) for i in items])
        case s.Call(func=func, args=args):
            return _call(e, func, [c(a) for a in args], _zero(e, policy, scope))
        case s.BinOp(op=op, left=a, right=b):
            return _op(e, arith(op), [c(a), c(b)])
        case s.Of(rate=r, base=b):
            return _op(e, times, [c(r), c(b)])
        case s.Compare(op=op, left=a, right=b):
            cmp = COMPARE[op]

            def compare(x: Value, y: Value) -> bool:
                if isinstance(x, NoneValue) or isinstance(y, NoneValue):
                    return compare_none(op, x, y)
                return cmp(compare_key(x), compare_key(y))

            return _plain(e, compare, [c(a), c(b)])
        case s.IsNone(operand=a, negated=neg):
            fa = c(a)
            return lambda env: _strict(lambda v: isinstance(v, NoneValue) != neg, [fa(env)])
        case s.Otherwise(value=a, default=b):
            fa, fb = c(a), c(b)

            def otherwise(env: Env) -> Value:
                v = fa(env)
                return fb(env) if isinstance(v, NoneValue) else v

            return otherwise
        case s.And(left=a, right=b) | s.Or(left=a, right=b):
            fa, fb, join = c(a), c(b), and3 if isinstance(e, s.And) else or3
            if may_assume(a, policy, scope) or may_assume(b, policy, scope):
                return decided_by(fa, fb, join, isinstance(e, s.Or))
            return lambda env: join(fa(env), fb(env))
        case s.Not(operand=a):
            return _plain(e, lambda x: not x, [c(a)])
        case s.Neg(operand=a):
            return _op(e, negate, [c(a)])
        case s.InSet(element=a, container=s.SetLit(items=items), negated=neg):
            fa, fns = c(a), [c(i) for i in items]
            return lambda env: in_literal(fa(env), [f(env) for f in fns], neg)
        case s.InSet(element=a, container=b, negated=neg):
            return _op(
                e, lambda x, y: (compare_key(x) in {compare_key(v) for v in y}) != neg, [c(a), c(b)]
            )
        case s.InForce(operand=a):
            fa = c(a)
            return lambda env: _strict(lambda d: _in_force(d, env), [fa(env)])
        case s.IfExpr(cond=cond, then=then, else_=other):
            fc, ft, fe = c(cond), c(then), c(other)
            return lambda env: _if(fc(env), ft, fe, env)
        case s.Progressive(base=base, bands=bands):
            limits = [c(b.limit) if b.limit is not None else None for b in bands]
            return compile_progressive(e, c(base), limits, [c(b.rate) for b in bands], compute)
        case s.TableAt(table=name, key=k):
            return _tier(e, policy, name, c(k), value=True)
        case s.Reaches(operand=k, table=name):
            return _tier(e, policy, name, c(k), value=False)
    raise TypeError(f"not an expression: {e!r}")  # pragma: no cover


def table_rows(policy: CheckedPolicy, name: str, env: Env) -> Value:
    """The rows of table ``name``: declared, or the parameter's value (unknown if unset)."""
    table = policy.table(name)
    return table.rows if table is not None else env.parameter(name)


def _tier(e: s.Expr, policy: CheckedPolicy, name: str, key: Fn, value: bool) -> Fn:
    """``T[x]`` (``value``: the row's value) or ``x reaches T`` (whether there is a row)."""
    table = policy.table(name)
    param = policy.parameter(name)
    typ = table.key if table is not None else (param.type.key if param else None)
    by_member = typ is not None and typ.kind == "enum"

    def run(env: Env) -> Value:
        rows, k = table_rows(policy, name, env), key(env)
        unknown = missing_of(rows, k)
        if unknown is not None:
            return unknown
        i = tier_of(rows, k, by_member)
        if not value:
            return i is not None
        if i is None:  # the checker makes `reaches` guard each `at`: defence only
            raise Undecided(f"E418: {print_expr(e)}: {k} is below every tier of {name}")
        return rows[i].value

    return run


def _const(v: Value) -> Fn:
    return lambda env: v


def _strict(fn: Callable[..., Value], values: list[Value]) -> Value:
    unknown = missing_of(*values)
    return unknown if unknown is not None else fn(*values)


def _op(e: s.Expr, fn: Callable[..., Value], fns: list[Fn]) -> Fn:
    """``fn`` of the operands' values, exact and bounded; unknown if an operand is."""

    def run(env: Env) -> Value:
        values = [f(env) for f in fns]
        unknown = missing_of(*values)
        if unknown is not None:
            return unknown
        return compute(e, fn, values)

    return run


def _plain(e: s.Expr, fn: Callable[..., Value], fns: list[Fn]) -> Fn:
    """As :func:`_op`, for operations that do no arithmetic (a comparison, ``not``, a set
    literal), so need no exact context and make nothing too large: a comparison of numbers
    or money is exact in any context.  Durations are compared by their length in days or
    months, a product: that is still computed exactly (:func:`~policyrules.exprs_exact.compute`)."""
    if len(fns) == 2:
        fa, fb = fns

        def two(env: Env) -> Value:
            a, b = fa(env), fb(env)
            if isinstance(a, Unknown) or isinstance(b, Unknown):
                unknown = missing_of(a, b)
                if unknown is not None:
                    return unknown
            if isinstance(a, Duration) or isinstance(b, Duration):
                return compute(e, fn, [a, b])
            return fn(a, b)

        return two

    def run(env: Env) -> Value:
        values = [f(env) for f in fns]
        unknown = missing_of(*values)
        if unknown is not None:
            return unknown
        if any(isinstance(v, Duration) for v in values):
            return compute(e, fn, values)
        return fn(*values)

    return run


def _if(cond: Value, then: Fn, other: Fn, env: Env) -> Value:
    """Three-valued ``if``: with an unknown condition the value is known only if both
    branches agree; else it waits on the condition and on both branches (a set of facts
    that, once given, settles it whichever branch is taken).  Branches are then tried in a
    scratch Env, so a branch that was not taken adds no read fact nor used assumption; a
    branch that cannot be computed leaves the value waiting on the condition."""
    if not isinstance(cond, Unknown):
        return then(env) if cond else other(env)
    try:
        a, b = then(env.scratch()), other(env.scratch())
    except Undecided:
        return cond
    if not isinstance(a, Unknown) and not isinstance(b, Unknown) and same_value(a, b):
        return a
    return missing_of(cond, a, b) or cond


def _known(v: Value, env: Env) -> bool:
    return not isinstance(v, Unknown) or v.missing <= env.present


def _in_force(d: dt.date | NoneValue, env: Env) -> bool:
    """Within the document's validity; the start is the `events from` assumption if named.
    A date stated none is not in force: nothing happened."""
    if isinstance(d, NoneValue):
        return False
    doc = env.document
    if doc is None or doc.valid_from is None:
        return True
    start = env.assumption(doc.events_from) if doc.events_from else doc.valid_from
    return bool(start <= d) and (doc.valid_to is None or d <= doc.valid_to)


def _zero(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> Value:
    """The sum of no elements for ``sum(L)``: 0 of L's element type (``None`` if unknown)."""
    if not (isinstance(e, s.Call) and e.func == "sum" and e.args):
        return None
    got = ExprTyper(policy, scope, None, lambda *_: None).type_of(e.args[0], Usage())
    elem = got.element or t.ANY
    if elem.kind == "money":
        return Money.zero() if elem.unit is None else Foreign(elem.unit, 0)
    if elem.kind in ("number", "rate"):
        return Decimal(0)
    if elem.kind == "duration" and elem.unit:
        return Duration(Decimal(0), elem.unit)
    return None


def _call(e: s.Call, func: str, fns: list[Fn], zero: Value) -> Fn:
    if func == "known":
        f = fns[0]
        return lambda env: _known(f(env), env)
    if func == "year":
        return _op(e, lambda d: Decimal(d.year), fns)
    if func in PAYMENT_FUNCS:
        return payment_call(e, func, fns)
    if func == "convert":
        # 元 at the dated rate, rounded down to the fen (an award never exceeds it).
        return _op(e, lambda x, r: Money(to_yuan_fen(x, r)), fns)
    if func in ("floor", "ceil"):
        whole = _op(e, q.floor_of if func == "floor" else q.ceil_of, fns)
        arg, (left, right) = fns[0], ("⌊", "⌋") if func == "floor" else ("⌈", "⌉")

        def steps(env: Env) -> Value:
            # 每增加…: the trace shows the whole steps and that the rest is dropped.
            value = whole(env)
            if not isinstance(value, Unknown):
                shown = format_value(arg(env.scratch()))
                env.notes.append(f"{print_expr(e)} = {left}{shown}{right} = {format_value(value)}")
            return value

        return steps

    def builtin(*args: Value) -> Value:
        one_list = len(args) == 1 and isinstance(args[0], tuple | frozenset)
        items = list(args[0]) if one_list else list(args)
        if func == "count":
            return Decimal(len(items))
        if not items:
            if func == "sum" and zero is not None:
                return zero
            if func == "sum":
                raise Undecided(f"E414: {print_expr(e)}: a set with no items has no unit to total")
            raise Undecided(f"E414: {print_expr(e)}: {func}() of an empty list has no value")
        if func in ("min", "max"):
            return (min if func == "min" else max)(items, key=compare_key)
        total = items[0]
        for x in items[1:]:
            total = add(total, x)
        if func == "sum":
            return total
        return average(total, len(items))

    if func in ("min", "max") and len(fns) > 1:
        return _picked(e, func, builtin, fns)
    return _op(e, builtin, fns)


def _picked(e: s.Call, func: str, builtin: Callable[..., Value], fns: list[Fn]) -> Fn:
    """As :func:`_op` for ``min(a, b, ...)``/``max``, noting for the trace each operand's
    value and which was taken (不超过同期LPR: the interest paid or the LPR ceiling):
    ``min(x, y): x = 413,700.00 元; y = 345,000.00 元; the least: y``."""
    head, said = print_expr(e), [print_expr(a) for a in e.args]
    word = "the least" if func == "min" else "the greatest"

    def run(env: Env) -> Value:
        values = [f(env) for f in fns]
        unknown = missing_of(*values)
        if unknown is not None:
            return unknown
        value = compute(e, builtin, values)
        taken = next(i for i, v in enumerate(values) if v is value)  # min() gives the first
        shown = "; ".join(f"{t} = {format_value(v)}" for t, v in zip(said, values, strict=True))
        env.notes.append(f"{head}: {shown}; {word}: {said[taken]}")
        return value

    return run
