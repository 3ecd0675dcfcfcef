"""The reader's Chinese texts name no identifier (hBP's new-user trial: 「（事实
early_stage_qualified）」, 「按 before_decision 读法」, 「填 overseas_authority: none」, coverage's
「（project.early_stage_qualified）」): the clause reference's worked-case comments, the measures'
and documents' notes, ``coverage`` and ``explain N`` in Chinese say facts, parameters and
assumptions by their Chinese titles.  A code name is allowed only where it is marked for
authors (the pages' 代码名 columns, class ``policyrules-dev``), which these texts do not hold.

Checked to fail before: on s32 the case comments gave 「事实 early_stage_qualified」 (a code
span inside the sentence), 「按 before_decision 读法」; the notes 「需待语言支持…」 and 「文件头写
prevails over earlier」; coverage 「（support_decided）」."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

import policyrules
from policyrules.coverage import coverage_text_zh
from policyrules.reference import cases_by_clause
from policyrules.sphinxext_cases import case_comments, lines_block
from policyrules.summary import measure_summary, reader_note, summary_text

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "beijing_2025"

# A code name (early_stage_qualified, project.early_stage_qualified), a facts file's none, or
# a lower-case English word; upper-case acronyms (DRG, FDA, GMP, TB) are the policy texts' own.
_IDENT = re.compile(r"[a-z]+_[a-z_]+|\bnone\b")
_ENGLISH = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")
# What may stay: a case's record ids (firm-a, A-late), a test file's path.
_IDS = re.compile(r"tests/\S+|\w+(?:-\w+)+")
# IT words a reader of Chinese does not follow.
_JARGON = ("语言支持", "读取")


def _leftovers(text: str) -> list[str]:
    kept = _IDS.sub("", text)
    found = _IDENT.findall(kept) + _ENGLISH.findall(kept)
    return found + [j for j in _JARGON if j in text]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


def test_case_comments_name_no_identifier(policy: policyrules.Policy) -> None:
    """Every line of worked-case arithmetic as the page shows it, code spans included: a
    name in backquotes was a code span inside the reader's sentence."""
    for path in sorted((POLICY_DIR / "cases").glob("*.yaml")):
        notes, per_case = case_comments(path.read_text("utf-8"))
        block = lines_block(policy.checked, notes + [x for lines in per_case for x in lines])
        for line in block.children:
            assert not _leftovers(line.astext()), f"{path.name}: {line.astext()!r}"


def test_notes_name_no_identifier(policy: policyrules.Policy) -> None:
    """The measures' notes as the reference and ``explain`` show them (reader_note), and the
    documents' notes (the document pages' 说明)."""
    for clause in policy.checked.clauses:
        for note in clause.notes:
            said = reader_note(policy.words, note)
            assert not _leftovers(said), f"{clause.id}: {said!r}"
    for doc in policy.checked.documents:
        for note in doc.notes:
            assert not _leftovers(note), f"{doc.name}: {note!r}"


def test_explain_summaries_name_no_identifier(policy: policyrules.Policy) -> None:
    """``explain N``'s summary of every measure (its 谁可申请 … 未定事项 lines)."""
    for clause in policy.checked.clauses:
        text = summary_text(measure_summary(policy.checked, clause, policy.words))
        assert not [w for w in _leftovers(text)], f"{clause.id}: {text!r}"


def test_coverage_in_chinese_names_no_identifier(policy: policyrules.Policy) -> None:
    """``coverage`` in Chinese: 需主管部门认定：经认定为符合条件的早期创新创业项目（第1条）, not
    followed by （project.early_stage_qualified）."""
    text = coverage_text_zh(policy.checked, policy.words)
    assert "需主管部门认定：经认定为符合条件的早期创新创业项目（第1条）\n" in text
    assert not _IDENT.findall(text), _IDENT.findall(text)


class _Page:
    """What a page asks of its directive, kept to nothing (links as their text)."""

    docname = "clauses/test"

    def link(self, kind: str, target: str, text: str) -> Any:
        return nodes.Text(text)

    def note_object(self, kind: str, name: str, node_id: str, title: str = "") -> None:
        pass

    def warn(self, subtype: str, message: str) -> None:
        pass


def _reader_text(node: nodes.Node) -> str:
    """What a reader reads of ``node``: not the parts marked for developers (class
    ``policyrules-dev``: the 代码名 columns, the folded encoding), not a code block, and not
    the policy's original words (a quote keeps its FDA, CE as the text has them)."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, nodes.literal_block | nodes.raw | nodes.block_quote):
        return ""
    if isinstance(node, nodes.Element) and "policyrules-dev" in node["classes"]:
        return ""
    sep = "\n" if isinstance(node, nodes.TextElement) else ""
    return "".join(_reader_text(c) for c in node.children) + sep


def test_clause_pages_name_no_identifier(policy: policyrules.Policy) -> None:
    """Each measure page as the build renders it, with its worked cases and their comments,
    and the facts index: no code name in a reader's sentence, and a code name only in the
    columns marked for developers."""
    pytest.importorskip("sphinx")
    from policyrules.sphinxext import _cases
    from policyrules.sphinxext_measure import measure_page
    from policyrules.sphinxext_pages import facts_page

    cases, comments = _cases(POLICY_DIR / "cases")
    by_clause = cases_by_clause(cases)
    for clause in policy.checked.clauses:
        page = measure_page(_Page(), policy, clause, by_clause.get(clause.id, []), comments)
        for line in _reader_text(page).splitlines():
            assert not _leftovers(line), f"{clause.id}: {line!r}"
    for section in facts_page(_Page(), policy.checked):
        for line in _reader_text(section).splitlines():
            assert not _leftovers(line), f"facts: {line!r}"
