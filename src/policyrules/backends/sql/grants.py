"""The ``grants`` rows of an award: its exact amounts above 0.00 元, appendable to the
ledger (provision, one VARCHAR column per entity, amount_fen BIGINT, year INTEGER).

The amount's column says its unit: a registry's ``ledger`` table reads ``amount`` in 元, as
every money column of a registry, and ``amount_fen`` in fen, so the grants appended to it
as they are written count what was paid (named ``amount``, they counted 100 times it)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot.expressions as exp

from ...model import CheckedPolicy, EntityInfo
from .awards import col, lit, num
from .sqlbits import BIGINT, INTEGER, VARCHAR, all_of, status
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .trees import table

__all__ = ["grant_select", "no_grants"]


def grant_select(
    pid: str, name: str, chain: Sequence[EntityInfo], entities: Sequence[str]
) -> exp.Select:
    """The grants of award ``pid`` from its stored step ``<name>_f`` (the path's ids
    ``e_*``, ``amount``, ``amount_kind``, ``st``, the year ``gy``)."""
    names = {e.name for e in chain}
    cols: list[exp.Expr] = [_alias(lit(pid), "provision", quoted=True)]
    for e in entities:
        value = col(f"e_{e}") if e in names else _cast(exp.Null(), VARCHAR)
        cols.append(_alias(value, e, quoted=True))
    cols.append(_alias(col("amount"), "amount_fen", quoted=True))
    cols.append(_alias(col("gy"), "year", quoted=True))
    cond = all_of(
        exp.EQ(this=col("st"), expression=status("ok")),
        exp.EQ(this=col("amount_kind"), expression=lit("exact")),
        exp.GT(this=col("amount"), expression=num(0)),
    )
    source = table(f"{name}_f")
    return exp.select(*cols).from_(source, copy=False).where(cond, copy=False)


def no_grants(policy: CheckedPolicy) -> exp.Select:
    """An empty grants table of the policy's columns."""
    cols: list[exp.Expr] = [_alias(_cast(exp.Null(), VARCHAR), "provision", quoted=True)]
    cols += [_alias(_cast(exp.Null(), VARCHAR), e.name, quoted=True) for e in policy.entities]
    cols.append(_alias(_cast(exp.Null(), BIGINT), "amount_fen", quoted=True))
    cols.append(_alias(_cast(exp.Null(), INTEGER), "year", quoted=True))
    return exp.select(*cols).where(exp.Boolean(this=False), copy=False)
