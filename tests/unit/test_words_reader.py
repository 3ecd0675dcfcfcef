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
