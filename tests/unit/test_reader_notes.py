"""Authors' notes as a reader sees them (summary.reader_note): on the measure pages, the
document pages and in `policyrules explain`, the encoding's names are said by their titles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policyrules
from policyrules.summary import reader_note

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _note(policy: policyrules.Policy, clause: str, starts: str) -> str:
    cl = policy.checked.clause(clause)
    assert cl is not None
    (note,) = [n for n in cl.notes if n.startswith(starts)]
    return reader_note(policy.words, note)


def test_a_bracketed_name_after_its_words_is_dropped(policy: policyrules.Policy) -> None:
    assert _note(policy, "jjxf_2025_50/3", "“揭榜挂帅") == (
        "“揭榜挂帅等国家项目”：揭榜挂帅项目当然计入，其他国家项目须经认定。"
    )
    # 第6条: （rd_reward_rate，未设定） keeps the words after the name.
    assert "文本未给出（未设定）；" in _note(policy, "jjxf_2025_50/6", "“一定比例”")


def test_a_name_in_the_text_is_said_by_its_title(policy: policyrules.Policy) -> None:
    said = _note(policy, "jybf_2025_5/(六)", "时限从何日起算")
    assert "编码以「申请提交（受理）日期（时限起算日）」为起算日" in said
    said = _note(policy, "jjxf_2025_50/12", "“新获评”")
    assert "故每个项目只给一次。" in said  # was: 故 once per project。


def test_acronyms_and_spacing_stay(policy: policyrules.Policy) -> None:
    """× keeps its spaces (only the spaces around a replaced name go)."""
    assert "金额 = 项目总投资 × 30%（" in _note(policy, "jjxf_2025_50/12", "比例是确定的")
    assert reader_note(policy.words, "DRG 付费（FDA）") == "DRG 付费（FDA）"


def test_no_note_leaks_a_name_of_the_encoding(policy: policyrules.Policy) -> None:
    """Every note of both documents, as read: no snake_case name is left."""
    notes = [n for cl in policy.checked.clauses for n in cl.notes]
    notes += [n for d in policy.checked.documents for n in d.notes]
    leaks = [
        m for n in notes for m in re.findall(r"\b[a-z]+_[a-z_]+\b", reader_note(policy.words, n))
    ]
    assert leaks == []
