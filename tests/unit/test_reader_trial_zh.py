"""What a native reader's trial of the Chinese texts found, each said truly now: an earlier
grant deducted is said as the encoding's reading (and lower tiers kept apart are not said
deducted); a parameter's value as the run's, not the document's; a pending deadline without an
evaluation date is not said 尚未到期; a target's margin in percentages, with its average, its
comparison word, its units and no minus sign.  (The chapter heading: ``test_summary.py``; the
clauses' notes: ``tests/policies/test_notes.py``.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
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
        "（本工具按同一对象在本项下只有一项权益计算，只付差额）\n"
    ) in out
    code, out, _ = run_cli(
        capsys, "explain", "policies/beijing_2025", "14", "--facts", facts, "--lang", "en"
    )
    assert (
        "  already granted 600 万元 under this provision: pays the rest 200 万元 "
        "(800 万元 − 600 万元, at least 0.00 元); as this tool reads an award: one "
        "entitlement per subject, only the rest paid\n"
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


@pytest.mark.parametrize("explain", [True, False])
@pytest.mark.parametrize(
    ("reading", "amount", "said"),
    [
        ("highest_only", "200 万元", "此前已获本项 100 万元（较低档次），未扣除"),
        ("top_up", "100 万元", "此前已获本项 100 万元，已从本次金额中扣除"),
    ],
)
def test_lower_tiers_paid_apart_are_not_said_deducted(
    reading: str, amount: str, said: str, explain: bool
) -> None:
    """The 1 亿元 tier paid before: under highest_only the 5 亿元 tier is paid in full (200 万元,
    nothing deducted, and the letter says so), under top_up the rest (100 万元, deducted);
    alike when evaluated without explanations (a review: the letter then said deducted)."""
    policy = compile_text(TIERS)
    grant = {"provision": "d/1/a", "firm": "f", "amount": "100万元", "year": 2025, "tier": "1 亿元"}
    facts = {
        "firms": [{"id": "f", "revenue": "6亿元"}],
        "ledger": [grant],
        "assumptions": {"reading": reading},
    }
    result = policy.evaluate(facts, explain=explain)
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
        # set by the caller, though to the default's own value: the caller's
        ({"share": "30%"}, "支持比例：本次按 30% 计算（使用者设定，非文件规定）"),
        ({"share": "25%"}, "支持比例：本次按 25% 计算（使用者设定，非文件规定）"),
    ],
)
def test_a_parameter_at_its_default_is_said_as_the_encodings(
    given: dict[str, str], said: str
) -> None:
    """A parameter the ``.rule`` gives a default: not set, its value is the encoding's
    default; set, the caller's, whatever the value (the call knows it set it: no value is
    compared with the default)."""
    policy = compile_text(DEFAULTED)
    facts = {"firms": [{"id": "f", "cost": "100万元"}], "parameters": given}
    assert f"  参数：{said}\n" in policy.evaluate(facts).explain()


def _block(text: str, head: str) -> str:
    """The block of the letter whose first line contains ``head``."""
    (block,) = [b for b in text.split("\n\n") if head in b.split("\n", 1)[0]]
    return block


LISTING = "1类创新药获批上市后1个月内快速挂网 —— 对象：firm-d/D-102"


def test_a_pending_deadline_without_an_evaluation_date_is_not_said_not_yet_due(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """drugmaker-d's D-102, due 2025-10-09 and not listed, evaluated with no ``--as-of``: the
    tool cannot know whether it is overdue, so it neither says 尚未到期 nor judges; the JSON
    status stays ``pending``."""
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", "examples/drugmaker-d.yaml")
    assert code == 0
    block = _block(out, LISTING)
    assert block.startswith("【尚未报告完成】")
    # 1类创新药…1个月内快速挂网 is encouraged (鼓励), so said as one, not as overdue-ness
    assert block.split("\n")[1:4] == [
        "  性质：文件以“鼓励”表述，不是强制要求",
        "  期限：2025年10月9日",
        "  未给出评估日期，不判断是否已超过鼓励期限",
    ]
    assert "尚未到期" not in out
    assert out.count("不判断是否已逾期") == 2  # the two other pending deadlines
    code, out, _ = run_cli(
        capsys, "eval", "policies/beijing_2025", "examples/drugmaker-d.yaml", "--format", "json"
    )
    (d,) = [
        d
        for d in json.loads(out)["decisions"]
        if d["provision"].endswith("class1_listing") and d["subject"] == "firm-d/D-102"
    ]
    assert (d["status"], d["margin"]) == ("pending", None)


@pytest.mark.parametrize(
    ("as_of", "said"),
    [
        ("2025-10-01", "  截至2025年10月1日尚未完成，尚未到期"),
        ("2025-10-09", "  截至2025年10月9日（期限最后一日）尚未完成，尚未到期"),
    ],
)
def test_a_pending_deadline_judged_on_a_date_before_it_is_not_yet_due(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_of: str, said: str
) -> None:
    """With ``--as-of`` on or before the due day (a period ends with its last day), 尚未到期
    is true and the day it is judged on is said; the English says it too.  drugmaker-d's
    D-102 alone: the file's other dates (D-101 listed 2025-11-27...) are after these days,
    not yet facts on them (E353)."""
    facts = tmp_path / "d102.yaml"
    facts.write_text(
        "firms:\n  - id: firm-d\n    drugs:\n"
        "      - {id: D-102, class1_innovative: true, approved_on: 2025-09-01}\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", facts, "--as-of", as_of)
    assert code == 0
    block = _block(out, LISTING)
    assert block.startswith("【尚未到期】")
    assert block.split("\n")[1:4] == [
        "  性质：文件以“鼓励”表述，不是强制要求",
        "  期限：2025年10月9日",
        said,
    ]
    assert "未给出评估日期" not in out
    code, out, _ = run_cli(
        capsys, "eval", "policies/beijing_2025", facts, "--as-of", as_of, "--lang", "en"
    )
    assert f"  due: 2025-10-09; not done; not yet due as of {as_of}" in out


def test_a_worked_case_without_an_evaluation_date_says_its_pending_deadline_undated() -> None:
    """The docs' results table of jybf-01.yaml's National Day case (no ``as_of``)."""
    import policyrules
    from policyrules.cases_run import run_case
    from policyrules.reference import load_cases
    from policyrules.sphinxext_cases import case_dated, result_words

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    cases = load_cases(ROOT / "policies" / "beijing_2025" / "cases")
    case = next(c for c in cases if c.name.startswith("a 20-week period ending on National Day"))
    assert not case_dated(case)
    (row,) = [r for r in run_case(policy, case).rows if r.field == "status"]
    assert result_words(policy.checked, row, dated=case_dated(case)) == (
        "结论",
        "尚未报告完成",
        "尚未报告完成",
    )
    dated = attrs.evolve(case, facts={**case.facts, "as_of": "2025-10-01"})
    assert case_dated(dated)


SETTLED = """entity case "申请"
  list cases
  fact start: date
  fact finished: date

