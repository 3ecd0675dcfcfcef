"""An id holding a digit of another script, or a full-width ``－ ． ／ ＿``, is refused
wherever ids are read.

``٠٧٠١`` (Arabic-Indic), ``०७०१`` (Devanagari) and ``𝟎𝟕𝟎𝟏`` (mathematical bold, copied from
styled text) read as ``0701``, and ``P－1`` (a full-width hyphen, as an input method writes
it in full-width mode) as ``P-1``, but ids compare exactly: a store holding the one-time
award (京经信发〔2025〕50号 第3条, 200 万元 a product) of firm ``0701`` did not see firm
``٠٧٠١`` and paid it again.  Every decimal digit (Unicode category Nd) beyond ASCII 0-9 is
refused (no Chinese registry's id holds one), and U+FF0D, U+FF0E, U+FF0F, U+FF3F; the
full-width brackets of a registered name (``（北京）``), the CJK punctuation, ``·`` and the
ideographs are taken.  Each route, as ``test_ids_full_width.py``: a facts file (YAML,
JSON, built in Python: E303), a ledger store (``eval --ledger STORE``, and a store an
earlier version wrote: E330), a ledger file and a ``Grant`` (E323), the JSON Schema (and
ECMA 262), and the batch's registry (E624) and its ledger (E323),
on DuckDB and on Spark.
The service's answer (400, E303) is in one table with the other kinds': test_ids_service.py.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.cli import main
from policyrules.convert_ids import ids_ok
from policyrules.errors import FactsError, LedgerError, TableError
from policyrules.runtime.ids import (
    FULL_WIDTH_MARK_RANGES,
    FULL_WIDTH_RANGES,
    ID_PATTERN,
    ID_REGEX,
    OTHER_DIGIT_RANGES,
    id_fault,
)
from policyrules.store import LedgerStore
from policyrules.tables import id_problem
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import batch_refusal, launch_firm, product_registry, spark_batch

ARABIC = "٠٧٠١"  # firm 0701 in Arabic-Indic digits
NAMED = "an id holds a digit of another script, U+0660 ARABIC-INDIC DIGIT ZERO, at character 1"
HINT = (
    "write '0701' (digits in ASCII 0-9, as every Chinese registry writes its ids): ids compare "
    "exactly, so '٠٧٠١' would be another item than '0701' (another firm, another product), "
    "its awards paid again"
)
MARK = "an id holds a full-width punctuation mark, U+FF0D FULLWIDTH HYPHEN-MINUS, at character 2"
NAME = "北京甲医疗器械（北京）有限公司"  # full-width brackets: ordinary Chinese
TAKEN = (NAME, "产品【1】", "产品、1", "第一号", "P·1", "二零二五")


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _codes(ranges: tuple[tuple[int, int], ...]) -> list[int]:
    return [c for a, b in ranges for c in range(a, b + 1)]


def test_the_ranges_are_every_decimal_digit_beyond_ascii() -> None:
    """OTHER_DIGIT_RANGES are the code points of category Nd but 0-9, read from every code
    point of the running Python's ``unicodedata`` (the table written out for 14.0.0 too);
    each is refused, named (a full-width one as full-width), the hint giving its digit."""
    every = [c for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == "Nd"]
    assert _codes(OTHER_DIGIT_RANGES) == every
    assert len(every) >= 640  # Unicode 14.0.0's 650 less ASCII's 10
    full_width = set(_codes(FULL_WIDTH_RANGES))
    for c in every:
        digit = str(unicodedata.digit(chr(c)))
        fault = id_fault(f"P{chr(c)}1")
        assert fault is not None, hex(c)
        what = "full-width letter or digit" if c in full_width else "digit of another script"
        name = f"U+{c:04X} {unicodedata.name(chr(c))}"
        assert fault[0].startswith(f"an id holds a {what}, {name}, at character 2: "), hex(c)
        assert fault[1].startswith(f"write 'P{digit}1' "), hex(c)
        assert ID_REGEX.search(f"P{chr(c)}1") is None
        assert not ids_ok(["P1", f"P{chr(c)}1"])


def test_the_marks_are_the_full_width_forms_of_an_ids_marks() -> None:
    """U+FF0D-U+FF0F and U+FF3F are the full-width forms whose ASCII one (NFKC) is among
    ``- . / _``; each is refused and named, the hint giving the id in ASCII."""
    marks = _codes(FULL_WIDTH_MARK_RANGES)
    forms = range(0xFF01, 0xFF61)
    assert marks == [c for c in forms if unicodedata.normalize("NFKC", chr(c)) in "-./_"]
    for c in marks:
        fault = id_fault(f"P{chr(c)}1")
        assert fault is not None, hex(c)
        name = f"U+{c:04X} {unicodedata.name(chr(c))}"
        assert fault[0].startswith(f"an id holds a full-width punctuation mark, {name}, at "), c
        assert fault[1].startswith(f"write 'P{chr(c - 0xFEE0)}1' (the marks - . / _ in "), c
        assert not ids_ok([f"P{chr(c)}1"])


@pytest.mark.parametrize(
    ("ident", "named", "fixed"),
    [
        (ARABIC, "U+0660 ARABIC-INDIC DIGIT ZERO, at character 1", "0701"),
        ("۰۷۰۱", "U+06F0 EXTENDED ARABIC-INDIC DIGIT ZERO, at character 1", "0701"),
        ("产品०७", "U+0966 DEVANAGARI DIGIT ZERO, at character 3", "产品07"),
        ("F𝟎𝟕", "U+1D7CE MATHEMATICAL BOLD DIGIT ZERO, at character 2", "F07"),
        ("P-1٣", "U+0663 ARABIC-INDIC DIGIT THREE, at character 4", "P-13"),
    ],
)
def test_id_fault_names_the_digit_and_gives_the_id_in_ascii(
    ident: str, named: str, fixed: str
) -> None:
    assert id_fault(ident) == (
        f"an id holds a digit of another script, {named}: '{ident}'",
        f"write '{fixed}' (digits in ASCII 0-9, as every Chinese registry writes its ids): ids "
        f"compare exactly, so '{ident}' would be another item than '{fixed}' (another firm, "
        "another product), its awards paid again",
    )
    assert ID_REGEX.search(ident) is None


def test_a_full_width_mark_is_named_and_the_whole_id_given_in_ascii() -> None:
    assert id_fault("P－1") == (
        f"{MARK}: 'P－1'",
        "write 'P-1' (the marks - . / _ in half-width ASCII, as an input method writes them in "
        "half-width mode): ids compare exactly, so 'P－1' would be another item than 'P-1' "
        "(another firm, another product), its awards paid again",
    )
    fault = id_fault("Ｐ－٣．1")  # the first named; the hint writes all in ASCII
    assert fault is not None
    assert fault[0].startswith("an id holds a full-width letter or digit, U+FF30 ")
    assert fault[1].startswith("write 'P-3.1' ")


def test_chinese_text_and_other_numerals_are_taken(policy: policyrules.Policy) -> None:
    """``（北京）``, CJK punctuation, ``·`` and ideographs (``零`` among them) stay ids; a firm
    named so is paid (``〇``, ``①``, ``²``: test_ids_number_forms.py)."""
    for ident in TAKEN:
        assert id_fault(ident) is None, ident
        assert ID_REGEX.search(ident) is not None, ident
    assert ids_ok(list(TAKEN))
    facts = launch_firm("P1", NAME)
    facts["firms"][0]["name"] = NAME
    assert [g.amount.fen for g in policy.evaluate(facts).grants] == [200_000_000]
    jsonschema.validate(facts, policy.schema())


@pytest.mark.parametrize(
    ("suffix", "text", "said"),
    [
        ("json", '{"firms": [{"id": "٠٧٠١"}]}', f"firms[0].id: {NAMED}: '٠٧٠١'"),
        ("yaml", "firms:\n  - id: ٠٧٠١\n", f"firms[0].id: {NAMED}: '٠٧٠١'"),
        ("yaml", "firms:\n  - id: '٠٧٠١'\n", f"firms[0].id: {NAMED}: '٠٧٠١'"),
        ("yaml", "firms:\n  - id: f\n    products:\n      - id: P－1\n", "products[0].id: "),
    ],
)
def test_a_facts_file_id_with_another_scripts_digit_or_a_mark_is_e303(
    policy: policyrules.Policy, suffix: str, text: str, said: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert said in d.message
    if "٠" in text:
        assert d.hint == HINT
    else:
        assert f"{MARK}: 'P－1'" in d.message


def test_facts_built_in_python_and_the_schema_refuse_them(policy: policyrules.Policy) -> None:
    """Facts given as Python data are read as a file's are; the JSON Schema's pattern
    refuses the BMP's digits and the marks, and says the reader refuses the astral digits
    (U+1D7CE...), which a pattern without the `u` flag cannot name."""
    first = policy.evaluate(launch_firm("P1", "0701"))
    assert [g.amount.fen for g in first.grants] == [200_000_000]
    for facts in (launch_firm("P1", ARABIC), launch_firm("P－1", "0701"), launch_firm("P𝟏")):
        with pytest.raises(FactsError) as info:
            policy.evaluate(facts, ledger=first.ledger())
        assert info.value.diagnostics[0].code == "E303"
    schema = policy.schema()
    for ident in (ARABIC, "०७०१", "P－1", "P．1", "P／1", "P＿1"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(launch_firm(ident), schema)
    jsonschema.validate(launch_firm("P𝟏"), schema)
    described = schema["properties"]["firms"]["items"]["properties"]["id"]["description"]
    assert "a digit of another script" in described
    assert "U+1D7CE-U+1D7FF" in described
    assert "U+FF0D-U+FF0F" in described


def test_the_pattern_means_the_same_in_ecma_262(ecma_matches: Any) -> None:
    """Chromium's RegExp (no `u` flag, as JSON Schema validators read `pattern`) refuses an id
    holding each BMP digit beyond ASCII and each full-width mark, takes Chinese text, and
    an astral digit (the reader refuses it, as the schema's description says)."""
    bmp = [c for c in _codes(OTHER_DIGIT_RANGES) + _codes(FULL_WIDTH_MARK_RANGES) if c < 0x10000]
    ids = ["0701", *TAKEN, *(f"P{chr(c)}1" for c in bmp), "P𝟏"]
    want = [True, *(True for _ in TAKEN), *(False for _ in bmp), True]
    assert ecma_matches(ID_PATTERN, ids) == want


def _facts_file(folder: Path, name: str, product: str, firm: str) -> str:
    path = folder / name
    path.write_text(json.dumps(launch_firm(product, firm), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_store_does_not_pay_firm_0701_again_as_another_scripts_digits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The double payment: firm 0701's launch reward (200 万元, once a product) recorded in a
    store, then the same firm written ٠٧٠١, or ०७०१, or its product P-1 written P－1: each was
    paid 200 万元 again (the store reads its grants by the firm's id, and ٠٧٠١ is another);
    now E303, nothing recorded, the store holding the one grant."""
    store = str(tmp_path / "grants.db")
    assert main(["ledger", "init", store]) == 0
    paid = _facts_file(tmp_path, "f.json", "P-1", "0701")
    assert main(["eval", str(POLICY), paid, "--ledger", store]) == 0
    assert "记录 1 笔发放，200 万元" in capsys.readouterr().err
    for name, product, firm, said in (
        ("a.json", "P-1", ARABIC, f"error[E303]: firms[0].id: {NAMED}: '٠٧٠١'"),
        ("d.json", "P-1", "०७०१", "firms[0].id: an id holds a digit of another script, U+0966"),
        ("m.json", "P－1", "0701", f"firms[0].products[0].id: {MARK}: 'P－1'"),
    ):
        again = _facts_file(tmp_path, name, product, firm)
        assert main(["eval", str(POLICY), again, "--ledger", store]) == 2
        err = capsys.readouterr().err
        assert said in err
        assert "write '0701'" in err or "write 'P-1'" in err
        assert "recorded" not in err
    assert main(["ledger", "show", store]) == 0
    out = capsys.readouterr()
    assert "1 grant(s), 2,000,000.00 元" in out.out + out.err


def test_a_schema_5_store_holding_such_an_id_is_refused_until_mended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store of schema 5 (the version that took ٠٧٠١) holding firm ٠٧٠١'s launch reward:
    a run for firm 0701 would not read that grant and would pay it again.  Opening it is
    E330 naming the grant, the fault and how to mend it; the store is left at 5, unchanged,
    and nothing is paid.  A schema 5 store of plain ids opens as 8, its grants kept."""
    path = tmp_path / "grants.db"
    grant = Grant(LAUNCH, (("firm", "x"), ("product", "P-1")), Money.parse("200万元"), 2026)
    with LedgerStore.open(path, create=True) as store:
        store.append([grant])
    with sqlite3.connect(path) as conn:  # as policyrules with schema 5 wrote it
        conn.execute(
            "UPDATE grants SET firm = ?, path = ?",
            (ARABIC, json.dumps([["firm", ARABIC], ["product", "P-1"]], ensure_ascii=False)),
        )
        conn.execute("PRAGMA user_version = 5")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    assert info.value.code == "E330"
    assert f"grant #1 holds an id this policyrules refuses: {NAMED}: '٠٧٠١'" in str(info.value)
    assert info.value.hint is not None
    assert "a digit of another script" in info.value.hint
    assert "write '0701'" in info.value.hint
    facts = _facts_file(tmp_path, "f.json", "P-1", "0701")
    assert main(["eval", str(POLICY), facts, "--ledger", str(path)]) == 2
    assert "error[E330]" in capsys.readouterr().err
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE grants SET firm = '0701', path = ?", ('[["firm","0701"],["product","P-1"]]',)
        )
    conn.close()
    with LedgerStore.open(path) as store:
        assert store.grants().total() == Money.parse("200万元")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
    conn.close()
    assert main(["eval", str(POLICY), facts, "--ledger", str(path)]) == 0
    # paid once, in the store
    assert "未记录新的发放：该库已有 0701 的发放 1 笔，200 万元" in capsys.readouterr().err


def test_a_ledger_grant_with_another_scripts_digit_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    grant = {"provision": LAUNCH, "firm": ARABIC, "product": "P1", "amount": "200万元",
             "year": 2026}  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"ledger": [grant]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(path)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert f"{NAMED}: '٠٧٠١'" in d.message
    assert d.hint == HINT
    for product, said in (
        ("P𝟏", "U+1D7CF MATHEMATICAL BOLD DIGIT ONE, at character 2: 'P𝟏'"),
        ("P－1", "U+FF0D FULLWIDTH HYPHEN-MINUS, at character 2: 'P－1'"),
    ):
        with pytest.raises(LedgerError) as info:
            Grant(LAUNCH, (("firm", "0701"), ("product", product)), Money.parse("200万元"), 2026)
        message = info.value.diagnostics[0].message
        assert message.startswith("a grant's path: product: an id holds a ")
        assert message.endswith(said)


def test_the_registrys_sql_finds_each_digit_and_mark() -> None:
    """``id_problem`` on DuckDB (RE2; Spark runs it translated) says ``lookalike`` for an id
    holding any digit beyond ASCII (astral ones too) or full-width mark, nothing for
    Chinese text."""
    codes = _codes(OTHER_DIGIT_RANGES) + _codes(FULL_WIDTH_MARK_RANGES)
    ids = [f"P{chr(c)}1" for c in codes]
    with duckdb.connect() as con:
        got = con.execute(
            f"SELECT list_transform(?::VARCHAR[], lambda i: {id_problem('i')})", [ids + list(TAKEN)]
        ).fetchone()
    assert got is not None
    assert got[0] == ["lookalike"] * len(ids) + [None] * len(TAKEN)


def test_a_registry_id_with_another_scripts_digit_is_e624_and_its_ledgers_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text(f"id,name\n0701,{NAME}\n{ARABIC},x\n", encoding="utf-8")
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(f'firms.csv: row 2, column id: {NAMED}: "{ARABIC}"')
    assert d.hint == HINT.replace("'", '"')
    (tmp_path / "firms.csv").write_text(f"id,name\n0701,{NAME}\n", encoding="utf-8")
    for firm, product, said in (
        (ARABIC, "P1", f"column firm: {NAMED}: '٠٧٠١'"),
        ("0701", "P－1", f"column product: {MARK}: 'P－1'"),
        ("0701", "P𝟏", "column product: an id holds a digit of another script, U+1D7CF"),
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
def test_spark_refuses_another_scripts_digit_in_a_registry_id_and_a_ledger_id(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (each product's remark, text, holds （北京）: taken, as the last run shows)
    registry = product_registry(tmp_path / "r1", "P١", remark=NAME)
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E624]" in err
    assert (
        "column id: an id holds a digit of another script, "
        'U+0661 ARABIC-INDIC DIGIT ONE, at character 2: "P١"'
    ) in err
    registry = product_registry(tmp_path / "r2", "P1", ("F𝟏", "P1"), remark=NAME)
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E323]" in err
    assert (
        "column firm: an id holds a digit of another script, "
        "U+1D7CF MATHEMATICAL BOLD DIGIT ONE, at character 2: 'F𝟏'"
    ) in err
    assert "write 'F1'" in err
    registry = product_registry(tmp_path / "r3", "P1", ("F1", "P1"), remark=NAME)
    assert spark_batch(capsys, tmp_path, registry)[0] == 0
