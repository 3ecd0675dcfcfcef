"""Faults a native reader found in the Chinese texts of decisions: each test reads a line
as a firm's staff member would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.strategies import compile_text
from tests.support import run_cli

import policyrules
from policyrules import syntax as s
from policyrules.explain_exclusive import provision_zh
from policyrules.explain_zh import decision_text_zh, explain_text_zh
from policyrules.parse import parse
from policyrules.words import Words

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / name).read_text("utf-8"))
    return data


def _condition(text: str) -> s.Expr:
    """The condition of ``eligible when TEXT`` in a one-provision module."""
    module = parse(f'document d "d"\nclause 1 "c"\n  entitlement e\n    eligible when {text}\n')
    clause = module.items[1]
    assert isinstance(clause, s.Clause)
    line = clause.provisions[0].body[0]
    assert isinstance(line, s.Eligible)
    return line.condition


def _block(text: str, head: str) -> str:
    """The block of the whole text that starts with ``head``."""
    (block,) = [b for b in text.split("\n\n") if b.startswith(head)]
    return block


def _refused(text: str, start: str) -> list[str]:
    """The lines of the 不符合条件 part that start (after their indent) with ``start``."""
    part = text.split("不符合条件：\n", 1)[1].split("\n\n", 1)[0]
    return [line for line in part.splitlines() if line.startswith(f"  {start}")]


# ---- 2. a fact stated none said plainly -----------------------------------------------------


def test_a_fact_stated_none_is_said_as_its_title_note(beijing: policyrules.Policy) -> None:
    """A smart factory stated to hold no title (factory_title: none) is refused 第12条;
    its value is the note of its title (none：未获评任何智能工厂称号), not 无（已声明不存在）.
    A product approved by no foreign authority (none：未在境外获批上市) likewise for 第13条."""
    facts = _example("firm-c.yaml")
    firm = facts["firms"][0]
    firm["projects"] = [p for p in firm["projects"] if p["id"] == "F1"]
    firm["projects"][0]["factory_title"] = "none"
    firm["products"][0]["overseas_authority"] = "none"
    facts["firms"][0] = firm
    text = beijing.evaluate(facts).explain()
    (f1,) = _refused(text, "京经信发〔2025〕50号 第12条")
    assert f1.endswith("（智能工厂获评的称号（第12条）：未获评任何智能工厂称号）")
    (c1,) = [x for x in _refused(text, "京经信发〔2025〕50号 第13条") if "/C1：" in x]
    assert "（批准其境外上市的机构：未在境外获批上市；" in c1
    assert "已声明不存在" not in text


def test_a_fact_stated_none_without_a_note_is_wu() -> None:
    """A title with no note on none: the value is 无, nothing made up."""
    policy = compile_text(
        """entity firm "企业"
  list firms
  fact honoured_on: date or none "获评日期"
document d "测试"
clause 1 "t"
  quote "q"
  entitlement e "测试待遇"
    for each firm
    eligible when honoured_on is not none
    consequence "c"
"""
    )
    text = policy.evaluate({"firms": [{"id": "f", "honoured_on": "none"}]}).explain()
    assert "（获评日期：无）" in text
    assert "已声明不存在）" not in text


# ---- 3. an eligible decision lists the facts it rests on ------------------------------------


def test_an_eligible_decision_lists_no_fact_it_did_not_need(beijing: policyrules.Policy) -> None:
    """firm-a's A1 takes 第3条 by its launch route (进入国家优先审批程序): the other side of
    the `or` (other_national_project) is not given and not needed, so not listed as 未提供;
    the same in the decision's own text and in the whole text."""
    result = beijing.evaluate(_example("firm-a.yaml"))
    head = (
        "【符合条件】京经信发〔2025〕50号 第3条 创新医疗器械获批上市一次性奖励 —— 对象：firm-a/A1"
    )
    whole = _block(result.explain(), head)
    (d,) = [
        d
        for d in result.decisions
        if d.provision == "jjxf_2025_50/3/launch_reward" and d.subject == "firm-a/A1"
    ]
    assert decision_text_zh(d, beijing.words) == whole
    assert (
        "  所依据的情况：境内获批上市（注册）日期：2026年3月2日；主管部门决定的上市奖励金额："
        "200 万元；获批上市前承担的国家项目或进入的审评审批程序：进入国家优先审批程序\n"
    ) in whole
    assert "未提供" not in whole


