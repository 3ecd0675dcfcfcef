"""The SQL form of one expression: its value, type, missing facts, assumptions used, when
it is undecided and when it is none (see :mod:`policyrules.backends.sql.exprs`)."""

from __future__ import annotations

import attrs
import sqlglot.expressions as exp

from ... import types as t
from .sqlbits import Pairs, all_of, any_of, is_null, is_true, negate

__all__ = ["SqlValue", "undecided_of"]


@attrs.frozen
class SqlValue:
    """An expression in SQL: ``value`` (NULL when unknown), its type, when it is missing
    which facts (only read when ``value`` is NULL), which assumptions it reads and when,
    and when it is undecided (``None``: never)."""

    value: exp.Expr
    type: t.Type
    missing: Pairs = ()
    used: Pairs = ()
    undecided: exp.Expr | None = None
    none: exp.Expr | None = None  # when the value is none (a fact `T or none`); NULL value

    def unknown(self) -> exp.Expr:
        """When the value is unknown: NULL, and not none."""
        null = is_null(self.value)
        return null if self.none is None else all_of(null, negate(self.none))

    @property
    def const(self) -> bool:
        return isinstance(self.value, exp.Literal | exp.Boolean | exp.Cast | exp.Array) and all(
            is_true(w) for _, w in self.missing
        )


def undecided_of(*vals: SqlValue) -> exp.Expr | None:
    """When any of ``vals`` is undecided (``None``: never)."""
    conds = [v.undecided for v in vals if v.undecided is not None]
    return any_of(*conds) if conds else None
