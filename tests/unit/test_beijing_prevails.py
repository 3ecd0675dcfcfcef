"""京医保发〔2025〕5号's notice: "此前发布的有关规定与本文不一致的，以此为准" (issue 11 §6), encoded
as ``prevails over earlier`` in the document's header (policies/beijing_2025/jybf-2025-5.rule)."""

from __future__ import annotations

from pathlib import Path

import attrs

import policyrules
from policyrules.check_clauses import normalize_quote
from policyrules.summary import measure_summary
from policyrules.vocab import PREVAILS_ZH

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
SENTENCE = "此前发布的有关规定与本文不一致的，以此为准"


def _said(checked: policyrules.model.CheckedPolicy, clause_id: str) -> str:
    clause = checked.clause(clause_id)
    assert clause is not None
    return "".join(str(x) for x in attrs.astuple(measure_summary(checked, clause)))


def test_the_beijing_notice_prevails_over_earlier_and_the_sentence_is_its_own() -> None:
    """The header says it; the note quoting the sentence quotes the notice verbatim; the
    later document (京经信发〔2025〕50号, 2025-11-24) is not earlier, so nothing warns."""
    checked = policyrules.load(POLICY).checked
    assert checked.exclusivity.prevailing == ("jybf_2025_5",)
    doc = checked.document("jybf_2025_5")
    assert doc is not None
    assert doc.source is not None
    source = (POLICY / doc.source).read_text(encoding="utf-8")
    assert normalize_quote(SENTENCE) in normalize_quote(source)
    assert any(f"“{SENTENCE}”" in n for n in doc.notes)
    assert checked.warnings == ()
    assert not checked.exclusivity.supersessions


def test_the_summaries_of_its_awards_carry_the_line_and_the_other_documents_do_not() -> None:
    """Every measure of 京医保发〔2025〕5号 with an award says 以此为准 under 相关措施, and that
    it stops no provision by itself; no measure of 京经信发〔2025〕50号 says it."""
    checked = policyrules.load(POLICY).checked
    paying = {
        c.id
        for c in checked.clauses
        for p in c.provisions
        if p.kind == "award" and c.document == "jybf_2025_5"
    }
    assert len(paying) >= 2  # (二) the 国际多中心临床试验 awards, (十七) 真实世界研究
    for cid in paying:
        assert PREVAILS_ZH in _said(checked, cid)
    for c in checked.clauses:
        if c.document != "jybf_2025_5":
            assert PREVAILS_ZH not in _said(checked, c.id)
