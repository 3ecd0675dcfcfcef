"""An award paid over time is never recorded years early (E427).

Policy: policies/patterns/years.rule 第五条 digital_service_subsidy: 50% of the service
contract, cap 300 万元 per firm ever, paid over 2 years from service_signed_on: 60%, 40%
remainder first.  A contract of 600 万元 signed 2026-04-01: 50% × 600 万 = 300 万元 (the
cap, not cut); 2026: ⌊300 万 × 60%⌋ = 180 万元, 2027: ⌊300 万 × 40%⌋ = 120 万元, no fen
left.  Without ``as_of`` both years show as due: writing them would record 2027's 120 万元
as paid in 2026.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import FactsError, LedgerError, LedgerStore, facts_dated
from support import ROOT, WAN
from support import run_cli as run

PATTERNS = ROOT / "policies" / "patterns"
AWARD = "patterns_years/5/digital_service_subsidy"
EMPTY = '{"ledger": []}\n'
LATER = dt.date(2031, 1, 1)  # after every as_of drawn below


def _facts(folder: Path, contract: str = "600万元", signed: str = "2026-04-01") -> Path:
    f = folder / "facts.yaml"
    f.write_text(
        "firms:\n  - id: F1\n    projects:\n"
        f'      - {{id: P1, service_signed_on: {signed}, service_contract: "{contract}"}}\n',
        "utf-8",
    )
    return f


def _rows(ledger: Path) -> list[tuple[str, int, int]]:
    return [
        (g["provision"], policyrules.Money.parse(g["amount"]).fen, g["year"])
        for g in json.loads(ledger.read_text("utf-8"))["ledger"]
    ]


def test_ledger_out_without_as_of_is_refused_and_the_file_is_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ledger = tmp_path / "grants.json"
    ledger.write_text(EMPTY, "utf-8")
    facts = _facts(tmp_path)
    status, out, err = run(capsys, "eval", PATTERNS, facts, "--ledger", ledger,
                           "--ledger-out", ledger)  # fmt: skip
    assert (status, out) == (2, "")
    assert "error[E427]" in err
    assert f"{AWARD} for F1/P1" in err
    assert "--as-of YYYY-MM-DD" in err
    assert "years.rule:" in err  # located: the award's `paid over …` line
    assert "Traceback" not in err
    assert ledger.read_text("utf-8") == EMPTY


def test_ledger_out_with_as_of_records_the_first_year_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ledger = tmp_path / "grants.json"
    ledger.write_text(EMPTY, "utf-8")
    facts = _facts(tmp_path)
    status, _, err = run(capsys, "eval", PATTERNS, facts, "--ledger", ledger,
                         "--ledger-out", ledger, "--as-of", "2026-06-30")  # fmt: skip
    assert (status, err) == (0, "")
    # 2026 is not after the as-of year: 60% × 300 万 = 180 万元; 2027 is future, not granted.
    assert _rows(ledger) == [(AWARD, 180 * WAN, 2026)]


def test_a_store_commit_without_as_of_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # run on the day of the payment run, not the machine's (E428 refuses a day ahead)
    monkeypatch.setattr(facts_dated, "machine_today", lambda: dt.date(2027, 1, 10))
    db = tmp_path / "g.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    facts = _facts(tmp_path)
    status, _, err = run(capsys, "eval", PATTERNS, facts, "--ledger", db)
    assert (status, "error[E427]" in err, "grant(s)" in err) == (2, True, False)
    with LedgerStore.open(db, create=False) as store:
        assert len(store.grants()) == 0
    status, _, err = run(capsys, "eval", PATTERNS, facts, "--ledger", db, "--as-of", "2027-01-10")
    assert status == 0
    with LedgerStore.open(db, create=False) as store:
        # A run in 2027 with nothing paid before grants both years, each as a grant of its
        # own year: 180 万元 for 2026, 120 万元 for 2027.
        assert sorted((g.year, g.amount.fen) for g in store.grants()) == [
            (2026, 180 * WAN),
            (2027, 120 * WAN),
        ]


def test_the_api_refuses_the_commit_and_explains_the_forecast(tmp_path: Path) -> None:
    policy = policyrules.load(PATTERNS)
    facts = policy.load_facts(_facts(tmp_path))
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        with pytest.raises(LedgerError) as info:
            policy.evaluate(facts, ledger=store, commit=True)
        assert [d.code for d in info.value.diagnostics] == ["E427"]
        assert len(store.grants()) == 0
        result = policy.evaluate(facts, ledger=store)  # only read: a forecast, allowed
    zh, en = result.explain(lang="zh"), result.explain(lang="en")
    assert "未给出评估日期：逐年列出全部年度，均未到期" in zh
    assert "2027 年度（第 2 期，40%）：120 万元，预计（未给出评估日期）" in zh
    assert "no day given: every year is shown, nothing is due yet" in en
    dated = policy.evaluate(facts, as_of="2026-06-30").explain(lang="zh")
    assert "未给出评估日期" not in dated
    assert "尚未到期" in dated


@settings(max_examples=25, deadline=None)
@given(
    contract=st.integers(min_value=400, max_value=2_000 * WAN),  # 50% × 60% ≥ 1 fen
    signed=st.integers(min_value=2026, max_value=2028),
    as_of=st.integers(min_value=2026, max_value=2030),
)
def test_a_commit_records_no_year_after_as_of_and_none_without_it(
    tmp_path_factory: pytest.TempPathFactory, contract: int, signed: int, as_of: int
) -> None:
    folder = tmp_path_factory.mktemp("p")
    policy = policyrules.load(PATTERNS)
    facts = policy.load_facts(
        _facts(folder, f"{contract // 100}.{contract % 100:02d} 元", f"{signed}-04-01")
    )
    with LedgerStore.open(folder / "g.db", create=True) as store:
        with pytest.raises(LedgerError):
            policy.evaluate(facts, ledger=store, commit=True)
        assert len(store.grants()) == 0
        if as_of < signed:  # signed after the day: not yet a fact (E353), nothing written
            with pytest.raises(FactsError, match="E353"):
                policy.evaluate(facts, ledger=store, commit=True, as_of=f"{as_of}-12-31")
        else:
            # run after the day (E428 refuses a day ahead: tests/unit/test_record_ahead.py)
            day = f"{as_of}-12-31"
            policy.evaluate(facts, ledger=store, commit=True, as_of=day, today=LATER)
        years = [g.year for g in store.grants()]
    assert all(signed <= y <= min(as_of, signed + 1) for y in years)


def test_a_forecast_is_no_grant_handed_on(tmp_path: Path) -> None:
    """hCD's trial: `evaluate(facts)` without as_of put both years in `result.grants`;
    `store.append(result.grants)`, `policy.record` and `ledger=result.ledger()` took them,
    and a 2027 run then showed 2027's 120 万元 as paid in 2026.  Now the forecast is shown
    (both years due, undated) and granted by no one: the grants are empty, and a 2027 run
    on them grants 180 万元 for 2026 and 120 万元 for 2027 (60% / 40% of 300 万元)."""
    policy = policyrules.load(PATTERNS)
    facts = policy.load_facts(_facts(tmp_path))
    result = policy.evaluate(facts)
    (d,) = [d for d in result.decisions if d.provision == AWARD]
    assert [
        (p.year, p.status, p.dated, p.amount.fen if p.amount else None) for p in d.schedule
    ] == [
        (2026, "due", False, 180 * WAN),
        (2027, "due", False, 120 * WAN),
    ]
    assert [g for g in result.grants if g.provision == AWARD] == []
    text = result.explain(lang="zh")
    assert "预计（未给出评估日期）" in text
    assert "本次结果的发放" not in text  # (the facts' only award: no grant to list)
    later = policy.evaluate(facts, ledger=result.ledger(), as_of="2027-06-30")
    assert sorted((g.year, g.amount.fen) for g in later.grants if g.provision == AWARD) == [
        (2026, 180 * WAN),
        (2027, 120 * WAN),
    ]
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        policy.record(store, result.grants)
        assert [g for g in store.grants() if g.provision == AWARD] == []
    (said,) = [x for x in result.to_json()["decisions"] if x["provision"] == AWARD]
    assert [(p["year"], p["status"], p["dated"]) for p in said["schedule"]] == [
        (2026, "due", False),
        (2027, "due", False),
    ]


def test_the_heading_with_a_year_paid_says_the_unpaid_years_are_not_due(tmp_path: Path) -> None:
    """hCI's trial: with 2026's 180 万元 (60% of 300 万元) in the ledger, the heading said
    全部年度 … 均未到期 above a year 已拨付.  It now says the years not paid are not due."""
    policy = policyrules.load(PATTERNS)
    facts = policy.load_facts(_facts(tmp_path))
    paid = [{"provision": AWARD, "firm": "F1", "project": "P1", "amount": "1800000", "year": 2026}]
    result = policy.evaluate(facts, ledger=paid)
    zh, en = result.explain(lang="zh"), result.explain(lang="en")
    assert (
        "  分年拨付（未给出评估日期：逐年列出全部年度，未拨付的各年度均未到期；"
        "记入台账须给出评估日期）：\n"
        "    2026 年度（第 1 期，60%）：180 万元，已拨付\n"
        "    2027 年度（第 2 期，40%）：120 万元，预计（未给出评估日期）"
    ) in zh
    assert (
        "  paid over time (no day given: every year is shown, the years not paid before are "
        "not due yet; recording needs --as-of):\n"
        "    2026 (#1, 60%): 180 万元, paid before (ledger)\n"
    ) in en
    assert "均未到期；" not in zh.replace("未拨付的各年度均未到期", "")
