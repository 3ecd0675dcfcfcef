"""`eval --format json` on a large facts file (issue 9 §10): each decision's Chinese text is
made once (it was made twice: on the decision and again for the whole letter), and the
JSON text is written by a C encoder, byte for byte what ``json.dumps(…, indent=2)`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import explain_zh
from policyrules.cli import main
from policyrules.terminal import json_printable

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
    calls: list[str] = []
    real = explain_zh.decision_text_zh

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append(args[0].subject)
        return real(*args, **kwargs)

    monkeypatch.setattr(explain_zh, "decision_text_zh", counted)
    data = result.to_json()
    assert len(calls) == len(result.decisions)
    # The letter is still every applicable decision's block, as explain(lang="zh") gives it.
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