document dl "时限"
  valid from 2000-01-01

clause 1 "日历日"
  quote "一日内办结。"

  deadline cal1 "日"
    for each case
    due 1 日 after start
    done finished
"""


def test_a_deadline_settled_under_any_holiday_schedule_is_said_in_chinese() -> None:
    """1 日 after 2026-12-31 reaches 2027, whose schedule is not published: not done as of
    2026-12-31 it cannot have ended, done that day it was in time.  The letter said the
    evaluator's English; it says both in Chinese."""
    policy = compile_text(SETTLED)
    run = {"assumptions": {"holiday_schedule": "error"}}
    pending = policy.evaluate({"cases": [{"id": "D", "start": "2026-12-31"}]}, as_of="2026-12-31")
    assert pending.explain().split("\n")[:2] == [
        "【尚未到期】dl 第1条 日 —— 对象：D",
        "  截至2026年12月31日尚未完成；2027年放假安排尚未公布，但无论如何安排均尚未到期",
    ]
    met = policy.evaluate(
        {"cases": [{"id": "D", "start": "2026-12-31", "finished": "2026-12-31"}]}, **run
    )
    assert "  2026年12月31日完成；2027年放假安排尚未公布，但无论如何安排均未逾期" in met.explain()


def _case_text(file: str, name: str) -> str:
    import policyrules
    from policyrules.reference import load_cases

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    cases = load_cases(ROOT / "policies" / "beijing_2025" / "cases")
    case = next(c for c in cases if c.file == file and c.name == name)
    return policy.evaluate(case.facts).explain()


