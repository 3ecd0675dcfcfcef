"""The language server (`policyrules lsp`), driven by pygls's LanguageClient over a pipe.

One server process serves the whole module (the harness is ``tests/lsp_session.py``, its
fixtures ``session`` and ``policy_copy`` in ``tests/unit/conftest.py``): its client runs on
an event loop in a thread of its own, and each test sends requests to it and waits for the
answers.  Positions in the protocol count lines and characters from 0; the expected ones
are read off the files.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls import uris

from lsp_session import AMOUNTS, COMMON, JJXF, JYBF, SHIPPED, Session
from lsp_session import position_of as _pos
from policyrules.lsp.analysis import Word, analyse, word_at
from support import run_cli

# ---- diagnostics -------------------------------------------------------------------------


def test_a_syntax_error_is_one_diagnostic_at_its_token(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "broken.rule"
    text = 'document d "t"\n\nclause 1 "x"\n  award a "b"\n    eligible when = 3\n'
    path.write_text(text, "utf-8")
    seen = session.versions.get(uris.from_fs_path(str(path)) or "", 0)
    uri = session.open(path)
    found = session.diagnostics_after(uri, seen)
    assert len(found) == 1
    (d,) = found
    # Line 5 (index 4) is "    eligible when = 3": the `=` is at index 18, one character.
    assert d.range == lsp.Range(lsp.Position(4, 18), lsp.Position(4, 19))
    assert str(d.code).startswith("E1")
    assert d.severity == lsp.DiagnosticSeverity.Error
    assert d.source == "policyrules"
    session.close_doc(uri)


def test_positions_are_in_the_editors_utf16_units(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "emoji.rule"
    # Line 3: `clause 1 "😀" =`; the `=` is the 14th character, but 😀 is two UTF-16 units
    # (the protocol's default), so the editor's index is 14, not 13.
    text = 'document d "t"\n\nclause 1 "😀" =\n'
    path.write_text(text, "utf-8")
    uri = session.open(path)
    (d,) = session.diagnostics_after(uri, 0)
    assert d.range == lsp.Range(lsp.Position(2, 14), lsp.Position(2, 15))
    session.close_doc(uri)


def test_an_unsaved_buffer_is_checked_with_its_neighbours(
    session: Session, policy_copy: Path
) -> None:
    path = policy_copy / "jjxf-2025-50.rule"
    good = path.read_text("utf-8")
    # Line 69 (index 68): "    eligible when approved_on in force" under clause 3.
    bad = good.replace(
        "    eligible when approved_on in force\n    amount decided launch_reward_decided",
        "    eligible when aproved_on in force\n    amount decided launch_reward_decided",
    )
    assert bad != good
    uri = session.open(path, bad)
    found = session.diagnostics_after(uri, 0)
    assert [str(d.code) for d in found] == ["E203"]
    (d,) = found
    assert d.range == lsp.Range(lsp.Position(68, 18), lsp.Position(68, 28))  # `aproved_on`
    assert "unknown fact 'aproved_on'" in d.message
    assert "hint: did you mean 'approved_on'?" in d.message
    # The file on disk was never changed: the buffer is what was checked.
    assert path.read_text("utf-8") == good
    # The fix typed in the buffer clears the diagnostic.
    seen = session.versions[uri]
    session.change(uri, good)
    assert session.diagnostics_after(uri, seen) == []
    session.close_doc(uri)


def test_a_neighbour_declaration_removed_in_a_buffer_breaks_the_users(
    session: Session, policy_copy: Path
) -> None:
    common = policy_copy / "common.rule"
    jjxf = policy_copy / "jjxf-2025-50.rule"
    jjxf_uri = uris.from_fs_path(str(jjxf)) or ""
    seen = session.versions.get(jjxf_uri, 0)
    text = common.read_text("utf-8").replace("  fact launch_routes:", "  fact launch_route:")
    uri = session.open(common, text)
    found = session.diagnostics_after(jjxf_uri, seen)
    # jjxf-2025-50.rule uses launch_routes in clauses 3 (line 68) and others; each use is
    # reported in that file, not in the one edited.
    assert found
    assert {str(d.code) for d in found} == {"E203"}
    assert lsp.Position(67, 18) in [d.range.start for d in found]
    session.close_doc(uri)


# ---- hover -------------------------------------------------------------------------------


def _hover(session: Session, path: Path, position: lsp.Position) -> str:
    uri = session.open(path)
    got = session.run(
        session.client.text_document_hover_async(
            lsp.HoverParams(text_document=session.doc(uri), position=position)
        )
    )
    session.close_doc(uri)
    assert got is not None
    assert isinstance(got.contents, lsp.MarkupContent)
    return got.contents.value


def test_hover_on_a_fact_gives_its_title_type_and_entity(session: Session) -> None:
    at = _pos(JJXF, "launch_routes != {}")
    text = _hover(session, JJXF, lsp.Position(at.line, at.character + 3))
    assert "`product.launch_routes`: `set of LaunchRoute`" in text
    assert "获批上市前承担的国家项目或进入的审评审批程序" in text
    assert "`product` (医疗器械产品)" in text


def test_hover_on_a_provision_name_gives_the_quote(session: Session) -> None:
    # award launch_reward has no quote of its own: the hover shows clause 3's.
    text = _hover(session, JJXF, _pos(JJXF, "launch_reward ", nth_line=66))
    assert "**award** `launch_reward`" in text
    assert "> 对承担工业和信息化部揭榜挂帅等国家项目" in text
    assert "clause `3` (its quote)" in text


def test_hover_on_a_clause_label_gives_the_clauses_quote(session: Session) -> None:
    # Line 61: `clause 3 "创新产品上市奖励"`; the label `3` is at index 7.
    text = _hover(session, JJXF, lsp.Position(60, 7))
    assert "**clause** `3` 创新产品上市奖励" in text
    assert "> 对承担工业和信息化部揭榜挂帅等国家项目" in text


def test_hover_on_an_open_parameter_says_it_is_unset(session: Session) -> None:
    # A use of rd_reward_rate, after its declaration on line 121 of clause 6.
    at = _pos(JJXF, "rd_reward_rate of")
    text = _hover(session, JJXF, at)
    assert "**parameter** `rd_reward_rate`: `rate`" in text
    assert "**unset**: the text leaves it open" in text
    assert "“一定比例”：按上一年度研发投入计算奖励的比例由实施细则确定" in text


def test_hover_on_an_assumption_gives_its_default_and_rationale(session: Session) -> None:
    text = _hover(session, JJXF, _pos(JJXF, "annual_cap_year"))
    assert "**assumption** `annual_cap_year`: `YearBasis`" in text
    assert "default `approval`" in text
    assert "默认按产品获批日期所在年度" in text


def test_hover_on_an_enum_member_gives_its_title_and_enum(session: Session) -> None:
    text = _hover(session, JJXF, _pos(JJXF, "early_stage_venture"))
    assert "`ProjectKind.early_stage_venture`" in text
    assert "早期创新创业项目（首都医学科技创新成果转化优促计划" in text
    assert "of enum `ProjectKind` (项目类型)" in text


def test_hover_on_a_define_gives_its_title_expression_and_clause(session: Session) -> None:
    # amounts.rule line 27 uses supported_firm, written in clause 8 (line 17).
    text = _hover(session, AMOUNTS, _pos(AMOUNTS, "supported_firm", nth_line=27))
    assert "**define** `supported_firm`" in text
    assert "支持对象（第八条）" in text
    assert "= `registered_here and not serious_dishonesty`" in text
    assert "clause `8`" in text


# ---- definition --------------------------------------------------------------------------


def _definition(session: Session, path: Path, position: lsp.Position) -> lsp.Location:
    uri = session.open(path)
    got = session.run(
        session.client.text_document_definition_async(
            lsp.DefinitionParams(text_document=session.doc(uri), position=position)
        )
    )
    session.close_doc(uri)
    assert isinstance(got, lsp.Location)
    return got


def test_definition_of_a_fact_is_in_another_file(session: Session) -> None:
    got = _definition(session, JJXF, _pos(JJXF, "launch_routes != {}"))
    assert got.uri == uris.from_fs_path(str(COMMON))
    # common.rule line 23: "  fact launch_routes: set of ..." -> the name, characters 7-20.
    assert got.range == lsp.Range(lsp.Position(22, 7), lsp.Position(22, 20))


def test_definition_follows_the_provisions_subject(session: Session) -> None:
    # jybf-2025-5.rule's one line "    done approved_on" is in a provision `for each
    # pilot_application`: its approved_on is declared in medicine-entities.rule line 36,
    # not the product's approved_on of common.rule.
    done = _pos(JYBF, "done approved_on")
    at = lsp.Position(line=done.line, character=done.character + len("done "))
    got = _definition(session, JYBF, at)
    assert got.uri == uris.from_fs_path(str(SHIPPED / "medicine-entities.rule"))
    assert got.range == lsp.Range(lsp.Position(35, 7), lsp.Position(35, 18))


def test_definition_of_an_enum_member_and_an_assumption(session: Session) -> None:
    member = _definition(session, JJXF, _pos(JJXF, "early_stage_venture"))
    assert member.uri == uris.from_fs_path(str(COMMON))
    # common.rule line 107: "  early_stage_venture ..." (19 characters from index 2).
    assert member.range == lsp.Range(lsp.Position(106, 2), lsp.Position(106, 21))
    assumption = _definition(session, JJXF, _pos(JJXF, "annual_cap_year"))
    # common.rule line 145: "assumption annual_cap_year: ..." -> characters 11-26.
    assert assumption.range == lsp.Range(lsp.Position(144, 11), lsp.Position(144, 26))


def test_definition_of_a_define_is_its_name_in_the_define(session: Session) -> None:
    got = _definition(session, AMOUNTS, _pos(AMOUNTS, "supported_firm", nth_line=37))
    assert got.uri == uris.from_fs_path(str(AMOUNTS))
    # amounts.rule line 17: "  define supported_firm ..." -> the name, characters 9-23.
    assert got.range == lsp.Range(lsp.Position(16, 9), lsp.Position(16, 23))


# ---- completion --------------------------------------------------------------------------


def _complete(session: Session, path: Path, text: str, position: lsp.Position) -> dict[str, Any]:
    uri = session.open(path, text)
    got = session.run(
        session.client.text_document_completion_async(
            lsp.CompletionParams(text_document=session.doc(uri), position=position)
        )
    )
    session.close_doc(uri)
    assert isinstance(got, lsp.CompletionList)
    return {item.label: item.kind for item in got.items}


def test_completion_after_equals_offers_the_enums_members(
    session: Session, policy_copy: Path
) -> None:
    path = policy_copy / "jjxf-2025-50.rule"
    good = path.read_text("utf-8")
    line = "    eligible when kind = early_stage_venture and early_stage_qualified"
    text = good.replace(line, "    eligible when kind = ", 1)
    at = _pos(JJXF, line)  # the same line in the shipped file
    got = _complete(session, path, text, lsp.Position(at.line, len("    eligible when kind = ")))
    # kind: ProjectKind, which has 11 members (common.rule, enum ProjectKind).
    assert len(got) == 11
    assert got["early_stage_venture"] == lsp.CompletionItemKind.EnumMember
    assert "FDA" not in got  # a member of Authority


def test_completion_in_a_provision_offers_its_keywords_and_facts(
    session: Session, policy_copy: Path
) -> None:
    path = policy_copy / "jjxf-2025-50.rule"
    good = path.read_text("utf-8")
    anchor = "    amount decided launch_reward_decided\n"
    text = good.replace(anchor, anchor + "    eligible when la\n", 1)
    at = _pos(JJXF, anchor.strip(), nth_line=70)
    got = _complete(session, path, text, lsp.Position(at.line + 1, len("    eligible when la")))
    # After `eligible when` an expression: a name, `not`, `if`, `true`, `false`; no statement.
    assert got["not"] == lsp.CompletionItemKind.Keyword
    assert "cap" not in got
    assert got["launch_routes"] == lsp.CompletionItemKind.Field  # the subject, product
    assert got["name"] == lsp.CompletionItemKind.Field  # its owner, firm
    assert "kind" not in got  # a project's fact
    assert got["annual_cap_year"] == lsp.CompletionItemKind.Variable  # an assumption
    # At the start of a new statement in the provision: its statement keywords.
    text = good.replace(anchor, anchor + "    \n", 1)
    got = _complete(session, path, text, lsp.Position(at.line + 1, 4))
    assert {"eligible", "cap", "once", "amount", "quote"} <= set(got)
    assert "when" not in got
    assert "launch_routes" not in got
    # After `for each`: the entities, not facts.
    text = good.replace(anchor, anchor + "    for each \n", 1)
    got = _complete(session, path, text, lsp.Position(at.line + 1, len("    for each ")))
    assert got["product"] == got["project"] == lsp.CompletionItemKind.Class
    assert "launch_routes" not in got


def test_completion_in_a_provision_offers_the_defines(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "patterns"
    shutil.copytree(AMOUNTS.parent, target, ignore=shutil.ignore_patterns("cases"))
    path = target / "amounts.rule"
    good = path.read_text("utf-8")
    anchor = "    eligible when supported_firm\n"
    assert anchor in good
    text = good.replace(anchor, "    eligible when sup\n", 1)
    at = _pos(AMOUNTS, anchor.rstrip("\n"))
    got = _complete(session, path, text, lsp.Position(at.line, len("    eligible when sup")))
    assert got["supported_firm"] == lsp.CompletionItemKind.Function


# ---- formatting --------------------------------------------------------------------------


def test_formatting_is_one_edit_equal_to_fmt(
    session: Session, policy_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policy_copy / "jjxf-2025-50.rule"
    messy = path.read_text("utf-8").replace("  award launch_reward", "award   launch_reward", 1)
    path.write_text(messy, "utf-8")
    uri = session.open(path)
    edits = session.run(
        session.client.text_document_formatting_async(
            lsp.DocumentFormattingParams(
                text_document=session.doc(uri),
                options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
    )
    session.close_doc(uri)
    assert run_cli(capsys, "fmt", path)[0] == 0  # rewrites the file
    assert edits is not None
    (edit,) = edits
    lines = messy.count("\n")
    assert edit.range == lsp.Range(lsp.Position(0, 0), lsp.Position(lines, 0))
    assert edit.new_text == path.read_text("utf-8") != messy


def test_formatting_a_file_that_does_not_parse_gives_no_edit(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "broken.rule"
    path.write_text('clause 1 "x"\n  award a\n    eligible when\n', "utf-8")
    uri = session.open(path)
    edits = session.run(
        session.client.text_document_formatting_async(
            lsp.DocumentFormattingParams(
                text_document=session.doc(uri),
                options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
    )
    session.close_doc(uri)
    assert edits is None


def test_without_pygls_the_command_says_which_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "policyrules.lsp.server", None)  # import fails
    code, _out, err = run_cli(capsys, "lsp")
    assert code == 2
    assert "needs pygls: pip install 'policyrules[lsp]'" in err


def test_names_in_strings_and_comments_are_not_names() -> None:
    line = '    eligible when approved_on  # approved_on "x"\n  quote "approved_on"'
    # Columns from 1: `approved_on` at 19-29 on line 1; the comment's at 36; the quote's
    # (line 2) at 10.
    assert word_at(line, 1, 19) == Word(("approved_on",), 0, 1, 19, 30)
    assert word_at(line, 1, 30) == Word(("approved_on",), 0, 1, 19, 30)  # just after it
    assert word_at(line, 1, 36) is None
    assert word_at(line, 2, 10) is None
    # A dotted name: the part under the cursor.
    assert word_at("x = firm.name", 1, 6) == Word(("firm", "name"), 0, 1, 5, 9)
    assert word_at("x = firm.name", 1, 11) == Word(("firm", "name"), 1, 1, 10, 14)


def test_the_parse_cache_keeps_the_last_tree_of_a_file(tmp_path: Path) -> None:
    """While a file was typed in, the parse cache kept the tree of each of its last 64
    versions (about 7.5 MB each for a 12,600-line file); it keeps the last one a file."""
    text = 'entity firm "企业"\n  list firms\n'
    text += "".join(f'  fact f{i}: money "金额{i}"\n' for i in range(800))
    file = str(tmp_path / "a.rule")
    analyse(tmp_path, {str(tmp_path / "w.rule"): 'document w "t"\n'})  # the parser made
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        analyse(tmp_path, {file: text})
        gc.collect()
        one = tracemalloc.get_traced_memory()[0] - before
        for i in range(5):  # five more versions, each a line longer
            analyse(tmp_path, {file: text + f"# {i}\n"})
        gc.collect()
        six = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The tree of 800 facts, kept: 0.59 MB here, 0.30 MB on CI's machine (strings shared with
    # trees parsed before); the measure sees it either way.
    assert one > 100_000
    assert six < 2 * one  # one tree kept, not six (six would be about 6 × one)


def test_the_parse_cache_keeps_one_version_a_file_of_the_files_parsed_last() -> None:
    """The same, by what the cache holds: a new text of a file replaces its old tree, and the
    file parsed longest ago is dropped when more files than the bound were parsed."""
    from policyrules.lsp.analysis import _LastTrees

    trees = _LastTrees(2)
    first = trees.parse('document w "t"\n', "a.rule")
    assert trees.parse('document w "t"\n', "a.rule") is first  # same text: the kept tree
    second = trees.parse('document w "u"\n', "a.rule")
    assert second is not first
    assert list(trees._last) == ["a.rule"]  # one version of a.rule, the last
    trees.parse('document w "t"\n', "b.rule")
    trees.parse('document w "t"\n', "a.rule")  # a.rule is now the last parsed
    trees.parse('document w "t"\n', "c.rule")
    assert list(trees._last) == ["a.rule", "c.rule"]  # b.rule, parsed longest ago, dropped
