"""A one-time award paid in instalments (给予一次性奖励100万元，分两年拨付): the instalments of
one entitlement are one payment for ``once per``, on every path that checks a ledger (a
file, a store, a commit, the batch's ledger table on DuckDB and Spark); a second
entitlement under the same key (another centre of a firm ``once per firm``, or years
further apart than one schedule spans) is still refused (E328).

Before, the second instalment locked the firm's ledger: every later run failed E328 on the
grants the tool itself had made.  Amounts worked by hand in the comments (万元)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import LedgerStore, Money, facts_dated
from policyrules.backends.sql import BatchCompileError
from policyrules.errors import LedgerError
from support import run_cli as run

WAN = 1_000_000  # fen in 1 万元

POLICY = """document d "一次性奖励"
  valid from 2026-01-01 to 2028-12-31

entity firm "企业"
  list firms

entity centre "企业技术中心"
  list centres of firm
  fact recognised_on: date "认定日期"

clause 1
  quote "对新认定的市级企业技术中心给予一次性奖励100万元，分两年拨付（50%、50%）。"

  award centre_award "企业技术中心奖励"
    for each centre
    eligible when recognised_on in force
    amount 100 万元
    once per ONCE
    paid over 2 years from recognised_on: 50%, 50% remainder last
"""
AWARD = "d/1/centre_award"


def _policy(once: str = "centre") -> policyrules.Policy:
    return compile_text(POLICY.replace("ONCE", once))


def _grant(centre: str, year: int, wan: int = 50) -> dict[str, Any]:
    return {
        "provision": AWARD,
        "firm": "F9",
        "centre": centre,
        "amount": f"{wan}万元",
        "year": year,
    }


def _facts(*centres: str, as_of: str | None = None) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "firms": [
            {"id": "F9", "centres": [{"id": c, "recognised_on": "2026-06-01"} for c in centres]}
        ]
    }
    if as_of is not None:
        facts["as_of"] = as_of
    return facts


# ---- a ledger file, read grant by grant ----------------------------------------------------


def test_the_instalments_of_one_entitlement_are_one_payment() -> None:
    """C1's 50 万 in 2026 and 50 万 in 2027: the two halves of its 100 万, one award."""
    ledger = _policy().read_ledger([_grant("C1", 2026), _grant("C1", 2027)])
    assert sum(g.amount.fen for g in ledger) == 100 * WAN  # 50 + 50


@pytest.mark.parametrize(
    ("once", "grants", "says"),
    [
        # 2026 and 2028 cannot both be years of a schedule of 2 years: two entitlements
        ("centre", [("C1", 2026), ("C1", 2028)], "years 2026 and 2028 lie further apart"),
        # once per firm: C2 is another entitlement of firm F9, even in the same years
        ("firm", [("C1", 2026), ("C2", 2026)], "these are two entitlements"),
        ("firm", [("C1", 2026), ("C1", 2027), ("C2", 2027)], "these are two entitlements"),
    ],
)
def test_a_second_entitlement_is_still_refused(
    once: str, grants: list[tuple[str, int]], says: str
) -> None:
    with pytest.raises(LedgerError) as info:
        _policy(once).read_ledger([_grant(c, y) for c, y in grants])
    (d,) = info.value.diagnostics
    assert d.code == "E328"
    assert f"is paid once per {once} (一次性)" in d.message
    assert says in d.message


# ---- one by one, against a store -----------------------------------------------------------


