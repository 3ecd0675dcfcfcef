"""A run for a day after today is not recorded with next years' grants unless said (E428).

hCI's trial, on 2026-12-05: `eval inst f1.yaml --ledger s4.db --as-of 2028-01-15` recorded
the 2027 and 2028 instalments that day, and `batch … --as-of 2028-06-30` granted 2026-2028
in one run, with no word that the day was after today.  Recording (a store's commit,
`eval --ledger-out`, `batch --ledger-out`, `Policy.evaluate(..., commit=True)`) is now
refused when ``as_of`` is after today and a grant's year after today's year, unless the
caller says so (``--record-ahead``, ``record_ahead=True``).  Today is injected (the
``today=`` argument, or ``facts_dated.machine_today`` for the command line), never the
clock.

Policy: 「给予一次性奖励100万元，分两年拨付」, 50% / 50% from the approval's year.  F1
approved 2026-03-02: 2026 ⌊100 万 × 50%⌋ = 50 万元, 2027 the remaining 50 万元.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import policyrules
from policyrules import LedgerError, LedgerStore, facts_dated
from support import WAN, run_cli

TODAY = dt.date(2026, 12, 5)
AWARD = "t/1/r"

RULE = """document t "测试"

entity firm "企业"
  list firms
  fact approved_on: date "获批日期"

clause 1
  quote "给予一次性奖励100万元，分两年拨付。"

  award r "一次性奖励"
    for each firm
    amount 100 万元
    paid over 2 years from approved_on: 50%, 50% remainder last
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The policy (``pol``), one firm's facts (``f.yaml``) and the same as a registry
    (``reg``); the command line's today is 2026-12-05."""
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "t.rule").write_text(RULE, "utf-8")
    (tmp_path / "f.yaml").write_text("firms:\n  - {id: F1, approved_on: 2026-03-02}\n", "utf-8")
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "firms.csv").write_text("id,approved_on\nF1,2026-03-02\n", "utf-8")
    monkeypatch.setattr(facts_dated, "machine_today", lambda: TODAY)
    return tmp_path


def _stored(db: Path) -> list[tuple[int | None, int]]:
    with LedgerStore.open(db, create=False) as store:
        return sorted((g.year, g.amount.fen) for g in store.grants())


def test_the_api_refuses_a_commit_ahead_and_names_the_grants(folder: Path) -> None:
    policy = policyrules.load(folder / "pol")
    facts = policy.load_facts(folder / "f.yaml")
    with LedgerStore.open(folder / "g.db", create=True) as store:
        with pytest.raises(LedgerError) as info:
            policy.evaluate(facts, ledger=store, commit=True, as_of="2027-01-15", today=TODAY)
        (d,) = info.value.diagnostics
        assert d.code == "E428"
        assert d.message == (
            "as_of 2027-01-15 is after today (2026-12-05): this run would record 1 grant(s) "
            "of 2027 as paid now, before their year: t/1/r for F1: 50 万元 (2027); nothing "
            "was written"
        )
        assert d.hint is not None
        assert "--dry-run" in d.hint
        assert "--record-ahead (record_ahead=True)" in d.hint
        assert d.span is not None
        assert d.span.line == 13  # the award's `paid over …` line
        assert len(store.grants()) == 0
        # only read: shown, granted by the result, not refused
        read = policy.evaluate(facts, ledger=store, as_of="2027-01-15", today=TODAY)
        assert sorted((g.year, g.amount.fen) for g in read.grants) == [
            (2026, 50 * WAN),
            (2027, 50 * WAN),
        ]
    assert _stored(folder / "g.db") == []


def test_the_api_records_when_said_or_when_the_day_has_come(folder: Path) -> None:
    policy = policyrules.load(folder / "pol")
    facts = policy.load_facts(folder / "f.yaml")
    with LedgerStore.open(folder / "a.db", create=True) as store:
        policy.evaluate(
            facts, ledger=store, commit=True, as_of="2027-01-15", today=TODAY, record_ahead=True
        )
    with LedgerStore.open(folder / "b.db", create=True) as store:  # run on 2027-01-20
        policy.evaluate(
            facts, ledger=store, commit=True, as_of="2027-01-15", today=dt.date(2027, 1, 20)
        )
    both = [(2026, 50 * WAN), (2027, 50 * WAN)]
    assert (_stored(folder / "a.db"), _stored(folder / "b.db")) == (both, both)