def test_a_missing_fact_the_outcome_waits_on_is_still_listed(
    beijing: policyrules.Policy,
) -> None:
    """firm-d's D-102 takes (四) as clinically urgent: markedly_improved, not given, is
    left out.  H-1/PI-1 is eligible but its amount waits on pi_support_decided: listed as
    未提供.  CTA-2's deadline is not reported done: its completion date stays 未提供."""
    text = beijing.evaluate(_example("drugmaker-d.yaml")).explain()
    green = _block(text, "【符合条件】京医保发〔2025〕5号（四）")
    assert "  所依据的情况：经认定为临床急需的药品：是\n" in green
    assert "疗效显著改善的创新药：" not in green
    pi = _block(text, "【符合条件】京医保发〔2025〕5号（二）牵头完成国际多中心临床试验的项目负责人")
    assert "；主管部门决定给予项目负责人的资金支持金额：未提供\n" in pi
    cta2 = _block(
        text,
        "【尚未报告完成】京医保发〔2025〕5号（六）试点临床试验申请审批时限 —— 对象：firm-d/CTA-2",
    )
    assert "临床试验申请审批完成日期：未提供" in cta2


OR_AWARD = """entity firm "企业"
  list firms
  fact listed: bool "已上市"
  fact honoured: bool "获评称号"
  fact base: money "投资额"
document d "测试"
clause 1 "t"
  quote "q"
  award a "测试奖励"
    for each firm
    eligible when listed or honoured
    amount 10% of base
"""


def test_a_paid_claim_lists_no_fact_it_did_not_need() -> None:
    """A claim paid because ``listed`` (``honoured`` not given, not needed) leaves
    ``honoured`` out of its facts; 10% of 100 万元 = 10 万元."""
    policy = compile_text(OR_AWARD)
    text = policy.evaluate({"firms": [{"id": "f", "listed": True, "base": "100万元"}]}).explain()
    assert "  金额：10 万元（确定金额）\n  所依据的情况：投资额：100 万元；已上市：是\n" in text
    assert "未提供" not in text


# ---- 1. a date not in force: the period said --------------------------------------------------


def test_a_date_not_in_force_is_told_the_period(beijing: policyrules.Policy) -> None:
    """D-101's NDA was submitted 2025-02-20, before 京医保发〔2025〕5号 took effect
    (valid from 2025-04-07, no end): the line says from when the policy holds, beside the
    date.  A park project applied for on 2029-02-01, after 京经信发〔2025〕50号 ends
    (2025-11-24 to 2028-12-31), is told both ends."""
    text = beijing.evaluate(_example("drugmaker-d.yaml")).explain()
    (d101,) = [x for x in _refused(text, "京医保发〔2025〕5号（十九）提交") if "D-101：" in x]
    assert d101.endswith(
        "：未满足：向药监部门提交新药上市申请的日期在本政策有效期内（向药监部门提交新药上市申请"
        "的日期：2025年2月20日；本政策有效期按2025年4月7日起计，文本未规定截止日期）"
    )
    late = {
        "firms": [
            {
                "id": "f",
                "projects": [
                    {
                        "id": "P1",
                        "kind": "park",
                        "applied_on": "2029-02-01",
                        "total_investment": "100万元",
                        "support_decided": "10万元",
                    }
                ],
            }
        ]
    }
    (park,) = _refused(beijing.evaluate(late).explain(), "京经信发〔2025〕50号 第7条 园区项目支持")
    assert park.endswith(
        "：未满足：申报日期在本政策有效期内（申报日期：2029年2月1日；"
        "本政策有效期按2025年11月24日至2028年12月31日计）"
    )


