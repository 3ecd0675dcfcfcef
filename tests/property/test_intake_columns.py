"""The facts reader's column-at-a-time fast path (``policyrules.columns``) reads a facts
file exactly as the exact walk does, or leaves it to the exact walk: on any file the exact
walk refuses (unknown keys, bad values, missing or repeated ids, blocks that are not
lists...), the fast path gives up; on every other file both build the same instances, with
the same values of the same types, in the same order of keys, at the same paths."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from policyrules.columns import Doubt, read_columns
from policyrules.convert import ValueRefused
from policyrules.errors import PolicyRulesError
from policyrules.facts import _TOP_KEYS, Facts, _Reader, read_data, read_facts, read_facts_file
from policyrules.reading import Limits, parse_text
from strategies import FACTS_POLICY_TEXT, compile_text, facts_documents, json_number_spellings

POLICY = compile_text(FACTS_POLICY_TEXT).checked


def _shown(facts: Facts) -> list[Any]:
    """Everything the reader builds, types and orders included."""
    return [
        (
            name,
            [
                (
                    (i.entity, i.id, type(i.id), i.path, i.parent and i.parent.path),
                    [(k, v, type(v)) for k, v in i.values.items()],
                )
                for i in instances
            ],
        )
        for name, instances in facts.instances.items()
    ] + [sorted(facts.extra)]


def _both(data: Any) -> None:
    """Both ways of the fast path (records copied, the data left as it was; records
    changed in place, on data of its own) against the exact walk."""
    before = copy.deepcopy(data)
    _same(data, owned=False)
    assert data == before
    _same(_unshared(data), owned=True)


def _unshared(data: Any) -> Any:
    """A copy of ``data`` whose mappings and lists are all distinct, as JSON parses them."""
    if type(data) is dict:
        return {k: _unshared(v) for k, v in data.items()}
    if type(data) is list:
        return [_unshared(v) for v in data]
    return data


def _same(data: Any, *, owned: bool) -> None:
    reader = _Reader(POLICY, "f.json", None)
    exact = reader.top(data)
    shape = _Reader(POLICY, "f.json", None).shape
    try:
        fast = read_columns(POLICY, data, shape, _TOP_KEYS, owned=owned)
    except (Doubt, ValueRefused):
        assert reader.diags or type(data) is not dict, "the fast path gave up on good facts"
        return
    assert not reader.diags, [d.message for d in reader.diags]
    assert fast == exact
    assert _shown(fast) == _shown(exact)


@given(facts_documents(), st.booleans())
def test_columns_read_as_the_exact_walk(document: Any, as_yaml: bool) -> None:
    """Documents written as JSON (numbers as JsonNumerals) or as YAML (YamlNumerals), and
    as given from Python (ints, floats)."""
    _both(document)
    if as_yaml:
        text = yaml.safe_dump(document, allow_unicode=True)
    else:
        text = json.dumps(document, ensure_ascii=False)
    _both(parse_text(text, "f", json_format=not as_yaml, limits=Limits()))


def test_shared_records_and_empty_values() -> None:
    """A record reached twice (a YAML alias) is read twice, each with its own parent;
    ``null`` is a fact not given; keys keep the file's order."""
    product = {"d": "2026-05-01", "m": None, "id": "P1"}
    data = {"firms": [{"id": "f1", "products": [product]}, {"products": [product], "id": "f2"}]}
    _both(data)
    facts = read_facts(POLICY, data)
    first, second = facts.instances["product"]
    assert (first.parent and first.parent.id, second.parent and second.parent.id) == ("f1", "f2")
    assert list(first.values) == ["d"]
    assert first.values is not second.values


def test_ids_read_one_by_one_when_not_plain_text() -> None:
    """Ids of only white space or with a control character are refused (the fast path gives
    up); a number is an id as written; an id with a space inside is plain text."""
    for bad in (" ", "\u3000", "", "a\x01", "\ufeff", 7.5):
        _both({"firms": [{"id": "f1"}, {"id": bad}]})
    for good in ("f 1", "企业", "0701"):
        _both({"firms": [{"id": "f1"}, {"id": good}]})
    data = parse_text('{"firms": [{"id": 701}]}', "f", json_format=True, limits=Limits())
    _both(data)
    assert read_facts(POLICY, data).instances["firm"][0].id == "701"


