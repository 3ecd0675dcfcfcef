"""The measure pages' content without a Sphinx build (issue 12 §3, §4, §7): the worked cases'
titles, input tables, the case files' arithmetic comments, the results in words, the deadline
strips, and the measure pages the extension writes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest
from docutils import nodes

import policyrules
from policyrules.reference import CaseRow, WorkedCase, cases_by_clause, load_cases
from policyrules.sphinxext_calendar import strip_days, strip_html
from policyrules.sphinxext_cases import (
    _subject,
    arithmetic,
    case_comments,
    case_title,
    fact_rows,
    lines_block,
    result_words,
)
from policyrules.sphinxext_measure import deadline_strips

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "beijing_2025"
CASES_DIR = POLICY_DIR / "cases"
DUE_CELL = re.compile(r'class="policyrules-day-due[^"]*"[^>]*data-date="([0-9-]+)"')


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


@pytest.fixture(scope="module")
def cases() -> list[WorkedCase]:
    return load_cases(CASES_DIR)


def _case(cases: list[WorkedCase], file: str, name: str) -> WorkedCase:
    return next(c for c in cases if c.file == file and c.name == name)


def test_inputs_are_rows_of_fact_titles(
    policy: policyrules.Policy, cases: list[WorkedCase]
) -> None:
    """clause-03's first case: product P1 of firm-a, each fact by the title the policy gives it
    in policies/beijing_2025 (approved_on 境内获批上市（注册）日期 ...), values as written, an enum
    member by its title."""
    case = _case(cases, "clause-03.yaml", "decided exactly 200万 is granted in full, no cap binds")
    rows = fact_rows(policy.checked, case.facts)
    assert rows == [
        (
            "医疗器械产品 P1（企业 firm-a）",
            "境内获批上市（注册）日期",
            "2026年3月1日",
        ),  # the case file says 2026-03-01
        (
            "医疗器械产品 P1（企业 firm-a）",
            "获批上市前承担的国家项目或进入的审评审批程序",
            "进入国家优先审批程序",  # the member national_priority_review by its title
        ),
        ("医疗器械产品 P1（企业 firm-a）", "主管部门决定的上市奖励金额", "200万元"),
    ]


def test_ledger_rows_and_booleans(policy: policyrules.Policy, cases: list[WorkedCase]) -> None:
    """An earlier grant is a row of its own, the award by its title; true reads 是."""
    case = _case(
        cases, "clause-01.yaml", "an earlier grant to the same project counts against its 100万"
    )
    rows = fact_rows(policy.checked, case.facts)
    assert (
        "已拨付记录",
        "早期创新创业项目奖励",  # jjxf_2025_50/1/early_stage_reward
        "firm-s/E1：60万元，计入 2026 年度",
    ) in rows
    assert any(value == "是" for _owner, _fact, value in rows)  # early_stage_qualified: true


def test_the_case_files_arithmetic_is_kept() -> None:
    """The comments YAML loading drops come back, each with its case: the third case of
    clause-01.yaml carries `# 取较小者（1,000,000.01；1,000,000.00） = …` on its amount line,
    and the page reads it after what it is about, with no YAML."""
    text = (CASES_DIR / "clause-01.yaml").read_text("utf-8")
    notes, per_case = case_comments(text)
    assert notes[0].startswith("# 京经信发〔2025〕50号 第1条")
    assert len(per_case) == len([c for c in load_cases(CASES_DIR) if c.file == "clause-01.yaml"])
    amount = 'amount: "1,000,000.00 元"  # 取较小者（1,000,000.01；1,000,000.00） = 1,000,000.00 元'
    assert amount in per_case[2]
    assert 'cut: "0.01 元"  # 1,000,000.01 − 1,000,000.00 = 0.01 元' in per_case[2]
    assert not any("较小者（1,000,000.01" in line for line in per_case[1])
    assert arithmetic(per_case[2]) == [
        "金额 1,000,000.00 元：取较小者（1,000,000.01；1,000,000.00） = 1,000,000.00 元",
        "被上限削减 0.01 元：1,000,000.01 − 1,000,000.00 = 0.01 元",
    ]


def test_a_comment_block_before_expect_stays_with_its_case() -> None:
    """jybf-06.yaml's first case works the 30 working days out in a block above its expectation."""
    _notes, per_case = case_comments((CASES_DIR / "jybf-06.yaml").read_text("utf-8"))
    assert per_case[0][0] == "# 9月19日（周五）提交，当天不计。工作日："
    assert "# 期满日 2025年11月6日；11月6日获批 ≤ 期满日 → 按期。" in per_case[0]


def test_every_beijing_comment_is_in_chinese(policy: policyrules.Policy) -> None:
    """The arithmetic a reader sees is Chinese: no English word is left in a comment of the
    beijing_2025 case files (names in backquotes are the developers', ids such as firm-z or
    A-late are the case's own, and a test file's path may stay)."""
    for path in sorted(CASES_DIR.glob("*.yaml")):
        notes, per_case = case_comments(path.read_text("utf-8"))
        block = lines_block(policy.checked, notes + [x for lines in per_case for x in lines])
        for line in block.children:
            # names set as code (`early_stage_qualified` in the file) are the developers'
            kept = "".join(t.astext() for t in line.children if not isinstance(t, nodes.literal))
            kept = re.sub(r"tests/\S+|\w+(?:-\w+)+", "", kept)
            words = re.findall(r"[A-Za-z]{4,}", kept)
            assert not words, f"{path.name}: English left in {line.astext()!r}"


