"""Ids: text exactly as written, never blank, without a control character or white space at
either end (ids compare exactly: ``P1 `` beside ``P1`` would be two items, each paid), of
at most :data:`MAX_ID_LENGTH` characters.  The readers of facts, ledgers and tables refuse
an id that breaks this (:mod:`policyrules.convert_ids`), the JSON Schema too
(:mod:`policyrules.convert_schema`), and so does a grant built in Python
(:class:`~policyrules.runtime.grants.Grant`): :func:`id_fault` says what is wrong, once.
"""

from __future__ import annotations

import re

from ..errors import quoted

__all__ = ["CONTROL", "ID_PATTERN", "MAX_ID_LENGTH", "SPACE", "SPACE_TEXT", "id_fault"]

# An id holds something besides whitespace, no control character, and no white space at its
# start or end (ids compare exactly: `P1 ` beside `P1` would be two products, a one-time award
# paid twice).  Written with explicit classes (no ``\s``, no ``$`` before a control
# character) so the JSON Schema's ``pattern`` means the same in Python's ``re`` and in ECMA
# 262 regexes.
CONTROL = r"\x00-\x1f\x7f-\x9f"
SPACE = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# SPACE's characters themselves (for str.strip, and for SQL patterns, which have no \\u).
SPACE_TEXT = (
    " \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
ID_PATTERN = rf"^(?![\s\S]*[{CONTROL}])(?![{SPACE}]*$)(?![{SPACE}])(?![\s\S]*[{SPACE}]$)"
#: The most characters an id may have (a firm's 统一社会信用代码 has 18, a product's
#: registration number a few dozen): a longer one is a fault of its source (a whole record
#: pasted into the id column), and would make every message and key that holds it long.
#: Counted in characters (code points), as Python's ``len``, DuckDB's and Spark's
#: ``length`` and the JSON Schema's ``maxLength`` count them: not in ``ID_PATTERN``, whose
#: ECMA 262 reading counts UTF-16 units.
MAX_ID_LENGTH = 256

_ID_OK = re.compile(ID_PATTERN)
_CONTROL = re.compile(f"[{CONTROL}]")
_ID_HINT = "give each item the id it has in its own system, e.g. `id: P1`"


def id_fault(text: str) -> tuple[str, str] | None:
    """What is wrong with ``text`` as an id, as (message, hint), or ``None`` if nothing is:
    more than :data:`MAX_ID_LENGTH` characters, a control character (it would print as
    something else), no text but white space, or white space at its start or end."""
    ascii_id = text.isascii() and text.isprintable()  # no control character, no SPACE but " "
    if ascii_id and 0 < len(text) <= MAX_ID_LENGTH and text[0] != " " != text[-1]:
        return None  # the usual id, without the pattern's search (a grant made checks each)
    if len(text) > MAX_ID_LENGTH:
        return f"an id has at most {MAX_ID_LENGTH} characters; {quoted(text)} has more", _ID_HINT
    if _ID_OK.search(text):
        return None
    if _CONTROL.search(text):
        what = "a control character"
    elif bare := text.strip(SPACE_TEXT):
        shown, fixed = quoted(text), quoted(bare)
        return (
            f"an id has white space at its start or end: {shown}",
            f"write {fixed}: ids compare exactly, and {shown} beside {fixed} would be two "
            "items, each paid",
        )
    else:
        what = "no text"
    return (
        f"an id is non-empty text without control characters; {quoted(text)} has {what}",
        _ID_HINT,
    )
