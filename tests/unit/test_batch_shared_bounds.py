"""The batch compiles what it used to refuse: a range or a minimum under a cap shared with
other claims (E609, E610 no longer raised) and quotas ranked across the registry (a rank
that may be none is E282 when checked): both paths, decision for decision, amounts worked
by hand."""

from __future__ import annotations

from typing import Any

import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

from policyrules.errors import RuleCheckError

HEAD = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact base: money
  fact chosen: money
  fact kind_ok: bool
  fact rank: count

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each project
"""


def both(body: str, firms: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    """The decisions of ``firms`` through both paths; asserts they agree."""
    policy = compile_text(HEAD + "".join(f"    {line}\n" for line in body.splitlines()))
    facts = policy.read_facts({"firms": firms})
    return decisions_both_ways(policy, facts, missing_parameters=False)


def test_a_range_under_a_shared_cap_reserves_its_upper_bound() -> None:
    firms = [
        {
            "id": "G",
            "projects": [
                {"id": "Q1"},
                {"id": "Q2", "base": "3元"},
                {"id": "Q3", "base": "4元"},
            ],
        },
        {"id": "H", "projects": [{"id": "H1", "base": "4元"}, {"id": "H2"}]},
    ]
    got = both(
        "amount 1 元 to 4 元 decided chosen\ncap 9 元 per firm\norder by id",
        [
            {
                "id": f["id"],
                "projects": [
                    dict(p, chosen=p["base"]) if "base" in p else p for p in f["projects"]
                ],
            }
            for f in firms
        ],
    )
    # Q1 undecided: 1 to 4 元, the 9 元 room untouched: a range [1, 4], pending 4 元.
    assert got["G/Q1"] == ("eligible", 400, 100, "range", ["project.chosen"])
    # Q2 decided 3 元: hi = 9 − 0 = 9, lo = 9 − 0 − 4 = 5 ≥ 3: exact 3 元 (E = 3).
    assert got["G/Q2"] == ("eligible", 300, None, "exact", [])
    # Q3 decided 4 元: hi = 9 − 3 = 6, lo = 9 − 3 − 4 = 2 < 4: at least 2 元, at most 4 元
    # (Q1 may take up to 4 of the 6 元 left).
    assert got["G/Q3"] == ("eligible", 400, 200, "range", [])
    # H1 decided 4 元: exact (E = 4).  H2 undecided 1 to 4 元: 9 − 4 = 5 元 left, it fits:
    # at least 1 元, at most 4 元.
    assert got["H/H1"] == ("eligible", 400, None, "exact", [])
    assert got["H/H2"] == ("eligible", 400, 100, "range", ["project.chosen"])


def test_a_range_cut_below_its_lower_bound_is_exact() -> None:
    got = both(
        "amount 3 元 to 4 元 decided chosen\ncap 9 元 per firm\norder by id",
        [
            {
                "id": "H",
                "projects": [
                    {"id": "H1", "chosen": "4元"},
                    {"id": "H2", "chosen": "4元"},
                    {"id": "H3"},
                ],
            }
        ],
    )
    # H1, H2 decided 4 元 each: exact, E = 8.  H3 undecided 3 to 4 元: the room is 9 − 8 =
    # 1 元, below its lower bound 3 元: whatever is decided, 1 元 is paid: exact.
    assert got["H/H1"][:4] == ("eligible", 400, None, "exact")
    assert got["H/H2"][:4] == ("eligible", 400, None, "exact")
    assert got["H/H3"] == ("eligible", 100, None, "exact", [])


def test_a_minimum_with_the_amount_missing_takes_the_room() -> None:
    got = both(
        "amount base\nminimum 5 元\ncap 9 元 per firm\norder by id",
        [{"id": "F", "projects": [{"id": "P1"}, {"id": "P2", "base": "2元"}]}],
    )
    # P1: base missing, at least the 5 元 minimum, at most the 9 元 room: a range.
    assert got["F/P1"] == ("eligible", 900, 500, "range", ["project.base"])
    # P2: 2 元 raised to 5 元; hi = 9 (P1 is not exact), lo = 9 − 9 = 0: up to 5 元.
    assert got["F/P2"][:4] == ("eligible", 500, None, "up_to")


def test_a_quota_ranks_the_whole_registry() -> None:
    firms = [
        {"id": "A", "projects": [{"id": "J", "kind_ok": True, "rank": 1}]},
        {"id": "B", "projects": [{"id": "J", "kind_ok": True, "rank": 2}]},
        {"id": "C", "projects": [{"id": "J", "kind_ok": True, "rank": 2}]},
        {"id": "D", "projects": [{"id": "J", "kind_ok": True}]},
        {"id": "E", "projects": [{"id": "J", "rank": 3}]},
        {"id": "F", "projects": [{"id": "J", "kind_ok": False, "rank": 1}]},
    ]
    got = both("eligible when kind_ok\nquota 3 ranked by rank\namount 10 元", firms)
    # Ranks known: 1 (A), 2 (B), 2 (C), 3 (E), 1 (F, not eligible, still ranked).
    # A: rank 1, better 0, tied 2 (A, F): 0 + 2 ≤ 3: within the quota.
    assert got["A/J"][:4] == ("eligible", 1000, None, "exact")
    # B, C: rank 2, better 2 (A, F), tied 2: 2 < 3 < 4: a tie at the boundary, unknown.
    assert got["B/J"] == ("unknown", None, None, None, [])
    assert got["C/J"] == ("unknown", None, None, None, [])
    # D: no rank: unknown until ranked.
    assert got["D/J"] == ("unknown", None, None, None, ["project.rank"])
    # E: rank 3, better 4 > 3: outside the quota, not eligible though kind_ok is missing.
    assert got["E/J"][0] == "not_eligible"
    assert got["F/J"][0] == "not_eligible"


def test_a_quota_with_a_rank_that_may_be_none_is_refused() -> None:
    text = HEAD.replace("fact rank: count", "fact rank: count or none")
    with pytest.raises(RuleCheckError) as info:  # on both paths: the policy does not check
        compile_text(text + "    quota 3 ranked by rank\n    amount 10 元\n")
    (d,) = info.value.diagnostics
    assert (d.code, d.message) == (
        "E282",
        "'rank' may be none (number or none): a quota ranks by a number",
    )
