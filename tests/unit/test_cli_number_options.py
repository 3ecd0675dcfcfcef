"""An option's number takes ASCII digits, as every reader of numbers does.

``int()`` reads ``１２`` (full-width, a Chinese input method's full-width mode) as 12, and
``1_2`` and `` 12`` too: ``--max-depth １２`` was taken as 12, as were ``serve --workers ４``
and ``POLICYRULES_MAX_DEPTH=１２``.  Each is now refused: a full-width digit is named, with
the text in ASCII as the hint, as ``Money.parse`` says it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.cli import main
from policyrules.errors import FactsError
from policyrules.reading import Limits
from support import BEIJING

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "examples" / "firm-a.yaml"
FULL_WIDTH = '"{}" at character 1 is a full-width digit'


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The last line argparse writes for ``policyrules ARGV...`` (exit status 2)."""
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    assert stop.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize("option", ["--max-depth", "--max-items", "--max-input-mb"])
def test_a_full_width_number_of_an_option_is_refused(
    capsys: pytest.CaptureFixture[str], option: str
) -> None:
    said = _refused(capsys, "eval", str(BEIJING), str(FACTS), option, "１２")
    assert said == (
        f"policyrules eval: error: argument {option}: '１２' is not a whole number: "
        f'{FULL_WIDTH.format("１")} (write ASCII digits: "12")'
    )


@pytest.mark.parametrize("written", ["1_2", " 12", "+12"])
def test_what_int_reads_besides_digits_is_refused(
    capsys: pytest.CaptureFixture[str], written: str
) -> None:
    said = _refused(capsys, "eval", str(BEIJING), str(FACTS), "--max-depth", written)
    assert (
        said == f"policyrules eval: error: argument --max-depth: {written!r} is not a whole number"
    )


def test_serve_s_numbers_too(capsys: pytest.CaptureFixture[str]) -> None:
    said = _refused(capsys, "serve", str(BEIJING), "--workers", "４")
    assert said == (
        "policyrules serve: error: argument --workers: '４' is not a number: "
        f'{FULL_WIDTH.format("４")} (write ASCII digits: "4")'
    )


def test_a_bound_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYRULES_MAX_DEPTH", "１２")
    with pytest.raises(FactsError) as info:
        Limits.from_env()
    (d,) = info.value.diagnostics
    assert d.code == "E307"
    assert d.message == (
        f"POLICYRULES_MAX_DEPTH='１２': a whole number is expected ({FULL_WIDTH.format('１')})"
    )
    assert d.hint == 'write ASCII digits: "12"'
    monkeypatch.setenv("POLICYRULES_MAX_DEPTH", "1_2")
    with pytest.raises(FactsError) as info:
        Limits.from_env()
    assert info.value.diagnostics[0].hint is None
