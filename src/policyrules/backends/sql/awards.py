"""Awards in SQL: entitlements and caps against the ledger, ordered caps as windows.

The one-by-one path serves the claims of a pool one after another (``award.Awards.award``):
each cap, in the order written, takes the amount to the least of it and the cap's remaining
room; ``running`` counts earlier undecided (up to) claims as nothing, ``lowest`` as paid in
full; a claim is exact when its amount is known, nothing is missing and the two agree.

Here a cap whose room depends on no other claim of the batch (``cap 50% of x``, ``cap 200
万元 per product`` of a product award) is a column.  A cap shared between claims (``per
firm`` of a product award, or a pool shared by several provisions) is one window over the
union of its claims, partitioned by the pool's key (scope ids, year) and ordered as
``claims.claim_key``.  Its sequential rule has a closed form (see :func:`window_steps`); a
claim under two caps shared with other claims has none, and is refused (E604).
"""

from __future__ import annotations

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ...model import EntityInfo
from .plan import Step
from .rows import natural_literal
from .sqlbits import BIGINT, all_of, any_of, case, is_null, negate, not_null, true
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .uncertain import uncertain_rows

__all__ = [
    "CapPlan",
    "LedgerSum",
    "col",
    "least_known",
    "ledger_sums",
    "window_steps",
]


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def lit(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def num(n: int) -> exp.Expr:
    return _cast(exp.Literal.number(n), BIGINT)


def greatest(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """The larger of ``a`` and ``b`` (never NULL: every caller passes a constant), ``b``
    when ``a`` is NULL: ``CASE WHEN a > b THEN a ELSE b END`` written as ``GREATEST``, which
    DuckDB and Spark evaluate once per row and a filter pushed through it copies once."""
    return exp.Greatest(this=a.copy(), expressions=[b.copy()], ignore_nulls=True)


def least_known(a: exp.Expr | None, b: exp.Expr) -> exp.Expr:
    """``claims.least``: the smaller of two amounts, an unknown (NULL) one left out."""
    if a is None:
        return b.copy()
    # ``LEAST`` skipping NULLs (DuckDB's and Spark's own rule; sqlglot writes the CASE for
    # an engine whose ``LEAST`` returns NULL): each argument read once, where the CASE read
    # each three times, so nested caps no longer grow a pushed-down filter exponentially.
    return exp.Least(this=a.copy(), expressions=[b.copy()], ignore_nulls=True)


@attrs.frozen
class CapPlan:
    """A cap of an award: its text, scope entities (``per``), pool, and whether its room
    depends on other claims of the batch (``shared``)."""

    index: int
    cap: s.Cap
    text: str
    scope: tuple[EntityInfo, ...]
    pool: str
    shared: bool


@attrs.frozen
class LedgerSum:
    """One sum of the ``ledger`` for :func:`ledger_sums`: column ``name`` totals the grants
    under ``provisions`` (``exact``: whose path is the scope itself; ``paid``: above 0)."""

    name: str
    provisions: frozenset[str]
    exact: bool = False
    paid: bool = False


def ledger_sums(
    entities: tuple[str, ...],
    scope: tuple[EntityInfo, ...],
    sums: list[LedgerSum],
    *,
    year: bool = False,
) -> exp.Select:
    """Grants in the ``ledger`` table whose path starts with ``scope``, summed per scope
    ids (and year): columns ``k_<entity>`` (, ``k_year``) and one BIGINT fen column per
    sum of ``sums`` (NULL where no grant counts): one pass over the ledger for all."""
    names = [e.name for e in scope]
    keys = [_alias(col(n), f"k_{n}", quoted=True) for n in names]
    everyone = sorted(set().union(*(x.provisions for x in sums)))
    conds: list[exp.Expr] = [exp.In(this=col("provision"), expressions=[lit(x) for x in everyone])]
    conds += [not_null(col(n)) for n in names]
    group: list[exp.Expr] = [col(n) for n in names]
    if year:
        keys.append(_alias(col("year"), "k_year", quoted=True))
        conds.append(not_null(col("year")))
        group.append(col("year"))
    totals = []
    for x in sums:
        mine: list[exp.Expr] = []
        if set(everyone) != x.provisions:
            mine.append(
                exp.In(this=col("provision"), expressions=[lit(p) for p in sorted(x.provisions)])
            )
        if x.exact:
            mine += [is_null(col(n)) for n in entities if n not in names]
        if x.paid:
            mine.append(exp.GT(this=col("amount"), expression=num(0)))
        amount = case([(all_of(*mine), col("amount"))], _cast(exp.Null(), BIGINT))
        totals.append(_alias(_cast(exp.Sum(this=amount), BIGINT), x.name, quoted=True))
    return (
        exp.select(*keys, *totals)
        .from_(exp.to_table("ledger", quoted=True), copy=False)
        .where(all_of(*conds), copy=False)
        .group_by(*group, copy=False)
    )


def window_steps(
    name: str,
    parts: list[exp.Select],
    scope: tuple[EntityInfo, ...],
    order_kinds: list[str],
    ids: list[str],
    *,
    tail: bool = True,
    ranked: bool = False,
    outside: exp.Select | None = None,
    outside_hold: exp.Expr | None = None,
    ghosts: bool = False,
    scope_prefix: str = "sc_",
) -> list[Step]:
    """One pool's claims (``parts``: rows with the columns ``ids`` naming the claim (the
    scope's ids ``sc_*``, the rest of its path ``j_*``, ``pr`` the provision when the pool
    has several), ``yr``, ``room`` = limit − ledger, ``rstar`` = the amount after every
    other cap (NULL: no bound), ``cert`` = known amount and nothing missing, order keys
    ``o0``... (``n<i>``: the natural key of a text one), ``pathkey`` (when ``tail``) and
    ``prank`` (when ``ranked``) to break ties) → rows ``ids``, ``hi``, ``lo``: the cap's
    room as ``running`` and ``lowest`` see it.

    The rule served one claim at a time: hi = (room − E)⁺ and lo = (room − E − P)⁺ with E
    the earlier exact amounts and P the earlier up-to ones; amount a = min(rstar, hi); a
    certain claim is exact when min(rstar, lo) = a.  Until P > 0 every certain claim is
    exact, so E is the greedy fill min(room⁺, sum of the earlier certain rstar).  The first
    certain claim after that with rstar > lo (and hi > 0) is up to, takes a > lo and leaves
    lo = 0 for good; from then on E stays where it was.  So: E₁ = min(room⁺, CC), with CC
    the running sum of certain rstar; P₁ = running sum of min(rstar, hi₁) over uncertain
    claims; s = the first violating claim; claims after s get hi = (room − E₁(s))⁺, lo = 0.

    ``ghosts``: rows have a column ``gw``, true for a claim of unknown year held in this
    year (a ghost, :mod:`.ghosts`: never certain), which has no output row.
    ``scope_prefix``: the scope's id columns are ``<scope_prefix><entity>`` (``e_`` for a
    window over the rows' own columns).  ``outside``: the rows not in the window, added
    to its rows (a window carrying every column, :mod:`.pools`), with ``outside_hold`` as
    their ``hi`` and ``lo`` (NULL if not given)."""
    part_by, order = window_order(
        scope, order_kinds, tail=tail, ranked=ranked, scope_prefix=scope_prefix
    )

    def over(fn: exp.Expr, *, ordered: bool = True) -> exp.Window:
        # Ordered: the running frame (to the current row), which engines stream.
        spec = None
        if ordered:
            spec = exp.WindowSpec(
                kind="ROWS",
                start="UNBOUNDED",
                start_side="PRECEDING",
                end="CURRENT ROW",
            )
        return exp.Window(
            this=fn,
            partition_by=[p.copy() for p in part_by],
            order=exp.Order(expressions=[o.copy() for o in order]) if ordered else None,
            spec=spec,
        )

    def coalesce0(e: exp.Expr) -> exp.Expr:
        return exp.Coalesce(this=e, expressions=[num(0)])

    def before(value: exp.Expr) -> exp.Expr:
        """The sum of ``value`` over the earlier claims of the partition (NULL as 0), in
        BIGINT fen (DuckDB sums BIGINT as HUGEINT: every later step would compute on
        128-bit integers; a sum beyond BIGINT is an error, never a wrong amount)."""
        running = coalesce0(_cast(over(exp.Sum(this=value)), BIGINT))
        return exp.Sub(this=running, expression=coalesce0(value.copy()))

    def t(n: str) -> exp.Table:
        return exp.to_table(n, quoted=True)

    union: exp.Expr = parts[0]
    for q in parts[1:]:
        union = exp.Union(this=union, expression=q, distinct=False)
    w0, w1, w2, w3 = (f"{name}_w{i}" for i in range(4))
    steps: list[Step] = [(w0, union)]

    certain_r = case([(col("cert"), col("rstar"))], _cast(exp.Null(), BIGINT))
    # A partition with no uncertain claim (amount known, nothing missing: the usual case)
    # needs only the running sum: hi = lo = (room - E1)+.  The others take the full rule.
    # Whether a partition holds one is a window over the same partition as the running
    # sum (computed with it in one pass, where a DISTINCT joined back costs a join).
    uncertain = exp.EQ(
        this=over(
            exp.Max(
                this=case([(negate(col("cert")), exp.Literal.number(1))], exp.Literal.number(0))
            ),
            ordered=False,
        ),
        expression=exp.Literal.number(1),
    )
    steps.append(
        (
            w1,
            exp.select(
                "*",
                _alias(before(certain_r), "cc", quoted=True),
                _alias(uncertain, "unc", quoted=True),
            ).from_(t(w0), copy=False),
        )
    )
    room0 = greatest(col("room"), num(0))
    e1 = least_known(col("cc"), room0)  # both known: ``cc`` is a COALESCE, ``room0`` >= 0
    hi1 = greatest(exp.Sub(this=col("room"), expression=e1.copy()), num(0))
    split = exp.select("*", _alias(e1, "e1", quoted=True), _alias(hi1, "hi1", quoted=True)).from_(
        t(w1), copy=False
    )
    steps.append((f"{name}_v", split))
    a1 = least_known(col("rstar"), col("hi1"))
    uncertain_a = case([(negate(col("cert")), a1)], _cast(exp.Null(), BIGINT))
    q2 = (
        exp.select(
            "*",
            _alias(_row_number(part_by, order), "rn", quoted=True),
            _alias(before(uncertain_a), "p1", quoted=True),
        )
        .from_(t(f"{name}_v"), copy=False)
        .where(col("unc"), copy=False)
    )
    lo1 = greatest(
        exp.Sub(this=exp.Sub(this=col("room"), expression=col("e1")), expression=col("p1")),
        num(0),
    )
    viol = all_of(
        col("cert"),
        exp.GT(this=col("rstar"), expression=lo1.copy()),
        exp.GT(this=col("hi1"), expression=num(0)),
        exp.GT(this=col("p1"), expression=num(0)),
    )
    q3 = exp.select(
        "*",
        _alias(lo1, "lo1", quoted=True),
        _alias(
            over(exp.Min(this=case([(viol, col("rn"))], exp.Null())), ordered=False),
            "s",
            quoted=True,
        ),
        _alias(
            over(exp.Min(this=case([(viol.copy(), col("e1"))], exp.Null())), ordered=False),
            "es",
            quoted=True,
        ),
    ).from_(t(w2), copy=False)
    early = any_of(is_null(col("s")), exp.LTE(this=col("rn"), expression=col("s")))
    q4 = exp.select(
        *(col(i) for i in ids),
        _alias(
            case(
                [(early, col("hi1"))],
                greatest(exp.Sub(this=col("room"), expression=col("es")), num(0)),
            ),
            "hi",
            quoted=True,
        ),
        _alias(case([(early.copy(), col("lo1"))], num(0)), "lo", quoted=True),
    ).from_(t(w3), copy=False)
    if ghosts:
        q4 = q4.where(negate(col("gw")), copy=False)
    if outside is not None:
        # The partitions with an uncertain claim take their rows again from the window's
        # rows (.uncertain): the first window's output then has one reader, streamed.
        u, u1, uv = f"{name}_u", f"{name}_u1", f"{name}_uv"
        steps += uncertain_rows(w0, f"{name}_uk", u, part_by)
        again = exp.select(
            "*",
            _alias(before(certain_r.copy()), "cc", quoted=True),
            _alias(true(), "unc", quoted=True),
        ).from_(t(u), copy=False)
        split_u = exp.select(
            "*", _alias(e1.copy(), "e1", quoted=True), _alias(hi1.copy(), "hi1", quoted=True)
        ).from_(t(u1), copy=False)
        q2.set("where", None)
        q2.set("from_", exp.From(this=t(uv)))
        steps += [(u1, again), (uv, split_u), (w2, q2), (w3, q3)]
        return steps + _carried(name, q4, outside, outside_hold)
    certain = (
        exp.select(
            *(col(i) for i in ids),
            _alias(col("hi1"), "hi", quoted=True),
            _alias(col("hi1"), "lo", quoted=True),
        )
        .from_(t(f"{name}_v"), copy=False)
        .where(negate(col("unc")), copy=False)
    )
    both = exp.Union(
        this=certain, expression=exp.select("*").from_(t(f"{name}_x"), copy=False), distinct=False
    )
    steps += [(w2, q2), (w3, q3), (f"{name}_x", q4), (name, both)]
    return steps


BOOLEAN = exp.DataType.build("BOOLEAN")

# The columns the window's steps add after its input's, in order, and their types.
_ADDED = (
    ("cc", BIGINT),
    ("unc", BOOLEAN),
    ("e1", BIGINT),
    ("hi1", BIGINT),
    ("rn", BIGINT),
    ("p1", BIGINT),
    ("lo1", BIGINT),
    ("s", BIGINT),
    ("es", BIGINT),
)


def _carried(name: str, q4: exp.Select, outside: exp.Select, hold: exp.Expr | None) -> list[Step]:
    """The last steps of :func:`window_steps` for a window carrying its rows' columns:
    partitions with no uncertain claim (``hi = lo = hi1``), the others (``q4``'s ``hi``,
    ``lo`` after every column), the rows outside (``hold`` as ``hi`` and ``lo``), one
    UNION ALL of the same columns.  ``tight``: TRUE where ``hi`` is ``lo`` by construction
    (a literal: an engine folds it into a filter pushed into each part, so the grants
    compare no amounts there), FALSE in the uncertain partitions."""

    def null(ty: exp.DataType) -> exp.Expr:
        return _cast(exp.Null(), ty)

    hi_lo = [e for e in q4.expressions if e.alias_or_name in ("hi", "lo")]
    x = exp.select("*", *hi_lo, _alias(exp.false(), "tight", quoted=True))
    x = x.from_(exp.to_table(f"{name}_w3", quoted=True), copy=False)
    if q4.args.get("where") is not None:  # no ghost row out (.ghosts)
        x = x.where(q4.args["where"].this.copy(), copy=False)
    certain = (
        exp.select(
            "*",
            *(_alias(null(ty), n, quoted=True) for n, ty in _ADDED[4:]),
            _alias(col("hi1"), "hi", quoted=True),
            _alias(col("hi1"), "lo", quoted=True),
            _alias(true(), "tight", quoted=True),
        )
        .from_(exp.to_table(f"{name}_v", quoted=True), copy=False)
        .where(negate(col("unc")), copy=False)
    )
    rest = outside.select(
        *(_alias(null(ty), n, quoted=True) for n, ty in _ADDED),
        _alias(hold.copy() if hold is not None else null(BIGINT), "hi", quoted=True),
        _alias(hold.copy() if hold is not None else null(BIGINT), "lo", quoted=True),
        _alias(true(), "tight", quoted=True),
        copy=False,
    )
    union = exp.Union(
        this=exp.Union(
            this=certain,
            expression=exp.select("*").from_(exp.to_table(f"{name}_x", quoted=True), copy=False),
            distinct=False,
        ),
        expression=rest,
        distinct=False,
    )
    return [(f"{name}_x", x), (name, union)]


def window_order(
    scope: tuple[EntityInfo, ...],
    order_kinds: list[str],
    *,
    tail: bool,
    ranked: bool,
    scope_prefix: str = "sc_",
) -> tuple[list[exp.Expr], list[exp.Ordered]]:
    """A pool's window partition (the scope's ids ``sc_*``, or the columns named with
    ``scope_prefix``; the year ``yr``) and claim order (order keys, an unknown one first: as
    early as the claim could be, see ``backends/python/order_hold.py``; ``pathkey`` when
    ``tail``, ``prank`` when ``ranked``)."""
    part_by: list[exp.Expr] = [col(f"{scope_prefix}{e.name}") for e in scope]
    part_by.append(col("yr"))
    order: list[exp.Ordered] = []
    for i, kind in enumerate(order_kinds):
        # An unknown key first (``claims.claim_key``): NULLS FIRST, one sort key (a text
        # key's natural key ``n<i>`` is NULL exactly where the key is).  Such a claim is
        # never certain (``award_rooms``: ``cert``): it holds its bound for later claims.
        value = col(f"n{i}") if kind in ("text", "enum") else col(f"o{i}")
        order.append(exp.Ordered(this=value, desc=False, nulls_first=True))
    if tail:
        order.append(exp.Ordered(this=col("pathkey"), desc=False, nulls_first=False))
    if tail and ranked:
        order.append(exp.Ordered(this=col("prank"), desc=False, nulls_first=False))
    return part_by, order


def _row_number(part_by: list[exp.Expr], order: list[exp.Ordered]) -> exp.Expr:
    return exp.Window(
        this=exp.RowNumber(),
        partition_by=[p.copy() for p in part_by],
        order=exp.Order(expressions=[o.copy() for o in order]),
    )


def provision_rank(pid: str) -> exp.Expr:
    return lit(natural_literal(pid))


__all__ += ["greatest", "lit", "num", "provision_rank", "window_order"]
