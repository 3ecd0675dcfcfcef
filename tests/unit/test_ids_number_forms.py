"""An id holding a number character that is no digit (``① ⑴ ⒈ ² ₂ ½ Ⅻ 〇``, Unicode
categories No and Nl), a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter (Cyrillic ``А Р
О С``, Greek
``Α Ρ``) or a styled or compatibility form of a letter (``𝐏 ℙ Ⓟ ™``: NFKC writes it as ASCII)
is refused wherever ids are read.

``P①`` reads as ``P1``, ``〇701`` as ``0701`` and ``РЗ`` (Cyrillic Er and Ze) as ``P3``, but
ids compare exactly: a store holding the one-time launch award (京经信发〔2025〕50号 第3条,
200 万元 a product) of product ``P1`` did not see product ``P①`` and paid it again.  The
hint gives the id in ASCII where it reads as ASCII (NFKC, a number's whole value, TR39's
confusables: ``runtime/ids_lookalike.py``).  Han, kana, Hangul, ``零``, other scripts'
letters (``ب``) and the micro sign ``µ`` are taken.  Each route, as
``test_ids_other_digits.py``: a facts file (YAML, JSON, built in Python: E303), a ledger
store (``eval --ledger STORE``, and a store of schema 6: E330), a ledger file and a
``Grant`` (E323), the JSON Schema (and ECMA 262 in node), and the
batch's registry (E624) and its ledger (E323), on DuckDB and on Spark.

Each test states the rule from ``unicodedata`` and the Unicode blocks, not from the
module's tables, and each fails on the code before these were refused (run so: all but
the one that checks what is taken failed).
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
from policyrules.runtime.ids import ID_PATTERN, ID_REGEX, id_fault
from policyrules.store import LedgerStore
from policyrules.tables import id_problem
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import batch_refusal, launch_firm, product_registry, spark_batch

CIRCLED = "P①"
NAMED = (
    "an id holds a number character that is no digit 0-9 (circled, superscript, Roman, a "
    "fraction, 〇...), U+2460 CIRCLED DIGIT ONE, at character 2"
)
HINT = (
    "write 'P1' (ASCII digits and letters, as every Chinese registry writes its ids): ids "
    "compare exactly, so 'P①' would be another item than 'P1' (another firm, another "
    "product), its awards paid again"
)
ER = "Р1"  # a Cyrillic Er, then an ASCII 1
LETTER = "an id holds a letter of another script, U+0420 CYRILLIC CAPITAL LETTER ER, at character 1"
# Chinese text, 零, kana, Hangul, an Arabic letter, the micro sign (Latin-1), ·, （北京）.
TAKEN = ("北京甲（北京）有限公司", "二零二五", "カ1", "가1", "ب1", "5µm", "P·1", "P-1")
# The Greek and Coptic, Cyrillic (and its Supplement, Extended-B, -C, -D), Armenian,
# Cherokee (and its Supplement), Greek Extended, Coptic and Lisu (and its Supplement) blocks:
# their letters are refused.
BLOCKS = ((0x0370, 0x052F), (0x0530, 0x058F), (0x13A0, 0x13FF), (0x1C80, 0x1C8F),
          (0x1F00, 0x1FFF), (0x2C80, 0x2CFF), (0xA4D0, 0xA4FF), (0xA640, 0xA69F),
          (0xAB70, 0xABBF), (0x11FB0, 0x11FBF), (0x1E030, 0x1E08F))  # fmt: skip


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _numbers() -> list[int]:
    return [c for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) in ("No", "Nl")]


def _letters() -> list[int]:
    return [
        c
        for a, b in BLOCKS
        for c in range(a, b + 1)
        if unicodedata.category(chr(c)).startswith("L")
    ]


def _compats() -> list[int]:
    """The characters NFKC writes as ASCII holding a letter or digit: not ASCII, no number
    (No, Nd, Nl), no full-width form."""
    out = []
    for c in range(0x80, 0x110000):
        ch = chr(c)
        nfkc = unicodedata.normalize("NFKC", ch)
        if nfkc == ch or not nfkc.isascii() or not any(map(str.isalnum, nfkc)):
            continue
        if unicodedata.category(ch)[0] != "N" and not 0xFF01 <= c <= 0xFF5E:
            out.append(c)
    return out


def test_every_styled_letter_is_refused_and_given_by_nfkc() -> None:
    """``𝐏1`` (mathematical bold, copied from styled text), ``ℙ1``, ``Ⓟ1``, ``ᴾ``, ``ﬁ``,
    ``™``, ``㎡``: each is named, the hint giving the id by NFKC."""
    compats = _compats()
    assert len(compats) >= 1019  # Unicode 14.0.0's
    for c in compats:
        ident = f"P{chr(c)}1"
        fault = id_fault(ident)
        assert fault is not None, hex(c)
        assert fault[0].startswith(
            "an id holds a styled or compatibility form of a letter (Unicode writes it as "
            f"ASCII), U+{c:04X} {unicodedata.name(chr(c))}, at character 2: "
        ), hex(c)
        nfkc = unicodedata.normalize("NFKC", chr(c))
        assert fault[1].startswith(f"write 'P{nfkc}1' (letters as typed, "), hex(c)
        assert ID_REGEX.search(ident) is None
        assert not ids_ok([ident])
    assert id_fault("\U0001d40f1") == (
        "an id holds a styled or compatibility form of a letter (Unicode writes it as ASCII), "
        "U+1D40F MATHEMATICAL BOLD CAPITAL P, at character 1: '\U0001d40f1'",
        "write 'P1' (letters as typed, as every Chinese registry writes its ids): ids compare "
        "exactly, so '\U0001d40f1' would be another item than 'P1' (another firm, another "
        "product), its awards paid again",
    )


def test_every_number_form_and_letter_is_refused_and_named() -> None:
    """Each character of category No or Nl (``① ² ½ Ⅻ 〇``, astral ones too) and each letter
    of the blocks is refused inside an id, named by code point and name; the hint gives the
    id in ASCII: by NFKC where that is ASCII (``⑴`` is ``(1)``), else a number's whole value
    (``〇`` is ``0``)."""
    numbers, letters = _numbers(), _letters()
    assert len(numbers) >= 1131  # Unicode 14.0.0's No and Nl
    assert {0x0410, 0x0420, 0x041E, 0x0421, 0x0391, 0x03A1, 0x03B1} <= set(letters)
    for c in numbers + letters:
        ident = f"P{chr(c)}1"
        fault = id_fault(ident)
        assert fault is not None, hex(c)
        what = "number character that is no digit 0-9" if c in numbers else "letter of another"
        name = f"U+{c:04X} {unicodedata.name(chr(c))}"
        assert fault[0].startswith(f"an id holds a {what}"), hex(c)
        assert f"{name}, at character 2: " in fault[0], hex(c)
        assert ID_REGEX.search(ident) is None
        assert not ids_ok(["P1", ident])
    for ch, read in (("⑴", "(1)"), ("⒈", "1."), ("₂", "2"), ("〇", "0"), ("〥", "5")):
        fault = id_fault(f"P{ch}1")
        assert fault is not None
        assert fault[1].startswith(f"write 'P{read}1' "), ch


@pytest.mark.parametrize(
    ("ident", "named", "fixed"),
    [
        (CIRCLED, "U+2460 CIRCLED DIGIT ONE, at character 2", "P1"),
        ("X²", "U+00B2 SUPERSCRIPT TWO, at character 2", "X2"),
        ("Ⅻ", "U+216B ROMAN NUMERAL TWELVE, at character 1", "XII"),
        ("产品⑴", "U+2474 PARENTHESIZED DIGIT ONE, at character 3", "产品(1)"),
    ],
)
def test_a_number_form_is_named_and_the_id_given_in_ascii(
    ident: str, named: str, fixed: str
) -> None:
    assert id_fault(ident) == (
        f"an id holds a number character that is no digit 0-9 (circled, superscript, Roman, "
        f"a fraction, 〇...), {named}: '{ident}'",
        f"write '{fixed}' (ASCII digits and letters, as every Chinese registry writes its ids): "
        f"ids compare exactly, so '{ident}' would be another item than '{fixed}' (another "
        "firm, another product), its awards paid again",
    )


def test_the_ideographic_zero_says_its_han_numeral_and_a_fraction_has_no_reading() -> None:
    fault = id_fault("〇701")
    assert fault is not None
    assert fault[1].startswith(
        "write '0701' (ASCII digits and letters, as every Chinese registry writes its ids; "
        "among Han numerals, 零 for 〇): "
    )
    fault = id_fault("P½")
    assert fault is not None
    assert fault[1].startswith(
        "write it as its registry does (ASCII digits and letters, as every Chinese registry "
        "writes its ids; U+00BD VULGAR FRACTION ONE HALF reads as no ASCII letter or digit): "
    )


@pytest.mark.parametrize(
    ("ident", "named", "fixed"),
    [
        ("РЗ", "U+0420 CYRILLIC CAPITAL LETTER ER, at character 1", "P3"),
        ("0701А", "U+0410 CYRILLIC CAPITAL LETTER A, at character 5", "0701A"),
        ("ΑΡ-1", "U+0391 GREEK CAPITAL LETTER ALPHA, at character 1", "AP-1"),
        ("α-1", "U+03B1 GREEK SMALL LETTER ALPHA, at character 1", "a-1"),
        ("产品Іс", "U+0406 CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I, at character 3",
         "产品Ic"),
        # Cherokee, Lisu and Armenian letters TR39 reads as Latin ones (hBT: taken before)
        ("Ꭺ1", "U+13AA CHEROKEE LETTER GO, at character 1", "A1"),
        ("ᏢᎡ-1", "U+13E2 CHEROKEE LETTER TLV, at character 1", "PR-1"),
        ("ꓑ1", "U+A4D1 LISU LETTER PA, at character 1", "P1"),
        ("07Օ1", "U+0555 ARMENIAN CAPITAL LETTER OH, at character 3", "07O1"),
    ],
)  # fmt: skip
def test_a_greek_or_cyrillic_letter_is_named_and_the_id_given_in_latin(
    ident: str, named: str, fixed: str
) -> None:
    assert id_fault(ident) == (
        f"an id holds a letter of another script, {named}: '{ident}'",
        f"write '{fixed}' (Latin letters, ASCII digits and Han characters, as Chinese "
        "registries write ids; Greek, Cyrillic, Coptic, Armenian, Cherokee and Lisu letters "
        "are refused, as many look "
        f"Latin): ids compare exactly, so '{ident}' would be another item than '{fixed}' "
        "(another firm, another product), its awards paid again",
    )


def test_a_letter_that_looks_like_no_latin_one_is_refused_without_a_reading() -> None:
    """A whole-Cyrillic id is refused as a mixed one: ``Д1`` (De, no Latin lookalike)."""
    fault = id_fault("Д1")
    assert fault is not None
    assert fault[0] == (
        "an id holds a letter of another script, U+0414 CYRILLIC CAPITAL LETTER DE, at "
        "character 1: 'Д1'"
    )
    assert "U+0414 CYRILLIC CAPITAL LETTER DE reads as no ASCII letter or digit" in fault[1]


def test_han_kana_hangul_other_scripts_and_micro_are_taken(policy: policyrules.Policy) -> None:
    for ident in TAKEN:
        assert id_fault(ident) is None, ident
        assert ID_REGEX.search(ident) is not None, ident
    assert ids_ok(list(TAKEN))
    facts = launch_firm("二零二五", "ب1")
    assert [g.amount.fen for g in policy.evaluate(facts).grants] == [200_000_000]
    jsonschema.validate(facts, policy.schema())


@pytest.mark.parametrize(
    ("suffix", "text", "said"),
    [
        ("json", '{"firms": [{"id": "P①"}]}', f"firms[0].id: {NAMED}: 'P①'"),
        ("yaml", "firms:\n  - id: P①\n", f"firms[0].id: {NAMED}: 'P①'"),
        ("yaml", "firms:\n  - id: f\n    products:\n      - id: Р1\n", f"products[0].id: {LETTER}"),
    ],
)
def test_a_facts_file_id_with_a_number_form_or_a_cyrillic_letter_is_e303(
    policy: policyrules.Policy, suffix: str, text: str, said: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.load_facts(f"f.{suffix}", raw=text.encode())
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert said in d.message
    assert d.hint is not None
    assert d.hint == HINT if "①" in text else d.hint.startswith("write 'P1' (Latin letters, ")


def test_facts_built_in_python_and_the_schema_refuse_them(policy: policyrules.Policy) -> None:
    """Facts given as Python data are read as a file's are; the JSON Schema's pattern
    refuses the BMP's number forms and the letters, and says the reader refuses the astral
    number forms (U+10107...), which a pattern without the `u` flag cannot name."""
    first = policy.evaluate(launch_firm("P1", "0701"))
    assert [g.amount.fen for g in first.grants] == [200_000_000]
    for facts in (launch_firm(CIRCLED, "0701"), launch_firm("P1", "〇701"), launch_firm(ER)):
        with pytest.raises(FactsError) as info:
            policy.evaluate(facts, ledger=first.ledger())
        assert info.value.diagnostics[0].code == "E303"
    schema = policy.schema()
    for ident in (CIRCLED, "X²", "〇701", "Ⅻ", "P½", ER, "0701А", "α-1", "ℙ1", "Ⓟ1"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(launch_firm(ident), schema)
    for astral in ("P\U00010107", "\U0001d40f1"):  # AEGEAN NUMBER ONE, a bold P: the reader's
        jsonschema.validate(launch_firm(astral), schema)
        with pytest.raises(FactsError):
            policy.evaluate(launch_firm(astral))
    described = schema["properties"]["firms"]["items"]["properties"]["id"]["description"]
    assert "a number character that is no digit" in described
    assert "a Greek, Cyrillic, Coptic, Armenian, Cherokee or Lisu letter" in described
    assert "U+10107-U+10133" in described
    assert "a styled or compatibility form of a letter" in described


def test_the_pattern_means_the_same_in_ecma_262(blank_page: Any) -> None:
    """The browser's RegExp (no `u` flag, as JSON Schema validators read `pattern`, and
    with it) refuses an id holding each BMP number form and each letter, takes the others,
    and an astral number form (the reader refuses it, as the schema's description says).
    Run in the suite's headless Chromium, as the other id patterns' ECMA 262 checks."""
    bmp = [c for c in _numbers() + _letters() + _compats() if c < 0x10000]
    ids = ["0701", *TAKEN, *(f"P{chr(c)}1" for c in bmp), "P\U00010107"]
    got = blank_page.evaluate(
        "([pattern, ids]) => ['', 'u'].map((f) => {"
        " const re = new RegExp(pattern, f); return ids.map((s) => re.test(s)); })",
        [ID_PATTERN, ids],
    )
    want = [True, *(True for _ in TAKEN), *(False for _ in bmp), True]
    assert got == [want, want]


def _facts_file(folder: Path, name: str, product: str, firm: str) -> str:
    path = folder / name
    path.write_text(json.dumps(launch_firm(product, firm), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_store_does_not_pay_p1_again_as_p_circled_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The double payment: firm 0701's product P1 paid its launch reward (200 万元, once a
    product) in a store, then the same product written P①, Р1 (Cyrillic Er) or 𝐏1 (bold), or
    the firm 〇701: each was paid 200 万元 again (the store reads grants by the firm's id, and the
    reward is once per product id); now E303, nothing recorded, the store holding one grant."""
    store = str(tmp_path / "grants.db")
    assert main(["ledger", "init", store]) == 0
    paid = _facts_file(tmp_path, "f.json", "P1", "0701")
    assert main(["eval", str(POLICY), paid, "--ledger", store]) == 0
    assert "记录 1 笔发放，200 万元" in capsys.readouterr().err
    for name, product, firm, said in (
        ("c.json", CIRCLED, "0701", f"error[E303]: firms[0].products[0].id: {NAMED}: 'P①'"),
        ("e.json", ER, "0701", f"firms[0].products[0].id: {LETTER}: 'Р1'"),
        ("z.json", "P1", "〇701", "firms[0].id: an id holds a number character"),
        ("b.json", "\U0001d40f1", "0701", "products[0].id: an id holds a styled or "),
    ):
        again = _facts_file(tmp_path, name, product, firm)
        assert main(["eval", str(POLICY), again, "--ledger", store]) == 2
        err = capsys.readouterr().err
        assert said in err
        assert "write 'P1'" in err or "write '0701'" in err
        assert "recorded" not in err
    assert main(["ledger", "show", store]) == 0
    out = capsys.readouterr()
    assert "1 grant(s), 2,000,000.00 元" in out.out + out.err


def test_a_schema_6_store_holding_such_an_id_is_refused_until_mended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store of schema 6 (the version that took Р1) holding product Р1's launch reward: a
    run for product P1 would not see it and would pay again.  Opening it is E330 naming the
    grant, the fault and how to mend it; the store is left at 6, unchanged, nothing paid.
    Mended, it opens as 8, its grant kept."""
    path = tmp_path / "grants.db"
    grant = Grant(LAUNCH, (("firm", "0701"), ("product", "P1")), Money.parse("200万元"), 2026)
    with LedgerStore.open(path, create=True) as store:
        store.append([grant])
    with sqlite3.connect(path) as conn:  # as policyrules with schema 6 wrote it
        conn.execute("UPDATE grants SET path = ?", ('[["firm","0701"],["product","Р1"]]',))
        conn.execute("PRAGMA user_version = 6")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    assert info.value.code == "E330"
    assert f"grant #1 holds an id this policyrules refuses: {LETTER}: 'Р1'" in str(info.value)
    assert info.value.hint is not None
    assert "a Greek, Cyrillic or Cherokee letter" in info.value.hint
    assert "write 'P1'" in info.value.hint
    facts = _facts_file(tmp_path, "f.json", "P1", "0701")
    assert main(["eval", str(POLICY), facts, "--ledger", str(path)]) == 2
    assert "error[E330]" in capsys.readouterr().err
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE grants SET path = ?", ('[["firm","0701"],["product","P1"]]',))
    conn.close()
    assert main(["eval", str(POLICY), facts, "--ledger", str(path)]) == 0
    # paid once, in the store
    assert "未记录新的发放：该库已有 0701 的发放 1 笔，200 万元" in capsys.readouterr().err
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
    conn.close()


def test_a_schema_7_store_holding_a_cherokee_letter_is_refused(tmp_path: Path) -> None:
    """Schema 7 took product Ꭺ1 (a Cherokee Go, read A1): a run for product A1 would not
    see its grant and would pay again.  Opening the store is E330 naming the grant and the
    ASCII reading; the file is left as it was."""
    path = tmp_path / "grants.db"
    grant = Grant(LAUNCH, (("firm", "0701"), ("product", "A1")), Money.parse("200万元"), 2026)
    with LedgerStore.open(path, create=True) as store:
        store.append([grant])
    with sqlite3.connect(path) as conn:  # as policyrules with schema 7 wrote it
        conn.execute("UPDATE grants SET path = ?", ('[["firm","0701"],["product","Ꭺ1"]]',))
        conn.execute("PRAGMA user_version = 7")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError) as info:
        LedgerStore.open(path)
    assert info.value.code == "E330"
    assert "U+13AA CHEROKEE LETTER GO" in str(info.value)
    assert "write 'A1'" in (info.value.hint or "")
    assert path.read_bytes() == before


def test_a_ledger_grant_and_a_grant_with_them_are_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    grant = {"provision": LAUNCH, "firm": "0701", "product": CIRCLED, "amount": "200万元",
             "year": 2026}  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"ledger": [grant]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        policy.load_ledger(path)
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert f"{NAMED}: 'P①'" in d.message
    assert d.hint == HINT
    for product, said in (
        (ER, f"{LETTER}: 'Р1'"),
        ("P\U00010107", "U+10107 AEGEAN NUMBER ONE, at character 2: 'P\U00010107'"),
    ):
        with pytest.raises(LedgerError) as info:
            Grant(LAUNCH, (("firm", "0701"), ("product", product)), Money.parse("200万元"), 2026)
        message = info.value.diagnostics[0].message
        assert message.startswith("a grant's path: product: an id holds a ")
        assert message.endswith(said)


def test_the_registrys_sql_finds_each_number_form_and_letter() -> None:  # and styled one
    """``id_problem`` on DuckDB (RE2; Spark runs it translated) says ``lookalike`` for an id
    holding any of them (astral ones too), nothing for the ones taken."""
    ids = [f"P{chr(c)}1" for c in _numbers() + _letters() + _compats()]
    with duckdb.connect() as con:
        got = con.execute(
            f"SELECT list_transform(?::VARCHAR[], lambda i: {id_problem('i')})", [ids + list(TAKEN)]
        ).fetchone()
    assert got is not None
    assert got[0] == ["lookalike"] * len(ids) + [None] * len(TAKEN)


def test_a_registry_id_with_them_is_e624_and_its_ledgers_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id,name\n0701,x\n0701А,y\n", encoding="utf-8")
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(
        "firms.csv: row 2, column id: an id holds a letter of another script, U+0410 CYRILLIC "
        'CAPITAL LETTER A, at character 5: "0701А"'
    )
    assert d.hint is not None
    assert d.hint.startswith('write "0701A" ')
    (tmp_path / "firms.csv").write_text("id,name\n0701,x\n", encoding="utf-8")
    for firm, product, said in (
        ("〇701", "P1", "column firm: an id holds a number character"),
        ("0701", CIRCLED, f"column product: {NAMED}: 'P①'"),
        ("0701", "ℙ1", "column product: an id holds a styled or compatibility form"),
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
def test_spark_refuses_a_number_form_and_a_greek_letter(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = product_registry(tmp_path / "r1", "P\U00010107", remark="二零二五")
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E624]" in err
    assert "column id: an id holds a number character" in err
    assert 'U+10107 AEGEAN NUMBER ONE, at character 2: "P\U00010107"' in err
    registry = product_registry(tmp_path / "r2", "P1", ("F1", "ΡΙ"), remark="二零二五")
    code, err = spark_batch(capsys, tmp_path, registry)
    assert code == 2
    assert "error[E323]" in err
    assert "column product: an id holds a letter of another script, U+03A1 GREEK" in err
    assert "write 'PI'" in err
    registry = product_registry(tmp_path / "r3", "P1", ("F1", "P1"), remark="ب1 Д")
    assert spark_batch(capsys, tmp_path, registry)[0] == 0


def test_the_written_tables_are_unicodes() -> None:
    """The tables written out for Unicode 14.0.0 are what ``unicodedata`` reads (the
    running one's, read again by the fallback another version takes)."""
    from policyrules.runtime import ids_lookalike as tables

    assert tables._read_number_forms() == tables.NUMBER_FORM_RANGES
    assert tables._read_compat() == tables.COMPAT_LETTER_RANGES
    assert tables.code_runs(_numbers()) == tables.NUMBER_FORM_RANGES
    assert tables.code_runs(_compats()) == tables.COMPAT_LETTER_RANGES
    assert tables.code_runs(_letters()) == tables.FOREIGN_LETTER_RANGES