def test_a_rate_target_is_said_in_percentages() -> None:
    """jybf-01.yaml's 89.9% case: the facts say 89.9%, so does the margin (it said 实际 0.899，
    要求 0.9，相差 -0.001), against 不低于 90% (``>=``), short by 0.1 个百分点; the English
    alike."""
    text = _case_text("jybf-01.yaml", "ethics mutual recognition at 89.9% is not met")
    block = _block(text, "多中心试验项目伦理审查互认率")
    assert block.startswith("【未达到】")
    assert block.split("\n")[1] == "  实际 89.9%，要求不低于 90%，尚差 0.1 个百分点"
    import policyrules

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    english = policy.evaluate({"medicine_reports": {"ethics_mutual_recognition_rate": "89.9%"}})
    assert "  89.9% against 90%: margin -0.1 percentage points\n" in english.explain(lang="en")


def test_an_average_target_says_its_average_and_its_units() -> None:
    """clause-02.yaml's 271 ÷ 3 case: 平均 on both sides, 个工作日, 不超过 (``<=``), and the
    excess without a minus sign (it said 实际 ≈90.33 工作日 … 相差 ≈-0.33 工作日)."""
    text = _case_text("clause-02.yaml", "active average just above 90 working days is not met")
    block = _block(text, "有源医疗器械平均检验时限")
    assert block.split("\n")[1] == (
        "  实际平均 ≈90.33 个工作日，要求平均不超过 90 个工作日，超出 ≈0.33 个工作日"
    )


@pytest.mark.parametrize(
    ("fact", "value", "title", "said"),
    [
        (
            "dataset_volume_tb",
            "48.5",
            "高质量数据集数据规模",
            "实际 48.5 TB，要求不少于 50 TB，尚差 1.5 TB",
        ),
        ("pilot_ivd_filings", 6, "试点产品备案", "实际 6，要求不少于 5，超出 1"),
        ("expert_consensus_count", 5, "创新药使用专家共识", "实际 5，要求不少于 5，正好等于要求"),
        (
            "industry_fund_size",
            "480亿元",
            "医药健康产业基金规模",
            "实际 480 亿元，要求不低于 500 亿元，尚差 20 亿元",
        ),
    ],
)
def test_a_targets_margin_keeps_its_units_and_says_its_sign(
    fact: str, value: object, title: str, said: str
) -> None:
    """A count's unit from its fact's title (数据规模（TB）), money's own, 不少于 for a count
    and 不低于 for money; 超出, 尚差 or 正好等于要求, never a minus sign."""
    import policyrules

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    text = policy.evaluate({"medicine_reports": {fact: value}}).explain()
    assert _block(text, title).split("\n")[1] == f"  {said}"


