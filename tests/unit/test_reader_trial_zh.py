"""What a native reader's trial of the Chinese texts found, each said truly now: an earlier
grant deducted is said as the encoding's reading (and lower tiers kept apart are not said
deducted); the clause's notes say it too (``tests/policies``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.strategies import compile_text
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def _firm_c_again(tmp_path: Path) -> Path:
    """firm-c (examples/firm-c.yaml) granted 600 万元 under 第14条 in 2027, applying again in
    2028 with 800 万元 decided."""
    facts: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "firm-c.yaml").read_text("utf-8"))
    (firm,) = facts["firms"]
    firm["import_reward_applied_on"] = "2028-03-15"
    firm["import_reward_decided"] = "800万元"
    facts["ledger"] = [
        {
            "provision": "jjxf_2025_50/14/import_localisation",
            "firm": "firm-c",
            "amount": "600万元",
            "year": 2027,
        }
    ]
    path = tmp_path / "firm-c-again.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
    return path


def test_an_earlier_grant_deducted_is_said_as_the_encodings_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """800 − 600 = 200 万元 paid: the letter says the deduction is the reading of an award as
    one entitlement, which the text does not state; the English alike."""
    facts = str(_firm_c_again(tmp_path))
    code, out, _ = run_cli(capsys, "explain", "policies/beijing_2025", "14", "--facts", facts)
    assert code == 0
    assert "  金额：200 万元（确定金额）\n" in out
    assert (
        "  此前已获本项 600 万元，已从本次金额中扣除"
        "（按本项为同一对象的一项权益计算，只付差额；文件未写明可否重复申报）\n"
    ) in out
    code, out, _ = run_cli(
        capsys, "explain", "policies/beijing_2025", "14", "--facts", facts, "--lang", "en"
    )
    assert (
        "  already granted 600 万元 under this provision: pays the rest 200 万元 "
        "(800 万元 − 600 万元, at least 0.00 元); as this encoding reads an award: one "
        "entitlement per subject, only the rest paid (the text does not say whether it may be "
        "claimed again)\n"
    ) in out


TIERS = """entity firm "企业"
  list firms
  fact revenue: money
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差，除非另有规定"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"
clause 1 "t"
  quote "q"
  award a "测试奖励"
    for each firm
    eligible when revenue reaches scale
    amount scale[revenue]
    tiers by reading
"""


@pytest.mark.parametrize(
    ("reading", "amount", "said"),
    [
        ("highest_only", "200 万元", "此前已获本项 100 万元（较低档次），未扣除"),
        ("top_up", "100 万元", "此前已获本项 100 万元，已从本次金额中扣除"),
    ],
)
def test_lower_tiers_paid_apart_are_not_said_deducted(reading: str, amount: str, said: str) -> None:
    """The 1 亿元 tier paid before: under highest_only the 5 亿元 tier is paid in full (200 万元,
    nothing deducted, and the letter says so), under top_up the rest (100 万元, deducted)."""
    policy = compile_text(TIERS)
    grant = {"provision": "d/1/a", "firm": "f", "amount": "100万元", "year": 2025, "tier": "1 亿元"}
    facts = {
        "firms": [{"id": "f", "revenue": "6亿元"}],
        "ledger": [grant],
        "assumptions": {"reading": reading},
    }
    result = policy.evaluate(facts)
    text = result.explain()
    assert f"  金额：{amount}（确定金额）\n" in text
    assert f"  {said}" in text
    english = result.explain(lang="en")
    if reading == "highest_only":
        assert "已从本次金额中扣除" not in text
        assert "  highest_only: tier 5 亿元 paid in full, 100 万元 granted before" in english
