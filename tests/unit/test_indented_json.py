"""`indented_json`: the text `json.dumps(..., ensure_ascii=False, indent=2)` writes, character
for character, indented in C (the service's answers and `--format json` go through it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.terminal import indented_json

ROOT = Path(__file__).resolve().parents[2]

# Every character a string may hold but the surrogates (which UTF-8 cannot carry: below),
# the controls, DEL, C1, the bidi marks and the line separators among them.
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _TEXT
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=25,
)


def _expected(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@given(_JSON)
def test_the_same_text_as_json_dumps_indented(data: Any) -> None:
    assert indented_json(data) == _expected(data)


@pytest.mark.parametrize(
    "data",
    [
        1e-05,  # json writes 1e-05, msgspec's own encoder 0.00001: the numbers are json's
        [1e16, 1.7976931348623157e308, -0.0, 5e-324],
        {"k": float("nan")},  # not JSON: indented by json, as before
        [float("inf"), {"a": []}],
        {},
        [],
        {"a": {}, "b": [[]], "c": [{}]},
        {1: "key written as text", None: "null", False: "false"},
        {"控制\x00\x1f\x7f\x85\u202e\u2028": '\u2029\ufeff\\"/'},
    ],
)
def test_the_same_text_on_the_edges(data: Any) -> None:
    assert indented_json(data) == _expected(data)


def test_a_lone_surrogate_fails_as_it_did_when_encoded() -> None:
    """json writes a lone surrogate into the text, which the answer's UTF-8 then refuses;
    the text is the same (indented by json) and fails the same way when encoded."""
    data = {"id": "x\ud800y"}
    assert indented_json(data) == _expected(data)
    with pytest.raises(UnicodeEncodeError):
        indented_json(data).encode()


def test_a_value_json_cannot_hold_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        indented_json({"a": {1, 2}})


def test_an_answer_is_indented_in_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole answer of a firm (`eval --format json`, the service's) is written compact by
    json and indented by msgspec: json is never asked to indent it (its indenting encoder
    is pure Python, the cost this function exists to avoid)."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    result = policy.evaluate(policy.load_facts(ROOT / "examples" / "firm-a.yaml"))
    data = result.to_json()
    expected = _expected(data)
    calls: list[dict[str, Any]] = []
    dumps = json.dumps

    def spy(obj: Any, **kwargs: Any) -> str:
        calls.append(kwargs)
        return dumps(obj, **kwargs)

    monkeypatch.setattr(json, "dumps", spy)  # (the module terminal writes with)
    assert indented_json(data) == expected
    assert calls == [{"ensure_ascii": False}]
