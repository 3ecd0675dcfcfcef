"""Text that is safe to show on a terminal: control characters escaped, widths in cells.

Identifiers, text facts, file names and rule strings come from files other people write.
Shown raw, an escape sequence in them can clear the screen, recolour or rewrite earlier
lines, and a bidi override can make a line read differently from what it holds (Trojan
Source).  Every human-readable output goes through :func:`printable`, which writes each
such character as a visible escape, one form for all:

- C0 controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F) as ``\\xNN``;
- bidi embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E,
  U+200F, U+061C) and the line/paragraph separators U+2028, U+2029 as ``\\uNNNN``.

A backslash itself is left as it is, so ``\\x1b`` in the output is either an escaped ESC or
those four characters in the input; the JSON output tells them apart.

>>> printable("\\x1b[2JPAID\\u202e")
'\\\\x1b[2JPAID\\\\u202e'
>>> printable("line one\\nline two", keep="\\n")
'line one\\nline two'
>>> cells("中文ab")
6

:func:`json_printable` does the same for JSON text with JSON's own ``\\uNNNN`` escapes, so
the data read back is exactly the data written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import msgspec
import wcwidth

__all__ = [
    "BREAK",
    "cells",
    "indented_json",
    "json_printable",
    "printable",
    "printable_block",
    "printable_lines",
    "printable_pieces",
]

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_SEPARATORS = (0x2028, 0x2029)
_UNSAFE = (*range(0x00, 0x20), *range(0x7F, 0xA0), *_BIDI, *_SEPARATORS)

_ESCAPES: dict[str, str] = {
    chr(c): (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE
}
# C0 controls are already escaped by json.dumps; DEL, C1 and bidi are not.
_JSON_ESCAPES: dict[str, str] = {chr(c): f"\\u{c:04x}" for c in _UNSAFE if c >= 0x7F}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(chars: Iterable[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


_JSON_PATTERN = _pattern(_JSON_ESCAPES)


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every control, bidi and separator character written as an escape.

    ``keep`` names characters to leave as they are where the layout needs them (``"\\n"``
    for a block of lines, ``"\\n\\t"`` for a diff of a file)."""
    if text.isprintable():  # (every character escaped is one str.isprintable() refuses)
        return text
    pattern = _PATTERNS.get(keep)
    if pattern is None:
        pattern = _PATTERNS[keep] = _pattern(c for c in _ESCAPES if c not in keep)
    # A regular expression finds the few unsafe characters far faster than str.translate
    # walks every character.
    return pattern.sub(lambda m: _ESCAPES[m.group()], text)


def printable_block(rows: list[str]) -> str:
    """The ``rows`` escaped (:func:`printable`), one a line: a block of many rows (a
    result's claims not eligible, its grants) that holds nothing to escape is joined as it
    is, after one look at it all."""
    # Every character printable() escapes is one str.isprintable() refuses.
    if "".join(rows).isprintable():
        return "\n".join(rows)
    return "\n".join(printable(r) for r in rows)


class _Break(str):
    """The break between lines among a text's pieces (:func:`printable_pieces`), told
    apart from a piece that holds a line break (to escape) by its identity."""


BREAK: str = _Break("\n")


def printable_pieces(pieces: list[str]) -> str:
    """The text of ``pieces`` (its lines apart by :data:`BREAK`), each piece escaped
    (:func:`printable`) but the breaks: the text of its lines escaped one by one (escaping
    is per character)."""
    return "".join([piece if piece is BREAK else printable(piece) for piece in pieces])


# Lines found to hold nothing to escape: explanations repeat many (a clause's quote, a
# provision's line) and a look-up is far cheaper than a search of the line.  Bounded: once
# full, lines are searched as before.
_SAFE: dict[str, None] = {}
_SAFE_MAX = 4096


def printable_lines(lines: list[str]) -> list[str]:
    """:func:`printable` of each line; the lines themselves when none holds a character
    to escape (one search over them all, not one substitution per line)."""
    pattern = _PATTERNS.get("")
    if pattern is None:
        pattern = _PATTERNS[""] = _pattern(_ESCAPES)
    rest = [line for line in lines if line not in _SAFE]
    if not rest:
        return lines
    joined = "".join(rest)
    # Every character to escape is one str.isprintable() refuses (categories Cc, Cf, Zl,
    # Zp), and it tests far faster than the search: a printable text needs no search.
    if joined.isprintable() or pattern.search(joined) is None:
        if len(_SAFE) < _SAFE_MAX:
            _SAFE.update(dict.fromkeys(rest))
        return lines
    return [printable(line) for line in lines]


def json_printable(text: str) -> str:
    """JSON text (as from ``json.dumps``) with DEL, C1 and bidi characters as ``\\uNNNN``.

    Those characters can stand only inside JSON strings, where the escape means the same
    character: ``json.loads`` gives back exactly the same data."""
    return _JSON_PATTERN.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def indented_json(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, character for character, made in
    C: the standard library writes compact JSON in C but indents it in Python, five times
    slower on a service's answer; msgspec indents the compact text, each number and string
    as it is written there; what it cannot read (NaN and Infinity, which ``json`` writes and
    JSON has not; a lone surrogate) is indented by ``json``.  (Not through
    :func:`json_printable`.)

    :raises TypeError: as ``json.dumps``, for a value JSON cannot hold.

    >>> print(indented_json({"金额": "2000000.00", "年度": [2026], "注": None}))
    {
      "金额": "2000000.00",
      "年度": [
        2026
      ],
      "注": null
    }
    """
    compact = json.dumps(data, ensure_ascii=False)
    try:
        return msgspec.json.format(compact, indent=2)
    except (msgspec.DecodeError, UnicodeEncodeError):  # NaN, Infinity; a lone surrogate
        return json.dumps(data, ensure_ascii=False, indent=2)


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes: 2 for a full-width character such as 中,
    0 for a combining mark.  Meant for text already passed through :func:`printable`."""
    width = wcwidth.wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth.wcwidth(ch), 0) for ch in text)
