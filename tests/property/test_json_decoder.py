"""The JSON facts file's fast decoder (msgspec, in ``read_json_unchecked``) reads exactly what
the rule's decoder (Python's ``json``, numbers kept as written) reads: the same values of the
same types, every number as its spelling (``1.10`` stays ``"1.10"``, ``-0`` stays ``"-0"``,
``12345678901234567890`` is not rounded), every string with its escapes resolved; and what
the rule refuses, it leaves to the rule (``None``)."""

from __future__ import annotations

import codecs
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules.errors import PolicyRulesError
from policyrules.facts import read_facts_file
from policyrules.reading import JsonNumeral, Limits, parse_text, read_json_unchecked, spelled
from policyrules.runtime.money import Money
from strategies import FACTS_POLICY_TEXT, compile_text, json_texts

POLICY = compile_text(FACTS_POLICY_TEXT).checked


def _typed(value: Any) -> Any:
    """``value`` with the type of every part spelled out (a JsonNumeral is not a str)."""
    if type(value) is dict:
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if type(value) is list:
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


def _by_the_rule(text: str) -> Any:
    return parse_text(text, "f.json", json_format=True, limits=Limits(max_depth=10_000))


def _fast(raw: bytes) -> Any:
    read = read_json_unchecked("f.json", raw)
    assert read is not None, "the fast decoder gave up on valid JSON"
    text, data, colons = read
    assert colons == raw.count(b":")
    return text, spelled(data)


@given(json_texts(), st.booleans())
def test_fast_decoder_reads_as_the_rule(text: str, bom: bool) -> None:
    raw = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    read_text, data = _fast(raw)
    assert read_text == text
    assert _typed(data) == _typed(_by_the_rule(text))


def test_numbers_keep_their_spelling() -> None:
    """The brief's examples, each a JsonNumeral spelled as written."""
    text = '[1.10, 1e2, 1e-3, -0.0, 12345678901234567890, 7, {"a": [1E+2, 0]}]'
    _, data = _fast(text.encode())
    assert _typed(data) == _typed(_by_the_rule(text))
    assert data[:6] == ["1.10", "1e2", "1e-3", "-0.0", "12345678901234567890", "7"]
    assert data[6] == {"a": ["1E+2", "0"]}
    assert all(type(v) is JsonNumeral for v in [*data[:6], *data[6]["a"]])


@pytest.mark.parametrize(
    "text",
    ["-0", "[-0]", '{"a":\n -0}', '["firm-0", -0, 1]', '["2026-03-01", -0]', "\ufeff-0"],
)
def test_minus_zero_is_read_as_written(text: str) -> None:
    """msgspec reads -0 as the int 0: such a file is decoded by ``json``, and -0 stays
    "-0" (an id ``-0`` is not the id ``0``)."""
    _, data = _fast(text.encode("utf-8"))
    assert _typed(data) == _typed(_by_the_rule(text.lstrip("\ufeff")))
    leaves = data if type(data) is list else list(data.values()) if type(data) is dict else [data]
    assert "-0" in leaves


@pytest.mark.parametrize("digits", [4000, 5000])
def test_huge_integers(digits: int) -> None:
    """An integer of 4,000 digits is spelled as written; one longer than Python spells
    (4,300 digits) is refused by msgspec or by ``spelled`` (ValueError), and the facts
    reader then takes the rule's way, which keeps its text."""
    number = "9" * digits
    text = f"[{number}]"
    read = read_json_unchecked("f.json", text.encode())
    if digits < 4300:
        assert read is not None
        assert spelled(read[1]) == [number]
    elif read is not None:
        with pytest.raises(ValueError, match="digits"):
            spelled(read[1])
    assert _by_the_rule(text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "[1,]",
        "[01]",
        "[1.]",
        "[.5]",
        "[+1]",
        '["\\x"]',
        '["a\x01"]',
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "[1] x",
        "",
        "\x0c[1]",
        "[1\x0c]",
        '{"a" 1}',
        "{'a': 1}",
        '["\\ud800"]',
        "[1e]",
        "[-]",
        "[tru]",
        '"\\u12"',
        "[" * 20_000 + "]" * 20_000,
    ],
)
def test_what_the_rule_refuses_is_left_to_it(text: str) -> None:
    """Near misses of JSON: the fast decoder never accepts what the rule refuses; where it
    gives up on what the rule reads (a lone surrogate escape), the rule reads it."""
    read = read_json_unchecked("f.json", text.encode("utf-8"))
    try:
        expected = _by_the_rule(text)
    except PolicyRulesError:
        assert read is None
        return
    if read is not None:
        assert _typed(spelled(read[1])) == _typed(expected)


def test_facts_file_numbers_exact(tmp_path: Any) -> None:
    """Through the facts reader: the id -0 stays "-0" (not the id "0"), a 20-digit id is
    not rounded, 1.10 is Decimal("1.10") (not the float 1.1), 10 元 is 1,000 fen (10 x 100)."""
    path = tmp_path / "facts.json"
    path.write_text(
        '{"firms": [{"id": -0, "n": 1.10, "m": 10}, {"id": 12345678901234567890, "n": 7}]}',
        "utf-8",
    )
    facts = read_facts_file(POLICY, path)[1]
    first, second = facts.instances["firm"]
    assert (first.id, second.id) == ("-0", "12345678901234567890")
    assert first.values["n"] == Decimal("1.10")
    assert str(first.values["n"]) == "1.10"
    assert first.values["m"] == Money(1_000)
    assert second.values["n"] == Decimal(7)
    # Without -0 the file is decoded by msgspec: the same facts.
    path.write_text('{"firms": [{"id": 12345678901234567890, "n": 1.10, "m": 10}]}', "utf-8")
    (only,) = read_facts_file(POLICY, path)[1].instances["firm"]
    assert (only.id, str(only.values["n"]), only.values["m"]) == (
        "12345678901234567890",
        "1.10",
        Money(1_000),
    )
