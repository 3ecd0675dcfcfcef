"""An id holding an invisible character is refused wherever ids are read.

A user's trial: a product number copied from the agency's web page came as `0701` followed
by U+200B ZERO WIDTH SPACE, which prints exactly as `0701`.  It was taken: the grant made
under it never matched the claim under `0701`, so the one-time award was paid again, and a
"did you mean" showed two identical-looking ids.  Such an id (any character of Unicode
category Cf: the zero-width characters, U+00AD SOFT HYPHEN, the bidi controls, U+FEFF
inside an id, the tags U+E0001...) is now refused as a control character is, with the
character's code point, name and place: in a facts file (YAML, JSON, or facts built in
Python, E303), a ledger file (E323), a registry table (E624) and its ledger (E323), a
``Grant`` made in Python (E323), and the JSON Schema
(the BMP's; an astral one only by the reader, as its description says).
The service's answer (400, E303) is in one table with the other kinds': test_ids_service.py.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.errors import FactsError, LedgerError, TableError
from policyrules.runtime.ids import ID_PATTERN, id_fault
from support import batch_refusal, launch_firm

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
ZWSP = "0701\u200b"  # `0701` and U+200B ZERO WIDTH SPACE: it prints as `0701`
NAMED = "an id holds an invisible character, U+200B ZERO WIDTH SPACE, at character 5"
HINT = "remove it: it does not show (it came in with the id, copied from a web page or a word"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _cf() -> set[int]:
    return {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}


def test_the_invisible_characters_are_category_cf() -> None:
    """The class is every Cf code point of the running Python's Unicode (the table written
    out for Unicode 14.0.0, and as read for another), and the JSON
    pattern's class (without the `u` flag: the BMP) is that set's BMP part."""
    from policyrules.runtime.ids import INVISIBLE_BMP, INVISIBLE_RANGES, _read_cf

    cf = _cf()
    assert {c for a, b in INVISIBLE_RANGES for c in range(a, b + 1)} == cf
    # (written out for Unicode 14.0.0, read for another: the same either way)
    assert {c for a, b in _read_cf() for c in range(a, b + 1)} == cf
    assert all(b + 1 < a for (_, b), (a, _) in itertools.pairwise(INVISIBLE_RANGES))
    bmp = re.compile(f"[{INVISIBLE_BMP}]")
    assert {c for c in range(0x10000) if bmp.fullmatch(chr(c))} == {c for c in cf if c < 0x10000}
    assert {0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xE0001} <= cf


@pytest.mark.parametrize(
    ("ident", "named"),
    [
        (ZWSP, "U+200B ZERO WIDTH SPACE, at character 5"),
        ("P\u200c1", "U+200C ZERO WIDTH NON-JOINER, at character 2"),
        ("P\u200d1", "U+200D ZERO WIDTH JOINER, at character 2"),
        ("\u2060P1", "U+2060 WORD JOINER, at character 1"),
        ("P\u00ad1", "U+00AD SOFT HYPHEN, at character 2"),
        ("P\u202e1", "U+202E RIGHT-TO-LEFT OVERRIDE, at character 2"),
        ("P\u20661", "U+2066 LEFT-TO-RIGHT ISOLATE, at character 2"),
        ("P\ufeff1", "U+FEFF ZERO WIDTH NO-BREAK SPACE, at character 2"),
        ("P1\U000e0001", "U+E0001 LANGUAGE TAG, at character 3"),
        ("P1\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A, at character 3"),
    ],
)
def test_id_fault_names_the_character(ident: str, named: str) -> None:
    fault = id_fault(ident)
    assert fault is not None
    assert fault[0] == f"an id holds an invisible character, {named}: {ident!r}"
    assert fault[1].startswith(HINT)


def test_u_feff_at_an_end_is_still_white_space() -> None:
    assert id_fault("\ufeffP1") == (
        "an id has white space at its start or end: '\\ufeffP1'",
        "write 'P1': ids compare exactly, and '\\ufeffP1' beside 'P1' would be two items, "
        "each paid",
    )


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_facts_file_id_with_an_invisible_character_is_e303(
    policy: policyrules.Policy, suffix: str
) -> None:
    text = (
        '{"firms": [{"id": "0701\\u200b"}]}'
        if suffix == "json"
        else 'firms:\n  - id: "0701\\u200b"\n'
    )
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert f"firms[0].id: {NAMED}: '0701\\u200b'" in d.message
    assert d.hint is not None
    assert d.hint.startswith(HINT)
    assert "'0701\\u200b' would never match '0701'" in d.hint


def test_facts_with_an_invisible_character_are_not_paid_twice(policy: policyrules.Policy) -> None:
    """0701 is paid 200 万元; the same product sent again as `0701` + U+200B is refused
    rather than paid a second time, read or built in Python."""
    first = policy.evaluate(launch_firm("0701"))
    assert [g.amount.fen for g in first.grants] == [200_000_000]
    with pytest.raises(FactsError) as info:
        policy.evaluate(launch_firm(ZWSP), ledger=first.ledger())
    assert info.value.diagnostics[0].code == "E303"
    good = policy.read_facts(launch_firm("0701"))
    (inst,) = good.instances["product"]
    built = attrs.evolve(
        good, instances={**good.instances, "product": (attrs.evolve(inst, id=ZWSP),)}
    )
    with pytest.raises(FactsError) as info:
        policy.evaluate(built, ledger=first.ledger())
    assert info.value.diagnostics[0].code == "E303"
    assert NAMED in info.value.diagnostics[0].message


def test_the_schema_refuses_the_bmps_and_the_reader_the_astral_ones(
    policy: policyrules.Policy,
) -> None:
    schema = policy.schema()
    jsonschema.validate(launch_firm("0701"), schema)
    for ident in (ZWSP, "P\u00ad1", "P\ufeff1", "P\u202e1"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(launch_firm(ident), schema)
    # A pattern without the `u` flag cannot name U+E0001: the schema says the reader refuses it.
    jsonschema.validate(launch_firm("P1\U000e0001"), schema)
    assert "U+E0001" in schema["properties"]["firms"]["items"]["properties"]["id"]["description"]
    with pytest.raises(FactsError):
        policy.read_facts(launch_firm("P1\U000e0001"))


def test_the_pattern_means_the_same_in_ecma_262(ecma_matches: Any) -> None:
    """Chromium's RegExp (no `u` flag, as JSON Schema validators read `pattern`) refuses an id
    holding each BMP invisible character, and takes one holding an astral one."""
    from policyrules.runtime.ids import INVISIBLE_RANGES

    bmp = [c for a, b in INVISIBLE_RANGES for c in range(a, b + 1) if c < 0x10000]
    ids = ["0701", "P 1", *(f"P{chr(c)}1" for c in bmp), "P1\U000e0001"]
    assert ecma_matches(ID_PATTERN, ids) == [True, True, *(False for _ in bmp), True]


def test_a_ledger_file_grant_with_an_invisible_character_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    grant = {"provision": LAUNCH, "firm": "firm-a", "product": ZWSP, "amount": "200万元",
             "year": 2026}  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"ledger": [grant]}), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(path)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert f"{NAMED}: '0701\\u200b'" in d.message
    with pytest.raises(LedgerError) as info:
        policy.read_ledger([grant])
    assert info.value.diagnostics[0].code == "E323"


def test_a_registry_id_with_an_invisible_character_is_e624(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        f"id,firm_id,approved_on\n0701,firm-a,2026-03-02\n{ZWSP},firm-a,2026-03-02\n",
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(f'products.csv: row 2, column id: {NAMED}: "{ZWSP}"')
    assert d.hint is not None
    assert d.hint.startswith(HINT)


def test_a_registry_ledger_id_with_an_invisible_character_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        f"provision,firm,product,amount,year\n{LAUNCH},firm-a,{ZWSP},200万元,2026\n",
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, LedgerError)
    assert d.code == "E323"
    assert d.message.endswith(f"ledger.csv: row 1, column product: {NAMED}: '0701\\u200b'")


def test_a_grant_built_in_python_with_an_invisible_character_is_e323() -> None:
    path = (("firm", "firm-a"), ("product", ZWSP))
    with pytest.raises(LedgerError) as built:
        Grant(LAUNCH, path, Money.parse("200万元"), 2026)
    (d,) = built.value.diagnostics
    assert d.code == "E323"
    assert d.message == f"a grant's path: product: {NAMED}: '0701\\u200b'"
