"""A subject not yet ranked may be ranked first: a quota (择优支持不超过 N 个) never reports
another subject's award exact while such a rank could push it out (issue 9: nothing stated
as settled that a missing fact could change).  Both paths, decision for decision; the
counts worked by hand.

中文：尚未排名的项目可能排在最前；在它们排名之前，只有无论如何都在名额之内的项目才能确定。"""

from __future__ import annotations

from typing import Any

from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

import policyrules

HEAD = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact kind_ok: bool
  fact rank: count

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each project
    eligible when kind_ok
    quota 3 ranked by rank
    amount 10 元
"""


def both(firms: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    policy = compile_text(HEAD)
    facts = policy.read_facts({"firms": firms})
    return decisions_both_ways(policy, facts, missing_parameters=False)


def project(firm: str, rank: int | None) -> dict[str, Any]:
    p: dict[str, Any] = {"id": "J", "kind_ok": True}
    if rank is not None:
        p["rank"] = rank
    return {"id": firm, "projects": [p]}


def test_one_subject_unranked() -> None:
    got = both([project("A", 1), project("B", 2), project("C", 3), project("D", None)])
    # D 未排名，可能排第 1。
    # A: better 0 + tied 1 + unranked 1 = 2 ≤ 3: within whatever D's rank (exact 10 元).
    assert got["A/J"] == ("eligible", 1000, None, "exact", [])
    # B: 1 + 1 + 1 = 3 ≤ 3: within even with D ahead (A 1, D 1, B 2: third).
    assert got["B/J"] == ("eligible", 1000, None, "exact", [])
    # C: 2 + 1 = 3 ≤ 3 today, but 2 + 1 + 1 = 4 > 3: D ranked ahead pushes C out.
    # C 今天排第 3，但 D 若排在前面，C 就落到第 4：待定，尚缺排名。
    assert got["C/J"] == ("unknown", None, None, None, ["project.rank"])
    assert got["D/J"] == ("unknown", None, None, None, ["project.rank"])


def test_two_subjects_unranked() -> None:
    got = both([project("A", 1), project("B", 2), project("C", None), project("D", None)])
    # A: 0 + 1 + 2 = 3 ≤ 3: exact.  B: 1 + 1 + 2 = 4 > 3: unknown.
    assert got["A/J"] == ("eligible", 1000, None, "exact", [])
    assert got["B/J"] == ("unknown", None, None, None, ["project.rank"])


def test_outside_stays_outside_and_ranked_all_is_as_before() -> None:
    got = both([project("A", 1), project("B", 2), project("C", 3), project("D", 4)])
    # Every rank known: the first three exact, D (rank 4 > 3) not eligible.
    assert [got[f"{f}/J"][0] for f in "ABCD"] == ["eligible"] * 3 + ["not_eligible"]
    got = both(
        [project("A", 1), project("B", 2), project("C", 3), project("D", 4), project("E", None)]
    )
    # D: rank 4 > 3: outside whatever E's rank.
    assert got["D/J"][0] == "not_eligible"


def test_the_patterns_case_with_one_rank_removed() -> None:
    """policies/patterns, 第4条 (每年择优支持不超过10个): the case "two projects tied at rank
    9" with P1's rank removed.  P11, rank 10: 9 ranked better known (P2…P10), so 9 + 1 = 10
    ≤ 10 today; P1 (in truth rank 1) makes it 11: unknown, not 100 万元 exact.  P10, rank 9:
    7 better + 2 tied + 1 unranked = 10 ≤ 10: exact 100 万元."""
    policy = policyrules.load("policies/patterns")
    projects = [
        {
            "id": f"P{i}",
            "project_kind": "key_retrofit",
            "retrofit_rank": r,
            "retrofit_support_decided": "100万元",
        }
        for i, r in zip(range(1, 12), [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10], strict=True)
    ]
    del projects[0]["retrofit_rank"]
    result = policy.evaluate({"firms": [{"id": "f1", "projects": projects}]})
    got = {
        d.subject: (d.status, d.amount, d.amount_kind, d.missing_facts)
        for d in result.decisions
        if d.provision.endswith("retrofit_support")
    }
    assert got["f1/P11"][0] == "unknown"
    assert "project.retrofit_rank" in got["f1/P11"][3]
    assert got["f1/P10"][:3] == ("eligible", policyrules.Money.parse("100万元"), "exact")
