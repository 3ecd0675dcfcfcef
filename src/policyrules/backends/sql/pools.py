"""A pool's window: the claims of one shared cap, in claim order, in one SQL window.

:func:`pool_window` builds, for the awards whose claims share a cap (``per firm`` of a
product award, or a pool of several provisions), narrow rows (the path's ids, partition
and order keys, room and amount) from each award's rooms, the window over their union
(:func:`.awards.window_steps`), and tells each award where its result is, to be joined
back to its rows by the path's ids (:meth:`.award_steps.AwardSteps.last_steps`), or, for a
pool of one provision, that the window's result holds all of its rows and columns.  Such a
window partitions on the rows' own ids (``e_*``, no ``sc_*`` copies) and gives every row,
those outside it too, its year as ``yr`` (the award reads it there): what it carries, it
sorts, and it carries only what later steps read (the rows' flags packed: :mod:`.narrow`).
"""

from __future__ import annotations

import sqlglot.expressions as exp

from ...model import EntityInfo
from .award_steps import AwardSteps
from .awards import col, lit, provision_rank, window_order, window_steps
from .bounded_pool import bounded_window
from .ghosts import ghost_join, ghost_limit, ghost_year, ghost_years, in_window
from .plan import Step
from .rows import natural_keys, natural_of, natural_sql, path_key_sql
from .sqlbits import BIGINT, INTEGER, VARCHAR, case, is_bool, is_false, negate
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .trees import join, table

__all__ = ["pool_window"]


def _t(name: str) -> exp.Table:
    return table(name)


