"""A one-time (一次性) award held by an earlier claim whose own amount is exact but which may
still lose to a rival of its exclusive group (就高): the later claim's hold names that
reason, ``exclusive``, as a shared cap's hold of the same claim does (issue 9; before, the
one-time hold said ``amount``, "its amount is not settled", of an amount the text fixes).

中文：在先产品自身金额确定，但同组“就高”的另一项尚未确定、可能由其获得支持；在后产品因一次性奖励
可能由在先产品获得而只能确定上限，说明的理由应为“不重复支持（就高）”，而非“金额尚未确定”。
"""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

from policyrules import Money, Policy
from policyrules.runtime.holds import Hold
from policyrules.vocab import HOLD_REASONS, HOLD_REASONS_EN

TEXT = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact recognised: bool

document d "测试"

clause 1
  quote "首个产品一次性奖励50元；经认定的产品奖励80元；不重复支持，就高。"
  exclusive a, b among product keep highest

  award a "首发奖励"
    for each product
    amount 50 元
    once per firm

  award b "认定奖励"
    for each product
    eligible when recognised
    amount 80 元
"""

# P1 的认定情况未提供，P2 未获认定。
FACTS = {"firms": [{"id": "F", "products": [{"id": "P1"}, {"id": "P2", "recognised": False}]}]}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(TEXT)


@pytest.mark.parametrize("explain", [True, False])
def test_the_later_product_names_the_exclusive_reason(policy: Policy, explain: bool) -> None:
    """P1 先于 P2（按编号）。P1：首发奖励 a 固定 50 元（自身金额确定）；认定奖励 b 的条件
    recognised 未提供：若获认定则 b = 80 元 > 50 元，按就高由 b 支持、a 不支持；否则 a 得 50 元。
    故 P1 的 a 最高 50 元，尚未确定，暂占企业 F 的一次性奖励，理由是“就高”（exclusive），
    不是金额未定。P2：未获认定，b 不符合条件，a 按就高确定为 50 元；但一次性奖励可能已由 P1 获得，
    故 P2 的 a 最高 50 元，不拨付，held_by 指向 P1，理由 exclusive，暂占 50 元。"""
    result = policy.evaluate(FACTS, explain=explain)
    got = {(d.provision, d.subject): d for d in result.decisions}
    p1, p2 = got[("d/1/a", "F/P1")], got[("d/1/a", "F/P2")]
    assert (p1.status, p1.amount, p1.amount_kind) == ("eligible", Money(5000), "up_to")
    assert (p2.status, p2.amount, p2.amount_kind) == ("eligible", Money(5000), "up_to")
    assert p2.held_by == (Hold("F/P1", "d/1/a", "exclusive", Money(5000)),)
    assert result.grants == ()
    (j,) = [
        d
        for d in result.to_json()["decisions"]
        if (d["provision"], d["subject"]) == ("d/1/a", "F/P2")
    ]
    assert j["held_by"] == [
        {"subject": "F/P1", "provision": "d/1/a", "why": "exclusive", "amount": "50.00"}
    ]


def test_both_languages_give_the_exclusive_reason(policy: Policy) -> None:
    """The P2 line names P1 and the 就高 reason, never "its amount is not settled"."""
    result = policy.evaluate(FACTS)
    zh = next(x for x in result.explain().splitlines() if "一次性奖励可能由" in x)
    assert "F/P1 按《测试》第1条“首发奖励”" in zh
    assert HOLD_REASONS["exclusive"] in zh
    assert HOLD_REASONS["amount"] not in zh
    en = next(x for x in result.explain(lang="en").splitlines() if "one-time award" in x)
    assert "F/P1 under d/1/a" in en
    assert HOLD_REASONS_EN["exclusive"] in en
    assert HOLD_REASONS_EN["amount"] not in en


def test_the_earlier_product_does_not_say_the_text_fixes_only_ceilings(policy: Policy) -> None:
    """P1's 50 元 is fixed by the text (首个产品一次性奖励50元); it is "up to" only because the
    rival b may win (就高): its amount line says that, not 文本只规定了上限."""
    result = policy.evaluate(FACTS)
    zh = next(x for x in result.explain().splitlines() if x.startswith("  金额：最高 50.00 元"))
    assert "同组不重复支持（就高）的其他奖励尚未确定" in zh
    assert "文本只规定了上限" not in zh
    en = result.explain(lang="en").splitlines()
    line = next(x for x in en if x.startswith("  amount: up to 50.00 元 (a bound"))
    assert "another award of its exclusive group may still be the one paid" in line
    assert "the text fixes only ceilings" not in line


ONCE_TEXT = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact ok: bool
  fact fee_claimed: bool
  fact fee: money

document d "测试"

clause 1
  quote "对企业首个获批产品给予一次性奖励50元；产品服务费补助，与奖励合计每家不超过100元。"

  award r "奖励"
    for each product
    eligible when ok
    amount 50 元
    once per firm
    cap 100 元 per firm shared firm_pool

  award s "服务费补助"
    for each product
    eligible when fee_claimed
    amount decided fee
    cap 100 元 per firm shared firm_pool
"""


def test_a_claim_held_back_by_an_earlier_one_time_claim_says_so() -> None:
    """共享额度 firm_pool 按产品编号依次计入：P1、P2、P3。P1 是否获批（ok）未知：若获批，一次性
    奖励 50 元由 P1 获得，故 P1 暂占 50 元（理由：是否符合条件尚未确定）。P2 已获批、金额 50 元
    确定，但一次性奖励可能已由 P1 获得，故 P2 最高 50 元、不拨付，暂占 50 元，理由是“一次性奖励
    可能由在先尚未确定的申请获得”（once），不是“就高”（此前误写为 exclusive）。P3 未获批，申请
    服务费补助 60 元：100 − 0 已拨付 = 100 ≥ 60，但暂占 50 + 50 = 100，剩余 0，故最高 60 元，
    不拨付；其说明列出 P2 暂占 50 元及理由 once。"""
    policy = compile_text(ONCE_TEXT)
    products = [
        {"id": "P1", "fee_claimed": False},
        {"id": "P2", "ok": True, "fee_claimed": False},
        {"id": "P3", "ok": False, "fee_claimed": True, "fee": "60 元"},
    ]
    result = policy.evaluate({"firms": [{"id": "F", "products": products}]})
    got = {(d.provision, d.subject): d for d in result.decisions}
    s = got[("d/1/s", "F/P3")]
    assert (s.amount, s.amount_kind) == (Money(6000), "up_to")
    (cap,) = s.caps
    assert set(cap.earlier.holds()) == {
        Hold("F/P1", "d/1/r", "eligibility", Money(5000)),
        Hold("F/P2", "d/1/r", "once", Money(5000)),
    }
    assert HOLD_REASONS["once"] in result.explain()
    assert HOLD_REASONS_EN["once"] in result.explain(lang="en")
    assert result.grants == ()
