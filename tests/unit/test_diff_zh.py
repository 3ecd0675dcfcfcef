"""``policyrules diff`` in Chinese, the default as for ``eval``: each changed decision headed
as the letter heads it (its measure, title and subject), before → after in the letter's
words, and the totals with money as the Chinese texts write it.

Worked by hand (京经信发〔2025〕50号, examples/*.yaml; the amounts as in test_diff.py):

* firm-c, 第6条 近三年有新获批产品企业的研发投入奖励: the rate 一定比例 is open, so the reward
  is only bounded by the article's 1000 万元: 最高 1000 万元.  At 10%: 10% × 8000 万元 =
  800 万元（确定金额）; exact 5400 → 6200 万元 (增加 800 万元), upper bounds 5400 + 1000 =
  6400 → 6200 万元 (减少 200 万元).  At 20%: 1600 万元, cut to the cap: 1000 万元（确定金额）;
  exact 5400 → 6400 万元 (增加 1000 万元), upper bounds 6400 → 6400 万元 (不变).
* firm-a, ``--assume annual_cap_year=decision``: each launch reward of 第3条 is only bounded
  by its decided amount: A1 200 万元（确定金额）→ 最高 200 万元, A2 150 → 最高 150, A3 50 →
  最高 200; exact 2800 → 2400 万元 (减少 400 万元), upper 2900 → 3050 万元 (增加 150 万元); the
  facts' own ledger was counted by approval (not recorded: the default), so the note.
* firm-a, ``--assume annual_cap_year=approval`` (the default): nothing changes; 31
  decisions, exact 2800 万元, upper bounds 2800 + 100 = 2900 万元.
"""

from __future__ import annotations

import csv
import io
import json

import attrs
import pytest

import policyrules
from policyrules.diff import compare
from support import BEIJING, ROOT, run_cli

FIRM_A = ROOT / "examples" / "firm-a.yaml"
FIRM_C = ROOT / "examples" / "firm-c.yaml"
RD = "京经信发〔2025〕50号 第6条 近三年有新获批产品企业的研发投入奖励 —— 对象：firm-c"
LAUNCH = "京经信发〔2025〕50号 第3条 创新医疗器械获批上市一次性奖励 —— 对象：firm-a/"

AT_10 = (
    f"{RD}\n"
    "  符合条件，最高 1000 万元 → 符合条件，800 万元（确定金额）\n"
    "\n"
    "共 36 项决定，其中 1 项有变化\n"
    "确定金额合计：5400 万元 → 6200 万元（增加 800 万元）\n"
    "最高金额合计：6400 万元 → 6200 万元（减少 200 万元）\n"
)
AT_10_EN = (
    "京经信发〔2025〕50号 第6条 rd_reward · firm-c: eligible, up to 1000 万元 → "
    "eligible, 800 万元 (exact)\n"
    "\n"
    "1 of 36 decision(s) change\n"
    "exact amounts: 5400 万元 → 6200 万元 (+800 万元)\n"
    "upper bounds: 6400 万元 → 6200 万元 (-200 万元)\n"
)


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run_cli(capsys, "diff", BEIJING, *args)
    assert (code, err) == (0, "")
    return out


def test_chinese_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert _diff(capsys, str(FIRM_C), "--set", "rd_reward_rate=10%") == AT_10
    assert _diff(capsys, str(FIRM_C), "--set", "rd_reward_rate=10%", "--lang", "zh") == AT_10


def test_english_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    assert _diff(capsys, str(FIRM_C), "--set", "rd_reward_rate=10%", "--lang", "en") == AT_10_EN


def test_the_environment_chooses_and_the_option_wins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = (str(FIRM_C), "--set", "rd_reward_rate=10%")
    monkeypatch.setenv("POLICYRULES_LANG", "en")
    assert _diff(capsys, *args) == AT_10_EN
    assert _diff(capsys, *args, "--lang", "zh") == AT_10
    monkeypatch.setenv("POLICYRULES_LANG", "zh")
    assert _diff(capsys, *args, "--lang", "en") == AT_10_EN
    monkeypatch.setenv("POLICYRULES_LANG", "fr")
    code, out, err = run_cli(capsys, "diff", BEIJING, *args)
    assert (code, out, "error[E425]" in err) == (2, "", True)


