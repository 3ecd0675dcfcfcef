"""The language server on tier tables and built-in functions: hover and definition on a
table where it is declared and where it is read (``T[x]``, ``x reaches T``), on a table
given as a parameter and on each built-in function; completion of tables and built-ins
where an expression may start, and nowhere else.

The tables are those of the guide's policy (``policies/patterns/tiers.rule``: money, rate and
enum keyed, and one left to the caller), driven through the server as an editor drives it;
the built-ins are those of a small policy written here, looked up through the analysis
functions.  Positions through the server count from 0, through the analysis from 1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls import uris

from lsp_session import SHIPPED, Session, position_of
from policyrules import lexer, typing_base
from policyrules.check_instalments import PAYMENT_CALLS
from policyrules.lsp.analysis import Analysis, analyse
from policyrules.lsp.completion import completions
from policyrules.lsp.definition import definition_span
from policyrules.lsp.functions import FUNCTIONS
from policyrules.lsp.hover import hover_markdown

TIERS = SHIPPED.parent / "patterns" / "tiers.rule"

# Every built-in called once; a top-level table shares its name with a fact.
CALLS = """document calls "t"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms
  fact costs: list of money "费用"
  fact applied_on: date "申报日期"
  fact exports: money(USD) "出口额"
  fact usd_cny: exchange(USD) "汇率"
  fact interest_paid: list of money "各年度利息"
  fact share: number "比例"
  fact revenue_tiers: money "营业收入"

table revenue_tiers "营业收入档次": money to money
  from 1 亿元 give 50 万元
  from 5 亿元 give 100 万元

clause 1 "t"
  quote "q"

  award calls_award "t"
    for each firm
    eligible when known(share) and year(applied_on) >= 2026 and count(costs) > 0
    eligible when floor(share) < ceil(share)
    amount min(max(sum(costs), average(costs)), convert(exports, usd_cny))

  award yearly_award "y"
    for each firm
    eligible when applied_on in force
    amount (if year_index() <= 1 then 100% else 50%) of this_year(interest_paid)
    cap 200 万元 per firm per year of payment_year()
    paid yearly for 3 years from applied_on

  award tier_award "t"
    for each firm
    eligible when revenue_tiers reaches revenue_tiers
    amount revenue_tiers[revenue_tiers]
"""


@pytest.fixture
def calls(tmp_path: Path) -> tuple[Analysis, str]:
    path = tmp_path / "calls.rule"
    path.write_text(CALLS, "utf-8")
    analysis = analyse(tmp_path, {})
    assert analysis.policy is not None
    assert not [d for ds in analysis.diagnostics.values() for d in ds if d.severity == "error"]
    return analysis, str(path)


def _at(text: str, needle: str, shift: int = 0) -> tuple[int, int]:
    """Line and column (from 1) of ``needle``'s first character, plus ``shift``."""
    for i, line in enumerate(text.split("\n")):
        if needle in line:
            return i + 1, line.index(needle) + 1 + shift
    raise AssertionError(needle)


# ---- the built-ins -------------------------------------------------------------------------


def test_every_built_in_has_a_signature_and_a_meaning() -> None:
    """A built-in added to the checker or the highlighter and not here fails this."""
    assert set(FUNCTIONS) == set(lexer.BUILTINS) == set(typing_base.BUILTINS)
    for name, f in FUNCTIONS.items():
        assert f.name == name
        assert f.signature.startswith(f"{name}(")
        assert " → " in f.signature
        lo, hi = typing_base.BUILTINS[name]  # the signature's arguments are the checker's
        args = f.signature[len(name) + 1 : f.signature.index(")")]
        written = [a for a in args.split(", ") if a]
        assert lo <= len([a for a in written if a != "…"]) <= (hi if hi is not None else 99)
        assert ("…" in written) == (hi is None)
        assert f.meaning
        assert "\n" not in f.meaning


@pytest.mark.parametrize("name", sorted(typing_base.BUILTINS))
def test_hover_on_each_built_in_gives_its_signature_and_meaning(
    calls: tuple[Analysis, str], name: str
) -> None:
    analysis, path = calls
    line, col = _at(CALLS, f"{name}(", 1)
    text = hover_markdown(analysis, path, line, col)
    assert text == FUNCTIONS[name].markdown()
    assert f"**built-in** `{FUNCTIONS[name].signature}`" in text
    assert FUNCTIONS[name].meaning in text
    assert definition_span(analysis, path, line, col) is None  # declared nowhere


