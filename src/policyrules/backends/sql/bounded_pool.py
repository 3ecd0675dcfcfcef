"""A shared cap's window when a claim of it has bounds (a range, a minimum, a rounding).

The one-by-one path serves the claims of a shared cap one after another
(:func:`policyrules.backends.python.claims.apply_caps`): with E the earlier exact grants
and P the upper bounds of the earlier claims that are not exact (both within this
evaluation, the ledger already taken from the room R = limit − ledger), a claim gets

* ``hi`` = (R − E)⁺, its amount a = min(r, hi) (r: its amount after every other cap);
* ``lo`` = (R − E − P)⁺, its lower bound min(f, lo, a) (f: its lower bound after the
  other caps);

and it is exact when its lower bound equals a — then a joins E, else P.  Whether a claim
counts as paid (E) or pending (P) so depends on its own result; the rule still has a
closed form as a window, because E + P, the total T every claim adds a to, is simple:

* while every earlier claim fitted (r ≤ R − T before it), T is the running sum C of r,
  a = r, and a claim is exact exactly when it is a *point* (f ≥ r: nothing undecided
  below what it is paid), so E is the running sum of the points' r;
* the first claim s that does not fit (r > R − C, or no r) gets hi = (R − E)⁺ and lo =
  (R − C)⁺ like those before it; after it T ≥ R, so every later claim sees lo = 0, is
  exact only when paid 0.00 元, and E stays E' = E(s) + a(s) if s was exact, else E(s):
  later claims get hi = (R − E')⁺.

A claim that can never be exact (its amount or a cap's limit unknown, nothing missing
aside) has no f (NULL).  For claims without bounds (f = r whenever certain) this is the
rule of :func:`.awards.window_steps` too.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from .awards import col, greatest, least_known, num
from .plan import Step
from .sqlbits import BIGINT, all_of, any_of, case, is_null, negate, not_null
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .trees import table

__all__ = ["bounded_window", "floor_column"]


def _t(name: str) -> exp.Table:
    return table(name)


def bounded_window(
    name: str,
    union: exp.Expr,
    part_by: list[exp.Expr],
    order: list[exp.Ordered],
    ids: list[str],
    *,
    ghosts: bool = False,
) -> list[Step]:
    """The steps of the window (see the module) over the claims ``union`` (columns ``ids``,
    ``room``, ``rstar``, ``fstar``, the partition ``part_by`` and order keys), the last
    one named ``name`` with ``ids``, ``hi`` and ``lo``; ``ghosts``: rows have a column
    ``gw``, true for a claim of unknown year held in this year (a ghost, :mod:`.ghosts`: no
    lower bound, ``fstar`` NULL), which yields no row."""
    spec = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")

    def running(fn: exp.Expr) -> exp.Window:
        return exp.Window(
            this=fn,
            partition_by=[p.copy() for p in part_by],
            order=exp.Order(expressions=[o.copy() for o in order]),
            spec=spec.copy(),
        )

    def whole(fn: exp.Expr) -> exp.Window:
        return exp.Window(this=fn, partition_by=[p.copy() for p in part_by])

    def before(value: exp.Expr) -> exp.Expr:
        """The sum of ``value`` over the earlier claims of the partition (NULL as 0)."""
        total = exp.Coalesce(this=running(exp.Sum(this=value)), expressions=[num(0)])
        return exp.Sub(this=total, expression=exp.Coalesce(this=value.copy(), expressions=[num(0)]))

    b0, b1, b2 = (f"{name}_b{i}" for i in range(3))
    point = case(
        [
            (
                all_of(
                    not_null(col("fstar")),
                    not_null(col("rstar")),
                    exp.GTE(this=col("fstar"), expression=col("rstar")),
                ),
                col("rstar"),
            )
        ],
        _cast(exp.Null(), BIGINT),
    )
    first = exp.select(
        "*",
        _alias(
            exp.Window(
                this=exp.RowNumber(),
                partition_by=[p.copy() for p in part_by],
                order=exp.Order(expressions=[o.copy() for o in order]),
            ),
            "rn",
            quoted=True,
        ),
        _alias(before(col("rstar")), "cc", quoted=True),
        _alias(before(point), "ee", quoted=True),
    ).from_(_t(f"{name}_w0"), copy=False)
    overflow = any_of(
        is_null(col("rstar")),
        exp.GT(this=col("rstar"), expression=exp.Sub(this=col("room"), expression=col("cc"))),
    )
    second = exp.select(
        "*",
        _alias(exp.Sub(this=col("room"), expression=col("ee")), "r_e", quoted=True),
        _alias(whole(exp.Min(this=case([(overflow, col("rn"))], exp.Null()))), "s", quoted=True),
    ).from_(_t(b0), copy=False)
    hi_s = greatest(col("r_e"), num(0))
    lo_s = greatest(exp.Sub(this=col("room"), expression=col("cc")), num(0))
    a_s = least_known(col("rstar"), hi_s)
    exact_s = all_of(
        not_null(col("fstar")),
        exp.LTE(this=a_s.copy(), expression=col("fstar")),
        exp.LTE(this=a_s.copy(), expression=lo_s.copy()),
    )
    e_after = exp.Add(this=col("ee"), expression=case([(exact_s, a_s.copy())], num(0)))
    at_s = exp.EQ(this=col("rn"), expression=col("s"))
    third = exp.select(
        "*",
        _alias(whole(exp.Max(this=case([(at_s, e_after)], exp.Null()))), "es", quoted=True),
    ).from_(_t(b1), copy=False)
    early = any_of(is_null(col("s")), exp.LTE(this=col("rn"), expression=col("s")))
    last = exp.select(
        *(col(i) for i in ids),
        _alias(
            case(
                [(early, hi_s.copy())],
                greatest(exp.Sub(this=col("room"), expression=col("es")), num(0)),
            ),
            "hi",
            quoted=True,
        ),
        _alias(case([(early.copy(), lo_s.copy())], num(0)), "lo", quoted=True),
    ).from_(_t(b2), copy=False)
    if ghosts:
        last = last.where(negate(col("gw")), copy=False)
    return [(f"{name}_w0", union), (b0, first), (b1, second), (b2, third), (name, last)]


def floor_column(bounded: bool, caps_known: list[exp.Expr], rstar: exp.Expr) -> exp.Expr:
    """``fstar`` of a claim's rows (columns ``cert``, ``lb``): its lower bound before its
    shared cap, NULL when it can never be exact — its amount after the other caps
    (``rstar``) when certain; with bounds (every cap's limit and year known), the least of
    its lower bound ``lb`` and that amount."""
    certain = case([(col("cert"), rstar.copy())], _cast(exp.Null(), BIGINT))
    if not bounded:
        return certain
    lb = col("lb")
    return case(
        [
            (negate(all_of(*(c.copy() for c in caps_known))), _cast(exp.Null(), BIGINT)),
            (not_null(lb), least_known(lb, rstar)),
        ],
        certain,
    )
