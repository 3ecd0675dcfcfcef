"""A policy with exclusive groups and registries for it, for the batch's equivalence
property (``tests/property/test_batch_equivalence_props.py``).  Each group is among the
project or among the firm (:data:`AMONG`: several projects' claims of one award compete).

Four project awards: ``x`` (20% of equipment, for new projects) and ``y`` (10% of the total)
are one group, ``y`` and ``z`` (50 万元 to 100 万元 as decided: a range until it is) another,
so ``y`` is in both; ``y`` shares a firm's pool with ``w``, outside every group, so a loser's
room goes to the others.  The
``keep`` of each group is one of :data:`GROUPS`.  The amounts are a few round sums, so that
claims often tie; facts are missing at random, so that a rival is often unknown.

:func:`later_document_text`: a second file, a document ``e`` in force from 2026-06-01 that
supersedes (以此为准) clause 2 of ``d`` (``z`` of the second group, ``w`` of the firm's pool)
or the whole of ``d``, with an award ``v`` of its own; :data:`AS_OF` the days of the
evaluation around its first day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "AMONG",
    "AS_OF",
    "GROUPS",
    "SUPERSEDED",
    "exclusive_policy_text",
    "exclusive_registries",
    "later_document_text",
    "one_award_a_firm",
]

# (group x, y; group y, z)
GROUPS = (
    ("keep highest ties by listed", "keep listed"),
    ("keep highest", "keep highest ties by listed"),
    ("keep listed", "keep highest"),
)


# what the later document supersedes: clause 2 of d, or all of d
SUPERSEDED = ("d 2", "d")
# none (unknown, E424), the day before the later document's first, that day, a later one
AS_OF = (None, dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2026, 12, 31))


def later_document_text(superseded: str) -> str:
    return f"""document e "后"
  issued 2026-05-01
  valid from 2026-06-01
  supersedes {superseded}

clause 1 "一"
  quote "q"

  award v "V"
    quote "q"
    for each project
    eligible when kind = new
    amount 5% of total
    cap 50 万元 per project
"""


# what each group is among: the awards' own subject, or their owner (several claims of one
# award for one firm compete)
AMONG = ("project", "firm")


def exclusive_policy_text(
    first: str, second: str, among: tuple[str, str] = ("project", "project")
) -> str:
    return f"""entity firm
  list firms

entity project
  list projects of firm
  fact kind: Kind
  fact equipment: money
  fact total: money
  fact awarded: money

enum Kind {{
  new "新建",
  upgrade "技改",
}}

document d "测试"
  issued 2026-01-01

clause 1 "一"
  quote "q"
  exclusive x, y among {among[0]} {first}

  award x "X"
    quote "q"
    for each project
    eligible when kind = new
    amount 20% of equipment
    cap 100 万元 per project

  award y "Y"
    quote "q"
    for each project
    amount 10% of total
    cap 100 万元 per project
    cap 150 万元 per firm shared firm_pool

clause 2 "二"
  quote "q"
  exclusive y, z among {among[1]} {second}

  award z "Z"
    quote "q"
    for each project
    amount 50 万元 to 100 万元 decided awarded
    cap 100 万元 per project

  award w "W"
    quote "q"
    for each project
    eligible when kind = upgrade
    amount 10% of equipment
    cap 150 万元 per firm shared firm_pool
"""


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _wan(*values: int) -> st.SearchStrategy[str]:
    return st.sampled_from(values).map(lambda w: f"{w}万元")


@st.composite
def exclusive_registries(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One or two firms of up to three projects, and earlier grants: at most one a project
    (two under one group for one project are refused, E344), at most 50 万元 each and two
    a firm (within every cap)."""
    firms = []
    ledger = []
    for f in range(draw(st.integers(1, 2))):
        projects = []
        ids = draw(st.lists(st.sampled_from(["P1", "P2", "P10"]), max_size=3, unique=True))
        for pid in ids:
            proj: dict[str, Any] = {"id": pid}
            for key, strategy in (
                ("kind", st.sampled_from(["new", "upgrade"])),
                ("equipment", _wan(0, 250, 500, 1000)),  # x: 0, 50, 100, 100 (cap) 万元
                ("total", _wan(0, 500, 1000, 2000)),  # y: 0, 50, 100, 100 (cap) 万元
                # z: 50, 80, 100 万元, or outside its range (unknown, E416); not decided, a
                # range of 50 万元 to 100 万元
                ("awarded", _wan(50, 80, 100, 150)),
            ):
                value = draw(_maybe(strategy))
                if value is not None:
                    proj[key] = value
            projects.append(proj)
        firms.append({"id": f"f{f}", "projects": projects})
        granted = draw(st.lists(st.sampled_from(["P1", "P2", "old"]), max_size=2, unique=True))
        for project in granted:
            provision = draw(st.sampled_from(["d/1/x", "d/1/y", "d/2/z", "d/2/w"]))
            ledger.append(
                {
                    "provision": provision,
                    "firm": f"f{f}",
                    "project": project,
                    "amount": draw(_wan(0, 30, 50)),
                }
            )
    return {"firms": firms}, ledger


def one_award_a_firm(grants: list[dict[str, Any]], among: tuple[str, str]) -> list[dict[str, Any]]:
    """``grants`` without those paying a firm under a second award of a group among firms
    (refused, E344: the first kept)."""
    pairs = (("d/1/x", "d/1/y"), ("d/1/y", "d/2/z"))
    groups = [g for g, a in zip(pairs, among, strict=True) if a == "firm"]
    kept: list[dict[str, Any]] = []
    for grant in grants:
        clash = any(
            grant["provision"] in g
            and k["provision"] in g
            and k["provision"] != grant["provision"]
            and k["firm"] == grant["firm"]
            for g in groups
            for k in kept
        )
        if not clash:
            kept.append(grant)
    return kept
