"""W268: a clause whose quote says 不重复支持 / 就高 with no statement saying so.

A new user deleted the ``exclusive`` line of 示区科发〔2026〕3号 第二条 (「同一项目同时符合本措施
第二条、第三条的，按照就高原则给予支持，不重复支持」): ``check --strict`` passed, since the two
awards pay shares of different investments (W290 looks for one money fact in common), and a
project was paid 1000 万元 + 1200 万元 where the text allows 1200 万元.  The E618 hint of the
batch said to "leave the clause out of the batch", which, done by deleting the line, paid
twice the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from biomed_rule import BIOMED, variant, warnings
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.check_exclusive_words import exclusive_words
from policyrules.cli import main

POLICIES = Path(__file__).resolve().parents[2] / "policies"
EXCLUSIVE = "  exclusive industrialisation_subsidy, upgrade_support among project keep highest"
LINE = f"{EXCLUSIVE} ties by listed\n"
NO_LINE = variant(LINE, "")
QUOTE_2 = "同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持，不重复支持。"


def test_the_deleted_exclusive_line_is_w268_at_the_clause(tmp_path: Path) -> None:
    """The new user's break warns at clause 二, naming the quote's words and the award, and
    ``check --strict`` fails on it; the policy as written is clean."""
    assert warnings(BIOMED, "W268") == []
    [w] = warnings(NO_LINE, "W268")
    assert "clause 二's quote says “就高”、“不重复支持”" in w.message
    assert "industrialisation_subsidy" in w.message
    assert w.span is not None
    assert (w.span.line, w.span.clause_path) == (58, ("示区科发〔2026〕3号", "二"))
    assert w.hint is not None
    assert "`exclusive industrialisation_subsidy, OTHER among ENTITY keep highest`" in w.hint
    (tmp_path / "t.rule").write_text(NO_LINE, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_w290_alone_does_not_see_it() -> None:
    """The two awards read different money facts: W290 is silent, W268 is not."""
    assert warnings(NO_LINE, "W290") == []


@pytest.mark.parametrize(
    "statement",
    [
        # The statement in the clause that says so.
        LINE,
        # A cumulative statement: the author read the text as letting both be paid.
        '  cumulative industrialisation_subsidy, upgrade_support "作者读法"\n',
    ],
)
def test_a_statement_in_the_clause_covers_it(statement: str) -> None:
    assert warnings(variant(LINE, statement), "W268") == []


def test_a_statement_of_another_clause_naming_its_award_covers_it() -> None:
    """The group written in clause 三 names clause 二's award."""
    moved = variant('  quote "对企业开展技术改造', f'{LINE}  quote "对企业开展技术改造', NO_LINE)
    assert warnings(moved, "W268") == []


def test_a_note_quoting_the_words_silences_it() -> None:
    note = '  note "“不重复支持”：与区外资金的关系，按 eligible when 编码。"\n'
    assert warnings(variant(LINE, note), "W268") == []
    # A note that says something else does not.
    other = '  note "设备投资按发票金额计。"\n'
    assert len(warnings(variant(LINE, other), "W268")) == 1


@pytest.mark.parametrize(
    ("quote", "words"),
    [
        (QUOTE_2, ["就高", "不重复支持"]),
        ("已获得市级财政资金支持的项目，不再支持。", ["不再支持"]),
        ("同一企业同一年度不得重复申报。", ["不得重复申报"]),
        ("同一产品不重复享受本措施支持。", ["不重复享受"]),
        ("与本市其他同类政策不可兼得。", ["不可兼得"]),
        ("企业可择一申报。", ["择一"]),
        ("本条奖励不与第二条叠加。", ["不与第二条叠加"]),
        ("本条奖励不予叠加享受。", ["不予叠加"]),
    ],
)
def test_the_words_of_exclusivity(quote: str, words: list[str]) -> None:
    assert exclusive_words(quote) == words


@pytest.mark.parametrize(
    "quote",
    [
        # 京医保发〔2025〕5号 (十四): a procedure dropped.
        "对纳入药械管理的货物、物品,不再实施进出境特殊物品卫生检疫审批。",
        "《2023年技术改造支持办法》第二条自本措施施行之日起不再执行。",  # a supersession
        "本条奖励可与本办法第一条、第二条的支持叠加享受。",  # cumulation
        "统筹布局，避免重复建设。",
        "无源医疗器械和诊断试剂检验时限缩减至平均 60 个工作日。",
    ],
)
def test_what_is_not_exclusivity(quote: str) -> None:
    assert exclusive_words(quote) == []


def test_a_clause_with_no_award_warns_unless_it_holds_the_statement() -> None:
    """A closing clause saying 不重复支持 for the awards of others: its statement there covers
    it (as patterns_excl_2025 二 does), its absence warns."""
    last = f'\nclause 七 "不重复支持"\n  quote "{QUOTE_2}"\n'
    text = NO_LINE.replace("\nclause 六 ", last + "\nclause 六 ")
    assert [w.message.split("'")[0] for w in warnings(text, "W268")] == ["clause 二", "clause 七"]
    with_group = NO_LINE.replace("\nclause 六 ", last + LINE + "\nclause 六 ")
    assert warnings(with_group, "W268") == []


@pytest.mark.parametrize("directory", ["beijing_2025", "patterns"])
def test_shipped_policies_have_no_w268(directory: str) -> None:
    """The Beijing documents say no 不重复支持 (their 不再实施 is a procedure); the patterns'
    exclusive clauses each hold their statement."""
    found = policyrules.load(POLICIES / directory).checked.warnings
    assert [w for w in found if w.code == "W268"] == []


def test_the_batch_hint_never_says_to_drop_the_statement(tmp_path: Path) -> None:
    """E618's hint: evaluate one by one; never delete the statement (which pays twice).  On
    an entitlement a later document supersedes, which the batch still refuses (an award so
    superseded is compiled)."""
    (tmp_path / "a.rule").write_text(
        'entity firm\n  list firms\n  fact ok: bool\n\ndocument a "前"\n  issued 2024-01-01\n\n'
        'clause 1 "一"\n  quote "q"\n\n  entitlement e "E"\n    quote "q"\n    for each firm\n'
        '    eligible when ok\n    consequence "可以申请"\n',
        encoding="utf-8",
    )
    (tmp_path / "b.rule").write_text(
        'document b "后"\n  issued 2025-01-01\n  supersedes a\n', encoding="utf-8"
    )
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policyrules.load(tmp_path).checked)
    [d] = info.value.diagnostics
    assert d.code == "E618"
    assert d.hint is not None
    assert "leave the clause out" not in d.hint
    assert "evaluate those firms one at a time: `policyrules eval POLICY REGISTRY" in d.hint
    assert "never delete it" in d.hint
