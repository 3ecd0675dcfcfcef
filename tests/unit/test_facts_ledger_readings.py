"""The last doors to a yearly cap paid twice by reading earlier grants under another reading
than they were counted by (issue 9 §3; the fault of ``test_ledger_file_bases.py``):

- a facts file's own ``ledger:`` goes with the facts' own ``assumptions:``: an argument
  (``--assume``) overriding them for a provision those grants are of is refused (E335), on
  every path (no ledger, a ledger file, a store);
- a registry's ``ledger`` table records no reading: its grants are taken as counted by the
  defaults, and a batch with another value is refused (E335) on DuckDB (on Spark:
  ``test_batch_spark.py``);
- ``diff`` (a what-if that pays nothing) is not refused: it reads such grants in the
  accounts they were counted in and says so, by ledger and reading.

Policy: 京经信发〔2025〕50号 第3条 launch_reward, cap 1000 万元 per firm per year of approval
(default) or of the funding decision (``annual_cap_year=decision``).  The facts' ledger:
P1–P5 paid 200 万元 each, counted in 2026 by approval.  The firm's P6–P10, approved
2026-03-02 too, decided 2027-02-15.  By approval 2026 is full: P6–P10 get 1000 − 5 × 200 = 0.
Counted by decision they fall in 2027, where the grants (year 2026) are not: 5 × 200 more,
2000 万元 in all (同一批已付奖励按两种计年口径读取，年度上限被付两次)。1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import LedgerError, LedgerStore, facts_dated
from policyrules.diff import what_if
from policyrules.diff_batch import what_if_batch
from policyrules.ledger_bases import OtherReading
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN, launch_products, run_cli

DECISION = {"annual_cap_year": "decision"}


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _facts(said: str | None = None, year: int = 2026) -> dict[str, Any]:
    products = launch_products(6)
    paid = [
        {"provision": REWARD, "firm": "f1", "product": f"P{i}", "amount": "200万元", "year": year}
        for i in range(1, 6)
    ]
    facts: dict[str, Any] = {"as_of": "2027-12-31", "ledger": paid}
    if said is not None:
        facts["assumptions"] = {"annual_cap_year": said}
    facts["firms"] = [{"id": "f1", "products": products}]
    return facts


def _paid(result: Any) -> int:
    return sum(g.amount.fen for g in result.grants if g.provision == REWARD)


def test_an_argument_overriding_the_facts_reading_is_refused(beijing: Any) -> None:
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(_facts(), assumptions=DECISION, facts_file="f1.yaml")
    d = err.value.diagnostics[0]
    assert d.code == "E335"
    assert d.message.startswith("f1.yaml: ledger: the facts do not say which reading")
    assert "the default annual_cap_year = approval" in d.message
    assert d.hint is not None
    assert "`assumptions: {annual_cap_year: decision}`" in d.hint
    assert "--assume annual_cap_year=approval" in d.hint
    # By the facts' own reading: 1000 − 5 × 200 = 0 for P6–P10.
    assert _paid(beijing.evaluate(_facts())) == 0


def test_the_facts_own_reading_holds_either_way(beijing: Any) -> None:
    """The facts say decision (P1–P5 counted in 2027): an argument for approval is refused;
    the same value again is not, and P6–P10 (2027) get 1000 − 5 × 200 = 0."""
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(_facts("decision", 2027), assumptions={"annual_cap_year": "approval"})
    assert err.value.diagnostics[0].code == "E335"
    assert "annual_cap_year = decision" in err.value.diagnostics[0].message
    assert _paid(beijing.evaluate(_facts("decision", 2027), assumptions=DECISION)) == 0
    assert _paid(beijing.evaluate(_facts("decision", 2027))) == 0


def test_refused_with_a_ledger_file_and_with_a_store(beijing: Any, tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(_facts(), ledger=[], assumptions=DECISION)
    assert err.value.diagnostics[0].code == "E335"
    db = tmp_path / "s.db"
    with LedgerStore.open(db, create=True) as store:
        for commit in (False, True):
            with pytest.raises(LedgerError) as err:
                beijing.evaluate(_facts(), ledger=store, commit=commit, assumptions=DECISION)
            assert err.value.diagnostics[0].code == "E335"
        assert store.ledger().grants == ()  # nothing written, nothing imported
        result = beijing.evaluate(_facts(), ledger=store, commit=True)
        assert _paid(result) == 0
        assert len(store.ledger().grants) == 5  # P1–P5 imported with the facts' reading
        assert (REWARD, "annual_cap_year", "approval") in store.bases()


def test_a_what_if_is_not_refused_and_says_which_grants_it_read(beijing: Any) -> None:
    """diff: P6–P10 by decision fall in 2027, where the facts' grants (counted in 2026) are
    not: each 200 万元 (exact) instead of 0; the note names the ledger and both values."""
    result = what_if(beijing, _facts(), assumptions=DECISION)
    assert result.after.exact - result.before.exact == policyrules.Money(5 * 200 * WAN)
    assert result.read_otherwise == (
        OtherReading(
            "the facts' ledger", REWARD, "annual_cap_year", "approval", "decision", False, "facts"
        ),
    )
    data = result.to_json()["read_otherwise"]
    assert data == [
        {
            "ledger": "the facts' ledger",
            "provision": REWARD,
            "assumption": "annual_cap_year",
            "counted": "approval",
            "used": "decision",
            "recorded": False,
            "source": "facts",
        }
    ]
    assert "note: the facts' ledger: the earlier grants of " + REWARD in result.text()
    assert what_if(beijing, _facts(), parameters={"rd_reward_rate": "10%"}).read_otherwise == ()


def test_on_other_reading_is_not_for_a_run_that_records(beijing: Any, tmp_path: Path) -> None:
    with LedgerStore.open(tmp_path / "s.db", create=True) as store, pytest.raises(TypeError):
        beijing.evaluate(_facts(), ledger=store, commit=True, on_other_reading=print)


def test_cli_eval_refuses_and_keeps_the_ledger_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "f1.json"
    facts.write_text(json.dumps(_facts()), encoding="utf-8")
    out = tmp_path / "out.json"
    code, _, err = run_cli(
        capsys, "eval", POLICY, facts, "--assume", "annual_cap_year=decision", "--ledger-out", out
    )
    assert code == 2
    assert f"error[E335]: {facts}: ledger: the facts do not say which reading" in err
    assert not out.exists()
    code, out_text, _ = run_cli(
        capsys, "diff", POLICY, facts, "--assume", "annual_cap_year=decision", "--format", "json"
    )
    assert code == 0
    assert json.loads(out_text)["read_otherwise"][0]["counted"] == "approval"


def _registry(folder: Path) -> Path:
    """f1 and P6–P10 as tables; P1–P5 paid in 2026, in the registry's own ledger table."""
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nf1\n", encoding="utf-8")
    rows = "".join(
        f'P{i},f1,2026-03-02,"[""national_priority_review""]",200万元,2027-02-15\n'
        for i in range(6, 11)
    )
    (folder / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided,launch_reward_decided_on\n"
        + rows,
        encoding="utf-8",
    )
    grants = "".join(f"{REWARD},f1,P{i},200万元,2026\n" for i in range(1, 6))
    (folder / "ledger.csv").write_text(
        "provision,firm,product,amount,year\n" + grants, encoding="utf-8"
    )
    return folder


