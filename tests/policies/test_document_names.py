"""The name the texts give each measure's document tells the documents of a shipped policy
apart, and is one name in every text.  A heading names a document by its number, else by
its identifier (``vocab.heading_zh``); an exclusive group's line by its number, else by its
title in 《》 (``explain_exclusive``, so that no identifier runs into the Chinese).
policies/patterns once gave three guide documents the one placeholder number
示例（非真实文件）, so 第1条 of two of them read alike, and the other three none, so they
were named ``patterns_amounts 第5条``: each now has a placeholder number of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules

ROOT = Path(__file__).resolve().parents[2]
POLICIES = sorted(p for p in (ROOT / "policies").iterdir() if p.is_dir())


@pytest.mark.parametrize("directory", POLICIES, ids=lambda p: p.name)
def test_each_document_has_a_name_of_its_own(directory: Path) -> None:
    """No two documents of a policy are named alike (number, else identifier)."""
    documents = policyrules.load(directory).checked.documents
    names = [d.number or d.name for d in documents]
    assert len(set(names)) == len(names), sorted(names)


def test_the_guides_documents_are_named_alike_in_its_texts() -> None:
    """One firm's Chinese text holds a 第5条 of two guide documents: each named by its
    number, as the exclusive groups' lines name them (tests/unit/test_batch_superseded.py)."""
    policy = policyrules.load(ROOT / "policies" / "patterns")
    assert all(d.number for d in policy.checked.documents)
    firm = {
        "id": "F1",
        "registered_here": True,
        "serious_dishonesty": False,
        "rd_investment": "800万元",
        "benchmark_grade": "grade_one",
    }
    text = policy.evaluate({"firms": [firm]}).explain(lang="zh")
    heads = [line.split(" —— ")[0] for line in text.splitlines() if " 第5条 " in line]
    assert heads == [
        "【符合条件】示例（金额，非真实文件） 第5条 研发投入分段补助",
        "【待定】示例（分档，非真实文件） 第5条 数字化转型标杆奖励",
    ]
    assert "patterns_" not in text