def test_the_cap_binds(capsys: pytest.CaptureFixture[str]) -> None:
    assert _diff(capsys, str(FIRM_C), "--set", "rd_reward_rate=20%") == (
        f"{RD}\n"
        "  符合条件，最高 1000 万元 → 符合条件，1000 万元（确定金额）\n"
        "\n"
        "共 36 项决定，其中 1 项有变化\n"
        "确定金额合计：5400 万元 → 6400 万元（增加 1000 万元）\n"
        "最高金额合计：6400 万元 → 6400 万元（不变）\n"
    )


def test_an_assumption_and_the_note_on_earlier_grants(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 说明 names the facts file whose ``ledger:`` it speaks of, as a registry's diff
    names its ledger table (it said 事实中的台账, the file unnamed: hBT); facts read from
    standard input name none."""
    out = _diff(capsys, str(FIRM_A), "--assume", "annual_cap_year=decision")
    lines = out.splitlines()
    assert lines[:11] == [
        f"{LAUNCH}A1",
        "  符合条件，200 万元（确定金额） → 符合条件，最高 200 万元",
        f"{LAUNCH}A2",
        "  符合条件，150 万元（确定金额） → 符合条件，最高 150 万元",
        f"{LAUNCH}A3",
        "  符合条件，50 万元（确定金额） → 符合条件，最高 200 万元",
        "",
        "共 31 项决定，其中 3 项有变化",
        "确定金额合计：2800 万元 → 2400 万元（减少 400 万元）",
        "最高金额合计：2900 万元 → 3050 万元（增加 150 万元）",
        f"说明：事实文件 {FIRM_A} 中的台账记载的京经信发〔2025〕50号 第3条"
        "“创新医疗器械获批上市一次性奖励”"
        "此前拨付，是按“年度上限按哪一日期计入年度：获批日期所在年度”计入的（台账未记载，"
        "按默认值）；本次按“年度上限按哪一日期计入年度：资金决定日期所在年度”计算时，这些拨付"
        "仍留在原来计入的账户中，不重新计入，因此按“年度上限按哪一日期计入年度：资金决定日期"
        "所在年度”显示的金额，可能与把全部此前拨付都按其重新计入后应付的金额不同（实际拨付的"
        "运行会被拒绝：E335）",
    ]
    assert len(lines) == 11


def test_no_decision_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert _diff(capsys, str(FIRM_A), "--assume", "annual_cap_year=approval") == (
        "没有决定发生变化\n"
        "\n"
        "共 31 项决定，其中 0 项有变化\n"
        "确定金额合计：2800 万元 → 2800 万元（不变）\n"
        "最高金额合计：2900 万元 → 2900 万元（不变）\n"
    )


def test_statuses_and_amounts_in_the_letters_words() -> None:
    """Each decision of drugmaker-d new (compared with nothing): a deadline met is 按期完成,
    one not done without --as-of 尚未报告完成, an award with no amount 金额待定 (and counted
    among those with no bound), a measure in brackets with the text's own （）."""
    policy = policyrules.load(BEIJING)
    decisions = policy.evaluate(policy.load_facts(ROOT / "examples" / "drugmaker-d.yaml"))
    text = compare((), decisions.decisions, policy.words).text_zh()
    for said in (
        "京医保发〔2025〕5号（一）临床试验项目启动整体用时 —— 对象：firm-d/TP-1\n"
        "  无此项决定 → 按期完成\n",
        "京医保发〔2025〕5号（六）试点临床试验申请审批时限 —— 对象：firm-d/CTA-2\n"
        "  无此项决定 → 尚未报告完成\n",
        "京医保发〔2025〕5号（二）牵头完成国际多中心临床试验的项目负责人资金支持"
        " —— 对象：H-1/PI-1\n"
        "  无此项决定 → 符合条件，金额待定\n",
        "\n符合条件、无法计算上限的资金支持：0 项 → 1 项\n",
    ):
        assert said in text


def test_json_carries_the_chinese_text_as_eval_does(capsys: pytest.CaptureFixture[str]) -> None:
    """``text_zh`` on each change and on the whole (what the text prints), as ``eval --json``
    has on each decision; the keys English; JSON Lines and CSV without it, as eval's."""
    args = (str(FIRM_C), "--set", "rd_reward_rate=10%")
    data = json.loads(_diff(capsys, *args, "--format", "json", "--lang", "en"))
    assert data["text_zh"] == AT_10
    (change,) = data["changes"]
    assert change["text_zh"] == AT_10.split("\n\n")[0]
    assert change["after"]["status"] == "eligible"
    (line,) = _diff(capsys, *args, "--format", "jsonl").splitlines()
    assert "text_zh" not in json.loads(line)
    (row,) = csv.DictReader(io.StringIO(_diff(capsys, *args, "--format", "csv")))
    assert "text_zh" not in row


def test_amounts_side_by_side_are_written_in_one_unit() -> None:
    """A totals line and a registry's provision line write their amounts in one unit: a
    registry once printed 18,263,269,000.00 元 beside 437008 万元.  Before 1,826,326.9 万元
    (not whole 万元), after 1,826,326.9 + 335,102.5 = 2,161,429.4 万元, so all in 元; upper
    bounds 6,139,325.6 → 5,702,317.6 万元, less 437,008 万元, all in 元 too."""
    from policyrules.diff import totals_line
    from policyrules.diff_zh import provision_delta_zh, totals_zh
    from policyrules.runtime.money import Money

    yuan = lambda y: Money(y * 100)  # noqa: E731
    exact = (yuan(18_263_269_000), yuan(21_614_294_000))
    upper = (yuan(61_393_256_000), yuan(57_023_176_000))
    assert totals_zh(*exact, *upper) == [
        "确定金额合计：18,263,269,000.00 元 → 21,614,294,000.00 元（增加 3,351,025,000.00 元）",
        "最高金额合计：61,393,256,000.00 元 → 57,023,176,000.00 元（减少 4,370,080,000.00 元）",
    ]
    assert totals_line("upper bounds", *upper) == (
        "upper bounds: 61,393,256,000.00 元 → 57,023,176,000.00 元 (-4,370,080,000.00 元)"
    )
    line = provision_delta_zh("第13条", 9873, 58470, exact[1] - exact[0], upper[1] - upper[0])
    assert line.endswith("确定金额增加 3,351,025,000.00 元，最高金额减少 4,370,080,000.00 元")
    # all whole 万元: 万元 throughout, 0 too
    assert totals_zh(Money(0), yuan(600_000), Money(0), Money(0))[0] == (
        "确定金额合计：0 万元 → 60 万元（增加 60 万元）"
    )


def test_the_note_names_the_facts_file_from_its_own_field() -> None:
    """The 说明 line names a facts file's ledger from the reading's ``facts_file``, not by
    taking ``where``'s English apart (``firm-a.yaml: ledger``): worded otherwise, or in
    another language, the Chinese is the same; facts given as data name no file."""
    from policyrules.diff_zh import reading_note_zh
    from policyrules.ledger_bases import OtherReading

    policy = policyrules.load(BEIJING)
    found: list[OtherReading] = []
    policy.evaluate(
        policy.load_facts(FIRM_A),
        assumptions={"annual_cap_year": "decision"},
        on_other_reading=found.append,
        facts_file="firm-a.yaml",
    )
    (r,) = set(found)
    assert (r.where, r.source, r.facts_file) == ("firm-a.yaml: ledger", "facts", "firm-a.yaml")
    named = "说明：事实文件 firm-a.yaml 中的台账记载的京经信发〔2025〕50号 第3条"
    assert reading_note_zh(policy.words, r).startswith(named)
    reworded = attrs.evolve(r, where="firm-a.yaml 的 ledger")
    assert reading_note_zh(policy.words, reworded).startswith(named)
    data = attrs.evolve(r, where="the facts' ledger: firm-a.yaml", facts_file=None)
    assert reading_note_zh(policy.words, data).startswith("说明：事实中的台账记载的")
    with pytest.raises(ValueError, match="facts' ledger only"):
        attrs.evolve(r, source="file")
