"""A claim whose year under a shared yearly cap is unknown may fall in any year: it must hold
its bound in every year of its scope, so no other claim of the firm is reported exact while
the missing date could take its room (issue 9, the worst kind of fault: an overpayment a
missing fact can undo).  On main 6a48ff9 A and B were exact and granted.

中文：年度上限所依据的日期缺失时，该申请可能计入任何年度，应在各年度预留其上限。"""

from __future__ import annotations

from tests.strategies import compile_text

from policyrules import Money

WAN = 10_000 * 100

RULE = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact approved_on: date
  fact awarded: money

document t "测试文件"
  valid from 2026-01-01 to 2026-12-31

clause 1
  quote "每家企业每年奖励不超过100万元，按批准先后顺序给予。"

  award r "奖励"
    for each product
    amount decided awarded
    cap 100 万元 per firm per year of approved_on
    order by approved_on, id
"""


def test_a_claim_of_unknown_year_holds_in_every_year() -> None:
    policy = compile_text(RULE)
    products = [
        {"id": "A", "approved_on": "2026-03-01", "awarded": "80万元"},
        {"id": "U", "awarded": "60万元"},
        {"id": "B", "approved_on": "2026-05-01", "awarded": "50万元"},
    ]
    for explain in (False, True):
        result = policy.evaluate({"firms": [{"id": "f1", "products": products}]}, explain=explain)
        got = {d.subject: d for d in result.decisions}
        # U (date unknown, so first in the order, and in any year) holds 60 万元 in 2026 too.
        # A: at most 100 − 0 = 100 → 80 万元; at least 100 − 60 = 40 万元: up to 80 万元.
        # B: A is undecided, counted as nothing for the upper bound (the engine's rule for
        # every undecided earlier claim, as tests/unit/test_order_unknown.py): at most
        # 100 − 0 = 100 → 50 万元; at least (100 − 60 − 80)⁺ = 0: up to 50 万元.
        # (The true worst cases: U of 2026-01-10: U 60, A 40, B 0; U of 2027: A 80, B 20.)
        # 中文：U 的获批日期缺失，可能计入 2026 年度，在该年度预留 60 万元。
        # A：最多 100 − 0 = 100 → 80 万元，最少 100 − 60 = 40 万元，"最多 80 万元"；
        # B：A 未确定，计算上限时不计（与排序未知的情形相同），最多 50 万元，最少 0 元。
        assert (got["f1/U"].amount_kind, got["f1/U"].amount) == ("up_to", Money(60 * WAN))
        assert (got["f1/A"].amount_kind, got["f1/A"].amount) == ("up_to", Money(80 * WAN))
        assert (got["f1/B"].amount_kind, got["f1/B"].amount) == ("up_to", Money(50 * WAN))
        assert result.grants == ()


def test_claims_of_a_year_served_before_it_stay_exact() -> None:
    """`order by id`: U (no date) is served after A, so A is exact; B after U is not.
    中文：按编号排序时，排在 U 之前的 A 不受影响，金额确定；排在 U 之后的 B 只能确定上限。"""
    policy = compile_text(RULE.replace("order by approved_on, id", "order by id"))
    products = [
        {"id": "A", "approved_on": "2026-03-01", "awarded": "30万元"},
        {"id": "B", "approved_on": "2026-05-01", "awarded": "50万元"},
        {"id": "U", "awarded": "60万元"},
        {"id": "V", "approved_on": "2027-02-01", "awarded": "50万元"},
    ]
    for explain in (False, True):
        result = policy.evaluate({"firms": [{"id": "f1", "products": products}]}, explain=explain)
        got = {d.subject: d for d in result.decisions}
        # A first: 100 − 0 → 30 万元, exact.  B: 100 − 30 = 70 → 50 万元, exact (U after it).
        # U: at most its cap, 100 → 60 万元, up to; it holds 60 in 2026 and in 2027.
        # V (2027, after U): at most 100 → 50; at least (100 − 60)⁺ = 40 < 50: up to 50 万元.
        # 中文：A 30 万元、B 50 万元确定；U 最多 60 万元；V 在 U 之后，最多 50 万元，不能确定。
        kinds = {s: (d.amount_kind, d.amount) for s, d in got.items()}
        assert kinds == {
            "f1/A": ("exact", Money(30 * WAN)),
            "f1/B": ("exact", Money(50 * WAN)),
            "f1/U": ("up_to", Money(60 * WAN)),
            "f1/V": ("up_to", Money(50 * WAN)),
        }
        assert {g.path[-1][1] for g in result.grants} == {"A", "B"}


def test_the_hold_is_named_in_both_languages() -> None:
    """V's explanation names U's hold and why (its year unknown); U's cap line says it holds
    its amount in every year.  中文说明：V 的说明指出 U 暂占额度及原因（计入年度未知）。"""
    policy = compile_text(RULE.replace("order by approved_on, id", "order by id"))
    products = [
        {"id": "U", "awarded": "60万元"},
        {"id": "V", "approved_on": "2027-02-01", "awarded": "50万元"},
    ]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    zh = result.explain(lang="zh")
    assert "f1/U 按《测试文件》第1条“奖励”暂占 60 万元（计入哪一年度未知" in zh
    assert "所属年度未知，尚缺product.approved_on；可能计入任何年度，在各年度预留本次金额" in zh
    en = result.explain(lang="en")
    assert "the year it counts in is not known (the date is missing)" in en
    assert "it may count in any year: it holds its amount in each" in en
