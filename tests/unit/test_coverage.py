"""``policyrules coverage`` in English and in Chinese on a small policy that has every kind of
open point (an unset parameter, a determination, an amount and a rate the agency decides, an
assumption, a twin) and a document without ``measures``; the language choice of the command
line; the Chinese text in JSON (as ``eval``'s), not in JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import policyrules
from policyrules.coverage import coverage_json, coverage_text, coverage_text_zh
from support import BEIJING, run_cli

DOC_A = """
entity firm "企业"
  list firms
  fact approved_on: date "获批日期"
  fact decided_on: date "决定日期"
  fact qualified: determination "经认定符合条件"
  fact investment: money "固定资产投资"
  fact rate_decided: rate "主管部门决定的支持比例"
  fact reward_decided: money "主管部门决定的奖励金额"

enum Basis "年度上限按哪一日期计入年度" {
  approval "获批日期所在年度",
  decision "决定日期所在年度",
}

assumption basis: Basis = approval "未说明按何日期计年；默认按获批日期。"

document doc_a "甲"
  number "甲发〔2025〕1号"
  valid from 2025-01-01
  measures 3

clause 1 "投资补助"
  quote "q1"
  parameter extra_rate: rate "“适当比例”：文本未给出"
  twin doc_b "(二)"

  award subsidy "投资补助"
    for each firm
    eligible when qualified
    amount 10% to 30% of investment decided rate_decided
    cap 100 万元 per firm per year of if basis = approval then approved_on else decided_on

  award bonus "奖励"
    for each firm
    eligible when qualified
    amount extra_rate of investment

  award reward "另行奖励"
    for each firm
    eligible when qualified
    amount decided reward_decided
"""

DOC_B = """
document doc_b "乙"
  number "乙发〔2025〕2号"
  valid from 2025-01-01

clause "(二)" "同一补助"
  quote "q2"
"""

# The English table as the command printed it before the Chinese text came in (a pin: the
# head padded to 24 columns, the kinds to 28; each open point in the order unset parameters,
# determinations, decided amounts, assumptions, twins); the counts: 甲 states 3 measures and
# encodes 1; 乙 states none, so its 1 encoded is no total: 1 + 1 = 2 encoded, 1 of 甲's 3,
# and 1 in the one document stating none (it was "2/4", 乙's 1 counted as its total).
ENGLISH = """\
甲发〔2025〕1号 1             award                        投资补助
                         · unset parameter extra_rate
                         · determination firm.qualified
                         · decided amount rate_decided
                         · decided amount reward_decided
                         · assumption basis
                         · twin doc_b/(二)
乙发〔2025〕2号 (二)           declaration                  同一补助
                         · twin doc_a/1

甲发〔2025〕1号: 1/3 measures
乙发〔2025〕2号: 1/? measures
total: 2 measures encoded: 1/3 in the documents stating their count, 1 in 1 stating none
"""

# The same in Chinese, line for line: each name said by the policy's title, the name kept in
# brackets; the range's decided rate (subsidy) is picked within the text's range, the
# reward's amount decided outright; a twin by its document's number and label; the total
# as in English (it was 合计：共 4 项措施).
CHINESE = """\
甲发〔2025〕1号 第1条 投资补助（资金支持）
  · 未设定参数：“适当比例”：文本未给出
  · 需主管部门认定：经认定符合条件
  · 由主管部门在文件规定的范围内决定：主管部门决定的支持比例
  · 金额由主管部门决定：主管部门决定的奖励金额
  · 采用假设：年度上限按哪一日期计入年度
  · 与乙发〔2025〕2号（二）为同一事项
乙发〔2025〕2号（二）同一补助（原则性表述）
  · 与甲发〔2025〕1号 第1条为同一事项

