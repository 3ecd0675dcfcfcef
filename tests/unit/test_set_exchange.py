"""`--set NAME=VALUE` gives an `exchange` parameter in the facts file's form (issue 11 gap 3),
and E347's hint shows a form that `--set` takes."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from policyrules.cli import main
from policyrules.errors import PolicyRulesError
from policyrules.reading import read_pairs

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"
EXPORT = "patterns_tiers/6/export_reward"


def _facts(tmp_path: Path) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text('firms:\n  - id: F1\n    prior_year_exports: "1,200,000 美元"\n', "utf-8")
    return path


def _export(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = json.loads(capsys.readouterr().out)
    return next(d for d in out["decisions"] if d["provision"] == EXPORT)


@pytest.mark.parametrize(
    "value", ['{rate: "7.1234", date: 2026-01-05}', "{rate: 7.1234, date: 2026-01-05}"]
)
def test_set_takes_the_facts_file_form(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1,200,000 美元 × 7.1234 = 8,548,080.00 元; × 2% = 170,961.60 元 (below the 50 万 cap)."""
    args = ["eval", str(PATTERNS), str(_facts(tmp_path)), "--format", "json"]
    assert main([*args, "--set", f"usd_cny={value}"]) in (0, 1)
    d = _export(capsys)
    assert (d["status"], d["amount"]) == ("eligible", "170961.60")


def test_the_e347_hint_shows_a_form_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bare number is refused (E347); the hint's `--set …` form, as the shell reads it,
    gives the rate."""
    facts = str(_facts(tmp_path))
    assert main(["eval", str(PATTERNS), facts, "--set", "usd_cny=7.1234"]) == 2
    err = capsys.readouterr().err
    assert "E347" in err
    m = re.search(r"(--set usd_cny='[^']*')", err)
    assert m is not None, err
    shown = shlex.split(m[1])
    assert main(["eval", str(PATTERNS), facts, "--format", "json", *shown]) in (0, 1)
    assert _export(capsys)["amount"] == "170961.60"


@pytest.mark.parametrize("value", ["{rate: 7.1234, date: 2026-01-05", "{[1, 2]: x}", "{a"])
def test_a_broken_mapping_is_e341(value: str) -> None:
    with pytest.raises(PolicyRulesError) as info:
        read_pairs([f"usd_cny={value}"], "--set")
    (d,) = info.value.diagnostics
    assert d.code == "E341"
    assert "--set usd_cny='{rate:" in (d.hint or "")


def test_plain_values_are_read_as_before() -> None:
    assert read_pairs(["a=true", "b=30%", 'c="{x}"'], "--set") == {
        "a": True,
        "b": "30%",
        "c": "{x}",
    }
