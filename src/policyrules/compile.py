"""Compile a checked policy into evaluators: Python closures built once, run many times.

No text from a ``.rule`` file is ever passed to ``eval`` or ``exec``: each expression node
becomes a closure over already-checked values and names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from . import syntax as s
from .model import CheckedPolicy, DocumentInfo, ProvisionInfo
from .printer import print_expr
from .runtime.money import Money, Rounding
from .runtime.values import Duration, Unknown, Value, missing_of

if TYPE_CHECKING:
    from .facts import Instance

__all__ = [
    "CompiledCap",
    "CompiledPolicy",
    "CompiledProvision",
    "Condition",
    "Env",
    "Fn",
    "compile_expr",
    "compile_policy",
]

_ABSENT = object()


@attrs.define
class Env:
    """What an evaluator may read: the subject and its owners, parameters, assumptions.

    ``present`` names missing facts to treat as given, values still unknown: ``known(x)``
    is then true for them.  It finds which facts settle an unknown decision, ``known()``
    included (see ``_Run.settle`` in :mod:`policyrules.evaluate`)."""

    instances: Mapping[str, Instance]
    parameters: Mapping[str, Value]
    assumptions: Mapping[str, Value]
    document: DocumentInfo | None
    reads: dict[str, Value] = attrs.field(factory=dict)
    used_assumptions: set[str] = attrs.field(factory=set)
    present: frozenset[str] = attrs.field(factory=frozenset)

    def scratch(self) -> Env:
        """The same inputs, with reads and used assumptions of its own."""
        return Env(
            self.instances, self.parameters, self.assumptions, self.document, present=self.present
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


@attrs.frozen
class Condition:
    """One conjunct of an ``eligible when`` line, with its text for the trace."""

    text: str
    fn: Fn
    expr: s.Expr
    operand: Fn | None = None  # for `d in force`: the date, to say which date was outside


@attrs.frozen
class CompiledCap:
    text: str
    limit: Fn
    per: tuple[str, ...]
    year: Fn | None
    pool: str


@attrs.frozen
class CompiledProvision:
    info: ProvisionInfo
    conditions: tuple[Condition, ...]
    amount: Fn | None
    caps: tuple[CompiledCap, ...]
    order: tuple[Fn, ...]
    due: tuple[Fn, Fn] | None
    done: Fn | None
    require: Condition | None
    margin: tuple[str, Fn, Fn] | None


@attrs.frozen
class CompiledPolicy:
    """A checked policy plus its evaluators and the defaults of its open values."""

    checked: CheckedPolicy
    provisions: tuple[CompiledProvision, ...]
    parameter_defaults: Mapping[str, Value]
    assumption_defaults: Mapping[str, Value]


def compile_policy(policy: CheckedPolicy) -> CompiledPolicy:
    """Build the evaluators of every provision of a checked policy."""
    constants = Env({}, {}, {}, None)
    params = {
        p.name: compile_expr(p.default, policy, None)(constants)
        for p in policy.parameters
        if p.default is not None
    }
    assumptions = {
        a.name: compile_expr(a.default, policy, None)(constants) for a in policy.assumptions
    }
    return CompiledPolicy(
        policy,
        tuple(_provision(p, policy) for p in policy.provisions()),
        params,
        assumptions,
    )


def _conjuncts(e: s.Expr) -> list[s.Expr]:
    if isinstance(e, s.And):
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _provision(p: ProvisionInfo, policy: CheckedPolicy) -> CompiledProvision:
    def c(e: s.Expr) -> Fn:
        return compile_expr(e, policy, p.subject)

    conditions = tuple(
        Condition(
            print_expr(part),
            c(part),
            part,
            c(part.operand) if isinstance(part, s.InForce) else None,
        )
        for line in p.eligible
        for part in _conjuncts(line.condition)
    )
    amount: Fn | None = None
    if p.amount is not None:
        amount = c(p.amount.expr)
    elif p.decided is not None:
        amount = c(s.Name((p.decided.fact,)))
    caps = tuple(
        CompiledCap(
            _cap_text(cap),
            c(cap.limit),
            cap.per,
            c(cap.year_of) if cap.year_of is not None else None,
            cap.shared or p.id,
        )
        for cap in p.caps
    )
    require = margin = None
    if p.require is not None:
        cond = p.require.condition
        require = Condition(print_expr(cond), c(cond), cond)
        if isinstance(cond, s.Compare) and cond.op in ("<=", "<", ">=", ">"):
            margin = (cond.op, c(cond.left), c(cond.right))
    return CompiledProvision(
        info=p,
        conditions=conditions,
        amount=amount,
        caps=caps,
        order=tuple(c(k) for k in p.order),
        due=(c(p.due.period), c(p.due.start)) if p.due else None,
        done=c(p.done.date) if p.done else None,
        require=require,
        margin=margin,
    )


def _cap_text(cap: s.Cap) -> str:
    text = print_expr(cap.limit) + "".join(f" per {e}" for e in cap.per)
    if cap.year_of is not None:
        text += f" per year of {print_expr(cap.year_of)}"
    return text


# ---- expressions ---------------------------------------------------------------------------


def compile_expr(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> Fn:
    """A closure computing ``e`` in an :class:`Env`; ``e`` must have passed the checker."""

    def c(x: s.Expr) -> Fn:
        return compile_expr(x, policy, scope)

    match e:
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
            if r.kind == "parameter":
                return lambda env: env.parameter(ref)
            if r.kind == "assumption":
                return lambda env: env.assumption(ref)
            return _const(r.member)
        case s.SetLit(items=items):
            fns = [c(i) for i in items]
            return lambda env: _strict(lambda *vs: frozenset(vs), [f(env) for f in fns])
        case s.Call(func=func, args=args):
            return _call(func, [c(a) for a in args])
        case s.BinOp(op=op, left=a, right=b):
            fa, fb = c(a), c(b)
            op_fn = _arith(op)
            return lambda env: _strict(op_fn, [fa(env), fb(env)])
        case s.Of(rate=r, base=b):
            fr, fb = c(r), c(b)
            return lambda env: _strict(_times, [fr(env), fb(env)])
        case s.Compare(op=op, left=a, right=b):
            fa, fb = c(a), c(b)
            cmp = _COMPARE[op]
            return lambda env: _strict(lambda x, y: cmp(_key(x), _key(y)), [fa(env), fb(env)])
        case s.And(left=a, right=b):
            fa, fb = c(a), c(b)
            return lambda env: _and(fa(env), fb(env))
        case s.Or(left=a, right=b):
            fa, fb = c(a), c(b)
            return lambda env: _or(fa(env), fb(env))
        case s.Not(operand=a):
            fa = c(a)
            return lambda env: _strict(lambda x: not x, [fa(env)])
        case s.Neg(operand=a):
            fa = c(a)
            return lambda env: _strict(_negate, [fa(env)])
        case s.InSet(element=a, container=s.SetLit(items=items), negated=neg):
            fa, fns = c(a), [c(i) for i in items]
            return lambda env: _in_literal(fa(env), [f(env) for f in fns], neg)
        case s.InSet(element=a, container=b, negated=neg):
            fa, fb = c(a), c(b)
            return lambda env: _strict(lambda x, y: (x in y) != neg, [fa(env), fb(env)])
        case s.InForce(operand=a):
            fa = c(a)
            return lambda env: _strict(lambda d: _in_force(d, env), [fa(env)])
        case s.IfExpr(cond=cond, then=then, else_=other):
            fc, ft, fe = c(cond), c(then), c(other)
            return lambda env: _if(fc(env), ft, fe, env)
    raise TypeError(f"not an expression: {e!r}")  # pragma: no cover


def _const(v: Value) -> Fn:
    return lambda env: v


def _strict(fn: Callable[..., Value], values: list[Value]) -> Value:
    unknown = missing_of(*values)
    return unknown if unknown is not None else fn(*values)


def _and(a: Value, b: Value) -> Value:
    if a is False or b is False:
        return False
    return missing_of(a, b) or True


def _or(a: Value, b: Value) -> Value:
    if a is True or b is True:
        return True
    return missing_of(a, b) or False


def _if(cond: Value, then: Fn, other: Fn, env: Env) -> Value:
    """Three-valued ``if``: with an unknown condition the value is known only if both
    branches agree; else it waits on the condition and on both branches (a set of facts
    that, once given, settles it whichever branch is taken).  Branches are then tried in a
    scratch Env, so a branch that was not taken adds no read fact nor used assumption."""
    if not isinstance(cond, Unknown):
        return then(env) if cond else other(env)
    a, b = then(env.scratch()), other(env.scratch())
    if not isinstance(a, Unknown) and not isinstance(b, Unknown) and _same(a, b):
        return a
    return missing_of(cond, a, b) or cond


def _same(a: Value, b: Value) -> bool:
    try:
        return type(a) is type(b) and bool(_key(a) == _key(b))
    except TypeError:  # pragma: no cover - the checker gives both branches one type
        return False


def _known(v: Value, env: Env) -> bool:
    return not isinstance(v, Unknown) or v.missing <= env.present


def _in_literal(x: Value, items: list[Value], negated: bool) -> Value:
    """``x in {a, b, …}`` in three values: true as soon as a known item equals a known
    ``x``; false only when ``x`` and every item are known and none equals it."""
    if not isinstance(x, Unknown) and any(not isinstance(i, Unknown) and i == x for i in items):
        return not negated
    unknown = missing_of(x, *items)
    return unknown if unknown is not None else negated


def _in_force(d: dt.date, env: Env) -> bool:
    """Within the document's validity; the start is the `events from` assumption if named."""
    doc = env.document
    if doc is None or doc.valid_from is None:
        return True
    start = env.assumption(doc.events_from) if doc.events_from else doc.valid_from
    return bool(start <= d) and (doc.valid_to is None or d <= doc.valid_to)