def test_a_store_pays_both_instalments_and_stays_usable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial's runs: 2026 records 50 万 (100 × 50%), 2027 the other 50 万; the run of
    2028 and every later one reads the store (before: E328 on the store's own grants) and
    pays nothing more: 50 + 50 = 100 万 in all.  Each is run on its day (E428 refuses a
    run recording a year ahead of today)."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rule").write_text(POLICY.replace("ONCE", "centre"), "utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text(json.dumps(_facts("C1")), "utf-8")
    db = tmp_path / "g.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    for day in ("2026-12-31", "2027-12-31", "2028-06-01", "2028-12-31"):
        monkeypatch.setattr(facts_dated, "machine_today", lambda d=day: dt.date.fromisoformat(d))
        code, out, err = run(
            capsys, "eval", tmp_path / "p", facts, "--ledger", db, "--as-of", day, "--json"
        )
        assert code == 0, err
        (d,) = json.loads(out)["decisions"]
        assert Money.parse(d["amount"]).fen == 100 * WAN
    with LedgerStore.open(db) as store:
        grants = sorted((g.year, g.amount.fen) for g in store.grants())
    assert grants == [(2026, 50 * WAN), (2027, 50 * WAN)]


def test_a_store_refuses_a_second_centre_of_a_firm_paid_once(tmp_path: Path) -> None:
    """``once per firm``: C1's two instalments are the firm's one award.  In 2027 C1's
    second half is due (50 paid + 50 due = 100 万) and C2 is not eligible; a store takes
    C1's 2027 half (before: E328) and refuses a grant to C2 (E328)."""
    policy = _policy("firm")
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        policy.record(store, [_grant("C1", 2026)])
        result = policy.evaluate(_facts("C1", "C2", as_of="2027-12-31"), ledger=store)
        got = {d.subject: (d.status, d.amount) for d in result.decisions}
        assert got == {
            "F9/C1": ("eligible", Money(100 * WAN)),  # 50 paid in 2026 + 50 due in 2027
            "F9/C2": ("not_eligible", None),
        }
        assert [(g.year, g.amount.fen) for g in result.grants] == [(2027, 50 * WAN)]
        policy.record(store, [_grant("C1", 2027)])
        with pytest.raises(LedgerError) as info:
            policy.record(store, [_grant("C2", 2027)])
        assert "E328" in str(info.value)
        assert sorted(g.year for g in store.grants()) == [2026, 2027]


# ---- the batch: the registry's ledger table ------------------------------------------------


def _registry(folder: Path, grants: list[tuple[str, int]]) -> Path:
    """firm F9 with centre C1 and C2, and a ledger table of 50 万元 grants (centre, year)."""
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nF9\n", "utf-8")
    (folder / "centres.csv").write_text(
        "id,firm_id,recognised_on\nC1,F9,2026-06-01\nC2,F9,2026-06-01\n", "utf-8"
    )
    rows = "".join(f"{AWARD},F9,{c},50万元,{y}\n" for c, y in grants)
    (folder / "ledger.csv").write_text("provision,firm,centre,amount,year\n" + rows, "utf-8")
    return folder


def test_the_batch_reads_instalments_as_one_payment(tmp_path: Path) -> None:
    """C1's two halves in the ledger table pass the ledger's checks (before, E328), and the
    batch decides the award (`once per centre`, its subject: it refused it E617 until hBZ's
    trial): C1 paid 50 万 + 50 万 = its 100 万 in full, no grant more; C2, recognised
    2026-06-01 and paid nothing, as of 2027-12-31: both halves, 50 万 in 2026 and in 2027
    (without as_of, a forecast: the same decisions, no grant).
    `once per firm` (an owner of the centre) is still refused by name, E605 at its line
    (E617 until hCJ, which names each refused statement once: `once per` an owner is refused
    with or without a schedule)."""
    reg = _registry(tmp_path / "r", [("C1", 2026), ("C1", 2027)])
    undated = _policy().evaluate_batch(reg)
    try:
        assert undated.con.execute("SELECT count(*) FROM grants").fetchone() == (0,)
    finally:
        undated.close()
    result = _policy().evaluate_batch(reg, as_of=dt.date(2027, 12, 31))
    try:
        decided = result.con.execute(
            "SELECT subject, status, amount_fen FROM decisions ORDER BY subject"
        ).fetchall()
        grants = result.con.execute(
            "SELECT centre, amount_fen, year FROM grants ORDER BY centre, year"
        ).fetchall()
    finally:
        result.close()
    assert decided == [("F9/C1", "eligible", 100 * WAN), ("F9/C2", "eligible", 100 * WAN)]
    assert grants == [("C2", 50 * WAN, 2026), ("C2", 50 * WAN, 2027)]
    with pytest.raises(BatchCompileError) as info:
        _policy("firm").evaluate_batch(reg)
    assert [d.code for d in info.value.diagnostics] == ["E605"]


def test_the_batch_refuses_a_second_entitlement(tmp_path: Path) -> None:
    """Centre C1 paid in 2026 and 2028: two entitlements of a one-time award (E328).  (With
    `once per firm` the policy is refused before the ledger is read: E605, above.)"""
    reg = _registry(tmp_path / "r", [("C1", 2026), ("C1", 2028)])
    with pytest.raises(LedgerError) as info:
        _policy("centre").evaluate_batch(reg)
    (d,) = info.value.diagnostics
    assert d.code == "E328"
    assert "centre C1 is paid 2 times" in d.message
    assert "its instalments within the 2 years of one schedule are one payment" in d.message


@pytest.mark.timeout(600)  # the JVM starts
@pytest.mark.parametrize(("once", "code"), [("centre", "E328"), ("firm", "E605")])
def test_spark_reads_instalments_as_duckdb_does(
    spark: Any, tmp_path: Path, once: str, code: str
) -> None:
    """The same verdict and message on Spark (the SQL of the check written for Spark):
    centre C1 paid in 2026 and 2028, two entitlements (E328); `once per firm` refused
    before the ledger is read, on either engine (E605)."""
    reg = _registry(tmp_path / "r", [("C1", 2026), ("C1", 2028)])
    con = duckdb.connect()
    for table in ("firms", "centres", "ledger"):  # Spark reads Parquet
        csv = reg / f"{table}.csv"
        year = " REPLACE (year::INTEGER AS year)" if table == "ledger" else ""
        con.execute(f"COPY (SELECT *{year} FROM '{csv}') TO '{reg / table}.parquet'")
        csv.unlink()
    said = []
    for engine in ("duckdb", "spark"):
        with pytest.raises((LedgerError, BatchCompileError)) as info:
            _policy(once).evaluate_batch(str(reg), engine=engine)
        said.append(sorted((d.code, d.message) for d in info.value.diagnostics))
    assert said[0] == said[1]
    assert said[0][0][0] == code


def test_an_undecided_claim_with_an_instalment_paid_still_holds_its_later_years() -> None:
    """C1 was paid its first 50 万 in 2026; in 2027 whether it still qualifies is unknown, so
    it may take its second 50 万 of the firm's 80 万 for 2027: C2's first instalment of 50 万
    (2027) has 80 − 50 = 30 万 surely left and is at most 50 万, not exact.  Before, C1's
    earlier instalment read as its one-time award used up, and it held nothing."""
    text = POLICY.replace("ONCE", "centre").replace(
        'fact recognised_on: date "认定日期"',
        'fact recognised_on: date "认定日期"\n  fact audited: bool "通过审计"',
    )
    text = text.replace(
        "eligible when recognised_on in force",
        "eligible when recognised_on in force and audited\n    "
        "cap 80 万元 per firm per year of payment_year()",
    )
    policy = compile_text(text)
    facts = {
        "as_of": "2027-12-31",
        "firms": [
            {
                "id": "F9",
                "centres": [
                    {"id": "C1", "recognised_on": "2026-06-01"},  # audited: not given
                    {"id": "C2", "recognised_on": "2027-03-01", "audited": True},
                ],
            }
        ],
    }
    result = policy.evaluate(facts, ledger=[_grant("C1", 2026)])
    got = {d.subject: (d.status, d.amount_kind) for d in result.decisions}
    assert got == {"F9/C1": ("unknown", None), "F9/C2": ("eligible", "up_to")}
