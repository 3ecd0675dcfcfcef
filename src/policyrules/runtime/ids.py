"""Ids: text exactly as written, never blank, without a control character, an invisible
character, a line break, a full-width Latin letter or digit (``０７０１``, ``Ｐ1``), a
full-width ``－ ． ／ ＿``, a digit of another script (``٠٧٠١``), a number character that is no
digit (``① ² 〇 Ⅻ ½``), a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter (``РЗ``,
Cyrillic, reads as
``P3``) or a styled letter (``𝐏1``) inside or white space at either end (ids compare
exactly: ``P1 `` beside ``P1``, or ``０７０１``, ``٠٧٠١`` or ``P①`` beside ``0701`` or ``P1``,
would be two items, each paid), of at most :data:`MAX_ID_LENGTH` characters.
The readers of facts, ledgers and tables refuse an id that breaks this
(:mod:`policyrules.convert_ids`), the JSON Schema too (:mod:`policyrules.convert_schema`),
and so does a grant built in Python (:class:`~policyrules.runtime.grants.Grant`):
:func:`id_fault` says what is wrong, once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from ..errors import quoted
from .ids_lookalike import (
    COMPAT_LETTER_RANGES,
    FOREIGN_LETTER_RANGES,
    NUMBER_FORM_RANGES,
    READINGS,
    code_runs,
)

__all__ = [
    "COMPAT_LETTERS",
    "COMPAT_LETTER_RANGES",
    "CONTROL",
    "FOREIGN_LETTERS",
    "FOREIGN_LETTER_RANGES",
    "FULL_WIDTH",
    "FULL_WIDTH_MARKS",
    "FULL_WIDTH_MARK_RANGES",
    "FULL_WIDTH_RANGES",
    "ID_PATTERN",
    "ID_REGEX",
    "INVISIBLE",
    "INVISIBLE_BMP",
    "INVISIBLE_RANGES",
    "LINE_BREAK",
    "LINE_BREAK_RANGES",
    "LOOKALIKE",
    "LOOKALIKE_RANGES",
    "MAX_ID_LENGTH",
    "NUMBER_FORMS",
    "NUMBER_FORM_RANGES",
    "OTHER_DIGITS",
    "OTHER_DIGITS_BMP",
    "OTHER_DIGIT_RANGES",
    "SPACE",
    "SPACE_TEXT",
    "ascii_form",
    "break_fault",
    "char_name",
    "class_body",
    "compat_fault",
    "full_width_fault",
    "id_fault",
    "invisible_fault",
    "letter_fault",
    "lookalike_fault",
    "number_fault",
    "other_digit_fault",
]


_PLANES = (range(0x40000), range(0xE0000, 0xF0000))


# Unicode 14.0.0's Cf (Python 3.11's), written out: read from unicodedata they take some 60 ms
# at every start (tests/unit/test_ids_invisible.py reads them again from every code point).
_CF_14 = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip


def _read_cf() -> tuple[tuple[int, int], ...]:
    """Cf of another Unicode version, read from the planes that hold characters (0-3 and 14;
    4-13 are unassigned, 15-16 private use)."""
    return code_runs(c for r in _PLANES for c in r if unicodedata.category(chr(c)) == "Cf")


# Unicode 14.0.0's Nd beyond ASCII, written out as the zero of each run of ten (Unicode assigns
# decimal digits only so, 0 to 9 in a row): 640 code points, 61 ranges (U+1D7CE-U+1D7FF, the
# mathematical digits, are five runs of ten in one range).
_ND_ZEROS_14 = (
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
    0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0,
    0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
    0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0,
    0x1E950, 0x1FBF0,
)  # fmt: skip


def _read_nd() -> tuple[tuple[int, int], ...]:
    """Nd beyond ASCII of another Unicode version (``str.isdecimal`` is category Nd)."""
    return code_runs(c for r in _PLANES for c in r if c > 0x7F and chr(c).isdecimal())


def class_body(ranges: Iterable[tuple[int, int]], escape: str) -> str:
    """The body of a regex class of ``ranges``, each code point written by ``escape``."""
    return "".join(escape.format(a) + ("" if a == b else "-" + escape.format(b)) for a, b in ranges)


# An id holds something besides whitespace, no control character, no invisible character, no
# line break, no character read as an ASCII one it is not (LOOKALIKE), and no white space at
# its start or end (ids compare exactly: `P1 ` beside `P1` would be two products, a one-time
# award paid twice).
# Written with explicit classes (no ``\s``, no ``$`` before a control character) so the JSON
# Schema's ``pattern`` means the same in Python's ``re`` and in ECMA 262 regexes.
CONTROL = r"\x00-\x1f\x7f-\x9f"
SPACE = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# SPACE's characters themselves (for str.strip, and for SQL patterns, which have no \\u).
SPACE_TEXT = (
    " \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: The invisible format characters (Unicode category Cf: U+200B ZERO WIDTH SPACE, the
#: joiners, the bidi controls, U+00AD SOFT HYPHEN, U+FEFF, the tags U+E0001...), as runs of
#: code points (first, last), of the running Python's ``unicodedata``.  An id holding one
#: prints as the id without it, and never matches it.
INVISIBLE_RANGES = _CF_14 if unicodedata.unidata_version == "14.0.0" else _read_cf()
INVISIBLE = class_body(INVISIBLE_RANGES, "\\U{:08x}")  # a class body for Python's re
# The BMP's (U+FEFF among them, white space at an end): ECMA 262 without the `u` flag reads a
# class by UTF-16 units, so it cannot name an astral code point (U+E0001), only its
# surrogates.  The JSON Schema's pattern refuses these; the readers all of INVISIBLE.
INVISIBLE_BMP = class_body(((a, b) for a, b in INVISIBLE_RANGES if b <= 0xFFFF), "\\u{:04x}")
#: The characters besides the control characters that break a line (``str.splitlines``
#: breaks on them, and so do editors, log viewers and CSV readers that follow Unicode):
#: U+2028 LINE SEPARATOR (Zl, its only character) and U+2029 PARAGRAPH SEPARATOR (Zp, its
#: only one).  The rest it breaks on (``\n \r \v \f \x1c-\x1e \x85``) are in
#: :data:`CONTROL`.  An id is printed in one-line texts, logs and CSV: a line break inside
#: one forges a line.  As runs of code points (first, last).
LINE_BREAK_RANGES = ((0x2028, 0x2029),)
LINE_BREAK = class_body(LINE_BREAK_RANGES, "\\u{:04x}")  # a class body for re and ECMA 262
#: The full-width Latin digits and letters (U+FF10-U+FF19 ０-９, U+FF21-U+FF3A Ａ-Ｚ,
#: U+FF41-U+FF5A ａ-ｚ), which a Chinese input method in full-width mode writes: ``０７０１``
#: reads as ``0701`` but is another id, so a ledger's grants to ``0701`` would not stop its
#: one-time awards being paid again.  Each is its ASCII letter or digit plus 0xFEE0.  Other
#: full-width forms (``（北京）`` in a firm's name) are ordinary Chinese text, taken.
FULL_WIDTH_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
FULL_WIDTH = class_body(FULL_WIDTH_RANGES, "\\u{:04x}")  # a class body for re and ECMA 262
#: The full-width forms of the marks an id is written with (U+FF0D ``－``, U+FF0E ``．``,
#: U+FF0F ``／``, U+FF3F ``＿``: ``-`` ``.`` ``/`` ``_`` plus 0xFEE0): ``P－1`` reads as
#: ``P-1`` but is another product.  The full-width brackets and the CJK punctuation of a
#: registered name (``（北京）``, ``·``) are ordinary Chinese text, taken.
FULL_WIDTH_MARK_RANGES = ((0xFF0D, 0xFF0F), (0xFF3F, 0xFF3F))
FULL_WIDTH_MARKS = class_body(FULL_WIDTH_MARK_RANGES, "\\u{:04x}")  # for re and ECMA 262
#: The decimal digits (Unicode category Nd) beyond ASCII 0-9, of the running Python's
#: ``unicodedata``: Arabic-Indic ``٠٧٠١``, Extended Arabic-Indic, Devanagari, the
#: mathematical digits U+1D7CE-U+1D7FF (``𝟎𝟕𝟎𝟏``), the full-width ``０``-``９`` too (their
#: message is :func:`full_width_fault`'s).  No Chinese registry's id holds one: ``٠٧٠١``
#: reads as ``0701`` but is another id.  As runs of code points (first, last).
OTHER_DIGIT_RANGES = (
    code_runs(z + d for z in _ND_ZEROS_14 for d in range(10))
    if unicodedata.unidata_version == "14.0.0"
    else _read_nd()
)
OTHER_DIGITS = class_body(OTHER_DIGIT_RANGES, "\\U{:08x}")  # a class body for Python's re
# The BMP's, for ECMA 262 without the `u` flag (as INVISIBLE_BMP): the astral ones (the
# mathematical digits, Osmanya, Adlam...) the readers refuse, not the JSON Schema's pattern.
OTHER_DIGITS_BMP = class_body(((a, b) for a, b in OTHER_DIGIT_RANGES if b <= 0xFFFF), "\\u{:04x}")
#: The number characters that are no decimal digit (``① ⑴ ⒈ ² ₂ ½ Ⅻ 〇``, categories No
#: and Nl) and the Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu letters (``Р``, Cyrillic,
#: reads as ``P``),
#: class bodies for Python's re (:mod:`policyrules.runtime.ids_lookalike` says why).
NUMBER_FORMS = class_body(NUMBER_FORM_RANGES, "\\U{:08x}")
FOREIGN_LETTERS = class_body(FOREIGN_LETTER_RANGES, "\\U{:08x}")
#: The styled and compatibility forms of ASCII letters (``𝐏 ℙ Ⓟ ᴾ ﬁ ™``: NFKC writes them as
#: ASCII), a class body for Python's re.
COMPAT_LETTERS = class_body(COMPAT_LETTER_RANGES, "\\U{:08x}")
#: The runs of code points of every printable character an id may not hold, each read as
#: the ASCII one it is not (astral ones too): for SQL's classes.
LOOKALIKE_RANGES = (
    FULL_WIDTH_RANGES
    + FULL_WIDTH_MARK_RANGES
    + OTHER_DIGIT_RANGES
    + NUMBER_FORM_RANGES
    + FOREIGN_LETTER_RANGES
    + COMPAT_LETTER_RANGES
)
#: A class body (Python's re) of :data:`LOOKALIKE_RANGES`: :data:`FULL_WIDTH`,
#: :data:`FULL_WIDTH_MARKS`, :data:`OTHER_DIGITS`, :data:`NUMBER_FORMS`,
#: :data:`FOREIGN_LETTERS`, :data:`COMPAT_LETTERS`.  Printable ASCII holds none: an ASCII
#: id takes no search.
LOOKALIKE = (
    FULL_WIDTH + FULL_WIDTH_MARKS + OTHER_DIGITS + NUMBER_FORMS + FOREIGN_LETTERS + COMPAT_LETTERS
)


def _bmp(ranges: tuple[tuple[int, int], ...]) -> str:
    """A class body of the BMP's of ``ranges``, for ECMA 262 without the `u` flag."""
    return class_body(((a, b) for a, b in ranges if b <= 0xFFFF), "\\u{:04x}")


