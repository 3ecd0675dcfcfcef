"""Golden tests of the text of ``policyrules coverage`` on the Beijing 2025 policy.

``coverage/beijing_2025.en.txt`` is the English table (``--lang en``) as it was before the
Chinese text came in (printed then by the previous commit, kept byte for byte: it is never
regenerated; a deliberate change is made in it by hand); ``coverage/beijing_2025.zh.txt`` is
the Chinese text, the default.  Regenerate the Chinese file with
``pytest tests/golden --update-golden`` and read every changed line before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "coverage"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)


def _coverage(capsys: pytest.CaptureFixture[str], *more: str) -> str:
    code, out, err = run_cli(capsys, "coverage", "policies/beijing_2025", *more)
    assert (code, err) == (0, "")
    return out


def test_english_text_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang en`` prints exactly the table of the release before Chinese came in."""
    expected = (HERE / "beijing_2025.en.txt").read_text("utf-8")
    assert _coverage(capsys, "--lang", "en") == expected


def test_chinese_text(capsys: pytest.CaptureFixture[str], update_golden: bool) -> None:
    """The default text is Chinese, exactly as pinned."""
    actual = _coverage(capsys)
    path = HERE / "beijing_2025.zh.txt"
    if update_golden:
        path.write_text(actual, "utf-8")
    assert actual == path.read_text("utf-8")


def test_environment_chooses_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``POLICYRULES_LANG=en`` gives the English table; ``--lang`` wins over it."""
    monkeypatch.setenv("POLICYRULES_LANG", "en")
    english = (HERE / "beijing_2025.en.txt").read_text("utf-8")
    assert _coverage(capsys) == english
    chinese = (HERE / "beijing_2025.zh.txt").read_text("utf-8")
    assert _coverage(capsys, "--lang", "zh") == chinese