甲发〔2025〕1号：共 3 项措施，已编码 1 项
乙发〔2025〕2号：已编码 1 项措施，措施总数未注明
合计：已编码 2 项；注明总数的文件共 3 项措施，已编码 1 项；另 1 份文件未注明总数，已编码 1 项
"""


@pytest.fixture(scope="module")
def policy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("coverage")
    (where / "a.rule").write_text(DOC_A, "utf-8")
    (where / "b.rule").write_text(DOC_B, "utf-8")
    return where


@pytest.fixture(autouse=True)
def _no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def test_english_table_is_unchanged(policy_dir: Path) -> None:
    assert coverage_text(policyrules.load(policy_dir).checked) == ENGLISH


def test_chinese_says_each_open_point_in_words(policy_dir: Path) -> None:
    assert coverage_text_zh(policyrules.load(policy_dir).checked) == CHINESE


def test_command_line_chooses_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, policy_dir: Path
) -> None:
    """Chinese by default, English with --lang en or POLICYRULES_LANG=en, --lang winning
    over the environment; another language in the environment is E425, as for eval."""
    assert run_cli(capsys, "coverage", policy_dir) == (0, CHINESE, "")
    assert run_cli(capsys, "coverage", policy_dir, "--lang", "en") == (0, ENGLISH, "")
    monkeypatch.setenv("POLICYRULES_LANG", "en")
    assert run_cli(capsys, "coverage", policy_dir) == (0, ENGLISH, "")
    assert run_cli(capsys, "coverage", policy_dir, "--lang", "zh") == (0, CHINESE, "")
    monkeypatch.setenv("POLICYRULES_LANG", "fr")
    code, out, err = run_cli(capsys, "coverage", policy_dir)
    assert (code, out, "error[E425]" in err) == (2, "", True)


def test_json_carries_the_chinese_text_as_eval_does(
    capsys: pytest.CaptureFixture[str], policy_dir: Path
) -> None:
    """JSON: English keys, and text_zh on each measure (its block of CHINESE) and on the
    whole (CHINESE itself), whatever --lang says; JSON Lines and CSV: the rows alone."""
    measures, _ = CHINESE.split("\n\n")
    first, second = measures.split("\n乙")
    blocks = [first, "乙" + second]  # 甲's measure, 乙's
    for lang in ("zh", "en"):
        code, out, _ = run_cli(capsys, "coverage", policy_dir, "--json", "--lang", lang)
        data = json.loads(out)
        assert code == 0
        assert [m["text_zh"] for m in data["clauses"]] == blocks
        assert data["text_zh"] == CHINESE
    _, lines, _ = run_cli(capsys, "coverage", policy_dir, "--format", "jsonl")
    rows = [json.loads(line) for line in lines.splitlines()]
    assert rows == [{k: v for k, v in m.items() if k != "text_zh"} for m in data["clauses"]]
    _, table, _ = run_cli(capsys, "coverage", policy_dir, "--format", "csv")
    assert "text_zh" not in next(csv.reader(io.StringIO(table)))


def test_the_json_of_beijing_says_its_measures_in_chinese() -> None:
    """京经信发〔2025〕50号 第3条 in JSON: its open points by the policy's titles (the
    brief's example)."""
    data = coverage_json(policyrules.load(BEIJING).checked)
    (third,) = [m for m in data["clauses"] if m["document"] == "jjxf_2025_50" and m["label"] == "3"]
    assert third["text_zh"].splitlines() == [
        "京经信发〔2025〕50号 第3条 创新产品上市奖励（资金支持）",
        "  · 需主管部门认定：承担的其他国家项目经认定属于“揭榜挂帅等国家项目”",
        "  · 金额由主管部门决定：主管部门决定的上市奖励金额",
        "  · 采用假设：年度上限按哪一日期计入年度",
        "  · 采用假设：企业年度上限在多笔申请之间的分配顺序",
    ]


def test_no_total_when_no_document_states_its_count(tmp_path: Path) -> None:
    """乙 alone states no ``measures N``: its 1 encoded measure is no total of 1."""
    (tmp_path / "b.rule").write_text(DOC_B, "utf-8")
    checked = policyrules.load(tmp_path).checked
    assert coverage_text(checked).endswith(
        "乙发〔2025〕2号: 1/? measures\ntotal: 1 measures encoded, no document states its count\n"
    )
    assert coverage_text_zh(checked).endswith(
        "乙发〔2025〕2号：已编码 1 项措施，措施总数未注明\n"
        "合计：已编码 1 项，各文件均未注明措施总数\n"
    )
