"""A claim whose eligibility is unknown holds its bound in a shared cap (issue 9: nothing
guessed).

A later claim under the same cap must be reported with what is certain: ``exact`` only when
it gets that amount however the unknown claims turn out; ``up to`` X when X is what it gets
if they get nothing.  The oracle: every way of settling the unknown conditions (each
``ok`` true or false) and the missing `order by` days (a claim whose place in the order is
unknown is served as early as it could be, holding its bound), evaluated with everything
known.  The one-by-one path with and
without explanations (the fast path) and the SQL batch agree decision for decision.
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
    cap 100 元 per firm
    order by on, id

  award b
    for each project
    eligible when ok
    amount base
    cap 100 元 per firm shared pool
    order by on, id

  award c
    for each project
    eligible when ok
    amount base
    cap 100 元 per firm shared pool
    order by on, id
"""


@functools.cache
def policy() -> Policy:
    return compile_text(TEXT)


# A project: ok (None: missing), its amount in 元, its day in January 2026 (the order
# key; None: missing).
Project = tuple[bool | None, int, int | None]


def _firm(projects: list[Project]) -> dict[str, Any]:
    out = []
    for n, (ok, yuan, day) in enumerate(projects, start=1):
        p: dict[str, Any] = {"id": f"P{n}", "base": f"{yuan} 元"}
        if day is not None:
            p["on"] = f"2026-01-{day:02d}"
        if ok is not None:
            p["ok"] = ok
        out.append(p)
    return {"firms": [{"id": "F", "projects": out}]}


def test_a_later_claim_is_up_to_while_an_earlier_one_is_unknown() -> None:
    """P1 (ok unknown, 80 元) comes first: if eligible it takes 80 of the 100 元 cap.  P2
    (50 元) gets 50 元 if P1 gets nothing, 100 − 80 = 20 元 if P1 takes its 80: up to 50 元.
    (Before the fix P2 was reported exactly 50 元.)"""
    got = reported(policy(), _firm([(None, 80, 1), (True, 50, 2)]))
    assert got[("d/1/a", "F/P1")][0] == "unknown"
    assert got[("d/1/a", "F/P2")] == ("eligible", _money(5000), "up_to")


def test_a_later_claim_stays_exact_when_the_cap_has_room_for_both() -> None:
    """P1 unknown at 50 元, P2 50 元: 50 + 50 = 100 元 fits the 100 元 cap: P2 is exactly
    50 元 either way."""
    got = reported(policy(), _firm([(None, 50, 1), (True, 50, 2)]))
    assert got[("d/1/a", "F/P2")] == ("eligible", _money(5000), "exact")


def test_an_unknown_claim_served_later_changes_nothing_before_it() -> None:
    """P2 (unknown) is approved after P1: P1 is served first and is exactly 80 元."""
    got = reported(policy(), _firm([(True, 80, 1), (None, 80, 2)]))
    assert got[("d/1/a", "F/P1")] == ("eligible", _money(8000), "exact")


def _money(fen: int) -> Money:
    return Money(fen)


# Days 2..5: a missing day filled in with 1 or 6 comes before or after every known one.
_projects = st.lists(
    st.tuples(
        st.sampled_from((None, True, False)),
        st.sampled_from((0, 20, 50, 80, 100, 120)),
        st.one_of(st.integers(2, 5), st.none()),
    ),
    min_size=1,
    max_size=4,
)


def _completions(projects: list[Project]) -> list[list[Project]]:
    """Every way of filling in the missing facts: each unknown ``ok`` true or false, each
    missing day any of 1..6 (before, between and after the known days 2..5, and on each of
    them, where the id breaks the tie).  Capped: at most a few hundred."""
    return fill_ins(projects, ((True, False), (), range(1, 7)))


@settings(max_examples=60, deadline=None)
@given(_projects)
def test_what_is_reported_holds_however_the_unknown_claims_turn_out(
    projects: list[Project],
) -> None:
    """Soundness: for every way of filling in the missing facts (unknown conditions and
    missing `order by` days), each claim's true amount is at most its reported amount, and
    equals it when that is reported exact.  With and without explanations alike."""
    completions = _completions(projects)
    hypothesis.assume(len(completions) <= 400)
    assert_sound(policy(), _firm(projects), map(_firm, completions))


@settings(max_examples=25, deadline=None)
@given(_projects)
def test_the_sql_batch_holds_the_same_bounds(
    projects: list[Project],
) -> None:
    """The SQL batch gives the one-by-one decisions: status, amount, kind."""
    assert_batch_agrees(policy(), _firm(projects))