def _key(v: Value) -> Value:
    return v.normalized() if isinstance(v, Duration) else v


_COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "=": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _times(x: Value, y: Value) -> Value:
    """Multiply; money times a rate or count is rounded down to the fen (never above)."""
    if isinstance(x, Money) and isinstance(y, Decimal):
        return x.times(y, Rounding.DOWN)
    if isinstance(y, Money) and isinstance(x, Decimal):
        return y.times(x, Rounding.DOWN)
    if isinstance(x, Duration) and isinstance(y, Decimal):
        return Duration(x.n * y, x.unit)
    if isinstance(y, Duration) and isinstance(x, Decimal):
        return Duration(y.n * x, y.unit)
    return x * y


def _add(x: Value, y: Value) -> Value:
    if isinstance(x, Duration) and isinstance(y, Duration):
        return _dur_op(x, y, 1)
    return x + y


def _sub(x: Value, y: Value) -> Value:
    if isinstance(x, Duration) and isinstance(y, Duration):
        return _dur_op(x, y, -1)
    return x - y


def _dur_op(x: Duration, y: Duration, sign: int) -> Duration:
    if x.unit == y.unit:
        return Duration(x.n + sign * y.n, x.unit)
    (dim, a), (_, b) = x.normalized(), y.normalized()
    return Duration(a + sign * b, "日" if dim == "days" else "月")


