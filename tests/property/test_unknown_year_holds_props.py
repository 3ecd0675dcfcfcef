"""A claim whose year under a yearly cap is unknown holds its bound in every year (issue 9:
nothing guessed).

The date that decides a claim's year may be missing: the claim may then count in any year
of its cap, and take room a claim of that year would otherwise get.  The oracle, as in
``test_unknown_claims_hold_props``: every way of filling in the missing facts (each unknown
``ok`` true or false; each missing date any day of 2026 or 2027, before, between or after
the known ones), evaluated with everything known.  No claim may get more than reported, and
an exact one gets exactly its amount.  The SQL batch gives the same decisions.

中文：决定年度的日期缺失时，该申请可能计入任何年度；对缺失情况的每一种补全，结果都不得超过报告的金额，
"确定金额"必须一致。
"""

from __future__ import annotations

import functools
from typing import Any

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules import Money, Policy
from support import assert_batch_agrees, assert_sound, fill_ins, reported

# a: ordered by its date (an unknown one first); b and c share a pool ordered by id, so an
# undated claim sits among the dated ones.
TEXT = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact ok: bool
  fact base: money
  fact on: date

document d "测试"

clause 1
  quote "q"

  award a
    for each project
    eligible when ok
    amount base
    cap 100 元 per firm per year of on
    order by on, id

  award b
    for each project
    eligible when ok
    amount base
    cap 100 元 per firm per year of on shared pool
    order by id

  award c
    for each project
    eligible when ok
    amount base
    cap 100 元 per firm per year of on shared pool
    order by id
"""


@functools.cache
def policy() -> Policy:
    return compile_text(TEXT)


# A project: ok (None: missing), its amount in 元, its date as (year, day of January) (None:
# missing).
Project = tuple[bool | None, int, tuple[int, int] | None]


def _firm(projects: list[Project]) -> dict[str, Any]:
    out = []
    for n, (ok, yuan, on) in enumerate(projects, start=1):
        p: dict[str, Any] = {"id": f"P{n}", "base": f"{yuan} 元"}
        if on is not None:
            p["on"] = f"{on[0]}-01-{on[1]:02d}"
        if ok is not None:
            p["ok"] = ok
        out.append(p)
    return {"firms": [{"id": "F", "projects": out}]}


# Known days 2..4: a missing date filled in with day 1, 3 or 5 of either year comes before,
# among and after the known ones of that year.
_projects = st.lists(
    st.tuples(
        st.sampled_from((None, True, True, False)),
        st.sampled_from((0, 20, 50, 80, 100, 120)),
        st.one_of(st.tuples(st.sampled_from((2026, 2027)), st.integers(2, 4)), st.none()),
    ),
    min_size=1,
    max_size=4,
)


def _completions(projects: list[Project]) -> list[list[Project]]:
    """Every way of filling in the missing facts: each unknown ``ok`` true or false, each
    missing date day 1, 3 or 5 of 2026 or 2027 (at most a few hundred)."""
    dates = [(y, d) for y in (2026, 2027) for d in (1, 3, 5)]
    return fill_ins(projects, ((True, False), (), dates))


def test_a_claim_of_unknown_year_cuts_a_later_claim_of_another_year() -> None:
    """b/c by id: P1 (2026, 80 元), P2 (no date, 60 元), P3 (2027, 70 元).  P1 first, exact
    80 元.  P2: up to its cap, 60 元.  P3: at most 100 → 70; at least (100 − 60)⁺ = 40: up
    to 70 元 (P2 may be of 2027: then P3 gets 40 元).
    中文：P2 可能计入 2027 年度，P3 只能确定上限。"""
    got = reported(
        policy(), _firm([(True, 80, (2026, 2)), (True, 60, None), (True, 70, (2027, 3))])
    )
    assert got[("d/1/b", "F/P1")] == ("eligible", _yuan(80), "exact")
    assert got[("d/1/b", "F/P2")] == ("eligible", _yuan(60), "up_to")
    assert got[("d/1/b", "F/P3")] == ("eligible", _yuan(70), "up_to")


def _yuan(n: int) -> Money:
    return Money(n * 100)


@settings(max_examples=60, deadline=None)
@given(_projects)
def test_what_is_reported_holds_whatever_year_the_undated_claims_fall_in(
    projects: list[Project],
) -> None:
    """Soundness, with and without explanations alike."""
    completions = _completions(projects)
    hypothesis.assume(len(completions) <= 400)
    assert_sound(policy(), _firm(projects), map(_firm, completions))


@settings(max_examples=25, deadline=None)
@given(_projects)
def test_the_sql_batch_holds_the_same_bounds(projects: list[Project]) -> None:
    """The SQL batch gives the one-by-one decisions: status, amount, kind."""
    assert_batch_agrees(policy(), _firm(projects))
