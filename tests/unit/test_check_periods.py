"""W218: a period whose number the quote states in another unit.

A new user encoded 示区科发〔2026〕3号 第六条 (「应当在15个工作日内完成审核」) as ``due 15 日``:
``check --strict`` passed (W212 skips periods), and a review done on the 15th working day
after a holiday was reported late.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main
from policyrules.quote_figures import periods

POLICIES = Path(__file__).resolve().parents[2] / "policies"
DUE = "    due 15 工作日 after received_on\n"
DAYS = variant(DUE, "    due 15 日 after received_on\n")

HEAD = """entity application "申报材料"
  list applications
  fact received_on: date
  fact reviewed_on: date

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _warnings(quote: str, period: str, *notes: str) -> list[str]:
    body = "".join(f'  note "{n}"\n' for n in notes)
    text = (
        f'{HEAD}clause 1 "t"\n  quote "{quote}"\n{body}\n  deadline r\n'
        f"    for each application\n    due {period} after received_on\n    done reviewed_on\n"
    )
    return [w.message for w in warnings(text, "W218")]


def test_days_for_working_days_is_w218(tmp_path: Path) -> None:
    """The new user's break warns at the literal, naming both units; ``check --strict``
    fails; the policy as written is clean."""
    assert warnings(BIOMED, "W218") == []
    [w] = warnings(DAYS, "W218")
    assert w.message == (
        "`15 日` counts calendar days (日), and the quote says “15个工作日”: working days (工作日)"
    )
    assert w.span is not None
    assert (w.span.line, w.span.col, w.span.clause_path) == (109, 9, ("示区科发〔2026〕3号", "六"))
    assert w.hint is not None
    assert "write `15 工作日`" in w.hint
    (tmp_path / "t.rule").write_text(DAYS, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("quote", "period", "said"),
    [
        ("应当在十五个工作日内完成审核。", "15 日", "“十五个工作日”"),
        ("应当在15个自然日内完成审核。", "15 工作日", "“15个自然日”"),
        ("将启动整体用时压缩至 20 周以内。", "20 日", "“20 周”"),
        ("应当在3个月内完成审核。", "3 年", "“3个月”"),
        ("应当在30天内完成审核。", "30 工作日", "“30天”"),
    ],
)
def test_another_unit_warns(quote: str, period: str, said: str) -> None:
    [message] = _warnings(quote, period)
    assert said in message


@pytest.mark.parametrize(
    ("quote", "period"),
    [
        ("应当在15个工作日内完成审核。", "15 工作日"),
        ("应当在30天内完成审核。", "30 日"),
        ("应当在两周内完成审核。", "2 周"),
        # 京医保发〔2025〕5号 (六): 30 with its unit left out.
        ("将审批时限由60个工作日压缩至30个。", "30 工作日"),
        # A number the quote does not state as a period: not this check's.
        ("应当及时完成审核。", "10 日"),
        # Dates and years are no periods.
        ("自2025年4月7日起施行，上一年度营业收入。", "7 工作日"),
        ("自2025年4月7日起施行。", "4 工作日"),
    ],
)
def test_the_same_unit_or_no_period_does_not_warn(quote: str, period: str) -> None:
    assert _warnings(quote, period) == []


def test_a_note_stating_the_period_silences_it() -> None:
    quote = "应当在15个工作日内完成审核。"
    assert len(_warnings(quote, "15 日")) == 1
    assert _warnings(quote, "15 日", "“15个工作日”按15日计：实施细则如此。") == []
    assert len(_warnings(quote, "15 日", "“15个工作日”不含法定节假日。")) == 1


@pytest.mark.parametrize("directory", ["beijing_2025", "patterns"])
def test_shipped_policies_have_no_w218(directory: str) -> None:
    found = policyrules.load(POLICIES / directory).checked.warnings
    assert [w for w in found if w.code == "W218"] == []


def test_periods_of_a_text() -> None:
    text = "近三年，15个工作日，十五天，20 周以内，1个月，2025年4月7日，每月5日，18周岁，第三年"
    assert [(p.value, p.unit, p.text) for p in periods(text)] == [
        (Decimal(3), "年", "三年"),
        (Decimal(15), "工作日", "15个工作日"),
        (Decimal(15), "日", "十五天"),
        (Decimal(20), "周", "20 周"),
        (Decimal(1), "月", "1个月"),
    ]
