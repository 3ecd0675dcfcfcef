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


RD_RATE = "“一定比例”：按上一年度研发投入计算奖励的比例由实施细则确定，文本未给出"


def test_a_parameter_the_caller_set_is_said_as_theirs(capsys: pytest.CaptureFixture[str]) -> None:
    """``--set rd_reward_rate=5%`` (第6条's 一定比例, which the text leaves open): the letter
    says the run used 5%, set by its user, not the document; unset, it says so as before."""
    code, out, _ = run_cli(
        capsys,
        "eval",
        "policies/beijing_2025",
        "examples/firm-c.yaml",
        "--set",
        "rd_reward_rate=5%",
    )
    assert code == 0
    assert f"  参数：{RD_RATE}；本次按 5% 计算（使用者设定，非文件规定）\n" in out
    assert "（5%）" not in out
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", "examples/firm-c.yaml")
    assert f"  参数：{RD_RATE}（未设定）\n" in out


def test_a_worked_case_setting_a_parameter_says_it_was_set() -> None:
    """clause-06.yaml's first case sets the rate in its facts (``parameters:``): the same."""
    import policyrules
    from policyrules.reference import load_cases

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    case = next(
        c
        for c in load_cases(ROOT / "policies" / "beijing_2025" / "cases")
        if c.file == "clause-06.yaml"
    )
    assert case.facts["parameters"] == {"rd_reward_rate": "5%"}
    text = policy.evaluate(case.facts).explain()
    assert f"  参数：{RD_RATE}；本次按 5% 计算（使用者设定，非文件规定）\n" in text


DEFAULTED = """entity firm "企业"
  list firms
  fact cost: money
parameter share: rate = 30% "支持比例"

document d "测试"
clause 1 "t"
  quote "q"
  award a "测试奖励"
    for each firm
    eligible when known(cost)
    amount share of cost
"""


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({}, "支持比例：本次按 30% 计算（编码的默认值，非文件规定）"),
        ({"share": "30%"}, "支持比例：本次按 30% 计算（编码的默认值，非文件规定）"),
        ({"share": "25%"}, "支持比例：本次按 25% 计算（使用者设定，非文件规定）"),
    ],
)
def test_a_parameter_at_its_default_is_said_as_the_encodings(
    given: dict[str, str], said: str
) -> None:
    """A parameter the ``.rule`` gives a default: its value is the encoding's default (set to
    that same value, it still is); another value is the caller's."""
    policy = compile_text(DEFAULTED)
    facts = {"firms": [{"id": "f", "cost": "100万元"}], "parameters": given}
    assert f"  参数：{said}\n" in policy.evaluate(facts).explain()
