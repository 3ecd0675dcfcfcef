"""The cap events and trace lines of a paid row (``rows_caps.cap_events_row`` and
``cap_lines_row``), field for field and line for line, on rows worked by hand (the property
tests hold them equal to the general way's, ``claims.apply_caps`` and ``cap_line``)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from policyrules.backends.python.rows_caps import cap_events_row, cap_lines_row
from policyrules.decisions import Step
from policyrules.runtime.ledger import NO_EARLIER, ClaimLog
from policyrules.runtime.money import Money

WAN = 10_000 * 100  # 1 万元 in fen


def _rows() -> tuple[tuple[Any, ...], ...]:
    per_product = SimpleNamespace(text="200 万元 per product", ceiling=None)
    per_firm = SimpleNamespace(text="1000 万元 per firm per year", ceiling=1000 * WAN)
    log = ClaimLog()
    log.append("f1/P1", 600 * WAN)
    log.append("f1/P2", 350 * WAN)
    # Asked 250 万元: the product's cap cuts it to 200 万元; the firm's year had 950 万元
    # taken by two earlier claims, so 1000 - 950 = 50 万元 is left: cut from 200 to 50.
    return (
        (per_product, (("firm", "f1"), ("product", "P3")), None, 200 * WAN, 0, None, 0,
         250 * WAN, 200 * WAN),
        (per_firm, (("firm", "f1"),), 2026, 1000 * WAN, 0, log, 2, 200 * WAN, 50 * WAN),
    )  # fmt: skip


def test_the_events_of_a_row_worked_by_hand() -> None:
    rows = _rows()
    events = cap_events_row(rows, 250 * WAN, 50 * WAN)
    first, second = events
    assert (first.scope, first.account, first.earlier) == (
        "product P3",
        ("product", "P3", None),
        NO_EARLIER,
    )
    assert (first.before, first.after, first.binding) == (
        Money(250 * WAN),
        Money(200 * WAN),
        True,
    )
    assert (second.scope, second.limit, second.granted) == (
        "firm f1, year 2026",
        Money(1000 * WAN),
        Money(50 * WAN),
    )
    assert list(second.earlier) == [("f1/P1", Money(600 * WAN)), ("f1/P2", Money(350 * WAN))]
    assert second.cut == Money(150 * WAN)  # 200 万元 - 50 万元


def test_the_lines_of_a_row_worked_by_hand() -> None:
    rows = _rows()
    apart: list[Step] = []
    cap_lines_row(rows, apart)
    assert [s.text for s in apart] == [
        "cap 200 万元 per product (product P3); limit 200 万元; binds: cut 50 万元 "
        "(250 万元 to 200 万元)",
        "cap 1000 万元 per firm per year (firm f1, year 2026); limit 1000 万元; earlier "
        "claims in this evaluation: f1/P1 600 万元, f1/P2 350 万元; binds: cut 150 万元 "
        "(200 万元 to 50 万元)",
    ]
    assert [s.ok for s in apart] == [False, False]


def test_a_line_no_cap_binds_is_shared() -> None:
    cap = SimpleNamespace(text="300 万元 per product", ceiling=None)
    row = ((cap, (("firm", "f1"), ("product", "P9")), None, 300 * WAN, 0, None, 0, WAN, WAN),)
    first: list[Step] = []
    second: list[Step] = []
    cap_lines_row(row, first)
    cap_lines_row(row, second)
    assert first[0] is second[0]
    assert first[0] == Step("cap", "cap 300 万元 per product (product P9); limit 300 万元", True)
    # 1 万元 asked, under a limit of 300 万元: not cut, not binding; the amounts are one Money
    (event,) = cap_events_row(row, WAN, WAN)
    assert (event.binding, event.before, event.after, event.cut) == (
        False,
        Money(WAN),
        Money(WAN),
        Money(0),
    )
    assert event.before is event.after is event.requested is event.granted