def pool_window(name: str, claims: list[AwardSteps], pool: str) -> list[Step]:
    """The pool's window over the claims of ``claims`` (see :func:`.awards.window_steps`):
    narrow rows (the path's ids, partition and order keys, room and amount), each
    claim's result joined back to its provision's rows by the path's ids; for a pool of
    one provision whose order keys are always known, the window's rows carry every column
    of the provision's rows and the rows outside it are added (no join back)."""
    multi = len(claims) > 1
    keys: dict[str, str] = {}
    steps: list[Step] = []
    below: list[str] = []  # the path's entities under the scope, over all claims
    for aw in claims:
        assert aw.shared is not None
        for ent in aw.chain[len(aw.shared.scope) :]:
            if ent.name not in below:
                below.append(ent.name)

    def nk(ent: EntityInfo) -> str:
        if ent.name not in keys:
            keys[ent.name] = f"{name}_nk_{ent.name}"
            steps.append((keys[ent.name], natural_keys(ent)))
        return keys[ent.name]

    # A pool of one provision whose order keys are always known: the window's rows carry
    # every column of the award's rows, and no join brings them back (see window_steps).
    wide = (
        not multi
        and not claims[0].p.bounded
        and all(is_false(claims[0].ref(f"o{j}_un")) for j in range(len(claims[0].p.order)))
    )
    added: list[tuple[str, exp.DataType]] = []
    parts = []
    scope: tuple[EntityInfo, ...] = ()
    kinds: list[str] = []
    tail = True
    # (rows, shared cap) of the provisions whose shared cap is yearly: see .ghosts
    yearly = [
        (aw.years_step, aw.shared.index)
        for aw in claims
        if aw.shared is not None and aw.shared.cap.year_of is not None
    ]
    holds = any(aw.holds_only() for aw in claims)  # rows that only hold: ``gw`` (.ghosts)
    for aw in claims:
        c = aw.shared
        assert c is not None
        scope = c.scope
        kinds = aw.order_kinds
        k = c.index
        rest = aw.chain[len(scope) :]
        joins: set[str] = set()
        sel: list[exp.Expr] = []
        if multi:
            sel.append(_alias(lit(aw.p.id), "pr", quoted=True))
            sel.append(_alias(provision_rank(aw.p.id), "prank", quoted=True))
        if wide:  # partitioned on the rows' own ids (no copies carried by the window)
            sel.append(exp.Column(this=exp.Star(), table=exp.to_identifier(f"{aw.name}_c", True)))
        else:
            sel += [_alias(col(f"e_{e.name}"), f"sc_{e.name}", quoted=True) for e in scope]
            added += [(f"sc_{e.name}", VARCHAR) for e in scope]
        mine = {e.name for e in rest}
        sel += (
            []
            if wide
            else [
                _alias(
                    col(f"e_{n}") if n in mine else _cast(exp.Null(), VARCHAR),
                    f"j_{n}",
                    quoted=True,
                )
                for n in below
            ]
        )
        year = ghost_year(k) if c.cap.year_of is not None else _cast(exp.Null(), INTEGER)
        sel.append(_alias(year, "yr", quoted=True))
        sel.append(_alias(exp.Sub(this=ghost_limit(aw, k), expression=col(f"u{k}")), "room", True))
        added += [("yr", INTEGER), ("room", BIGINT)]
        if not wide:  # else the rows' own columns, and o<j> as they are (always known)
            sel += [col("rstar"), col("cert"), col("fstar")]
        unique = False  # an earlier order key tells every claim of a partition apart
        for j in range(len(aw.p.order)):
            und = aw.ref(f"o{j}_un")
            key = case([(und, exp.Null())], col(f"o{j}"))
            if not wide:
                sel.append(_alias(key, f"o{j}", quoted=True))
            if kinds[j] in ("text", "enum"):
                id_of = aw.id_key(j)
                natural = (
                    natural_of(col(f"e_{id_of.name}"), nk(id_of))
                    if id_of is not None
                    else natural_sql(col(f"o{j}"))
                )
                if id_of is not None:
                    joins.add(id_of.name)
                sel.append(_alias(case([(und.copy(), exp.Null())], natural), f"n{j}", quoted=True))
                added.append((f"n{j}", VARCHAR))
                unique = unique or (
                    not multi and len(rest) == 1 and id_of is not None and id_of == rest[0]
                )
        tail = tail and not unique
        if tail:  # ties broken by the path under the scope (the scope's ids are equal)
            for ent in rest:
                nk(ent)
                joins.add(ent.name)
            sel.append(_alias(path_key_sql(rest, keys), "pathkey", quoted=True))
            added.append(("pathkey", VARCHAR))
        if holds and not wide:  # a row that only holds (see .ghosts): ``gw`` (a wide
            # window has it among its rows' columns)
            sel.append(_alias(col("gw") if aw.holds_only() else exp.false(), "gw", quoted=True))
        part = exp.select(*sel).from_(_t(f"{aw.name}_c"), copy=False)
        if c.cap.year_of is not None:
            part = part.join(ghost_join(name, scope, k), copy=False)
        for ent in aw.chain:
            if ent.name in joins:
                part = part.join(join(_t(keys[ent.name]), "CROSS"), copy=False)
        where = in_window(k if c.cap.year_of is not None else None) if aw.holds_only() else None
        parts.append(part.where(where or col("win"), copy=False))
        aw.window_name = name
        aw.window_ranked = multi
        aw.window_wide = wide
    if yearly:
        steps += ghost_years(name, yearly, scope)
    prefix = "e_" if wide else "sc_"
    ids = ["pr"] if multi else []
    ids += [f"{prefix}{e.name}" for e in scope] + [f"j_{n}" for n in below]
    if any(aw.p.bounded for aw in claims):  # the general rule: see .bounded_pool
        part_by, order = window_order(scope, kinds, tail=tail, ranked=multi)
        union: exp.Expr = parts[0]
        for q in parts[1:]:
            union = exp.Union(this=union, expression=q, distinct=False)
        return steps + bounded_window(name, union, part_by, order, ids, ghosts=holds)
    outside = hold = None
    if wide:
        win = is_bool(col("win"), True)
        # A row outside has its own year as ``yr`` (the window's rows have theirs, a ghost
        # the year it is held in and no output row): the award reads ``yr`` for its year,
        # so the window need not carry ``yr<k>`` too.
        k = claims[0].shared.index if claims[0].shared is not None else 0
        year_out = {"yr": col(f"yr{k}")} if yearly else {}
        outside = (
            exp.select(
                "*",
                *(
                    _alias(year_out[n] if n in year_out else _cast(exp.Null(), ty), n, True)
                    for n, ty in added
                ),
            )
            .from_(_t(f"{claims[0].name}_c"), copy=False)
            .where(negate(win), copy=False)
        )
        # A row outside holds its own room under the cap (``h<k>``, NULL unless its year
        # or its limit is unknown) as its ``hi`` and ``lo``; a row in the window has
        # ``h<k>`` NULL (``win``: limit and year known), so the award reads ``hi`` and
        # ``lo`` alone and the window need not carry ``h<k>``.
        hold = col(f"h{k}")
    return steps + window_steps(
        name,
        parts,
        scope,
        kinds,
        ids,
        tail=tail,
        ranked=multi,
        outside=outside,
        outside_hold=hold,
        ghosts=holds,
        scope_prefix=prefix,
    )
