"""Never paid twice through the ledger (issue 9, §3 follow-up): the store keeps the facts'
earlier grants; one grant by several routes is one grant; an award is its subject's
entitlement under its provision; a ledger that already pays a one-time award twice or
exceeds a cap is refused.  Amounts in 万元 worked by hand in the comments."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, LedgerStore, Money
from policyrules.errors import LedgerError
from support import BEIJING as POLICY
from support import ROOT, WAN, products_head
from support import run_cli as run

FIRM_A = ROOT / "examples" / "firm-a.yaml"
LAUNCH = "jjxf_2025_50/3/launch_reward"
PLATFORM = "jjxf_2025_50/7/common_platform"


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _decision(result: policyrules.Result, provision: str, subject: str) -> Any:
    return next(d for d in result.decisions if d.provision == provision and d.subject == subject)


def _a4(folder: Path) -> Path:
    f = folder / "a4.yaml"
    f.write_text(
        "firms:\n  - id: firm-a\n    products:\n      - id: A4\n        approved_on: 2026-10-01\n"
        "        launch_routes: [national_priority_review]\n"
        '        launch_reward_decided: "200万元"\n',
        "utf-8",
    )
    return f


# ---- 1. a store keeps the earlier grants a run relied on -----------------------------------


def test_a_store_keeps_the_facts_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """firm-a with its own ledger (600 万 earlier in 2026) into a new store: the store holds
    600 + A1 200 + A2 150 + A3 50 = 1000 万 for 2026, the 600 万 in a batch noted "imported
    from" the facts file.  A later run for A4 (no ledger of its own) then has 1000 − 1000 = 0
    left: firm-a's 2026 total stays 1000 万, not 1000 + 200."""
    db = tmp_path / "m.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    code, _, err = run(capsys, "eval", POLICY, FIRM_A, "--ledger", db)
    assert code == 0, err
    with LedgerStore.open(db, create=True) as store:
        records = store.records()
    launch = [r for r in records if r.grant.provision == LAUNCH]
    assert sum(r.grant.amount.fen for r in launch) == 1000 * WAN  # 600 + 200 + 150 + 50
    imported = [r for r in records if r.note == f"imported from {FIRM_A}"]
    assert sorted(r.grant.subject for r in imported) == [
        "firm-a/A0-1",
        "firm-a/A0-2",
        "firm-a/A0-3",
    ]
    code, out, err = run(capsys, "eval", POLICY, _a4(tmp_path), "--ledger", db, "--json")
    assert code == 0, err
    (a4,) = [
        d
        for d in json.loads(out)["decisions"]
        if d["subject"] == "firm-a/A4" and d["provision"] == LAUNCH
    ]
    assert Money.parse(a4["amount"]) == Money.zero()  # 1000 − 1000 = 0
    with LedgerStore.open(db, create=True) as store:
        total = sum(g.amount.fen for g in store.grants() if g.provision == LAUNCH)
    assert total == 1000 * WAN