def _json_text(value: Any, draw: st.DrawFn, numbers: bool = False) -> str:
    """``value`` as JSON text, an object sometimes holding one of its keys twice;
    ``numbers``: some values (most numbers) written as other numbers, spelled as a decoder
    could misread them (``1.10``, ``-0``, ``12345678901234567890``)."""
    scalar = not isinstance(value, (dict, list, bool))
    if numbers and scalar and (isinstance(value, (int, float)) or draw(st.integers(0, 5)) == 0):
        return draw(json_number_spellings())
    if isinstance(value, dict):
        pairs = [
            (json.dumps(k, ensure_ascii=False), _json_text(v, draw, numbers))
            for k, v in value.items()
        ]
        if pairs and draw(st.integers(0, 19)) == 0:
            key, _ = draw(st.sampled_from(pairs))
            pairs.insert(
                draw(st.integers(0, len(pairs))), (key, draw(st.sampled_from(["1", "{}"])))
            )
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json_text(v, draw, numbers) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _outcome(read: Any) -> Any:
    try:
        text, facts = read()
    except PolicyRulesError as exc:
        return [(d.code, d.message, d.span, d.hint) for d in exc.diagnostics]
    return text, facts, _shown(facts)


@given(st.data())
def test_json_files_read_as_by_the_rule(data: st.DataObject) -> None:
    """A JSON facts file, read without looking for keys written twice and checked by
    counting its pairs, gives what reading it by the rule gives: the same facts, or the same
    errors (E302 for a key written twice, wherever it is); also with numbers spelled as
    a decoder could misread them (the fast path decodes with msgspec, the rule with
    ``json``)."""
    text = _json_text(data.draw(facts_documents()), data.draw, data.draw(st.booleans()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        path.write_text(text, "utf-8")

        def by_the_rule() -> tuple[str, Facts]:
            text, raw = read_data(path)
            return text, read_facts(POLICY, raw, str(path), text)

        assert _outcome(lambda: read_facts_file(POLICY, path)) == _outcome(by_the_rule)


def _with_colons(value: Any, draw: st.DrawFn) -> Any:
    """``value`` with some of its texts holding a colon (``"x"`` becomes ``"x: y"``)."""
    if isinstance(value, dict):
        return {k: _with_colons(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_colons(v, draw) for v in value]
    if type(value) is str and draw(st.integers(0, 3)) == 0:
        return value + ": y"
    return value


@given(st.data())
def test_json_files_within_bounds_read_as_by_the_rule(data: st.DataObject) -> None:
    """The same with a depth bound of 1 to 7 levels (these facts files nest up to 6 deep:
    file, firms, firm, products, product, list) checked by the fast path from the shape
    of what it read, and with colons inside strings (counted with the key: value pairs'
    colons until the pairs are counted exactly)."""
    text = _json_text(_with_colons(data.draw(facts_documents()), data.draw), data.draw)
    limits = Limits(max_depth=data.draw(st.integers(1, 7)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        path.write_text(text, "utf-8")

        def by_the_rule() -> tuple[str, Facts]:
            text, raw = read_data(path, limits)
            return text, read_facts(POLICY, raw, str(path), text)

        assert _outcome(lambda: read_facts_file(POLICY, path, limits)) == _outcome(by_the_rule)


def test_key_twice_found_beside_a_colon_in_a_string(tmp_path: Path) -> None:
    """A key written twice hides one pair from the data, a colon in a string adds one to
    the text's colons: the counts agree, yet the key is found (E302) and placed."""
    path = tmp_path / "facts.json"
    path.write_text('{"firms": [{"id": "f1", "t": "a:b", "t": "c"}]}', "utf-8")
    with pytest.raises(PolicyRulesError) as info:
        read_facts_file(POLICY, path)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.code, diagnostic.message) == (
        "E302",
        "not valid JSON: the key 't' appears twice",
    )
    assert diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.col) == (1, 37)  # the second "t"


def test_depth_bound_applied_to_what_the_fast_path_read(tmp_path: Path) -> None:
    """{"firms": [{"id": "f1", "products": [{"id": "P1", "l": [1]}]}]} nests 6 levels
    (file, firms, firm, products, product, list): read within 6, E308 within 5; and the
    same for an empty block."""
    path = tmp_path / "facts.json"
    path.write_text('{"firms": [{"id": "f1", "products": [{"id": "P1", "l": [1]}]}]}', "utf-8")
    facts = read_facts_file(POLICY, path, Limits(max_depth=6))[1]
    assert [i.id for i in facts.instances["product"]] == ["P1"]
    with pytest.raises(PolicyRulesError) as info:
        read_facts_file(POLICY, path, Limits(max_depth=5))
    assert [d.code for d in info.value.diagnostics] == ["E308"]
    # An empty block is a level too: file, firms, firm, products = 4.
    path.write_text('{"firms": [{"id": "f1", "products": []}]}', "utf-8")
    assert read_facts_file(POLICY, path, Limits(max_depth=4))[1].instances["product"] == ()
    with pytest.raises(PolicyRulesError) as info:
        read_facts_file(POLICY, path, Limits(max_depth=3))
    assert [d.code for d in info.value.diagnostics] == ["E308"]
