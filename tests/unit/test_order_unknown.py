"""A claim whose `order by` key is unknown is served as early as it could be, uncertain.

The fault (issue 9, §4): an unknown key was served last, so a later-known claim of the same
pool was reported exact and granted, though the unknown one may in truth come first and take
the room.  Now the unknown claim sorts first at its position, holds its bound as pending,
and every claim that hold can cut is "up to".  Amounts in fen (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.both_paths import decisions_both_ways

from policyrules import Money
from strategies import compile_text
from support import WAN, products_head

HEAD = products_head("applied_on: date", "approved_on: date", "awarded: money")

POOL = """
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm per year of applied_on
    order by approved_on, id
"""


def _firm(*products: dict[str, Any]) -> dict[str, Any]:
    return {"firms": [{"id": "f1", "products": list(products)}]}


def _p(pid: str, approved: str | None, wan: int) -> dict[str, Any]:
    out = {"id": pid, "applied_on": "2026-01-15", "awarded": f"{wan}万元"}
    if approved is not None:
        out["approved_on"] = approved
    return out


# A 2026-03-01 80 万元, U approved_on missing 60 万元, B 2026-05-01 50 万元; one yearly
# pool of 100 万元 (all applied in 2026).
#
# 中文：U 的获批日期未知，可能排在任何位置。U 排最前：U 得 60，A 得 100−60=40，B 得 0；
# U 在 A、B 之间：A 得 80，U 得 100−80=20，B 得 0；U 最后：A 得 80，B 得 20，U 得 0。
# 所以不能说 B“确定得 20 万元”。新规则：U 排在它可能的最前位置，按上限 60 万元预留；
#   U：min(60, 100) = 60，“不超过 60 万元”；
#   A：上限 min(80, 100−0) = 80，下限 100−0−60 = 40 < 80，“不超过 80 万元”；
#   B：上限 min(50, 100−0) = 50（A、U 都未确定，均不计为已用），下限 100−0−(60+80) < 0 → 0，
#      “不超过 50 万元”。三者都不拨付，台账不记。
# English: U first holds up to min(60, 100) = 60 as pending.  A: at most min(80, 100) = 80,
# at least 100 − 60 = 40: up to 80.  B: at most min(50, 100) = 50 (nothing certain taken),
# at least (100 − 60 − 80)⁺ = 0: up to 50.  Every true outcome (B 0 or 20; A 40 or 80; U 0,
# 20 or 60) lies under these bounds.  Nothing is granted.
FACTS = _firm(_p("A", "2026-03-01", 80), _p("U", None, 60), _p("B", "2026-05-01", 50))
WANT = {
    "f1/U": ("eligible", 60 * WAN, None, "up_to", ["product.approved_on"]),
    "f1/A": ("eligible", 80 * WAN, None, "up_to", []),
    "f1/B": ("eligible", 50 * WAN, None, "up_to", []),
}


@pytest.mark.parametrize("explain", [True, False])
def test_the_worked_example_one_by_one(explain: bool) -> None:
    policy = compile_text(HEAD + POOL)
    result = policy.evaluate(FACTS, explain=explain)
    assert [d.subject for d in result.decisions] == ["f1/U", "f1/A", "f1/B"]
    got = {
        d.subject: (
            d.status,
            d.amount.fen if d.amount is not None else None,
            None,
            d.amount_kind,
            list(d.missing_facts),
        )
        for d in result.decisions
    }
    assert got == WANT
    assert result.grants == ()  # no amount is certain: nothing is paid


def test_the_worked_example_in_the_batch() -> None:
    policy = compile_text(HEAD + POOL)
    assert decisions_both_ways(policy, policy.read_facts(FACTS), missing_parameters=False) == WANT


def test_only_the_id_missing_goes_first_among_claims_of_its_date() -> None:
    """`order by approved_on, code`: U's date 2026-05-01 is known, its code is not.  A
    (2026-03-01, 80) is served first and exact: 80 (U cannot come before it).  Then U, first
    among the claims of 2026-05-01: min(60, 100 − 80) = 20 up to, pending 20.  B (2026-05-01,
    code c1, 50): at most min(50, 100 − 80) = 20, at least (20 − 20)⁺ = 0: up to 20.
    中文：A 日期最早，确定 80 万元并拨付；U 与 B 同日，U 编号未知，排在同日最前，
    不超过 100−80=20；B 不超过 20（若 U 在前则为 0）。"""
    head = products_head("applied_on: date", "approved_on: date", "code: text", "awarded: money")
    body = POOL.replace("order by approved_on, id", "order by approved_on, code")
    policy = compile_text(head + body)
    a = dict(_p("A", "2026-03-01", 80), code="a1")
    u = _p("U", "2026-05-01", 60)
    b = dict(_p("B", "2026-05-01", 50), code="c1")
    got = decisions_both_ways(policy, policy.read_facts(_firm(b, u, a)), missing_parameters=False)
    assert got == {
        "f1/A": ("eligible", 80 * WAN, None, "exact", []),
        "f1/U": ("eligible", 20 * WAN, None, "up_to", ["product.code"]),
        "f1/B": ("eligible", 20 * WAN, None, "up_to", []),
    }
    result = policy.evaluate(_firm(b, u, a))
    assert [(g.subject, g.amount) for g in result.grants] == [("f1/A", Money(80 * WAN))]


def test_an_unknown_key_in_a_pool_of_its_own_changes_nothing() -> None:
    """A cap `per product` (each claim its own account): the order cannot matter, so a
    claim with no approved_on is exact: min(60, 100) = 60 万元, and so is A: 80."""
    policy = compile_text(HEAD + POOL.replace("per firm per year", "per product per year"))
    facts = _firm(_p("A", "2026-03-01", 80), _p("U", None, 60))
    got = decisions_both_ways(policy, policy.read_facts(facts), missing_parameters=False)
    assert got == {
        "f1/U": ("eligible", 60 * WAN, None, "exact", []),
        "f1/A": ("eligible", 80 * WAN, None, "exact", []),
    }


def test_the_explanation_says_why_in_english_and_chinese() -> None:
    policy = compile_text(HEAD + POOL)
    result = policy.evaluate(FACTS)
    en = result.explain(lang="en")
    assert (
        "its place in the order is not known (product.approved_on missing): served as early "
        "as it could be, holding up to 60 万元" in en
    )
    # A and B: "up to" because U may come first; each names U's hold on the pool.
    held = (
        "f1/U under d/1/a holds 60 万元 (its place in the order is not known "
        "(an `order by` fact is missing))"
    )
    assert en.count(held) == 2
    zh = result.explain(lang="zh")
    assert "在排序中的位置未知" in zh
    assert "按可能的最前位置计算，预留不超过 60 万元" in zh
    held_zh = (
        "f1/U 按《测试》第1条“a”暂占 60 万元"
        "（在排序中的位置未知（排序所依据的情况尚缺），可能排在本申请之前）"
    )
    assert zh.count(held_zh) == 2


def test_a_scheduled_award_with_an_unknown_order_key_holds_and_grants_nothing() -> None:
    """Paid over 2 years from signed_on (60%, 40%), 100 万元 per firm ever, `order by
    ranked_on, id`.  U (no ranked_on, 100 万元) is served first: as early as it could be, it
    may take the whole cap: up to 100 万元 (60 + 40), its order fact missing, nothing granted
    to it.  A (ranked 2026-02-01, 80 万元) sees U's hold under the cap `ever`: were U
    ranked first, A would get 100 − 100 = 0 元; were it ranked later, 80 万元: up to 80 万元,
    nothing granted.
    中文：U 排序位置未知，按最前位置计算，最多 100 万元，不拨付；A 因此最多 80 万元，也不拨付。"""
    head = products_head("signed_on: date", "ranked_on: date", "awarded: money")
    body = """
  award s
    for each product
    amount decided awarded
    cap 100 万元 per firm ever
    paid over 2 years from signed_on: 60%, 40% remainder first
    order by ranked_on, id
"""
    policy = compile_text(head + body)
    u = {"id": "U", "signed_on": "2026-01-10", "awarded": "100万元"}
    a = {"id": "A", "signed_on": "2026-01-10", "ranked_on": "2026-02-01", "awarded": "80万元"}
    result = policy.evaluate(_firm(a, u), as_of=dt.date(2027, 12, 31))
    got = {d.subject: d for d in result.decisions}
    assert (got["f1/U"].amount_kind, got["f1/U"].amount) == ("up_to", Money(100 * WAN))
    assert "product.ranked_on" in got["f1/U"].missing_facts
    assert all(g.subject != "f1/U" for g in result.grants)
    assert (got["f1/A"].amount_kind, got["f1/A"].amount) == ("up_to", Money(80 * WAN))
    assert result.grants == ()
