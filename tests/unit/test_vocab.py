"""One vocabulary (policyrules.vocab) for statuses, amount kinds, provision kinds and reasons:
the letter, its JSON text_zh, the docs' worked cases, the summaries, the terminal's colours and
the calculator page (labels.json) say each the same way, and every reason an evaluation can
end a decision with has Chinese words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policyrules
from policyrules import vocab
from policyrules.cases_run import CaseRow
from policyrules.colour import paint
from policyrules.explain_zh import status_zh
from policyrules.explain_zh_reasons import undecided_zh as _undecided
from policyrules.reference import clause_heading
from policyrules.serve_page import labels
from policyrules.sphinxext_cases import result_words
from policyrules.sphinxext_pages import KIND_NAMES
from policyrules.summary import measure_summary

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "policyrules"

# The words the vocabulary owns, and the spellings the docs and the calculator used before it
# (按时办结 for a met deadline, 可以申请 for eligible ...): none may be spelled anywhere else.
OWNED = {
    *vocab.STATUSES.values(),
    *(w for own in vocab.STATUSES_OF_KIND.values() for w in own.values()),
    vocab.PENDING_UNDATED,
    *vocab.AMOUNT_KINDS.values(),
    *vocab.KINDS.values(),
}
RETIRED = {"按时办结", "超出时限", "尚未办结", "可以申请", "尚待确定", "最多"}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _sources() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*"))
        if p.suffix in (".py", ".js", ".html") and p.name != "vocab.py"
    ]


def test_no_other_place_spells_a_status_or_kind_word() -> None:
    """A string literal that is exactly one of the vocabulary's words ("符合条件", '最高') in
    any module, script or page of the package is a second spelling waiting to drift."""
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for word in OWNED | RETIRED:
            for quote in ('"', "'", "`"):
                if f"{quote}{word}{quote}" in text:
                    found.append(f"{path.relative_to(ROOT)}: {quote}{word}{quote}")
    assert found == []


def test_the_calculator_reads_its_words_from_labels_json(policy: policyrules.Policy) -> None:
    """labels.json carries the vocabulary's statuses and amount templates; the page's
    scripts (calculator.js, answer.js) have no table of their own."""
    served = labels(policy.checked)
    assert served["statuses"] == vocab.STATUSES
    assert served["amounts"] == vocab.AMOUNT_PHRASES
    json.dumps(served, ensure_ascii=False)  # JSON-ready
    page = SRC / "static" / "calculator"
    script = "".join((page / n).read_text(encoding="utf-8") for n in ("calculator.js", "answer.js"))
    assert "labels.statuses[" in script
    assert "labels.amounts[" in script
    assert not re.search(r"const STATUS\b", script)


def test_letter_json_docs_and_colours_say_each_status_alike(policy: policyrules.Policy) -> None:
    """Every decision of the shipped examples: the letter's tag, the JSON text_zh's, the docs'
    results table and the terminal's colour all use status_words(status, kind, encouraged); the
    examples give no evaluation date, so a pending deadline is said undated (尚未报告完成)."""
    seen = set()
    for name in ("firm-a", "firm-b", "drugmaker-d"):
        result = policy.evaluate(policy.load_facts(ROOT / "examples" / f"{name}.yaml"))
        data = result.to_json()
        letter = result.explain()
        for i, d in enumerate(result.decisions):
            word = vocab.status_words(d.status, d.kind, dated=False, encouraged=d.encouraged)
            seen.add((d.kind, d.status, d.encouraged))
            assert status_zh(d) == word
            if d.status != "not_eligible":
                assert f"【{word}】" in letter
            entry = data["decisions"][i]  # type: ignore[index]
            assert entry["text_zh"].startswith(f"【{word}】")
            row = CaseRow(d.provision, d.subject, "status", d.status, d.status, True)
            assert result_words(policy.checked, row, dated=False) == ("结论", word, word)
            assert paint(f"【{word}】").startswith("\x1b[")  # coloured: a tag colour knows
    # The examples reach a met deadline, a pending one, a met target and the three award ones.
    assert {
        ("deadline", "met", False),
        ("deadline", "met", True),  # 京医保发〔2025〕5号（十九） 鼓励…1个月内快速挂网
        ("deadline", "pending", False),
        ("target", "met", False),
        ("award", "eligible", False),
        ("award", "unknown", False),
        ("award", "not_eligible", False),
    } <= seen


def test_amount_words_follow_the_kinds() -> None:
    """One template per amount kind; the range's upper end is the up_to word."""
    assert vocab.amount_words("exact", "200 万元") == "200 万元（确定金额）"
    assert vocab.amount_words("up_to", "100 万元") == "最高 100 万元"
    assert vocab.amount_words("range", "60 万元", "20 万元") == "至少 20 万元，最高 60 万元"
    assert vocab.amount_words("range", "60 万元") == "最高 60 万元"
    assert vocab.amount_words("unknown", "—") == "待定"
    assert vocab.amount_words(None, "5 万元") == "5 万元"
    assert set(vocab.AMOUNT_PHRASES) == set(vocab.AMOUNT_KINDS)


