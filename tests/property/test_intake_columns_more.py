"""The facts reader's fast path, further: the whole-column money reader reads each amount
as the money converter does (or leaves the column to it); entities of more records than
the fast path gathers keys from (``columns._SAMPLE``), with keys, children and faults
only in the later records, read as the exact walk reads them (the same facts, or the
same errors: code, message, place); and the bytes the JSON fast path decodes without
decoding the text are exactly those ``bytes.decode`` accepts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_intake_columns import _both, _shown

from policyrules import columns
from policyrules import types as t
from policyrules.columns import _SAMPLE, Doubt, read_columns
from policyrules.convert import ValueRefused
from policyrules.converters import columnar, converter
from policyrules.errors import PolicyRulesError
from policyrules.facts import _TOP_KEYS, Facts, _Reader, read_data, read_facts, read_facts_file
from policyrules.reading import decode_json_unchecked
from strategies import FACTS_POLICY_TEXT, compile_text, facts_documents

POLICY = compile_text(FACTS_POLICY_TEXT).checked
MONEY = t.Type("money")
WHOLE = columnar(MONEY, POLICY)
READ = converter(MONEY, POLICY)

_UNITS = ["元", "万元", "亿元", "万", "亿", "", " 万元", "万 元", "千元"]
_NUMBERS = st.one_of(
    st.integers(0, 10**20).map(str),
    st.sampled_from(["0", "00", "07", "1.5", "１２", "-3", "", "1e3", "٣"]),
)
amount_texts = st.builds(lambda n, u: n + u, _NUMBERS, st.sampled_from(_UNITS))


def _read(value: str) -> Any:
    try:
        return ("read", READ(value))
    except ValueRefused as exc:
        return ("refused", str(exc))


@given(st.lists(amount_texts, min_size=1, max_size=6), st.sampled_from(_UNITS[:5]))
def test_money_column_reads_as_the_converter(column: list[str], unit: str) -> None:
    """Random columns of amounts (well-formed in one unit, mixed units, leading zeros,
    fractions, full-width or Arabic-Indic digits, 19+ digits, no number): the column
    reader gives what the converter gives for each, or leaves the column (``None``), as it
    must whenever the converter refuses one."""
    assert WHOLE is not None
    for texts in (column, [n.rstrip(" 万元亿千") + unit for n in column]):
        made = WHOLE(texts)
        one_by_one = [_read(v) for v in texts]
        if made is not None:
            assert [("read", m) for m in made] == one_by_one
            assert all(type(m) is type(READ("1元")) for m in made)


def test_money_column_examples() -> None:
    """1000万元 is 1000 x 1,000,000 fen; 7亿元 7 x 10^10 fen; 25元 2,500 fen."""
    assert WHOLE is not None
    made = WHOLE(["1000万元", "2万元"])
    assert made is not None
    assert [m.fen for m in made] == [1_000_000_000, 2_000_000]
    made = WHOLE(["7亿元"])
    assert made is not None
    assert [m.fen for m in made] == [70_000_000_000]
    made = WHOLE(["25元", "3元"])
    assert made is not None
    assert [m.fen for m in made] == [2_500, 300]
    # left to the converter: a leading zero, mixed units, a fraction, a space
    for column in (["0万元"], ["1万元", "2元"], ["1.5万元"], ["1 万元"]):
        assert WHOLE(column) is None
    assert columnar(t.Type("money", nullable=True), POLICY) is None


def _many(document: Any, extra: int) -> Any:
    """``document`` with ``extra`` plain firms first, so its own firms (and their
    products) come after the first records whose keys the fast path gathers."""
    if type(document) is not dict or type(document.get("firms")) is not list:
        return document
    plain = [{"id": f"plain-{i}", "products": [{"id": "P1"}]} for i in range(extra)]
    return {**document, "firms": plain + document["firms"]}


def _outcome(read: Any) -> Any:
    try:
        text, facts = read()
    except PolicyRulesError as exc:
        return [(d.code, d.message, d.span, d.hint) for d in exc.diagnostics]
    return text, facts, _shown(facts)


@given(facts_documents(), st.integers(_SAMPLE - 2, _SAMPLE + 2))
def test_many_records_read_as_the_exact_walk(document: Any, extra: int) -> None:
    """Facts, children, null values, unknown keys and bad values met only after the first
    records: the fast path reads what the exact walk reads, or leaves it (both ways:
    records copied, records changed in place); a JSON file gives the same facts or the
    same errors as reading it by the rule."""
    many = _many(document, extra)
    _both(many)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        path.write_text(json.dumps(many, ensure_ascii=False), "utf-8")

        def by_the_rule() -> tuple[str, Facts]:
            text, raw = read_data(path)
            return text, read_facts(POLICY, raw, str(path), text)

        assert _outcome(lambda: read_facts_file(POLICY, path)) == _outcome(by_the_rule)


def test_a_key_only_after_the_sample() -> None:
    """A fact, a child block and an unknown key written only in the last of 70 firms."""
    firms: list[dict[str, Any]] = [{"id": f"f{i}"} for i in range(70)]
    firms[-1] |= {"m": "200万元", "products": [{"id": "P1", "m": "3元"}]}
    shape = _Reader(POLICY, "f", None).shape
    facts = read_columns(POLICY, {"firms": firms}, shape, _TOP_KEYS)  # not left to the walk
    assert facts == read_facts(POLICY, {"firms": firms})
    last = facts.instances["firm"][-1]
    assert last.values["m"].fen == 200 * 1_000_000  # 200 x 1,000,000 fen
    assert [(p.id, p.values["m"].fen, p.path) for p in facts.instances["product"]] == [
        ("P1", 300, "firms[69].products[0]")
    ]
    firms[-1]["bogus"] = 1
    with pytest.raises(PolicyRulesError) as info:
        read_facts(POLICY, {"firms": firms})
    assert [d.message.split(": ")[-2:] for d in info.value.diagnostics] == [
        ["firms[69].bogus", "unknown fact of firm"]
    ]


@given(st.binary(max_size=8), st.binary(max_size=4))
def test_fast_decoder_refuses_what_is_not_utf8(inside: bytes, outside: bytes) -> None:
    """Bytes inside a JSON string or between tokens: the fast decoder reads the file only
    if ``bytes.decode`` would (the text is decoded later, to place an error)."""
    for raw in (b'{"a": "' + inside + b'"}', b'{"a": 1' + outside + b"}"):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            assert decode_json_unchecked(raw) is None


@given(facts_documents(), st.integers(1, 3), st.integers(1, 3), st.integers(0, 5))
def test_records_read_a_stretch_at_a_time(
    document: Any, stretch: int, sample: int, extra: int
) -> None:
    """The fast path reads records a stretch at a time (``columns._STRETCH``, 1,024 by
    default): stretches of 1 to 3 records, so that most entities span several, with the
    last one short, and keys gathered from the first 1 to 3 records (``_SAMPLE``), so
    that keys first met in later stretches are read after them, read what the exact walk
    reads (children, null values and faults in any stretch), both ways."""
    with mock.patch.multiple(columns, _STRETCH=stretch, _SAMPLE=sample):
        _both(_many(document, extra))


@given(st.lists(st.text(st.sampled_from(["a", " ", "企", "\u3000"]), max_size=3), max_size=4))
def test_ids_unspaced_checked_at_once(ids: list[str]) -> None:
    """The check of a column of printable ids (``columns._unspaced``, all joined in one
    text) agrees with each id's: none empty, none with a space at either end."""
    printable = [i for i in ids if i.isprintable()]
    each = all(i and i[0] != " " and i[-1] != " " for i in printable)
    assert columns._unspaced(printable) == each


def test_ids_twice_across_stretches() -> None:
    """Stretches of 2 records: a product id used twice by one firm is found across a
    stretch's end, the second firm's products straddling it (the fast path gives up, the
    exact walk reports it); the same id under two firms is no fault."""
    shape = _Reader(POLICY, "f", None).shape
    one = {"id": "f1", "products": [{"id": "P1"}]}
    twice = {"firms": [one, {"id": "f2", "products": [{"id": "Q"}, {"id": "Q"}]}]}
    apart = {
        "firms": [
            {"id": "f1", "products": [{"id": "P1"}]},
            {"id": "f2", "products": [{"id": "P1"}]},
        ]
    }
    with mock.patch.object(columns, "_STRETCH", 2):
        with pytest.raises(Doubt):
            read_columns(POLICY, twice, shape, _TOP_KEYS)
        _both(twice)
        assert read_columns(POLICY, apart, shape, _TOP_KEYS) == read_facts(POLICY, apart)
