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
- every letter (categories ``L*``) of the Greek, Cyrillic, Coptic, Armenian, Cherokee and
  Lisu blocks: Cyrillic ``А Р О С``, Greek ``Α Ρ``, Armenian ``Օ Ս``, Cherokee ``Ꭺ Ꮲ``, Lisu
  ``ꓮ ꓑ``, whose shapes are Latin ``A P O C O U A P A P``: ``РЗ`` reads as ``P3``.  No
  Chinese registry's id holds one (a 统一社会信用代码 is ASCII digits and capitals, a
  product's or project's number ASCII and Han); refusing the scripts, not only their
  letters that look Latin, keeps one rule in Python, the JSON Schema and SQL (the sets of
  lookalikes differ by font and by Unicode version of TR39's ``confusables.txt``), and
  refuses ``Д1`` too, which only a keyboard set to Russian writes.  Other scripts are taken:
  their letters do not pass for Latin ones (Han, kana, Hangul, and Arabic, Tibetan or
  Mongolian in a firm's name given as its id).
- the letters and symbols that Unicode's compatibility form (NFKC) writes as ASCII letters
  or digits, but for the numbers above and the full-width forms: the mathematical letters
  ``𝐏 𝑃 𝒫 ℙ`` (copied from styled text), the circled and parenthesised letters ``Ⓟ ⒫``,
  the modifier letters ``ᴾ ⁿ``, the ligatures ``ﬁ``, ``K`` (U+212A KELVIN SIGN), ``™ № ㎏
  ㎡``.  ``𝐏1`` reads as ``P1``; ``㎡`` in a plot's number is written ``m2`` by a registry.

Their ASCII readings (:data:`READINGS`): a number's by NFKC where that is ASCII (``①`` is
``1``, ``⑴`` ``(1)``, ``⒈`` ``1.``, ``²`` ``2``, ``Ⅻ`` ``XII``), else by its value where it
is whole (``〇`` is ``0``, ``〥`` ``5``; ``½`` has none); a letter's by TR39's confusables
(``confusables.txt``) where its prototype is one ASCII letter or digit (``Р`` is ``P``,
``З`` ``3``, ``α`` ``a``), but capital iota, Cyrillic ``І`` and the palochka ``Ӏ`` as ``I``
(TR39 reads every capital I as ``l``); ``Д`` has none; a compatibility form's by NFKC
(``𝐏`` is ``P``, ``™`` ``TM``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = [
    "COMPAT_LETTER_RANGES",
    "FOREIGN_LETTER_RANGES",
    "NUMBER_FORM_RANGES",
    "READINGS",
    "code_runs",
]


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
# Extended, Coptic, Cyrillic Extended-B and (Unicode 15) Cyrillic Extended-D; Armenian,
# Cherokee, Cherokee Supplement, Lisu and Lisu Supplement (TR39's confusables.txt reads 37
# Cherokee, 26 Lisu and 13 Armenian letters as one Latin letter or digit: Ꭺ A, ꓑ P, Օ O).
_BLOCKS = (
    (0x0370, 0x03FF), (0x0400, 0x052F), (0x0530, 0x058F), (0x13A0, 0x13FF), (0x1C80, 0x1C8F),
    (0x1F00, 0x1FFF), (0x2C80, 0x2CFF), (0xA4D0, 0xA4FF), (0xA640, 0xA69F), (0xAB70, 0xABBF),
    (0x11FB0, 0x11FBF), (0x1E030, 0x1E08F),
)  # fmt: skip
#: The letters (categories Lu, Ll, Lt, Lm, Lo) of the Greek, Cyrillic, Coptic, Armenian,
#: Cherokee and Lisu blocks, of
#: the running Python's ``unicodedata`` (a few hundred code points: read at every start).
FOREIGN_LETTER_RANGES = code_runs(
    c for a, b in _BLOCKS for c in range(a, b + 1) if unicodedata.category(chr(c))[0] == "L"
)

# Unicode 14.0.0's compatibility forms of ASCII letters and digits (as COMPAT_LETTER_RANGES
# says), written out: read from unicodedata they take some 700 ms.
_COMPAT_14 = (
    (0x00AA, 0x00AA), (0x00BA, 0x00BA), (0x0132, 0x0133), (0x017F, 0x017F), (0x01C7, 0x01CC),
    (0x01F1, 0x01F3), (0x02B0, 0x02B0), (0x02B2, 0x02B3), (0x02B7, 0x02B8), (0x02E1, 0x02E3),
    (0x1D2C, 0x1D2C), (0x1D2E, 0x1D2E), (0x1D30, 0x1D31), (0x1D33, 0x1D3A), (0x1D3C, 0x1D3C),
    (0x1D3E, 0x1D43), (0x1D47, 0x1D49), (0x1D4D, 0x1D4D), (0x1D4F, 0x1D50), (0x1D52, 0x1D52),
    (0x1D56, 0x1D58), (0x1D5B, 0x1D5B), (0x1D62, 0x1D65), (0x1D9C, 0x1D9C), (0x1DA0, 0x1DA0),
    (0x1DBB, 0x1DBB), (0x2071, 0x2071), (0x207F, 0x207F), (0x2090, 0x2093), (0x2095, 0x209C),
    (0x20A8, 0x20A8), (0x2100, 0x2102), (0x2105, 0x2106), (0x210A, 0x210E), (0x2110, 0x2113),
    (0x2115, 0x2116), (0x2119, 0x211D), (0x2120, 0x2122), (0x2124, 0x2124), (0x2128, 0x2128),
    (0x212A, 0x212A), (0x212C, 0x212D), (0x212F, 0x2131), (0x2133, 0x2134), (0x2139, 0x2139),
    (0x213B, 0x213B), (0x2145, 0x2149), (0x249C, 0x24E9), (0x2C7C, 0x2C7D), (0x3250, 0x3250),
    (0x32CC, 0x32CF), (0x3371, 0x337A), (0x3380, 0x3381), (0x3383, 0x338B), (0x338E, 0x3394),
    (0x3396, 0x339A), (0x339C, 0x33A6), (0x33A9, 0x33AD), (0x33B0, 0x33B1), (0x33B3, 0x33B5),
    (0x33B7, 0x33BB), (0x33BD, 0x33BF), (0x33C2, 0x33C5), (0x33C7, 0x33DD), (0x33FF, 0x33FF),
    (0xA7F2, 0xA7F4), (0xFB00, 0xFB06), (0x107A5, 0x107A5), (0x1D400, 0x1D454),
    (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6),
    (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C3),
    (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514), (0x1D516, 0x1D51C),
    (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544), (0x1D546, 0x1D546),
    (0x1D54A, 0x1D550), (0x1D552, 0x1D6A3), (0x1F110, 0x1F129), (0x1F12B, 0x1F12E),
    (0x1F130, 0x1F14F), (0x1F16A, 0x1F16C), (0x1F190, 0x1F190),
)  # fmt: skip


def _compat(c: int) -> bool:
    """Whether NFKC writes ``chr(c)`` (beyond ASCII, no number, no full-width form) as ASCII
    holding a letter or digit."""
    ch = chr(c)
    nfkc = unicodedata.normalize("NFKC", ch)
    return (
        nfkc != ch
        and nfkc.isascii()
        and any(map(str.isalnum, nfkc))
        and unicodedata.category(ch) not in ("Nd", "No", "Nl")
        and not 0xFF01 <= c <= 0xFF5E
    )


def _read_compat() -> tuple[tuple[int, int], ...]:
    """The compatibility forms of ASCII letters of another Unicode version."""
    planes = (range(0x80, 0x40000), range(0xE0000, 0xF0000))
    return code_runs(c for r in planes for c in r if _compat(c))


#: The letters and symbols beyond ASCII that NFKC writes as ASCII holding a letter or digit,
#: the number characters and the full-width forms aside: ``𝐏 ℙ Ⓟ ᴾ ﬁ K ™ ㎏``, of the
#: running Python's ``unicodedata`` (1,019 in Unicode 14.0.0).
COMPAT_LETTER_RANGES = _COMPAT_14 if unicodedata.unidata_version == "14.0.0" else _read_compat()

# TR39's confusables.txt: the Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu letters
# whose prototype is one ASCII letter or digit, each before the ASCII it reads as (Ι І Ӏ Ⲓ ꓲ
# as I, where TR39 has l).
_LOOK = (
    "ͺi ͿJ ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX αa γy ιi νv οo ρp σo υu ϒY ϜF Ϩ2 ϱp "
    "ϲc ϳj ϹC ϺM ЅS ІI ЈJ АA ВB ЕE З3 КK МM НH ОO РP СC ТT УY ХX Ьb аa б6 гr еe оo рp сc "
    "уy хx ѕs іi јj ѡw ѴV ѵv ҮY үy һh ҽe ӀI ӏi Ӡ3 ԁd ԌG ԛq ԜW ԝw ⲅr ⲎH ⲒI ⲔK ⲘM ⲚN ⲞO ⲟo "
    "ⲢP ⲣp ⲤC ⲥc ⲦT ⲨY ⲬX Ⳋ9 Ⳍ3 ⳐL Ⳓ6 Ꙅ2 ꙇi "
    # Armenian, Cherokee (capital and small), Lisu
    "ՍU ՏS ՕO աw գq զq հh ոn ռn սu ցg քf օo "
    "ᎠD ᎡR ᎢT Ꭵi ᎩY ᎪA ᎫJ ᎬE ᎳW ᎷM ᎻH ᎽY ᏀG Ꮒh ᏃZ Ꮞ4 Ꮟb ᏒR ᏔW ᏕS ᏙV ᏚS ᏞL ᏟC ᏢP ᏦK Ꮷd Ꮾ6 "
    "ᏳG ᏴB ꭵi ꮁr ꮃw ꮓz ꮩv ꮪs ꮯc "
    "ꓐB ꓑP ꓒd ꓓD ꓔT ꓖG ꓗK ꓙJ ꓚC ꓜZ ꓝF ꓟM ꓠN ꓡL ꓢS ꓣR ꓦV ꓧH ꓪW ꓫX ꓬY ꓮA ꓰE ꓲI ꓳO ꓴU"
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
_COMPATS = (chr(c) for a, b in COMPAT_LETTER_RANGES for c in range(a, b + 1))
#: Each character of :data:`NUMBER_FORM_RANGES`, :data:`FOREIGN_LETTER_RANGES` and
#: :data:`COMPAT_LETTER_RANGES` that reads as ASCII, by code point, with the ASCII it reads
#: as (a table for ``str.translate``).
READINGS: dict[int, str] = {
    ord(ch): read for ch in _NUMBERS if (read := _number_reading(ch)) is not None
}
READINGS |= {ord(pair[0]): pair[1] for pair in _LOOK.split()}
READINGS |= {ord(ch): unicodedata.normalize("NFKC", ch) for ch in _COMPATS}