def test_case_titles_in_chinese(policy: policyrules.Policy, cases: list[WorkedCase]) -> None:
    """A case's own title_zh is its title; without one, a title is derived from the
    expectation only: subject, status, amount (and the provision's title when the measure has
    several provisions, as jybf (六) has two deadlines)."""
    c3 = policy.checked.clause("jjxf_2025_50/3")
    c1 = policy.checked.clause("jjxf_2025_50/1")
    c6 = policy.checked.clause("jybf_2025_5/(六)")
    assert c3 is not None
    assert c1 is not None
    assert c6 is not None
    first = _case(cases, "clause-03.yaml", "decided exactly 200万 is granted in full, no cap binds")
    assert case_title(policy.checked, c3, first) == "核定正好 200 万元：全额给予，没有上限起作用"
    first = attrs.evolve(first, title_zh=None)
    assert case_title(policy.checked, c3, first) == "P1 符合条件，200 万元（确定金额）"
    bound = _case(cases, "clause-01.yaml", "no decided amount gives an upper bound of 100万")
    bound = attrs.evolve(bound, title_zh=None)
    # jjxf 1 has more than one provision: its title comes first.
    assert (
        case_title(policy.checked, c1, bound) == "早期创新创业项目奖励：E1 符合条件，最高 100 万元"
    )
    trial = attrs.evolve(cases_by_clause(cases)[c6.id][0], title_zh=None)
    title = case_title(policy.checked, c6, trial)
    # The letter's words for a met deadline (policyrules.vocab), the date as 2025年11月6日.
    assert title.endswith("：A1 按期完成，期满日 2025年11月6日")


def test_a_none_fact_reads_as_nothing(policy: policyrules.Policy, cases: list[WorkedCase]) -> None:
    """jybf-02's institution that led no MRCT: the value `none` reads as 无 with what the
    fact's title says it means, and the title loses its `（none：…）` note."""
    case = _case(cases, "jybf-02.yaml", "an institution stating it led none (none) is not eligible")
    rows = fact_rows(policy.checked, case.facts)
    assert ("医疗机构 H1", "牵头完成国际多中心临床试验的日期", "无（未牵头完成）") in rows
    assert not any("none" in cell for row in rows for cell in row)


def test_a_report_subject_reads_by_its_title(policy: policyrules.Policy) -> None:
    """A results row about the one record of reported figures names it, not `medicine_reports`;
    a record with an id keeps the id."""
    row = CaseRow(
        "jybf_2025_5/(七)/project_managed", "medicine_reports", "status", "met", "met", True
    )
    assert _subject(policy.checked, row.subject) == "主管部门报告的数据（创新医药措施）"
    assert _subject(policy.checked, "firm-a/P1") == "P1"


def test_results_in_words(policy: policyrules.Policy) -> None:
    """No `[]`, `amount_kind` or `up_to` reaches the page."""
    checked = policy.checked
    row = CaseRow("p", None, "amount_kind", "up_to", "exact", False)
    assert result_words(checked, row) == ("金额性质", "最高", "确定金额")
    row = CaseRow("p", None, "binding caps", "[]", "[]", True)
    assert result_words(checked, row) == ("起作用的上限", "无", "无")
    row = CaseRow("p", None, "missing facts", "product.approved_on", "[]", False)
    assert result_words(checked, row) == ("缺少的事实", "境内获批上市（注册）日期", "无")
    row = CaseRow("p", None, "status", "not_eligible", "unknown", False)
    assert result_words(checked, row) == ("结论", "不符合条件", "待定")


def test_strip_counts_the_national_day_case_as_the_case_file_does() -> None:
    """jybf-06.yaml, first case, worked by hand in its comments: submitted Fri 2025-09-19 (not
    counted); 09-28 Sun 调休 working day 6; 10-01..10-08 holiday; 10-11 Sat 调休 working 11;
    11-06 Thu is the 30th working day."""
    days = strip_days(dt.date(2025, 9, 19), dt.date(2025, 11, 6), 30, "工作日")
    by_day = {d.day: d for d in days}
    assert by_day[dt.date(2025, 9, 19)].mark == "start"
    assert by_day[dt.date(2025, 9, 19)].count is None
    assert (by_day[dt.date(2025, 9, 28)].mark, by_day[dt.date(2025, 9, 28)].count) == ("swap", 6)
    assert (by_day[dt.date(2025, 10, 11)].mark, by_day[dt.date(2025, 10, 11)].count) == (
        "swap",
        11,
    )
    for d in range(1, 9):  # 10-01 Wed .. 10-08 Wed: the weekdays are holidays, 10-04/05 weekend
        day = dt.date(2025, 10, d)
        assert by_day[day].mark == ("weekend" if day.weekday() >= 5 else "holiday")
        assert by_day[day].count is None
    assert (by_day[dt.date(2025, 11, 6)].mark, by_day[dt.date(2025, 11, 6)].count) == ("due", 30)
    assert days[0].day == dt.date(2025, 9, 15)  # whole weeks: Monday of the start's week
    assert days[-1].day == dt.date(2025, 11, 9)  # to Sunday of the due day's week
    assert len(days) % 7 == 0


