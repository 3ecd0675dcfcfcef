"""Quotas in SQL: ``quota N ranked by F`` (择优支持不超过 N 个) over the whole registry.

The one-by-one path (:func:`policyrules.backends.python.tiers.quota_check`) reads the ranks
of every subject of the evaluation as one ranking; the batch reads the whole registry the
same way: one window over the provision's rows (every subject, eligible or not, as
``quota_ranks`` counts them).  For a subject of rank r, ``qb`` counts the subjects ranked
better (r' < r: ``RANK() − 1`` with unknown ranks last) and ``qt`` those ranked r (itself
included).  Then, as one by one:

* r ≤ N and qb + qt ≤ N: within the quota (the conditions decide);
* r ≤ N and qb < N < qb + qt: a tie at the boundary, undecided (E418) — never a silent
  pick; the decision is unknown, listing the conditions' missing facts if they miss some
  (``st`` = ``tie`` otherwise: unknown, missing nothing, the amount not read);
* otherwise outside the quota: not eligible, whatever the other conditions still miss;
* an unknown rank: unknown until ranked, the rank's facts listed as missing;
* within the quota only while the ``qu`` subjects not yet ranked all rank below it (qb + qt
  ≤ N < qb + qt + qu): unknown, the rank's fact listed as missing (:func:`quota_open`) —
  any of them may be ranked first, so a missing rank never leaves another subject's award
  exact when it could undo it.

A false condition decides before the quota, and an undecided one leaves the decision
unknown before the quota is read (``_Run.decide``).
"""

from __future__ import annotations

import sqlglot.expressions as exp

from ... import syntax as s
from ...check_tables import quota_of
from ...model import ProvisionInfo
from .exprs import ExprCompiler
from .sqlbits import BIGINT, all_of, any_of, case, is_null, negate, not_null, par, status
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue
from .trees import table

__all__ = ["quota_counts", "quota_open", "quota_rank", "quota_status", "quota_tie"]


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def quota_rank(ec: ExprCompiler, p: ProvisionInfo) -> SqlValue | None:
    """The rank fact of ``p``'s quota as a value of its rows (column ``qr``), or None."""
    q = quota_of(p)
    if q is None:
        return None
    rank = ec.compile(s.Name((q.rank,)))
    assert rank.none is None  # a rank that may be none is E282 when checked
    return rank


def quota_counts(rows: str) -> exp.Select:
    """The rows of step ``rows`` with ``qb`` (subjects ranked better), ``qt`` (ranked the
    same, itself included) and ``qu`` (subjects not yet ranked): windows over the whole
    provision."""
    rank = _col("qr")
    # Unknown ranks last whatever an engine's default order of NULLs: they are never ranked.
    ordered = exp.Order(
        expressions=[
            exp.Ordered(this=is_null(rank), desc=False, nulls_first=False),
            exp.Ordered(this=rank.copy(), desc=False, nulls_first=False),
        ]
    )
    better = exp.Sub(
        this=exp.Window(this=exp.Anonymous(this="RANK", expressions=[]), order=ordered),
        expression=exp.Literal.number(1),
    )
    tied = exp.Window(this=exp.Count(this=_col("qr")), partition_by=[_col("qr")])
    one = case([(is_null(_col("qr")), exp.Literal.number(1))], exp.Literal.number(0))
    unranked = exp.Window(this=exp.Sum(this=one))
    return exp.select(
        exp.Star(),
        _alias(_cast(better, BIGINT), "qb", quoted=True),
        _alias(_cast(tied, BIGINT), "qt", quoted=True),
        _alias(_cast(unranked, BIGINT), "qu", quoted=True),
    ).from_(table(rows), copy=False)


def quota_open(p: ProvisionInfo) -> exp.Expr:
    """True on a row of ``p`` within the quota only if every subject not yet ranked ranks
    below it (qb + qt ≤ N < qb + qt + qu): unknown until they are ranked, as
    ``tiers.quota_check``."""
    q = quota_of(p)
    assert q is not None
    n = exp.Literal.number(q.count)
    rank = _col("qr")
    both = exp.Add(this=_col("qb"), expression=_col("qt"))
    every = exp.Add(this=par(both.copy()), expression=_col("qu"))
    return all_of(
        not_null(rank),
        exp.LTE(this=par(rank.copy()), expression=n.copy()),
        exp.LTE(this=par(both), expression=n.copy()),
        exp.LT(this=n.copy(), expression=par(every)),
    )


def quota_tie(p: ProvisionInfo) -> exp.Expr:
    """True on a row of ``p`` whose rank ties across the quota's boundary (E418): undecided,
    so, as one by one, it holds nothing in a shared cap (an undecided claim never does)."""
    q = quota_of(p)
    assert q is not None
    n = exp.Literal.number(q.count)
    rank = _col("qr")
    both = exp.Add(this=_col("qb"), expression=_col("qt"))
    return all_of(
        not_null(rank),
        exp.LTE(this=par(rank.copy()), expression=n.copy()),
        exp.LT(this=_col("qb"), expression=n.copy()),
        exp.LT(this=n.copy(), expression=par(both)),
    )


def quota_status(p: ProvisionInfo, rest: exp.Expr) -> exp.Expr:
    """``st`` of an award with a quota: ``st0`` (the conditions) then the quota, then
    ``rest`` (the status when the quota admits the subject and the conditions hold)."""
    q = quota_of(p)
    assert q is not None
    n = exp.Literal.number(q.count)
    st0 = _col("st0")
    rank = _col("qr")
    known = not_null(rank)
    within = exp.LTE(this=par(rank.copy()), expression=n.copy())
    both = exp.Add(this=_col("qb"), expression=_col("qt"))
    fits = all_of(known, within, exp.LTE(this=par(both), expression=n.copy()))
    tie = quota_tie(p)
    unknown = exp.EQ(this=st0.copy(), expression=status("unknown"))
    return case(
        [
            (
                exp.In(
                    this=st0.copy(),
                    expressions=[status("no"), status("undecided")],
                ),
                st0.copy(),
            ),
            (
                tie,
                case([(unknown, status("unknown"))], status("tie")),
            ),
            (all_of(not_null(rank.copy()), negate(fits)), status("no")),
            (any_of(unknown.copy(), is_null(rank.copy())), status("unknown")),
            (quota_open(p), status("unknown")),
        ],
        rest,
    )