def test_a_reckoned_caps_line_says_the_limit_it_came_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A cap whose limit is a share of a fact says what it came to, so the reader can check
    the arithmetic; a cap written as an amount says nothing more (its words hold it)."""
    _, out, _ = run_cli(capsys, "eval", "policies/beijing_2025", "examples/firm-b.yaml")
    # T1: 30% of 总投资额 2000 万元 = 600 万元.
    assert "  上限：不超过总投资额的 30%（本次申请），即 600 万元\n" in out
    # K1: 50% of 总投资额 6000 万元 = 3000 万元, which cuts the 4000 万元 decided by 1000 万元.
    assert (
        "  上限：不超过总投资额的 50%（本次申请），即 3000 万元：此上限起作用：4000 万元 "
        "核减 1000 万元，为 3000 万元\n"
    ) in out
    assert "  上限：单个项目不超过 5000 万元（项目 K1）\n" in out


RECKONED = """document d "测试"

entity firm "企业"
  list firms
  fact base: money "投资额"
  fact awarded: money "决定金额"

clause 1 "t"
  quote "q"
  award a
    for each firm
    amount decided awarded
    cap 30% of base
    cap 100 万元 per firm
"""


def test_a_reckoned_caps_limit_said_from_rows_is_the_decisions() -> None:
    """The texts said from the evaluator's rows (the paid claims) say the reckoned limit as
    the decisions' texts do: 30% of 100 万元 = 30 万元, of 1000 万元 = 300 万元."""
    from policyrules.explain_zh import explain_text_zh

    policy = compile_text(RECKONED)
    facts = {
        "firms": [
            {"id": "F1", "base": "100万元", "awarded": "20万元"},
            {"id": "F2", "base": "1000万元", "awarded": "80万元"},
        ]
    }
    rendered = policy.evaluate(facts)
    said = rendered._texts_zh(policy.words) if rendered._texts_zh is not None else []
    assert any(type(x) is str for x in said)  # said from rows, not from decisions
    text = rendered.explain()
    assert text == explain_text_zh(policy.evaluate(facts), policy.words)
    assert "上限：不超过投资额的 30%（本次申请），即 30 万元\n" in text
    assert "上限：不超过投资额的 30%（本次申请），即 300 万元\n" in text
    assert "上限：单个企业不超过 100 万元（企业 F1）\n" in text


def test_an_overdue_margin_in_days_says_why_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """A review: where a working-day period's margin cannot be counted in working days (2027's
    holidays unpublished), the Chinese text showed the evaluator's English."""
    _, out, _ = run_cli(
        capsys,
        "eval",
        "policies/beijing_2025",
        "examples/drugmaker-d.yaml",
        "--as-of",
        "2027-06-01",
    )
    assert "working days not counted" not in out
    # CTA-2 due 2026-01-04, not done: 2026-01-04 .. 2027-06-01 is 513 calendar days.
    assert (
        "  截至2027年6月1日尚未完成，已逾期 513 日（2027年放假安排尚未公布，工作日无法计算，"
        "按日历日计）\n"
    ) in out


def test_a_written_cap_says_its_limit_only_where_an_exception_raised_it() -> None:
    """A review: a cap written as an amount with exceptions said `，即 500 万元` after its
    own 500 万元 where no exception applied; it says the limit only where one raised it."""
    from tests.unit.test_cap_exceptions import POLICY

    policy = compile_text(POLICY)
    facts = {
        "projects": [
            # 20% of 5000 万元 = 1000 万元, cut to 500 万元: no exception holds.
            {"id": "P1", "investment": "5000万元", "major": False, "key_chain": False,
             "flagship": False},
            # major: raised to 1000 万元; 20% of 6000 万元 = 1200 万元, cut to 1000 万元.
            {"id": "P2", "investment": "6000万元", "major": True, "key_chain": False,
             "flagship": False},
        ]
    }  # fmt: skip
    text = policy.evaluate(facts).explain()
    p1, p2 = text.split("—— 对象：P2")
    assert "即 500 万元" not in p1
    assert (
        "  上限：单个项目不超过 500 万元（项目 P2），即 1000 万元（经认定的特别重大项目，上限提高）"
        in p2
    )
