"""Decisions in Chinese (policyrules.explain_zh), the language choice of the API and CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import run_cli

import policyrules
from policyrules import Grant, Money, PolicyRulesError
from policyrules.explain import explain_text, result_json
from policyrules.explain_zh import explain_text_zh, no_words
from policyrules.result import Result

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


@pytest.fixture(scope="module")
def firm_a(beijing: policyrules.Policy) -> Result:
    return beijing.evaluate(beijing.load_facts(ROOT / "examples" / "firm-a.yaml"))


def test_chinese_is_the_default_and_english_unchanged(firm_a: Result) -> None:
    assert firm_a.explain() == firm_a.explain(lang="zh")
    assert firm_a.explain(lang="en") == explain_text(firm_a)
    assert firm_a.explain().startswith("【符合条件】京经信发〔2025〕50号 第2条")
    assert firm_a.explain(verbose=True, lang="en") == explain_text(firm_a, verbose=True)


def test_another_language_is_e425(firm_a: Result) -> None:
    with pytest.raises(PolicyRulesError) as info:
        firm_a.explain(lang="fr")
    assert info.value.diagnostics[0].code == "E425"


def test_amounts_caps_and_reasons_in_words(firm_a: Result) -> None:
    """A3's 200 万元 cut to 50 万元 by the firm's yearly cap (1000 - 600 granted before
    - 200 for A1 - 150 for A2 = 50); A1's 第13条 up to 100 万元, the rate open; J1 not
    eligible for 第1条, its project kind by title."""
    text = firm_a.explain()
    assert (
        "  上限：单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元"
        "（企业 firm-a，2026年度）：此前已获 600 万元（台账已记录，先于本次各项计入）；"
        "本次结果中在先的申请："
        "firm-a/A1 200 万元、firm-a/A2 150 万元；此上限起作用：200 万元 核减 150 万元，"
        "为 50 万元\n"
    ) in text
    assert "  金额：50 万元（确定金额）\n" in text
    assert (
        "  金额：最高 100 万元（这是上限，不是确定金额；待定：“一定支持”：支持比例由实施细则"
        "确定，文本未给出）\n"
    ) in text
    assert (
        "  京经信发〔2025〕50号 第1条 早期创新创业项目奖励 —— firm-a/J1：项目类型不是本条所列的"
        "“早期创新创业项目（首都医学科技创新成果转化优促计划、‘创赢未来’路演）”"
        "（项目类型：产业共性平台建设）\n"
    ) in text
    assert "  尚需提供：经认定符合纳入《中关村创新医疗器械产品目录》的条件（第4条）\n" in text
    assert "境内获批上市（注册）日期：2026年3月2日" in text
    assert "获批上市前承担的国家项目或进入的审评审批程序：进入国家优先审批程序" in text
    for code in ("product.", "annual_cap_year", " per firm", "[ELIGIBLE]", "launch_reward"):
        assert code not in text


def test_json_keeps_its_keys_and_gains_chinese(firm_a: Result) -> None:
    data = firm_a.to_json()
    english = result_json(firm_a)
    assert set(data) == set(english) | {"text_zh"}
    for ours, theirs in zip(data["decisions"], english["decisions"], strict=True):  # type: ignore[call-overload]
        assert {k: v for k, v in ours.items() if k != "text_zh"} == theirs
        assert ours["text_zh"].startswith("【")
    assert data["text_zh"] == firm_a.explain()


def test_a_result_made_without_its_policy_still_speaks_chinese(firm_a: Result) -> None:
    """Names stand in for titles when no policy gave them."""
    bare = Result(firm_a.decisions, firm_a.grants, firm_a.assumptions)
    assert bare == firm_a
    text = bare.explain()
    assert "【符合条件】" in text
    assert "  所依据的情况：product.approved_on：2026年3月2日" in text


def test_cli_language_choice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("POLICYRULES_LANG", "fr")
    code, out, err = run_cli(capsys, "eval", "policies/beijing_2025", "examples/firm-b.yaml")
    assert (code, out) == (2, "")
    assert "E425" in err
    code, out, err = run_cli(
        capsys, "eval", "policies/beijing_2025", "examples/firm-b.yaml", "--lang", "zh"
    )
    assert code == 0
    assert out.startswith("【已达到】")
    code, out, err = run_cli(
        capsys,
        "explain",
        "policies/beijing_2025",
        "第6条",
        "--facts",
        "examples/firm-b.yaml",
        "--lang",
        "zh",
    )
    assert code == 0
    assert out.startswith("【待定】京经信发〔2025〕50号 第6条")


def test_without_explanations_the_rows_still_read(beijing: policyrules.Policy) -> None:
    """``explain=False`` leaves reasons out: a not-eligible row then ends at its subject."""
    result = beijing.evaluate(beijing.load_facts(ROOT / "examples" / "firm-a.yaml"), explain=False)
    rows = result.explain().split("不符合条件：\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert rows[0] == "  京经信发〔2025〕50号 第1条 早期创新创业项目奖励 —— firm-a/J1"
    assert all(not row.endswith("：") for row in rows)


def test_chinese_status_tags_in_colour() -> None:
    """On a terminal the Chinese tags are painted as their English twins: 符合条件 green,
    待定 yellow; a tag not at the start of a line is left alone."""
    from policyrules.colour import paint

    assert paint("【符合条件】x\n【待定】y\n  【待定】z") == (
        "\x1b[1;32m【符合条件】\x1b[0mx\n\x1b[1;33m【待定】\x1b[0my\n  【待定】z"
    )


def test_the_grants_block_says_each_grant_escaped() -> None:
    """The grants' block of the whole Chinese text, a line each: its provision's title
    (here its id: no words), the subject's ids, the amount, the year counted in where it
    has one; a character to escape in an id, or in a title, escaped, the other lines as
    they are.  Said from the rows (as the evaluator keeps them) and from grants alike."""
    paid = ("d/1/launch", (("firm", "f1"), ("product", "P1")), 150_000_000, 2026)
    odd_id = ("d/1/launch", (("firm", "f\u202e2"),), 1_234_567, None)  # 12,345.67 元
    odd_title = ("d/2/\u2066x", (("firm", "f3"),), 10_000_000_000, 2025)  # 10¹⁰ fen: 1 亿元
    head = "本次结果的发放（记入台账的即为这些）：\n"
    first = "  d/1/launch —— f1/P1：150 万元（计入 2026 年度）\n"
    # The sums: 150 万元 + 12,345.67 元 = 1,512,345.67 元; 150 万元 + 1 亿元 = 10150 万元.
    for row, line, total in (
        (odd_id, "  d/1/launch —— f\\u202e2：12,345.67 元\n", "1,512,345.67 元"),
        (odd_title, "  d/2/\\u2066x —— f3：1 亿元（计入 2025 年度）\n", "10150 万元"),
    ):
        text = explain_text_zh(Result((), ()), no_words(), granted=[paid, row])
        assert text == head + first + line + f"  合计：2 笔，{total}\n"
    grants = (Grant("d/1/launch", paid[1], Money(150_000_000), 2026),)
    one = head + first + "  合计：1 笔，150 万元\n"
    assert explain_text_zh(Result((), grants), no_words()) == one
