"""The JSON half of the reading rule (:mod:`policyrules.reading`): exact numbers, no key twice.

Numbers are kept as written (:class:`~policyrules.reading_yaml.JsonNumeral`), ``NaN`` and
``Infinity`` are refused, and a key written twice in one object raises :class:`DuplicateKey`,
which :func:`policyrules.reading.parse_text` places.  The unchecked fast path (msgspec) is for
readers that check keys and depth themselves.  Callers import the public names from
:mod:`policyrules.reading`.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import msgspec

from .bounds import Limits, check_json_depth, json_skeleton
from .bounds_items import check_items, may_exceed
from .errors import quoted
from .reading_yaml import JsonNumeral

__all__ = ["DuplicateKey", "decode_json_unchecked", "json_pairs", "load_json", "spelled"]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


class DuplicateKey(ValueError):
    """A key written twice in one JSON object (``key``)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the key {quoted(key)} appears twice")
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key written twice (``json`` would keep the last silently)."""
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return out


_JSON = json.JSONDecoder(
    parse_int=JsonNumeral,
    parse_float=JsonNumeral,
    parse_constant=_refuse_constant,
    object_pairs_hook=_json_object,
)


_JSON_UNCHECKED = json.JSONDecoder(
    parse_int=JsonNumeral, parse_float=JsonNumeral, parse_constant=_refuse_constant
)


# msgspec's decoder (C, about 1.5x as fast as ``json``'s) gives each JSON number with a
# fraction or an exponent to ``float_hook`` as written, and an integer as an int, whose
# spelling ``str`` gives back: JSON writes integers with no leading zero and no ``+``.  All
# but ``-0``, which becomes 0: a file holding it is read by ``json`` instead.
_FAST_JSON = msgspec.json.Decoder(float_hook=JsonNumeral)
_MINUS_ZERO = re.compile(rb"-0(?![0-9.eE])")  # also in text: "firm-0"


def _minus_zero(raw: bytes) -> bool:
    """Whether the JSON text ``raw`` may hold the number ``-0``: ``-0`` where a value
    starts (after ``[``, ``,`` or ``:`` and white space, or at the start)."""
    for match in _MINUS_ZERO.finditer(raw):
        at = match.start() - 1
        while at >= 0 and raw[at] in _SPACE:
            at -= 1
        if at < 0 or raw[at] in _OPENS or raw[: at + 1] == codecs.BOM_UTF8:
            return True
    return False


_SPACE = frozenset(b" \t\r\n")
_OPENS = frozenset(b"[,:")


def decode_json_unchecked(raw: bytes) -> tuple[Any, int] | None:
    """The data of :func:`read_json_unchecked` and the number of colons, from the bytes
    alone: the text is decoded only where the fast decoder cannot read them (it refuses
    bytes that are not UTF-8 as ``bytes.decode`` does).  ``None`` where :func:`read_data`
    refuses the bytes, or might."""
    try:
        if not _minus_zero(raw):
            body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
            data = _FAST_JSON.decode(body)
        else:
            data = _JSON_UNCHECKED.decode(raw.decode("utf-8-sig"))
    except (msgspec.DecodeError, ValueError, RecursionError):  # UnicodeDecodeError too
        return None
    return data, raw.count(b":")


def spelled(value: Any) -> Any:
    """``value`` (data from :func:`read_json_unchecked`) with each int, in lists and
    mappings too, the ``JsonNumeral`` of its spelling, as :func:`read_data` reads it;
    lists and mappings holding one are new.  ``ValueError`` for an int of more digits
    than Python spells (``sys.get_int_max_str_digits``)."""
    kind = type(value)
    if kind is int:
        return JsonNumeral(value)
    if kind is list:
        return [spelled(v) for v in value]
    if kind is dict:
        return {k: spelled(v) for k, v in value.items()}
    return value


def json_pairs(raw: bytes) -> int:
    """How many key: value pairs the valid JSON text ``raw`` (UTF-8) holds: its colons
    outside strings."""
    return json_skeleton(raw).count(b":")


def load_json(text: str, limits: Limits, raw: bytes | None) -> Any:
    data = _JSON.decode(text)
    raw = text.encode("utf-8", "surrogatepass") if raw is None else raw
    check_json_depth(raw, data, limits)
    if may_exceed(raw.count(b","), limits):
        check_items(data, limits)
    return data