def test_a_built_ins_hover_is_the_languages_own_words(calls: tuple[Analysis, str]) -> None:
    analysis, path = calls
    known = hover_markdown(analysis, path, *_at(CALLS, "known("))
    assert (
        known
        == "**built-in** `known(x) → bool`\n\nwhether `x` is known; this is never unknown itself"
    )
    convert = hover_markdown(analysis, path, *_at(CALLS, "convert("))
    assert convert is not None
    assert "rounded down to the fen" in convert
    # The argument of a call is still its fact.
    share = hover_markdown(analysis, path, *_at(CALLS, "known(share)", len("known(")))
    assert share is not None
    assert share.startswith("**fact** `firm.share`")


# ---- tables: hover and definition ----------------------------------------------------------


def test_hover_on_a_table_where_declared_and_where_read(session: Session) -> None:
    uri = session.open(TIERS)
    declared = position_of(TIERS, "scale_tiers ")
    read = position_of(TIERS, "scale_tiers[annual_revenue]")
    reaches = position_of(TIERS, "reaches scale_tiers")
    texts = [
        session.hover(uri, lsp.Position(declared.line, declared.character + 8)),
        session.hover(uri, lsp.Position(read.line, read.character + 3)),
        session.hover(uri, lsp.Position(reaches.line, reaches.character + len("reaches s"))),
    ]
    session.close_doc(uri)
    assert texts[0] == texts[1] == texts[2]
    text = texts[0]
    assert text is not None
    assert text.startswith(
        "**table** `scale_tiers`: `money to money`\n\n营业收入首次突破规模奖励档次"
    )
    assert "- 1 亿元 → 100 万元\n- 5 亿元 → 200 万元\n- 10 亿元 → 300 万元" in text
    assert "the row of the highest threshold `x` reaches (`x` = 1 亿元 is in the first row)" in text
    assert "below 1 亿元, no row" in text
    # The award reads it by an assumption of the two readings: both said, the default marked.
    assert "read by award `scale_reward`, `tiers by tier_reading`:" in text
    assert "- `top_up` (the default): 晋档补差" in text
    assert "- `highest_only`: 只享受最高档" in text
    assert text.endswith("clause `1`")


def test_hover_on_an_enum_keyed_and_a_rate_table(session: Session) -> None:
    uri = session.open(TIERS)
    enum = position_of(TIERS, "sme_level_rewards[")
    rate = position_of(TIERS, "rd_rate_tiers[")
    by_member = session.hover(uri, lsp.Position(enum.line, enum.character + 1))
    by_rate = session.hover(uri, lsp.Position(rate.line, rate.character + 1))
    session.close_doc(uri)
    assert by_member is not None
    assert by_rate is not None
    assert "**table** `sme_level_rewards`: `SmeLevel to money`" in by_member
    assert "- innovative_sme (创新型中小企业) → 10 万元" in by_member
    assert "the row of the member `x`; a member without a row has none" in by_member
    assert "read by award `sme_level_reward`" in by_member
    assert "tiers by" not in by_member  # its award names no reading
    assert "**table** `rd_rate_tiers`: `money to rate`" in by_rate
    assert "- 1000 万元 → 10%\n- 5000 万元 → 15%" in by_rate


def test_definition_of_a_table_from_where_it_is_read(session: Session) -> None:
    uri = session.open(TIERS)
    declared = position_of(TIERS, "table scale_tiers")
    name = lsp.Range(
        lsp.Position(declared.line, declared.character + 6),
        lsp.Position(declared.line, declared.character + 6 + len("scale_tiers")),
    )
    for needle, shift in (("scale_tiers[annual_revenue]", 0), ("reaches scale_tiers", 8)):
        at = position_of(TIERS, needle)
        got = session.definition(uri, lsp.Position(at.line, at.character + shift + 2))
        assert isinstance(got, lsp.Location)
        assert got.uri == uris.from_fs_path(str(TIERS))
        assert got.range == name
    session.close_doc(uri)


