"""A claim whose year under a shared yearly cap is unknown may fall in any year: it must hold
its bound in every year of its scope, so no other claim of the firm is reported exact while
the missing date could take its room (issue 9, the worst kind of fault: an overpayment a
missing fact can undo).  FAILS on main 98bb940: the fix is the next step (see the closing
note of 2026-12-01, sixth session).

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
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    got = {d.subject: d for d in result.decisions}
    # U 若于 2026-01-10 获批：U 60 万元，A 100 − 60 = 40 万元，B 0 元；
    # U 若在别的年度：A 80 万元，B 20 万元。A 最多 80 万元、B 最多 20 万元，都不能确定。
    assert (got["f1/A"].amount_kind, got["f1/A"].amount) == ("up_to", Money(80 * WAN))
    assert (got["f1/B"].amount_kind, got["f1/B"].amount) == ("up_to", Money(20 * WAN))
    assert result.grants == ()
