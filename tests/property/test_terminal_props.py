"""Property tests for terminal output: every unsafe character is escaped, nothing else moves."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from policyrules.terminal import cells, json_printable, printable, printable_block, printable_lines
from strategies import terminal_texts

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _expected(c: str) -> str:
    """The specification, one character at a time."""
    if not UNSAFE.match(c):
        return c
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


@given(terminal_texts())
def test_printable_escapes_exactly_the_unsafe_characters(text: str) -> None:
    """Each unsafe character becomes its one escape, every other stays as it is, in order;
    no unsafe character is left; a kept newline stays a newline."""
    out = printable(text)
    assert out == "".join(_expected(c) for c in text)
    assert UNSAFE.search(out) is None
    # Escaping twice changes nothing: layers may each escape what they print.
    assert printable(out) == out
    kept = printable(text, keep="\n")
    assert kept.split("\n") == [printable(part) for part in text.split("\n")]
    assert cells(out) >= 0


@given(terminal_texts())
def test_json_escaping_reads_back_exactly(text: str) -> None:
    """JSON output holds no unsafe character raw, and reads back to exactly the same text."""
    out = json_printable(json.dumps({"id": text}, ensure_ascii=False))
    assert UNSAFE.search(out) is None
    assert json.loads(out) == {"id": text}


@given(st.lists(terminal_texts(), max_size=5))
def test_a_block_and_lines_escape_each_row(rows: list[str]) -> None:
    """A block of rows (one a line) and a list of lines are each row escaped, whether or
    not one of them holds anything to escape: the look at them all changes nothing."""
    assert printable_block(rows) == "\n".join(printable(r) for r in rows)
    assert printable_lines(list(rows)) == [printable(r) for r in rows]
