"""Every reader of ids takes the same ones: ``id_fault`` (Python: facts, ledgers, grants),
``ids_ok`` (one scan of the ids joined), the JSON Schema's id (its ``pattern`` and lengths,
for ids of the BMP: beyond it the reader alone refuses an invisible character) and DuckDB's
``id_problem`` (registry tables; Spark runs the same SQL).  Over text drawn mostly from
invisible characters (category Cf, of the BMP and beyond), white space (U+FEFF among it),
control characters, line breaks, digits of other scripts (category Nd, of the BMP and
beyond), number characters that are no digit (No, Nl: ``① ² ½ Ⅻ 〇``, of the BMP and
beyond), Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu letters and others (Han, kana,
Arabic, ``µ``), styled
letters (``𝐏 ℙ Ⓟ ™``),
full-width letters, digits and marks and letters, and ids of 256 and 257 characters: each
takes exactly the ids the rule, stated from ``unicodedata`` and the Unicode blocks, takes
(no character of category Cc, Cf, Zl, Zp, Nd but ASCII's digits, No or Nl, no letter of the
Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu blocks, no character but ASCII that NFKC
writes as ASCII holding
a letter or digit, no full-width form of an ASCII letter or of ``- . / _``,
no white space at either end, 1 to 256 characters)."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterator

import duckdb
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.convert_ids import ids_ok
from policyrules.convert_schema import ID_SCHEMA
from policyrules.runtime.ids import SPACE_TEXT, id_fault
from policyrules.tables import id_problem

_CHARS = st.sampled_from(
    [
        *"P1产 \u3000\u00a0\ufeff\x00\x1f\x85",
        *"\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u202e\u2060\u2066\ufff9",
        *"\U000110bd\U0001d173\U000e0001\U000e0020\U000e007f\U00010000\U0001f600",
        *"\u2028\u2029٠۹०０ＰｚＺ－．／＿（）·、\U0001d7ce\U0001d7ff\U0001e950\U000104a9",
        *"①⑴⒈²₂½¼Ⅻ〇〥零\U00010107\U0001f101АРОСДΑΡᾳ\u0483ⲞꙄカبµℙⓅ™㎡ᴾﬁ\U0001d40f",
    ]
)
_IDS = (
    st.text(_CHARS, max_size=5)
    | st.text(max_size=4)
    | st.sampled_from(["P" * 256, "P" * 257, "P" * 255 + "\u200b", "P" * 256 + "\u200b"])
)
_SCHEMA = jsonschema.Draft202012Validator(ID_SCHEMA)


_PROBLEM = f"SELECT {id_problem('CAST($1 AS VARCHAR)')}"


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        yield con


# The full-width forms of an ASCII letter, digit or id mark (- . / _): the ASCII one + 0xFEE0.
_WIDE = {chr(ord(c) + 0xFEE0) for c in "-./_0123456789" + string.ascii_letters}
# The blocks Greek and Coptic to Cyrillic Supplement, Cyrillic Extended-C, Greek Extended,
# Coptic, Cyrillic Extended-B and -D: their letters are refused.
_BLOCKS = ((0x0370, 0x052F), (0x1C80, 0x1C8F), (0x1F00, 0x1FFF), (0x2C80, 0x2CFF),
           (0xA640, 0xA69F), (0x1E030, 0x1E08F))  # fmt: skip


def _lookalike(c: str) -> bool:
    """Whether ``c`` reads as an ASCII character it is not."""
    if c in _WIDE or (c.isdecimal() and not c.isascii()):
        return True
    if unicodedata.category(c) in ("No", "Nl"):
        return True
    if any(a <= ord(c) <= b for a, b in _BLOCKS) and unicodedata.category(c).startswith("L"):
        return True
    nfkc = unicodedata.normalize("NFKC", c)  # a styled letter: 𝐏 ℙ Ⓟ ™
    return not c.isascii() and nfkc.isascii() and any(map(str.isalnum, nfkc))


def _is_id(text: str) -> bool:
    unseen = any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)
    lookalike = any(map(_lookalike, text))
    return 0 < len(text) <= 256 and text.strip(SPACE_TEXT) == text and not unseen and not lookalike


@settings(max_examples=3 * settings().max_examples)  # each a DuckDB query: cheap
@given(_IDS)
def test_the_readers_take_the_same_ids(con: duckdb.DuckDBPyConnection, ident: str) -> None:
    ok = id_fault(ident) is None
    assert ok == _is_id(ident)
    assert ids_ok([ident]) == ok
    if max(map(ord, ident), default=0) <= 0xFFFF:
        assert _SCHEMA.is_valid(ident) == ok
    row = con.execute(_PROBLEM, [ident]).fetchone()
    assert row is not None
    assert (row[0] is None) == ok, row[0]
