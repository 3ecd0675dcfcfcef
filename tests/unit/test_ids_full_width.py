"""An id holding a full-width Latin letter or digit is refused wherever ids are read.

A Chinese input method in full-width mode writes ``０７０１`` and ``Ｐ1``: they read as
``0701`` and ``P1`` but are other ids (ids compare exactly), so a store or ledger holding
the one-time award (京经信发〔2025〕50号 第3条) of firm ``0701`` did not see firm
``０７０１``, and paid it again (a new user's trial).  Money, dates and rates written so were
refused already.  Only U+FF10-U+FF19, U+FF21-U+FF3A and U+FF41-U+FF5A are: ``（北京）`` in a
firm's registered name is ordinary Chinese.  Each route: a facts file (YAML, JSON, built in
Python: E303), a ledger store (``eval --ledger STORE``), a ledger file and a ``Grant``
(E323), the JSON Schema (and ECMA 262), and the batch's registry
(E624) and its ledger (E323), on DuckDB and on Spark.
The service's answer (400, E303) is in one table with the other kinds': test_ids_service.py.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.cli import main
from policyrules.convert_ids import ids_ok
from policyrules.errors import FactsError, LedgerError, TableError
from policyrules.runtime.ids import FULL_WIDTH_RANGES, ID_PATTERN, ID_REGEX, id_fault
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import batch_refusal, launch_firm, product_registry, spark_batch

WIDE = "０７０１"  # firm 0701, written in full-width mode
NAMED = "an id holds a full-width letter or digit, U+FF10 FULLWIDTH DIGIT ZERO, at character 1"
HINT = (
    "write '0701' (letters and digits in half-width ASCII, as an input method writes them in "
    "half-width mode): ids compare exactly, so '０７０１' would be another item than '0701' "
    "(another firm, another product), its awards paid again"
)
NAME = "北京甲医疗器械（北京）有限公司"  # full-width brackets: ordinary Chinese


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _full_width() -> set[int]:
    return {c for a, b in FULL_WIDTH_RANGES for c in range(a, b + 1)}


def test_the_ranges_are_the_full_width_latin_letters_and_digits() -> None:
    """Each is an ASCII letter or digit plus 0xFEE0, and every full-width form that is one
    (by NFKC) is among them; each is refused, named, the hint giving the id in ASCII."""
    wide = _full_width()
    assert len(wide) == 10 + 26 + 26
    forms = range(0xFF01, 0xFF61)
    assert wide == {c for c in forms if unicodedata.normalize("NFKC", chr(c)).isalnum()}
    for c in sorted(wide):
        ascii_char = chr(c - 0xFEE0)
        assert ascii_char.isascii(), hex(c)
        assert ascii_char.isalnum(), hex(c)
        fault = id_fault(f"P{chr(c)}1")
        assert fault is not None, hex(c)
        assert f"U+{c:04X} {unicodedata.name(chr(c))}, at character 2" in fault[0]
        assert fault[1].startswith(f"write 'P{ascii_char}1' "), hex(c)
        assert not ids_ok(["P1", f"P{chr(c)}1"])


@pytest.mark.parametrize(
    ("ident", "named", "fixed"),
    [
        (WIDE, "U+FF10 FULLWIDTH DIGIT ZERO, at character 1", "0701"),
        ("Ｐ1", "U+FF30 FULLWIDTH LATIN CAPITAL LETTER P, at character 1", "P1"),
        ("p-１２ａ", "U+FF11 FULLWIDTH DIGIT ONE, at character 3", "p-12a"),
        ("产品ｚ", "U+FF5A FULLWIDTH LATIN SMALL LETTER Z, at character 3", "产品z"),
    ],
)
def test_id_fault_names_the_character_and_gives_the_id_in_ascii(
    ident: str, named: str, fixed: str
) -> None:
    assert id_fault(ident) == (
        f"an id holds a full-width letter or digit, {named}: '{ident}'",
        f"write '{fixed}' (letters and digits in half-width ASCII, as an input method writes "
        f"them in half-width mode): ids compare exactly, so '{ident}' would be another item "
        f"than '{fixed}' (another firm, another product), its awards paid again",
    )
    assert ID_REGEX.search(ident) is None


def test_other_full_width_forms_are_ordinary_text(policy: policyrules.Policy) -> None:
    """``（北京）``, the CJK punctuation and the ideographic ones stay: an id may be a
    registered name (full-width `－ ． ／ ＿` are refused: test_ids_other_digits.py)."""
    for ident in (NAME, "产品【1】", "产品、1", "第一号", "P·1"):
        assert id_fault(ident) is None, ident
        assert ID_REGEX.search(ident) is not None
    assert ids_ok([NAME, "0701"])
    facts = launch_firm("P1", NAME)
    facts["firms"][0]["name"] = NAME
    result = policy.evaluate(facts)
    assert [g.amount.fen for g in result.grants] == [200_000_000]
    jsonschema.validate(facts, policy.schema())
    loaded = policy.load_facts("f.yaml", raw=f"firms:\n  - id: {NAME}\n    name: {NAME}\n".encode())
    assert [i.id for i in loaded.instances["firm"]] == [NAME]


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        ("json", '{"firms": [{"id": "０７０１"}]}'),
        ("yaml", "firms:\n  - id: ０７０１\n"),
        ("yaml", "firms:\n  - id: '０７０１'\n"),
    ],
)
def test_a_facts_file_id_in_full_width_is_e303(
    policy: policyrules.Policy, suffix: str, text: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert f"firms[0].id: {NAMED}: '０７０１'" in d.message
    assert d.hint == HINT


def test_facts_built_in_python_and_the_schema_refuse_it(policy: policyrules.Policy) -> None:
    first = policy.evaluate(launch_firm("P1", "0701"))
    assert [g.amount.fen for g in first.grants] == [200_000_000]
    for facts in (launch_firm("P1", WIDE), launch_firm("Ｐ1", "0701")):
        with pytest.raises(FactsError) as info:
            policy.evaluate(facts, ledger=first.ledger())
        assert info.value.diagnostics[0].code == "E303"
        assert "an id holds a full-width letter or digit" in info.value.diagnostics[0].message
    schema = policy.schema()
    jsonschema.validate(launch_firm("0701"), schema)
    for ident in (WIDE, "Ｐ1", "pｚ"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(launch_firm(ident), schema)
    described = schema["properties"]["firms"]["items"]["properties"]["id"]["description"]
    assert "full-width Latin letter or digit" in described


def test_the_pattern_means_the_same_in_ecma_262(ecma_matches: Any) -> None:
    """Chromium's RegExp (no `u` flag, as JSON Schema validators read `pattern`) refuses an id
    holding each full-width letter or digit, and takes other full-width forms."""
    wide = sorted(_full_width())
    ids = ["0701", NAME, "P·1", *(f"P{chr(c)}1" for c in wide)]
    assert ecma_matches(ID_PATTERN, ids) == [True, True, True, *(False for _ in wide)]


def test_a_store_does_not_pay_a_full_width_firm_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new user's trial: firm 0701's launch reward recorded in a store, then the same
    firm written ０７０１ (or its product Ｐ1) was paid 200 万元 again; now E303, nothing
    recorded."""
    store = str(tmp_path / "grants.db")
    assert main(["ledger", "init", store]) == 0
    for name, firm, product in (("f.json", "0701", "P1"), ("w.json", WIDE, "P1"),
                                ("p.json", "0701", "Ｐ1")):  # fmt: skip
        (tmp_path / name).write_text(
            json.dumps(launch_firm(product, firm), ensure_ascii=False), encoding="utf-8"
        )
    assert main(["eval", str(POLICY), str(tmp_path / "f.json"), "--ledger", store]) == 0
    assert "记录 1 笔发放，200 万元" in capsys.readouterr().err
    assert main(["eval", str(POLICY), str(tmp_path / "w.json"), "--ledger", store]) == 2
    err = capsys.readouterr().err
    assert f"error[E303]: firms[0].id: {NAMED}: '０７０１'" in err
    assert "write '0701'" in err
    assert main(["eval", str(POLICY), str(tmp_path / "p.json"), "--ledger", store]) == 2
    err = capsys.readouterr().err
    assert "firms[0].products[0].id: an id holds a full-width letter or digit, U+FF30" in err
    assert main(["ledger", "show", store]) == 0
    out = capsys.readouterr()
    assert "1 grant(s), 2,000,000.00 元" in out.out + out.err