def test_a_registry_ledger_table_is_read_by_the_defaults(beijing: Any, tmp_path: Path) -> None:
    registry = _registry(tmp_path / "registry")
    with pytest.raises(LedgerError) as err:
        beijing.evaluate_batch(registry, assumptions=DECISION, as_of="2027-12-31")
    d = err.value.diagnostics[0]
    assert d.code == "E335"
    assert "a registry's ledger table does not say which reading" in d.message
    assert d.hint is not None
    assert "give it with --ledger" in d.hint
    batch = beijing.evaluate_batch(registry, as_of="2027-12-31")
    try:  # by the default reading: 1000 − 5 × 200 = 0 for P6–P10
        paid = batch.con.execute("SELECT coalesce(sum(amount_fen), 0) FROM grants").fetchone()
        assert paid == (0,)
    finally:
        batch.close()
    found: list[OtherReading] = []
    run = beijing.evaluate_batch(
        registry, assumptions=DECISION, as_of="2027-12-31", on_other_reading=found.append
    )
    run.close()
    assert [(f.provision, f.counted, f.used, f.said, f.source) for f in found] == [
        (REWARD, "approval", "decision", False, "table")
    ]
    changed = what_if_batch(beijing, registry, assumptions=DECISION, as_of="2027-12-31")
    # P6–P10 counted in 2027, where the table's grants (2026) are not: 5 × 200 万元 more.
    assert changed.total.after.exact - changed.total.before.exact == policyrules.Money(1000 * WAN)
    assert len(changed.read_otherwise) == 1
    assert "note: " in changed.text()
    assert "taken as the default" in changed.text()


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _later(tmp_path: Path) -> Path:
    """P6–P10 of f1 with no ledger of their own (approved 2026, decided 2027)."""
    facts = _facts()
    del facts["ledger"]
    return _write(tmp_path / "later.json", facts)


