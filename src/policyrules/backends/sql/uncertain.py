"""The rows of a window's partitions that hold an uncertain claim, taken again from the
window's own rows.

A window carrying its award's rows (:mod:`.pools`) serves most partitions with its
running sum alone (every claim certain: :func:`.awards.window_steps`); the others, usually
none, take the full rule, two windows more over their rows.  Read from the first window's
output, that output has two readers, and DuckDB stores it whole (and computes the grants'
filter there and again in each reader).  Read instead from the window's input rows, the
first window's output streams into its one reader; the partitions are found by the one
column that makes a claim uncertain, ``cert`` false.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from .plan import Step
from .sqlbits import alias, all_of, negate
from .trees import table

__all__ = ["uncertain_rows"]


def _col(name: str, of: str | None = None) -> exp.Column:
    return exp.column(name, table=of, quoted=True)


def uncertain_rows(rows: str, keys: str, out: str, part_by: list[exp.Expr]) -> list[Step]:
    """Steps ``keys`` (each partition of ``rows`` holding a claim with ``cert`` false, by
    its columns ``part_by`` as ``k0``, ``k1``...) and ``out`` (every row of ``rows`` in
    those partitions, with the columns of ``rows``).  A NULL partition key (the year of a
    cap with none) matches NULL, as PARTITION BY groups it.

    :raises ValueError: a partition key that is not a column."""
    names = []
    for p in part_by:
        if not isinstance(p, exp.Column):  # pragma: no cover - window_order gives columns
            raise ValueError(f"partition key {p.sql()} is not a column")
        names.append(p.name)
    found = (
        exp.select(*(alias(_col(n), f"k{i}", quoted=True) for i, n in enumerate(names)))
        .distinct()
        .from_(table(rows), copy=False)
        .where(negate(_col("cert")), copy=False)
    )
    on = all_of(
        *(
            exp.NullSafeEQ(this=_col(n, "w"), expression=_col(f"k{i}", "u"))
            for i, n in enumerate(names)
        )
    )
    taken = (
        exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("w", quoted=True)))
        .from_(alias(table(rows), "w", quoted=True), copy=False)
        .join(alias(table(keys), "u", quoted=True), on=on, copy=False)
    )
    return [(keys, found), (out, taken)]
