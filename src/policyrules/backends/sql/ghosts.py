"""A claim whose year under a shared yearly cap is unknown, held in every year (issue 9).

Such a claim (it would enter its pool's window but for the year: column ``gw`` of its
rows, :mod:`.award_rooms`) may count in any year of its scope: if its missing date fell in
the year of other claims, and before them, it would take their room.  So it holds its bound
in every year partition of its scope that the window's real rows have, at its own place in
the pool's order, as an uncertain claim: a *ghost* row of the window (column ``gh``), which
adds its bound to what the later claims there may lose (``P`` in
:func:`.awards.window_steps`, the running total in :mod:`.bounded_pool`) and yields no output
row.  The claim's own row stays outside the window (its amount at most its cap's limit, the
year's fact missing), as the one-by-one path does (``backends/python/claims.py``:
``any_year``, held by ``Accounts.hold_any_year``).

A ghost's room is its cap's limit without the ledger (the ledger's part of its real year is
unknown): an over-estimate of its hold, which changes no other claim's result (a hold at
least the room left leaves the later claims' lower bound at 0.00 元, as the true hold does,
and their upper bound does not read holds).

Steps: ``<w>_gs`` the scopes holding a ghost, ``<w>_gy`` the years the window's real rows
have in them; each provision's ghost part joins its ``gw`` rows to ``<w>_gy`` on the scope.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from ... import syntax as s
from ...model import EntityInfo
from .awards import col
from .plan import Step
from .sqlbits import BIGINT, INTEGER, all_of, any_of, is_null
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .trees import table

__all__ = ["ghost_part", "ghost_years", "ghostly"]


def ghostly(cap: s.Cap) -> bool:
    """Whether claims under shared ``cap`` may hold room from outside its window: its year
    may be unknown (``per year of`` a fact), or its limit (anything but a constant)."""
    return cap.year_of is not None or not isinstance(cap.limit, s.MoneyLit) or bool(cap.exceptions)


def _on(scope: tuple[EntityInfo, ...], rows: str | None, other: str) -> exp.Expr:
    return all_of(
        *(
            exp.EQ(this=col(f"e_{e.name}", rows), expression=col(f"sc_{e.name}", other))
            for e in scope
        )
    )


def ghost_years(
    name: str, rows: list[tuple[str, int, bool]], scope: tuple[EntityInfo, ...]
) -> list[Step]:
    """Steps ``<name>_gs`` (the scope ids ``sc_*`` of every ghost) and ``<name>_gy`` (those
    scopes with each year ``yr`` a real row of the window has there), over the rows
    ``rows`` ((``<p>_c``, the shared cap's index) of each provision with a yearly cap)."""
    gs, gy = f"{name}_gs", f"{name}_gy"
    scopes: list[exp.Select] = []
    years: list[exp.Select] = []
    for src, k, yearly in rows:
        ids = [_alias(col(f"e_{e.name}"), f"sc_{e.name}", quoted=True) for e in scope]
        scopes.append(exp.select(*ids).from_(table(src), copy=False).where(col("gw"), copy=False))
        on = exp.Join(this=_alias(table(gs), "g", quoted=True), on=_on(scope, "c", "g"))
        years.append(
            exp.select(
                *(col(f"sc_{e.name}", "g") for e in scope),
                _alias(
                    col(f"yr{k}", "c") if yearly else _cast(exp.Null(), INTEGER), "yr", quoted=True
                ),
            )
            .from_(_alias(table(src), "c", quoted=True), copy=False)
            .join(on, copy=False)
            .where(col("win", "c"), copy=False)
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


def ghost_part(
    name: str,
    src: str,
    k: int,
    sel: list[exp.Expr],
    scope: tuple[EntityInfo, ...],
    joins: list[exp.Join],
    yearly: bool = True,
) -> exp.Select:
    """The ghost rows of one provision: its real part's columns ``sel`` (the same names and
    order) for its rows ``src`` whose year is unknown (``gw``), once per year of
    ``<name>_gy`` in their scope: ``yr`` that year, ``room`` the limit ``l<k>``, never
    certain, no lower bound (``cert``, ``fstar``), ``gh`` true.  ``joins``: the real part's
    other joins (one-row tables of natural keys)."""
    swap: dict[str, exp.Expr] = {
        "yr": col("yr", "gy"),
        "room": col(f"l{k}"),
        "cert": exp.false(),
        "fstar": _cast(exp.Null(), BIGINT),
        "gh": exp.true(),
    }
    out: list[exp.Expr] = []
    for e in sel:
        key = e.alias_or_name
        out.append(_alias(swap[key].copy(), key, quoted=True) if key in swap else e.copy())
    q = exp.select(*out).from_(table(src), copy=False)
    on = _on(scope, None, "gy")
    if yearly:  # its own year when known (its limit unknown), else every year
        year = col(f"yr{k}")
        on = all_of(on, any_of(is_null(year), exp.EQ(this=col("yr", "gy"), expression=year.copy())))
    q = q.join(exp.Join(this=_alias(table(f"{name}_gy"), "gy", quoted=True), on=on), copy=False)
    for j in joins:
        q = q.join(j.copy(), copy=False)
    return q.where(col("gw"), copy=False)
