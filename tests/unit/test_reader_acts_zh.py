"""hBF: the Chinese texts say what a reader can act on, in words: no command-line flag
(``--as-of``, ``--set``) in a decision or the clause reference; the operator's how-to is on
``eval``'s standard error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.support import run_cli

import policyrules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def test_no_evaluation_date_is_said_without_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    """drugmaker-d without ``--as-of``: the letter said 未给出评估日期（--as-of）, and the
    service's ``text_zh`` the same though HTTP has no flag."""
    code, out, err = run_cli(capsys, "eval", "policies/beijing_2025", "examples/drugmaker-d.yaml")
    assert code == 0
    assert out.count("  未给出评估日期，不判断是否已逾期\n") == 2
    assert "--" not in out
    assert err.startswith("提示：未给出 --as-of 选项")
    assert "note:" not in err
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    import yaml

    facts: Any = yaml.safe_load((ROOT / "examples" / "drugmaker-d.yaml").read_text("utf-8"))
    texts = [d["text_zh"] for d in policy.evaluate(facts).to_json()["decisions"]]
    assert any("未给出评估日期，不判断是否已逾期" in t for t in texts)
    assert not any("--as-of" in t for t in texts)


def test_with_an_evaluation_date_eval_says_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("eval", "policies/beijing_2025", "examples/drugmaker-d.yaml", "--as-of", "2026-01-01")
    code, _, err = run_cli(capsys, *args)
    assert code == 0
    assert "--as-of" not in err


class _Page:
    """What a measure page asks of its directive, kept to nothing."""

    docname = "clauses/test"

    def link(self, kind: str, target: str, text: str) -> Any:
        from docutils import nodes

        return nodes.Text(text)

    def note_object(self, kind: str, name: str, node_id: str, title: str = "") -> None:
        pass

    def warn(self, subtype: str, message: str) -> None:
        pass


def test_the_clause_reference_says_an_unset_parameter_without_set() -> None:
    """第13条's 一定支持 (support_rate, no default): its row in 未定参数 said 计算时可用 --set
    给出; the name stays in its own column (名称), for whoever runs the tool."""
    pytest.importorskip("sphinx")
    from policyrules.sphinxext_measure import measure_page

    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    clause = next(c for c in policy.checked.clauses if c.id.endswith("/13"))
    text = measure_page(_Page(), policy, clause, [], {}).astext()
    assert "未定参数" in text
    assert "确定后可在计算时给出" in text
    assert "--set" not in text
