"""The E501 hint marks the recommended projection in Chinese too (issue 9 §8: "name it in
the E501 hint as the recommended assumption").

Found from outside (verify9): ``--lang en`` said "statutory_projection (recommended: …)",
while the default Chinese text offered the two assumptions side by side, neither marked.
hBF: the Chinese text named them as ``holiday_schedule=statutory_projection``, which a firm's
staff cannot act on: it says them in words (the name stays in the English hint), and says
what the unpublished year leaves open for the period it stops (a month is no working days).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.cli import main

POLICY_TEXT = """entity firm "企业"
  list firms
  fact applied_on: date

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"

  deadline review "审查"
    for each firm
    due 10 工作日 after applied_on
"""


def test_the_chinese_e501_reason_marks_the_projection_as_recommended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2026-12-24 (Thu) + 10 工作日: 12-25 and 12-28..31 are 5, the other 5 fall in 2027,
    whose schedule is not published: unknown (E501),
    and the reason says which assumption is recommended and what it does."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rule").write_text(POLICY_TEXT, "utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text("firms: [{id: f1, applied_on: 2026-12-24}]\n", "utf-8")
    assert main(["eval", str(tmp_path / "p"), str(facts)]) == 0
    out = capsys.readouterr().out
    assert "（E501）" in out
    assert "期限为 10 个工作日，2027年的放假安排尚未公布，无法确定哪些日子是工作日" in out
    assert "或由经办人员按法定节假日规则推算（推荐；不含调休，结果标为推算），或只按周末计" in out
    assert "holiday_schedule" not in out
    assert "statutory_projection" not in out
    assert main(["eval", "--lang", "en", str(tmp_path / "p"), str(facts)]) == 0
    assert "holiday_schedule=statutory_projection (recommended" in capsys.readouterr().out


MONTH_TEXT = POLICY_TEXT.replace("due 10 工作日 after applied_on", "due 1 月 after applied_on")


def test_a_month_period_is_said_as_its_end_on_a_rest_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """京医保发〔2025〕5号（十九）'s case (X1, approved 2026-12-31): 1 月 ends on 2027-01-31 by
    the calendar (民法典 第二百零二条), a Sunday in a year whose schedule (调休 may make a
    Sunday a working day) is not published, so whether 第二百零三条 moves it is unknown; the
    text said 无法计算工作日期限, of a period that counts no working days."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rule").write_text(MONTH_TEXT, "utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text("firms: [{id: f1, applied_on: 2026-12-31}]\n", "utf-8")
    assert main(["eval", str(tmp_path / "p"), str(facts)]) == 0
    out = capsys.readouterr().out
    assert (
        "无法判断：期限为 1 个月，按日历于2027年1月31日届满；届满日为休息日的，顺延至其后第一个"
        "工作日（民法典第二百零三条），而2027年的放假安排尚未公布，无法确定实际期满日（E501）"
    ) in out
    assert "工作日期限" not in out
