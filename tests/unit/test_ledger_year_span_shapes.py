"""The years a provision can pay in (E352, ``ledger_span``) for the shapes of cap years the
shipped policies do not hold: found by mutation testing (``benchmarks/mutation.py --area
input --files ledger_span``), where no test told a mutant from the code.

Each policy below is one document valid from 2024-12-01 (its ``events from`` assumption
``events_from``, default 2025-03-01: events of the document's first month do not count) to
2027-12-31, an award to products, 10 万元 each,
capped per firm per year of a date: its grants count in the year of that date, bounded
only where the award requires the date in force.
"""

from __future__ import annotations

import pytest

import policyrules
from policyrules.ledger_span import YearSpan, year_spans
from strategies import compile_text

HEAD = """document d "文"
  valid from 2024-12-01{to}
  events from events_from

assumption events_from: date = 2025-03-01 "起算日"
assumption cap_year: CapYear = approval "年度按获批日"
enum CapYear "年度口径" {
  approval "获批",
  decision "决定"
}

entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact approved_on: date "获批日"
  fact decided_on: date "决定日"
  fact listed: bool "列入"
  fact routed: bool "路径"

clause 1 "一"
  quote "奖励 10 万元。"

  award a "奖"
    for each product
"""


def _spans(body: str, to: str = " to 2027-12-31", bases: tuple = ()) -> dict[str, YearSpan]:
    policy = compile_text(HEAD.replace("{to}", to) + body)
    return year_spans(policy.checked, bases)


def test_a_document_with_no_end_bounds_only_from_below() -> None:
    """No ``to``: the grants count in 2025 or later (the span and its words)."""
    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of approved_on
"""
    (span,) = _spans(body, to="").values()
    assert (span.low, span.high) == (2025, None)
    assert span.shown == "2025 or later"
    assert span.holds(2030)
    assert not span.holds(2024)
    assert "d from 2025-03-01 (events_from), with no end" in span.why  # the default's day


def test_an_earlier_events_from_in_the_reading_lowers_the_bound() -> None:
    """Grants counted under ``events_from = 2024-06-01`` (a reading stated with them) can be
    of 2024; by the default (2025-03-01) they cannot; a reading that is no date bounds them
    by the document's own start (2024-12-01), the lowest the text allows."""
    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of approved_on
"""
    (span,) = _spans(body, bases=(("d/1/a", "events_from", "2024-06-01"),)).values()
    assert (span.low, span.high) == (2024, 2027)
    assert "from 2024-06-01 (events_from)" in span.why
    (span,) = _spans(body).values()
    assert (span.low, span.high) == (2025, 2027)
    (span,) = _spans(body, bases=(("d/1/a", "events_from", "not a date"),)).values()
    assert (span.low, span.high) == (2024, 2027)


def test_one_branch_not_required_in_force_leaves_the_years_open() -> None:
    """The cap's year is approved_on or decided_on by a fact (not an assumption): both
    branches are possible, and decided_on is not required in force, so no bound is made
    up (a 2027 approval may be decided in 2028)."""
    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of if listed then approved_on else decided_on
"""
    assert _spans(body) == {}


def test_a_condition_on_two_facts_opens_both_branches() -> None:
    """``if listed = routed`` compares two facts, no assumption: both branches, each
    required in force, so the span is the document's."""
    body = """    eligible when approved_on in force and decided_on in force
    amount 10 万元
    cap 100 万元 per firm per year of if listed = routed then approved_on else decided_on
"""
    (span,) = _spans(body).values()
    assert (span.low, span.high) == (2025, 2027)
    assert "the year of approved_on or decided_on" in span.why
    (span,) = _spans(body.replace("listed = routed", "listed = true")).values()
    assert (span.low, span.high) == (2025, 2027)  # a fact and a constant: both branches too


def test_an_assumption_condition_takes_its_branch() -> None:
    """``if cap_year = approval``: the default reading counts by approved_on (required in
    force: bounded); a reading of ``decision`` counts by decided_on (not required: open)."""
    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of if cap_year = approval then approved_on else decided_on
"""
    (span,) = _spans(body).values()
    assert (span.low, span.high) == (2025, 2027)
    assert _spans(body, bases=(("d/1/a", "cap_year", "decision"),)) == {}


@pytest.mark.parametrize(("year", "refused"), [(2024, True), (2025, False), (2028, True)])
def test_the_grant_is_refused_outside_the_span(year: int, refused: bool) -> None:
    """E352 through the ledger's reader, for the shape of the test above."""
    from policyrules.errors import LedgerError
    from policyrules.ledger_io import read_ledger

    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of approved_on
"""
    policy = compile_text(HEAD.replace("{to}", " to 2027-12-31") + body)
    grant = policyrules.Grant(
        "d/1/a", (("firm", "f"), ("product", "P")), policyrules.Money(100_000), year
    )
    if refused:
        with pytest.raises(LedgerError, match="E352"):
            read_ledger(policy.checked, [grant])
    else:
        assert [g.year for g in read_ledger(policy.checked, [grant])] == [year]


def test_a_two_digit_year_of_the_last_century_is_guessed_so() -> None:
    """Counted from 1995 (a reading of events_from), a grant's year 98 is refused, the hint
    guessing 1998 (2098 is after the document's end)."""
    from policyrules.errors import LedgerError
    from policyrules.ledger_io import read_ledger

    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of approved_on
"""
    policy = compile_text(HEAD.replace("{to}", " to 2027-12-31") + body)
    grant = policyrules.Grant(
        "d/1/a", (("firm", "f"), ("product", "P")), policyrules.Money(100_000), 98
    )
    ledger = policyrules.Ledger([grant], bases=[("d/1/a", "events_from", "1995-01-01")])
    with pytest.raises(LedgerError) as caught:
        read_ledger(policy.checked, ledger)
    (d,) = caught.value.diagnostics
    assert d.code == "E352"
    assert d.hint == "a two-digit year? write 1998"


def test_year_100_is_no_two_digit_year() -> None:
    """With no end to the document, 2100 would be in its years; the year 100 has three
    digits, so the hint asks for the year (no guess of 2100)."""
    from policyrules.errors import LedgerError
    from policyrules.ledger_io import read_ledger

    body = """    eligible when approved_on in force
    amount 10 万元
    cap 100 万元 per firm per year of approved_on
"""
    policy = compile_text(HEAD.replace("{to}", "") + body)
    for year, hint in ((99, "a two-digit year? write 2099"), (100, None)):
        grant = policyrules.Grant(
            "d/1/a", (("firm", "f"), ("product", "P")), policyrules.Money(100_000), year
        )
        with pytest.raises(LedgerError) as caught:
            read_ledger(policy.checked, [grant])
        (d,) = caught.value.diagnostics
        assert d.hint == (hint or "write the year the grant counts in, 2025 or later")


def test_a_year_of_the_later_of_two_dates_is_not_bounded() -> None:
    """The cap's year is of the later of two dates (max(approved_on, decided_on)), not a
    date fact the award requires in force: no bound is made up."""
    body = """    eligible when approved_on in force and decided_on in force
    amount 10 万元
    cap 100 万元 per firm per year of max(approved_on, decided_on)
"""
    assert _spans(body) == {}
