"""Generated Python source for the common case of a claim: every value it reads is given.

For each provision whose expressions fall in a subset (names, literals, comparisons,
``and``/``or``/``not``, ``in``, ``in force``, ``if``, ``+ - ×``, ``of``, ``year()``; not
``known()``, ``min``/``max``/``sum``/``count``/``average``, nor durations compared), the
conditions, the amount, the caps' limits and years and the ``order by`` keys become one
Python function each, written out as source and compiled once when the policy is compiled
(:func:`fast_provision`).  Each is a
function of the subject's :class:`~policyrules.instances.Instance` and a set collecting the
assumptions it reads: no :class:`~policyrules.exprs.Env`, no closure per node.

A generated function computes the same value as the closure of :mod:`policyrules.exprs`
whenever every fact and parameter it reads is given (and none is stated none: ``T or
none``); when one is not, or a value cannot
be computed exactly, it raises :class:`Slow` and the caller takes the general way (the
closures) for that expression or that claim.  Operands of ``and``/``or`` are both computed, as the
closures do; one that can read an assumption leaves the provision to the closures (which
list it only where its operand decided: :func:`policyrules.exprs_assumed.may_assume`), so a
condition's code reads every assumption it names (:meth:`_Gen.assumed`), whatever its
value.  No text from a ``.rule`` file or from
facts is ever written into the source: names, strings and numbers are constants passed in
a namespace under made-up names (``_k3``), and :func:`check_source` refuses, before
:func:`exec`, source holding any word but its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import attrs

from ... import syntax as s
from ...exprs import exact_op
from ...exprs_assumed import deciding
from ...instances import Instance
from ...model import CheckedPolicy, DocumentInfo, ProvisionInfo
from ...runtime.currency import UNITS
from ...runtime.money import Money
from ...runtime.order import natural_key
from ...runtime.values import NONE, Duration, Undecided
from ...typing_rules import ExprTyper, Usage
from .source_guard import check_source, run_source
from .static_reads import Reads, fact_reads, strict_reads

__all__ = [
    "FastFn",
    "FastProvision",
    "Reads",
    "Slow",
    "check_source",
    "fact_reads",
    "fast_provision",
    "refused_assumed",
    "run_source",
    "strict_reads",
]


class Slow(Exception):
    """A fact or parameter the generated code needs is not given: take the general way."""


# (the subject, the assumptions read so far, the assumptions' values, the parameters') -> value
FastFn = Callable[[Instance, set[str], Mapping[str, Any], Mapping[str, Any]], Any]


@attrs.frozen
class FastProvision:
    """The generated functions of one provision, and their source (for reading)."""

    conditions: tuple[FastFn, ...]
    amount: FastFn | None
    limits: tuple[FastFn, ...]
    years: tuple[FastFn | None, ...]
    order: tuple[FastFn, ...]
    source: str = attrs.field(repr=False)
    # All conditions in one function (a tuple of their values), and all `order by` keys as
    # claim_key orders them (a tuple of (0, value), text in natural order); None if none.
    all_conditions: FastFn | None = None
    order_key: FastFn | None = None
    # Per condition, the assumptions its code reads (every one, whatever its value), and
    # all conditions' together: a claim refused lists the first false one's only.
    condition_assumed: tuple[frozenset[str], ...] = ()
    conditions_assumed: frozenset[str] = frozenset()
    # Per condition and per order key: its reads (see strict_reads), or None.
    condition_reads: tuple[Reads | None, ...] = ()
    order_reads: tuple[Reads | None, ...] = ()
    # Per condition, order key, the amount, each cap's limit and year: the facts it can
    # read (see fact_reads), or None.  With all of them absent its closure's value depends
    # on the evaluation alone (.fastpath finds it once).
    condition_facts: tuple[Reads | None, ...] = ()
    # Every condition's facts together, or None where one's are not known (the claim's
    # conditions, all together, then depend on the evaluation alone).
    conditions_facts: Reads | None = None
    order_facts: tuple[Reads | None, ...] = ()
    amount_facts: Reads | None = None
    limit_facts: tuple[Reads | None, ...] = ()
    year_facts: tuple[Reads | None, ...] = ()
    # The amount's, every cap's limit's and year's facts together, or None where one's are
    # not known (a claim's bound held in its caps then depends on the evaluation alone).
    reserve_facts: Reads | None = None


class _Unsupported(Exception):
    pass


_NONE: frozenset[str] = frozenset()


def _slow() -> NoReturn:
    raise Slow


def _join(fa: FastFn, fb: FastFn, stop: bool, i: Instance, used: set[str], *ap: Any) -> bool:
    """``a and b`` (``stop`` false) or ``a or b`` (true), each side read into a set of its
    own: only the side that decided adds its assumptions to ``used`` (a side equal to
    ``stop``, the left if both), else both (``policyrules.exprs``'s closures alike)."""
    left: set[str] = set()
    x = fa(i, left, *ap)
    right: set[str] = set()
    y = fb(i, right, *ap)
    used |= deciding(x, y, stop, left, right)
    return x is True or y is True if stop else not (x is False or y is False)


def _owner(inst: Instance, entity: str) -> Instance:
    owner: Instance | None = inst
    while owner is not None and owner.entity != entity:
        owner = owner.parent
    if owner is None:
        raise Slow
    return owner


_ABSENT = object()


def _nk(v: Any) -> Any:
    """An `order by` key's value as claim_key compares it: text in natural order."""
    return natural_key(v) if isinstance(v, str) else v


def fast_provision(p: ProvisionInfo, policy: CheckedPolicy) -> FastProvision | None:
    """The generated functions of ``p``, or ``None`` when some expression of it is outside
    the subset (the provision is then always evaluated the general way)."""
    if p.subject is None or p.bounded or p.limited:
        return None  # a range, minimum, rounding or limit: the general way (.amounts, .limits)
    if any(cap.exceptions for cap in p.caps):
        return None  # a cap with exceptions: the general way (.exceptions)
    if p.schedule is not None:
        return None  # paid over time: the general way (.instalments)
    if p.tiers is not None or p.quota is not None:
        return None  # a tier reading or a quota: the general way (backends/python/tiers.py)
    doc = next((d for d in policy.documents if d.name == p.document), None)
    gen = _Gen(policy, p.subject, doc)
    try:
        parts = [part for line in p.eligible for part in _conjuncts(line.condition)]
        conditions = [gen.function(part) for part in parts]
        amount: str | None = None
        if p.amount is not None:
            amount = gen.function(p.amount.expr)
        elif p.decided is not None:
            amount = gen.function(s.Name((p.decided.fact,)))
        limits = [gen.function(cap.limit) for cap in p.caps]
        years = [gen.function(cap.year_of) if cap.year_of is not None else None for cap in p.caps]
        order = [gen.function(k) for k in p.order]
    except _Unsupported:
        return None
    try:
        assumed: tuple[frozenset[str], ...] | None = tuple(gen.assumed(x, True) for x in parts)
    except _Unsupported:  # which count depends on the values: one by one (.fast_conditions)
        assumed = None
    all_conditions = gen.fused(conditions, "{}") if conditions and assumed is not None else None
    order_key = gen.fused(order, "(0, _nk({}))") if order else None
    source = "\n".join(gen.lines) + "\n"
    ns = run_source(source, gen.ns)

    def get(name: str | None) -> FastFn | None:
        return None if name is None else ns[name]

    scope = p.subject
    amount_e = p.amount.expr if p.amount is not None else None
    if amount_e is None and p.decided is not None:
        amount_e = s.Name((p.decided.fact,))
    each = tuple(fact_reads(e, policy, scope) for e in parts)
    together = [x for reads in each if reads is not None for x in reads]
    bounds = [amount_e, *[c.limit for c in p.caps]]
    bounds += [c.year_of for c in p.caps if c.year_of is not None]
    reserve = [fact_reads(e, policy, scope) if e is not None else None for e in bounds]
    return FastProvision(
        condition_assumed=assumed or (),
        conditions_assumed=frozenset().union(*assumed or ()),
        condition_facts=each,
        conditions_facts=None if None in each else tuple(dict.fromkeys(together)),
        order_facts=tuple(fact_reads(e, policy, scope) for e in p.order),
        amount_facts=fact_reads(amount_e, policy, scope) if amount_e is not None else None,
        limit_facts=tuple(fact_reads(c.limit, policy, scope) for c in p.caps),
        year_facts=tuple(
            fact_reads(c.year_of, policy, scope) if c.year_of is not None else None for c in p.caps
        ),
        reserve_facts=None
        if None in reserve
        else tuple(dict.fromkeys(x for reads in reserve if reads is not None for x in reads)),
        condition_reads=tuple(strict_reads(e, policy, p.subject, doc) for e in parts),
        order_reads=tuple(strict_reads(e, policy, p.subject, doc) for e in p.order),
        conditions=tuple(ns[c] for c in conditions),
        amount=get(amount),
        limits=tuple(ns[c] for c in limits),
        years=tuple(get(y) for y in years),
        order=tuple(ns[k] for k in order),
        source=source,
        all_conditions=get(all_conditions),
        order_key=get(order_key),
    )


def refused_assumed(
    gen: _Gen, parts: list[s.Expr], said: Callable[[frozenset[str]], str]
) -> str | None:
    """Code giving, once some of the conditions ``parts`` (computed as ``_c0``, ``_c1``...)
    is false, the assumptions of the first false one (``said``: a set of names as code);
    ``None`` where no condition reads one."""
    assumed = [gen.assumed(x, True) for x in parts]
    if not any(assumed):
        return None
    *firsts, last = [said(a) for a in assumed]
    return "".join(f"{a} if not _c{j} else " for j, a in enumerate(firsts)) + last


def _conjuncts(e: s.Expr) -> list[s.Expr]:
    if isinstance(e, s.And):
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


_OPS = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class _Gen:
    """Writes one ``def`` per expression; constants go into ``ns`` under made-up names."""

    def __init__(self, policy: CheckedPolicy, scope: str, doc: DocumentInfo | None) -> None:
        self.policy = policy
        self.scope = scope
        self.doc = doc
        self.chain = [e.name for e in policy.chain(scope)]
        self.ns: dict[str, Any] = {"_slow": _slow, "_owner": _owner, "_A": _ABSENT, "_nk": _nk}
        self.ns["_join"] = _join
        self.lines: list[str] = []
        self.bodies: dict[str, str] = {}
        self.typer = ExprTyper(policy, scope, doc, lambda *_: None)
        # Set by .fused: the name of a local holding the subject's values, read by
        # subscript (a fact not given raises KeyError, which the fused code takes as Slow).
        self.values: str | None = None

    def const(self, value: Any) -> str:
        name = f"_k{len(self.ns)}"
        self.ns[name] = value
        return name

    def function(self, e: s.Expr) -> str:
        body = self.expr(e)  # (first: an operand of `and`/`or` may be a function: .side)
        name = f"_f{len(self.lines)}"
        self.bodies[name] = body
        self.lines.append(f"def {name}(i, used, A, P):\n    return {body}\n")
        return name

    def fused(self, names: list[str], each: str) -> str:
        """One function computing the bodies of ``names`` in order, as a tuple."""
        name = f"_f{len(self.lines)}"
        items = "".join(each.format(self.bodies[n]) + ", " for n in names)
        self.lines.append(f"def {name}(i, used, A, P):\n    return ({items})\n")
        return name

    def _not_duration(self, *es: s.Expr) -> None:
        """Durations compare by their length (1 周 = 7 日): left to the closures."""
        for e in es:
            got = self.typer.type_of(e, Usage())
            if got.kind == "any" and not (isinstance(e, s.SetLit) and not e.items):
                raise _Unsupported
            if got.kind == "duration" or (got.element and got.element.kind == "duration"):
                raise _Unsupported

    def expr(self, e: s.Expr) -> str:
        match e:
            case s.MoneyLit(number=n, unit=u) if u not in UNITS:
                return self.const(Money.of(n, u))
            case s.RateLit(number=n):
                return self.const(n / 100)
            case s.NumberLit(number=n):
                return self.const(n)
            case s.DateLit(value=v) | s.BoolLit(value=v) | s.StringLit(value=v):
                return self.const(v)
            case s.Name(parts=parts):
                return self.name(parts)
            case s.SetLit(items=items):
                self._not_duration(*items)
                made = [self.expr(x) for x in items]
                if all(re.fullmatch(r"_k[0-9]+", x) for x in made):  # constants: made once
                    return self.const(frozenset(self.ns[x] for x in made))
                inner = "".join(f"{x}, " for x in made)
                return f"frozenset(({inner}))"
            case s.Compare(op=op, left=a, right=b):
                self._not_duration(a, b)
                return f"({self.expr(a)} {_OPS[op]} {self.expr(b)})"
            case s.And(left=a, right=b) | s.Or(left=a, right=b) if self.assumed(a) or (
                self.assumed(b)
            ):
                # which side's assumptions count depends on the values: each side a
                # function of its own, reading into a set of its own (_join)
                stop = isinstance(e, s.Or)
                return f"_join({self.side(a)}, {self.side(b)}, {stop}, i, used, A, P)"
            case s.And(left=a, right=b):
                # Both sides computed (as the closures do): `|` does not short-circuit.
                return f"(not (({self.expr(a)}) is False) | (({self.expr(b)}) is False))"
            case s.Or(left=a, right=b):
                return f"((({self.expr(a)}) is True) | (({self.expr(b)}) is True))"
            case s.Not(operand=a):
                return f"(not {self.expr(a)})"
            case s.InSet(element=a, container=s.SetLit(items=items), negated=neg):
                self._not_duration(a, *items)
                inner = "".join(f"{self.expr(x)}, " for x in items)
                return f"(({self.expr(a)} in ({inner})) != {neg!r})"
            case s.InSet(element=a, container=b, negated=neg):
                self._not_duration(a, b)
                return f"(({self.expr(a)} in {self.expr(b)}) != {neg!r})"
            case s.InForce(operand=a):
                return self.in_force(self.expr(a))
            case s.BinOp(left=a, right=b) | s.Of(rate=a, base=b):
                return f"{self.exact(e)}({self.expr(a)}, {self.expr(b)})"
            case s.Neg(operand=a) | s.Call(func="year" | "floor" | "ceil", args=(a,)):
                return f"{self.exact(e)}({self.expr(a)})"
            case s.IfExpr(cond=cond, then=then, else_=other):
                return f"({self.expr(then)} if {self.expr(cond)} else {self.expr(other)})"
        raise _Unsupported

    def side(self, e: s.Expr) -> str:
        """An operand of an ``and``/``or`` that reads an assumption, as a function of its
        own; a generator keeping assumptions read otherwise than in ``used`` declines."""
        if self.values is not None or type(self).assumption is not _Gen.assumption:
            raise _Unsupported
        return self.function(e)

    def assumed(self, e: s.Expr, exact: bool = False) -> frozenset[str]:
        """The assumptions the code of ``e`` can read: those it names and an ``in force``'s
        events-from.  ``exact``: only if it reads every one whenever it gives a value,
        else :class:`_Unsupported` (one only a branch of an ``if`` reads, or an operand of
        an ``and``/``or``, counted by the values)."""
        match e:
            case s.Name(parts=parts):
                r = self.policy.resolve(parts, self.scope)
                if r is not None and r.kind == "define":
                    info = self.policy.define(r.name)
                    assert info is not None
                    return self.assumed(info.expr, exact)
                return frozenset({r.name}) if r is not None and r.kind == "assumption" else _NONE
            case s.InForce(operand=a):
                doc = self.doc
                if doc is not None and doc.valid_from is not None and doc.events_from:
                    return self.assumed(a, exact) | {doc.events_from}
            case s.IfExpr(then=x, else_=y) | s.And(left=x, right=y) | s.Or(left=x, right=y):
                if exact and (self.assumed(x) or self.assumed(y)):
                    raise _Unsupported
        return frozenset().union(*(self.assumed(x, exact) for x in s.operands(e)))

    def exact(self, e: s.Expr) -> str:
        """The exact operation of ``e`` as the closures compute it; where they would be
        undecided (too large, inexact), :class:`Slow`: the general way says why."""
        fn = exact_op(e)
        if fn is None:
            raise _Unsupported
        op = fn

        def run(*values: Any) -> Any:
            try:
                return op(*values)
            except Undecided:
                raise Slow from None

        return self.const(run)

    def name(self, parts: tuple[str, ...]) -> str:
        r = self.policy.resolve(parts, self.scope)
        if r is None:
            raise _Unsupported
        if r.kind == "define":  # inlined: its expression, read in this subject
            info = self.policy.define(r.name)
            assert info is not None
            return self.expr(info.expr)
        if r.kind == "fact":
            entity = r.entity or ""
            if entity not in self.chain:
                raise _Unsupported
            inst = "i" if entity == self.scope else f"_owner(i, {self.const(entity)})"
            if r.name == "id":
                return f"{inst}.id"
            key = self.const(r.name)
            if self.values is not None and entity == self.scope:
                got = f"{self.values}[{key}]"
                if not r.type.nullable:
                    return got
                return f"(_v if (_v := {got}) is not {self.const(NONE)} else _slow())"
            if r.type.nullable:  # stated none: the closures compare it (the general way)
                none = self.const(NONE)
                got = f"(_v := {inst}.values.get({key}, _A)) is not _A and _v is not {none}"
                return f"(_v if {got} else _slow())"
            return f"(_v if (_v := {inst}.values.get({key}, _A)) is not _A else _slow())"
        if r.kind == "parameter":
            key = self.const(r.name)
            return f"(_v if (_v := P.get({key}, _A)) is not _A else _slow())"
        if r.kind == "assumption":
            return self.assumption(r.name)
        if isinstance(r.member, Duration):
            raise _Unsupported
        return self.const(r.member)

    def assumption(self, name: str) -> str:
        key = self.const(name)
        return f"(used.add({key}) or A[{key}])"

    def in_force(self, operand: str) -> str:
        doc = self.doc
        if doc is None or doc.valid_from is None:
            return f"({operand}, True)[1]"
        start = self.assumption(doc.events_from) if doc.events_from else self.const(doc.valid_from)
        end = "True" if doc.valid_to is None else f"_d <= {self.const(doc.valid_to)}"
        # As the closure: the operand first, then the start (an assumption it may read).
        return f"(_d := {operand}, {start} <= _d and {end})[1]"
