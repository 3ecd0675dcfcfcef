"""A grant's year that cannot be a year its provision paid in is refused (E352), on every
ledger route, with one code and message; a year is read alike everywhere.

京经信发〔2025〕50号 第3条 launch_reward: 200 万元 per product, once per product, at most
1000 万元 per firm per year of ``approved_on`` (the default reading), which the award
requires in force: from 2025-11-24 (``device_events_from``) to 2028-12-31, so its grants
count in 2025..2028.  A spreadsheet wrote 2026 as ``26``: read as it is, the grant counted
in the year 26, 2026's cap never saw it, and the firm was paid over the cap.

examples/firm-a.yaml (worked by hand in its header): three earlier 2026 grants, 3 × 200 =
600 万元; A1 200 (600 → 800), A2 150 (→ 950), A3 decided 200 but 1000 − 950 = 50 万元 left:
A3 is paid 50 万元.  With the three grants' year ``26``, 2026 held nothing: A1 200, A2 150,
A3 200, 1150 万元 in 2026 against 1000.
（中文：台账中三笔 2026 年度 200 万元的奖励被写成 “26” 年，2026 年度上限看不到它们，
A3 被多付 150 万元；现在拒绝，并提示 “写 2026”。）
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

import policyrules
from policyrules import Grant, LedgerStore, Money
from policyrules import types as t
from policyrules.errors import FactsError, LedgerError
from policyrules.facts import convert_value
from policyrules.ledger_io import read_ledger
from policyrules.tables_values import column_sql, year_text
from support import BEIJING as POLICY
from support import LAUNCH_DECISION, ROOT, WAN
from support import LAUNCH_REWARD as LAUNCH
from support import run_cli as run

FIRM_A = ROOT / "examples" / "firm-a.yaml"
SAID = (
    "is outside the years its provision pays in, 2025..2028: its grants count in the year "
    "of approved_on, which it requires in force: 京经信发〔2025〕50号 from 2025-11-24 "
    "(device_events_from) to 2028-12-31"
)


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _firm_a(tmp_path: Path, year: str) -> Path:
    text = FIRM_A.read_text("utf-8").replace("year: 2026 }", f"year: {year} }}")
    assert text.count(f"year: {year} }}") == 3
    path = tmp_path / "firm-a.yaml"
    path.write_text(text, "utf-8")
    return path


def _launch(result: policyrules.Result) -> dict[str, int]:
    return {
        d.subject or "": d.amount.fen
        for d in result.decisions
        if d.provision == LAUNCH and d.amount is not None
    }


def _e352(diag: Any, where: str, year: int = 26) -> None:
    assert diag.code == "E352"
    assert diag.message.startswith(where), diag.message
    assert f", year {year} {SAID}" in diag.message
    assert diag.hint == ("a two-digit year? write 2026" if year == 26 else "write the year the "
                         "grant counts in, 2025..2028")  # fmt: skip


# ---- the facts' ledger, --ledger files --------------------------------------------------------


def test_firm_a_with_a_two_digit_year_is_refused_at_its_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "eval", POLICY, _firm_a(tmp_path, "26"), "--format", "json")
    assert code == 2
    assert out == ""
    for line in (41, 42, 43):
        assert f"firm-a.yaml:{line}:100: error[E352]: ledger[{line - 41}].year: the grant " in err
    assert err.count(SAID) == 3
    assert "= hint: a two-digit year? write 2026" in err


def test_firm_a_as_written_pays_a3_the_rest_of_the_cap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same file with the years written 2026, and written "2026年" (as facts write a
    year): A3 50 万元, the cap binding."""
    for year in ("2026", '"2026"', '"2026年"', '"2026年度"'):
        code, out, err = run(capsys, "eval", POLICY, _firm_a(tmp_path, year), "--format", "json")
        assert code == 0, err
        paid = {d["subject"]: d["amount"] for d in json.loads(out)["decisions"]
                if d["provision"] == LAUNCH}  # fmt: skip
        assert paid == {"firm-a/A1": "2000000.00", "firm-a/A2": "1500000.00",
                        "firm-a/A3": "500000.00"}  # fmt: skip


