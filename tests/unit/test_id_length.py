"""An id has at most 256 characters (``MAX_ID_LENGTH``), wherever ids are read.

Ids had no bound: a 100,001-digit id, as text or as a number, was taken by the facts reader
and the ledger reader, and a registry table's was taken whole (a whole record pasted into
an id column), to be held in every grant, key and message.  Now an id of 257 characters or
more is refused with the code of its reader (facts E303, a registry table E624, a ledger
file or table E323), quoted as an excerpt; one of 256 is read as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Money
from policyrules.convert_ids import MAX_ID_LENGTH, ids_ok
from policyrules.errors import FactsError, LedgerError, TableError
from policyrules.runtime.ids import ID_PATTERN, id_fault
from support import batch_refusal, launch_firm

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
LONGEST = "P" * 256
TOO_LONG = "P" * 257
# How a message quotes the 257-character id: its first 40 characters, then its length.
SHOWN = "'" + "P" * 40 + "'… (257 characters)"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def test_the_bound_is_256_characters() -> None:
    assert MAX_ID_LENGTH == 256
    assert ids_ok({"P1", LONGEST})
    assert not ids_ok({"P1", TOO_LONG})


def test_a_facts_id_of_256_characters_is_read(policy: policyrules.Policy) -> None:
    facts = policy.read_facts(launch_firm(LONGEST))
    assert [p.id for p in facts.instances["product"]] == [LONGEST]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (TOO_LONG, SHOWN),
        ("1" * 100_001, f"'{'1' * 40}'… (100001 digits)"),
        (10**300, "1" + "0" * 39 + "… (301 digits)"),  # an int from Python: 10**300
    ],
)
def test_a_long_facts_id_is_e303(policy: policyrules.Policy, raw: Any, shown: str) -> None:
    with pytest.raises(FactsError) as info:
        policy.read_facts(launch_firm(raw))
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert d.message == (
        f"<facts>: firms[0].products[0].id: an id has at most 256 characters; {shown} has more"
    )


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_long_id_written_as_a_number_in_a_file_is_e303(
    policy: policyrules.Policy, suffix: str
) -> None:
    """A number in a file is an id by its spelling: 300 digits are 300 characters."""
    text = ('{"firms": [{"id": %s}]}' if suffix == "json" else "firms:\n  - id: %s\n") % ("7" * 300)
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert "an id has at most 256 characters; '" + "7" * 40 + "'… (300 digits)" in d.message


def test_facts_built_in_python_with_a_long_id_are_e303(policy: policyrules.Policy) -> None:
    good = policy.read_facts(launch_firm("P1"))
    (inst,) = good.instances["product"]
    bad = attrs.evolve(
        good, instances={**good.instances, "product": (attrs.evolve(inst, id=TOO_LONG),)}
    )
    with pytest.raises(FactsError) as info:
        policy.evaluate(bad)
    assert info.value.diagnostics[0].code == "E303"
    assert SHOWN in info.value.diagnostics[0].message


def test_the_schema_bounds_an_id_too(policy: policyrules.Policy) -> None:
    schema = policy.schema()
    jsonschema.validate(launch_firm(LONGEST), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(launch_firm(TOO_LONG), schema)


def test_a_long_ledger_file_id_is_e323(policy: policyrules.Policy) -> None:
    grant = {"provision": LAUNCH, "firm": "firm-a", "product": TOO_LONG, "amount": "200万元",
             "year": 2026}  # fmt: skip
    with pytest.raises(LedgerError) as info:
        policy.read_ledger([grant])
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert SHOWN in d.message
    assert len(policy.read_ledger([{**grant, "product": LONGEST}])) == 1


def test_a_long_registry_id_is_e624(policy: policyrules.Policy, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        f"id,firm_id,approved_on\n{LONGEST},firm-a,2026-03-02\n{'1' * 100_001},firm-a,2026-03-02\n",
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(
        f'products.csv: row 2, column id: an id has at most 256 characters: "{"1" * 40}"… '
        "(100001 digits)"
    )


def test_a_long_registry_ledger_id_is_e323(policy: policyrules.Policy, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        f"provision,firm,product,amount,year\n{LAUNCH},firm-a,{TOO_LONG},200万元,2026\n",
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, LedgerError)
    assert d.code == "E323"
    assert d.message.endswith(
        f"ledger.csv: row 1, column product: an id has at most 256 characters: {SHOWN}"
    )


def _number_id_doc(spelling: str) -> str:
    """A facts file whose product id, and its ledger grant's, is the JSON number ``spelling``."""
    firm = json.dumps(launch_firm(0)).replace('"id": 0', f'"id": {spelling}')
    grant = (
        f'{{"provision": "{LAUNCH}", "firm": "firm-a", "product": {spelling}, '
        '"amount": "200万元", "year": 2026}'
    )
    return firm[:-1] + f', "ledger": [{grant}]}}'


