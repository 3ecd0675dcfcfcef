"""Expressions, caps and values in Chinese words (policyrules.words)."""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules import syntax as s
from policyrules import words as words_module
from policyrules.model import ProvisionInfo
from policyrules.parse import parse
from policyrules.words import Words, date_zh, duration_zh, value_zh

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _provision(policy: policyrules.Policy, pid: str) -> ProvisionInfo:
    return next(p for p in policy.checked.provisions() if p.id == pid)


def _condition(text: str) -> s.Expr:
    """The condition of ``eligible when TEXT`` in a one-provision policy."""
    module = parse(f'document d "d"\nclause 1 "c"\n  entitlement e\n    eligible when {text}\n')
    clause = module.items[1]
    assert isinstance(clause, s.Clause)
    line = clause.provisions[0].body[0]
    assert isinstance(line, s.Eligible)
    return line.condition


def test_every_node_type_of_the_language_has_words() -> None:
    """Each member of ``syntax.Expr`` has its own entry in the dispatch: a construct added to
    the language without words fails here (it would otherwise show as code in 「」)."""
    node_types = set(typing.get_args(s.Expr))
    assert len(node_types) >= 20
    assert node_types <= set(words_module._SAY)


def test_a_node_type_without_words_shows_its_formatter_text(
    beijing: policyrules.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback: a node type the dispatch does not know is shown as the formatter
    writes it, in 「」, never dropped or guessed; its names by their titles, since a
    reader of Chinese cannot read an identifier (hBF: the names were left as written)."""
    monkeypatch.delitem(words_module._SAY, s.InForce)
    w = Words.of(beijing.checked)
    e = _condition("approved_on in force")
    assert w.expr(e, "product") == "「境内获批上市（注册）日期 in force」"


def test_caps_in_words_from_their_structure(beijing: policyrules.Policy) -> None:
    """第3条: per product; per firm per year, the year by the approval date under the default
    assumption ``annual_cap_year = approval``, by the decision date under ``decision``."""
    p = _provision(beijing, "jjxf_2025_50/3/launch_reward")
    w = Words.of(beijing.checked)
    assert [w.cap(c, p.subject) for c in p.caps] == [
        "单个医疗器械产品不超过 200 万元",
        "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元",
    ]
    decided = Words.of(beijing.checked, {"annual_cap_year": "decision"})
    assert decided.cap(p.caps[1], p.subject) == (
        "单个企业每个年度（按上市奖励决定日期所在年度计）不超过 1000 万元"
    )
    # 第7条 园区: a cap that is a share of a fact, with no per.
    park = _provision(beijing, "jjxf_2025_50/7/park")
    assert w.cap(park.caps[0], park.subject) == "不超过总投资额的 50%"


@pytest.mark.parametrize(
    ("pid", "index", "expected"),
    [
        (
            "jjxf_2025_50/7/common_platform",
            0,
            "项目类型为“产业共性平台建设”，且申报日期在本政策有效期内",
        ),
        (
            "jjxf_2025_50/3/launch_reward",
            0,
            "获批上市前承担的国家项目或进入的审评审批程序至少有一项，"
            "或承担的其他国家项目经认定属于“揭榜挂帅等国家项目”",
        ),
        (
            "jjxf_2025_50/12/benchmark_factory",
            0,
            "项目类型为“智能工厂建设项目”，且智能工厂获评的称号（第12条）是"
            "“国家级标杆智能工厂”或“世界级标杆智能工厂”之一",
        ),
    ],
)
def test_conditions_in_words(
    beijing: policyrules.Policy, pid: str, index: int, expected: str
) -> None:
    """Enum members by their titles, ``!= {}`` as 至少有一项, ``in {...}`` as 之一."""
    p = _provision(beijing, pid)
    assert Words.of(beijing.checked).expr(p.eligible[index].condition, p.subject) == expected


def test_operators_in_words(beijing: policyrules.Policy) -> None:
    """not, known, or inside and (bracketed), comparisons of dates and amounts."""
    w = Words.of(beijing.checked)
    say = lambda text: w.expr(_condition(text), "product")  # noqa: E731
    assert say("not known(overseas_sales)") == "已在相应国外市场实现销售未提供"
    assert say("not overseas_sales") == "并非“已在相应国外市场实现销售”"
    assert say("(overseas_sales or clinically_urgent) and gmp_produced") == (
        "（已在相应国外市场实现销售，或经认定为临床急需的创新医疗器械），"
        "且按照医疗器械生产质量管理规范生产（第15条）"
    )
    assert say("approved_on >= 2026-01-01") == "境内获批上市（注册）日期不早于 2026年1月1日"
    assert say("registration_cost > 100 万元") == "境外注册申请成本高于 100 万元"
    # not 不是“…”、“…”之一 (a native reading): 不属于 the members, or 不是 the one
    assert say("overseas_authority not in {FDA, CE}") == (
        "批准其境外上市的机构不属于“美国食品药品监督管理局”、“欧洲共同体”"
    )
    one = "批准其境外上市的机构不是“美国食品药品监督管理局”"
    assert say("overseas_authority not in {FDA, FDA}") == one


def test_membership_of_the_empty_set_in_words() -> None:
    """``x in {}`` and ``x not in {}`` pass the checker (a set may be empty), so the measure's
    summary and a refusal's reason say them: as a list with nothing in it, not 是空之一 /
    不是空之一 (空 is no value a fact could be one of)."""
    for negated, said in (
        (False, "备注是所列值之一（未列任何值）"),
        (True, "备注不属于所列值（未列任何值）"),
    ):
        op = "not in" if negated else "in"
        text = (
            'entity firm "企业"\n  list firms\n  fact remark: text "备注"\n'
            'document d "测试"\nclause 1 "奖励"\n  quote "奖励。"\n\n  award grant "奖励"\n'
            f"    for each firm\n    eligible when remark {op} {{}}\n    amount 10 万元\n"
        )
        checked = policyrules.check([parse(text, "t.rule")], texts={"t.rule": text}, sources={})
        p = next(iter(checked.provisions()))
        assert Words.of(checked).expr(p.eligible[0].condition, p.subject) == said


def test_no_expression_code_in_the_words_of_the_beijing_policy(
    beijing: policyrules.Policy,
) -> None:
    """Every condition, amount, cap and target of the 47 measures in words: no operator, no
    keyword of the language, no 「」 fallback."""
    w = Words.of(beijing.checked)
    code = re.compile(r"[=<>!]|\b(and|or|not|in force|known|if|then|else|per|of)\b|「")
    said = []
    for p in beijing.checked.provisions():
        said += [w.expr(line.condition, p.subject) for line in p.eligible]
        said += [w.cap(c, p.subject) for c in p.caps]
        if p.amount is not None:
            said.append(w.expr(p.amount.expr, p.subject))
        if p.require is not None:
            said.append(w.expr(p.require.condition, p.subject))
    assert len(said) > 90
    assert [t for t in said if code.search(t)] == []


def test_values_in_words(beijing: policyrules.Policy) -> None:
    w = Words.of(beijing.checked)
    assert date_zh(dt.date(2025, 11, 24)) == "2025年11月24日"
    assert duration_zh(Decimal(60), "工作日") == "60 个工作日"
    assert duration_zh(Decimal(1), "月") == "1 个月"
    assert value_zh("true") == "是"
    assert value_zh("unknown") == "未提供"
    assert value_zh("2026-03-02") == "2026年3月2日"
    assert value_zh("[52 工作日, 61 工作日]") == "52 个工作日、61 个工作日"
    assert value_zh("200 万元") == "200 万元"
    assert w.fact_value(
        "product.launch_routes", "{beijing_special_review, national_priority_review}"
    ) == ("进入本市创新医疗器械特别审查程序、进入国家优先审批程序")
    assert w.fact_value("product.launch_routes", "{}") == "无"
    assert w.fact_title("product.approved_on") == "境内获批上市（注册）日期"
    assert w.fact_title("product.no_such_fact") == "product.no_such_fact"


@pytest.fixture(scope="module")
def patterns() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "patterns")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("annual_revenue reaches scale_tiers", "达到《营业收入首次突破规模奖励档次》的最低一档"),
        ("scale_tiers[annual_revenue] > 0 元", "所在档次对应的金额"),
        ("little_giant_on is none", "已声明不存在"),
        ("little_giant_on is not none", "已声明存在"),
        ("floor(2.5) = 2", "2.5 向下取整"),  # a number meets Chinese: a space (gap 4)
    ],
)
def test_the_constructs_of_issue_11_have_words(
    patterns: policyrules.Policy, text: str, words: str
) -> None:
    """Tier tables, known-absent facts and the step builtins are said in words, not 「code」;
    a table by its own title."""
    said = Words.of(patterns.checked).expr(_condition(text), "firm")
    assert words in said
    assert "「" not in said


def test_a_none_note_in_a_title_stays_out_of_the_letter(beijing: policyrules.Policy) -> None:
    """The author's note on what a stated none means (…；none：…) is for the facts file."""
    w = Words.of(beijing.checked)
    assert w.fact_title("product.overseas_authority") == "批准其境外上市的机构"
    assert words_module.reader_title("甲（第12条；none：未获评）") == "甲（第12条）"
    # the note says what none means, where the page offers a 无 box
    assert words_module.none_words("甲（第12条；none：未获评）") == "无（未获评）"
    assert words_module.none_words("甲") == "无（已声明不存在）"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # issue 11 gap 4: an untitled name (a parameter, a define) ran into the Chinese
        ("min(2, 3) > 1", "2、3 中较小者"),
        ("known(little_giant_on)", "已提供"),
        ("(if little_giant_on is none then 1 元 else 2 元) > 0 元", "为 1 元；否则为 2 元"),
    ],
)
def test_latin_and_numbers_meet_chinese_with_a_space(
    patterns: policyrules.Policy, text: str, words: str
) -> None:
    said = Words.of(patterns.checked).expr(_condition(text), "firm")
    assert words in said
    assert " ；" not in said
    assert " ，" not in said
