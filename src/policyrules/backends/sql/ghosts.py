"""A claim whose year under a shared yearly cap is unknown, held in every year (issue 9).

Such a claim (it would enter its pool's window but for the year: column ``gw`` of its
rows, :mod:`.award_rooms`) may count in any year of its scope: if its missing date fell in
the year of other claims, and before them, it would take their room.  So it holds its bound
in every year partition of its scope that claims have, at its own place in the pool's
order, as an uncertain claim: a *ghost* row of the window (``gw`` true), which adds its
bound to what the later claims there may lose (``P`` in :func:`.awards.window_steps`, the
running total in :mod:`.bounded_pool`) and yields no output row.  The claim's own row stays
outside the window (its amount at most its cap's limit, the year's fact missing), as the
one-by-one path does (``backends/python/claims.py``: ``any_year``).

So does, in its own year, a claim whose cap's limit is unknown (``cap lim per firm`` with
its ``lim`` missing): nothing bounds it there, so it holds its amount (its room
:data:`OPEN_FEN`; all of the cap when its amount is unknown too), and its own row stays as
it is, uncut by that cap (``gw`` marks both kinds: rows that only hold).

A ghost row is its claim's row as it is: never certain and with no lower bound (``cert``
false, ``fstar`` NULL: its year unknown), its room its cap's limit without the ledger (the
ledger's part of its real year is unknown: ``u<k>`` is 0.00 元 for no year), an
over-estimate of its hold that changes no other claim's result (a hold at least the room
left leaves the later claims' lower bound at 0.00 元, as the true hold does, and their
upper bound does not read holds).  Only ``yr``, the year it is held in, is another.

Steps: ``<w>_gs`` the scopes where a claim's year is unknown, ``<w>_gy`` the years the
claims of those scopes have (a year with no claim in the window holds a ghost alone, which
changes nothing).  Each provision's part of the window reads its rows once, left-joined to
``<w>_gy`` for its ``gw`` rows (:func:`ghost_join`): no second reading of the rows, so the
usual case (no year unknown: ``<w>_gy`` empty) costs a join to an empty table.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from ... import syntax as s
from ...model import EntityInfo
from .award_rooms import LedgerRooms
from .awards import col, num
from .plan import Step
from .sqlbits import alias as _alias
from .sqlbits import all_of, any_of, is_null, not_null
from .trees import table

__all__ = ["OPEN_FEN", "ghost_join", "ghost_limit", "ghost_year", "ghost_years", "in_window"]


def _on(scope: tuple[EntityInfo, ...], rows: str | None, other: str) -> exp.Expr:
    return all_of(
        *(
            exp.EQ(this=col(f"e_{e.name}", rows), expression=col(f"sc_{e.name}", other))
            for e in scope
        )
    )


def ghost_years(
    name: str, rows: list[tuple[str, int]], scope: tuple[EntityInfo, ...]
) -> list[Step]:
    """Steps ``<name>_gs`` (the scope ids ``sc_*`` where a claim's year is unknown) and
    ``<name>_gy`` (those scopes with each year ``yr`` a claim has there), from the rows
    ``rows`` ((``<p>_y``, the shared cap's index) of each provision with a yearly cap:
    its rows' scope ids ``e_*`` and year ``yr<k>``, :meth:`.award_rooms.LedgerRooms._years_of`)."""
    gs, gy = f"{name}_gs", f"{name}_gy"
    scopes: list[exp.Select] = []
    years: list[exp.Select] = []
    for src, k in rows:
        ids = [_alias(col(f"e_{e.name}"), f"sc_{e.name}", quoted=True) for e in scope]
        unknown = is_null(col(f"yr{k}"))
        scopes.append(exp.select(*ids).from_(table(src), copy=False).where(unknown, copy=False))
        on = exp.Join(this=_alias(table(gs), "g", quoted=True), on=_on(scope, "b", "g"))
        years.append(
            exp.select(
                *(col(f"sc_{e.name}", "g") for e in scope),
                _alias(col(f"yr{k}", "b"), "yr", quoted=True),
            )
            .from_(_alias(table(src), "b", quoted=True), copy=False)
            .join(on, copy=False)
            .where(not_null(col(f"yr{k}", "b")), copy=False)
        )
    return [(gs, _distinct(scopes)), (gy, _distinct(years))]


def _distinct(parts: list[exp.Select]) -> exp.Expr:
    """The rows of ``parts`` without repeats: one SELECT DISTINCT, or a UNION of several."""
    if len(parts) == 1:
        return parts[0].distinct(copy=False)
    out: exp.Expr = parts[0]
    for q in parts[1:]:
        out = exp.Union(this=out, expression=q, distinct=True)
    return out


def ghost_join(name: str, scope: tuple[EntityInfo, ...], k: int) -> exp.Join:
    """``LEFT JOIN <name>_gy AS gy``: each year of its scope for a row whose year is
    unknown (``gw``, ``yr<k>`` NULL), nothing for the others."""
    on = all_of(col("gw"), is_null(col(f"yr{k}")), _on(scope, None, "gy"))
    return exp.Join(this=_alias(table(f"{name}_gy"), "gy", quoted=True), side="LEFT", on=on)


def ghost_year(k: int) -> exp.Expr:
    """The year a row counts in: its own, or for a ghost the year it is held in."""
    return exp.Coalesce(this=col("yr", "gy"), expressions=[col(f"yr{k}")])


def in_window(k: int | None) -> exp.Expr:
    """The rows of the window: the claims in it (``win``) and those that only hold
    (``gw``); for a yearly cap (index ``k``), a row of unknown year once per year of
    ``<name>_gy`` (the first disjunction alone is read before the join)."""
    rows = any_of(col("win"), col("gw"))
    if k is None:
        return rows
    return all_of(rows, any_of(not_null(col(f"yr{k}")), not_null(col("yr", "gy"))))


OPEN_FEN = 10**15
"""The room of a claim whose cap's limit is unknown, in fen (10 万亿元): nothing bounds it
there, so it holds its amount (more than any limit when that is unknown too: no later claim
under the cap is exact on it, as ``runtime.claim_log.OPEN_FEN``); small enough that the
window's running sums of many such holds stay within BIGINT."""


def ghost_limit(aw: LedgerRooms, k: int) -> exp.Expr:
    """The limit ``l<k>`` of a claim's shared cap in its window, :data:`OPEN_FEN` where it is
    unknown (a claim that only holds there)."""
    if isinstance(aw.shared.cap.limit if aw.shared else None, s.MoneyLit):
        return aw.ref(f"l{k}")
    return exp.Coalesce(this=aw.ref(f"l{k}"), expressions=[num(OPEN_FEN)])
