"""`prevails over earlier` (此前发布的有关规定与本文不一致的，以此为准, naming no document; issue 11
gap 2): syntax, E127/E263/E264, and W263 listing the earlier provisions it may concern."""

from __future__ import annotations

import attrs
import pytest

import policyrules
from policyrules import RuleCheckError
from policyrules.errors import RuleSyntaxError
from policyrules.printer import print_module
from policyrules.summary import measure_summary
from policyrules.vocab import PREVAILS_ZH

ENTITY = """\
entity firm "企业"
  list firms
  fact cost: money
  fact ok: bool
"""

EARLIER = """
document old "2023年办法"
  issued 2023-01-01

clause 1 "一"
  quote "按成本的 10% 给予支持。"
  award x "甲"
    for each firm
    eligible when ok
    amount 10% × cost
"""

LATER = """
document new "2025年措施"
  issued 2025-01-01
  prevails over earlier
  note "此前发布的有关规定与本措施不一致的，以本措施为准。"

clause 1 "一"
  quote "按成本的 20% 给予支持。"
{stmt}
  award y "乙"
    for each firm
    eligible when ok
    amount 20% × cost
"""


def _check(later: str, earlier: str = EARLIER) -> policyrules.model.CheckedPolicy:
    texts = {"a.rule": ENTITY + earlier, "b.rule": later}
    modules = [policyrules.parse(t, n) for n, t in texts.items()]
    return policyrules.check(modules, texts=texts)


def _errors(later: str) -> list[str]:
    with pytest.raises(RuleCheckError) as info:
        _check(later)
    return [d.code for d in info.value.diagnostics]


def test_prints_back_to_the_same_text() -> None:
    text = 'document d "t"\n  issued 2025-01-01\n  prevails over earlier\n'
    module = policyrules.parse(text, "t.rule")
    assert print_module(module) == text


def test_another_word_than_earlier_is_e127() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        policyrules.parse('document d "t"\n  prevails over later\n', "t.rule")
    d = info.value.diagnostics[0]
    assert (d.code, d.span.line if d.span else None) == ("E127", 2)
    assert "prevails over earlier" in (d.hint or "")


def test_w263_names_the_earlier_provision_in_place_of_w290() -> None:
    """The later document prevails; the earlier one pays for the same thing: W263 (not W290),
    naming both, with `supersedes old 1` among the ways to settle it."""
    checked = _check(LATER.format(stmt=""))
    assert [w.code for w in checked.warnings] == ["W263"]
    w = checked.warnings[0]
    assert w.severity == "warning"
    assert "new prevails over earlier rules" in w.message
    assert "x of old (from 2023-01-01)" in w.message
    assert "`supersedes old 1`" in (w.hint or "")
    assert checked.exclusivity.prevailing == ("new",)


@pytest.mark.parametrize(
    "stmt", ["  exclusive y, x among firm keep listed", '  cumulative y, x "“可叠加享受”"']
)
def test_a_statement_settles_it(stmt: str) -> None:
    assert _check(LATER.format(stmt=stmt)).warnings == ()


def test_supersedes_settles_it() -> None:
    later = LATER.format(stmt="").replace(
        "  prevails over earlier\n", "  prevails over earlier\n  supersedes old 1\n"
    )
    assert _check(later).warnings == ()


def test_a_later_document_is_not_earlier() -> None:
    """The other document starts after this one: not earlier, so the plain W290."""
    earlier = EARLIER.replace("issued 2023-01-01", "issued 2026-01-01")
    assert [w.code for w in _check(LATER.format(stmt=""), earlier).warnings] == ["W290"]


def test_twice_is_e263_and_no_first_day_is_e264() -> None:
    twice = LATER.format(stmt="").replace(
        "  prevails over earlier\n", "  prevails over earlier\n" * 2
    )
    assert "E263" in _errors(twice)
    assert "E264" in _errors(LATER.format(stmt="").replace("  issued 2025-01-01\n", ""))


def test_the_summary_says_it_and_what_it_does_not_do() -> None:
    """The measure's summary says 以此为准 and that it stops no provision by itself; the
    earlier document's measure is not said to be replaced."""
    checked = _check(LATER.format(stmt=""))
    new = next(c for c in checked.clauses if c.document == "new")
    old = next(c for c in checked.clauses if c.document == "old")
    said = "".join(str(x) for x in attrs.astuple(measure_summary(checked, new)))
    assert PREVAILS_ZH in said
    assert "不自动停止执行任何条款" in PREVAILS_ZH
    assert PREVAILS_ZH not in "".join(str(x) for x in attrs.astuple(measure_summary(checked, old)))
    assert not checked.exclusivity.supersessions