def _id_pattern(refused: str) -> str:
    """The pattern of an id, refusing the characters of ``refused`` (a class body) beside
    the control characters, line breaks and full-width forms."""
    return (
        rf"^(?![\s\S]*[{CONTROL}{LINE_BREAK}{FULL_WIDTH}{FULL_WIDTH_MARKS}{refused}])"
        rf"(?![{SPACE}]*$)(?![{SPACE}])(?![\s\S]*[{SPACE}]$)"
    )


# (The BMP's number forms and letters: the astral ones, the Aegean numbers, the counting
# rods, the mathematical letters 𝐏..., the readers refuse, as the astral digits.)
_BMP_LOOKALIKE = _bmp(NUMBER_FORM_RANGES + FOREIGN_LETTER_RANGES + COMPAT_LETTER_RANGES)
ID_PATTERN = _id_pattern(OTHER_DIGITS_BMP + _BMP_LOOKALIKE + INVISIBLE_BMP)
#: :data:`ID_PATTERN` in Python, the astral invisible characters, digits, number forms and
#: letters (``𝐏``) refused too (all but the length): ``ID_REGEX.search(text)`` is not ``None``
#: where ``text`` is an id.
ID_REGEX = re.compile(
    _id_pattern(OTHER_DIGITS + NUMBER_FORMS + FOREIGN_LETTERS + COMPAT_LETTERS + INVISIBLE)
)
#: The most characters an id may have (a firm's 统一社会信用代码 has 18, a product's
#: registration number a few dozen): a longer one is a fault of its source (a whole record
#: pasted into the id column), and would make every message and key that holds it long.
#: Counted in characters (code points), as Python's ``len``, DuckDB's and Spark's
#: ``length`` and the JSON Schema's ``maxLength`` count them: not in ``ID_PATTERN``, whose
#: ECMA 262 reading counts UTF-16 units.
MAX_ID_LENGTH = 256

