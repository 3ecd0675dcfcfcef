"""Ids and whole numbers as data files and Python give them: an id is text exactly as
written (a number from a file by its spelling), never blank, without a control character, an
invisible one (U+200B ZERO WIDTH SPACE...), a line break (U+2028...), a full-width Latin
letter, digit or mark (``０７０１``, ``P－1``), a digit of another script (``٠٧٠١``), a number
character that is no digit (``P①``, ``〇``), a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu
letter (``Р1``) or
white space at either end (ids compare exactly: ``P1 `` beside ``P1``, or ``０７０１`` or
``٠٧٠١`` beside ``0701``, would be two items, each paid), and of at most
:data:`~policyrules.convert_patterns.MAX_ID_LENGTH` (256) characters; a ledger's year a
whole number written plainly."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from .convert import ValueRefused, kind_of
from .convert_patterns import CONTROL, INVISIBLE, LINE_BREAK, LOOKALIKE, MAX_ID_LENGTH, SPACE
from .errors import int_text, int_writable, quoted
from .reading import Numeral
from .runtime.ids import id_fault

__all__ = ["MAX_ID_LENGTH", "convert_id", "ids_ok", "whole_number"]

_WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})", re.ASCII)
# A control or invisible character, a line break or a character read as an ASCII one it is
# not (a full-width letter, digit or mark, a digit of another script, ①, a Cyrillic Р)
# anywhere (U+FEFF, U+2028 too: at an end they are white space, refused).
_ANY_UNSEEN = re.compile(f"[{CONTROL}{LINE_BREAK}{LOOKALIKE}{INVISIBLE}]")
_LOOKALIKE = re.compile(f"[{LOOKALIKE}]")
# Between NULs (the ids joined): an id empty, or with white space at its start or end.
_BLANK_ID = re.compile(rf"(?:\A|\x00)(?:[{SPACE}]|\x00|\Z)|[{SPACE}](?:\x00|\Z)")


def _too_long(v: int) -> ValueRefused:
    """The refusal of an id given as an int from Python of more than :data:`MAX_ID_LENGTH`
    digits, quoting it as an excerpt (text: :func:`~policyrules.runtime.ids.id_fault`)."""
    return ValueRefused(
        f"an id has at most {MAX_ID_LENGTH} characters; {quoted(v)} has more",
        hint="give each item the id it has in its own system, e.g. `id: P1`",
    )


def ids_ok(ids: Collection[Any]) -> bool:
    """Whether :func:`convert_id` takes every one of ``ids`` as it is (text of at most
    :data:`MAX_ID_LENGTH` characters, no control or invisible character, line break,
    full-width letter, digit or mark, digit of another script, number character that is no
    digit or Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter, not blank, no white space
    at either end): a
    few scans of
    their joined text, not a search per id.  ``False`` says only that some id needs
    :func:`convert_id` (an int, or one it refuses)."""
    try:
        text = "".join(ids)
    except TypeError:
        return False
    # Printable text holds no control or invisible character and no line break, but may hold
    # the LOOKALIKE characters (printable ASCII holds none): most ids take no search.
    if not text.isprintable():
        if _ANY_UNSEEN.search(text):
            return False
    elif not text.isascii() and _LOOKALIKE.search(text):
        return False
    if max(map(len, ids), default=0) > MAX_ID_LENGTH:
        return False
    # No id holds a NUL now: joined by NULs, a blank id is a run of spaces between two.
    return bool(ids) and _BLANK_ID.search("\x00".join(ids)) is None


def convert_id(v: Any) -> str:
    """An id as text exactly as written: text, a number from a file (its spelling), or an
    int from Python.  ``ValueRefused`` for anything else, for empty or all-whitespace text,
    for text with a control character (it would print as something else), a line break (it
    would forge a line), an invisible one (it would print as the id without it), a
    full-width Latin letter, digit or mark, a digit of another script, a number character
    that is no digit or a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter (it would be
    another id than the
    one it reads as), and for an id of more than :data:`MAX_ID_LENGTH`
    characters."""
    if isinstance(v, str):
        fault = id_fault(v)
        if fault is not None:
            raise ValueRefused(fault[0], hint=fault[1])
        return str(v)
    if isinstance(v, int) and not isinstance(v, bool):
        if not int_writable(v):
            raise ValueRefused(f"an id is text, not {int_text(v)}", hint="give the id as text")
        text = str(v)
        if len(text) > MAX_ID_LENGTH:
            raise _too_long(v)
        return text
    raise ValueRefused(f"an id is text, not {kind_of(v)}")


def whole_number(v: Any) -> Any:
    """A whole number written plainly (``2026`` in YAML or JSON) as an int; anything else
    unchanged, for the caller to refuse (a ledger's ``year``)."""
    if isinstance(v, Numeral) and _WHOLE_NUMBER.fullmatch(v):
        return int(v)
    return v
