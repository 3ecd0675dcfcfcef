"""The last characters an id may not hold for reading as an ASCII one they are not, as runs
of code points (first, last), and the ASCII each reads as (:mod:`policyrules.runtime.ids`
refuses them, its hint giving the id in ASCII):

- number characters that are no decimal digit (Unicode categories ``No`` and ``Nl``):
  circled and parenthesised digits ``① ⑴ ⒈``, super- and subscripts ``² ₂``, fractions
  ``½``, Roman numerals ``Ⅻ``, ``〇`` (U+3007 IDEOGRAPHIC NUMBER ZERO), the Hangzhou
  numerals ``〡``-``〩``.  ``P①`` reads as ``P1`` but is another product.  The ideographs
  that write numbers (``一 二 零``) are letters (``Lo``), taken: ``〇`` is refused for it
  reads as a ``0`` or an ``O``, and an id's zero is ASCII's (``二〇二五`` beside ``二零二五``
  would be two items, as ``P〇1`` beside ``P01``).
- every letter (categories ``L*``) of the Greek, Cyrillic and Coptic blocks: Cyrillic ``А Р
  О С``, Greek ``Α Ρ``, whose shapes are Latin ``A P O C``: ``РЗ`` reads as ``P3``.  No
  Chinese registry's id holds one (a 统一社会信用代码 is ASCII digits and capitals, a
  product's or project's number ASCII and Han); refusing the scripts, not only their
  letters that look Latin, keeps one rule in Python, the JSON Schema and SQL (the sets of
  lookalikes differ by font and by Unicode version of TR39's ``confusables.txt``), and
  refuses ``Д1`` too, which only a keyboard set to Russian writes.  Other scripts are taken:
  their letters do not pass for Latin ones (Han, kana, Hangul, and Arabic, Tibetan or
  Mongolian in a firm's name given as its id).

Their ASCII readings (:data:`READINGS`): a number's by NFKC where that is ASCII (``①`` is
``1``, ``⑴`` ``(1)``, ``⒈`` ``1.``, ``²`` ``2``, ``Ⅻ`` ``XII``), else by its value where it
is whole (``〇`` is ``0``, ``〥`` ``5``; ``½`` has none); a letter's by TR39's confusables
(``confusables.txt``) where its prototype is one ASCII letter or digit (``Р`` is ``P``,
``З`` ``3``, ``α`` ``a``), but capital iota, Cyrillic ``І`` and the palochka ``Ӏ`` as ``I``
(TR39 reads every capital I as ``l``); ``Д`` has none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = ["FOREIGN_LETTER_RANGES", "NUMBER_FORM_RANGES", "READINGS", "code_runs"]


def code_runs(codes: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Ascending ``codes`` as runs (first, last)."""
    runs: list[list[int]] = []
    for c in codes:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return tuple((a, b) for a, b in runs)


# Unicode 14.0.0's No and Nl (Python 3.11's), written out: read from unicodedata they take
# some 300 ms at every start (tests/unit/test_ids_number_forms.py reads them again).
_NUMBER_FORMS_14 = (
    (0x00B2, 0x00B3), (0x00B9, 0x00B9), (0x00BC, 0x00BE), (0x09F4, 0x09F9), (0x0B72, 0x0B77),
    (0x0BF0, 0x0BF2), (0x0C78, 0x0C7E), (0x0D58, 0x0D5E), (0x0D70, 0x0D78), (0x0F2A, 0x0F33),
    (0x1369, 0x137C), (0x16EE, 0x16F0), (0x17F0, 0x17F9), (0x19DA, 0x19DA), (0x2070, 0x2070),
    (0x2074, 0x2079), (0x2080, 0x2089), (0x2150, 0x2182), (0x2185, 0x2189), (0x2460, 0x249B),
    (0x24EA, 0x24FF), (0x2776, 0x2793), (0x2CFD, 0x2CFD), (0x3007, 0x3007), (0x3021, 0x3029),
    (0x3038, 0x303A), (0x3192, 0x3195), (0x3220, 0x3229), (0x3248, 0x324F), (0x3251, 0x325F),
    (0x3280, 0x3289), (0x32B1, 0x32BF), (0xA6E6, 0xA6EF), (0xA830, 0xA835), (0x10107, 0x10133),
    (0x10140, 0x10178), (0x1018A, 0x1018B), (0x102E1, 0x102FB), (0x10320, 0x10323),
    (0x10341, 0x10341), (0x1034A, 0x1034A), (0x103D1, 0x103D5), (0x10858, 0x1085F),
    (0x10879, 0x1087F), (0x108A7, 0x108AF), (0x108FB, 0x108FF), (0x10916, 0x1091B),
    (0x109BC, 0x109BD), (0x109C0, 0x109CF), (0x109D2, 0x109FF), (0x10A40, 0x10A48),
    (0x10A7D, 0x10A7E), (0x10A9D, 0x10A9F), (0x10AEB, 0x10AEF), (0x10B58, 0x10B5F),
    (0x10B78, 0x10B7F), (0x10BA9, 0x10BAF), (0x10CFA, 0x10CFF), (0x10E60, 0x10E7E),
    (0x10F1D, 0x10F26), (0x10F51, 0x10F54), (0x10FC5, 0x10FCB), (0x11052, 0x11065),
    (0x111E1, 0x111F4), (0x1173A, 0x1173B), (0x118EA, 0x118F2), (0x11C5A, 0x11C6C),
    (0x11FC0, 0x11FD4), (0x12400, 0x1246E), (0x16B5B, 0x16B61), (0x16E80, 0x16E96),
    (0x1D2E0, 0x1D2F3), (0x1D360, 0x1D378), (0x1E8C7, 0x1E8CF), (0x1EC71, 0x1ECAB),
    (0x1ECAD, 0x1ECAF), (0x1ECB1, 0x1ECB4), (0x1ED01, 0x1ED2D), (0x1ED2F, 0x1ED3D),
    (0x1F100, 0x1F10C),
)  # fmt: skip