def _read(policy: policyrules.Policy, doc: str) -> str | None:
    """The reader's refusal of ``doc``, or ``None`` if it reads it."""
    try:
        policy.load_facts("f.json", raw=doc.encode())
    except FactsError as e:
        return e.diagnostics[0].message
    return None


# (spelling, length): an id written as a number is read by its spelling, and the schema
# sees only its value, which has spellings of every length: the schema takes any number.
NUMBER_IDS_READ = [
    "7",
    "1.5",
    "1e300",  # 5 characters, though its value has 301 digits (the schema refused it by value)
    "-1E+300",
    "1e309",  # beyond a double: infinity to a validator, 5 characters to the reader
    "9" * 256,  # 10**256 - 1: 256 digits
    "-" + "9" * 255,  # a sign and 255 digits
]
NUMBER_IDS_TOO_LONG = [
    "7" * 300,
    "1" + "0" * 256,  # 10**256: 257 digits, though "1e256" is the same value
    "0." + "0" * 300 + "1",  # 303 characters, though "1e-301" is the same value
]


def test_an_id_written_as_a_number_is_judged_by_its_spelling(policy: policyrules.Policy) -> None:
    """The reader reads a number id by its spelling (at most 256 characters); a schema sees
    only the value, which never tells the spelling's length.  The schema bounded the value
    (below 10**256), so it refused 1e300, an id of 5 characters the reader reads, and took
    0.000…1 at 303 characters all the same: now it takes every number, as a number is read
    whenever it is written short enough, and the spelling's length is the reader's alone
    (docs/cli.md, ``policyrules schema``)."""
    schema = policy.schema()
    for spelling in NUMBER_IDS_READ:
        doc = _number_id_doc(spelling)
        assert _read(policy, doc) is None, spelling
        jsonschema.validate(json.loads(doc), schema)
    for spelling in NUMBER_IDS_TOO_LONG:
        doc = _number_id_doc(spelling)
        refused = _read(policy, doc)
        assert refused is not None
        assert "an id has at most 256 characters" in refused
        jsonschema.validate(json.loads(doc), schema)  # the reader has the last word


@pytest.mark.parametrize(
    ("product", "says"),
    [
        (TOO_LONG, f"an id has at most 256 characters; {SHOWN} has more"),
        (" P1", "an id has white space at its start or end: ' P1'"),
        ("P\x011", "an id is non-empty text without control characters; 'P\\x011' has a control"),
        ("\u3000", "an id is non-empty text without control characters; '\\u3000' has no text"),
    ],
)
def test_a_grant_built_in_python_checks_its_ids_as_the_readers_do(product: str, says: str) -> None:
    """``Grant(...)`` checked only that an id was non-empty: a 257-character id, or one with
    white space at its end (two items where the readers see one), was taken.  Now it is
    refused as a ledger's reader refuses it (LedgerError E323, in the readers' words)."""
    with pytest.raises(LedgerError) as info:
        Grant(LAUNCH, (("firm", "firm-a"), ("product", product)), Money.of(1, "元"), 2026)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert d.message.startswith(f"a grant's path: product: {says}")
    assert Grant(LAUNCH, (("firm", "firm-a"), ("product", LONGEST)), Money.zero()).subject == (
        f"firm-a/{LONGEST}"
    )


@given(st.text(alphabet=" Pa1\x00\x1f\x7f\x85\xa0\u3000\ufeff甲", max_size=6))
def test_the_quick_check_of_a_plain_id_agrees_with_the_pattern(text: str) -> None:
    """``id_fault`` takes a printable ASCII id without the pattern's search (a grant made
    checks each of its ids): it takes exactly what the pattern and the bound take."""
    taken = len(text) <= MAX_ID_LENGTH and re.search(ID_PATTERN, text) is not None
    assert (id_fault(text) is None) == taken