def test_the_facts_ledger_is_imported_once(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """A second commit of the same facts adds none of the facts' grants again (they are in
    the store: the same grant by two routes) and pays nothing again (一次性)."""
    facts = beijing.load_facts(FIRM_A)
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        beijing.evaluate(facts, ledger=store, commit=True, facts_file="f.yaml")
        first = len(store.grants())
        again = beijing.evaluate(facts, ledger=store, commit=True, facts_file="f.yaml")
        assert again.grants == ()
        assert len(store.grants()) == first
    with sqlite3.connect(tmp_path / "s.db") as conn:
        notes = [n for (n,) in conn.execute("SELECT note FROM batches ORDER BY recorded_at")]
    assert notes.count("imported from f.yaml") == 1


def test_a_dry_run_imports_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    LedgerStore.open(db, create=True).close()
    assert run(capsys, "eval", POLICY, FIRM_A, "--ledger", db, "--dry-run")[0] == 0
    with LedgerStore.open(db, create=True) as store:
        assert len(store.grants()) == 0


# ---- 2. the same grant by several routes is one grant --------------------------------------


def test_ledger_in_and_out_twice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`eval firm-a --ledger L.json --ledger-out L.json` twice: the first writes the facts'
    600 万 and the run's 400 万 (200 + 150 + 50) plus J1 2400 万; the second finds A0-1..3 in
    both the facts and L.json (one grant each) and pays nothing again."""
    ledger = tmp_path / "L.json"
    ledger.write_text('{"ledger": []}\n', "utf-8")
    args = ("eval", POLICY, FIRM_A, "--ledger", ledger, "--ledger-out", ledger)
    code, _, err = run(capsys, *args)
    assert code == 0, err
    first = json.loads(ledger.read_text("utf-8"))["ledger"]
    code, _, err = run(capsys, *args)
    assert code == 0, err
    second = json.loads(ledger.read_text("utf-8"))["ledger"]
    assert second == first
    launch = sum(Money.parse(g["amount"]).fen for g in first if g["provision"] == LAUNCH)
    assert launch == 1000 * WAN  # 600 + 200 + 150 + 50


ENTRY = {"provision": LAUNCH, "firm": "f1", "product": "P0", "amount": "150万元", "year": 2026}
P1 = {
    "firms": [
        {
            "id": "f1",
            "products": [
                {
                    "id": "P1",
                    "approved_on": "2026-03-01",
                    "launch_routes": ["national_priority_review"],
                    "launch_reward_decided": "200万元",
                }
            ],
        }
    ]
}


@pytest.mark.parametrize("route", ["ledger=", "store"])
@pytest.mark.parametrize(
    ("other", "paid"),
    [
        ("150万元", 200 * WAN),  # the same grant: counted once, 1000 − 150 leaves room for 200
        ("160万元", None),  # the same identity, another amount: E326 naming both
    ],
)
def test_routes_table(
    beijing: policyrules.Policy, tmp_path: Path, route: str, other: str, paid: int | None
) -> None:
    facts = {**P1, "ledger": [ENTRY]}
    second = {**ENTRY, "amount": other}

    def go() -> policyrules.Result:
        if route == "ledger=":
            return beijing.evaluate(facts, ledger=[second])
        with LedgerStore.open(tmp_path / "r.db", create=True) as store:
            store.append(beijing.read_ledger([second]))
            return beijing.evaluate(facts, ledger=store)

    if paid is None:
        with pytest.raises(LedgerError) as info:
            go()
        assert info.value.code == "E326"
        assert "1,500,000.00 元" in str(info.value)
        assert "1,600,000.00 元" in str(info.value)
    else:
        assert _decision(go(), LAUNCH, "f1/P1").amount == Money(paid)


# ---- 3. an award is its subject's entitlement -----------------------------------------------


def test_common_platform_is_not_paid_twice(beijing: policyrules.Policy) -> None:
    """第7条: 30% × 8000 万 = 2400 万 for J1.  Fed back, J1 was granted 2400 万: it is
    entitled to 2400 − 2400 = 0 more; the trace, the explanation and the JSON say so."""
    facts = beijing.load_facts(FIRM_A)
    r1 = beijing.evaluate(facts)
    assert _decision(r1, PLATFORM, "firm-a/J1").amount == Money.of(2400, "万元")
    r2 = beijing.evaluate(facts, ledger=r1.grants)
    d = _decision(r2, PLATFORM, "firm-a/J1")
    assert (d.amount, d.amount_kind, d.granted_before) == (
        Money.zero(),
        "exact",
        Money.of(2400, "万元"),
    )
    assert not [g for g in r2.grants if g.provision == PLATFORM]
    step = next(s.text for s in d.trace if s.kind == "entitlement")
    assert "already granted 2400 万元 under this provision: pays the rest 0.00 元" in step
    assert step in r2.explain(lang="en")
    assert "此前已获本项 2400 万元，已从本次金额中扣除" in r2.explain()
    rows: Any = r2.to_json()["decisions"]
    row = next(x for x in rows if x["provision"] == PLATFORM)
    assert row["granted_before"] == "24000000.00"


def test_a_grant_of_another_year_counts_too(beijing: policyrules.Policy) -> None:
    """J1 granted 2400 万 recorded in year 2025: still its entitlement, 0 more (not 4800 万 =
    60 % of the investment).  Granted 1000 万 before: the rest 2400 − 1000 = 1400 万."""
    facts = beijing.load_facts(FIRM_A)
    path = (("firm", "firm-a"), ("project", "J1"))
    for before, rest in ((2400, 0), (1000, 1400)):
        earlier = [Grant(PLATFORM, path, Money.of(before, "万元"), 2025)]
        d = _decision(beijing.evaluate(facts, ledger=earlier), PLATFORM, "firm-a/J1")
        assert d.amount == Money.of(rest, "万元")


def test_dry_run_with_the_first_runs_ledger(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`eval … --ledger FA2.json --dry-run` with the first run's grants: J1 0.00 元."""
    out = tmp_path / "FA2.json"
    assert run(capsys, "eval", POLICY, FIRM_A, "--ledger-out", out)[0] == 0
    code, text, err = run(capsys, "eval", POLICY, FIRM_A, "--ledger", out, "--json")
    assert code == 0, err
    (j1,) = [d for d in json.loads(text)["decisions"] if d["provision"] == PLATFORM]
    assert (j1["amount"], j1["granted_before"]) == ("0.00", "24000000.00")


# ---- 4. a ledger that already pays twice or overspends is refused -------------------------

ONCE = """document op "一次"
  valid from 2025-01-01

entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact approved_on: date "获批"

clause 1 "c"
  quote "对企业给予一次性奖励 10 万元。"

  award once_firm "一次性"
    for each product
    eligible when approved_on in force
    amount 10 万元
    once per firm
"""


def test_a_one_time_award_paid_three_times_is_refused_on_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Grants of a `once per firm` award to F/1, F/2 and F: 30 万 for a 10 万 award.  Import
    refuses it (E328), naming both grants with file and line; nothing is stored."""
    (tmp_path / "op").mkdir()
    (tmp_path / "op" / "o.rule").write_text(ONCE, "utf-8")
    ledger = tmp_path / "l3.yaml"
    ledger.write_text(
        "ledger:\n"
        '  - {provision: op/1/once_firm, firm: F, product: "1", amount: "10万元"}\n'
        '  - {provision: op/1/once_firm, firm: F, product: "2", amount: "10万元"}\n'
        '  - {provision: op/1/once_firm, firm: F, amount: "10万元"}\n',
        "utf-8",
    )
    db = tmp_path / "o.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    code, _, err = run(capsys, "ledger", "import", db, ledger, "--policy", tmp_path / "op")
    assert code == 2
    assert err.count("error[E328]") == 2
    assert f"{ledger}:2" in err
    assert f"{ledger}:3" in err
    assert f"{ledger}:4" in err
    if db.exists():
        with LedgerStore.open(db, create=True) as store:
            assert len(store.grants()) == 0


def test_one_product_paid_in_two_years_is_refused(beijing: policyrules.Policy) -> None:
    """launch_reward (once per product): 200 万 in 2025 and again in 2026 for P1 is paid
    twice, 400 万 against the 200 万 per-product cap: E328 (and the cap, E329)."""
    two = [{**ENTRY, "product": "P9", "amount": "200万元", "year": y} for y in (2025, 2026)]
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(P1, ledger=two)
    assert info.value.code == "E328"
    assert "product P9" in str(info.value)
    # Split between the facts file and ledger=: the same, across routes.
    with pytest.raises(LedgerError) as info:
        beijing.evaluate({**P1, "ledger": two[:1]}, ledger=two[1:])
    assert info.value.code == "E328"


POOLS = (
    products_head("approved_on: date", "awarded: money")
    + """
  award a
    for each product
    amount decided awarded
    cap 100 万元
    cap 200 万元 per product
    cap 500 万元 per firm per year of approved_on shared firm_year

  award b
    for each product
    amount decided awarded
    cap 500 万元 per firm per year of approved_on shared firm_year
"""
)


@pytest.mark.parametrize(
    ("grants", "overspent"),
    [
        # per claim: P1 granted 60 + 50 = 110 万 under a (any year) against `cap 100 万元`.
        ([("a", "P1", 60, 2025), ("a", "P1", 50, 2026)], "cap 100 万元 of d/1/a"),
        # per entity: nothing above 100 per claim, so the 200/product cap cannot be passed
        # by a alone; per firm per year: 5 × 100 = 500 under a + 10 under b = 510 > 500.
        (
            [("a", f"P{i}", 100, 2026) for i in range(5)] + [("b", "Q", 10, 2026)],
            "500 万元 per firm per year",
        ),
        # a shared pool, b alone: 300 + 250 = 550 > 500.
        ([("b", "Q1", 300, 2026), ("b", "Q2", 250, 2026)], "500 万元 per firm per year"),
        # the same totals in two years: 500 each, within.
        ([("b", "Q1", 500, 2025), ("b", "Q2", 500, 2026)], None),
    ],
)
def test_every_cap_kind_refuses_an_overspent_ledger(
    tmp_path: Path, grants: list[tuple[str, str, int, int]], overspent: str | None
) -> None:
    from strategies import compile_text

    policy = compile_text(POOLS)
    ledger = [
        Grant(f"d/1/{p}", (("firm", "f"), ("product", pid)), Money.of(w, "万元"), y)
        for p, pid, w, y in grants
    ]
    if overspent is None:
        assert policy.evaluate({"firms": []}, ledger=ledger).grants == ()
        return
    with pytest.raises(LedgerError) as info:
        policy.evaluate({"firms": []}, ledger=ledger)
    assert info.value.code == "E329"
    assert overspent in str(info.value)


def test_a_per_product_cap_is_checked(tmp_path: Path) -> None:
    """`cap 200 万元 per product` with 150 万 under a in 2025 and 100 under a in 2026 for P:
    250 > 200 (the per-claim 100 is passed too: both reported)."""
    from strategies import compile_text

    policy = compile_text(POOLS)
    path = (("firm", "f"), ("product", "P"))
    ledger = [Grant("d/1/a", path, Money.of(w, "万元"), y) for w, y in ((150, 2025), (100, 2026))]
    with pytest.raises(LedgerError) as info:
        policy.evaluate({"firms": []}, ledger=ledger)
    text = str(info.value)
    assert "200 万元 per product" in text
    assert "cap 100 万元 of d/1/a" in text


def test_the_shipped_example_ledger_is_within_its_caps(tmp_path: Path) -> None:
    """The copy made for the auditor's runs still evaluates (its 600 万 in three grants)."""
    shutil.copy(FIRM_A, tmp_path / "f.yaml")
    policy = policyrules.load(POLICY)
    result = policy.evaluate(policy.load_facts(tmp_path / "f.yaml"))
    assert _decision(result, LAUNCH, "firm-a/A3").amount == Money.of(50, "万元")  # 1000 − 950
