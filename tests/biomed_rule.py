"""The policy a new user wrote for a made-up document of the Beijing family (示区科发〔2026〕3号,
six measures), as one rule file without its source: the base of the breaks the checker's W218,
W266-W272 catch (tests/unit/test_check_periods.py, test_check_ceilings.py,
test_check_unstated_exclusivity.py, test_check_named_clauses.py, test_check_once_words.py,
test_check_rates.py, test_check_ceiling_caps.py).  ``variant`` makes one break."""

from __future__ import annotations

import policyrules
from policyrules.errors import Diagnostic

__all__ = ["BIOMED", "variant", "warnings"]

# The two quotes too long for a line of this file.
Q2 = (
    "对企业新建生物医药产业化项目，按照项目设备投资的20%给予补助，最高不超过2000万元。"
    "同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持，不重复支持。"
)
Q4 = (
    "对年度营业收入首次突破1亿元、5亿元、10亿元的生物医药企业，"
    "分别给予50万元、100万元、200万元奖励。"
)

BIOMED = f"""\
entity firm "企业"
  list firms
  fact annual_revenue: money "上一年度营业收入"
  fact scale_applied_on: date "规模奖励申报日期"

entity drug "药品品种"
  list drugs of firm
  fact innovative_class1: bool "1类创新药"
  fact certificate_on: date "取得药品注册证书日期"
  fact trial_cost: money "临床试验费用"
  fact trial_applied_on: date "临床试验支持申报日期"

entity project "项目"
  list projects of firm
  fact kind: ProjectKind "项目类型"
  fact equipment_investment: money "项目设备投资"
  fact total_investment: money "项目总投资"
  fact applied_on: date "申报日期"

entity application "申报材料"
  list applications of firm
  fact received_on: date "区科委收到申报材料日期"
  fact reviewed_on: date "完成审核日期"

enum ProjectKind "项目类型" {{
  new_industrialisation "新建生物医药产业化项目",
  tech_upgrade "技术改造项目",
}}

enum YearBasis "年度计年依据" {{
  certificate "取得注册证书日期所在年度",
}}

enum TierReading "分档奖励的两种读法" {{
  top_up "晋档补差",
  highest_only "只享受最高档",
}}

document sqkf_2026_3 "示例区促进生物医药产业高质量发展若干措施"
  number "示区科发〔2026〕3号"
  agency "示例区科学技术委员会"
  issued 2026-02-10
  valid from 2026-02-10 to 2028-12-31
  measures 6

clause 一 "支持创新药上市"
  quote "对新获得药品注册证书的1类创新药，给予一次性奖励500万元，单个企业年度奖励不超过1000万元。"

  award class1_reward "1类创新药上市一次性奖励"
    for each drug
    eligible when innovative_class1
    eligible when certificate_on in force
    amount 500 万元
    once per drug
    cap 1000 万元 per firm per year of certificate_on
    order by certificate_on, id

clause 二 "支持产业化项目建设"
  quote "{Q2}"
  exclusive industrialisation_subsidy, upgrade_support among project keep highest ties by listed

  award industrialisation_subsidy "产业化项目设备投资补助"
    for each project
    eligible when kind = new_industrialisation
    eligible when applied_on in force
    amount 20% of equipment_investment
    cap 2000 万元 per project

clause 三 "支持技术改造"
  quote "对企业开展技术改造的项目，按照项目总投资的10%给予支持，最高不超过1500万元。"

  award upgrade_support "技术改造项目支持"
    for each project
    eligible when applied_on in force
    amount 10% of total_investment
    cap 1500 万元 per project

clause 四 "支持企业做大做强"
  quote "{Q4}"
  assumption tier_reading: TierReading = top_up "“分别给予”未说明晋档时如何计算：默认晋档补差。"

  table scale_tiers "营业收入首次突破规模奖励档次": money to money
    from 1 亿元 give 50 万元
    from 5 亿元 give 100 万元
    from 10 亿元 give 200 万元

  award scale_reward "规模跃升奖励"
    for each firm
    eligible when annual_revenue reaches scale_tiers
    eligible when scale_applied_on in force
    amount scale_tiers[annual_revenue]
    tiers by tier_reading

clause 五 "支持临床试验"
  quote "对企业开展临床试验的品种，按照临床试验费用的一定比例给予支持，单个品种不超过300万元。"
  parameter trial_rate: rate "“一定比例”：支持比例由实施细则确定，文本未给出"

  award trial_support "临床试验费用支持"
    for each drug
    eligible when trial_applied_on in force
    amount trial_rate of trial_cost
    cap 300 万元 per drug

clause 六 "优化审核服务"
  quote "区科委收到企业申报材料后，应当在15个工作日内完成审核。"

  deadline review "申报材料审核时限"
    for each application
    due 15 工作日 after received_on
    done reviewed_on
"""
"""The policy as its author meant it: ``policyrules check --strict`` finds nothing."""


def variant(old: str, new: str, text: str = BIOMED) -> str:
    """``text`` with the one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def warnings(text: str, *codes: str) -> list[Diagnostic]:
    """The warnings of checking ``text`` (one file, t.rule) whose code is one of ``codes``."""
    checked = policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    return [w for w in checked.warnings if w.code in codes]