_CONTROL = re.compile(f"[{CONTROL}]")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_BREAK = re.compile(f"[{LINE_BREAK}]")
_FULL_WIDTH = re.compile(f"[{FULL_WIDTH}{FULL_WIDTH_MARKS}]")
_OTHER_DIGIT = re.compile(f"[{OTHER_DIGITS}]")
_NUMBER_FORM = re.compile(f"[{NUMBER_FORMS}]")
_FOREIGN_LETTER = re.compile(f"[{FOREIGN_LETTERS}]")
_COMPAT_LETTER = re.compile(f"[{COMPAT_LETTERS}]")
_ANY_LOOKALIKE = re.compile(f"[{LOOKALIKE}]")
# Each LOOKALIKE character's ASCII one: a digit's by its value, a full-width form less 0xFEE0.
_DIGITS = (c for a, b in OTHER_DIGIT_RANGES for c in range(a, b + 1))
_WIDE = (c for a, b in FULL_WIDTH_RANGES + FULL_WIDTH_MARK_RANGES for c in range(a, b + 1))
_ASCII: dict[int, int | str] = {c: ord("0") + unicodedata.digit(chr(c)) for c in _DIGITS}
_ASCII |= {c: c - 0xFEE0 for c in _WIDE}
_ASCII |= READINGS  # a number form's, a lookalike letter's (runtime.ids_lookalike)
_ID_HINT = "give each item the id it has in its own system, e.g. `id: P1`"


