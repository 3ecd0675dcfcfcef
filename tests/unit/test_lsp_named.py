"""Hover and go to definition on a provision named by another statement: a clause's
``exclusive A, B among E keep …`` and ``cumulative A, B "reason"`` (the grammar's other
references, ``supersedes DOC [LABEL]`` and ``twin DOC LABEL``, name documents and clauses,
not provisions).  hCD's trial: both answered null on ``little_giant_reward`` in
``exclusive little_giant_reward, rd_subsidy among firm keep highest``.  A policy of two
files written here, looked up through the analysis functions (lines and columns from 1)."""

from __future__ import annotations

import pytest

from policyrules.lsp.analysis import Analysis, analyse
from policyrules.lsp.definition import definition_span
from policyrules.lsp.hover import hover_markdown

AWARDS = """document d "测试"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms
  fact revenue: money "营业收入"

clause 1 "奖励"
  quote "给予一次性奖励50万元。"

  award lump_sum "一次性奖励"
    for each firm
    eligible when revenue > 0 元
    amount 50 万元

clause 2 "补助"
  quote "按营业收入的1%给予补助，最高100万元。另给予额外奖励1万元。"

  award subsidy "营业收入补助"
    for each firm
    eligible when revenue > 0 元
    amount 1% of revenue
    quote "按营业收入的1%给予补助，最高100万元。"

  award bonus "额外奖励"
    for each firm
    eligible when revenue > 0 元
    amount 1 万元
"""

# In a file of its own: the names resolve across the policy's files.
RULES = """document e "测试二"
  valid from 2026-01-01 to 2030-12-31

clause 3 "不重复支持"
  quote "同一企业同时符合第一条、第二条的，按照就高原则给予支持。"
  exclusive lump_sum,
    subsidy among firm keep highest

clause 4 "可叠加"
  quote "额外奖励可与第一条叠加享受。"
  cumulative bonus, lump_sum "可与第一条叠加享受"
"""


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, str, str]:
    directory = tmp_path_factory.mktemp("policy")
    (directory / "a.rule").write_text(AWARDS, "utf-8")
    (directory / "b.rule").write_text(RULES, "utf-8")
    analysis = analyse(directory, {})
    assert analysis.policy is not None
    assert not [d for ds in analysis.diagnostics.values() for d in ds if d.severity == "error"]
    return analysis, str(directory / "a.rule"), str(directory / "b.rule")


def _at(text: str, needle: str, offset: int = 1) -> tuple[int, int]:
    """The line and column (from 1) ``offset`` characters into the first ``needle``."""
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number, line.index(needle) + offset
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("needle", "offset", "head", "quote"),
    [
        # the first name, on the statement's first line; the award has no quote of its own
        ("exclusive lump_sum", 12, "**award** `lump_sum` 一次性奖励", "> 给予一次性奖励50万元。"),
        # the second, on the next line; this award's own quote, not its clause's
        (
            "subsidy among",
            1,
            "**award** `subsidy` 营业收入补助",
            "> 按营业收入的1%给予补助，最高100万元。",
        ),
        (
            "cumulative bonus",
            12,
            "**award** `bonus` 额外奖励",
            "> 按营业收入的1%给予补助，最高100万元。另给予额外奖励1万元。",
        ),
        ('lump_sum "', 8, "**award** `lump_sum` 一次性奖励", "> 给予一次性奖励50万元。"),
    ],
)
def test_hover_on_a_named_provision_gives_its_quote(
    analysed: tuple[Analysis, str, str], needle: str, offset: int, head: str, quote: str
) -> None:
    analysis, _, rules = analysed
    text = hover_markdown(analysis, rules, *_at(RULES, needle, offset))
    assert text is not None
    assert text.startswith(head)
    assert quote in text.split("\n\n")


def test_bonus_shows_its_clauses_quote(analysed: tuple[Analysis, str, str]) -> None:
    """bonus has no quote of its own: its clause 2's (and says so)."""
    analysis, _, rules = analysed
    text = hover_markdown(analysis, rules, *_at(RULES, "cumulative bonus", 12))
    assert text is not None
    assert "> 按营业收入的1%给予补助，最高100万元。另给予额外奖励1万元。" in text
    assert "clause `2` (its quote)" in text


@pytest.mark.parametrize(
    ("needle", "offset", "declared"),
    [
        ("exclusive lump_sum", 12, "  award lump_sum"),
        ("subsidy among", 3, "  award subsidy"),
        ("cumulative bonus", 14, "  award bonus"),
        ('lump_sum "', 1, "  award lump_sum"),
    ],
)
def test_definition_of_a_named_provision_is_its_name_in_its_file(
    analysed: tuple[Analysis, str, str], needle: str, offset: int, declared: str
) -> None:
    analysis, awards, rules = analysed
    span = definition_span(analysis, rules, *_at(RULES, needle, offset))
    assert span is not None
    line, col = _at(AWARDS, declared, 9)  # the name after `  award `
    name = declared.split()[-1]
    assert (span.file, span.line, span.col, span.end_col) == (awards, line, col, col + len(name))


def test_the_other_words_of_the_statement_are_not_provisions(
    analysed: tuple[Analysis, str, str],
) -> None:
    """`among firm` is the entity, as before; `keep highest` and the keyword name nothing."""
    analysis, _, rules = analysed
    text = hover_markdown(analysis, rules, *_at(RULES, "among firm", 8))
    assert text is not None
    assert text.startswith("**entity** `firm`")
    for needle, offset in (("keep highest", 7), ("exclusive", 3), ("cumulative", 3)):
        assert hover_markdown(analysis, rules, *_at(RULES, needle, offset)) is None
        assert definition_span(analysis, rules, *_at(RULES, needle, offset)) is None