def test_a_ledger_grant_in_full_width_is_e323(policy: policyrules.Policy, tmp_path: Path) -> None:
    grant = {"provision": LAUNCH, "firm": WIDE, "product": "P1", "amount": "200万元",
             "year": 2026}  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"ledger": [grant]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(path)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert f"{NAMED}: '０７０１'" in d.message
    assert d.hint == HINT
    with pytest.raises(LedgerError) as info:
        Grant(LAUNCH, (("firm", "0701"), ("product", "Ｐ1")), Money.parse("200万元"), 2026)
    assert info.value.diagnostics[0].message == (
        "a grant's path: product: an id holds a full-width letter or digit, "
        "U+FF30 FULLWIDTH LATIN CAPITAL LETTER P, at character 1: 'Ｐ1'"
    )


def test_a_registry_id_in_full_width_is_e624_and_its_ledgers_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text(f"id,name\n0701,{NAME}\n{WIDE},x\n", encoding="utf-8")
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(f'firms.csv: row 2, column id: {NAMED}: "{WIDE}"')
    assert d.hint == HINT.replace("'", '"')
    (tmp_path / "firms.csv").write_text(f"id,name\n0701,{NAME}\n", encoding="utf-8")
    for firm, product, said in (
        (WIDE, "P1", f"column firm: {NAMED}: '０７０１'"),
        ("0701", "Ｐ1", "column product: an id holds a full-width letter or digit, U+FF30"),
    ):
        (tmp_path / "ledger.csv").write_text(
            f"provision,firm,product,amount,year\n{LAUNCH},{firm},{product},200万元,2026\n",
            encoding="utf-8",
        )
        d = batch_refusal(policy, tmp_path, LedgerError)
        assert d.code == "E323"
        assert f"ledger.csv: row 1, {said}" in d.message


# ---- Spark: the same SQL check, translated ----------------------------------------------


@pytest.mark.timeout(600)
def test_spark_refuses_a_full_width_registry_id_and_ledger_id(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (each product's remark, text, holds （北京）: taken, as the last run shows)
    registry = product_registry(tmp_path / "r1", "Ｐ1", remark=NAME)
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E624]" in err
    assert (
        "column id: an id holds a full-width letter or digit, "
        'U+FF30 FULLWIDTH LATIN CAPITAL LETTER P, at character 1: "Ｐ1"'
    ) in err
    registry = product_registry(tmp_path / "r2", "P1", ("Ｆ1", "P1"), remark=NAME)
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E323]" in err
    assert (
        "column firm: an id holds a full-width letter or digit, "
        "U+FF26 FULLWIDTH LATIN CAPITAL LETTER F, at character 1: 'Ｆ1'"
    ) in err
    assert "write 'F1'" in err
    registry = product_registry(tmp_path / "r3", "P1", ("F1", "P1"), remark=NAME)
    assert spark_batch(capsys, tmp_path, registry)[0] == 0
