"""An id holding a line break is refused wherever ids are read, as an invisible character is.

An id is printed in one-line texts: messages, logs, CSV.  U+2028 LINE SEPARATOR or U+2029
PARAGRAPH SEPARATOR inside one (they were refused only at an end, as white space) starts a
line of its own there, which reads as another record.  Everything else ``str.splitlines``
breaks on (``\\n \\r \\v \\f \\x1c-\\x1e \\x85``) is a control character, refused already.
Each route: a facts file (YAML, JSON, built in Python: E303), a ledger file and a ``Grant``
(E323), the JSON Schema, and the batch's registry (E624) and its
ledger (E323), on DuckDB and on Spark.
The service's answer (400, E303) is in one table with the other kinds': test_ids_service.py.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.convert_ids import ids_ok
from policyrules.errors import FactsError, LedgerError, TableError
from policyrules.runtime.ids import CONTROL, LINE_BREAK_RANGES, id_fault
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import batch_refusal, launch_firm, product_registry, spark_batch

LS = "07\u202801"  # U+2028 LINE SEPARATOR inside
NAMED = "an id holds a line break, U+2028 LINE SEPARATOR, at character 3"
HINT = "remove it: an id is printed on one line (messages, logs, CSV)"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _breaks() -> set[int]:
    return {c for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}b".splitlines()) > 1}


def test_every_character_splitlines_breaks_on_is_refused_inside_an_id() -> None:
    """Those that are no control character are LINE_BREAK_RANGES (Zl and Zp), each refused
    as a line break; the rest (\\v, \\f, \\x1c-\\x1e, \\x85...) as control characters."""
    breaks = _breaks()
    control = {c for c in breaks if re.fullmatch(f"[{CONTROL}]", chr(c))}
    assert {0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85} <= control
    assert breaks - control == {c for a, b in LINE_BREAK_RANGES for c in range(a, b + 1)}
    for c in sorted(breaks):
        fault = id_fault(f"P{chr(c)}1")
        assert fault is not None, hex(c)
        what = "a control character" if c in control else "a line break"
        assert what in fault[0], hex(c)


@pytest.mark.parametrize(
    ("ident", "named"),
    [
        (LS, "U+2028 LINE SEPARATOR, at character 3"),
        ("P\u20291", "U+2029 PARAGRAPH SEPARATOR, at character 2"),
    ],
)
def test_id_fault_names_the_line_break(ident: str, named: str) -> None:
    fault = id_fault(ident)
    assert fault == (
        f"an id holds a line break, {named}: {ident!r}",
        "remove it: an id is printed on one line (messages, logs, CSV), where a line break "
        "inside it starts a line of its own that reads as another record (it came in with "
        "the id, copied from a web page or a word processor)",
    )
    assert not ids_ok(["P1", ident])


def test_a_line_break_at_an_end_is_still_white_space() -> None:
    fault = id_fault("P1\u2028")
    assert fault is not None
    assert fault[0] == "an id has white space at its start or end: 'P1\\u2028'"


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        ("json", '{"firms": [{"id": "07\\u202801"}]}'),
        ("yaml", 'firms:\n  - id: "07\\u202801"\n'),
    ],
)
def test_a_facts_file_id_with_a_line_break_is_e303(
    policy: policyrules.Policy, suffix: str, text: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert f"firms[0].id: {NAMED}: '07\\u202801'" in d.message
    assert d.hint is not None
    assert d.hint.startswith(HINT)


def test_facts_built_in_python_and_the_schema_refuse_it(policy: policyrules.Policy) -> None:
    with pytest.raises(FactsError) as info:
        policy.evaluate(launch_firm(LS))
    assert info.value.diagnostics[0].code == "E303"
    assert NAMED in info.value.diagnostics[0].message
    schema = policy.schema()
    jsonschema.validate(launch_firm("0701"), schema)
    for ident in (LS, "P\u20291"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(launch_firm(ident), schema)


def test_a_ledger_grant_with_a_line_break_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    grant = {"provision": LAUNCH, "firm": "firm-a", "product": LS, "amount": "200万元",
             "year": 2026}  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"ledger": [grant]}), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(path)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert f"{NAMED}: '07\\u202801'" in d.message
    with pytest.raises(LedgerError) as info:
        Grant(LAUNCH, (("firm", "firm-a"), ("product", LS)), Money.parse("200万元"), 2026)
    assert info.value.diagnostics[0].message == f"a grant's path: product: {NAMED}: '07\\u202801'"


def test_a_registry_id_with_a_line_break_is_e624_and_its_ledgers_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        f'id,firm_id,approved_on\n0701,firm-a,2026-03-02\n"{LS}",firm-a,2026-03-02\n',
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(f'products.csv: row 2, column id: {NAMED}: "{LS}"')
    assert d.hint is not None
    assert d.hint.startswith(HINT)
    (tmp_path / "products.csv").write_text(
        "id,firm_id,approved_on\n0701,firm-a,2026-03-02\n", encoding="utf-8"
    )
    (tmp_path / "ledger.csv").write_text(
        f'provision,firm,product,amount,year\n{LAUNCH},firm-a,"{LS}",200万元,2026\n',
        encoding="utf-8",
    )
    d = batch_refusal(policy, tmp_path, LedgerError)
    assert d.code == "E323"
    assert d.message.endswith(f"ledger.csv: row 1, column product: {NAMED}: '07\\u202801'")


# ---- Spark: the same SQL check, translated ----------------------------------------------


@pytest.mark.timeout(600)
def test_spark_refuses_a_line_break_in_a_registry_id_and_a_ledger_id(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = spark_batch(capsys, tmp_path, product_registry(tmp_path / "r1", "P\u20281"))
    assert code == 2
    assert "error[E624]" in err
    # (printed with the line break escaped: the terminal's text never breaks a line there)
    said = 'column id: an id holds a line break, U+2028 LINE SEPARATOR, at character 2: "P\\u20281"'
    assert said in err
    registry = product_registry(tmp_path / "r2", "P1", ("F1", "P\u20291"))
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E323]" in err
    assert (
        "column product: an id holds a line break, U+2029 PARAGRAPH SEPARATOR, at character 2: "
        "'P\\u20291'"
    ) in err
