"""A measure in plain words, generated from its encoding (policyrules.summary)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.support import run_cli

import policyrules
from policyrules.model import ClauseInfo
from policyrules.summary import SECTIONS, measure_summary, summary_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _clause(policy: policyrules.Policy, clause_id: str) -> ClauseInfo:
    found = policy.checked.clause(clause_id)
    assert found is not None
    return found


def test_launch_reward_summary(beijing: policyrules.Policy) -> None:
    """第3条: who, the two conditions, the grant (decided, once per product), both caps,
    the validity, and what is left open (the decided amount, two assumptions)."""
    s = measure_summary(beijing.checked, _clause(beijing, "jjxf_2025_50/3"))
    assert s.heading == "京经信发〔2025〕50号 第3条 创新产品上市奖励"
    # the firm applies, a claim a product (hBF: 企业的医疗器械产品 read as the applicant)
    assert s.who == ("企业（按每个医疗器械产品计）",)
    assert s.conditions == (
        "获批上市前承担的国家项目或进入的审评审批程序至少有一项，"
        "或承担的其他国家项目经认定属于“揭榜挂帅等国家项目”",
        "境内获批上市（注册）日期在本政策有效期内",
    )
    assert s.grants == (
        "资金支持：金额由主管部门决定（主管部门决定的上市奖励金额），每个医疗器械产品只给一次",
    )
    assert s.caps == (
        "单个医疗器械产品不超过 200 万元",
        "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元",
    )
    assert s.deadlines == ("政策有效期：2025年11月24日至2028年12月31日",)
    assert s.open == (
        "具体金额由主管部门决定；未决定时只能给出上限",
        "年度上限按哪一日期计入年度：默认获批日期所在年度（假设，可改）",
        "企业年度上限在多笔申请之间的分配顺序：默认按获批日期先后，先获批者先得（假设，可改）",
    )
    assert s.related == ()


def test_open_parameter_and_amount(beijing: policyrules.Policy) -> None:
    """第13条: the amount is a share the text leaves open: the parameter by its title."""
    s = measure_summary(beijing.checked, _clause(beijing, "jjxf_2025_50/13"))
    assert s.grants == (
        "资金支持：境外注册申请成本的“一定支持”：支持比例由实施细则确定，文本未给出",
    )
    assert "“一定支持”：支持比例由实施细则确定，文本未给出（未设定，可在计算时给出）" in s.open


def test_twins_and_deadlines(beijing: policyrules.Policy) -> None:
    """京医保发 (八) has its twin in 京经信发 第2条; (六) has working-day deadlines."""
    twin = measure_summary(beijing.checked, _clause(beijing, "jybf_2025_5/(八)"))
    assert "相同规定：京经信发〔2025〕50号 第2条 检验时限" in twin.related
    six = measure_summary(beijing.checked, _clause(beijing, "jybf_2025_5/(六)"))
    assert any("30 个工作日内" in d for d in six.deadlines)
    assert all(d.startswith("【") or d.startswith("政策有效期") for d in six.deadlines)
    # 京医保发〔2025〕5号 has no end date: issued 2025-04-07, `valid from 2025-04-07`.
    assert six.deadlines[-1] == "政策有效期：自2025年4月7日起（文本未规定截止日期）"


def test_every_measure_has_a_summary_without_code(beijing: policyrules.Policy) -> None:
    """Each clause with a provision has at least 谁可申请, 适用于 (a time limit's or an
    entitlement's subject) or 给予; none shows an operator or a keyword of the language."""
    code = re.compile(r"[=<>!]|\b(and|or|not|in force|known|if|then|else|per)\b|「")
    for clause in beijing.checked.clauses:
        s = measure_summary(beijing.checked, clause)
        if any(p.kind in ("award", "entitlement", "deadline", "target") for p in clause.provisions):
            assert s.who or s.applies or s.grants, clause.id
        for _, items in s.sections():
            assert [i for i in items if code.search(i)] == [], clause.id


def test_summary_text_lists_sections_in_order(beijing: policyrules.Policy) -> None:
    s = measure_summary(beijing.checked, _clause(beijing, "jjxf_2025_50/7"))
    text = summary_text(s)
    heads = [line[:-1] for line in text.splitlines() if line.endswith("：")]
    assert heads == [title for name, title in SECTIONS if getattr(s, name)]
    assert "  · 【产业共性平台建设补助】资金支持：项目工程投资的 30%" in text.splitlines()


def test_cli_explain_in_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``explain POLICY 第3条`` prints the text and the summary; ``--lang en`` the English
    description with the encoding; ``--trace`` adds the encoding to the Chinese."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)
    code, out, _ = run_cli(capsys, "explain", "policies/beijing_2025", "第3条")
    assert code == 0
    assert "上限：\n  · 单个医疗器械产品不超过 200 万元\n" in out
    assert "encoding" not in out
    assert "cap 200" not in out
    code, out, _ = run_cli(capsys, "explain", "policies/beijing_2025", "3", "--trace")
    assert "编码：" in out
    assert "cap 200 万元 per product" in out
    code, out, _ = run_cli(capsys, "explain", "policies/beijing_2025", "3", "--lang", "en")
    assert out.startswith("京经信发〔2025〕50号 第3条 创新产品上市奖励\nchapter 一:")
    assert "encoding:" in out


def test_cli_explain_says_a_chapter_as_the_text_heads_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, beijing: policyrules.Policy
) -> None:
    """The sources head their parts ``一、支持…``, as the docs' pages do: ``explain`` says
    the chapter so, not ``第一章``; and every chapter of both documents' rules is a heading
    line of its source, numbered alike."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)
    code, out, _ = run_cli(capsys, "explain", "policies/beijing_2025", "3")
    assert code == 0
    assert out.splitlines()[1] == "一、支持创新器械临床研发和注册上市"
    assert "第一章" not in out
    sources = ROOT / "policies" / "beijing_2025" / "sources"
    headings = {
        line.strip()
        for path in sources.glob("*.txt")
        for line in path.read_text("utf-8").splitlines()
    }
    chapters = {c.chapter for c in beijing.checked.clauses if c.chapter is not None}
    assert len(chapters) == 13  # 五 of the devices' document, 八 of the medicines'
    assert {f"{number}、{title}" for number, title in chapters} <= headings