def _read_number_forms() -> tuple[tuple[int, int], ...]:
    """No and Nl of another Unicode version, from the planes that hold characters (0-3, 14)."""
    planes = (range(0x80, 0x40000), range(0xE0000, 0xF0000))
    return code_runs(c for r in planes for c in r if unicodedata.category(chr(c)) in ("No", "Nl"))


#: The number characters that are no decimal digit (categories No and Nl) of the running
#: Python's ``unicodedata``: ``① ⑴ ⒈ ² ₂ ½ Ⅻ 〇``...; astral ones too (Aegean numbers,
#: counting rods, ``🄁`` DIGIT ZERO COMMA).
NUMBER_FORM_RANGES = (
    _NUMBER_FORMS_14 if unicodedata.unidata_version == "14.0.0" else _read_number_forms()
)

# The blocks Greek and Coptic, Cyrillic, Cyrillic Supplement, Cyrillic Extended-C, Greek
# Extended, Coptic, Cyrillic Extended-B and (Unicode 15) Cyrillic Extended-D.
_BLOCKS = (
    (0x0370, 0x03FF), (0x0400, 0x052F), (0x1C80, 0x1C8F), (0x1F00, 0x1FFF), (0x2C80, 0x2CFF),
    (0xA640, 0xA69F), (0x1E030, 0x1E08F),
)  # fmt: skip
#: The letters (categories Lu, Ll, Lt, Lm, Lo) of the Greek, Cyrillic and Coptic blocks, of
#: the running Python's ``unicodedata`` (a few hundred code points: read at every start).
FOREIGN_LETTER_RANGES = code_runs(
    c for a, b in _BLOCKS for c in range(a, b + 1) if unicodedata.category(chr(c))[0] == "L"
)

# TR39's confusables.txt: the Greek, Cyrillic and Coptic letters whose prototype is one ASCII
# letter or digit, each before the ASCII it reads as (Ι І Ӏ Ⲓ as I, where TR39 has l).
_LOOK = (
    "ͺi ͿJ ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX αa γy ιi νv οo ρp σo υu ϒY ϜF Ϩ2 ϱp "
    "ϲc ϳj ϹC ϺM ЅS ІI ЈJ АA ВB ЕE З3 КK МM НH ОO РP СC ТT УY ХX Ьb аa б6 гr еe оo рp сc "
    "уy хx ѕs іi јj ѡw ѴV ѵv ҮY үy һh ҽe ӀI ӏi Ӡ3 ԁd ԌG ԛq ԜW ԝw ⲅr ⲎH ⲒI ⲔK ⲘM ⲚN ⲞO ⲟo "
    "ⲢP ⲣp ⲤC ⲥc ⲦT ⲨY ⲬX Ⳋ9 Ⳍ3 ⳐL Ⳓ6 Ꙅ2 ꙇi"
)


def _number_reading(ch: str) -> str | None:
    """The ASCII a number character reads as: NFKC where that is ASCII, else its whole value."""
    nfkc = unicodedata.normalize("NFKC", ch)
    if nfkc.isascii() and nfkc.isprintable() and nfkc.strip():
        return nfkc
    value = unicodedata.numeric(ch, None)
    if value is not None and value >= 0 and value == int(value):
        return str(int(value))
    return None


_NUMBERS = (chr(c) for a, b in NUMBER_FORM_RANGES for c in range(a, b + 1))
#: Each character of :data:`NUMBER_FORM_RANGES` and :data:`FOREIGN_LETTER_RANGES` that reads
#: as ASCII, by code point, with the ASCII it reads as (a table for ``str.translate``).
READINGS: dict[int, str] = {
    ord(ch): read for ch in _NUMBERS if (read := _number_reading(ch)) is not None
} | {ord(pair[0]): pair[1] for pair in _LOOK.split()}