def char_name(ch: str) -> str:
    """A character as a message names it: ``U+200B ZERO WIDTH SPACE``."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def invisible_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first invisible character (:data:`INVISIBLE`) in ``text``,
    by code point, name and place (counted from 1), the id quoted by ``show``; ``None`` if
    it holds none."""
    found = _INVISIBLE.search(text)
    if found is None:
        return None
    seen = _INVISIBLE.sub("", text)  # what it shows, and most likely the id meant
    return (
        f"an id holds an invisible character, {char_name(found[0])}, at character "
        f"{found.start() + 1}: {show(text)}",
        "remove it: it does not show (it came in with the id, copied from a web page or a "
        "word processor)"
        + (
            f", and ids compare exactly: {show(text)} would never match {show(seen)}"
            if seen
            else ""
        ),
    )


def break_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first line break (:data:`LINE_BREAK`) in ``text``, by code
    point, name and place (counted from 1), the id quoted by ``show``; ``None`` if it holds
    none."""
    found = _BREAK.search(text)
    if found is None:
        return None
    return (
        f"an id holds a line break, {char_name(found[0])}, at character "
        f"{found.start() + 1}: {show(text)}",
        "remove it: an id is printed on one line (messages, logs, CSV), where a line break "
        "inside it starts a line of its own that reads as another record (it came in with "
        "the id, copied from a web page or a word processor)",
    )


def ascii_form(text: str) -> str:
    """``text`` with each character of :data:`LOOKALIKE` written as the ASCII it reads as
    (where it reads as one): ``０７０１``, ``٠٧٠١`` and ``𝟎𝟕𝟎𝟏`` are ``0701``, ``Ｐ－1`` is
    ``P-1``, ``P①`` and ``P¹`` are ``P1``, ``Ⅻ`` is ``XII``, ``РЗ`` (Cyrillic) is ``P3``;
    the rest as it is (``½``, Cyrillic ``Д``).

    >>> ascii_form("0701А")  # a Cyrillic А
    '0701A'
    """
    return text.translate(_ASCII)


def full_width_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first full-width Latin letter or digit (:data:`FULL_WIDTH`)
    or mark (:data:`FULL_WIDTH_MARKS`) in ``text``, by code point, name and place (counted
    from 1), the id quoted by ``show``, the hint giving it in ASCII; ``None`` if it holds
    none."""
    found = _FULL_WIDTH.search(text)
    if found is None:
        return None
    shown, fixed = show(text), show(ascii_form(text))
    what, which = (
        ("letter or digit", "letters and digits")
        if found[0].isalnum()
        else ("punctuation mark", "the marks - . / _")
    )
    return (
        f"an id holds a full-width {what}, {char_name(found[0])}, at character "
        f"{found.start() + 1}: {shown}",
        f"write {fixed} ({which} in half-width ASCII, as an input method writes them in "
        f"half-width mode): ids compare exactly, so {shown} would be another item than "
        f"{fixed} (another firm, another product), its awards paid again",
    )


