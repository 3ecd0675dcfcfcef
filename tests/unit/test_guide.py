"""The language guide's examples are real: every ```rule block parses and is canonical."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policyrules

GUIDE = Path(__file__).resolve().parents[2] / "grammar" / "README.md"
BLOCKS = re.findall(r"```rule\n(.*?)```", GUIDE.read_text("utf-8"), re.S)


def test_guide_has_examples() -> None:
    """The guide shows the language in at least ten examples."""
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.split("\n", 1)[0][:40])
def test_guide_example_parses_and_round_trips(block: str) -> None:
    """Each example parses, and printing it parses back to the same tree."""
    tree = policyrules.parse(block, "guide.rule")
    assert tree == policyrules.parse(policyrules.print_module(tree))
