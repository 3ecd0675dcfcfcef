"""hBF: an expression in a Chinese line is said with the facts' titles, never its identifiers
(a product and a bound read as a policy text writes them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policyrules
from policyrules.summary import measure_summary
from policyrules.words import Words

RULE = """\
document sk "示例措施"
  valid from 2026-01-01 to 2028-12-31

entity firm "企业"
  list firms
  fact hq_introduced: determination "经认定为新引进的总部企业"
  fact office_rent_monthly: money "自用办公用房月租金"
  fact office_area: number "自用办公用房面积（平方米）"
  fact rent_months: number "已租用月数"
  fact rent_started_on: date "租用起始日期"

clause 二 "总部企业房租补贴"
  quote "按照实际租金的50%给予最长24个月的房租补贴，补贴标准最高不超过每平方米每天3元。"
  award hq_rent "总部企业房租补贴"
    for each firm
    eligible when hq_introduced and rent_started_on in force
    amount 50% of (min(rent_months, 24) × office_rent_monthly)
    cap 3 元 × office_area × 730
    cap 500 万元 per firm
"""
_IDENTIFIER = re.compile(r"[a-z]+_[a-z_]+|min\(")


@pytest.fixture(scope="module")
def rent(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    folder: Path = tmp_path_factory.mktemp("rent")
    (folder / "sk.rule").write_text(RULE, encoding="utf-8")
    return policyrules.load(folder)


def test_a_product_and_a_bound_are_said_with_titles(rent: policyrules.Policy) -> None:
    """The 给予 and 上限 lines read ``（「min(rent_months, 24) × office_rent_monthly」）的 50%``
    and ``不超过「3 元 × office_area × 730」``: the parser writes ``*`` as ``×``, which the
    words knew only as ``*``."""
    clause = next(c for c in rent.checked.clauses if c.label == "二")
    summary = measure_summary(rent.checked, clause)
    assert summary.grants == (
        "资金支持：（已租用月数（至多按 24 计） × 自用办公用房月租金）的 50%",
    )
    assert summary.caps[0] == "不超过 3 元 × 自用办公用房面积（平方米） × 730"
    for line in (*summary.grants, *summary.caps):
        assert not _IDENTIFIER.search(line), line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("max(24, rent_months) > 1", "已租用月数（至少按 24 计）"),
        ("rent_months - (office_area - 1) > 1", "已租用月数减（自用办公用房面积（平方米）减 1）"),
        ("(rent_months + 1) × 2 > 1", "（已租用月数加 1） × 2"),
        ("min(rent_months, office_area) > 1", "中较小者"),
    ],
)
def test_brackets_and_bounds(rent: policyrules.Policy, text: str, words: str) -> None:
    from policyrules import parse
    from policyrules import syntax as s

    module = parse(f'document d "d"\nclause 1 "c"\n  entitlement e\n    eligible when {text}\n')
    clause = module.items[1]
    assert isinstance(clause, s.Clause)
    line = clause.provisions[0].body[0]
    assert isinstance(line, s.Eligible)
    assert words in Words.of(rent.checked).expr(line.condition, "firm")


LOANS = """\
document sk "示例措施"
  valid from 2026-01-01 to 2028-12-31

entity firm "企业"
  list firms

entity loan "技术改造贷款"
  list loans of firm
  fact loan_started_on: date "贷款起始日期"
  fact interest_paid: list of money "各年度实际支付利息"

entity talent "高层次人才"
  list talents of firm
  fact joined_on: date "入职日期"

clause 一 "技术改造贷款贴息"
  quote "按照实际支付利息的50%给予贴息。"
  award loan_subsidy "技术改造贷款贴息"
    for each loan
    eligible when loan_started_on in force
    amount 50% of this_year(interest_paid)
    paid yearly for 3 years from loan_started_on

clause 三 "高层次人才奖励"
  quote "按每人50万元给予奖励。"
  award talent_award "高层次人才奖励"
    for each talent
    eligible when joined_on in force
    amount 50 万元
"""


def test_an_award_is_applied_for_by_the_firm_for_each_claim(tmp_path: Path) -> None:
    """示经信发〔2026〕8号 第一条、第三条 (the trial's newpol): 谁可申请 said 企业的技术改造贷款
    and 企业的高层次人才 (the thing paid for, not the applicant), and the interest of the
    payment year 拨付年度的各年度实际支付利息."""
    (tmp_path / "sk.rule").write_text(LOANS, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    loan, talent = (
        measure_summary(policy.checked, c) for c in policy.checked.clauses if c.provisions
    )
    assert loan.who == ("企业（按每笔技术改造贷款计）",)
    assert talent.who == ("企业（按每名高层次人才计）",)
    assert loan.grants[0] == "资金支持：拨付年度实际支付利息的 50%"
