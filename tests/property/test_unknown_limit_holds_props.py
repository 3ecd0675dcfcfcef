"""A claim under a shared cap whose own limit is unknown still takes room in it once known: it
holds its bound there (its amount; nothing bounds it when that is unknown too), so no later
claim under the cap is exact on room it may take (issue 9, the kind "a missing fact holds
nothing").  The oracle: every way of filling in the missing limits and amounts, evaluated
with everything known.

中文：共用上限中，某申请自身适用的限额未知时，仍按其可能取得的最高金额（金额也未知时不设上限）预留额度。
"""

from __future__ import annotations

import functools
from typing import Any

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules import Money, Policy
from support import Reported, assert_batch_agrees, assert_sound, fill_ins, reported

TEXT = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact base: money
  fact lim: money
  fact on: date

document d "测试"

clause 1
  quote "q"

  award a
    for each project
    amount base
    cap lim per firm
    order by on, id
"""

A = "d/1/a"


@functools.cache
def policy() -> Policy:
    return compile_text(TEXT)


# A project: its amount and its limit in 元 (None: missing); its day in January 2026.
Project = tuple[int | None, int | None]


def _firm(projects: list[Project]) -> dict[str, Any]:
    out = []
    for n, (base, lim) in enumerate(projects, start=1):
        p: dict[str, Any] = {"id": f"P{n}", "on": f"2026-01-{n:02d}"}
        if base is not None:
            p["base"] = f"{base} 元"
        if lim is not None:
            p["lim"] = f"{lim} 元"
        out.append(p)
    return {"firms": [{"id": "F", "projects": out}]}


def test_a_claim_of_unknown_limit_holds_its_amount() -> None:
    """P1 (80 元, limit missing) first, P2 (50 元, limit 100 元).  P1 takes 80 if its limit
    allows: P2 gets 100 − 80 = 20 元 then, 50 元 if P1's limit is 0: up to 50 元.
    中文：P1 限额未知，若限额足够可得 80 元；P2 最少 20 元、最多 50 元，只能确定上限。"""
    got = reported(policy(), _firm([(80, None), (50, 100)]))
    assert got[(A, "F/P1")] == ("eligible", Money(8000), "up_to")
    assert got[(A, "F/P2")] == ("eligible", Money(5000), "up_to")


def test_a_claim_nothing_bounds_holds_all() -> None:
    """P1 (amount and limit missing) may take any amount: P2 (50 元, limit 100 元) is up to
    50 元, from 0 (P1 took all) to 50.  中文：P1 金额和限额均未知，可能占满额度；P2 最多 50 元。"""
    result = policy().evaluate(_firm([(None, None), (50, 100)]))
    got = {d.subject: (d.status, d.amount, d.amount_kind) for d in result.decisions}
    assert got["F/P2"] == ("eligible", Money(5000), "up_to")
    assert "F/P1 按" in result.explain(lang="zh")
    assert "暂占额度（金额未知，不设上限）" in result.explain(lang="zh")
    assert result.grants == ()


_projects = st.lists(
    st.tuples(
        st.one_of(st.sampled_from((0, 30, 60, 120)), st.none()),
        st.one_of(st.sampled_from((0, 50, 100)), st.none()),
    ),
    min_size=1,
    max_size=4,
)


def _completions(projects: list[Project]) -> list[list[Project]]:
    """Every way of filling in the missing facts: each amount 0, 60 or 150 元, each limit
    0, 40, 100 or 300 元."""
    return fill_ins(projects, ((0, 60, 150), (0, 40, 100, 300)))


def _amount(got: Reported) -> Money | None:
    """What a completion's decision takes: its amount, whatever its kind."""
    return got[1]


@settings(max_examples=60, deadline=None)
@given(_projects)
# P1 nothing bounds (amount and limit missing) before P2: the open hold (Accounts.hold_open),
# which random draws reach only now and then.
@hypothesis.example([(None, None), (30, 50)])
def test_what_is_reported_holds_whatever_the_missing_limits_are(
    projects: list[Project],
) -> None:
    """Soundness, with and without explanations alike."""
    completions = _completions(projects)
    hypothesis.assume(len(completions) <= 400)
    assert_sound(
        policy(), _firm(projects), map(_firm, completions), taken=_amount, skip_unknown=True
    )


def test_the_sql_batch_refuses_a_limit_that_differs_between_claims() -> None:
    """The batch's window fills one room per partition: a `per firm` cap whose limit is a
    fact of each project is refused when the batch is compiled (E619), naming the fact."""
    from policyrules.backends.sql import BatchCompileError, compile_batch

    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy().checked)
    assert err.value.diagnostics[0].code == "E619"
    assert "project.lim" in err.value.diagnostics[0].message


FIRM_TEXT = TEXT.replace("  fact lim: money\n", "").replace(
    "  list firms\n", "  list firms\n  fact lim: money\n"
)


@settings(max_examples=25, deadline=None)
@given(_projects, st.one_of(st.sampled_from((0, 50, 100)), st.none()))
def test_the_sql_batch_holds_the_same_bounds_under_a_firm_limit(
    projects: list[Project], lim: int | None
) -> None:
    """The firm's own limit (missing or not): the SQL batch gives the one-by-one decisions."""
    facts_in = _firm([(b, None) for b, _ in projects])
    if lim is not None:
        facts_in["firms"][0]["lim"] = f"{lim} 元"
    assert_batch_agrees(_firm_policy(), facts_in)


@functools.cache
def _firm_policy() -> Policy:
    return compile_text(FIRM_TEXT)
