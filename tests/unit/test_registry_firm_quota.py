"""One firm of a registry under a quota (择优支持不超过 N 个): ``eval REGISTRY --firm ID``
ranks the firm's subjects among every other firm's, as the batch does.  Evaluated alone, a
firm's project saw no rival: ranked 3rd in a tie, or behind three projects ranked 1st, it
was within a quota of 3 and paid exact, while the batch, which ranks the whole registry,
left it undecided or outside.  Counts worked by hand; each compared with the batch.

中文：择优名额按整个名册排名；单独查看一家企业时，也要把其他企业的排名算进去。"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.strategies import compile_text
from tests.unit.test_quota_unranked import HEAD

from policyrules.api import Policy
from policyrules.instances import QuotaRivals

# The inline policy of the quota's unit tests: 第1条 pays 10 元 a project, `quota 3 ranked by
# rank` (the project's own rank fact).
PROJECT_RANK = HEAD

# The rank is the firm's: every project of a firm ranks as the firm does.
FIRM_RANK = PROJECT_RANK.replace("list firms\n", "list firms\n  fact rank: count\n", 1).replace(
    "  fact rank: count\n\ndocument", "\ndocument", 1
)


def registry(tmp: Path, firms: str, projects: str) -> Path:
    reg = tmp / "reg"
    reg.mkdir()
    (reg / "firms.csv").write_text(firms, encoding="utf-8")
    (reg / "projects.csv").write_text(projects, encoding="utf-8")
    return reg


def one_by_one(policy: Policy, reg: Path, firm: str) -> dict[str, tuple[Any, ...]]:
    result = policy.evaluate(policy.registry_facts(reg, firm))
    return {
        d.subject: (d.status, d.amount.fen if d.amount else None, d.missing_facts)
        for d in result.decisions
    }


def batch(policy: Policy, reg: Path) -> dict[str, tuple[Any, ...]]:
    result = policy.evaluate_batch(reg)
    try:
        rows = result.decisions().fetchall()
        names = [c[0] for c in result.decisions().description]
    finally:
        result.close()
    out = {}
    for row in rows:
        r = dict(zip(names, row, strict=True))
        out[r["subject"]] = (r["status"], r["amount_fen"], tuple(r["missing_facts"] or ()))
    return out


def test_a_tie_at_the_boundary_in_another_firm(tmp_path: Path) -> None:
    policy = compile_text(PROJECT_RANK)
    reg = registry(
        tmp_path,
        "id\nA\nB\nC\nD\n",
        "id,firm_id,kind_ok,rank\nJ,A,true,1\nJ,B,true,2\nJ,C,true,3\nJ,D,true,3\n",
    )
    # C/J: ranked better 2 (A, B) < 3 < 2 + tied 2 (C, D) = 4: a tie across the boundary
    # (E418), undecided until the agency breaks it; alone, C was 0 + 1 ≤ 3: exact 10 元.
    got = one_by_one(policy, reg, "C")
    assert got["C/J"] == ("unknown", None, ())
    assert batch(policy, reg)["C/J"] == got["C/J"]
    # A/J: 0 better + 1 tied ≤ 3, and nothing unranked: exact 10 元 = 1000 fen, as before.
    assert one_by_one(policy, reg, "A")["A/J"] == ("eligible", 1000, ())


def test_a_project_not_yet_ranked_in_another_firm(tmp_path: Path) -> None:
    policy = compile_text(PROJECT_RANK)
    reg = registry(
        tmp_path,
        "id\nA\nB\nC\nD\n",
        "id,firm_id,kind_ok,rank\nJ,A,true,1\nJ,B,true,2\nJ,C,true,3\nJ,D,true,\n",
    )
    # C/J: 2 better + 1 tied = 3 ≤ 3, but D/J, not yet ranked, may come first: 2 + 1 + 1 = 4
    # > 3, so unknown until it is ranked (needs project.rank); alone C was exact.
    got = one_by_one(policy, reg, "C")
    assert got["C/J"] == ("unknown", None, ("project.rank",))
    assert batch(policy, reg)["C/J"][0] == "unknown"
    # B/J: 1 + 1 + 1 = 3 ≤ 3: within whatever D's rank: exact.
    assert one_by_one(policy, reg, "B")["B/J"] == ("eligible", 1000, ())


def test_three_ranked_first_elsewhere_put_it_outside(tmp_path: Path) -> None:
    policy = compile_text(PROJECT_RANK)
    reg = registry(
        tmp_path,
        "id\nA\nB\nC\nD\n",
        "id,firm_id,kind_ok,rank\nJ,A,true,1\nJ,B,true,1\nJ,C,true,1\nJ,D,true,2\n",
    )
    # D/J: rank 2 ≤ 3, but 3 ranked better: 3 + 1 = 4 > 3, outside (not eligible).
    assert one_by_one(policy, reg, "D")["D/J"][0] == "not_eligible"
    assert batch(policy, reg)["D/J"][0] == "not_eligible"


def test_the_rank_an_owner_has(tmp_path: Path) -> None:
    policy = compile_text(FIRM_RANK)
    reg = registry(
        tmp_path,
        "id,rank\nA,1\nB,2\nC,3\n",
        "id,firm_id,kind_ok\nJ,A,true\nK,A,true\nJ,B,true\nJ,C,true\n",
    )
    # Each project ranks as its firm: A/J and A/K rank 1, B/J 2, C/J 3.  C/J: 3 ranked
    # better (A/J, A/K, B/J) + itself = 4 > 3: outside; alone it was 0 + 1: within.
    assert one_by_one(policy, reg, "C")["C/J"][0] == "not_eligible"
    assert batch(policy, reg)["C/J"][0] == "not_eligible"
    facts = policy.registry_facts(reg, "C")
    # The other firms' three projects: two ranked 1 (A's), one ranked 2 (B's).
    assert facts.rivals == {"d/1/a": QuotaRivals(((1, 2), (2, 1)), 0)}


def test_no_quota_no_rivals(tmp_path: Path) -> None:
    policy = compile_text(PROJECT_RANK.replace("    quota 3 ranked by rank\n", ""))
    reg = registry(tmp_path, "id\nA\nB\n", "id,firm_id,kind_ok,rank\nJ,A,true,1\nJ,B,true,2\n")
    assert policy.registry_facts(reg, "A").rivals == {}


@pytest.mark.parametrize(
    ("firms", "ranks"),
    [(["A", "B"], ()), (["A", "A"], ((2, 1),))],
)
def test_firms_named_together_rank_as_their_own(
    tmp_path: Path, firms: list[str], ranks: tuple[tuple[int, int], ...]
) -> None:
    policy = compile_text(PROJECT_RANK)
    reg = registry(
        tmp_path,
        "id\nA\nB\nC\n",
        "id,firm_id,kind_ok,rank\nJ,A,true,1\nJ,B,true,2\nJ,C,true,\n",
    )
    # The firms named are in the facts (A named twice is A once); the others' projects are
    # rivals: C's not yet ranked, and B's ranked 2 when B is not named.
    assert policy.registry_facts(reg, firms).rivals == {"d/1/a": QuotaRivals(ranks, 1)}
