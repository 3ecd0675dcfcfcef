"""A number written as text that ends in a line break is refused, as any other trailing
character is, saying so.

A YAML block scalar (``money_: |`` and the amount on the next line) gives the text with a
line break at its end: ``"100\\n"``.  The readers of money, rates, numbers and periods
matched their patterns with ``$``, which in Python also matches before a final line break,
so ``"100\\n"`` was read as 100 元 where ``"100 "`` was refused; the JSON Schema, checked in
Python, took it too.  Now each is refused (the schema agreeing), the message saying the
text ends in a line break and the hint the text without it.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from policyrules.errors import FactsError
from strategies import compile_text
from support import typed_firm

POLICY = compile_text(typed_firm("ms: list of money"))
HINT = (
    "a YAML block scalar (`|`) keeps the line break, a plain or quoted value on the key's "
    "line does not"
)

CASES = [
    ("money_", "100", "E303", "not an amount of money: "),
    ("money_", "100 万元", "E303", "not an amount of money: "),
    ("rate_", "30%", "E311", "not a rate: "),
    ("number_", "12.5", "E303", "a number is expected, not text "),
    ("duration_", "30 工作日", "E303", "not a duration in 工作日: "),
    ("date_", "2026-01-05", "E313", "not a date: "),
]


def _refused(facts: Any, name: str = "<facts>") -> Any:
    with pytest.raises(FactsError) as info:
        POLICY.read_facts(facts) if name == "<facts>" else POLICY.load_facts(name, raw=facts)
    (d,) = info.value.diagnostics
    return d


@pytest.mark.parametrize(("fact", "text", "code", "message"), CASES)
def test_a_yaml_block_scalar_s_line_break_is_refused(
    fact: str, text: str, code: str, message: str
) -> None:
    block = f"firms:\n  - id: f\n    {fact}: |\n      {text}\n".encode()
    d = _refused(block, "f.yaml")
    assert d.code == code
    assert f'{fact}: {message}"{text}\n" (it ends in a line break)' in d.message
    assert d.hint == f'write "{text}": {HINT}'
    # `|-` strips the line break: read as the text on the key's line is
    stripped = f"firms:\n  - id: f\n    {fact}: |-\n      {text}\n".encode()
    plain = f"firms:\n  - id: f\n    {fact}: {text}\n".encode()
    read = [POLICY.load_facts("f.yaml", raw=raw).instances["firm"][0] for raw in (stripped, plain)]
    assert read[0].values[fact] == read[1].values[fact]


@pytest.mark.parametrize(("fact", "text", "code", "message"), CASES)
def test_the_schema_refuses_it_too(fact: str, text: str, code: str, message: str) -> None:
    schema = POLICY.schema()
    jsonschema.validate({"firms": [{"id": "f", fact: text}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"firms": [{"id": "f", fact: text + "\n"}]}, schema)


def test_a_long_list_read_at_once_refuses_it() -> None:
    """40 amounts (a list of 32 or more is read at once where its type allows): the last
    ends in a line break, and is refused at its place."""
    d = _refused({"firms": [{"id": "f", "ms": ["100"] * 39 + ["100\n"]}]})
    assert d.message == (
        '<facts>: firms[0].ms: [39]: not an amount of money: "100\n" (it ends in a line break)'
    )
