"""``ids_ok`` (one scan of all ids) agrees with ``convert_id`` (one search per id).

``check_ids`` takes the facts' ids at once when ``ids_ok`` says every one is text that
``convert_id`` takes as it is; otherwise it asks ``convert_id`` id by id.  Over sets of
text drawn mostly from spaces, control characters and NUL (the joining character), sets
holding an int, and ids of 256 and 257 characters (the most an id may have, and one more):
``ids_ok`` is true exactly when every id is text ``convert_id`` accepts.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policyrules.convert import ValueRefused
from policyrules.convert_ids import convert_id, ids_ok

_CHARS = st.sampled_from(
    [" ", "\u3000", "\u2005", "\ufeff", "\x00", "\x1f", "\x85", "\n", "P", "1", "产"]
)
_TEXT = st.text(_CHARS, max_size=4)


def _accepted(ident: object) -> bool:
    try:
        convert_id(ident)
    except ValueRefused:
        return False
    return isinstance(ident, str)


@given(
    st.sets(_TEXT | st.integers(0, 9) | st.sampled_from(["P1", "P" * 256, "P" * 257]), max_size=5)
)
def test_ids_ok_is_convert_id_on_each(ids: set[object]) -> None:
    assert ids_ok(ids) == (bool(ids) and all(_accepted(i) for i in ids))


def test_ids_ok_examples() -> None:
    assert ids_ok({"P1", "firm 2", "产品"})
    assert not ids_ok({"P1", " \u3000"})  # blank
    assert not ids_ok({"P1", ""})  # empty
    assert not ids_ok({"P\x001"})  # a NUL inside, not taken for a separator
    assert not ids_ok({"P1", 7})  # an int: convert_id spells it
    assert not ids_ok({"P1", "P" * 257})  # more than MAX_ID_LENGTH characters
