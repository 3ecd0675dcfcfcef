"""The documentation's moving parts, without a Sphinx build: the lexer and the pure helpers
of the clause-reference extension."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygments.token import Comment, Error, Keyword, Number, String

import policyrules
from policyrules.lexer import PolicyRulesLexer
from policyrules.reference import (
    anchor,
    case_rows,
    cases_by_clause,
    clause_heading,
    facts_index,
    load_cases,
    provision_lines,
)

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "beijing_2025"
SAMPLE = """# a comment
award launch_reward "上市奖励"
  for each product
  eligible when approved_on in force and approved_on >= 2025-11-24
  cap 200 万元 per product
  cap 30% of cost
  due 60 工作日 after accepted_on
"""


def _tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in PolicyRulesLexer().get_tokens(text) if v.strip()]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


def test_keywords_are_keywords() -> None:
    """`award`, `for each`, `eligible when`, `in force`, `cap`, `per` are Keyword tokens."""
    toks = dict((v, t) for t, v in _tokens(SAMPLE))
    for word in ("award", "for", "each", "eligible", "when", "in", "force", "cap", "per", "due"):
        assert toks[word] in Keyword, word


def test_money_rates_durations_and_dates_are_numbers() -> None:
    """A number with its unit is one Number token; a date is one token too."""
    values = {v: t for t, v in _tokens(SAMPLE)}
    for literal in ("200 万元", "30%", "60 工作日", "2025-11-24"):
        assert values[literal] in Number, literal


def test_comments_and_strings() -> None:
    """`# …` is a Comment; a quoted title is a String."""
    toks = _tokens(SAMPLE)
    assert toks[0] == (Comment.Single, "# a comment")
    assert any(t in String and v == "上市奖励" for t, v in toks)


def test_lexer_is_registered_as_an_entry_point() -> None:
    """Other tools find the lexer by name and by file name (needs the package installed)."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("policyrules"), PolicyRulesLexer)
    assert isinstance(get_lexer_for_filename("x.rule"), PolicyRulesLexer)


