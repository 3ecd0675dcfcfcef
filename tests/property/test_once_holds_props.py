"""A one-time (一次性) award per firm on an award of each product: an earlier product's claim
not yet settled may be the one paid, so no later product of the firm is exact on it (issue 9,
the kind "a missing fact holds nothing"; backends/python/once_hold.py).

The oracle: every way of filling in the missing facts (each unknown ``ok`` true or false,
each missing amount 0, 30 or 80 元), evaluated with everything known.  A claim reported
exact gets exactly that; one reported "up to" gets at most that (or is not eligible).

中文：“每家企业一次性”奖励：在先产品的申请尚未确定时，可能由其获得；在后产品只能确定上限，不拨付。
"""

from __future__ import annotations

import functools
from typing import Any

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules import Money, Policy
from support import Reported, assert_sound, fill_ins, reported

TEXT = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact ok: bool
  fact awarded: money

document d "测试"

clause 1
  quote "对企业首个获批产品给予一次性奖励。"

  award r "奖励"
    for each product
    eligible when ok
    amount decided awarded
    once per firm
"""

R = "d/1/r"


@functools.cache
def policy() -> Policy:
    return compile_text(TEXT)


Product = tuple[bool | None, int | None]


def _firm(products: list[Product]) -> dict[str, Any]:
    out = []
    for n, (ok, yuan) in enumerate(products, start=1):
        p: dict[str, Any] = {"id": f"P{n}"}
        if ok is not None:
            p["ok"] = ok
        if yuan is not None:
            p["awarded"] = f"{yuan} 元"
        out.append(p)
    return {"firms": [{"id": "F", "products": out}]}


def test_a_later_product_is_up_to_while_an_earlier_one_is_not_settled() -> None:
    """P1 eligible, its amount not decided yet; P2 eligible, 50 元.  If P1's amount is above
    0.00 元 it is paid and P2 is not eligible (一次性, paid before); else P2 gets 50 元: up to
    50 元, no grant.  中文：P1 金额未定，可能获得一次性奖励；P2 最多 50 元，不拨付。"""
    result = policy().evaluate(_firm([(True, None), (True, 50)]))
    got = {d.subject: d for d in result.decisions}
    assert (got["F/P2"].amount_kind, got["F/P2"].amount) == ("up_to", Money(5000))
    assert result.grants == ()
    assert "一次性奖励可能由在先尚未确定的申请获得：F/P1" in result.explain(lang="zh")
    assert "the one-time award may go to an earlier claim not settled: F/P1" in result.explain(
        lang="en"
    )
    assert result.to_json()["decisions"][1]["held_by"][0]["subject"] == "F/P1"


def test_an_earlier_product_of_unknown_eligibility_holds_it_too() -> None:
    """P1's `ok` missing: if true it takes the award first.  P2: up to 50 元."""
    got = reported(policy(), _firm([(None, 80), (True, 50)]))
    assert got[(R, "F/P2")] == ("eligible", Money(5000), "up_to")


def test_a_settled_earlier_product_decides_it() -> None:
    """P1 not eligible (ok false): P2 is the first, exactly 50 元."""
    got = reported(policy(), _firm([(False, None), (True, 50)]))
    assert got[(R, "F/P2")] == ("eligible", Money(5000), "exact")


_products = st.lists(
    st.tuples(
        st.sampled_from((None, True, True, False)),
        st.one_of(st.sampled_from((0, 30, 80)), st.none()),
    ),
    min_size=1,
    max_size=4,
)


def _completions(products: list[Product]) -> list[list[Product]]:
    """Every way of filling in the missing facts: each ``ok`` true or false, each amount 0,
    30 or 80 元."""
    return fill_ins(products, ((True, False), (0, 30, 80)))


def _taken(got: Reported) -> Money | None:
    """What a completion's decision takes: 0.00 元 when it is not eligible (an exact
    0.00 元 may turn "not eligible": 0 either way)."""
    return got[1] if got[0] == "eligible" else Money(0)


@settings(max_examples=60, deadline=None)
@given(_products)
def test_what_is_reported_holds_however_the_earlier_claims_turn_out(
    products: list[Product],
) -> None:
    completions = _completions(products)
    hypothesis.assume(len(completions) <= 400)
    assert_sound(
        policy(), _firm(products), map(_firm, completions), taken=_taken, skip_unknown=True
    )
