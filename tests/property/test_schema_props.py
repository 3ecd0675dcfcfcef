"""The JSON Schema of facts files and the facts reader agree: a value passes the schema
(with format checking) if and only if the reader accepts it, for every kind of value."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules import FactsError, Money
from policyrules.convert import MONEY_PATTERN, convert_value
from policyrules.facts import read_facts
from policyrules.reading import Limits, parse_text
from policyrules.types import MONEY
from strategies import compile_text, json_value_texts
from support import typed_firm

TEXT = typed_firm()

POLICY = compile_text(TEXT)
VALIDATOR = jsonschema.Draft202012Validator(
    POLICY.schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
KINDS = ["money", "rate", "rate300", "number", "date", "duration", "bool", "text", "enum", "id"]


def _agree(kind: str, value: str) -> None:
    firm = f'"id": {value}' if kind == "id" else f'"id": "f", "{kind}_": {value}'
    text = f'{{"firms": [{{{firm}}}]}}'
    schema_ok = VALIDATOR.is_valid(json.loads(text))
    try:
        data: Any = parse_text(text, "f.json", json_format=True, limits=Limits())
        read_facts(POLICY.checked, data, "f.json", text)
    except FactsError:
        reader_ok = False
    else:
        reader_ok = True
    assert schema_ok == reader_ok, f"{kind} {value}: schema {schema_ok}, reader {reader_ok}"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_iff_reader(kind: str) -> None:
    """For many valid and near-miss values of each kind, schema and reader agree."""

    @given(json_value_texts(kind))
    def check(value: str) -> None:
        _agree(kind, value)

    check()


@given(st.from_regex(MONEY_PATTERN, fullmatch=True))
def test_money_text_reads_as_money_parse(text: str) -> None:
    """Every text the money pattern admits converts to what Money.parse reads from it."""
    assert convert_value(text, MONEY, POLICY.checked) == Money.parse(text)
