"""terminal.printable_lines skips its search when the lines are str.isprintable(): sound only
if every character it escapes is one isprintable() refuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policyrules import terminal


def test_every_escaped_character_is_refused_by_isprintable() -> None:
    assert terminal._ESCAPES  # C0, DEL and C1, bidi controls, line and paragraph separators
    assert not [c for c in terminal._ESCAPES if c.isprintable()]


@given(st.lists(st.text(max_size=30), max_size=6))
def test_lines_as_printable_writes_each(lines: list[str]) -> None:
    got = terminal.printable_lines(list(lines))
    assert got == [terminal.printable(line) for line in lines]