def other_digit_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first digit of another script (:data:`OTHER_DIGITS`) in
    ``text``, by code point, name and place (counted from 1), the id quoted by ``show``, the
    hint giving it in ASCII; ``None`` if it holds none."""
    found = _OTHER_DIGIT.search(text)
    if found is None:
        return None
    shown, fixed = show(text), show(ascii_form(text))
    return (
        f"an id holds a digit of another script, {char_name(found[0])}, at character "
        f"{found.start() + 1}: {shown}",
        f"write {fixed} (digits in ASCII 0-9, as every Chinese registry writes its ids): ids "
        f"compare exactly, so {shown} would be another item than {fixed} (another firm, "
        "another product), its awards paid again",
    )


def _ascii_hint(text: str, show: Callable[[str], str], how: str) -> str:
    """The hint of an id holding a character of :data:`LOOKALIKE`: the id in ASCII, or,
    where one has no ASCII reading, which."""
    shown, fixed = show(text), ascii_form(text)
    unread = _ANY_LOOKALIKE.search(fixed)
    if unread is None:
        return (
            f"write {show(fixed)} ({how}): ids compare exactly, so {shown} would be another "
            f"item than {show(fixed)} (another firm, another product), its awards paid again"
        )
    return (
        f"write it as its registry does ({how}; {char_name(unread[0])} reads as no ASCII "
        f"letter or digit): ids compare exactly, so {shown} would be another item than the id "
        "it reads as (another firm, another product), its awards paid again"
    )


def number_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first number character that is no decimal digit
    (:data:`NUMBER_FORMS`: ``① ² 〇 Ⅻ ½``) in ``text``, by code point, name and place
    (counted from 1), the id quoted by ``show``, the hint giving it in ASCII where it reads
    as ASCII; ``None`` if it holds none."""
    found = _NUMBER_FORM.search(text)
    if found is None:
        return None
    return (
        f"an id holds a number character that is no digit 0-9 (circled, superscript, Roman, "
        f"a fraction, 〇...), {char_name(found[0])}, at character {found.start() + 1}: "
        f"{show(text)}",
        _ascii_hint(
            text,
            show,
            "ASCII digits and letters, as every Chinese registry writes its ids"
            + ("; among Han numerals, 零 for 〇" if "〇" in text else ""),
        ),
    )


