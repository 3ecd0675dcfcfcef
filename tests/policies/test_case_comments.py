"""The worked cases' comments, which the clause reference and the patterns guide show readers
(policyrules.sphinxext_cases.arithmetic): Chinese words and arithmetic, no English sentences,
and nothing only a developer could follow (a test's path)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyrules.sphinxext_cases import case_comments

ROOT = Path(__file__).resolve().parents[2]
# policies/patterns/cases and each policy's cases (policies/beijing_2025/cases).
CASE_FILES = sorted((ROOT / "policies").glob("*/cases/*.yaml"))

# Two English words in a row ("down to the fen", "granted before"): a sentence, not a name.
# Names stay as the encoding spells them (retrofit_grant, usd_cny: what --set and --assume
# take), as do error codes (E416) and the arithmetic (min, ⌊…⌋, 万, 分).
ENGLISH = re.compile(r"(?<![\w.])[A-Za-z]{2,}[ ,;]+[A-Za-z]{2,}(?![\w(])")
DEVELOPER = re.compile(r"tests/|\.py\b|pytest")


def _comments(path: Path) -> list[str]:
    notes, cases = case_comments(path.read_text(encoding="utf-8"))
    return [*notes, *(line for lines in cases for line in lines)]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_case_comments_read_as_chinese(path: Path) -> None:
    comments = [line.split("#", 1)[1] for line in _comments(path)]
    assert comments, "a worked-case file without its arithmetic"
    english = [c for c in comments if ENGLISH.search(c)]
    assert english == []
    developer = [c for c in comments if DEVELOPER.search(c)]
    assert developer == []


def test_the_check_sees_english() -> None:
    assert ENGLISH.search(" 1,000,000 + 0.01 × 7% = 1,000,000.0007 → down to the fen")
    assert ENGLISH.search(" patterns_amounts 第五条 (progressive bands) — written for the guide.")
    assert not ENGLISH.search(" 第一条 retrofit_grant = min(10% × E, 500 万元)，要求 E ≥ 500 万元")
    assert not ENGLISH.search(" 500 万 / 0：除数为零（E415）")