RULE_FILES = sorted(ROOT.glob("policies/*/*.rule"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_no_error_tokens_in_shipped_rule_files(path: Path) -> None:
    """Every shipped .rule file lexes without an Error token, and losslessly."""
    text = path.read_text("utf-8")
    toks = list(PolicyRulesLexer().get_tokens(text))
    assert [v for t, v in toks if t in Error] == []
    assert "".join(v for _, v in toks).rstrip("\n") == text.rstrip("\n")


def test_no_error_tokens_in_the_guides_rule_blocks() -> None:
    """The ```rule blocks of the language guide and README highlight cleanly in the docs."""
    for md in (ROOT / "grammar" / "README.md", ROOT / "README.md"):
        for block in re.findall(r"```rule\n(.*?)```", md.read_text("utf-8"), re.S):
            bad = [v for t, v in PolicyRulesLexer().get_tokens(block) if t in Error]
            assert bad == [], (md.name, block[:60])


def test_anchor_is_the_document_name_and_the_bare_label() -> None:
    """Stable anchors: `jjxf-2025-50-3`, `jybf-2025-5-六` (parentheses dropped)."""
    assert anchor("jjxf_2025_50", "3") == "jjxf-2025-50-3"
    assert anchor("jybf_2025_5", "(六)") == "jybf-2025-5-六"
    assert anchor("jybf_2025_5", "(二十一)") == "jybf-2025-5-二十一"


def test_every_clause_has_a_unique_anchor(policy: policyrules.Policy) -> None:
    """47 measures, 47 distinct anchors."""
    anchors = [anchor(c.document, c.label) for c in policy.checked.clauses]
    assert len(anchors) == len(set(anchors)) == 47


def test_clause_heading(policy: policyrules.Policy) -> None:
    """Numbered clauses read 第N条; labelled ones keep their label."""
    c3 = policy.checked.clause("jjxf_2025_50/3")
    c6 = policy.checked.clause("jybf_2025_5/(六)")
    assert c3 is not None
    assert c6 is not None
    assert clause_heading(c3) == "第3条 创新产品上市奖励"
    assert clause_heading(c6) == "（六）审评审批试点时限"


def test_provision_lines_show_caps(policy: policyrules.Policy) -> None:
    """Caps come back as canonical .rule text, `once` included."""
    c3 = policy.checked.clause("jjxf_2025_50/3")
    assert c3 is not None
    lines = provision_lines(c3.provisions[0])
    assert "cap 200 万元 per product" in lines["caps"]
    assert "once per product" in lines["caps"]
    assert lines["deadlines"] == []
    assert lines["targets"] == []


def test_case_rows_compute_and_compare(policy: policyrules.Policy) -> None:
    """Every shipped case agrees with the evaluation, row by row."""
    cases = load_cases(POLICY_DIR / "cases")
    assert len(cases) >= 100
    rows = [r for case in cases for r in case_rows(policy, case)]
    assert rows
    assert all(r.ok for r in rows), [r for r in rows if not r.ok][:3]


def test_case_rows_report_a_difference(policy: policyrules.Policy) -> None:
    """A wrong expectation is a failed row showing both values (the build then warns)."""
    case = load_cases(POLICY_DIR / "cases")[0]
    wrong = dict(case.expect[0], amount="81万元")
    bad = type(case)(case.file, case.name, case.facts, (wrong,))
    rows = case_rows(policy, bad)
    amount = next(r for r in rows if r.field == "amount")
    assert (amount.expected, amount.computed, amount.ok) == ("81 万元", "80 万元", False)


def test_case_rows_report_an_evaluation_error(policy: policyrules.Policy) -> None:
    """Facts that do not fit the schema are one failed row, not an exception."""
    case = load_cases(POLICY_DIR / "cases")[0]
    bad = type(case)(case.file, case.name, {"firms": [{"nope": 1}]}, case.expect)
    rows = case_rows(policy, bad)
    assert len(rows) == 1
    assert not rows[0].ok
    assert rows[0].computed.startswith("error")


def test_cases_by_clause_follow_the_provisions() -> None:
    """A case is shown under each clause its expectations name."""
    by_clause = cases_by_clause(load_cases(POLICY_DIR / "cases"))
    assert "jjxf_2025_50/3" in by_clause
    assert "jybf_2025_5/(八)" in by_clause


def test_facts_index_lists_users(policy: policyrules.Policy) -> None:
    """approved_on is a product date read by clause 3; determinations are flagged."""
    rows = {(r.entity, r.fact): r for r in facts_index(policy.checked)}
    approved = rows["product", "approved_on"]
    assert approved.type == "date"
    assert "jjxf_2025_50/3" in approved.clauses
    assert rows["product", "clinically_urgent"].determination


def test_the_batch_example_prints_what_the_docs_show(tmp_path: Path) -> None:
    """docs/cli.md's `policyrules batch` example, run as written on the generated registry
    of 1,000 firms (the generator's seed is fixed): its read, decisions and amounts lines
    are what the docs print (up to the `...` the docs end a line with).  They went stale
    once (59903 eligible, 6067 grants) while the policy's caps were mended, and stayed so in
    docs/spark.md, whose summary of the same run (`--engine spark`, said to print what
    DuckDB prints: tests/unit/test_batch_spark.py compares the rows) is checked here too."""
    import subprocess
    import sys

    block = (ROOT / "docs" / "cli.md").read_text("utf-8").split("## `policyrules batch")[1]
    shown = re.search(r"```\nwrote out\n(.*?)\ntime: ", block, re.S)
    spark = (ROOT / "docs" / "spark.md").read_text("utf-8").split("## From the command line")[1]
    on_spark = re.search(r"```\nwrote out\n(.*?)\n```", spark, re.S)
    assert shown is not None
    assert on_spark is not None
    assert "gen_registry.py 1000 reg" in spark.split("```")[1]  # the same registry
    reg, out = tmp_path / "reg", tmp_path / "out"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen_registry.py"), "1000", str(reg)]
    subprocess.run(gen, check=True, capture_output=True)
    policy = str(ROOT / "policies" / "beijing_2025")
    run = [sys.executable, "-m", "policyrules", "batch", policy, str(reg), "--out", str(out)]
    printed = subprocess.run(run, check=True, capture_output=True, text=True)
    lines = (printed.stdout + printed.stderr).splitlines()
    for page in (shown, on_spark):
        for want in page.group(1).splitlines():
            head = want.split("...")[0]
            assert any(line.startswith(head) for line in lines), (want, lines)