def test_a_start_moved_by_the_assumption_is_said(beijing: policyrules.Policy) -> None:
    """With the events counted from 2024-08-01 (medicine_events_from), D-201's NDA of
    2024-06-10 is still too early, D-101's of 2025-02-20 is not: the line says the start
    the evaluation used, not the document's alone."""
    result = beijing.evaluate(
        _example("drugmaker-d.yaml"), assumptions={"medicine_events_from": "2024-08-01"}
    )
    (only,) = _refused(result.explain(), "京医保发〔2025〕5号（十九）提交")
    assert only.endswith(
        "—— firm-d/D-201：未满足：向药监部门提交新药上市申请的日期在本政策有效期内（向药监部门"
        "提交新药上市申请的日期：2024年6月10日；本政策有效期按2025年4月7日起计，文本未规定截止日期；"
        "按采用的假设，计入2024年8月1日及以后的事件）"
    )


# ---- 4. an or of tests of one value said once -------------------------------------------------


def test_article_6_says_the_years_once(beijing: policyrules.Policy) -> None:
    """firm-c's new approvals in 2019 only, applied 2027-03-15: 2026, 2025 and 2024 (2027
    less 1, 2, 3, the third by the default recent_window) are not among them.  The refusal
    names the long title of new_approval_years once in the condition (and once for its
    value), not once a year."""
    facts = _example("firm-c.yaml")
    facts["firms"][0]["new_approval_years"] = [2019]
    (line,) = _refused(beijing.evaluate(facts).explain(), "京经信发〔2025〕50号 第6条")
    title = "企业有产品新获批上市（注册）的年份（第6条“近三年有新获批产品”）"
    assert line.endswith(
        f"：未满足：{title}包含申报第6条研发投入奖励的日期所在年度减 1、2 或 3 中的至少一个"
        f"（申报第6条研发投入奖励的日期：2027年3月15日；{title}：2019）"
    )
    assert line.count(title) == 2
    # tests of two facts stay two clauses
    said = Words.of(beijing.checked).expr(_condition("kind = park or recognised"), "project")
    assert said == (
        "项目类型为“建设产业服务、公共服务以及新型基础设施的园区项目”，"
        "或经主管部门认定（产业创新中心、中试平台）"
    )


@pytest.mark.parametrize(
    ("condition", "said"),
    [
        # members of one fact by = and in: one list, 或 before the last
        (
            "kind = park or kind in {pilot_platform, innovation_centre}",
            "项目类型是“建设产业服务、公共服务以及新型基础设施的园区项目”、“中试平台建设”"
            "或“产业创新中心建设”之一",
        ),
        (
            "kind in {park, pilot_platform}",
            "项目类型是“建设产业服务、公共服务以及新型基础设施的园区项目”或“中试平台建设”之一",
        ),
        # the same set, elements not of one shape: each said
        (
            "year(rd_reward_applied_on) in new_approval_years"
            " or year(rd_reward_decided_on) in new_approval_years",
            "企业有产品新获批上市（注册）的年份（第6条“近三年有新获批产品”）包含申报第6条研发"
            "投入奖励的日期所在年度或第6条奖励的决定日期所在年度中的至少一个",
        ),
    ],
    ids=["eq-and-in", "in", "one-set"],
)
def test_an_or_of_one_value_is_said_once(
    beijing: policyrules.Policy, condition: str, said: str
) -> None:
    scope = "project" if "kind" in condition else "firm"
    assert Words.of(beijing.checked).expr(_condition(condition), scope) == said


# ---- 5. refusals alike in one line ------------------------------------------------------------