def test_strip_refuses_a_due_day_the_calendar_does_not_reach() -> None:
    """29 working days would not end on 11-06: the strip and the evaluation disagree."""
    with pytest.raises(ValueError, match="counted 30"):
        strip_days(dt.date(2025, 9, 19), dt.date(2025, 11, 6), 29, "工作日")


def test_strip_html_marks_the_due_and_done_days() -> None:
    days = strip_days(dt.date(2025, 9, 19), dt.date(2025, 11, 6), 30, "工作日")
    html = strip_html(days, "caption", dt.date(2025, 11, 7))
    assert 'class="policyrules-day-due" title="2025-11-06 星期四：期满日，第 30 个工作日"' in html
    # 11-07, a day late: after the period, outlined as the day it was done.
    assert 'class="policyrules-day-outside policyrules-day-done"' in html
    assert "<script" not in html


def test_deadline_strips_follow_the_evaluation(
    policy: policyrules.Policy, cases: list[WorkedCase]
) -> None:
    """Each dated case of jybf (六) gets a strip whose due cell is the case's expected due."""
    clause = policy.checked.clause("jybf_2025_5/(六)")
    assert clause is not None
    checked_cases = 0
    for case in cases_by_clause(cases)[clause.id]:
        dues = [str(e["due"]) for e in case.expect if "due" in e]
        strips = deadline_strips(policy, clause, case)
        got = [m for s in strips for m in DUE_CELL.findall(s)]
        assert sorted(got) == sorted(dues), case.name
        checked_cases += bool(dues)
    assert checked_cases >= 3


def test_measure_pages_are_written_once_each(tmp_path: Path) -> None:
    """The extension writes a page per measure (47) naming the measure, rewrites none that is
    unchanged and removes pages of measures that are gone."""
    from policyrules import sphinxext

    (tmp_path / "clauses" / "measure").mkdir(parents=True)
    stale = tmp_path / "clauses" / "measure" / "gone.md"
    stale.write_text("old", "utf-8")
    app = SimpleNamespace(
        srcdir=str(tmp_path),
        config=SimpleNamespace(policyrules_measure_pages={"clauses/measure": str(POLICY_DIR)}),
    )
    sphinxext.write_measure_pages(app)  # type: ignore[arg-type]
    pages = sorted((tmp_path / "clauses" / "measure").glob("*.md"))
    assert len(pages) == 47
    assert not stale.exists()
    three = (tmp_path / "clauses" / "measure" / "jjxf-2025-50-3.md").read_text("utf-8")
    assert "{policyrules:measure}" in three
    assert three.rstrip().endswith("jjxf_2025_50/3\n```")
    mtime = pages[0].stat().st_mtime_ns
    sphinxext.write_measure_pages(app)  # type: ignore[arg-type]
    assert pages[0].stat().st_mtime_ns == mtime


def test_a_cases_assumptions_and_parameters_read_as_words(policy: policyrules.Policy) -> None:
    """A case's `assumptions:` and `parameters:` are rows of words, not a dict's repr: the
    assumption by what it decides and its value by the member's title; the rate as written."""
    rows = fact_rows(
        policy.checked,
        {
            "assumptions": {"annual_cap_year": "decision"},
            "parameters": {"rd_reward_rate": "5%"},
        },
    )
    assert rows[0][:2] == ("假设", "年度上限按哪一日期计入年度")
    assert "decision" not in rows[0][2]
    assert rows[0][2] == policy.words.member("YearBasis", "decision")
    assert rows[1][0] == "参数"
    assert rows[1][1].startswith("“一定比例”")
    assert rows[1][2] == "5%"


def test_binding_caps_read_as_words(policy: policyrules.Policy) -> None:
    """The case file names a cap by the start of its text (``1000 万元 per firm per year``),
    the evaluation by all of it (``… of if annual_cap_year = approval then …``): both read as
    the cap in words, the year by the assumption's default (approval: the approval date)."""
    words = "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元"
    computed = (
        "1000 万元 per firm per year of if annual_cap_year = approval then approved_on "
        "else launch_reward_decided_on"
    )
    row = CaseRow(
        "jjxf_2025_50/3/launch_reward",
        "firm-a/P1",
        "binding caps",
        "1000 万元 per firm per year",
        computed,
        True,
    )
    assert result_words(policy.checked, row) == ("起作用的上限", words, words)
    row = CaseRow("jjxf_2025_50/3/launch_reward", "firm-a/P1", "binding caps", "[]", "[]", True)
    assert result_words(policy.checked, row) == ("起作用的上限", "无", "无")
