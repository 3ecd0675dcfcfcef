"""The SQL batch pays an award in instalments (分两年拨付), one grant a year, as the one-by-one
path does; the shapes it does not compile are refused by name (E617).

Amounts worked by hand in the comments (1 万元 = 1,000,000 fen).  Before the batch compiled
schedules, every test here but the last was refused whole with E617.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.property.test_batch_equivalence_props import assert_same, batch
from tests.strategies import compile_text

from policyrules.backends.python.evaluate import evaluate
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.runtime.calendar import WorkCalendar

WAN = 1_000_000

HEAD = """document t "测试"

entity firm "企业"
  list firms
  fact approved_on: date "获批日期"
  fact investment: money "投资额"

clause 1
"""

# 「一次性奖励100万元，分两年拨付」
TWO_YEARS = (
    HEAD
    + """  quote "给予一次性奖励100万元，分两年拨付。"

  award r "一次性奖励"
    for each firm
    amount 100 万元
    paid over 2 years from approved_on: 50%, 50% remainder last
"""
)

# 「按投资额的30%给予补助，最高1000万元，分三年拨付（40%、30%、30%）」
THREE_YEARS = (
    HEAD
    + """  quote "按投资额的30%给予补助，单个企业最高1000万元，分三年按40%、30%、30%拨付。"

  award s "投资补助"
    for each firm
    amount 30% of investment
    cap 1000 万元 per firm
    paid over 3 years from approved_on: 40%, 30%, 30% remainder last
"""
)


def _run(
    text: str, firms: list[dict[str, Any]], ledger: list[dict[str, Any]], as_of: dt.date | None
) -> tuple[dict[str, tuple[Any, ...]], list[tuple[str, int, int]]]:
    """The batch's decisions (subject: status, fen, kind, missing facts) and grants
    (firm, fen, year), checked against the one-by-one path's on the way."""
    policy = compile_text(text)
    facts = policy.read_facts({"firms": firms})
    led = policy.read_ledger(ledger)
    plan = compile_batch(policy.checked, as_of=as_of)
    rows, grants = batch(plan, policy.checked, facts, led)
    c = policy.compiled
    expected = evaluate(
        c,
        facts,
        ledger=led,
        parameters=c.parameter_defaults,
        assumptions=c.assumption_defaults,
        calendar=WorkCalendar(),
        as_of=as_of,
    )
    assert_same(expected, rows, grants, policy.checked)
    decided = {r[1]: (r[2], r[3], r[4], r[5]) for r in rows}
    return decided, sorted(((g[1], g[2], g[3]) for g in grants), key=lambda g: (g[0], g[2]))


def test_a_reward_in_two_halves_is_two_grants() -> None:
    """100 万元 in two halves from 2025-03-01: 50 万元 in 2025 and 50 万元 in 2026.  As of
    2025-12-31 the first is granted, the second is future (owed, counted in the total)."""
    firms = [{"id": "F1", "approved_on": "2025-03-01"}]
    got, grants = _run(TWO_YEARS, firms, [], dt.date(2025, 12, 31))
    assert got["F1"] == ("eligible", 100 * WAN, "exact", [])
    assert grants == [("F1", 50 * WAN, 2025)]
    # a year later, the ledger holding the first half: the second alone is granted
    paid = [{"provision": "t/1/r", "firm": "F1", "amount": "50万元", "year": 2025}]
    got, grants = _run(TWO_YEARS, firms, paid, dt.date(2026, 6, 30))
    assert got["F1"] == ("eligible", 100 * WAN, "exact", [])
    assert grants == [("F1", 50 * WAN, 2026)]


