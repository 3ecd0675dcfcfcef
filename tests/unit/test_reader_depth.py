"""Data deeper than the reader can follow, with the depth bound raised (issue 9 §10).

With ``--max-depth 100000`` the bound is never what refuses 5,000 levels: libyaml stops at
1,000 levels and Python's recursion limit stops the JSON reader and the YAML constructor.
The E308 message must name the limit really hit and the depth found, never "more than
100000 levels".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policyrules import FactsError
from policyrules.cli import main
from policyrules.reading import Limits, load_data

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
RAISED = Limits(max_depth=100_000)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, "utf-8")
    return f


def _refused(f: Path, limits: Limits = RAISED) -> FactsError:
    with pytest.raises(FactsError) as info:
        load_data(f, limits)
    assert info.value.code == "E308"
    return info.value


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * i + "a:\n" for i in range(5000)) + " " * 5000 + "b\n",
        "- " * 5000 + "x\n",
        "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["mappings", "block lists", "flow lists"],
)
def test_yaml_5000_levels_names_libyaml_limit(tmp_path: Path, text: str) -> None:
    """libyaml refuses the 1,001st level: the message says so, not the raised bound."""
    err = _refused(_write(tmp_path, "f.yaml", text))
    msg = str(err)
    assert "100000 levels deep" not in msg
    assert "more than 1000 levels, the most the YAML parser (libyaml) reads" in msg
    assert "--max-depth 100000 cannot raise that" in msg
    assert err.span is not None
    assert err.hint


def test_json_5000_levels_names_recursion_limit_and_depth(tmp_path: Path) -> None:
    """5,000 brackets inside ``{"firms": …}``: 5,001 levels, the deepest `[` at column
    11 + 4,999 = 5,010 (the first `[` is at column 11)."""
    err = _refused(_write(tmp_path, "f.json", '{"firms": ' + "[" * 5000 + "]" * 5000 + "}"))
    msg = str(err)
    assert "100000 levels deep" not in msg
    assert "nests 5001 levels" in msg
    assert f"recursion limit ({sys.getrecursionlimit()} calls)" in msg
    assert err.span is not None
    assert (err.span.line, err.span.col) == (1, 5010)


def test_yaml_mappings_within_libyaml_but_beyond_recursion(tmp_path: Path) -> None:
    """900 nested mappings pass libyaml but not the constructor's recursion: the depth
    found (900, the innermost mapping on line 900) and the recursion limit are named."""
    text = "".join(" " * i + "a:\n" for i in range(900)) + " " * 900 + "b\n"
    err = _refused(_write(tmp_path, "f.yaml", text))
    msg = str(err)
    assert "nests 900 levels" in msg
    assert "recursion limit" in msg
    assert err.span is not None
    assert err.span.line == 900


def test_bound_below_the_reader_limit_keeps_the_bound_message(tmp_path: Path) -> None:
    """Where the data is deeper than the bound, the bound is what the message names."""
    err = _refused(
        _write(tmp_path, "f.json", '{"firms": ' + "[" * 5000 + "]" * 5000 + "}"),
        Limits(max_depth=2000),
    )
    assert "nests more than 2000 levels deep" in str(err)


def test_cli_raised_bound_names_real_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = _write(tmp_path, "d.yaml", "[" * 5000 + "]" * 5000 + "\n")
    assert main(["eval", str(POLICY), str(deep), "--max-depth", "100000"]) == 2
    err = capsys.readouterr().err
    assert "error[E308]" in err
    assert "libyaml" in err
    assert "100000 levels deep" not in err
