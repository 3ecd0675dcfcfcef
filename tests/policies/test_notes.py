"""The notes of the rules say what the encoding reads into the text where it reads more than
the text says (the notes are shown in the clause reference and by ``explain``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


def test_a_ceiling_per_award_says_earlier_grants_are_deducted(policy: policyrules.Policy) -> None:
    """A clause whose notes read its ceiling as one per award (每次奖励的上限, 第6条 and
    第14条) also says that the encoding deducts the subject's earlier grants of it (one
    entitlement, only the rest paid): whether it may be claimed again is the text's gap."""
    per_award = [c for c in policy.checked.clauses if any("每次奖励的上限" in n for n in c.notes)]
    assert {c.id for c in per_award} >= {"jjxf_2025_50/6", "jjxf_2025_50/14"}
    for clause in per_award:
        notes = "".join(clause.notes)
        assert "待明确" in notes, clause.id
        assert "一项权益" in notes, clause.id
        assert "此前获得的奖励从本次应得金额中扣除" in notes, clause.id
        # a per-year reading, if the rules allow a claim every year, is another encoding
        assert "每个年度分别计算" in notes, clause.id
