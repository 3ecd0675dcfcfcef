"""Every refused shape of one provision, each at the statement that causes it (hCJ, from
trial hCI: `digital_support` with `once per firm` for each project and a cap `per firm
over 3 years` took three rounds of `check --batch` to learn, each naming one refusal at the
`paid over` line; an award paid over time in an exclusive group was named at its schedule,
without the group or its other award)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.strategies import compile_text

from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.cli import main

HEAD = """\
document d "测试文件"
  valid from 2026-03-01 to 2028-12-31

entity firm "企业"
  list firms
  fact revenue: money "营业收入"
  fact recognised_on: date "认定日期"
  fact rd: money "研发投入"

entity project "项目"
  list projects of firm
  fact investment: money "设备投资"
  fact applied_on: date "申报日期"
"""

# Line 22 `once per firm`, 23 the cap over 3 years `per firm`, 24 the schedule.
DIGITAL = """
clause 1 "数字化改造支持"
  quote "单个项目不超过300万元，三年内单个企业累计不超过500万元，分三年拨付。"
  award digital_support "数字化改造支持"
    for each project
    eligible when applied_on in force
    amount 10% of investment
    cap 300 万元 per project
    once per firm
    cap 500 万元 per firm over 3 years
    paid over 3 years from applied_on: 40%, 30%, 30% remainder last
"""

# Line 22 the schedule of little_giant; line 33 the `exclusive` line.
GROUP = """
clause 1 "小巨人奖励"
  quote "给予一次性奖励100万元，分三年拨付。"
  award little_giant "小巨人奖励"
    for each firm
    eligible when recognised_on in force
    amount 100 万元
    once per firm
    paid over 3 years from recognised_on: 40%, 30%, 30% remainder last

clause 2 "研发补助"
  quote "按研发投入的10%给予补助。"
  award rd_subsidy "研发补助"
    for each firm
    eligible when recognised_on in force
    amount 10% of rd

clause 3 "不重复支持"
  quote "同一企业同时符合第一条、第二条的，按照就高原则给予支持，不重复支持。"
  exclusive little_giant, rd_subsidy among firm keep highest
"""


def _refusals(text: str) -> list[tuple[str, str, int]]:
    with pytest.raises(BatchCompileError) as err:
        compile_batch(compile_text(HEAD + text).checked)
    return [
        (d.code, d.message.split(":")[0], d.span.line if d.span else 0)
        for d in err.value.diagnostics
    ]


def test_every_refused_shape_of_one_provision_at_once() -> None:
    """The `once per firm` (E605, met while building the steps) and the cap over 3 years of
    the firm (E617) in one error, each at its own line, not at the `paid over` line: before
    hCJ only the E617 was named, at line 24, and the E605 came after it was mended."""
    assert _refusals(DIGITAL) == [
        ("E605", "d/1/digital_support", 22),
        ("E617", "d/1/digital_support", 23),
    ]


def test_the_cap_refusal_names_each_thing_wrong_with_it_once() -> None:
    """The cap is over a window and shared by the firm's projects: one refusal, saying
    both; the hint names the one-by-one command."""
    with pytest.raises(BatchCompileError) as err:
        compile_batch(compile_text(HEAD + DIGITAL).checked)
    (cap,) = [d for d in err.value.diagnostics if d.code == "E617"]
    assert "over a window of years (`over N years`)" in cap.message
    assert "whose room other claims share" in cap.message
    assert cap.hint is not None
    assert "`policyrules eval POLICY REGISTRY --firm ID`" in cap.hint


def test_a_yearly_schedule_and_its_caps_each_at_its_line() -> None:
    """`paid yearly` (the schedule's line) and a cap per year of the payments (the cap's
    line): two refusals; before hCJ one, at the schedule."""
    text = DIGITAL.replace(
        "    cap 500 万元 per firm over 3 years\n"
        "    paid over 3 years from applied_on: 40%, 30%, 30% remainder last\n",
        "    paid yearly for 3 years from applied_on\n",
    ).replace("    once per firm\n", "    cap 100 万元 per project per year of payment_year()\n")
    assert _refusals(text) == [
        ("E617", "d/1/digital_support", 22),
        ("E617", "d/1/digital_support", 23),
    ]


def test_an_award_paid_over_time_in_a_group_is_refused_at_the_group() -> None:
    """E617 at the `exclusive` line (33), naming the group's clause and the other award;
    the hint says what to do about the group, and nothing of caps seeing the entitlement
    whole (another cause).  Before hCJ: at the schedule's line 22, the group unnamed."""
    with pytest.raises(BatchCompileError) as err:
        compile_batch(compile_text(HEAD + GROUP).checked)
    (d,) = err.value.diagnostics
    assert (d.code, d.span.line if d.span else 0) == ("E617", 33)
    assert d.message == (
        "d/1/little_giant: an award paid over time with the exclusive group of clause 3 "
        "(`exclusive little_giant, rd_subsidy among firm`), where it competes with "
        "rd_subsidy, is not compiled to SQL yet"
    )
    assert d.hint is not None
    assert "`policyrules eval POLICY REGISTRY --firm ID`" in d.hint
    assert "batch a copy of the policy without the group" in d.hint
    assert "never delete the `exclusive` line alone" in d.hint
    assert "entitlement whole" not in d.hint


def test_a_limit_refused_up_front_and_the_once_of_its_steps() -> None:
    """A limit in a shape not compiled (E650, refused before any step) and `once per firm`
    of a project award (E605, met while the caps are planned): both named.  Before hCJ a
    provision refused before its steps were built was not tried further: E650 alone."""
    text = """
clause 1 "项目奖励"
  quote "每个企业每年奖励不超过2个项目，每个企业不超过300万元，只奖励一次。"
  award project_award "项目奖励"
    for each project
    eligible when applied_on in force
    amount 10% of investment
    cap 300 万元 per firm
    once per firm
    limit 2 per firm per year of applied_on
"""
    assert _refusals(text) == [
        ("E605", "d/1/project_award", 22),
        ("E650", "d/1/project_award", 23),
    ]


def test_check_batch_prints_them_all_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`policyrules check --batch`: both refusals at their lines in one run (hCI's trial
    needed two runs, then a third for its other award), then their count."""
    (tmp_path / "t.rule").write_text(HEAD + DIGITAL.replace("clause 1", "clause 4"), "utf-8")
    assert main(["check", str(tmp_path), "--batch"]) == 1
    err = capsys.readouterr().err
    rule = tmp_path / "t.rule"
    heads = [line.split(": error")[0] for line in err.split("\n") if ": error[E6" in line]
    assert heads == [f"{rule}:22:5", f"{rule}:23:5"]
    assert "   23 |     cap 500 万元 per firm over 3 years\n      |     ^^^^" in err
    assert err.endswith(
        "batch: 2 constructs not compiled to SQL; `policyrules batch` refuses this policy\n"
    )


def test_the_caps_refusals_all_at_once() -> None:
    """Two caps shared by the firm's projects (E604, at the second of them) and `once per
    firm` (E605) of one award: both named.  Before hCJ the caps' planning stopped at the
    first, E604, placed at the provision."""
    text = """
clause 1 "项目奖励"
  quote "单个企业不超过300万元，每年不超过100万元，只奖励一次。"
  award project_award "项目奖励"
    for each project
    eligible when applied_on in force
    amount 10% of investment
    cap 300 万元 per firm
    cap 100 万元 per firm per year of applied_on
    once per firm
"""
    assert _refusals(text) == [
        ("E604", "d/1/project_award", 22),
        ("E605", "d/1/project_award", 23),
    ]
