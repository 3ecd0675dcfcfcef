"""The facts reader's fast paths decide exactly as the general rules do: a converter
specialised for a type gives what ``convert_value`` gives (the same value, or the same
refusal with the same message, code and hint), and the depth bound read from a JSON text
refuses exactly the data the walk over the values refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules.bounds import Limits, Refused, check_depth, check_json_depth
from policyrules.convert import ValueRefused, convert_value
from policyrules.converters import converter
from policyrules.reading import Limits as ReadingLimits
from policyrules.reading import parse_text, read_scalar
from strategies import compile_text, json_value_texts
from support import typed_firm

POLICY = compile_text(typed_firm("list_: list of money", "set_: set of Authority"))
FACTS = {f.name.removesuffix("_"): f.type for f in POLICY.checked.entities[0].facts}


def _outcome(read: Any, value: Any) -> tuple[str, Any]:
    try:
        return ("value", read(value))
    except ValueRefused as exc:
        return ("refused", (str(exc), exc.code, exc.hint))


def _same(kind: str, value: Any) -> None:
    typ = FACTS[kind]
    fast = _outcome(converter(typ, POLICY.checked), value)
    slow = _outcome(lambda v: convert_value(v, typ, POLICY.checked), value)
    assert fast == slow, f"{kind} {value!r}"
    assert type(fast[1]) is type(slow[1])


@pytest.mark.parametrize("kind", [k for k in FACTS if k not in ("list", "set")])
def test_converter_is_convert_value(kind: str) -> None:
    """Values of each kind and near misses, read from JSON and as YAML scalars."""
    source = "money" if kind == "list" else kind

    @given(json_value_texts(source))
    def check(text: str) -> None:
        value = parse_text(text, "v.json", json_format=True, limits=ReadingLimits())
        _same(kind, value)
        if isinstance(value, str):
            _same(kind, read_scalar(value))  # YAML numerals: 010, 1e3, 12:30

    check()


@given(st.lists(st.sampled_from(["200万元", "12.5 元", "0", "-1", "1e3", "FDA", "XX"]), max_size=4))
def test_list_converters_are_convert_value(items: list[str]) -> None:
    """Lists and sets: item by item, with the index of the first refused item."""
    for kind in ("list", "set"):
        _same(kind, [read_scalar(i) for i in items])
        _same(kind, items)


def test_fast_money_reads_units_exactly() -> None:
    """The issue's shapes: 12.5万元 is 125,000 元 = 12,500,000 fen; 0.05亿 is 500 万元."""
    read = converter(FACTS["money"], POLICY.checked)
    assert read("12.5万元").fen == 12_500_000  # 12.5 x 10,000 元 x 100 fen
    assert read("0.05亿").fen == 500_000_000  # 0.05 x 10^8 元 x 100 fen
    assert read("12.34 元").fen == 1234
    assert read(read_scalar("1200000")).fen == 120_000_000


_SCALARS = st.one_of(
    st.integers(-5, 5),
    st.text(alphabet='ab[]{}"\\\n', max_size=6),
    st.booleans(),
    st.none(),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text('k[{"\\', max_size=3), inner, max_size=3)
    ),
    max_leaves=40,
)


@given(_DATA, st.integers(1, 12))
def test_json_depth_is_the_walked_depth(data: Any, max_depth: int) -> None:
    """Brackets and quotes inside strings, escapes, empty containers: the text's depth
    refuses exactly what the walk over the parsed values refuses, at the same path."""
    limits = Limits(max_depth=max_depth)
    raw = json.dumps(data, ensure_ascii=False).encode()
    parsed = json.loads(raw)

    def refusal(check: Any) -> tuple[str, Any] | None:
        try:
            check()
        except Refused as exc:
            return exc.message, exc.where
        return None

    assert refusal(lambda: check_json_depth(raw, parsed, limits)) == refusal(
        lambda: check_depth(parsed, limits)
    )
