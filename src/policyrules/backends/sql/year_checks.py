"""The batch's E349 check: a one-time award's earlier grant recorded in another year than
the registry's facts give its subject (the one-by-one path: :mod:`policyrules.ledger_years`).

For each award with ``once per E`` and a yearly cap with ``per``, one query over the award's
rows (the first step's SELECT, computed again from the input tables) joined to the
``ledger`` table on the provision and the subject's whole path: the grants above 0.00 元
whose ``year`` differs from the year the row computes (known).  The engine runs it before
the plan (:func:`policyrules.batch.run_batch`, Spark's ``run_batch_spark``); any row
refuses the batch, as the one-by-one path refuses the firm.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from .award_steps import AwardSteps
from .awards import col, lit, num
from .sqlbits import alias as _alias
from .sqlbits import all_of, not_null

__all__ = ["YEAR_CHECK_COLUMNS", "year_check"]

# After the subject's ids (``e_<entity>`` of its chain, in order): these.
YEAR_CHECK_COLUMNS = ("amount", "was", "now")


def year_check(aw: AwardSteps) -> exp.Select | None:
    """The query finding ``aw``'s earlier grants in another year than the rows give them:
    columns ``e_<entity>`` (the subject's chain), ``amount`` (fen), ``was`` (the grant's
    year), ``now`` (the row's); ``None`` when the award is not a one-time award with a
    yearly cap."""
    if not aw.p.once or not aw.years or aw.rows_select is None:
        return None
    cap = aw.years[-1]  # the year a grant records: the last yearly cap's (as claims.py)
    rows = aw.rows_select.copy()
    names = [e.name for e in aw.chain]
    now = aw._year(cap)
    on: list[exp.Expr] = [exp.EQ(this=col("provision", "l"), expression=lit(aw.p.id))]
    on += [exp.EQ(this=col(n, "l"), expression=col(f"e_{n}", "r")) for n in names]
    on += [exp.Is(this=col(n, "l"), expression=exp.Null()) for n in aw.entities if n not in names]
    on.append(exp.GT(this=col("amount", "l"), expression=num(0)))
    sub = exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier("r", quoted=True)))
    led = _alias(exp.to_table("ledger", quoted=True), "l", quoted=True)
    return (
        exp.select(
            *(_alias(col(f"e_{n}", "r"), f"e_{n}", quoted=True) for n in names),
            _alias(col("amount", "l"), "amount", quoted=True),
            _alias(col("year", "l"), "was", quoted=True),
            _alias(now.copy(), "now", quoted=True),
        )
        .from_(sub, copy=False)
        .join(led, on=all_of(*on), join_type="inner", copy=False)
        .where(
            all_of(
                not_null(now.copy()),
                not_null(col("year", "l")),
                exp.NEQ(this=col("year", "l"), expression=now.copy()),
            ),
            copy=False,
        )
    )