def test_a_later_day_of_this_year_grants_this_year_only_and_is_recorded(folder: Path) -> None:
    """as_of 2026-12-31 is after today, but its grants are of 2026: nothing ahead."""
    policy = policyrules.load(folder / "pol")
    facts = policy.load_facts(folder / "f.yaml")
    with LedgerStore.open(folder / "g.db", create=True) as store:
        policy.evaluate(facts, ledger=store, commit=True, as_of="2026-12-31", today=TODAY)
    assert _stored(folder / "g.db") == [(2026, 50 * WAN)]


def test_eval_into_a_store_is_refused_a_dry_run_is_not(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, pol, facts = folder / "g.db", folder / "pol", folder / "f.yaml"
    assert run_cli(capsys, "ledger", "init", db)[0] == 0
    code, _, err = run_cli(capsys, "eval", pol, facts, "--ledger", db, "--as-of", "2027-01-15")
    assert (code, "error[E428]" in err, "Traceback" in err) == (2, True, False)
    assert _stored(db) == []
    code, out, _ = run_cli(
        capsys, "eval", pol, facts, "--ledger", db, "--as-of", "2027-01-15", "--dry-run"
    )
    assert (code, "error" in out) == (0, False)
    assert _stored(db) == []
    code, _, err = run_cli(
        capsys, "eval", pol, facts, "--ledger", db, "--as-of", "2027-01-15", "--record-ahead"
    )
    assert code == 0
    assert _stored(db) == [(2026, 50 * WAN), (2027, 50 * WAN)]


def test_eval_ledger_out_is_refused_and_the_file_kept(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = folder / "L.json"
    ledger.write_text('{"ledger": []}\n', "utf-8")
    run = ("eval", folder / "pol", folder / "f.yaml", "--ledger", ledger, "--ledger-out", ledger)
    code, _, err = run_cli(capsys, *run, "--as-of", "2027-01-15")
    assert (code, "error[E428]" in err) == (2, True)
    assert ledger.read_text("utf-8") == '{"ledger": []}\n'
    # the facts file's own as_of is the run's day too
    dated = folder / "f.yaml"
    dated.write_text(dated.read_text("utf-8") + "as_of: 2027-01-15\n", "utf-8")
    code, _, err = run_cli(capsys, *run)
    assert (code, "error[E428]" in err) == (2, True)
    code, _, err = run_cli(capsys, *run, "--record-ahead")
    assert code == 0
    years = [g["year"] for g in json.loads(ledger.read_text("utf-8"))["ledger"]]
    assert sorted(years) == [2026, 2027]


def test_batch_ledger_out_is_refused_before_anything_is_written(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, ledger = folder / "o", folder / "g.json"
    run = ("batch", folder / "pol", folder / "reg", "--out", out, "--ledger-out", ledger)
    code, _, err = run_cli(capsys, *run, "--as-of", "2027-06-30")
    assert (code, "error[E428]" in err, "of 2027 as paid now" in err) == (2, True, True)
    assert (out.exists(), ledger.exists()) == (False, False)
    # without --ledger-out nothing is recorded: the outputs show the grants
    code, _, _ = run_cli(capsys, "batch", folder / "pol", folder / "reg", "--out", out,
                         "--as-of", "2027-06-30")  # fmt: skip
    assert code == 0
    code, _, _ = run_cli(capsys, *run, "--as-of", "2027-06-30", "--record-ahead")
    assert code == 0
    said = json.loads(ledger.read_text("utf-8"))["ledger"]
    assert sorted((g["year"], g["amount"]) for g in said) == [
        (2026, "500000.00"),
        (2027, "500000.00"),
    ]