def test_a_ledger_file_is_refused_at_the_grant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--ledger L.yaml`` with a grant of 2031 (after 2028, the last year of the award; not
    a two-digit year): refused at its line, the hint naming the years."""
    ledger = tmp_path / "L.yaml"
    ledger.write_text(
        "ledger:\n"
        f"  - {{provision: {LAUNCH}, firm: firm-a, product: A0-9, amount: 1万元, year: 2031}}\n",
        "utf-8",
    )
    code, _, err = run(capsys, "eval", POLICY, FIRM_A, "--ledger", ledger)
    assert code == 2
    assert "L.yaml:2:" in err
    assert "error[E352]: ledger[0].year: the grant " in err
    assert f", year 2031 {SAID}" in err
    assert "= hint: write the year the grant counts in, 2025..2028" in err


def test_a_quoted_year_reads_as_a_facts_file_reads_one(beijing: policyrules.Policy) -> None:
    """`year: "2026"` (and `"2026年"`, `"2026年度"`) is the year 2026, as in facts; text that
    is no year is refused with the facts' message and hint (E325)."""
    for year in ("2026", "2026年", "2026年度", 2026):
        grant = {"provision": LAUNCH, "firm": "f", "product": "P", "amount": "1万元", "year": year}
        assert [g.year for g in read_ledger(beijing.checked, [grant])] == [2026]
    bad = {"provision": LAUNCH, "firm": "f", "product": "P", "amount": "1万元", "year": "26年x"}
    with pytest.raises(LedgerError) as caught:
        read_ledger(beijing.checked, [bad])
    (d,) = caught.value.diagnostics
    assert (d.code, d.message) == ("E325", 'ledger[0].year: not a calendar year: "26年x"')
    assert d.hint == 'write the year as a whole number from 1 to 9999: 2026, "2026年" or "2026年度"'


# ---- Python: Ledger, evaluate(ledger=...) -----------------------------------------------------


def test_python_ledgers_are_refused(beijing: policyrules.Policy) -> None:
    facts = beijing.load_facts(FIRM_A)
    grant = Grant(LAUNCH, (("firm", "firm-a"), ("product", "A0-9")), Money(WAN), 26)
    for given in ([grant], policyrules.Ledger([grant]), [grant.to_json()]):
        with pytest.raises(LedgerError) as caught:
            beijing.evaluate(facts, ledger=given)
        (d,) = caught.value.diagnostics
        _e352(d, "ledger[0].year: the grant " + LAUNCH + " to firm firm-a, product A0-9")


def test_the_decision_reading_leaves_the_years_open(beijing: policyrules.Policy) -> None:
    """Counted by the year of the decision (``bases:`` annual_cap_year = decision), a grant
    counts in the year of ``launch_reward_decided_on``, a date the award does not require in
    force (a 2028 approval may be decided in 2029): no bound is made up, 2029 is read."""
    grant = Grant(LAUNCH, (("firm", "f"), ("product", "P")), Money(WAN), 2029)
    with pytest.raises(LedgerError, match="E352"):
        read_ledger(beijing.checked, [grant])
    read = read_ledger(beijing.checked, policyrules.Ledger([grant], bases=[LAUNCH_DECISION]))
    assert [g.year for g in read] == [2029]