def test_a_one_time_award_in_instalments_compiles() -> None:
    """hBZ's case, as docs/patterns/years.md writes it: 「一次性奖励100万元，分两年拨付
    （60%、40%）」 with `once per firm` (the firm the subject): refused E617 before.  As of
    2027-06-30: F1 recognised 2026-03-01, the ledger holding its 60 万元 of 2026: its own
    first instalment, no second award: the 40 万元 of 2027 is granted (100 − 60); F2
    (2026-05-01, nothing paid): 60 万元 in 2026 and 40 万元 in 2027; F3 (2027-02-01): 60
    万元 in 2027, the 2028 half not yet due."""
    text = TWO_YEARS.replace("50%, 50%", "60%, 40%").replace(
        "    paid over", "    once per firm\n    paid over"
    )
    firms = [
        {"id": "F1", "approved_on": "2026-03-01"},
        {"id": "F2", "approved_on": "2026-05-01"},
        {"id": "F3", "approved_on": "2027-02-01"},
    ]
    paid = [{"provision": "t/1/r", "firm": "F1", "amount": "60万元", "year": 2026}]
    got, grants = _run(text, firms, paid, dt.date(2027, 6, 30))
    assert {f: got[f][:3] for f in got} == {f: ("eligible", 100 * WAN, "exact") for f in got}
    assert grants == [
        ("F1", 40 * WAN, 2027),
        ("F2", 60 * WAN, 2026),
        ("F2", 40 * WAN, 2027),
        ("F3", 60 * WAN, 2027),
    ]


def test_without_as_of_no_year_is_granted() -> None:
    """No as_of: every year is a forecast (as one by one): the decision is the whole 100
    万元, 50 万元 + 50 万元, and no grant is written, so a grants table appended to the
    ledger never records 2026's half as paid in 2025 (hCD's trial: the old batch granted
    both years)."""
    firms = [{"id": "F1", "approved_on": "2025-03-01"}]
    got, grants = _run(TWO_YEARS, firms, [], None)
    assert got["F1"][:3] == ("eligible", 100 * WAN, "exact")
    assert grants == []


def test_the_fen_rounding_leaves_go_to_the_remainder_instalment() -> None:
    """30% of 3,333,333.37 元 (333,333,337 fen) = 100,000,001.1 fen → 100,000,001 (down);
    40%: ⌊40,000,000.4⌋ = 40,000,000; 30%: ⌊30,000,000.3⌋ = 30,000,000 twice; the last
    takes the fen left: 100,000,001 − 40,000,000 − 30,000,000 = 30,000,001.  As of the end
    of 2027, every year due."""
    firms = [{"id": "F1", "approved_on": "2025-03-01", "investment": "3333333.37元"}]
    got, grants = _run(THREE_YEARS, firms, [], dt.date(2027, 12, 31))
    assert got["F1"] == ("eligible", 100_000_001, "exact", [])
    assert grants == [
        ("F1", 40_000_000, 2025),
        ("F1", 30_000_000, 2026),
        ("F1", 30_000_001, 2027),
    ]


def test_an_earlier_instalment_paid_short_is_settled_the_next_year() -> None:
    """Investment 1,000 万元: entitlement 30% = 300 万元, cut by nothing (cap 1,000 万元);
    shares 120 / 90 / 90 万元.  The ledger paid 100 万元 in 2025 (the entitlement rose
    since): by 2026 120 + 90 = 210 万元 are due, so 2026 pays 210 − 100 = 110 万元; 2027
    the 90 万元 left (300 − 210), future as of 2026-06-01.  Total 100 + 110 + 90 = 300."""
    firms = [{"id": "A", "approved_on": "2025-03-01", "investment": "1000万元"}]
    paid = [{"provision": "t/1/s", "firm": "A", "amount": "100万元", "year": 2025}]
    got, grants = _run(THREE_YEARS, firms, paid, dt.date(2026, 6, 1))
    assert got["A"] == ("eligible", 300 * WAN, "exact", [])
    assert grants == [("A", 110 * WAN, 2026)]


def test_a_year_paid_ahead_is_taken_off_the_next_year() -> None:
    """hCI's trial: investment 1,000 万元, entitlement 30% = 300 万元, shares 120 / 90 / 90
    万元; the ledger paid 150 万元 in 2025 (30 万元 ahead of its share).  By 2026, 120 + 90 =
    210 万元 are due, no more: 2026 pays 210 − 150 = 60 万元 (the old code paid its whole
    share, 90 万元: 240 万元 by 2026, 30 万元 of 2027's share early); 2027 its 90 万元, future
    as of 2026-06-01.  Total 150 + 60 + 90 = 300 万元.  One by one alike (_run checks)."""
    firms = [{"id": "A", "approved_on": "2025-03-01", "investment": "1000万元"}]
    paid = [{"provision": "t/1/s", "firm": "A", "amount": "150万元", "year": 2025}]
    got, grants = _run(THREE_YEARS, firms, paid, dt.date(2026, 6, 1))
    assert got["A"] == ("eligible", 300 * WAN, "exact", [])
    assert grants == [("A", 60 * WAN, 2026)]