def _arith(op: str) -> Callable[[Value, Value], Value]:
    return {"+": _add, "-": _sub, "×": _times}[op]


def _negate(x: Value) -> Value:
    if isinstance(x, Duration):
        return Duration(-x.n, x.unit)
    return -x


def _call(func: str, fns: list[Fn]) -> Fn:
    if func == "known":
        f = fns[0]
        return lambda env: _known(f(env), env)
    if func == "year":
        f = fns[0]
        return lambda env: _strict(lambda d: Decimal(d.year), [f(env)])

    def run(env: Env) -> Value:
        values = [f(env) for f in fns]
        return _strict(lambda *vs: _builtin(func, list(vs)), values)

    return run


def _builtin(func: str, args: list[Value]) -> Value:
    if func in ("min", "max"):
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], tuple | frozenset) else args
        if not items:
            return Unknown(frozenset({f"{func}() of an empty list"}))
        pick = min if func == "min" else max
        return pick(items, key=_key)
    items = list(args[0])
    if func == "count":
        return Decimal(len(items))
    if not items:
        return Unknown(frozenset({f"{func}() of an empty list"}))
    total = items[0]
    for x in items[1:]:
        total = _add(total, x)
    if func == "sum":
        return total
    n = Decimal(len(items))
    if isinstance(total, Duration):
        return Duration(total.n / n, total.unit)
    if isinstance(total, Money):
        return Money(total.fen // len(items))  # average money: rounded down to the fen
    return total / n
