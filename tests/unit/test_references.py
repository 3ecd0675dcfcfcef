"""Twins, per-measure agencies, `measures`, `events from`, and the coverage report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import policyrules
from policyrules.api import Policy
from policyrules.coverage import coverage, coverage_json, coverage_text

HEADER = """
entity firm "企业"
  list firms
  fact applied_on: date "申报日期"
  fact awarded: money "决定金额"

assumption events_start: date = 2025-06-01 "events before this date do not count"
"""

DOC_A = """
document doc_a "A"
  number "A号"
  valid from 2025-01-01 to 2026-12-31
  events from events_start
  measures 3

clause 1 "one"
  quote "q1"
  agency "市药监局"
  agency "市卫生健康委"
  twin doc_b 七

  award money_one
    for each firm
    eligible when applied_on in force
    amount decided awarded
    cap 100 万元

clause 2 "two"
  quote "q2"
"""

DOC_B = """
document doc_b "B"
  number "B号"
  valid from 2025-01-01

clause 七 "seven"
  quote "q7"

  target t
    require 1 >= 1
"""


def _policy(*texts: str) -> Policy:
    modules = [policyrules.parse(t, f"f{i}.rule") for i, t in enumerate(texts)]
    checked = policyrules.check(modules, texts={f"f{i}.rule": t for i, t in enumerate(texts)})
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def _check_error(*texts: str) -> policyrules.RuleCheckError:
    with pytest.raises(policyrules.RuleCheckError) as caught:
        _policy(*texts)
    return caught.value


def test_twins_link_both_ways() -> None:
    """A twin declared on one side is found from both sides."""
    checked = _policy(HEADER, DOC_A, DOC_B).checked
    assert checked.twins_of("doc_a/1") == ("doc_b/七",)
    assert checked.twins_of("doc_b/七") == ("doc_a/1",)


def test_clause_agencies_and_kinds() -> None:
    """A clause keeps its responsible agencies; one without provisions is a declaration."""
    checked = _policy(HEADER, DOC_A, DOC_B).checked
    one, two = checked.clauses[0], checked.clauses[1]
    assert one.agencies == ("市药监局", "市卫生健康委")
    assert (one.kinds, two.kinds) == (("award",), ("declaration",))


def test_twin_to_a_missing_clause_is_an_error() -> None:
    """A twin naming a clause that does not exist: E224 with the clause path."""
    err = _check_error(HEADER, DOC_A.replace("twin doc_b 七", "twin doc_b 八"), DOC_B)
    assert err.code == "E224"
    assert "doc_b has no clause 八" in err.diagnostics[0].message


def test_twin_to_a_missing_document_is_an_error() -> None:
    """A twin naming a document not in the policy: E224, hint to load it."""
    err = _check_error(HEADER, DOC_A)
    assert (err.code, err.hint) == ("E224", "load that document too")


def test_events_from_needs_a_date_assumption() -> None:
    """`events from` must name a declared date assumption: E225 otherwise."""
    err = _check_error(HEADER, DOC_A.replace("events from events_start", "events from nope"), DOC_B)
    assert err.code == "E225"


def test_events_from_moves_the_start_of_in_force() -> None:
    """Before the assumed start an event is outside; the caller may move the start."""
    policy = _policy(HEADER, DOC_A, DOC_B)
    facts = {"firms": [{"id": "f", "applied_on": "2025-05-31", "awarded": "10万元"}]}
    # 2025-05-31 is after the validity start (2025-01-01) but before events_start (2025-06-01).
    first = next(d for d in policy.evaluate(facts).decisions if d.subject == "f")
    moved = next(
        d
        for d in policy.evaluate(facts, assumptions={"events_start": dt.date(2025, 5, 1)}).decisions
        if d.subject == "f"
    )
    assert first.status == "not_eligible"
    assert "events count from events_start" in first.reasons[0]
    assert (moved.status, moved.assumptions[0]) == ("eligible", ("events_start", "2025-05-01"))


def test_coverage_counts_measures() -> None:
    """Coverage lists every clause and counts encoded measures against `measures N`."""
    checked = _policy(HEADER, DOC_A, DOC_B).checked
    rows = coverage(checked)
    data = coverage_json(checked)
    assert [r.label for r in rows] == ["1", "2", "七"]
    assert data["documents"][0] == {"document": "A号", "encoded": 2, "measures": 3}
    assert "A号: 2/3 measures" in coverage_text(checked)
    assert rows[0].decided == ("awarded",)


def test_round_trip_of_new_statements() -> None:
    """The printer writes the new statements back so that they parse to the same tree."""
    for text in (DOC_A, DOC_B):
        tree = policyrules.parse(text)
        assert tree == policyrules.parse(policyrules.print_module(tree))


DEADLINE = """
entity app "申请"
  list apps
  fact submitted_on: date "提交日期"
  fact approved_on: date "批准日期"

document doc_d "D"
  valid from 2025-01-01

clause 1 "one"
  quote "q"

  deadline approval
    for each app
    due 30 工作日 after submitted_on
    done approved_on
"""


def test_as_of_makes_a_passed_deadline_overdue() -> None:
    """Without a completion date a deadline is pending; once `as_of` passes it, not met."""
    policy = _policy(DEADLINE)
    # 2025-09-30 + 30 working days: Oct 1-8 are holidays; Oct 9, 10, 11 (Sat, 调休) are
    # 1-3, then Oct 13-17 4-8, 20-24 9-13, 27-31 14-18, Nov 3-7 19-23, 10-14 24-28,
    # Nov 17 29, Nov 18 30: due 2025-11-18.
    facts = {"apps": [{"id": "a", "submitted_on": "2025-09-30"}]}
    before = policy.evaluate(facts, as_of="2025-11-18").decisions[0]
    after = policy.evaluate(facts, as_of=dt.date(2025, 11, 20)).decisions[0]
    assert ("pending", dt.date(2025, 11, 18)) == (before.status, before.due)
    # Nov 19 and Nov 20 are the two working days after the due date.
    assert (
        after.status,
        after.margin,
    ) == ("not_met", "not done; 2 工作日 overdue as of 2025-11-20")


def test_as_of_must_be_a_date() -> None:
    """A wrong `as_of` is bad input, not a crash."""
    with pytest.raises(policyrules.FactsError, match="as_of: not a date"):
        _policy(DEADLINE).evaluate({"apps": []}, as_of="2025-13-40")
