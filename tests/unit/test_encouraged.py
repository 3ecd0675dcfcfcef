"""`encouraged`: a deadline or a target the document encourages (鼓励…), not one it requires.

京医保发〔2025〕5号（十九）: “鼓励1类创新药获批上市后1个月内快速挂网”.  The status is worked out
as any deadline's (the tool still says whether it was done in time); the words say that
missing it breaks no requirement.  Dates: 1 月 after 2025-09-01 ends 2025-10-01 (民法典 第二百零
二条), a rest day (国庆), so 2025-10-09, the first working day after the holiday
(第二百零三条); done 2025-10-20 is late.  Done 2025-09-20 is early.
"""

from __future__ import annotations

import json

import pytest
from tests.support import diagnostics, run_cli

from policyrules import parse
from policyrules.colour import paint
from policyrules.explain import decision_json, decision_text
from policyrules.explain_zh import decision_text_zh
from policyrules.printer import print_module
from policyrules.vocab import status_words
from strategies import compile_text

HEAD = """entity drug "药品"
  list drugs
  fact approved_on: date
  fact listed_on: date
  fact filings: number

document d "测试"
  valid from 2025-01-01

clause 1 "挂网"
  quote "鼓励获批上市后1个月内快速挂网。完成5个备案。"

"""
BODY = """  deadline listing "快速挂网"
    quote "鼓励获批上市后1个月内快速挂网。"
    for each drug
    due 1 月 after approved_on
    done listed_on
{mark}
  target filings "备案"
    quote "完成5个备案。"
    for each drug
    require filings >= 5
{mark}"""
ENCOURAGED = HEAD + BODY.format(mark="    encouraged\n")
REQUIRED = HEAD + BODY.format(mark="")


def _decisions(text: str, **drug: str | int) -> dict[str, object]:
    result = compile_text(text).evaluate({"drugs": [{"id": "D1", **drug}]})
    return {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions}


def _zh(text: str, **drug: str | int) -> dict[str, str]:
    """The Chinese text of each decision, said with the policy's own words."""
    policy = compile_text(text)
    result = policy.evaluate({"drugs": [{"id": "D1", **drug}]})
    return {
        d.provision.rsplit("/", 1)[-1]: decision_text_zh(d, policy.words) for d in result.decisions
    }


def test_an_encouraged_deadline_keeps_its_status_and_says_what_it_is() -> None:
    late = _decisions(ENCOURAGED, approved_on="2025-09-01", listed_on="2025-10-20", filings=3)
    plain = _decisions(REQUIRED, approved_on="2025-09-01", listed_on="2025-10-20", filings=3)
    d, p = late["listing"], plain["listing"]
    assert (d.status, d.due.isoformat(), d.encouraged) == ("not_met", "2025-10-09", True)
    assert (p.status, p.due, p.encouraged) == (d.status, d.due, False)
    zh, zh_plain = decision_text_zh(d), decision_text_zh(p)
    assert zh.startswith("【未在鼓励期限内完成】")
    assert zh_plain.startswith("【未按期完成】")
    assert "  性质：文件以“鼓励”表述，不是强制要求" in zh.splitlines()
    assert "性质" not in zh_plain
    # late by 11 days (2025-10-09 → 10-20): past the encouraged limit, not 逾期 (a breach)
    assert "  超过鼓励期限 11 日" in zh.splitlines()
    assert "  逾期 11 日" in zh_plain.splitlines()
    en = decision_text(d).splitlines()
    assert en[2] == "  encouraged: the document encourages this (鼓励); it is not a requirement"
    assert "encouraged" not in decision_text(p)
    assert decision_json(d)["encouraged"] is True
    assert "encouraged" not in decision_json(p)


def test_an_encouraged_deadline_met_and_an_encouraged_target() -> None:
    early = _decisions(ENCOURAGED, approved_on="2025-09-01", listed_on="2025-09-20", filings=5)
    assert decision_text_zh(early["listing"]).startswith("【在鼓励期限内完成】")
    assert decision_text_zh(early["filings"]).startswith("【已达到鼓励目标】")  # 5 >= 5
    short = _decisions(ENCOURAGED, approved_on="2025-09-01", listed_on="2025-09-20", filings=4)
    assert decision_text_zh(short["filings"]).startswith("【未达到鼓励目标】")  # 4 < 5
    plain = _decisions(REQUIRED, approved_on="2025-09-01", listed_on="2025-09-20", filings=4)
    assert decision_text_zh(plain["filings"]).startswith("【未达到】")
    # said against the target: 4 against at least 5, 1 short
    said = _zh(ENCOURAGED, approved_on="2025-09-01", listed_on="2025-09-20", filings=4)
    assert "  实际 4，鼓励目标为不少于 5，尚差 1" in said["filings"].splitlines()
    said = _zh(REQUIRED, approved_on="2025-09-01", listed_on="2025-09-20", filings=4)
    assert "  实际 4，要求不少于 5，尚差 1" in said["filings"].splitlines()


def test_a_pending_encouraged_deadline_is_said_as_any_other() -> None:
    """Not done and no evaluation date: not judged, as a required deadline (尚未报告完成)."""
    d = _decisions(ENCOURAGED, approved_on="2025-09-01", filings=5)["listing"]
    assert d.status == "pending"
    text = decision_text_zh(d)
    assert text.startswith("【尚未报告完成】")
    assert "  未给出评估日期，不判断是否已超过鼓励期限" in text.splitlines()
    assert "  性质：文件以“鼓励”表述，不是强制要求" in text


def test_status_words_of_encouraged_and_colour() -> None:
    assert status_words("not_met", "deadline", encouraged=True) == "未在鼓励期限内完成"
    assert status_words("not_eligible", "deadline", encouraged=True) == "不符合条件"
    assert status_words("pending", "target", encouraged=True) == "尚未到期"
    # missing an encouragement is not painted red as a missed requirement: yellow (33)
    assert paint("【未在鼓励期限内完成】x").startswith("\x1b[1;33m")
    assert paint("【未按期完成】x").startswith("\x1b[1;31m")


def test_encouraged_only_in_deadlines_and_targets_and_once() -> None:
    award = HEAD + '  award a "奖励"\n    for each drug\n    amount 1 万元\n    encouraged\n'
    (e210,) = diagnostics(award)
    assert e210.code == "E210"
    assert "`encouraged` has no meaning in an award" in e210.message
    twice = ENCOURAGED.replace(
        "    done listed_on\n    encouraged\n",
        "    done listed_on\n    encouraged\n    encouraged\n",
    )
    assert [d.code for d in diagnostics(twice)] == ["E209"]
    assert diagnostics(ENCOURAGED) == []


def test_the_formatter_keeps_it() -> None:
    printed = print_module(parse(ENCOURAGED, "t.rule"))
    assert printed.count("\n    encouraged\n") == 2
    assert print_module(parse(printed, "t.rule")) == printed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_class1_listing_is_encouraged(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """京医保发〔2025〕5号（十九）, drugmaker-d's D-102: approved 2025-09-01, not listed; as of
    2026-06-30 past its due date 2025-10-09, so not met, and said as an encouragement."""
    code, out, _ = run_cli(
        capsys, "eval", "policies/beijing_2025", "examples/drugmaker-d.yaml",
        "--as-of", "2026-06-30", "--json", "--lang", lang,
    )  # fmt: skip
    assert code == 0
    (d,) = [
        x
        for x in json.loads(out)["decisions"]
        if x["provision"].endswith("/class1_listing") and x["subject"].endswith("D-102")
    ]
    assert (d["status"], d["due"], d.get("encouraged")) == ("not_met", "2025-10-09", True)
