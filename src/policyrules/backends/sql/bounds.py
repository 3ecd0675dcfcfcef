"""An award's amount as an interval in SQL: a range, a minimum, a declared rounding, and a
cap whose exceptions may apply — as :mod:`policyrules.backends.python.amounts` and
:mod:`policyrules.backends.python.exceptions` compute them one by one.

:func:`bounded_amount` gives three values for the rows of an award with a range, a minimum
or a rounding: the upper bound ``a`` (BIGINT fen, NULL when unknown), the lower bound
``al`` (NULL when nothing sets one), and ``n``, whose value is NULL exactly when something
the bounds need is missing (its missing facts and parameters, the assumptions read, and
when it is undecided: a decided rate or amount outside the range, E416).

:func:`cap_limit` gives the same three for a cap with ``unless … raise to`` exceptions:
the limit as the upper bound sees it (the highest limit that applies or may apply), the
limit the lower bound sees (the lowest), and the exceptions whose condition is unknown
(their facts are missing; the limit is then "between").  Two exceptions that apply with
different limits are a conflict: undecided (E420), never a silent pick.

:func:`interval_kind` is :func:`policyrules.backends.python.amounts.interval` on columns:
the kind (``exact``, ``range``, ``up_to``, ``unknown``) and the lower bound ``amount_min``.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot.expressions as exp

from ... import syntax as s
from ... import types as t
from ...model import ProvisionInfo
from ...printer import print_expr
from ...runtime.money import Money
from .awards import CapPlan, col, greatest, num
from .compare import money_times
from .exprs import ExprCompiler
from .plan import ONE_BY_ONE, refuse
from .sqlbits import (
    BIGINT,
    Pairs,
    all_of,
    any_of,
    case,
    gate,
    is_bool,
    is_null,
    merge,
    negate,
    not_null,
)
from .sqlbits import cast as _cast
from .sqlvalue import SqlValue, undecided_of

__all__ = [
    "Interval",
    "bounded_amount",
    "cap_limit",
    "interval_columns",
    "interval_kind",
    "low_bound",
    "low_room",
    "refuse_shared",
]

Interval = tuple[SqlValue, SqlValue, SqlValue]  # upper bound, lower bound, what they need


def _null() -> exp.Expr:
    return _cast(exp.Null(), BIGINT)


def _bigger(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """The larger of two known amounts (no engine's NULL rule for GREATEST applies)."""
    return case([(exp.GT(this=a.copy(), expression=b.copy()), a.copy())], b.copy())


def _smaller(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    return case([(exp.LT(this=a.copy(), expression=b.copy()), a.copy())], b.copy())


def _needs(missing: Pairs, used: Pairs, undecided: exp.Expr | None) -> SqlValue:
    """A value NULL exactly when one of ``missing`` holds (so the rows keep its names)."""
    some = any_of(*(w.copy() for _, w in missing)) if missing else exp.Boolean(this=False)
    value = case([(some, exp.Null())], exp.Boolean(this=True))
    return SqlValue(value, t.BOOL, missing, used, undecided)


def _down_to(x: exp.Expr, unit: int) -> exp.Expr:
    """``x`` rounded down (toward zero) to a multiple of ``unit`` fen: ``x − x % unit``
    (``%`` keeps the sign of ``x`` in DuckDB and Spark alike)."""
    rest = exp.Mod(
        this=exp.Paren(this=x.copy()), expression=_cast(exp.Literal.number(unit), BIGINT)
    )
    return exp.Sub(this=exp.Paren(this=x.copy()), expression=exp.Paren(this=rest))


def bounded_amount(ec: ExprCompiler, p: ProvisionInfo) -> Interval:
    """The bounds of award ``p`` before its entitlement and caps (see the module)."""
    missing: list[Pairs] = []
    used: list[Pairs] = []
    und: list[exp.Expr] = []
    r = p.range
    if r is None:
        if p.amount is not None:
            main = ec.compile(p.amount.expr)
        else:
            assert p.decided is not None  # the checker requires an amount
            main = ec.compile(s.Name((p.decided.fact,)))
        high: exp.Expr = main.value.copy()
        low: exp.Expr = main.value.copy()
        missing.append(gate(main.missing, is_null(main.value)))
        used.append(main.used)
        if main.undecided is not None:
            und.append(main.undecided)
    else:
        lo, hi = ec.compile(r.low), ec.compile(r.high)
        base = ec.compile(r.base) if r.base is not None else None
        parts = [lo, hi] + ([base] if base is not None else [])
        if r.decided is not None:
            d = ec.compile(s.Name((r.decided,)))
        else:
            d = SqlValue(_null() if base is None else _cast(exp.Null(), "DECIMAL(38,10)"), t.MONEY)

        def apply(x: SqlValue) -> exp.Expr:
            return x.value.copy() if base is None else money_times(base.value, x.value)

        known = all_of(*(not_null(v.value) for v in parts))
        decided = not_null(d.value)
        outside = all_of(
            decided.copy(),
            known.copy(),
            any_of(
                exp.LT(this=d.value.copy(), expression=lo.value.copy()),
                exp.GT(this=d.value.copy(), expression=hi.value.copy()),
            ),
        )
        high = case([(decided, apply(d)), (known, apply(hi))], _null())
        low = case([(decided.copy(), apply(d)), (known.copy(), apply(lo))], _null())
        missing.append(gate(d.missing, is_null(d.value)))
        for v in (lo, hi):
            missing.append(gate(v.missing, all_of(is_null(d.value), is_null(v.value))))
        if base is not None:  # the base is needed whether or not the rate is decided
            missing.append(gate(base.missing, is_null(base.value)))
        used += [d.used, *(v.used for v in parts)]
        und.append(outside)
        more = undecided_of(d, *parts)
        if more is not None:
            und.append(more)
    if p.rounding is not None:
        unit = Money.of(p.rounding.number, p.rounding.unit).fen
        high = case([(is_null(high), _null())], _down_to(high, unit))
        low = case([(is_null(low), _null())], _down_to(low, unit))
    if p.minimum is not None:
        f = ec.compile(p.minimum.expr)
        fv = f.value
        low = case([(is_null(fv), low), (is_null(low), fv.copy())], _bigger(low, fv))
        high = case([(any_of(is_null(high), is_null(fv)), high)], _bigger(high, fv))
        missing.append(gate(f.missing, is_null(fv)))
        used.append(f.used)
        if f.undecided is not None:
            und.append(f.undecided)
    needs = _needs(merge(*missing), merge(*used), any_of(*und) if und else None)
    return SqlValue(high, t.MONEY), SqlValue(low, t.MONEY), needs


def cap_limit(ec: ExprCompiler, cap: s.Cap, where: str) -> Interval:
    """A cap with exceptions: its limit for the upper bound, for the lower bound, and the
    exceptions that may apply (see the module).

    :raises BatchCompileError: (E616) a raised limit that is not a constant."""
    x = ec.compile(cap.limit)
    raised: list[tuple[SqlValue, exp.Expr]] = []
    for ex in cap.exceptions:
        yv = ec.compile(ex.limit)
        if not yv.const:
            raise refuse(
                "E616",
                f"{where}: the raised limit of `unless {print_expr(ex.condition)} raise to "
                f"{print_expr(ex.limit)}` reads a fact: not compiled to SQL",
                hint=ONE_BY_ONE,
            )
        raised.append((ec.compile(ex.condition), yv.value))
    known = not_null(x.value)
    # Two exceptions that hold with different limits: E420, undecided.
    conflict = any_of(
        *(
            all_of(is_bool(ci.value, True), is_bool(cj.value, True))
            for i, (ci, yi) in enumerate(raised)
            for cj, yj in raised[i + 1 :]
            if yi.sql() != yj.sql()
        )
    )
    settled = case([(is_bool(c.value, True), y) for c, y in raised], x.value)
    high, low = settled, settled.copy()
    for c, y in raised:
        maybe = is_null(c.value)
        high = case([(all_of(maybe, exp.GT(this=y.copy(), expression=high.copy())), y)], high)
        low = case([(all_of(maybe.copy(), exp.LT(this=y.copy(), expression=low.copy())), y)], low)
    high = case([(is_null(x.value), _null())], high)
    low = case([(is_null(x.value), _null())], low)
    und = [u for u in (x.undecided,) if u is not None]
    und += [all_of(known, c.undecided) for c, _ in raised if c.undecided is not None]
    und.append(all_of(known.copy(), conflict))
    limit = SqlValue(high, t.MONEY, x.missing, x.used, any_of(*und))
    waits = merge(*(gate(c.missing, all_of(known, is_null(c.value))) for c, _ in raised))
    used = merge(*(gate(c.used, known) for c, _ in raised))
    return limit, SqlValue(low, t.MONEY), _needs(waits, used, None)


def interval_kind(
    amount: exp.Expr,
    lowest: exp.Expr,
    requested: exp.Expr,
    low: exp.Expr | None,
    ranged: exp.Expr,
    cap_missing: exp.Expr,
    certain: exp.Expr,
) -> tuple[exp.Expr, exp.Expr]:
    """``(amount_kind, amount_min)`` of an award whose amount has bounds or a cap that may
    be raised: as the one-by-one path's ``interval``.  ``amount`` and ``lowest`` are the
    amounts after the caps (upper, and with every cap at its lower limit), ``requested``
    the upper bound before them, ``low`` the lower bound (after what was granted before;
    None: the award has none), ``ranged`` when a cap's exception may apply, ``cap_missing``
    when a cap's limit or year is unknown, ``certain`` the plain rule's certainty."""
    start = low if low is not None else _null()
    interval = all_of(
        not_null(amount),
        any_of(not_null(start), all_of(ranged, not_null(requested))),
    )
    floor0 = case([(is_null(start), requested)], start)
    floor1 = case([(is_null(lowest), amount)], _smaller(floor0, lowest))
    floor = _smaller(floor1, amount)
    zero = _cast(exp.Literal.number(0), BIGINT)
    kind = case(
        [
            (is_null(amount.copy()), exp.Literal.string("unknown")),
            (
                all_of(
                    interval,
                    exp.EQ(this=floor.copy(), expression=amount.copy()),
                    negate(cap_missing),
                ),
                exp.Literal.string("exact"),
            ),
            (
                all_of(interval.copy(), exp.EQ(this=floor.copy(), expression=zero)),
                exp.Literal.string("up_to"),
            ),
            (interval.copy(), exp.Literal.string("range")),
            (
                all_of(certain, exp.EQ(this=lowest.copy(), expression=amount.copy())),
                exp.Literal.string("exact"),
            ),
        ],
        exp.Literal.string("up_to"),
    )
    return kind, floor


def refuse_shared(p: ProvisionInfo, shared: CapPlan | None, raised: bool) -> None:
    """:raises BatchCompileError: (E616) an award with a cap whose limit may be raised
    (``unless … raise to``) under a cap shared with other claims: the running total of
    such a pool would be counted against two limits at once (the upper and the lower
    bound see different rooms), which the pool's window (:mod:`.bounded_pool`) does not
    compute.  A range, a minimum or a rounding under a shared cap compiles (E609 and E610
    are no longer raised)."""
    if shared is None or not raised:
        return
    raise refuse(
        "E616",
        f"{p.id}: a cap with exceptions (`unless … raise to`) in an award under the cap "
        f"shared with other claims `{shared.text}` is not compiled to SQL: its limit is "
        "between two amounts, and the pool's running totals would depend on both",
        hint=ONE_BY_ONE,
    )


def low_bound(low: exp.Expr) -> exp.Expr:
    """The lower bound after what was granted before: ``max(max(low, 0) − before, 0)``."""
    rest = exp.Sub(this=greatest(low, num(0)), expression=col("before"))
    return case([(is_null(low.copy()), _null())], greatest(rest, num(0)))


def low_room(c: CapPlan) -> exp.Expr:
    """The room cap ``c`` leaves at its lowest limit ``m<k>`` (a cap of its own claim)."""
    k = c.index
    m = col(f"m{k}")
    whens: list[tuple[exp.Expr, exp.Expr]] = [(is_null(m), _null())]
    if not c.cap.per:
        return case(whens, greatest(exp.Sub(this=m.copy(), expression=col("before")), num(0)))
    if c.cap.year_of is not None:
        whens.append((is_null(col(f"yr{k}")), greatest(m.copy(), num(0))))
    return case(whens, greatest(exp.Sub(this=m.copy(), expression=col(f"u{k}")), num(0)))


def interval_columns(
    p: ProvisionInfo,
    caps: tuple[CapPlan, ...],
    amount: exp.Expr,
    last: int,
    ref: Callable[[str], exp.Expr] = col,
) -> tuple[exp.Expr, exp.Expr]:
    """The kind and ``amount_min`` of award ``p`` (bounded, or with a cap that may be
    raised) from its running columns (``run_<last>`` = ``amount``, ``low_<last>``);
    ``ref`` reads a column of the rows (a cap's limit ``l<k>`` may be a constant)."""
    ranged = any_of(*(is_null(col(f"x{c.index}")) for c in caps if c.cap.exceptions))
    unknown_caps = [is_null(ref(f"l{c.index}")) for c in caps]
    unknown_caps += [is_null(col(f"yr{c.index}")) for c in caps if c.cap.per and c.cap.year_of]
    kind, floor = interval_kind(
        amount,
        col(f"low_{last}"),
        col("req"),
        col("lb") if p.bounded else None,
        ranged,
        any_of(*unknown_caps),
        col("cert"),
    )
    is_range = exp.EQ(this=kind.copy(), expression=exp.Literal.string("range"))
    return kind, case([(is_range, floor)], _null())
