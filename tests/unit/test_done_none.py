"""A completion date stated none is a deadline not done (grammar/README.md §6).

`done reviewed_on` with `reviewed_on: date or none` was refused when checked (E282: "a
completion date needs a value"), and its hint, `reviewed_on otherwise ...`, offered no date
that means "not done".  None now counts as not done, as a completion date not yet stated
does: pending, or not met once the day the result speaks for (`as_of`) is past the due
date; both paths alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

from policyrules.explain import decision_text

POLICY = """entity case "申请"
  list cases
  fact start: date
  fact finished: date or none

document dl "时限"

clause 1 "时限"
  quote "q"

  deadline m
    for each case
    due 30 日 after start
    done finished
"""

# 2026-03-02 (a Monday) + 30 日 = 2026-04-01, a Wednesday and a working day: the due date.
CASES = [
    {"id": "none", "start": "2026-03-02", "finished": None},
    {"id": "last_day", "start": "2026-03-02", "finished": "2026-04-01"},
    {"id": "late", "start": "2026-03-02", "finished": "2026-04-02"},
    {"id": "unstated", "start": "2026-03-02"},
]


@pytest.mark.parametrize(
    ("as_of", "open_status"),
    [
        (None, "pending"),  # no day named: nothing is overdue
        (dt.date(2026, 4, 1), "pending"),  # the due date itself: not yet overdue
        (dt.date(2026, 4, 2), "not_met"),  # a day past it
    ],
)
def test_none_is_not_done_on_both_paths(as_of: dt.date | None, open_status: str) -> None:
    policy = compile_text(POLICY)
    # "late" finished on 2026-04-02: as of 2026-04-01 it is not yet a fact (E353,
    # test_as_of_later.py), so it is left out of that day's cases.
    cases = [c for c in CASES if as_of is None or (c.get("finished") or "") <= as_of.isoformat()]
    got = decisions_both_ways(policy, policy.read_facts({"cases": cases}), as_of=as_of)
    want = {"none": open_status, "last_day": "met", "late": "not_met", "unstated": open_status}
    assert {k: v[0] for k, v in got.items()} == {c["id"]: want[c["id"]] for c in cases}
    assert got["none"][4] == []  # stated none: nothing is missing


def test_none_is_said_not_done() -> None:
    policy = compile_text(POLICY)
    result = policy.evaluate({"cases": CASES[:1]}, as_of=dt.date(2026, 4, 3))
    (d,) = result.decisions
    assert (d.status, d.due, d.done) == ("not_met", dt.date(2026, 4, 1), None)
    # 2026-04-01 to 2026-04-03: 2 日 overdue.
    assert "due: 2026-04-01; not done; 2 日 overdue as of 2026-04-03" in decision_text(d)
