"""A deadline whose calendar end falls after 9999-12-31 is unknown on both paths (E401).

The one-by-one path has no date after 9999-12-31 and says so (E401); DuckDB has, and the
batch judged such a period met (done by its end) or pending (a new user's trial).  Each
unit of the calendar (日, 周, 月, 年), done or not, the batch now decides as the one-by-one
path does, decision for decision (``tests.both_paths``).
"""

from __future__ import annotations

import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

POLICY = """entity case "申请"
  list cases
  fact start: date
  fact finished: date

document dl "时限"

clause 1 "时限"
  quote "q"

  deadline m
    for each case
    due PERIOD after start
    done finished
"""


@pytest.mark.parametrize("period", ["1 日", "1 周", "1 月", "1 年", "3 月"])
def test_a_period_ending_after_9999_is_unknown_on_both_paths(period: str) -> None:
    policy = compile_text(POLICY.replace("PERIOD", period))
    cases = [
        {"id": "done", "start": "9999-12-31", "finished": "9999-12-31"},
        {"id": "open", "start": "9999-12-31"},
        {"id": "early", "start": "2024-01-01", "finished": "2024-01-01"},
    ]
    got = decisions_both_ways(policy, policy.read_facts({"cases": cases}))
    # 9999-12-31 + any period of the calendar is after 9999-12-31: no date, unknown.
    assert got["done"][0] == "unknown"
    assert got["open"][0] == "unknown"
    # 2024-01-01 (a published year), done that very day: met whatever the period.
    assert got["early"][0] == "met"
    (d,) = policy.evaluate({"cases": cases[:1]}).decisions
    assert d.reasons[0].startswith(f"E401: {period} after 9999-12-31 ends after 9999-12-31")


@pytest.mark.parametrize("period", ["400000000 日", "9999999999 周", "999999999 月", "9999999 年"])
def test_a_period_beyond_every_date_is_unknown_on_both_paths(period: str) -> None:
    """A review: such a period overflowed DuckDB's dates (E633, the batch stopped) where
    the one-by-one path said unknown (E401); the end is now found beyond 9999-12-31 without
    computing it."""
    policy = compile_text(POLICY.replace("PERIOD", period))
    cases = [{"id": "c", "start": "2026-01-01", "finished": "2026-01-02"}]
    got = decisions_both_ways(policy, policy.read_facts({"cases": cases}))
    assert got["c"][0] == "unknown"