def test_the_bounds_are_those_the_text_gives() -> None:
    """Paid over time: the years of the start to N − 1 after (研发 3 期: 2026..2028 + 2);
    a year fact (研发投入年度): no bound; a date required in force: the document's years."""
    from policyrules.ledger_span import year_spans

    years = policyrules.load(ROOT / "policies" / "patterns")
    spans = {p: (s.low, s.high) for p, s in year_spans(years.checked).items()}
    assert spans["patterns_years/1/research_support"] == (2026, 2030)
    assert spans["patterns_years/2/park_rent_subsidy"] == (2026, 2032)
    assert "patterns_amounts/5/rd_subsidy" not in spans  # per year of rd_year
    # exhibition_on and first_set_recognised_on required in force (W273): the document's
    # validity, 2026-01-01 … 2028-12-31, bounds their years
    assert spans["patterns_amounts/6/exhibition_subsidy"] == (2026, 2028)
    assert spans["patterns_amounts/3/first_set_reward"] == (2026, 2028)
    grant = {"provision": "patterns_years/1/research_support", "project": "J1", "firm": "f",
             "amount": "1万元", "year": 2031}  # fmt: skip
    with pytest.raises(LedgerError) as caught:
        read_ledger(years.checked, [grant])
    (d,) = caught.value.diagnostics
    assert d.code == "E352"
    assert "2026..2030: it pays in the years of research_approved_on to 2 after" in d.message
    assert [g.year for g in read_ledger(years.checked, [{**grant, "year": 2030}])] == [2030]


def test_a_facts_files_own_reading_leaves_its_ledgers_years_open(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """Facts saying `annual_cap_year: decision`: their own `ledger:` was counted by the year
    of the decision, which the text leaves open; a grant of 2029 is read (load_facts and
    evaluate), where by the default reading it is refused."""
    data = _firm_a_json(2029)
    data["assumptions"] = {"annual_cap_year": "decision"}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(data), "utf-8")
    result = beijing.evaluate(beijing.load_facts(path))
    assert {g.year for g in beijing.facts_ledger(beijing.load_facts(path))} == {2029}
    assert result.decisions
    del data["assumptions"]
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(LedgerError, match="E352"):
        beijing.load_facts(path)


