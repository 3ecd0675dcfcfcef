"""Tier tables in SQL, and the refusal of the tier reading the batch does not compile.

A tier table read (``T[x]``, ``x reaches T``, :class:`TierReads`) is a CASE over its rows,
bound when compiling (a declared table, or a table parameter the caller gives: unset, the
value is unknown and misses ``parameter T``): the highest threshold not above ``x`` (首次
突破 X: X itself reaches the tier), or the member's row.  ``T[x]`` below every tier is
undecided (E418), as the one-by-one path.

Refused, each located:

* E612 — a tier reading ``tiers by R`` whose value is ``highest_only`` (it needs the tier
  of each grant in the ledger; ``top_up``, 晋档补差, is the entitlement the batch computes:
  the new tier's amount less what was granted before), or a table read of a key that may
  be none.

Quotas (``quota N ranked by F``) compile: :mod:`.quotas`.  The batch refuses such a policy
before anything runs; ``policy.evaluate`` computes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot.expressions as exp

from ... import syntax as s
from ... import types as t
from ...errors import Diagnostic
from ...model import CheckedPolicy, ProvisionInfo, TierRow
from ...runtime.values import Value
from .plan import ONE_BY_ONE, BatchCompileError
from .sqlbits import all_of, any_of, case, is_null, literal, not_null, null_of, par
from .sqlvalue import SqlValue

__all__ = ["TierReads", "refuse_tiers"]


def refuse_tiers(p: ProvisionInfo, assumptions: Mapping[str, Value]) -> None:
    """:raises BatchCompileError: (E612) if ``p`` reads its tiers ``highest_only``, naming
    the construct, the provision and where it is written."""
    st = p.tiers
    if st is not None and assumptions.get(st.assumption) == "highest_only":
        what = f"the tier reading `tiers by {st.assumption}` (highest_only)"
        raise _refuse("E612", p, what, st)


class TierReads:
    """``T[x]`` and ``x reaches T`` (a mixin of the expression compiler)."""

    policy: CheckedPolicy
    parameters: Mapping[str, Value]
    where: str

    def compile(self, e: s.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def strict(self, e: s.Expr, vals: list[SqlValue], value: exp.Expr) -> SqlValue:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def type_of(self, e: s.Expr) -> t.Type:
        raise NotImplementedError  # pragma: no cover - the compiler defines it

    def tier(self, e: s.Expr, name: str, key: s.Expr, *, value: bool) -> SqlValue:
        table = self.policy.table(name)
        param = self.policy.parameter(name)
        ktype = table.key if table is not None else (param.type.key if param else None)
        assert ktype is not None  # checked
        ty = self.type_of(e)
        x = self.compile(key)
        assert x.none is None  # a key that may be none is E282 when checked
        rows = table.rows if table is not None else self.parameters.get(name)
        if rows is None:  # a table left to implementing rules, not given: unknown
            missing = ((f"parameter {name}", exp.Boolean(this=True)),)
            out = self.strict(e, [x], null_of(ty))
            return SqlValue(out.value, ty, (*out.missing, *missing), out.used, out.undecided)
        assert isinstance(rows, tuple)
        found = self._found(x, rows, ktype, value, ty)
        out = self.strict(e, [x], found)
        if not value:
            return out
        # Below every tier: E418, undecided (the checker makes `reaches` guard the read).
        below = all_of(not_null(x.value), is_null(found))
        und = below if out.undecided is None else any_of(out.undecided, below)
        return SqlValue(out.value, ty, out.missing, out.used, und)

    def _found(
        self, x: SqlValue, rows: tuple[TierRow, ...], ktype: t.Type, value: bool, ty: t.Type
    ) -> exp.Expr:
        whens: list[tuple[exp.Expr, exp.Expr]] = []
        order = list(enumerate(rows)) if ktype.kind == "enum" else list(enumerate(rows))[::-1]
        for _, r in order:
            k = literal(r.key, ktype, self.where)
            if ktype.kind == "enum":
                hit: exp.Expr = exp.EQ(this=par(x.value), expression=k)
            else:  # the highest threshold not above x
                hit = exp.GTE(this=par(x.value), expression=k)
            got = literal(r.value, ty, self.where) if value else exp.Boolean(this=True)
            whens.append((hit, got))
        miss = null_of(ty) if value else exp.Boolean(this=False)
        return case([(x.unknown(), null_of(ty if value else t.BOOL)), *whens], miss)


def _refuse(code: str, p: ProvisionInfo, what: str, node: s.Node) -> BatchCompileError:
    return BatchCompileError(
        Diagnostic(
            code, f"{p.id}: {what} cannot be compiled to SQL yet", node.span, hint=ONE_BY_ONE
        )
    )
