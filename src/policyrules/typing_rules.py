"""Type and unit inference for expressions, reporting mistakes through a callback.

The rules: money adds to money, a rate times money is money (``30% of base``), a count
times money is money; a date is compared with a date; durations compare within one
dimension (日 and 周; 月 and 年; 工作日 alone).  Anything else is an error (E204).
"""

from __future__ import annotations

import attrs

from . import syntax as s
from . import types as t
from .currencies import foreign_literal_type
from .errors import Span, did_you_mean
from .model import CheckedPolicy, DocumentInfo
from .runtime.currency import UNITS
from .runtime.money import Money
from .typing_base import BUILTINS, Usage, short_name, unit_hint, verb
from .typing_calls import CallTyping, Report
from .typing_slips import in_force_slip, misspelt_member, quoted_member

MAX_DIGITS = 40
"""Literals have at most this many digits before the point, as money amounts do (E226)."""

__all__ = ["BUILTINS", "MAX_DIGITS", "ExprTyper", "Usage"]


class ExprTyper(CallTyping):
    """Infers the type of expressions in one scope (a provision's subject)."""

    def __init__(
        self,
        policy: CheckedPolicy,
        scope: str | None,
        document: DocumentInfo | None,
        report: Report,
    ) -> None:
        self.policy = policy
        self.scope = scope
        self.document = document
        self.report = report
        self._defining: list[str] = []  # the defines being typed, to refuse a cycle (E256)

    def expect(
        self, e: s.Expr, want: t.Type, usage: Usage, what: str, *, none_ok: bool = False
    ) -> None:
        """Report unless ``e`` has type ``want`` (and, unless ``none_ok``, cannot be none)."""
        got = self._name(e, usage, want) if isinstance(e, s.Name) else self.type_of(e, usage)
        if not none_ok:
            self.not_none(e, got, what)
        if not t.comparable(got, want):
            hint = None
            if want == t.BOOL and got.kind == "enum":
                hint = f"compare it: `{short_name(e)} = <member>` or `{short_name(e)} in {{...}}`"
            if want == t.MONEY and got.kind == "money" and got.unit:
                hint = f"convert it to 元 at a dated rate: `convert({short_name(e)}, RATE)`"
            self.report(
                "E205", f"{what} must be {want.describe()}, not {got.describe()}", e.span, hint
            )

    def not_none(self, e: s.Expr, got: t.Type, what: str) -> None:
        """E282 if ``got`` may be none: a value is needed, and none has none."""
        if got.nullable:
            self.report(
                "E282",
                f"{what} needs a value, but {short_name(e)} may be none ({got.describe()})",
                e.span,
                f"say what none counts as: `{short_name(e)} otherwise ...`",
            )

    def decided_not_none(
        self, name: str, got: t.Type, what: str, span: Span | None, why: str = ""
    ) -> bool:
        """E282 if the fact ``name`` the agency decides (a decided amount, a range's choice,
        a quota's rank) may be none (``got``): such a fact is declared without none, ``what``
        says why, ``why`` what to write instead of none.  Whether it was reported."""
        if not got.nullable:
            return False
        plain = attrs.evolve(got, nullable=False).describe()
        self.report(
            "E282",
            f"'{name}' may be none ({got.describe()}): {what}",
            span,
            f"declare it `{plain}`" + (f" ({why})" if why else ""),
        )
        return True

    def value_of(self, e: s.Expr, usage: Usage, what: str) -> t.Type:
        """:meth:`type_of`, with E282 where ``e`` may be none."""
        got = self.type_of(e, usage)
        self.not_none(e, got, what)
        return got

    def type_of(self, e: s.Expr, usage: Usage) -> t.Type:
        """The type of ``e``; :data:`types.ANY` after an error, so one mistake reports once."""
        match e:
            case s.MoneyLit(number=n, unit=u) if u in UNITS:
                return foreign_literal_type(n, u, e.span, self.report)
            case s.MoneyLit(number=n, unit=u):
                try:
                    Money.of(n, u)
                except ValueError as exc:
                    self.report(
                        "E226",
                        f"not an amount of money: {exc}",
                        e.span,
                        "amounts are whole fen (0.01 元) and at most 40 digits",
                    )
                    return t.ANY
                return t.MONEY
            case s.RateLit(number=n) | s.DurationLit(number=n) | s.NumberLit(number=n) if (
                n.adjusted() >= MAX_DIGITS
            ):
                self.report(
                    "E226",
                    f"a number of more than {MAX_DIGITS} digits",
                    e.span,
                    "numbers, like amounts, have at most 40 digits",
                )
                return t.ANY
            case s.RateLit():
                return t.RATE
            case s.DurationLit(unit=u):
                return t.duration(u)
            case s.NumberLit():
                return t.NUMBER
            case s.DateLit():
                return t.DATE
            case s.BoolLit():
                return t.BOOL
            case s.StringLit():
                return t.TEXT
            case s.Name():
                return self._name(e, usage)
            case s.SetLit(items=items):
                types = [self.value_of(i, usage, "a set's item") for i in items]
                elem = next((x for x in types if x != t.ANY), t.ANY)
                for item, x in zip(items, types, strict=True):
                    if not t.comparable(x, elem):
                        self.report(
                            "E222",
                            f"a set mixes {elem.describe()} and {x.describe()}",
                            item.span,
                            None,
                        )
                return t.set_of(elem)
            case s.Call():
                return self._call(e, usage)
            case s.BinOp(op=op, left=a, right=b):
                return self._binary(op, a, b, e.span, usage)
            case s.Of(rate=r, base=b):
                rt, bt = self.value_of(r, usage, "`of`"), self.value_of(b, usage, "`of`")
                if t.ANY in (rt, bt):
                    return t.ANY
                # A number too: a quotient such as `1 / 3 of base` (三分之一).
                if rt.kind not in ("rate", "number") or bt.kind not in ("money", "number"):
                    self.report(
                        "E204",
                        f"`of` takes a rate of an amount, not {rt.describe()} of {bt.describe()}",
                        e.span,
                        "write e.g. `30% of engineering_investment`",
                    )
                    return t.ANY
                if isinstance(r, s.NumberLit) and r.number > 1:
                    # `50 of rent_paid` meant 50%: it pays 50 times the base.
                    self.report(
                        "E245",
                        f"`{r.number} of {short_name(b)}` is {r.number} times {short_name(b)}: a "
                        "number before `of` is a fraction of the base, such as "
                        f"`1 / 3 of {short_name(b)}`",
                        r.span,
                        f"write the share as a rate: `{r.number}% of {short_name(b)}`; a "
                        f"multiple as a product: `{r.number} × {short_name(b)}`",
                    )
                    return t.ANY
                return bt
            case s.Compare(op=op, left=a, right=b):
                # a misspelt member on either side is told against the other side's enum
                at = t.ANY if self._unresolved(a) else self.type_of(a, usage)
                bt = self._operand(b, at, usage)
                at = self._operand(a, bt, usage) if self._unresolved(a) else at
                if not t.comparable(at, bt):
                    self.report(
                        "E204",
                        f"cannot compare {at.describe()} with {bt.describe()}",
                        e.span,
                        quoted_member(self.policy, a, b, at, bt) or unit_hint(at, bt),
                    )
                elif op not in ("=", "!=") and at.kind in ("bool", "enum", "set", "text"):
                    self.report(
                        "E204", f"`{op}` does not order {at.describe()}", e.span, "use `=` or `!=`"
                    )
                return t.BOOL
            case s.And(left=a, right=b) | s.Or(left=a, right=b):
                self.expect(a, t.BOOL, usage, "each side of `and`/`or`")
                self.expect(b, t.BOOL, usage, "each side of `and`/`or`")
                return t.BOOL
            case s.Not(operand=a):
                self.expect(a, t.BOOL, usage, "what `not` negates")
                return t.BOOL
            case s.Neg(operand=a):
                at = self.value_of(a, usage, "`-`")
                if at.kind not in ("money", "number", "rate", "duration", "any"):
                    self.report("E204", f"cannot negate {at.describe()}", e.span, None)
                return at
            case s.InSet(element=a, container=c):
                at = self.type_of(a, usage)
                if self._unresolved(c) and (hint := in_force_slip(c)) is not None:
                    self.report("E203", f"unknown fact '{short_name(c)}'", c.span, hint)
                    return t.BOOL
                if at.kind == "enum" and isinstance(c, s.SetLit):
                    c = self._members_of(at, c)
                ct = self.value_of(c, usage, "`in`")
                if ct.kind not in ("set", "list", "any"):
                    self.report(
                        "E204",
                        f"`in` needs a set, not {ct.describe()}",
                        c.span,
                        "write `x in {a, b}`",
                    )
                elif ct.element is not None and not t.comparable(at, ct.element):
                    self.report(
                        "E204", f"{at.describe()} cannot be in a {ct.describe()}", e.span, None
                    )
                return t.BOOL
            case s.InForce(operand=a):
                self.expect(a, t.DATE, usage, "what is `in force`", none_ok=True)
                if self.document is not None and self.document.valid_from is None:
                    self.report(
                        "E219",
                        f"document {self.document.name} has no validity",
                        e.span,
                        "add `valid from DATE [to DATE]` to the document",
                    )
                return t.BOOL
            case s.TableAt(table=name, key=k):
                table = self.table_type(e, name, usage)
                self._table_key(table, k, usage)
                return table.element or t.ANY if table != t.ANY else t.ANY
            case s.Reaches(operand=k, table=name):
                self._table_key(self.table_type(e, name, usage), k, usage)
                return t.BOOL
            case s.IfExpr(cond=c, then=a, else_=b):
                self.expect(c, t.BOOL, usage, "an `if` condition")
                at, bt = self.type_of(a, usage), self.type_of(b, usage)
                if not t.comparable(at, bt):
                    self.report(
                        "E204",
                        f"`then` gives {at.describe()} but `else` gives {bt.describe()}",
                        e.span,
                        None,
                    )
                got = at if at != t.ANY else bt
                return attrs.evolve(got, nullable=at.nullable or bt.nullable)
            case s.IsNone(operand=a):
                self._nullable(a, self.type_of(a, usage), "is none")
                return t.BOOL
            case s.Otherwise(value=a, default=b):
                at, bt = self.type_of(a, usage), self.type_of(b, usage)
                self._nullable(a, at, "otherwise")
                if not t.comparable(at, bt):
                    self.report(
                        "E284",
                        f"`otherwise` gives {bt.describe()} where {short_name(a)} is"
                        f" {attrs.evolve(at, nullable=False).describe()}",
                        b.span,
                        unit_hint(at, bt),
                    )
                got = at if at != t.ANY else bt
                return attrs.evolve(got, nullable=bt.nullable)
            case s.Progressive():
                return self._progressive(e, usage)
        raise TypeError(f"not an expression: {e!r}")  # pragma: no cover

    def _nullable(self, e: s.Expr, got: t.Type, word: str) -> None:
        """E283 where ``e`` can never be none, so ``is none``/``otherwise`` means nothing."""
        if not got.nullable and got != t.ANY:
            self.report(
                "E283",
                f"`{word}` on {short_name(e)}, which is never none ({got.describe()})",
                e.span,
                "declare the fact `T or none` if a firm may state that it does not exist",
            )

    def _define(self, e: s.Name, name: str, usage: Usage) -> t.Type:
        """A define's type where it is used: its expression typed in this scope."""
        info = self.policy.define(name)
        assert info is not None
        if name in self._defining:
            cycle = " → ".join([*self._defining[self._defining.index(name) :], name])
            self.report(
                "E256",
                f"define '{name}' refers to itself ({cycle})",
                e.span,
                "a define is written in terms of facts and other defines, never itself",
            )
            return t.ANY
        self._defining.append(name)
        try:
            return self.type_of(info.expr, usage)
        finally:
            self._defining.pop()

    def _progressive(self, e: s.Progressive, usage: Usage) -> t.Type:
        """``progressive BASE band up to L pays R … [band above pays R]``: money bands of money."""
        base = self.value_of(e.base, usage, "`progressive`")
        if base.kind not in ("money", "any"):
            self.report(
                "E261",
                f"`progressive` divides an amount of money into bands, not {base.describe()}",
                e.base.span,
                "write e.g. `progressive investment band up to 1000 万元 pays 10% "
                "band above pays 5%`",
            )
        for i, band in enumerate(e.bands):
            if band.limit is None and i != len(e.bands) - 1:
                self.report(
                    "E261",
                    "`band above` is the last band",
                    band.span,
                    "list the bands from the lowest up; `band above` takes the rest",
                )
            if band.limit is not None:
                lim = self.value_of(band.limit, usage, "a band's limit")
                if lim.kind not in ("money", "any"):
                    self.report(
                        "E261",
                        f"a band's limit is money, not {lim.describe()}",
                        band.limit.span,
                        "write `band up to 1000 万元 pays 10%`",
                    )
            rate = self.value_of(band.rate, usage, "a band's rate")
            if rate.kind not in ("rate", "any"):
                self.report(
                    "E261",
                    f"a band's rate is a rate, not {rate.describe()}",
                    band.rate.span,
                    "write the rate in %: `pays 10%`",
                )
        self._bands_rise(e)
        return t.MONEY

    def _bands_rise(self, e: s.Progressive) -> None:
        """E261 where a band's limit written as an amount is not above every earlier one so
        written: the bands would never rise, whatever a limit given by a parameter is (at
        run time such bands leave the decision unknown, E417)."""
        highest: Money | None = None
        for band in e.bands:
            lim = band.limit
            if not isinstance(lim, s.MoneyLit) or lim.unit in UNITS:  # (元 units only)
                continue
            fen = Money.of(lim.number, lim.unit)
            if highest is not None and fen <= highest:
                self.report(
                    "E261",
                    f"the bands' limits rise from the lowest: {fen.format_cn()} comes after "
                    f"{highest.format_cn()}",
                    lim.span,
                    "list the bands from the lowest limit up, `band above` last",
                )
            if highest is None or fen > highest:
                highest = fen

    def table_type(self, e: s.TableAt | s.Reaches, name: str, usage: Usage) -> t.Type:
        """The type of the table ``name`` (declared, or a parameter of table type)."""
        if (table := self.policy.table(name)) is not None:
            return t.table_of(table.key, table.value)
        p = self.policy.parameter(name)
        if p is not None and p.type.kind == "table":
            usage.parameters.add(name)
            return p.type
        tables = [x.name for x in self.policy.tables]
        tables += [x.name for x in self.policy.parameters if x.type.kind == "table"]
        self.report(
            "E203",
            f"unknown table '{name}'",
            e.name_span or e.span,
            did_you_mean(name, tables) or "declare it: `table NAME: K to V` with its rows",
        )
        return t.ANY

    def _table_key(self, table: t.Type, k: s.Expr, usage: Usage) -> None:
        got = self.value_of(k, usage, "a table's key")
        want = table.key or t.ANY
        if table != t.ANY and not t.comparable(got, want):
            self.report(
                "E204",
                f"the table's keys are {want.describe()}, not {got.describe()}",
                k.span,
                unit_hint(want, got),
            )

    def _members_of(self, enum: t.Type, c: s.SetLit) -> s.SetLit:
        """Report names in ``{...}`` that are not members of ``enum``; the set without them."""
        info = self.policy.enum(enum.name or "")
        members = info.member_names if info else ()
        unknown = [
            x
            for x in c.items
            if isinstance(x, s.Name) and self.policy.resolve(x.parts, self.scope) is None
        ]
        for x in unknown:
            self.report(
                "E203",
                f"'{x.dotted}' is not a member of {enum.name}",
                x.span,
                did_you_mean(x.dotted, members) or f"one of: {', '.join(members)}",
            )
        return attrs.evolve(c, items=tuple(x for x in c.items if x not in unknown))

    def _name(self, e: s.Name, usage: Usage, want: t.Type = t.ANY) -> t.Type:
        """The type of the name ``e``; where it is unknown, E203 offers first the names of
        type ``want``, the position's (a date for `in force`: `approv` is `approved_on`, not
        the member `approval`)."""
        r = self.policy.resolve(e.parts, self.scope)
        if r is None:
            what = "fact" if len(e.parts) == 1 else "name"
            typed = self.policy.names_of_type(self.scope, want) if want != t.ANY else []
            hint = did_you_mean(e.dotted, typed) or did_you_mean(
                e.dotted, self.policy.names_in_scope(self.scope)
            )
            if hint is None and self.scope is None:
                hint = "facts are read in a provision with `for each ENTITY`"
            elif hint is None:
                hint = self._elsewhere(e)
            self.report("E203", f"unknown {what} '{e.dotted}'", e.span, hint)
            return t.ANY
        if r.kind == "define":
            return self._define(e, r.name, usage)
        if r.kind == "fact":
            usage.facts.add(r.name)
        elif r.kind == "parameter":
            usage.parameters.add(r.name)
        elif r.kind == "assumption":
            usage.assumptions.add(r.name)
        return r.type

    def _unresolved(self, e: s.Expr) -> bool:
        return isinstance(e, s.Name) and self.policy.resolve(e.parts, self.scope) is None

    def _operand(self, e: s.Expr, other: t.Type, usage: Usage) -> t.Type:
        """The type of a compared ``e``; a name known to nothing but close to a member of
        the enum ``other`` is told so (E203), and taken as that enum."""
        slip = misspelt_member(self.policy, e, other) if isinstance(e, s.Name) else None
        if slip is None or not self._unresolved(e):
            return self._name(e, usage, other) if isinstance(e, s.Name) else self.type_of(e, usage)
        self.report("E203", slip[0], e.span, slip[1])
        return other

    def _elsewhere(self, e: s.Name) -> str | None:
        """Where a fact the subject cannot read is declared (a new author's trial: a firm's
        award reading a product's `sales` was told only "unknown fact")."""
        name = e.parts[-1]
        if len(e.parts) > 2:
            return None
        owners = [
            ent.name
            for ent in self.policy.entities
            if ent.fact(name) is not None and (len(e.parts) == 1 or ent.name == e.parts[0])
        ]
        if not owners:
            return None
        return (
            f"{name} is a fact of {', '.join(owners)}; a provision `for each {self.scope}` "
            f"reads the facts of {self.scope} and of the entities that own it"
        )

    def _binary(self, op: str, a: s.Expr, b: s.Expr, span: Span | None, usage: Usage) -> t.Type:
        what = f"`{op}`"
        at, bt = self.value_of(a, usage, what), self.value_of(b, usage, what)
        got = t.binary_type(op, at, bt)
        if got is None:
            hint = unit_hint(at, bt)
            if op == "-" and isinstance(a, s.RateLit) and isinstance(b, s.Of):
                hint = "a range (10%—30%) is written with `to`: `amount 10% to 30% of BASE`"
            self.report(
                "E204", f"cannot {verb(op)} {at.describe()} and {bt.describe()}", span, hint
            )
            return t.ANY
        return got
