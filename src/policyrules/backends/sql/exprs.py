"""Expressions of a checked policy as SQL: value, missing facts, assumptions used.

Each expression becomes a :class:`SqlValue`: its value as a sqlglot expression (SQL
``NULL`` where the one-by-one path has an :class:`~policyrules.runtime.values.Unknown`),
and, as pairs ``(name, condition)``, the facts it is missing when unknown
(``Unknown.missing``: ``product.approved_on``, ``parameter rd_reward_rate``), the
assumptions it reads and when it is *undecided* (the one-by-one path raises
:class:`~policyrules.runtime.values.Undecided`: an ``average`` of no items).  The names are
known when compiling, so a decision's sorted missing facts are a fixed list of names each
kept when its condition holds.

A fact declared ``T or none`` is read with its companion column ``<fact>__none`` (TRUE: stated
none): its value is then NULL and :attr:`SqlValue.none` holds, and only the operations the
checker allows on it (comparisons, ``in``, ``in force``, ``is none``, ``otherwise``) look at
it.

Parameters and assumptions are bound when compiling: a sub-expression that reads no fact is
computed once by the one-by-one path's own closures (:func:`policyrules.exprs.compile_expr`)
and becomes a literal.  Money is BIGINT fen; a rate or number DECIMAL(38,10); a duration
BIGINT in its dimension's base unit (日 for 日 and 周, 月 for 月 and 年, 工作日).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ... import types as t
from ...exprs import Env, compile_expr
from ...model import CheckedPolicy, DocumentInfo
from ...printer import print_expr
from ...runtime.currency import ExchangeRate
from ...runtime.quotients import is_quotient
from ...runtime.values import Undecided, Unknown, Value
from ...types import none_column
from ...typing_rules import ExprTyper, Usage
from .bands import Bands
from .compare import COMPARE, Comparisons
from .plan import ONE_BY_ONE, refuse
from .quotients import Quotients, Ratio
from .sqlbits import (
    DECIMAL,
    FACTOR,
    all_of,
    any_of,
    case,
    gate,
    is_bool,
    is_null,
    literal,
    merge,
    negate,
    not_bool,
    not_null,
    null_of,
    par,
    sql_type,
    true,
)
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue, undecided_of
from .tiers import TierReads

__all__ = ["ExprCompiler", "SqlValue"]  # SqlValue from sqlvalue, for rows


# ---- the compiler ------------------------------------------------------------------------------


class ExprCompiler(Comparisons, Quotients, Bands, TierReads):
    """Compiles the expressions of one provision (subject ``scope``) against table aliases.

    ``aliases`` maps each entity of the subject's chain to the alias its row is read from
    (the alias is the entity's name)."""

    def __init__(
        self,
        policy: CheckedPolicy,
        scope: str | None,
        document: DocumentInfo | None,
        parameters: Mapping[str, Value],
        assumptions: Mapping[str, Value],
        where: str,
    ) -> None:
        self.policy = policy
        self.scope = scope
        self.document = document
        self.parameters = parameters
        self.assumptions = assumptions
        self.where = where
        self.typer = ExprTyper(policy, scope, None, lambda *_: None)

    def type_of(self, e: s.Expr) -> t.Type:
        return self.typer.type_of(e, Usage())

    def fail(self, e: s.Expr, what: str) -> Exception:
        return refuse(
            "E602",
            f"{self.where}: {what} cannot be compiled to SQL: {print_expr(e)}",
            hint=self.compiled_form(e) + ONE_BY_ONE,
        )

    def compiled_form(self, e: s.Expr) -> str:
        """A form of ``e`` the batch compiles, where one exists, with when it reads the text
        the same (``""``: none)."""
        if isinstance(e, s.BinOp) and e.op == "×":
            kinds = {self.type_of(e.left).kind, self.type_of(e.right).kind}
            if kinds <= {"rate", "number"}:
                a, b = print_expr(e.left), print_expr(e.right)
                return (
                    f"a share of a share compiles, `{a} of ({b} of X)`: it rounds down to the "
                    "fen at each share, so write it where the text takes one share of the "
                    "other (按…的 50% 的 80%); or "
                )
        if isinstance(e, s.Call) and e.func == "average":
            return f"an average compared compiles (`{print_expr(e)} >= X`); or "
        return ""

    # -- folding

    def foldable(self, e: s.Expr) -> bool:
        if isinstance(e, s.InForce):
            return False
        if isinstance(e, s.Call) and e.func == "known":
            return False
        if isinstance(e, s.Name):
            r = self.policy.resolve(e.parts, self.scope)
            if r is not None and r.kind == "define":
                return self.foldable(self._define(r.name))
            return r is not None and r.kind != "fact"
        return all(self.foldable(c) for c in s.operands(e))

    def _define(self, name: str) -> s.Expr:
        info = self.policy.define(name)
        assert info is not None  # resolved
        return info.expr

    def constant(self, e: s.Expr) -> object:
        """The value of a foldable ``e`` (None where it is undecided)."""
        env = Env({}, self.parameters, self.assumptions, self.document)
        try:
            return compile_expr(e, self.policy, self.scope)(env)
        except Undecided:
            return None

    def rate_of(self, e: s.Expr) -> ExchangeRate | Unknown:
        """The dated exchange rate ``e`` (a parameter): E613 if it is read from the facts."""
        v = self.constant(e) if self.foldable(e) else None
        if not isinstance(v, ExchangeRate | Unknown):
            raise refuse(
                "E613",
                f"{self.where}: an exchange rate read from the facts is not compiled to SQL:"
                f" {print_expr(e)}",
                hint=f"give the dated rate as a parameter, or {ONE_BY_ONE}",
            )
        return v

    def ratio_side(self, a: s.Expr, b: s.Expr) -> Ratio | None:
        """A quotient times money (``1 / 3 of m``, ``m × (a / b)``): the quotient's
        :class:`Ratio` if one side is a quotient, else None."""
        for q, m in ((a, b), (b, a)):
            if self.type_of(m).kind == "money" and self.type_of(q).kind in ("number", "rate"):
                r = self.ratio(q)
                if r is not None:
                    return r
        return None

    def ratio_times(self, e: s.Expr, a: s.Expr, b: s.Expr) -> SqlValue:
        for q, m in ((a, b), (b, a)):
            if self.type_of(m).kind == "money" and self.type_of(q).kind in ("number", "rate"):
                r = self.ratio(q)
                if r is not None:
                    return self.times_ratio(e, r, self.compile(m))
        raise self.fail(e, "this product")  # pragma: no cover - ratio_side chose it

    def fold(self, e: s.Expr) -> SqlValue:
        ty = self.type_of(e)
        env = Env({}, self.parameters, self.assumptions, self.document)
        used = tuple((a, true()) for a in sorted(env.used_assumptions))
        try:
            v = compile_expr(e, self.policy, self.scope)(env)
        except Undecided:
            used = tuple((a, true()) for a in sorted(env.used_assumptions))
            return SqlValue(null_of(ty), ty, (), used, true())
        used = tuple((a, true()) for a in sorted(env.used_assumptions))
        if isinstance(v, Unknown):
            return SqlValue(null_of(ty), ty, tuple((k, true()) for k in sorted(v.missing)), used)
        if is_quotient(v):
            raise refuse(
                "E608",
                f"{self.where}: {print_expr(e)} is a quotient with no finite decimal form "
                "(SQL DECIMAL would round it)",
                hint=ONE_BY_ONE,
            )
        return SqlValue(literal(v, ty, self.where), ty, (), used)

    # -- expressions

    def compile(self, e: s.Expr) -> SqlValue:
        if self.foldable(e):
            return self.fold(e)
        match e:
            case s.Name(parts=parts):
                r = self.policy.resolve(parts, self.scope)
                if r is not None and r.kind == "define":  # inlined, read in this subject
                    return self.compile(self._define(r.name))
                return self.fact(e, parts)
            case s.BinOp(op="/") | s.Call(func="floor" | "ceil"):
                return self.quotient(e)
            case s.Of(rate=q, base=m) | s.BinOp(op="×", left=q, right=m) if (
                self.ratio_side(q, m) is not None
            ):
                return self.ratio_times(e, q, m)
            case s.Progressive():
                return self.progressive(e)
            case s.TableAt(table=name, key=k):
                return self.tier(e, name, k, value=True)
            case s.Reaches(operand=k, table=name):
                return self.tier(e, name, k, value=False)
            case s.SetLit(items=items):
                vals = [self.compile(i) for i in items]
                arr = exp.Array(expressions=[v.value.copy() for v in vals])
                return self.strict(e, vals, _cast(arr, sql_type(self.type_of(e))))
            case s.Call(func=func, args=args):
                return self.call(e, func, args)
            case s.BinOp(op=op, left=a, right=b):
                return self.arith(e, op, self.compile(a), self.compile(b))
            case s.Of(rate=r, base=b):
                return self.arith(e, "×", self.compile(r), self.compile(b))
            case s.Compare(op=op, left=a, right=b):
                for side, other, flip in ((a, b, False), (b, a, True)):
                    rq = self.ratio(side)
                    if rq is not None:
                        return self.compare_ratio(e, COMPARE[op], rq, self.compile(other), flip)
                return self.compare(e, op, a, b)
            case s.And(left=a, right=b):
                return self.logic(e, self.compile(a), self.compile(b), is_and=True)
            case s.Or(left=a, right=b):
                return self.logic(e, self.compile(a), self.compile(b), is_and=False)
            case s.Not(operand=a):
                va = self.compile(a)
                return self.strict(e, [va], negate(va.value))
            case s.Neg(operand=a):
                va = self.compile(a)
                return self.strict(e, [va], exp.Neg(this=exp.Paren(this=va.value.copy())))
            case s.InSet(element=a, container=s.SetLit(items=items), negated=neg):
                return self.in_literal(e, self.compile(a), [self.compile(i) for i in items], neg)
            case s.InSet(element=a, container=b, negated=neg):
                va, vb = self.compile(a), self.compile(b)
                found: exp.Expr = exp.ArrayContains(
                    this=vb.value.copy(), expression=va.value.copy()
                )
                if neg:
                    found = negate(found)
                guarded = case([(any_of(va.unknown(), is_null(vb.value)), exp.Null())], found)
                if va.none is not None:  # none is in no set
                    guarded = case([(va.none, exp.Boolean(this=neg))], guarded)
                return self.strict(e, [va, vb], guarded)
            case s.InForce(operand=a):
                return self.in_force(e, self.compile(a))
            case s.IsNone(operand=a, negated=neg):
                return self.is_none(e, self.compile(a), neg)
            case s.Otherwise(value=a, default=b):
                return self.otherwise(e, self.compile(a), self.compile(b))
            case s.IfExpr(cond=c, then=a, else_=b):
                return self.if_(e, self.compile(c), a, b)
        raise self.fail(e, "this expression")

    def fact(self, e: s.Expr, parts: tuple[str, ...]) -> SqlValue:
        r = self.policy.resolve(parts, self.scope)
        if r is None or r.kind != "fact" or r.entity is None:  # pragma: no cover - checked
            raise self.fail(e, "this name")
        column: exp.Expr = exp.column(r.name, table=r.entity, quoted=True)
        ty = r.type
        if ty.kind == "year":  # stored INTEGER, read as the number it compares with
            column = _cast(column, DECIMAL)
        elif ty.kind == "duration" and ty.unit in FACTOR:
            column = exp.Mul(this=column, expression=exp.Literal.number(FACTOR[ty.unit]))
        elif ty.kind in ("set", "list") and ty.element and ty.element.unit in FACTOR:
            raise self.fail(e, f"a {ty.describe()} (weeks or years in a list)")
        if r.name == "id":
            return SqlValue(column, ty)
        if ty.nullable:
            flag = exp.column(none_column(r.name), table=r.entity, quoted=True)
            none = is_bool(flag, True)
            return SqlValue(column, ty, ((f"{r.entity}.{r.name}", negate(none)),), none=none)
        return SqlValue(column, ty, ((f"{r.entity}.{r.name}", true()),))

    def nones(
        self, e: s.Expr, vals: list[SqlValue], value: exp.Expr, if_none: exp.Expr
    ) -> SqlValue:
        """As :meth:`strict`, for a comparison: unknown when an operand is unknown, else
        ``if_none`` when an operand is none, else ``value`` (the closures' order)."""
        base = self.strict(e, vals, value)
        nones = [v.none for v in vals if v.none is not None]
        if not nones:
            return base
        unknown = any_of(*(v.unknown() for v in vals))
        decided = case([(unknown, exp.Null()), (any_of(*nones), if_none)], value)
        return attrs.evolve(base, value=decided)

    def is_none(self, e: s.Expr, a: SqlValue, neg: bool) -> SqlValue:
        none = a.none if a.none is not None else exp.Boolean(this=False)
        value = case(
            [(none, exp.Boolean(this=not neg)), (is_null(a.value), exp.Null())],
            exp.Boolean(this=neg),
        )
        return SqlValue(value, t.BOOL, gate(a.missing, is_null(a.value)), a.used, a.undecided)

    def otherwise(self, e: s.Expr, a: SqlValue, b: SqlValue) -> SqlValue:
        if a.none is None:  # pragma: no cover - the checker refuses (E283)
            return a
        when = a.none
        value = case([(when, b.value)], a.value)
        und = [u for u in (a.undecided, all_of(when, b.undecided) if b.undecided else None) if u]
        return SqlValue(
            value,
            self.type_of(e),
            merge(gate(a.missing, is_null(a.value)), gate(b.missing, all_of(when, b.unknown()))),
            merge(a.used, gate(b.used, when)),
            any_of(*und) if und else None,
            all_of(when, b.none) if b.none is not None else None,
        )

    def strict(self, e: s.Expr, vals: list[SqlValue], value: exp.Expr) -> SqlValue:
        """An operation that is unknown when an operand is, missing what they miss."""
        return SqlValue(
            value,
            self.type_of(e),
            merge(*(gate(v.missing, is_null(v.value)) for v in vals)),
            merge(*(v.used for v in vals)),
            undecided_of(*vals),
        )

    def logic(self, e: s.Expr, a: SqlValue, b: SqlValue, *, is_and: bool) -> SqlValue:
        # SQL's AND/OR are the three-valued _and/_or; a decided operand hides the missing.
        stop = not is_and
        value = (exp.and_ if is_and else exp.or_)(
            exp.Paren(this=a.value.copy()), exp.Paren(this=b.value.copy())
        )
        missing = merge(
            gate(a.missing, all_of(is_null(a.value), not_bool(b.value, stop))),
            gate(b.missing, all_of(is_null(b.value), not_bool(a.value, stop))),
        )
        # The assumptions of the side that decided alone (equal to `stop`, the left if both
        # are), else both sides' (Python: exprs_assumed.decided_by).
        used = merge(
            gate(a.used, any_of(is_bool(a.value, stop), not_bool(b.value, stop))),
            gate(b.used, not_bool(a.value, stop)),
        )
        return SqlValue(value, t.BOOL, missing, used, undecided_of(a, b))

    def in_literal(self, e: s.Expr, x: SqlValue, items: list[SqlValue], neg: bool) -> SqlValue:
        known = [
            all_of(not_null(i.value), exp.EQ(this=par(x.value), expression=par(i.value)))
            for i in items
        ]
        hit = all_of(not_null(x.value), any_of(*known)) if known else exp.Boolean(this=False)
        some_null = any_of(x.unknown(), *(is_null(i.value) for i in items))
        value = case(
            [(hit, exp.Boolean(this=not neg)), (some_null, exp.Null())], exp.Boolean(this=neg)
        )
        vals = [x, *items]
        missing = merge(*(gate(v.missing, all_of(is_null(v.value), negate(hit))) for v in vals))
        return SqlValue(value, t.BOOL, missing, merge(*(v.used for v in vals)), undecided_of(*vals))

    def in_force(self, e: s.Expr, d: SqlValue) -> SqlValue:
        doc = self.document
        used = d.used
        if doc is None or doc.valid_from is None:
            inside: exp.Expr = exp.Boolean(this=True)
        else:
            start: Value = doc.valid_from
            if doc.events_from:
                start = self.assumptions[doc.events_from]
                used = merge(used, ((doc.events_from, not_null(d.value)),))
            lo = literal(start, t.DATE, self.where)
            inside = exp.GTE(this=d.value.copy(), expression=lo)
            if doc.valid_to is not None:
                hi = literal(doc.valid_to, t.DATE, self.where)
                inside = exp.and_(inside, exp.LTE(this=d.value.copy(), expression=hi))
        nothing = d.none if d.none is not None else exp.Boolean(this=False)
        value = case([(nothing, exp.Boolean(this=False)), (is_null(d.value), exp.Null())], inside)
        return SqlValue(value, t.BOOL, d.missing, used, d.undecided)

    def if_(self, e: s.Expr, c: SqlValue, then: s.Expr, other: s.Expr) -> SqlValue:
        if c.const:  # decided when compiling: only the branch taken is read
            lit = c.value
            if isinstance(lit, exp.Boolean):
                taken = self.compile(then if lit.this else other)
                return attrs.evolve(
                    taken, used=merge(c.used, taken.used), undecided=undecided_of(c, taken)
                )
        a, b = self.compile(then), self.compile(other)
        ty = self.type_of(e)
        same = all_of(not_null(a.value), not_null(b.value), self.equal(a.value, b.value, ty))
        if a.none is not None and b.none is not None:  # none = none: the branches agree
            same = any_of(same, all_of(a.none, b.none))
        # An unknown condition tries both branches: a branch that is undecided leaves it
        # waiting on the condition alone.
        branch_und = undecided_of(a, b)
        agree = all_of(same, negate(branch_und)) if branch_und is not None else same
        value = case(
            [
                (is_bool(c.value, True), a.value),
                (is_bool(c.value, False), b.value),
                (agree, a.value),
            ],
            null_of(ty),
        )
        none = None
        if a.none is not None or b.none is not None:
            # none where the branch taken is none, or both are when the condition is unknown
            nones = [all_of(is_bool(c.value, True), a.none)] if a.none is not None else []
            if b.none is not None:
                nones.append(all_of(is_bool(c.value, False), b.none))
            if a.none is not None and b.none is not None:
                nones.append(all_of(is_null(c.value), agree.copy(), a.none))
            none = any_of(*nones)
        c_null = is_null(c.value)
        quiet = negate(branch_und) if branch_und is not None else true()
        missing = merge(
            gate(c.missing, all_of(c_null, negate(agree))),
            gate(
                a.missing,
                all_of(is_null(a.value), any_of(is_bool(c.value, True), all_of(c_null, quiet))),
            ),
            gate(
                b.missing,
                all_of(is_null(b.value), any_of(is_bool(c.value, False), all_of(c_null, quiet))),
            ),
        )
        used = merge(
            c.used, gate(a.used, is_bool(c.value, True)), gate(b.used, is_bool(c.value, False))
        )
        und_parts = [c.undecided] if c.undecided is not None else []
        if a.undecided is not None:
            und_parts.append(all_of(is_bool(c.value, True), a.undecided))
        if b.undecided is not None:
            und_parts.append(all_of(is_bool(c.value, False), b.undecided))
        return SqlValue(value, ty, missing, used, any_of(*und_parts) if und_parts else None, none)
