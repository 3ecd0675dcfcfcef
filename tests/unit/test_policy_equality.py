"""A checked policy compares and hashes by everything that changes what it decides: two
policies differing only in a provision's ``quota``, ``limit``, ``tiers by`` or ``paid …``
statement are unequal (a cache keyed by the policy once gave both one compiled policy)."""

from __future__ import annotations

import pytest

import policyrules
from policyrules.model import CheckedPolicy

HEAD = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact revenue: money
  fact rank: count
  fact started_on: date
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差，除非另有规定"
assumption other: TierReading = highest_only "只享受最高档"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each project
    eligible when revenue reaches scale
    amount scale[revenue]
"""

# Each pair differs in one statement only.
PAIRS = {
    "quota": ("quota 3 ranked by rank", "quota 2 ranked by rank"),
    "limit": ("limit 2 per firm", "limit 3 per firm"),
    # (each reads both assumptions, so only the tier reading tells them apart)
    "tiers": (
        "tiers by reading\n    eligible when other = highest_only or reading = top_up",
        "tiers by other\n    eligible when other = highest_only or reading = top_up",
    ),
    "schedule": (
        "paid over 2 years from started_on: 50%, 50% remainder last",
        "paid over 2 years from started_on: 60%, 40% remainder last",
    ),
}


def _checked(line: str) -> CheckedPolicy:
    text = f"{HEAD}    {line}\n"
    return policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})


@pytest.mark.parametrize("what", sorted(PAIRS))
def test_policies_differing_in_one_statement_differ(what: str) -> None:
    first, second = PAIRS[what]
    one, again, other = _checked(first), _checked(first), _checked(second)
    assert one == again
    assert hash(one) == hash(again)
    assert one != other
    assert one.provisions()[0] != other.provisions()[0]
    # Keyed by the policy, the two are two entries (a cache shares nothing between them).
    assert len({one: 1, other: 2, again: 3}) == 2
    assert hash(one) != hash(other)


def test_the_fields_hold_the_statements_as_written() -> None:
    (p,) = _checked(PAIRS["limit"][0]).provisions()
    assert p.limit is not None
    assert (p.limit.count, p.limit.per) == (2, "firm")
    assert p.limited
    assert p.quota is None
    assert p.tiers is None
    assert p.schedule is None
    (q,) = _checked(PAIRS["schedule"][1]).provisions()
    assert q.schedule is not None
    assert q.schedule.years == 2
    assert not q.limited
