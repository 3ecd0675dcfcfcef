"""A small policy of a document whose measures are labelled 一、二、三 (as many local texts
number them), written for the tests of what a Chinese reader sees of a new policy: its
headings, a tier table, a time limit, caps said in words (tests/unit/test_zh_clause_readers.py)
and a clause reference built in a site of its own (tests/docs/test_new_site.py)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FIRM", "write_policy"]

COMMON = """\
entity firm "企业"
  list firms
  fact annual_revenue: money "上一年度营业收入"

entity drug "药品品种"
  list drugs of firm
  fact innovative_class1: bool "1类创新药"
  fact certificate_on: date "取得药品注册证书日期"

entity application "申报材料"
  list applications of firm
  fact received_on: date "区科委收到申报材料日期"
  fact reviewed_on: date "完成审核日期"
"""

RULES = """\
document sqkf_2026_3 "示例区促进生物医药产业高质量发展若干措施"
  number "示区科发〔2026〕3号"
  agency "示例区科学技术委员会"
  issued 2026-02-10
  valid from 2026-02-10 to 2028-12-31
  measures 3

clause 一 "支持创新药上市"
  quote "对新获得药品注册证书的1类创新药，给予一次性奖励500万元，单个企业年度奖励不超过1000万元。"

  award class1_reward "1类创新药上市一次性奖励"
    for each drug
    eligible when innovative_class1
    eligible when certificate_on in force
    amount 500 万元
    once per drug
    cap 1000 万元 per firm per year of certificate_on

clause 二 "支持企业做大做强"
  quote "对年度营业收入首次突破1亿元、5亿元、10亿元的企业，分别给予50万元、100万元、200万元奖励。"

  table scale_tiers "营业收入首次突破规模奖励档次": money to money
    from 1 亿元 give 50 万元
    from 5 亿元 give 100 万元
    from 10 亿元 give 200 万元

  award scale_reward "规模跃升奖励"
    for each firm
    eligible when annual_revenue reaches scale_tiers
    amount scale_tiers[annual_revenue]

clause 三 "优化审核服务"
  quote "区科委收到企业申报材料后，应当在15个工作日内完成审核。"

  deadline review "申报材料审核时限"
    for each application
    due 15 工作日 after received_on
    done reviewed_on
"""

FIRM = {
    "firms": [
        {
            "id": "0701",
            "annual_revenue": "6亿元",
            "drugs": [{"id": "D1", "innovative_class1": True, "certificate_on": "2026-03-01"}],
            "applications": [
                {"id": "A1", "received_on": "2026-09-28", "reviewed_on": "2026-10-20"}
            ],
        }
    ]
}
"""A firm of 6亿元 (the 5亿元 tier), one drug, one application reviewed in time."""


def write_policy(folder: Path) -> Path:
    """The policy's two files in ``folder`` (made if need be); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "common.rule").write_text(COMMON, "utf-8")
    (folder / "shiqu-2026-3.rule").write_text(RULES, "utf-8")
    return folder
