"""W268 for the clauses the words of exclusivity name.

A new user replaced the group of 示区科发〔2026〕3号 第二条 (「同一项目同时符合本措施第二条、第三条
的，按照就高原则给予支持，不重复支持」) by one leaving out clause 三's award: ``check --strict``
passed, since W268 asked only for some statement covering clause 二's award, and a project was
paid under 二 and 三 both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main

LINE = (
    "  exclusive industrialisation_subsidy, upgrade_support among project keep highest "
    "ties by listed\n"
)
WRONG = variant(
    LINE, "  exclusive industrialisation_subsidy, class1_reward among firm keep highest\n"
)

HEAD = """entity project "项目"
  list projects
  fact base: money

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _policy(quote: str, statement: str, third: str = "三", notes: str = "") -> str:
    return (
        f'{HEAD}clause 一 "a"\n  quote "给予 10 万元。"\n\n'
        "  award a1\n    for each project\n    amount 10 万元\n\n"
        f'clause 二 "b"\n  quote "{quote}"\n{notes}{statement}\n'
        "  award a2\n    for each project\n    amount 20 万元\n\n"
        f'clause {third} "c"\n  quote "给予 30 万元。"\n\n'
        "  award a3\n    for each project\n    amount 30 万元\n"
    )


def test_a_group_leaving_out_the_named_clause_is_w268(tmp_path: Path) -> None:
    """At the statement, naming the clause and its award; ``check --strict`` fails."""
    assert warnings(BIOMED, "W268") == []
    [w] = warnings(WRONG, "W268")
    assert w.message == (
        "clause 二's quote says “就高”、“不重复支持” of clause 三, and no exclusive or cumulative "
        "statement covering industrialisation_subsidy names an award of it (upgrade_support)"
    )
    assert w.span is not None
    line = next(i for i, x in enumerate(WRONG.splitlines(), 1) if x.startswith("  exclusive "))
    assert (w.span.line, w.span.col, w.span.clause_path) == (line, 3, ("示区科发〔2026〕3号", "二"))
    assert w.hint is not None
    assert "`exclusive industrialisation_subsidy, upgrade_support among ENTITY" in w.hint
    (tmp_path / "t.rule").write_text(WRONG, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    "quote",
    [
        "给予 20 万元，与第三条不重复支持。",
        "给予 20 万元，与本措施第（三）条不重复支持。",
        "同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持。",
    ],
)
@pytest.mark.parametrize("third", ["三", "3", '"(三)"'])
def test_the_named_clause_is_found_in_each_spelling(quote: str, third: str) -> None:
    wrong = "  exclusive a2, a1 among project keep highest\n"
    found = warnings(_policy(quote, wrong, third), "W268")
    assert [w.code for w in found] == ["W268"]
    assert warnings(_policy(quote, "  exclusive a2, a3 among project keep highest\n"), "W268") == []


def test_a_list_of_clauses_needs_each() -> None:
    """第一、三条: clause 一 named, clause 三 left out."""
    quote = "给予 20 万元，与第一、三条不重复支持。"
    [w] = warnings(_policy(quote, "  exclusive a2, a1 among project keep highest\n"), "W268")
    assert "of clause 三" in w.message
    every = "  exclusive a2, a1, a3 among project keep highest\n"
    assert warnings(_policy(quote, every), "W268") == []


@pytest.mark.parametrize(
    "statement",
    [
        # The named clause's award in a cumulative statement: the author's reading, said.
        '  cumulative a2, a3 "作者读法"\n',
        # Two statements, one naming each clause.
        '  exclusive a2, a3 among project keep highest\n  cumulative a2, a1 "可叠加"\n',
    ],
)
def test_a_statement_naming_the_clause_covers_it(statement: str) -> None:
    assert warnings(_policy("给予 20 万元，与第三条不重复支持。", statement), "W268") == []


@pytest.mark.parametrize(
    "quote",
    [
        # Another document's clause, or a law's.
        "给予 20 万元，与《2023年技术改造支持办法》第三条不重复支持。",
        "给予 20 万元，不再支持行政许可法第三条所列项目。",
        # A clause of this document with no award: nothing to name.
        "给予 20 万元，与第九条不重复支持。",
    ],
)
def test_what_names_no_award_of_this_document_does_not_warn(quote: str) -> None:
    wrong = "  exclusive a2, a1 among project keep highest\n"
    assert warnings(_policy(quote, wrong), "W268") == []


def test_a_note_quoting_the_words_silences_it() -> None:
    wrong = "  exclusive a2, a1 among project keep highest\n"
    note = '  note "“不重复支持”：第三条另有资金池，按 a1 编码。"\n'
    quote = "给予 20 万元，与第三条不重复支持。"
    assert warnings(_policy(quote, wrong, notes=note), "W268") == []


def test_labels_and_numbers() -> None:
    from policyrules.check_named_clauses import clause_number, named_clauses

    assert [clause_number(x) for x in ("14", "十四", "（十四）", "(二十)", "附则")] == [
        14,
        14,
        14,
        20,
        None,
    ]
    assert named_clauses("同一项目同时符合本措施第一条和《2023年技术改造支持办法》第一条的") == [1]


FOURTH = (
    '\nclause 四 "d"\n  quote "给予 40 万元。"\n\n'
    "  award a4\n    for each project\n    amount 40 万元\n"
)


@pytest.mark.parametrize(
    "quote",
    ["给予 20 万元，与第一至第四条不重复支持。", "给予 20 万元，与第一条至第四条不重复支持。"],
)
def test_a_range_of_clauses_names_each_within_it(quote: str) -> None:
    """第一至第四条 names 一, 二 (its own), 三 and 四: a statement leaving out 三, inside the
    range, warns.  Before, only the ends were read (第四条; 第一条 too where 条 follows it)."""
    wrong = "  exclusive a2, a1, a4 among project keep highest\n"
    [w] = warnings(_policy(quote, wrong) + FOURTH, "W268")
    assert "of clause 三" in w.message
    every = "  exclusive a2, a1, a3, a4 among project keep highest\n"
    assert warnings(_policy(quote, every) + FOURTH, "W268") == []


def test_ranges_read_by_number() -> None:
    from policyrules.check_named_clauses import named_clauses

    assert named_clauses("符合本措施第二至第五条的") == [2, 3, 4, 5]
    assert named_clauses("符合第二条至第五条、第七条的") == [2, 3, 4, 5, 7]
    assert named_clauses("符合第（二）条至第（四）条的") == [2, 3, 4]
    assert named_clauses("第2-4条") == [2, 3, 4]
    # 至 between two other documents' clauses is not read, as one of them is not
    assert named_clauses("《2023年办法》第一条至第三条") == []
