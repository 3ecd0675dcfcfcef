"""Long lists read at once (``policyrules.converters_lists``) give exactly what reading each
item by ``convert_value`` gives: the same values of the same types, or the same refusal
(the item's index, code and hint); and a list of JSON integers read from the ints gives
what reading their spellings gives.  Through a facts file too, JSON and YAML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.convert import ValueRefused, convert_value
from policyrules.converters import ListConverter, converter
from policyrules.converters_lists import LONG
from policyrules.reading import JsonNumeral, YamlNumeral
from strategies import compile_text
from support import typed_firm

POLICY = compile_text(
    typed_firm(
        "ms: list of money",
        "ns: list of number",
        "ts: list of text",
        "es: list of Authority",
        "bs: list of bool",
        "ds: list of date",
        "nset: set of number",
        "mset: set of money",
    )
)
FACTS = {f.name: f.type for f in POLICY.checked.entities[0].facts}
KINDS = ["ms", "ns", "ts", "es", "bs", "ds", "nset", "mset"]

# Items of every type the readers meet, near misses included: leading zeros, signs,
# 18- and 19-digit amounts, units, impossible dates, members and non-members.
_INTS = st.one_of(
    st.integers(0, 10**6),
    st.sampled_from([0, -1, 10**18 - 1, 10**18, 10**39 - 1, 10**39, -(10**39) + 1, -(10**39)]),
)
_DIGITS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.sampled_from(["0", "00", "007", "-3", "1.5", "1e3", "9" * 18, "9" * 19, "9" * 39, "9" * 40]),
)
_TEXT = st.sampled_from(
    ["200万元", "25元", "0万元", "3亿元", "12.5元", "FDA", "CE", "XX", "2026-05-01"]
)
_MISSES = st.sampled_from(["2026-13-01", "0000-01-01", "2026-5-1", "none", "", "元"])
_ITEMS = st.one_of(
    st.lists(_INTS, min_size=LONG, max_size=LONG + 8),
    st.lists(_DIGITS.map(JsonNumeral), min_size=LONG, max_size=LONG + 8),
    st.lists(_DIGITS.map(YamlNumeral), min_size=LONG, max_size=LONG + 8),
    st.lists(_TEXT, min_size=LONG, max_size=LONG + 8),
    st.lists(st.one_of(_TEXT, _MISSES), min_size=LONG, max_size=LONG + 8),
    st.lists(st.booleans(), min_size=LONG, max_size=LONG + 8),
)


def _good(*items: st.SearchStrategy[Any], unique: bool = True) -> st.SearchStrategy[list[Any]]:
    """Lists all well formed (and distinct, if they can be: read at once), now and then with
    a near miss."""
    whole = st.one_of(
        *(st.lists(i, min_size=LONG, max_size=LONG + 8, unique=unique) for i in items)
    )
    miss = st.one_of(_MISSES, _DIGITS, _DIGITS.map(JsonNumeral), st.integers(-2, 2))
    return whole | st.tuples(whole, miss).map(lambda p: [*p[0], p[1]])


_SMALL = st.integers(0, 10**6)
_NUMBERS = _good(_SMALL, _SMALL.map(str).map(JsonNumeral), _SMALL.map(str).map(YamlNumeral))
_MONEY = _good(_SMALL, _SMALL.map(lambda i: f"{i}万元"), _SMALL.map(str).map(JsonNumeral))
GOOD = {
    "ms": _MONEY,
    "mset": _MONEY,
    "ns": _NUMBERS | _good(st.integers(-(10**38), 10**38)),
    "nset": _NUMBERS,
    "ts": _good(st.text(max_size=3)),
    "es": _good(st.sampled_from(["FDA", "CE", "PMDA"]), unique=False),
    "bs": _good(st.booleans(), unique=False),
    "ds": _good(st.dates().map(str)),
}


def _outcome(read: Any, value: Any) -> tuple[str, Any]:
    try:
        return ("value", read(value))
    except ValueRefused as exc:
        return ("refused", (str(exc), exc.code, exc.hint))


def _types(outcome: tuple[str, Any]) -> list[type]:
    return [type(v) for v in outcome[1]] if outcome[0] == "value" else []


@pytest.mark.parametrize("kind", KINDS)
def test_long_list_read_at_once_is_convert_value(kind: str) -> None:
    @settings(max_examples=60)
    @given(GOOD[kind] | _ITEMS)
    def check(items: list[Any]) -> None:
        _same(kind, items)

    check()


def _same(kind: str, items: list[Any]) -> None:
    typ = FACTS[kind]
    fast = _outcome(converter(typ, POLICY.checked), items)
    slow = _outcome(lambda v: convert_value(v, typ, POLICY.checked), items)
    assert fast == slow, f"{kind} {items!r}"
    assert _types(fast) == _types(slow)


@settings(max_examples=200)
@given(
    st.sampled_from(KINDS),
    st.lists(_INTS, min_size=LONG, max_size=LONG + 8)
    | st.lists(st.integers(0, 10**6), min_size=LONG, max_size=LONG + 8, unique=True),
)
def test_json_ints_read_as_their_spellings(kind: str, ints: list[int]) -> None:
    """A list of JSON integers, read from the ints where the type allows, is what its
    spellings (as the reading rule keeps them) read as; ``None`` means: read the spellings."""
    read = converter(FACTS[kind], POLICY.checked)
    assert isinstance(read, ListConverter)
    direct = read.of_json_ints(ints)
    spelled = _outcome(read, [JsonNumeral(i) for i in ints])
    if direct is not None:
        assert ("value", direct) == spelled
        assert _types(("value", direct)) == _types(spelled)
    # Money and numbers well within range are read from the ints; nothing else is.
    within = all(0 <= i < 10**18 for i in ints) if kind in ("ms", "mset") else False
    within = within or (kind in ("ns", "nset") and all(abs(i) < 10**39 for i in ints))
    assert (direct is not None) == within


def test_long_lists_in_facts_files(tmp_path: Path) -> None:
    """A facts file (JSON and YAML) with long lists of each kind reads them as the items
    one by one would be read: 40 amounts 0..39 元 are 0, 100, ... 3,900 fen."""
    amounts = list(range(40))
    firm = {
        "id": "f",
        "ms": amounts,
        "ns": [-i for i in amounts],
        "ts": [f"t{i}" for i in amounts],
        "es": ["FDA", "CE"] * 20,
        "bs": [True, False] * 20,
        "ds": [f"2026-01-{1 + i % 28:02d}" for i in amounts],
        "mset": [f"{i}万元" for i in range(1, 41)],
    }
    as_json = tmp_path / "f.json"
    as_json.write_text(json.dumps({"firms": [firm]}), "utf-8")
    as_yaml = tmp_path / "f.yaml"
    as_yaml.write_text(
        "firms:\n- id: f\n"
        + "".join(
            f"  {k}: [{', '.join(_yaml(v) for v in vs)}]\n" for k, vs in firm.items() if k != "id"
        ),
        "utf-8",
    )
    for path in (as_json, as_yaml):
        (inst,) = POLICY.load_facts(path).instances["firm"]
        assert [m.fen for m in inst.values["ms"]] == [100 * i for i in amounts]  # i 元 = 100i fen
        assert inst.values["ns"] == tuple(-i for i in amounts)
        assert inst.values["ts"] == tuple(firm["ts"])
        assert inst.values["es"] == ("FDA", "CE") * 20
        assert inst.values["bs"] == (True, False) * 20
        assert str(inst.values["ds"][27]) == "2026-01-28"
        assert {m.fen for m in inst.values["mset"]} == {i * 10**6 for i in range(1, 41)}  # 万元


def _yaml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v) if isinstance(v, int) else f'"{v}"'