def test_a_stores_reading_leaves_its_grants_years_open(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """A store recording annual_cap_year = decision for the award: its grant of 2029 is
    read (evaluate against it, record more into it), as its reading leaves the years open."""
    grant = Grant(LAUNCH, (("firm", "firm-a"), ("product", "A0-1")), Money(WAN), 2029)
    more = Grant(LAUNCH, (("firm", "firm-a"), ("product", "A0-2")), Money(WAN), 2029)
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        store.append([grant], bases=[LAUNCH_DECISION])
        facts = _firm_a_json(2026)
        del facts["ledger"]
        result = beijing.evaluate(facts, ledger=store, assumptions={"annual_cap_year": "decision"})
        assert result.decisions
        beijing.record(store, policyrules.Ledger([more], bases=[LAUNCH_DECISION]))
        assert sorted(g.year for g in store.grants()) == [2029, 2029]


# ---- stores: record, ledger import, grants already in a store ---------------------------------


def test_a_store_takes_no_such_grant(
    beijing: policyrules.Policy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    LedgerStore.open(db, create=True).close()
    grant = Grant(LAUNCH, (("firm", "firm-a"), ("product", "A0-1")), Money(200 * WAN), 26)
    with LedgerStore.open(db) as store, pytest.raises(LedgerError, match="E352"):
        beijing.record(store, [grant])
    file = tmp_path / "L.json"
    file.write_text(json.dumps({"ledger": [grant.to_json()]}), "utf-8")
    code, _, err = run(capsys, "ledger", "import", db, file, "--policy", POLICY)
    assert code == 2
    assert "L.json:" in err
    assert "error[E352]" in err
    assert SAID in err
    with LedgerStore.open(db) as store:
        assert list(store.grants()) == []


def test_grants_already_in_a_store_are_refused_when_read(
    beijing: policyrules.Policy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old store holding the three grants of 26 (appended unchecked, as an older version
    took them): eval reads them and refuses, recording nothing; export still works, to fix
    them."""
    db = tmp_path / "s.db"
    grants = [Grant(LAUNCH, (("firm", "firm-a"), ("product", f"A0-{i}")), Money(200 * WAN), 26)
              for i in (1, 2, 3)]  # fmt: skip
    with LedgerStore.open(db, create=True) as store:
        store.append(grants)
    facts = _firm_a_json(2026)
    del facts["ledger"]
    with LedgerStore.open(db) as store, pytest.raises(LedgerError) as caught:
        beijing.evaluate(facts, ledger=store, commit=True)
    assert [d.code for d in caught.value.diagnostics] == ["E352"] * 3
    _e352(caught.value.diagnostics[0], f"{db}: grants[0].year: the grant")
    code, _, err = run(capsys, "eval", POLICY, FIRM_A, "--ledger", db)
    assert code == 2
    assert err.count("error[E352]") == 3
    with LedgerStore.open(db) as store:
        assert len(list(store.grants())) == 3  # nothing recorded
    code, out, _ = run(capsys, "ledger", "export", db)
    assert code == 0
    assert '"year": 26' in out


# ---- the HTTP service -------------------------------------------------------------------------


def test_the_service_answers_an_error(beijing: policyrules.Policy) -> None:
    from starlette.testclient import TestClient

    from policyrules.serve import create_app

    body = _firm_a_json(26)
    with TestClient(create_app(beijing)) as c:
        got = c.post("/v1/evaluate", content=json.dumps(body),
                     headers={"content-type": "application/json"})  # fmt: skip
    assert 400 <= got.status_code < 500
    errors = got.json()["errors"]
    assert [e["code"] for e in errors] == ["E352"] * 3
    assert SAID in errors[0]["message"]
    assert errors[0]["hint"] == "a two-digit year? write 2026"


def _firm_a_json(year: int) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(FIRM_A.read_text("utf-8"))
    for g in data["ledger"]:
        g["year"] = year
    return json.loads(json.dumps(data, default=str))


# ---- the batch (DuckDB; Spark in test_ledger_year_span_spark.py) -------------------------------


def registry(folder: Path, year: str) -> Path:
    """Firm 0701, its product P1 approved 2026-06-01 and decided 180 万元, and a ledger of
    five earlier grants of 200 万元 (Q1-Q5) in ``year``: 5 × 200 = 1000 万元, the whole of
    2026's cap when the year is 2026, so P1 is paid 0; in the year 26 the cap of 2026 held
    nothing, and P1 was paid 180 万元."""
    folder.mkdir()
    (folder / "firms.csv").write_text("id\n0701\n", "utf-8")
    (folder / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided\n"
        'P1,0701,2026-06-01,"[""national_priority_review""]",180万元\n',
        "utf-8",
    )
    rows = "".join(f"{LAUNCH},0701,Q{i},200万元,{year}\n" for i in range(1, 6))
    (folder / "ledger.csv").write_text("provision,firm,product,amount,year\n" + rows, "utf-8")
    return folder


def _p1(policy: policyrules.Policy, reg: Path) -> int | None:
    run = policy.evaluate_batch(str(reg))
    try:
        got = run.decisions().filter(f"provision = '{LAUNCH}' AND subject = '0701/P1'")
        ((amount,),) = got.select("amount_fen").fetchall()
        return int(amount)
    finally:
        run.close()


def test_the_batch_refuses_the_row(beijing: policyrules.Policy, tmp_path: Path) -> None:
    reg = registry(tmp_path / "r", "26")
    with pytest.raises(LedgerError) as caught:
        beijing.evaluate_batch(str(reg))
    said = caught.value.diagnostics
    assert [d.code for d in said] == ["E352"] * 5
    _e352(said[0], f"{reg / 'ledger.csv'}: row 1: the grant {LAUNCH} to firm 0701, product Q1")


def test_the_batch_reads_a_year_as_facts_do(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """2026, "2026年", "2026年度": the year 2026, whose cap the five grants fill: P1 0."""
    for i, year in enumerate(("2026", "2026年", "2026年度")):
        assert _p1(beijing, registry(tmp_path / f"r{i}", year)) == 0


def test_the_batch_refuses_a_given_ledger_at_its_line(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    reg = registry(tmp_path / "r", "2026")
    (reg / "ledger.csv").unlink()
    given = tmp_path / "L.yaml"
    given.write_text(
        f"ledger:\n  - {{provision: {LAUNCH}, firm: '0701', product: Q1, amount: 1万元, "
        "year: 26}\n",
        "utf-8",
    )
    with pytest.raises(LedgerError) as caught:
        beijing.evaluate_batch(str(reg), ledger=beijing.load_ledger(given))
    (d,) = caught.value.diagnostics
    _e352(d, "ledger[0].year: the grant " + LAUNCH + " to firm 0701, product Q1")
    assert d.span is not None
    assert (d.span.file, d.span.line) == (str(given), 2)


# ---- a year read alike everywhere -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2026", 2026),
        ("2026年", 2026),
        ("2026年度", 2026),
        ("0026", 26),
        ("0", None),
        ("0年", None),
        ("2026 年", None),
        ("2026年年", None),
        ("２０２６", None),
        ("10000", None),
        ("26x", None),
    ],
)
def test_a_year_reads_alike_in_facts_registries_and_ledgers(
    beijing: policyrules.Policy, text: str, year: int | None
) -> None:
    """The facts' reader, a registry's year column, a ledger file's and a ledger table's
    ``year``: one reading of a year written as text."""
    try:
        facts: int | None = int(convert_value(text, t.YEAR, beijing.checked))
    except ValueError:
        facts = None
    sql = column_sql(t.YEAR, "VARCHAR", "c", beijing.checked)
    ((column, problem),) = duckdb.execute(
        f"SELECT {sql.value}, {sql.problem} FROM (SELECT ?::VARCHAR AS c)", [text]
    ).fetchall()
    assert (column is None) == (problem is not None)
    grant = {"provision": LAUNCH, "firm": "f", "product": "P", "amount": "1", "year": text}
    codes: list[str] = []
    try:
        ledger: int | None = read_ledger(beijing.checked, [grant]).grants[0].year
    except LedgerError as exc:
        codes = [d.code for d in exc.diagnostics]
        ledger = None if codes == ["E325"] else -1
    assert set(codes) <= {"E325", "E352"}
    ok, value = year_text("c")  # a ledger table's text column
    ((table,),) = duckdb.execute(
        f"SELECT CASE WHEN {ok} THEN {value} END FROM (SELECT ?::VARCHAR AS c)", [text]
    ).fetchall()
    assert facts == column == table == year
    assert ledger == (year if year is None or 2025 <= year <= 2028 else -1)


YEARLY = """entity firm "企业"
  list firms
  fact rd_year: year
  fact cost: money

document d "测试"
  valid from 2025-01-01

clause 1 "条"
  quote "q"

  award x "补助"
    for each firm
    eligible when cost > 0 元
    amount 10% of cost
    cap 100 万元 per firm per year of rd_year
"""


def test_a_registrys_year_column_reads_2026年(tmp_path: Path) -> None:
    """A registry's year fact written `2026年` is the year 2026, as in a facts file (it was
    refused, E627): f1 and f2 alike, 10% of 200 万元 = 20 万元 each."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rule").write_text(YEARLY, "utf-8")
    policy = policyrules.load(tmp_path / "p")
    reg = tmp_path / "r"
    reg.mkdir()
    (reg / "firms.csv").write_text("id,rd_year,cost\nf1,2026年,200万元\nf2,2026,200万元\n", "utf-8")
    run = policy.evaluate_batch(str(reg))
    try:
        got = run.decisions().order("subject").select("subject, amount_fen").fetchall()
    finally:
        run.close()
    assert got == [("f1", 20 * WAN), ("f2", 20 * WAN)]
    (reg / "firms.csv").write_text("id,rd_year,cost\nf1,2026 年,200万元\n", "utf-8")
    with pytest.raises(FactsError) as caught:
        policy.evaluate_batch(str(reg)).close()
    (d,) = caught.value.diagnostics
    assert d.code == "E627"
    assert d.message.endswith('column rd_year: not a calendar year: "2026 年"')
