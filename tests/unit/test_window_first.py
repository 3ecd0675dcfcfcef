"""A cap window anchored at the first grant: ``cap X per firm over N years from first grant``
(自首次获得支持起三年内累计不超过 X; issue 11 gap 1).

Year 1 of the window is the year of the owner's first grant under the cap (the ledger's, or
this run's); payments of the window's years together stay within the cap; a payment of a year
after the window gets nothing.  Amounts worked by hand (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

import policyrules
from policyrules import syntax as s
from policyrules.errors import RuleCheckError, RuleSyntaxError
from policyrules.printer import print_module
from policyrules.runtime.money import Money

WAN = 1_000_000

TEXT = """document t "测试"
  valid from 2025-01-01 to 2035-12-31

entity firm "企业"
  list firms
  fact fees: list of money "各年度实际支付的费用"

entity project "项目"
  list projects of firm
  fact start: year "起始年度"
  fact fees: list of money "各年度实际支付的费用"

clause 1
  quote "自首次获得支持起三年内累计不超过 100 万元。"

  award y "补贴"
    for each project
    amount 30% of this_year(fees)
    cap 100 万元 per firm over 3 years from first grant
    paid yearly for 3 years from start
    order by start, id
"""


def _firm(*projects: tuple[int, list[int]]) -> dict[str, Any]:
    """One firm; each project's start year and yearly fees in 万元."""
    rows = [
        {"id": f"P{i}", "start": y, "fees": [f"{f}万元" for f in fees]}
        for i, (y, fees) in enumerate(projects, 1)
    ]
    return {"firms": [{"id": "F", "projects": rows}]}


def test_prints_back_as_written() -> None:
    module = policyrules.parse(TEXT, "t.rule")
    assert print_module(module) == TEXT
    (cap,) = [n for n in _walk(module) if isinstance(n, s.Cap)]
    assert (cap.window, cap.from_first) == (3, True)


def _walk(node: object) -> list[object]:
    out = [node]
    for child in s.children(node):  # type: ignore[arg-type]
        out.extend(_walk(child))
    return out


@pytest.mark.parametrize("tail", ["from first payment", "from start grant", "from first"])
def test_other_words_after_from_are_e126_or_a_syntax_error(tail: str) -> None:
    text = TEXT.replace("from first grant", tail)
    with pytest.raises(RuleSyntaxError) as info:
        policyrules.parse(text, "t.rule")
    code = info.value.diagnostics[0].code
    assert code == ("E126" if tail.count(" ") == 2 else "E101")
    if code == "E126":
        assert "from first grant" in (info.value.diagnostics[0].hint or "")


def test_outside_a_schedule_is_refused_like_a_rolling_window() -> None:
    text = TEXT.replace("    paid yearly for 3 years from start\n", "").replace(
        "this_year(fees)", "fees[0]"
    )
    with pytest.raises(RuleCheckError):
        compile_text(text)


def test_a_later_project_gets_nothing_after_the_window() -> None:
    """P1 from 2026, 100 万 a year → 30 万 × 3 = 90 万 (2026–2028, the window).  P2 from 2028:
    2028 in the window, room 100 − 90 = 10 万; 2029 and 2030 after it: 0 元.  (A rolling
    window would give 2029 room: 2027–2029 holds 30 + 30 + 10 = 70 万 → 30 万.)"""
    policy = compile_text(TEXT)
    r = policy.evaluate(_firm((2026, [100, 100, 100]), (2028, [100, 100, 100])))
    p2 = next(d for d in r.decisions if d.subject.endswith("P2"))
    assert [(p.year, p.amount) for p in p2.schedule] == [
        (2028, Money(10 * WAN)),
        (2029, Money(0)),
        (2030, Money(0)),
    ]
    rolling = compile_text(TEXT.replace(" from first grant", ""))
    r2 = rolling.evaluate(_firm((2026, [100, 100, 100]), (2028, [100, 100, 100])))
    p2r = next(d for d in r2.decisions if d.subject.endswith("P2"))
    assert p2r.schedule[1].amount == Money(30 * WAN)


def test_the_zh_letter_says_the_cap_in_words() -> None:
    """The cut payment's line names the cap in words (自首次获得支持的年度起 3 个年度内累计), not
    as the rule's text (issue 11 gap 4: the schedule's cap was DSL text)."""
    policy = compile_text(TEXT)
    r = policy.evaluate(_firm((2026, [150, 150, 150])))
    text = r.explain()
    assert "单个企业自首次获得支持的年度起 3 个年度内累计不超过 100 万元" in text
    assert "per firm" not in text
    assert "from first grant" not in text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(2026, 2031), st.lists(st.integers(1, 80), min_size=3, max_size=3)),
        min_size=1,
        max_size=4,
    )
)
def test_the_window_holds_and_nothing_is_paid_after_it(
    projects: list[tuple[int, list[int]]],
) -> None:
    """Any projects of one firm, decided in the order of their start (`order by start`), each
    paying in every year: every payment is at most 30% of its fees; the payments of the 3
    years from the first year paid sum to at most 100 万; every payment of a later year is
    0 元.  (Within one run a window starts at the first grant decided before a payment: the
    order makes that the earliest; docs/patterns/years.md.)"""
    policy = compile_text(TEXT)
    r = policy.evaluate(_firm(*projects))
    by_year: dict[int, int] = {}
    for d in r.decisions:
        fees = projects[int(d.subject.rsplit("/P", 1)[1]) - 1][1]
        for p, fee in zip(d.schedule, fees, strict=True):
            assert p.amount is not None
            assert p.amount.fen <= fee * WAN * 3 // 10
            by_year[p.year] = by_year.get(p.year, 0) + p.amount.fen
    paid = sorted(y for y, fen in by_year.items() if fen > 0)
    if not paid:
        return
    first = paid[0]
    assert sum(by_year.get(y, 0) for y in range(first, first + 3)) <= 100 * WAN
    assert all(by_year[y] == 0 for y in by_year if y >= first + 3)