def test_a_table_given_as_a_parameter_hovers_as_a_parameter_with_its_reading(
    session: Session,
) -> None:
    uri = session.open(TIERS)
    read = position_of(TIERS, "benchmark_amounts[benchmark_grade]")
    text = session.hover(uri, lsp.Position(read.line, read.character + 2))
    got = session.definition(uri, lsp.Position(read.line, read.character + 2))
    session.close_doc(uri)
    assert text is not None
    assert text.startswith("**parameter** `benchmark_amounts`: `table BenchmarkGrade to money`")
    assert "**unset**: the text leaves it open" in text
    assert "`benchmark_amounts[x]`: the row of the member `x`" in text
    assert "the caller gives its rows, in the facts file: `parameters: {benchmark_amounts:" in text
    assert "read by award `benchmark_reward`" in text
    declared = position_of(TIERS, "parameter benchmark_amounts")
    assert isinstance(got, lsp.Location)
    assert got.range.start == lsp.Position(declared.line, declared.character + len("parameter "))


def test_a_fact_of_the_same_name_does_not_hide_the_table(calls: tuple[Analysis, str]) -> None:
    """`revenue_tiers[revenue_tiers]`: the table, then the fact; a table at the top level."""
    analysis, path = calls
    table = hover_markdown(analysis, path, *_at(CALLS, "revenue_tiers[", 1))
    key = hover_markdown(analysis, path, *_at(CALLS, "[revenue_tiers]", 2))
    reaches = hover_markdown(analysis, path, *_at(CALLS, "reaches revenue_tiers", 9))
    assert table is not None
    assert table.startswith("**table** `revenue_tiers`: `money to money`")
    assert "- 1 亿元 → 50 万元" in table
    assert "clause" not in table  # declared at the top level
    assert reaches == table
    assert key is not None
    assert key.startswith("**fact** `firm.revenue_tiers`: `money`")
    span = definition_span(analysis, path, *_at(CALLS, "revenue_tiers[", 1))
    assert span is not None
    assert (span.line, span.col) == _at(CALLS, "table revenue_tiers", 6)


# ---- completion ----------------------------------------------------------------------------


def test_completion_offers_tables_and_built_ins_where_an_expression_starts(
    session: Session, tmp_path: Path
) -> None:
    target = tmp_path / "patterns"
    shutil.copytree(TIERS.parent, target, ignore=shutil.ignore_patterns("cases"))
    path = target / "tiers.rule"
    good = path.read_text("utf-8")
    anchor = "    amount scale_tiers[annual_revenue]\n"
    line = position_of(TIERS, anchor.rstrip("\n")).line + 1

    def offered(typed: str) -> dict[str, object]:
        uri = session.open(path, good.replace(anchor, anchor + typed + "\n", 1))
        got = session.completion(uri, lsp.Position(line, len(typed)))
        session.close_doc(uri)
        return got

    for typed in (
        "    eligible when ",
        "    amount min(",
        "    amount scale_tiers[",
        "    amount 2 * ",
    ):
        got = offered(typed)
        # the award has no payment schedule: its functions would be E291 here
        assert {name: got.get(name) for name in FUNCTIONS} == {
            name: None if name in PAYMENT_CALLS else lsp.CompletionItemKind.Function
            for name in FUNCTIONS
        }, typed
        assert got["scale_tiers"] == got["rd_rate_tiers"] == lsp.CompletionItemKind.Struct
        assert got["annual_revenue"] == lsp.CompletionItemKind.Field  # the facts, as before
    # After `reaches`: the tables, declared or given as parameters; nothing else.
    got = offered("    eligible when annual_revenue reaches ")
    assert set(got) == {"scale_tiers", "sme_level_rewards", "rd_rate_tiers", "benchmark_amounts"}
    assert got["benchmark_amounts"] == lsp.CompletionItemKind.Constant
    # Where no expression starts: neither tables nor built-ins.
    for typed in ("    for each ", "    ", "    tiers by ", '    note "kn', "    # min"):
        got = offered(typed)
        assert not set(got) & (set(FUNCTIONS) | {"scale_tiers", "rd_rate_tiers"}), typed


def test_a_built_ins_completion_carries_its_signature(calls: tuple[Analysis, str]) -> None:
    analysis, path = calls
    line, _ = _at(CALLS, "eligible when floor(share)")
    text = CALLS.replace("    eligible when floor(share) < ceil(share)", "    eligible when kn")
    items = completions(analysis, path, text, line, len("    eligible when kn") + 1)
    (known,) = [i for i in items if i.label == "known"]
    assert known.kind == "builtin"
    assert known.detail == "known(x) → bool"
    assert known.documentation == FUNCTIONS["known"].meaning
    # The table and the fact of one name are both offered, each as what it is.
    assert [(i.kind, i.detail, i.documentation) for i in items if i.label == "revenue_tiers"] == [
        ("fact", "firm: money", "营业收入"),
        ("table", "table: money to money", "营业收入档次"),
    ]
