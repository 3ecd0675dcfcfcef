"""A one-time award's earlier grant recorded in another year than the facts now give it is
refused (E349, issue 9 "Done means"), on every ledger route and in the batch.

京经信发〔2025〕50号 第3条 launch_reward: 200 万元 per product, once per product (一次性), at
most 1000 万元 per firm per year of ``approved_on``.  Run 1: firm f1, P1 approved 2025-12-31,
paid 200 万元 in 2025.  Run 2: P1's approval corrected to 2026-01-05, P2-P6 approved
2026-02, 200 万元 each.  Built on the 2025 grant, run 2 would pay P2-P6 5 × 200 = 1000 万元
and f1's 2026 would hold 200 (P1) + 1000 = 1200 万元 against 1000 万元: refused instead.
With the grant's year corrected to 2026: 1000 − 200 = 800 万元 left, P2-P5 200 each, P6 0.
（中文：第一次运行 P1 于 2025-12-31 获批，2025 年度记 200 万元；第二次运行更正为 2026-01-05，
P2–P6 于 2026 年 2 月获批各 200 万元。若沿用 2025 年的记录，2026 年度将支付 5 × 200 = 1000 万元，
加上 P1 的 200 万元共 1200 万元，超过 1000 万元上限，故拒绝；把台账年度改为 2026 后，
剩余 1000 − 200 = 800 万元，P2–P5 各 200 万元，P6 为 0。）
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, LedgerStore, Money
from policyrules.errors import LedgerError
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH
from support import WAN, launch_grant_file
from support import run_cli as run


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _product(ident: str, approved: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": "200万元",
    }
    if approved is not None:
        out["approved_on"] = approved
    return out


RUN1 = {"firms": [{"id": "f1", "products": [_product("P1", "2025-12-31")]}]}
RUN2 = {
    "firms": [
        {
            "id": "f1",
            "products": [
                _product("P1", "2026-01-05"),
                *(_product(f"P{i}", f"2026-02-0{i}") for i in range(2, 7)),
            ],
        }
    ]
}


def _paid(result: policyrules.Result) -> dict[str, int]:
    return {
        d.subject or "": d.amount.fen
        for d in result.decisions
        if d.provision == LAUNCH and d.amount is not None and d.status == "eligible"
    }


def _e349(err: LedgerError | str) -> str:
    text = str(err)
    assert "E349" in text, text
    assert LAUNCH in text
    assert "firm f1, product P1" in text
    assert "not 2025" in text
    assert "year 2026" in text
    assert "approved_on" in text  # the fact the year comes from (the cap's `per year of`)
    assert "ledger export" in text
    assert "ledger import" in text
    return text


# ---- the worked example: the Python API ------------------------------------------------------


def test_run_one_records_p1_in_2025(beijing: policyrules.Policy) -> None:
    r1 = beijing.evaluate(RUN1)
    assert [(g.path, g.amount.fen, g.year) for g in r1.grants] == [
        ((("firm", "f1"), ("product", "P1")), 200 * WAN, 2025)
    ]


def test_api_refuses_a_ledger_its_facts_contradict(beijing: policyrules.Policy) -> None:
    ledger = beijing.evaluate(RUN1).ledger()
    with pytest.raises(LedgerError) as caught:
        beijing.evaluate(RUN2, ledger=ledger)
    _e349(caught.value)
    assert "(the ledger given)" in str(caught.value)
    # the same grant given as a plain list, and as the facts' own ledger
    with pytest.raises(LedgerError, match="E349"):
        beijing.evaluate(RUN2, ledger=list(ledger))
    own = {**RUN2, "ledger": [g.to_json() for g in ledger]}
    with pytest.raises(LedgerError, match=r"E349[\s\S]*the facts' ledger"):
        beijing.evaluate(own)


def test_the_corrected_ledger_pays_the_worked_amounts(beijing: policyrules.Policy) -> None:
    """P1's grant moved to 2026: 1000 − 200 = 800 万元 left; P2-P5 200 each, P6 0
    (2026 total 200 + 800 = 1000 万元, the cap)."""
    fixed = [Grant(LAUNCH, (("firm", "f1"), ("product", "P1")), Money(200 * WAN), 2026)]
    r2 = beijing.evaluate(RUN2, ledger=fixed)
    paid = _paid(r2)
    assert paid == {"f1/P2": 200 * WAN, "f1/P3": 200 * WAN, "f1/P4": 200 * WAN,
                    "f1/P5": 200 * WAN, "f1/P6": 0}  # fmt: skip
    assert "f1/P1" not in paid  # already granted (一次性)
    assert sum(g.amount.fen for g in r2.grants) + 200 * WAN == 1000 * WAN


def test_what_does_not_contradict_passes(beijing: policyrules.Policy) -> None:
    """A grant of 0.00 元 (not a payment: in no account), a year the facts leave unknown
    (approved_on missing: the claim holds room in every year), and a subject these facts
    do not hold are not compared."""
    path = (("firm", "f1"), ("product", "P1"))
    zero = [Grant(LAUNCH, path, Money(0), 2025)]
    assert "f1/P2" in _paid(beijing.evaluate(RUN2, ledger=zero))
    unknown = {"firms": [{"id": "f1", "products": [_product("P1", None)]}]}
    beijing.evaluate(unknown, ledger=[Grant(LAUNCH, path, Money(200 * WAN), 2025)])
    other = [Grant(LAUNCH, (("firm", "f1"), ("product", "P9")), Money(200 * WAN), 2025)]
    beijing.evaluate(RUN2, ledger=other)


def test_a_store_refuses_and_writes_nothing(beijing: policyrules.Policy, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with LedgerStore.open(db, create=True) as store:
        beijing.evaluate(RUN1, ledger=store, commit=True)
        before = store.grants()
        with pytest.raises(LedgerError) as caught:
            beijing.evaluate(RUN2, ledger=store, commit=True)
        assert str(db) in _e349(caught.value)
        with pytest.raises(LedgerError, match="E349"):
            beijing.evaluate(RUN2, ledger=store)  # read only: refused too
        assert store.grants() == before


def test_a_what_if_is_refused_too(beijing: policyrules.Policy) -> None:
    from policyrules.diff import what_if

    ledger = beijing.evaluate(RUN1).ledger()
    with pytest.raises(LedgerError, match="E349"):
        what_if(beijing, RUN2, ledger=ledger, parameters={})


# ---- the CLI: a store, a ledger file ---------------------------------------------------------


def _facts(folder: Path, name: str, data: dict[str, Any]) -> Path:
    f = folder / name
    f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return f


def test_cli_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "grants.db"
    f1, f2 = _facts(tmp_path, "r1.json", RUN1), _facts(tmp_path, "r2.json", RUN2)
    assert run(capsys, "ledger", "init", db)[0] == 0
    assert run(capsys, "eval", POLICY, f1, "--ledger", db)[0] == 0
    code, _, err = run(capsys, "eval", POLICY, f2, "--ledger", db)
    assert code != 0
    assert str(db) in _e349(err)
    code, _, err = run(capsys, "explain", POLICY, "jjxf_2025_50/3", "--facts", f2, "--ledger", db)
    assert code != 0
    assert "E349" in err
    # The hint's way: export, fix the year, import into a new store; then run 2 pays
    # P2-P5 200 万元 each (1000 − 200 = 800), P6 0.
    exported = tmp_path / "L.json"
    assert run(capsys, "ledger", "export", db, "--out", exported)[0] == 0
    data = json.loads(exported.read_text("utf-8"))
    for g in data["ledger"]:
        g["year"] = 2026
    exported.write_text(json.dumps(data), "utf-8")
    db2 = tmp_path / "fixed.db"
    assert run(capsys, "ledger", "init", db2)[0] == 0
    assert run(capsys, "ledger", "import", db2, exported, "--policy", POLICY)[0] == 0
    code, out, err = run(capsys, "eval", POLICY, f2, "--ledger", db2, "--json")
    assert code == 0, err
    paid = {
        d["subject"]: Money.parse(d["amount"]).fen
        for d in json.loads(out)["decisions"]
        if d["provision"] == LAUNCH and d["status"] == "eligible"
    }
    assert paid == {"f1/P2": 200 * WAN, "f1/P3": 200 * WAN, "f1/P4": 200 * WAN,
                    "f1/P5": 200 * WAN, "f1/P6": 0}  # fmt: skip


def test_clilaunch_grant_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f1, f2 = _facts(tmp_path, "r1.json", RUN1), _facts(tmp_path, "r2.json", RUN2)
    out = tmp_path / "L.json"
    assert run(capsys, "eval", POLICY, f1, "--ledger-out", out)[0] == 0
    assert json.loads(out.read_text("utf-8"))["ledger"][0]["year"] == 2025
    code, _, err = run(capsys, "eval", POLICY, f2, "--ledger", out)
    assert code != 0
    assert str(out) in _e349(err)


# ---- the batch (DuckDB) ----------------------------------------------------------------------


def _registry(folder: Path) -> Path:
    reg = folder / "registry"
    reg.mkdir()
    (reg / "firms.jsonl").write_text('{"id": "f1"}\n', "utf-8")
    rows = [
        {**p, "firm_id": "f1"}
        for p in RUN2["firms"][0]["products"]  # type: ignore[index]
    ]
    (reg / "products.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    return reg


def test_batch_refuses_the_same(beijing: policyrules.Policy, tmp_path: Path) -> None:
    reg = _registry(tmp_path)
    with pytest.raises(LedgerError) as caught:
        beijing.evaluate_batch(reg, ledger=beijing.load_ledger(launch_grant_file(tmp_path, 2025)))
    _e349(caught.value)
    # the registry's own ledger table too
    (reg / "ledger.jsonl").write_text(
        json.dumps({"provision": LAUNCH, "firm": "f1", "product": "P1",
                    "amount": "200万元", "year": 2025}, ensure_ascii=False) + "\n",
        "utf-8",
    )  # fmt: skip
    with pytest.raises(LedgerError, match="E349"):
        beijing.evaluate_batch(reg).close()


def test_batch_with_the_corrected_year_pays_the_worked_amounts(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    reg = _registry(tmp_path)
    result = beijing.evaluate_batch(
        reg, ledger=beijing.load_ledger(launch_grant_file(tmp_path, 2026))
    )
    try:
        rows = result.decisions().filter(f"provision = '{LAUNCH}' AND status = 'eligible'")
        paid = dict(rows.select("subject, amount_fen").fetchall())
    finally:
        result.close()
    # 1000 − 200 (P1, 2026) = 800 万元: P2-P5 200 each, P6 0
    assert paid == {"f1/P2": 200 * WAN, "f1/P3": 200 * WAN, "f1/P4": 200 * WAN,
                    "f1/P5": 200 * WAN, "f1/P6": 0}  # fmt: skip


def test_cli_batch_refuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reg = _registry(tmp_path)
    code, _, err = run(
        capsys, "batch", POLICY, reg, "--out", tmp_path / "out", "--quiet",
        "--ledger", launch_grant_file(tmp_path, 2025),
    )  # fmt: skip
    assert code != 0
    _e349(err)


# ---- the HTTP service ------------------------------------------------------------------------


def test_the_service_answers_an_error(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """Run 1 committed through the service; run 2 is answered with E349, nothing recorded."""
    from starlette.testclient import TestClient

    from policyrules.serve import create_app

    db = tmp_path / "s.db"
    LedgerStore.open(db, create=True).close()
    head = {"content-type": "application/json"}
    with TestClient(create_app(beijing, ledger=db)) as c:
        first = c.post("/v1/evaluate?commit=1", content=json.dumps(RUN1), headers=head)
        second = c.post("/v1/evaluate?commit=1", content=json.dumps(RUN2), headers=head)
    assert first.status_code == 200
    assert 400 <= second.status_code < 500
    (error,) = second.json()["errors"]
    assert error["code"] == "E349"
    _e349(f"E349 {error['message']} {error.get('hint') or ''}")
    with LedgerStore.open(db, create=True) as store:
        assert [g.subject for g in store.grants()] == ["f1/P1"]


def test_one_grant_by_two_routes_is_named_once(beijing: policyrules.Policy, tmp_path: Path) -> None:
    """The grant in the store and in the facts' own `ledger:` is one grant: one E349."""
    ledger = beijing.evaluate(RUN1).ledger()
    own = {**RUN2, "ledger": [g.to_json() for g in ledger]}
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        store.append(ledger)
        with pytest.raises(LedgerError) as caught:
            beijing.evaluate(own, ledger=store)
    assert len(caught.value.diagnostics) == 1
    assert caught.value.diagnostics[0].code == "E349"
