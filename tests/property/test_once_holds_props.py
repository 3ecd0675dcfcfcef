"""A one-time (一次性) award per firm on an award of each product: an earlier product's claim
not yet settled may be the one paid, so no later product of the firm is exact on it (issue 9,
the kind "a missing fact holds nothing"; backends/python/once_hold.py).

The oracle: every way of filling in the missing facts (each unknown ``ok`` true or false,
each missing amount 0, 30 or 80 元), evaluated with everything known.  A claim reported
exact gets exactly that; one reported "up to" gets at most that (or is not eligible).

中文：“每家企业一次性”奖励：在先产品的申请尚未确定时，可能由其获得；在后产品只能确定上限，不拨付。
"""

from __future__ import annotations

import itertools
from typing import Any

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules import Money, Policy

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

_POLICY: list[Policy] = []


def policy() -> Policy:
    if not _POLICY:
        _POLICY.append(compile_text(TEXT))
    return _POLICY[0]


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


def _decisions(facts: dict[str, Any], explain: bool = True) -> dict[str, Any]:
    result = policy().evaluate(facts, explain=explain)
    return {d.subject: (d.status, d.amount, d.amount_kind) for d in result.decisions}


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
    got = _decisions(_firm([(None, 80), (True, 50)]))
    assert got["F/P2"] == ("eligible", Money(5000), "up_to")


def test_a_settled_earlier_product_decides_it() -> None:
    """P1 not eligible (ok false): P2 is the first, exactly 50 元."""
    got = _decisions(_firm([(False, None), (True, 50)]))
    assert got["F/P2"] == ("eligible", Money(5000), "exact")


_products = st.lists(
    st.tuples(
        st.sampled_from((None, True, True, False)),
        st.one_of(st.sampled_from((0, 30, 80)), st.none()),
    ),
    min_size=1,
    max_size=4,
)


def _completions(products: list[Product]) -> list[list[Product]]:
    holes = [(n, i) for n, p in enumerate(products) for i in (0, 1) if p[i] is None]
    values = {0: (True, False), 1: (0, 30, 80)}
    out = []
    for filled in itertools.product(*(values[i] for _, i in holes)):
        full = [list(p) for p in products]
        for (n, i), v in zip(holes, filled, strict=True):
            full[n][i] = v
        out.append([(a, b) for a, b in full])
    return out


@settings(max_examples=60, deadline=None)
@given(_products)
def test_what_is_reported_holds_however_the_earlier_claims_turn_out(
    products: list[Product],
) -> None:
    hypothesis.assume(len(_completions(products)) <= 400)
    partial = _decisions(_firm(products))
    assert partial == _decisions(_firm(products), explain=False)
    for full in _completions(products):
        complete = _decisions(_firm(full))
        for key, (status, amount, kind) in partial.items():
            if status != "eligible" or kind == "unknown":
                continue
            got = complete[key]
            taken = got[1] if got[0] == "eligible" else Money(0)
            if kind == "exact":  # (an exact 0.00 元 may turn "not eligible": 0 either way)
                assert taken == amount, (key, partial[key], got)
            else:
                assert taken <= amount, (key, partial[key], got)