def test_kinds_are_one_table(policy: policyrules.Policy) -> None:
    """The overview's and measure pages' kind names and the summaries' 给予 lines agree."""
    assert KIND_NAMES is vocab.KINDS
    clause = policy.checked.clause("jjxf_2025_50/7")
    assert clause is not None
    grants = measure_summary(policy.checked, clause).grants
    assert len(grants) == 4  # 第7条's four awards, each 【title】资金支持：…
    assert all(f"】{vocab.KINDS['award']}：" in g for g in grants)


# A label tested for a full-width bracket to decide the space beside it: the heading's own rule.
_GAP = re.compile(r"""(?:startswith|endswith)\(\s*["'][（）]["']\s*\)""")


def test_a_measure_is_headed_in_one_place(policy: policyrules.Policy) -> None:
    """heading_zh alone decides the space around a label (京经信发〔2025〕50号 第3条 …,
    京医保发〔2025〕5号（六）…): no other module tests a label for its bracket; the summary
    and the docs' clause heading read it."""
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m[0]}" for m in _GAP.finditer(text)]
    assert found == []
    for clause in policy.checked.clauses:
        doc = policy.checked.document(clause.document)
        number = doc.number if doc and doc.number else clause.document
        head = vocab.heading_zh(number, clause.label, clause.title)
        assert measure_summary(policy.checked, clause).heading == head
        assert clause_heading(clause) == vocab.heading_zh("", clause.label, clause.title)
    assert vocab.heading_zh("京医保发〔2025〕5号", "(六)", "审评审批试点时限") == (
        "京医保发〔2025〕5号（六）审评审批试点时限"
    )


# ---- reasons ----------------------------------------------------------------------------------

_RAISED = re.compile(r"""(?:Undecided\(\s*f?["']|Diagnostic\(\s*["']|\bf["'])(E[45]\d\d)\b""")


def _evaluation_codes() -> set[str]:
    """The codes an evaluation can end a decision with: those the catalogue says make a
    decision unknown, and those raised as Undecided (or as a calendar gap) in the source."""
    codes = set()
    catalogue = (ROOT / "grammar" / "README.md").read_text(encoding="utf-8")
    for m in re.finditer(r"^\| (E[45]\d\d) \| (.*)\|$", catalogue, re.M):
        if "decision is unknown" in m[2] or "decision unknown" in m[2] or m[1] == "E502":
            codes.add(m[1])
    evaluating = [
        SRC / "exprs.py",
        SRC / "exprs_bands.py",
        SRC / "runtime" / "calendar.py",
        *(SRC / "backends" / "python").glob("*.py"),
    ]
    for path in evaluating:
        codes |= set(_RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_evaluation_reason_has_words() -> None:
    """E401, E410, E412–E420, E501, E502 (and any code added later where decisions are made):
    each is said in Chinese, never as the evaluator's English."""
    codes = _evaluation_codes()
    assert {"E401", "E410", "E415", "E420", "E501", "E502"} <= codes  # the scan finds them
    assert codes - set(vocab.REASONS) == set()
    for code in sorted(codes):
        said = _undecided(f"{code}: price / 0 divides by zero")
        assert said == f"无法判断：{vocab.REASONS[code]}（{code}）"
        assert not re.search(r"[A-Za-z]{3,}", vocab.REASONS[code])
