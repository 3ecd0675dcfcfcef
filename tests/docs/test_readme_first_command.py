"""hBF: the README says what its first command prints for firm-a, truly.  It said firm-a was
evaluated "against all 47 encoded measures", but the output holds no 京医保发 decision: a
measure is decided for each of its subjects in the facts, and firm-a has no drugs or
clinical-trial applications."""

from __future__ import annotations

import collections
import json
from decimal import Decimal
from pathlib import Path

import pytest
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_counts_what_eval_prints_for_firm_a(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run_cli(
        capsys, "eval", "policies/beijing_2025", "examples/firm-a.yaml", "--json"
    )
    assert code == 0
    data = json.loads(out)
    decisions = data["decisions"]
    statuses = collections.Counter(d["status"] for d in decisions)
    measures = {(d["document"], d["clause"]) for d in decisions}
    grants = data["grants"]
    # 200 + 150 + 50 + 2400 = 2800 万元 (examples/firm-a.yaml's header)
    total = sum(Decimal(g["amount"]) for g in grants)
    readme = (ROOT / "README.md").read_text("utf-8")
    said = " ".join(readme.split())
    assert f"holds {len(decisions)} decisions on {len(measures)} of 京经信发's measures" in said
    assert (
        f"({statuses['eligible']} eligible, {statuses['not_eligible']} not, "
        f"{statuses['unknown']} open" in said
    )
    assert total == Decimal("28000000.00")
    assert f"the grants they make ({len(grants)}, 2800 万元)" in said
    assert {doc for doc, _ in measures} == {"jjxf_2025_50"}
    assert ("jjxf_2025_50", "9") not in measures
    assert "all 47" not in said