def test_ledger_out_writes_the_facts_reading_with_their_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The facts say decision and carry P1–P5 (counted in 2027), no claim of their own: the
    file written holds the grants *and* their reading, so a later run by approval is
    refused.  (Before: no `bases:` for them; the later run put P6–P10 in 2026, where
    nothing was paid, and paid 5 × 200 = 1000 万元 more: 2000 万元 in all.)"""
    facts = _facts("decision", 2027)
    facts["firms"] = [{"id": "f0"}]
    first = _write(tmp_path / "first.json", facts)
    out = tmp_path / "O1.json"
    code, _, _ = run_cli(capsys, "eval", POLICY, first, "--ledger-out", out)
    assert code == 0
    written = json.loads(out.read_text("utf-8"))
    assert len(written["ledger"]) == 5
    assert {"provision": REWARD, "assumption": "annual_cap_year", "value": "decision"} in written[
        "bases"
    ]
    code, _, err = run_cli(capsys, "eval", POLICY, _later(tmp_path), "--ledger", out)
    assert code == 2
    assert f"error[E335]: {out}: the grants of {REWARD}" in err


def test_a_file_recording_another_reading_meets_the_facts_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger file with no grants whose `bases:` say approval, and facts saying decision
    with P1–P5: two readings for one provision's grants, refused before anything is written
    (before: the file was rewritten with the 2027 grants labelled approval)."""
    bases = [{"provision": REWARD, "assumption": "annual_cap_year", "value": "approval"}]
    ledger = _write(tmp_path / "X2.json", {"ledger": [], "bases": bases})
    before = ledger.read_bytes()
    facts = _write(tmp_path / "f.json", _facts("decision", 2027))
    code, _, err = run_cli(
        capsys, "eval", POLICY, facts, "--ledger", ledger, "--ledger-out", ledger
    )
    assert code == 2
    assert "error[E335]" in err
    assert str(ledger) in err
    assert ledger.read_bytes() == before


def test_a_recorded_reading_holds_without_grants_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger file that records decision for launch_reward but holds none of its grants:
    a run by approval is refused, as a store refuses it (before: accepted, and its
    `--ledger-out` labelled five 2026 grants decision; a later run by decision then paid
    P6–P10 again in 2027)."""
    # run in 2028: the 2027 grants are not ahead of today (E428)
    monkeypatch.setattr(facts_dated, "machine_today", lambda: dt.date(2028, 1, 10))
    bases = [{"provision": REWARD, "assumption": "annual_cap_year", "value": "decision"}]
    ledger = _write(tmp_path / "g.json", {"ledger": [], "bases": bases})
    before = ledger.read_bytes()
    facts = _facts()
    del facts["ledger"]
    first = _write(tmp_path / "first.json", facts)
    code, _, err = run_cli(
        capsys, "eval", POLICY, first, "--ledger", ledger, "--ledger-out", ledger
    )
    assert code == 2
    assert f"error[E335]: {ledger}: the grants of {REWARD}" in err
    assert ledger.read_bytes() == before
    # By the reading it records, the same run is accepted (P6–P10 counted in 2027).
    code, _, _ = run_cli(
        capsys, "eval", POLICY, first, "--ledger", ledger, "--ledger-out", ledger,
        "--assume", "annual_cap_year=decision",
    )  # fmt: skip
    assert code == 0
    assert len(json.loads(ledger.read_text("utf-8"))["ledger"]) == 5


def test_a_what_if_says_when_the_facts_reading_is_only_the_default(beijing: Any) -> None:
    """Facts without `assumptions:`: their grants are taken as counted by the default, and
    the note says so (`recorded: false`)."""
    (found,) = what_if(beijing, _facts(), assumptions=DECISION).read_otherwise
    assert (found.counted, found.said) == ("approval", False)
    assert "taken as the default" in found.text()