def letter_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu
    letter (:data:`FOREIGN_LETTERS`: ``Р``, Cyrillic, reads as ``P``) in ``text``, by code point,
    name and place (counted from 1), the id quoted by ``show``, the hint giving it in ASCII
    where it reads as ASCII; ``None`` if it holds none."""
    found = _FOREIGN_LETTER.search(text)
    if found is None:
        return None
    return (
        f"an id holds a letter of another script, {char_name(found[0])}, at character "
        f"{found.start() + 1}: {show(text)}",
        _ascii_hint(
            text,
            show,
            "Latin letters, ASCII digits and Han characters, as Chinese registries write ids; "
            "Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu letters are refused, as many "
            "look Latin",
        ),
    )


def compat_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """The (message, hint) of the first styled or compatibility form of ASCII letters
    (:data:`COMPAT_LETTERS`: ``𝐏 ℙ Ⓟ ᴾ ﬁ ™``) in ``text``, by code point, name and place
    (counted from 1), the id quoted by ``show``, the hint giving it in ASCII; ``None`` if it
    holds none."""
    found = _COMPAT_LETTER.search(text)
    if found is None:
        return None
    return (
        f"an id holds a styled or compatibility form of a letter (Unicode writes it as "
        f"ASCII), {char_name(found[0])}, at character {found.start() + 1}: {show(text)}",
        _ascii_hint(text, show, "letters as typed, as every Chinese registry writes its ids"),
    )


def lookalike_fault(text: str, show: Callable[[str], str] = quoted) -> tuple[str, str] | None:
    """:func:`full_width_fault`, :func:`other_digit_fault`, :func:`number_fault`,
    :func:`letter_fault` or else :func:`compat_fault` of ``text`` (the first of
    :data:`LOOKALIKE`'s characters of each kind named, in that order: a full-width digit as
    full-width)."""
    return (
        full_width_fault(text, show)
        or other_digit_fault(text, show)
        or number_fault(text, show)
        or letter_fault(text, show)
        or compat_fault(text, show)
    )


def id_fault(text: str) -> tuple[str, str] | None:
    """What is wrong with ``text`` as an id, as (message, hint), or ``None`` if nothing is:
    more than :data:`MAX_ID_LENGTH` characters, a control character (it would print as
    something else), no text but white space, white space at its start or end, a line
    break (:data:`LINE_BREAK`: it would forge a line where the id is printed), an
    invisible character (:data:`INVISIBLE`: it would print as the id without it), a
    full-width Latin letter, digit or mark (:data:`FULL_WIDTH`, :data:`FULL_WIDTH_MARKS`), a
    digit of another script (:data:`OTHER_DIGITS`), a number character that is no digit
    (:data:`NUMBER_FORMS`), a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter
    (:data:`FOREIGN_LETTERS`) or
    a styled or compatibility form of a letter (:data:`COMPAT_LETTERS`): it would be another
    id than the one it reads as."""
    ascii_id = text.isascii() and text.isprintable()  # no control character, no SPACE but " "
    if ascii_id and 0 < len(text) <= MAX_ID_LENGTH and text[0] != " " != text[-1]:
        return None  # the usual id, without the pattern's search (a grant made checks each)
    if len(text) > MAX_ID_LENGTH:
        return f"an id has at most {MAX_ID_LENGTH} characters; {quoted(text)} has more", _ID_HINT
    if ID_REGEX.search(text):
        return None
    if _CONTROL.search(text):
        what = "a control character"
    elif not (bare := text.strip(SPACE_TEXT)):
        what = "no text"
    elif bare != text:
        shown, fixed = quoted(text), quoted(bare)
        return (
            f"an id has white space at its start or end: {shown}",
            f"write {fixed}: ids compare exactly, and {shown} beside {fixed} would be two "
            "items, each paid",
        )
    else:
        fault = break_fault(text) or invisible_fault(text) or lookalike_fault(text)
        assert fault is not None, text
        return fault
    return (
        f"an id is non-empty text without control characters; {quoted(text)} has {what}",
        _ID_HINT,
    )
