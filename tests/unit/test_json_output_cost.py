"""`eval --format json` on a large facts file (issue 9 §10): each decision's Chinese text is
made at most once (it was made twice: on the decision and again for the whole letter; a
paid claim's is said from the evaluator's rows, issue 10), and the
JSON text is written by a C encoder, byte for byte what ``json.dumps(…, indent=2)`` writes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import explain_zh
from policyrules.cli import main
from policyrules.terminal import json_printable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import one_by_one_data as data

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"


def _facts(n: int) -> dict[str, Any]:
    products = [
        {
            "id": f"P{i}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": "200万元",
        }
        for i in range(n)
    ]
    return {"firms": [{"id": "firm-a", "name": "甲", "products": products}]}


def test_each_decision_text_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result = policyrules.load(POLICY).evaluate(_facts(30))
    calls: list[tuple[str, str | None]] = []
    real = explain_zh.decision_text_zh

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append((args[0].provision, args[0].subject))
        return real(*args, **kwargs)

    monkeypatch.setattr(explain_zh, "decision_text_zh", counted)
    data = result.to_json()
    assert len(calls) == len(set(calls))  # none made twice
    # The other measures' products lack every fact their conditions read: their texts are
    # said from one decision's a provision (backends/python/blank_rows.py), not one by one.
    made = Counter(provision for provision, _ in calls)
    others = {d.provision for d in result.decisions} - {"jjxf_2025_50/3/launch_reward"}
    assert made["jjxf_2025_50/3/launch_reward"] == 30
    assert all(made[p] <= 1 for p in others)
    # Each decision's text is still its decision_text_zh, and the letter every applicable
    # decision's block, as explain(lang="zh") gives it.
    words = policyrules.load(POLICY).words
    assert [e["text_zh"] for e in data["decisions"]] == [real(d, words) for d in result.decisions]
    assert data["text_zh"] == result.explain(lang="zh")


def test_json_text_is_what_json_dumps_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps(_facts(12), ensure_ascii=False), "utf-8")
    empty = tmp_path / "e.json"
    empty.write_text('{"firms": []}', "utf-8")  # empty lists and mappings: `[]`, `{}`
    for f in (facts, FIRM_A, empty):
        assert main(["eval", str(POLICY), str(f), "--format", "json"]) == 0
        out = capsys.readouterr().out
        data = json.loads(out)
        assert out == json_printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def test_paid_claims_json_text_said_from_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measure 3's paid claims (the benchmark's, under the whole policy) are said in the
    JSON from the evaluator's rows, no decision_text_zh made for them, and the JSON is the
    one made from the decisions, text for text."""
    policy = policyrules.load(POLICY)
    facts = policy.read_facts(data.as_facts(data.claims(200)))
    made_first = policy.evaluate(facts)
    made_first.decisions  # noqa: B018 - the rows let go: every text from a decision
    want = made_first.to_json()
    calls: list[tuple[str, str | None, str]] = []
    real = explain_zh.decision_text_zh

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append((args[0].provision, args[0].subject, args[0].status))
        return real(*args, **kwargs)

    monkeypatch.setattr(explain_zh, "decision_text_zh", counted)
    got = policy.evaluate(facts).to_json()
    assert got == want
    assert len(calls) == len(set(calls))
    paid = [
        (e["provision"], e["subject"])
        for e in got["decisions"]
        if e["provision"] == data.MEASURE3 and e["status"] == "eligible"
    ]
    assert len(paid) > 100  # most of the 200 claims are paid
    assert not {(p, s) for p, s, _ in calls} & set(paid)
