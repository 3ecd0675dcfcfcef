"""The batch's E353 check: the registry's date facts later than ``as_of``, found by one query.

The one-by-one path finds them in the facts (:mod:`policyrules.facts_dated`, which refuses
both); the batch runs :func:`later_dates` on its input tables, on DuckDB or on Spark, before
the ledger and the plan: any row refuses the batch.  A row is ``k`` (the entity's place
among the policy's), ``subject`` (its path of ids, ``firm-a/A1``, as the decisions name
it), ``f`` (the fact's place among its entity's), ``day`` (the date; of a list of dates,
the latest) and ``n`` (how many rows there are in all), ordered by ``k``, ``subject``,
``f``: the order the one-by-one path sorts its findings in.
"""

from __future__ import annotations

import datetime as dt

import sqlglot
import sqlglot.expressions as exp

from ...model import CheckedPolicy, EntityInfo, FactInfo

__all__ = ["date_facts", "later_dates"]


def date_facts(policy: CheckedPolicy) -> list[tuple[int, EntityInfo, list[tuple[int, FactInfo]]]]:
    """Each entity holding a date fact (a ``date``, ``date or none``, or a list or set of
    dates), with its place among the policy's entities, and those facts with theirs."""
    out = []
    for k, ent in enumerate(policy.entities):
        dated = [
            (j, f)
            for j, f in enumerate(ent.facts)
            if f.type.kind == "date"
            or (f.type.kind in ("list", "set") and f.type.element and f.type.element.kind == "date")
        ]
        if dated:
            out.append((k, ent, dated))
    return out


def later_dates(policy: CheckedPolicy, as_of: dt.date, limit: int | None) -> exp.Select | None:
    """The query over the entity tables (named by the entities' keys) finding the date
    facts later than ``as_of``: at most ``limit`` rows (``None``: all), each with ``n``,
    the count of all; ``None`` when the policy has no date fact."""
    day = f"DATE '{as_of.isoformat()}'"
    parts = []
    for k, ent, dated in date_facts(policy):
        source, subject = _subject(policy, ent)
        for j, f in dated:
            value = f"t0.{_q(f.name)}"
            if f.type.kind != "date":
                value = f"list_max({value})"
            parts.append(
                f"SELECT {k} AS k, {subject} AS subject, {j} AS f, {value} AS day "
                f"FROM {source} WHERE {value} > {day}"
            )
    if not parts:
        return None
    union = " UNION ALL ".join(parts)
    text = (
        f"SELECT k, subject, f, day, count(*) OVER () AS n FROM ({union}) AS later "
        "ORDER BY k, subject, f" + ("" if limit is None else f" LIMIT {int(limit)}")
    )
    query = sqlglot.parse_one(text, read="duckdb")
    assert isinstance(query, exp.Select)
    return query


def _subject(policy: CheckedPolicy, ent: EntityInfo) -> tuple[str, str]:
    """The FROM of ``ent``'s table (``t0``) joined to its owners' (``t1``... up to the one
    whose ``<owner>_id`` names the outermost), and the subject's text: the ids along the
    chain, the outermost first, joined by ``/`` (as the plan's rows write it)."""
    chain = policy.chain(ent.name)  # the entity first
    source = f"{_q(ent.key)} AS t0"
    ids = ["t0.id"]
    for i, owner in enumerate(chain[1:]):
        if owner.parent is None:  # the outermost: its id is its child's <owner>_id
            ids.append(f"t{i}.{_q(owner.name + '_id')}")
            break
        source += (
            f" LEFT JOIN {_q(owner.key)} AS t{i + 1} ON t{i + 1}.id = t{i}.{_q(owner.name + '_id')}"
        )
        ids.append(f"t{i + 1}.id")
    return source, " || '/' || ".join(reversed(ids))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