def test_projects_of_other_kinds_are_refused_in_a_line_a_measure(
    beijing: policyrules.Policy,
) -> None:
    """firm-b's three projects (a park, a pilot platform, a supply-chain challenge) were
    refused 30 times over, one line each: 11 measures of other kinds refuse them (K1 and
    T1 are paid 第7条's park and pilot support, S1 第8条), each in one line naming the
    projects once, the same from the rows as from the decisions."""
    facts = _example("firm-b.yaml")
    result = beijing.evaluate(facts)
    text = result.explain()
    lines = _refused(text, "")
    assert len(lines) == 11  # 8 measures refuse all 3, 3 refuse 2: 8 × 3 + 3 × 2 = 30 before
    assert lines[0] == (
        "  京经信发〔2025〕50号 第1条 早期创新创业项目奖励 —— firm-b/K1、firm-b/S1、firm-b/T1："
        "项目类型不是本条所列的“早期创新创业项目（首都医学科技创新成果转化优促计划、"
        "‘创赢未来’路演）”"
    )
    (pilot,) = _refused(text, "京经信发〔2025〕50号 第7条 经认定的中试平台建设支持")
    assert pilot.endswith(" —— firm-b/K1、firm-b/S1：项目类型不是本条所列的“中试平台建设”")
    assert text == explain_text_zh(beijing.evaluate(facts), beijing.words)  # from decisions


def test_many_subjects_refused_alike_are_bounded(beijing: policyrules.Policy) -> None:
    """Seven park projects refused 第1条 (not early-stage ventures): the first five named,
    then how many (7); the claims refused alike for another reason (the same values) in
    one line too: 第2条's D-101 and D-201 not clinically urgent (drugmaker-d, (八))."""
    parks = [
        {
            "id": f"P{n}",
            "kind": "park",
            "applied_on": "2026-03-10",
            "total_investment": "100万元",
            "support_decided": "10万元",
        }
        for n in range(1, 8)
    ]
    text = beijing.evaluate({"firms": [{"id": "f", "projects": parks}]}).explain()
    (first,) = _refused(text, "京经信发〔2025〕50号 第1条")
    assert " —— f/P1、f/P2、f/P3、f/P4、f/P5 等 7 个项目：项目类型不是本条所列的" in first
    text = beijing.evaluate(_example("drugmaker-d.yaml")).explain()
    (urgent,) = _refused(text, "京医保发〔2025〕5号（八）")
    assert urgent.endswith(" —— firm-d/D-101、firm-d/D-201：未满足：经认定为临床急需的药品（否）")
    # a subject refused alone keeps its own line, its value said
    (sup,) = _refused(text, "京医保发〔2025〕5号（六）试点临床试验申请审批时限")
    assert sup.endswith("（试点申请的类型：药品补充申请）")


_KINDS = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact kind: Kind "项目类型"
  fact cost: money "投资额"

enum Kind "项目类型" {
  park "园区项目",
  pilot "中试平台",
}

document d "测试"

clause 1 "园区"
  quote "q"
  entitlement park "园区项目支持"
    for each project
    eligible when kind = park and cost >= 100 万元
    consequence "纳入园区支持"
