"""Every quote in the rules of each policy directory (policies/beijing_2025, policies/patterns)
is the document's own words, character for character.

White space aside (``normalize_quote`` removes it, including U+3000), a clause's quote must occur
in the document's source text, and a provision's quote in its clause's quote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.api import read_rule_files
from policyrules.check import normalize_quote
from policyrules.model import CheckedPolicy

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
SOURCES_DIR = POLICY_DIR / "sources"
SHARED_SOURCES = Path("/work/shared/sources")


# Every policy directory whose quotes are checked.
POLICY_DIRS = ("beijing_2025", "patterns")


@pytest.fixture(scope="module", params=POLICY_DIRS)
def policy(request: pytest.FixtureRequest) -> policyrules.Policy:
    return policyrules.load(POLICY_DIR.parent / request.param)


def _source_text(policy: policyrules.Policy, document: str) -> str:
    doc = policy.checked.document(document)
    assert doc is not None, f"clause of unknown document {document}"
    assert doc.source, f"document {document} names no source file"
    path = Path(doc.file).parent / doc.source
    assert path.is_file(), f"source of {document} is missing: {path}"
    return path.read_text("utf-8-sig")


def test_every_clause_has_a_quote(policy: policyrules.Policy) -> None:
    assert policy.checked.clauses, "the policy has no clauses"
    for clause in policy.checked.clauses:
        assert clause.quote, f"{clause.id}: no quote"
        assert normalize_quote(clause.quote), f"{clause.id}: empty quote"


def test_clause_quotes_are_in_the_source(policy: policyrules.Policy) -> None:
    for clause in policy.checked.clauses:
        source = normalize_quote(_source_text(policy, clause.document))
        quote = normalize_quote(clause.quote or "")
        assert quote in source, f"{clause.id}: quote not verbatim in the source: {clause.quote}"


def test_provision_quotes_are_in_their_clause_quote(policy: policyrules.Policy) -> None:
    clauses = {c.id: c for c in policy.checked.clauses}
    checked = 0
    for prov in policy.checked.provisions():
        clause = clauses[prov.clause]
        if prov.quote is None:
            continue
        assert normalize_quote(prov.quote), f"{prov.id}: empty quote"
        assert normalize_quote(prov.quote) in normalize_quote(clause.quote or ""), (
            f"{prov.id}: quote not in clause {clause.id}'s quote: {prov.quote}"
        )
        checked += 1
    assert checked, "no provision quotes were checked"


def test_sources_are_copies_of_the_shared_texts() -> None:
    if not SHARED_SOURCES.exists():
        return
    local = sorted(SOURCES_DIR.iterdir())
    assert local, f"no source texts in {SOURCES_DIR}"
    for path in local:
        shared = SHARED_SOURCES / path.name
        assert shared.is_file(), f"{path.name} has no counterpart in {SHARED_SOURCES}"
        assert path.read_bytes() == shared.read_bytes(), (
            f"{path.name} differs from {shared} (the copy must be byte-identical)"
        )


def _check_texts(texts: dict[str, str]) -> CheckedPolicy:
    """Parse and check rule texts as ``policyrules.load`` does, with the real source files."""
    modules = [policyrules.parse(text, file) for file, text in texts.items()]
    sources = {
        f"sources/{p.name}": p.read_text("utf-8-sig") for p in SOURCES_DIR.iterdir() if p.is_file()
    }
    return policyrules.check(modules, texts=texts, sources=sources)


def test_the_unaltered_rules_check() -> None:
    # the control for the test below: the same route with the real texts raises nothing
    texts = read_rule_files(POLICY_DIR)
    assert _check_texts(texts).clauses


def test_a_changed_character_in_a_quote_is_detected() -> None:
    texts = read_rule_files(POLICY_DIR)
    (name,) = [f for f in texts if f.endswith("jjxf-2025-50.rule")]
    lines = texts[name].splitlines(keepends=True)
    marker = 'quote "对承担工业和信息化部揭榜挂帅'
    hits = [i for i, line in enumerate(lines) if line.strip().startswith(marker)]
    assert len(hits) == 1, "the clause 3 quote line was not found exactly once"
    i = hits[0]
    assert "200 万元" in lines[i]
    lines[i] = lines[i].replace("200 万元", "300 万元")
    altered = dict(texts)
    altered[name] = "".join(lines)
    assert altered[name] != texts[name]
    with pytest.raises(policyrules.RuleCheckError) as info:
        _check_texts(altered)
    codes = [d.code for d in info.value.diagnostics]
    assert codes == ["E211"], f"expected only E211 (quote not in source), got {codes}"
    assert info.value.code == "E211"