def test_a_year_paid_far_ahead_leaves_nothing_due_until_its_shares_catch_up() -> None:
    """The ledger paid 250 万元 in 2025 of the 300 万元 (shares 120 / 90 / 90): by 2026 210
    万元 are due, 40 万元 less than paid: 2026 pays 0 (never below 0, no grant); 2027 the 300
    − 250 = 50 万元 left (as of 2027-12-31).  Total 250 + 0 + 50 = 300 万元."""
    firms = [{"id": "A", "approved_on": "2025-03-01", "investment": "1000万元"}]
    paid = [{"provision": "t/1/s", "firm": "A", "amount": "250万元", "year": 2025}]
    got, grants = _run(THREE_YEARS, firms, paid, dt.date(2027, 12, 31))
    assert got["A"] == ("eligible", 300 * WAN, "exact", [])
    assert grants == [("A", 50 * WAN, 2027)]


def test_a_later_instalment_is_cut_to_what_the_entitlement_leaves() -> None:
    """Investment 100 万元: entitlement 30 万元, shares 12 / 9 / 9 万元.  The ledger paid
    25 万元 in 2025 (the entitlement fell since): by 2026 12 + 9 = 21 万元 are due, less than
    paid: 2026 pays 0 (no grant); 2027 the 30 − 25 = 5 万元 left.  Total 25 + 0 + 5 = 30 万元
    (as of the end of 2027; before hCI's trial 2026 paid the 5 万元, a year early)."""
    firms = [{"id": "B", "approved_on": "2025-03-01", "investment": "100万元"}]
    paid = [{"provision": "t/1/s", "firm": "B", "amount": "25万元", "year": 2025}]
    got, grants = _run(THREE_YEARS, firms, paid, dt.date(2027, 12, 31))
    assert got["B"] == ("eligible", 30 * WAN, "exact", [])
    assert grants == [("B", 5 * WAN, 2027)]


def test_an_unknown_start_or_a_payment_outside_the_years() -> None:
    """C's start unknown: unknown, needing it alone (its amount is known anyway).  D's
    ledger holds a payment in 2023, before its schedule's 2024–2026: undecided (E421),
    unknown with nothing missing, no grant.  Neither is paid."""
    firms = [
        {"id": "C", "investment": "100万元"},
        {"id": "D", "approved_on": "2024-03-01", "investment": "100万元"},
    ]
    paid = [{"provision": "t/1/s", "firm": "D", "amount": "1万元", "year": 2023}]
    got, grants = _run(THREE_YEARS, firms, paid, None)
    assert got["C"] == ("eligible", None, "unknown", ["firm.approved_on"])
    assert got["D"] == ("unknown", None, None, [])
    assert grants == []


@pytest.mark.parametrize(
    ("lines", "shape"),
    [
        (["paid yearly for 2 years from approved_on"], "`paid yearly for N years`"),
        (
            [
                "cap 60 万元 per firm over 2 years",
                "paid over 2 years from approved_on: 50%, 50% remainder last",
            ],
            "`over N years`",
        ),
        (
            [
                "cap 60 万元 per firm per year of payment_year()",
                "paid over 2 years from approved_on: 50%, 50% remainder last",
            ],
            "`per year of payment_year()`",
        ),
    ],
)
def test_the_shapes_not_compiled_are_refused_by_name(lines: list[str], shape: str) -> None:
    """E617 names the provision, the shape and the schedule's line."""
    body = "".join(f"    {line}\n" for line in lines)
    text = HEAD + '  quote "分两年拨付。"\n\n  award q\n    for each firm\n    amount 100 万元\n'
    with pytest.raises(BatchCompileError) as info:
        compile_batch(compile_text(text + body).checked)
    d = info.value.diagnostics[0]
    assert d.code == "E617"
    assert d.message.startswith("t/1/q: an award paid over time with ")
    assert shape in d.message
    assert d.span is not None