"""


def test_one_subject_refused_for_its_kind_says_it_as_a_group_of_one(
    beijing: policyrules.Policy,
) -> None:
    """firm-c's F1 alone refused 第10条's model support as F1 and M1 together are refused
    第7条's park support: the same form (the kind not the measure's), F1's own kind beside
    it, not the long 未满足：项目类型为“…” one; from the rows as from the decisions."""
    facts = _example("firm-c.yaml")
    text = beijing.evaluate(facts).explain()
    (model,) = _refused(text, "京经信发〔2025〕50号 第10条 行业大模型算力成本支持")
    assert model.endswith(
        " —— firm-c/F1：项目类型不是本条所列的“医疗器械企业联合大模型企业开发部署的行业大模型”"
        "（项目类型：智能工厂建设项目）"
    )
    (park,) = _refused(text, "京经信发〔2025〕50号 第7条 园区项目支持")
    assert park.endswith(" —— firm-c/F1、firm-c/M1：项目类型不是本条所列的“建设产业服务、"
                         "公共服务以及新型基础设施的园区项目”")  # fmt: skip
    assert "未满足：项目类型为" not in text
    assert text == explain_text_zh(beijing.evaluate(facts), beijing.words)  # from decisions
    # Refused for its kind and its cost too, a subject alone keeps both reasons.
    policy = compile_text(_KINDS)
    firm = {"id": "f", "projects": [{"id": "Q1", "kind": "pilot", "cost": "50万元"}]}
    both = policy.evaluate({"firms": [firm]}).explain()
    assert "f/Q1：未满足：项目类型为“园区项目”（项目类型：中试平台）；未满足：" in both


def test_a_false_yes_no_condition_says_its_title_once(beijing: policyrules.Policy) -> None:
    """A yes/no fact tested as it is: its title is the condition, so the reason gives the
    value alone (未满足：进口药品（否）), not the title twice; a condition of several facts
    still names each beside its value."""
    facts = _example("drugmaker-d.yaml")
    result = beijing.evaluate(facts)
    text = result.explain()
    (imported,) = _refused(text, "京医保发〔2025〕5号（十四）进口药品通关检验用量")
    assert imported.endswith("：未满足：进口药品（否）")
    (green,) = _refused(text, "京医保发〔2025〕5号（四）")
    assert green.endswith("（经认定为临床急需的药品：否；经认定为疗效显著改善的创新药：否）")
    said = [
        decision_text_zh(d, beijing.words) for d in result.decisions if d.subject == "firm-d/D-101"
    ]
    (own,) = [t for t in said if "进口药品通关检验用量" in t]  # the decision's own text too
    assert "未满足：进口药品（否）" in own
    assert text == explain_text_zh(beijing.evaluate(facts), beijing.words)  # from decisions


# ---- 6. one style: quotes within quotes, a measure's label --------------------------------


def test_a_quotation_inside_a_quotation_is_in_single_quotes(beijing: policyrules.Policy) -> None:
    """The member title 早期创新创业项目（…“创赢未来”路演） quoted in a condition: its own
    quotation in ‘’ (as docs/glossary.md writes one), not “…“创赢未来”…”."""
    text = beijing.evaluate(_example("firm-a.yaml")).explain()
    (j1,) = _refused(text, "京经信发〔2025〕50号 第1条")
    assert "本条所列的“早期创新创业项目（首都医学科技创新成果转化优促计划、‘创赢未来’路演）”" in j1
    assert "“创赢未来”" not in j1


def test_a_bracketed_label_is_written_one_way(
    beijing: policyrules.Policy, capsys: pytest.CaptureFixture[str]
) -> None:
    """（十九）: the decision's head, the measure's summary (explain) and a provision named
    in a line (provision_zh) all write 京医保发〔2025〕5号（十九）, not ``5号 （十九）`` nor
    ``5号 (十九)``; the form printed is the form ``explain`` takes."""
    text = beijing.evaluate(_example("drugmaker-d.yaml")).explain()
    assert "【符合条件】京医保发〔2025〕5号（十九）提交新药上市申请后" in text
    named = provision_zh(beijing.words, "jybf_2025_5/(十九)/early_engagement")
    assert named == "京医保发〔2025〕5号（十九）“提交新药上市申请后提前沟通医保准入和入院使用”"
    code, out, _ = run_cli(
        capsys, "explain", ROOT / "policies" / "beijing_2025", "京医保发〔2025〕5号（十九）"
    )
    assert (code, out.splitlines()[0]) == (
        0,
        "京医保发〔2025〕5号（十九）创新药医保准入、挂网与支付",
    )
    for other in ("5号 （十九）", "5号 (十九)", "5号(十九)"):
        assert other not in text + named + out
