"""The E501 hint names the recommended assumption in Chinese too (issue 9 §8: "name it in
the E501 hint as the recommended assumption").

Found from outside (verify9): ``--lang en`` said "statutory_projection (recommended: …)",
while the default Chinese text offered the two assumptions side by side, neither marked.
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
    assert "推荐 holiday_schedule=statutory_projection" in out
    assert "不含调休" in out
    assert "holiday_schedule=weekends_only" in out
