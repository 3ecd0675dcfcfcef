"""The ledger read back: a written ledger stops a one-time award and keeps caps, run after run.

Every case is a policy on disk, loaded with ``policyrules.load`` or run with the command line;
the grants go out of one evaluation and into the next, so a ledger that lost a firm or product
id (the grant then matches nothing) shows as money paid twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Money, Policy
from policyrules.cli import main

WAN = 1_000_000  # fen in 1 万元

ENTITIES = """entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact approved_on: date
  fact decided_amount: money

entity project "项目"
  list projects of firm
  fact started_on: date
  fact cost: money

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"
"""

LAUNCH = """
  award launch "一次性奖励"
    for each product
    amount decided decided_amount
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    order by approved_on, id
"""


def _write(folder: Path, provisions: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.rule").write_text(ENTITIES + provisions, encoding="utf-8")
    return folder


def _load(tmp_path: Path, provisions: str) -> Policy:
    return policyrules.load(_write(tmp_path / "policy", provisions))


def _product(pid: str, wan: int, day: str) -> dict[str, Any]:
    return {"id": pid, "decided_amount": f"{wan} 万元", "approved_on": day}


def _amounts(result: policyrules.Result) -> dict[str | None, tuple[str, int | None]]:
    return {
        d.subject: (d.status, d.amount.fen if d.amount is not None else None)
        for d in result.decisions
    }


# ---- the command line: --ledger-out, then --ledger ---------------------------------------


def _eval(
    capsys: pytest.CaptureFixture[str], policy: Path, facts: dict[str, Any], *extra: str
) -> dict[str | None, tuple[str, int | None]]:
    file = policy.parent / f"facts-{len(list(policy.parent.glob('facts-*')))}.json"
    file.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", str(policy), str(file), "--json", *extra]) == 0
    out = json.loads(capsys.readouterr().out)
    return {
        d["subject"]: (
            d["status"],
            Money.parse(d["amount"]).fen if d["amount"] is not None else None,
        )
        for d in out["decisions"]
    }


def test_cli_ledger_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run 1 pays P1..P4 200 万元 each (800 万元, 2025) and writes the ledger.  Run 2 reads it:
    P1 again is not eligible (一次性); P5 gets 1000 - 800 = 200 万元; P6 gets 0 (cap used up);
    P7 (2026) starts a new year: 200 万元.  Another firm's P1 is another product: paid."""
    policy = _write(tmp_path / "policy", LAUNCH)
    ledger = tmp_path / "ledger.json"
    first = {
        "firms": [
            {
                "id": "F1",
                "products": [_product(f"P{i}", 200, f"2025-0{i}-01") for i in (1, 2, 3, 4)],
            }
        ]
    }
    got = _eval(capsys, policy, first, "--ledger-out", str(ledger))
    assert got == {f"F1/P{i}": ("eligible", 200 * WAN) for i in (1, 2, 3, 4)}

    second = {
        "firms": [
            {
                "id": "F1",
                "products": [
                    _product("P1", 200, "2025-01-01"),
                    _product("P5", 200, "2025-06-01"),
                    _product("P6", 200, "2025-07-01"),
                    _product("P7", 200, "2026-02-01"),
                ],
            },
            {"id": "F2", "products": [_product("P1", 200, "2025-01-01")]},
        ]
    }
    got = _eval(capsys, policy, second, "--ledger", str(ledger))
    assert got == {
        "F1/P1": ("not_eligible", None),
        "F1/P5": ("eligible", 200 * WAN),
        "F1/P6": ("eligible", 0),
        "F1/P7": ("eligible", 200 * WAN),
        "F2/P1": ("eligible", 200 * WAN),
    }


def test_cli_ledger_keeps_partial_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A product paid 150 万元 of its 200 万元 cap (the firm cap cut it) has 50 万元 of room
    left, but under `once per product` it is never paid again; the firm-year total read back
    is 1000 万元, so a new product that year gets 0."""
    policy = _write(tmp_path / "policy", LAUNCH)
    ledger = tmp_path / "ledger.json"
    first = {
        "firms": [
            {
                "id": "F1",
                "products": [
                    *(_product(f"A{i}", 170, f"2025-0{i}-01") for i in range(1, 6)),
                    _product("A6", 200, "2025-08-01"),  # 1000 - 5 × 170 = 150 万元 left
                ],
            }
        ]
    }
    got = _eval(capsys, policy, first, "--ledger-out", str(ledger))
    assert got["F1/A6"] == ("eligible", 150 * WAN)
    second = {"firms": [{"id": "F1", "products": [_product("A7", 10, "2025-12-31")]}]}
    assert _eval(capsys, policy, second, "--ledger", str(ledger)) == {"F1/A7": ("eligible", 0)}


# ---- the Python API: result.grants in, the next evaluation out ------------------------------


def test_api_grants_feed_the_next_evaluation(tmp_path: Path) -> None:
    """The grants of one result, as the ledger of the next: same outcome as through files."""
    policy = _load(tmp_path, LAUNCH)
    run1 = policy.evaluate(
        {"firms": [{"id": "F1", "products": [_product("P1", 900, "2025-03-01")]}]}
    )
    assert _amounts(run1) == {"F1/P1": ("eligible", 200 * WAN)}  # cut to 200 per product
    facts = {
        "firms": [
            {
                "id": "F1",
                "products": [_product("P1", 100, "2025-03-01"), _product("P2", 900, "2025-04-01")],
            }
        ]
    }
    as_objects = policy.evaluate(facts, ledger=run1.grants)
    as_json = policy.evaluate(facts, ledger=[g.to_json() for g in run1.grants])
    expected = {"F1/P1": ("not_eligible", None), "F1/P2": ("eligible", 200 * WAN)}
    assert _amounts(as_objects) == expected
    assert _amounts(as_json) == expected


def test_grant_json_names_every_owner(tmp_path: Path) -> None:
    """A written grant names the firm and the product: firm F1, product P1, 200 万元, 2025."""
    policy = _load(tmp_path, LAUNCH)
    run = policy.evaluate(
        {"firms": [{"id": "F1", "products": [_product("P1", 300, "2025-03-01")]}]}
    )
    (grant,) = (g.to_json() for g in run.grants)
    assert grant["firm"] == "F1"
    assert grant["product"] == "P1"
    assert grant["year"] == 2025
    assert Money.parse(str(grant["amount"])) == Money.of(200, "万元")


def test_firm_year_cap_from_ledger_is_exact_to_the_fen(tmp_path: Path) -> None:
    """Ledger: 999.99 万元 paid to F1 in 2025 (4 × 200 万元 + 1,999,900 元, each within the
    200 万元 per-product cap).  Room: 1000 万元 - 9,999,900 元 = 100 元."""
    policy = _load(tmp_path, LAUNCH)
    ledger = [
        {"provision": "d/1/launch", "firm": "F1", "product": f"OLD{i}", "amount": a, "year": 2025}
        for i, a in enumerate(["2000000"] * 4 + ["1999900"])
    ]
    facts = {"firms": [{"id": "F1", "products": [_product("P1", 200, "2025-03-01")]}]}
    assert _amounts(policy.evaluate(facts, ledger=ledger)) == {"F1/P1": ("eligible", 100 * 100)}
    # The same grant in another year, or for another firm, leaves the whole cap.
    other_year = [{**g, "year": 2024} for g in ledger]
    other_firm = [{**g, "firm": "F9"} for g in ledger]
    assert _amounts(policy.evaluate(facts, ledger=other_year))["F1/P1"] == ("eligible", 200 * WAN)
    assert _amounts(policy.evaluate(facts, ledger=other_firm))["F1/P1"] == ("eligible", 200 * WAN)


# ---- once per each kind of key -------------------------------------------------------------

ONCE_PER_FIRM = """
  award first_product "每家企业一次"
    for each product
    amount decided decided_amount
    once per firm
    order by approved_on, id
"""

ONCE_PER_PROJECT = """
  award project_grant "项目一次性补助"
    for each project
    amount 30% of cost
    once per project
    cap 500 万元 per firm
    order by started_on, id
"""


def test_once_per_product_same_id_under_two_firms(tmp_path: Path) -> None:
    """Product P1 of F1 was paid; P1 of F2 is another product (ids are unique per owner)."""
    policy = _load(tmp_path, LAUNCH)
    ledger = [
        {"provision": "d/1/launch", "firm": "F1", "product": "P1", "amount": "1", "year": 2025}
    ]
    facts = {
        "firms": [
            {"id": "F1", "products": [_product("P1", 50, "2025-03-01")]},
            {"id": "F2", "products": [_product("P1", 50, "2025-03-01")]},
        ]
    }
    assert _amounts(policy.evaluate(facts, ledger=ledger)) == {
        "F1/P1": ("not_eligible", None),
        "F2/P1": ("eligible", 50 * WAN),
    }


def test_once_per_product_within_one_run_is_per_owner(tmp_path: Path) -> None:
    """No ledger: F1/P1 and F2/P1 are both paid once; nothing is paid twice in one run."""
    policy = _load(tmp_path, LAUNCH)
    facts = {
        "firms": [
            {"id": "F1", "products": [_product("P1", 50, "2025-03-01")]},
            {"id": "F2", "products": [_product("P1", 60, "2025-03-01")]},
        ]
    }
    result = policy.evaluate(facts)
    assert _amounts(result) == {"F1/P1": ("eligible", 50 * WAN), "F2/P1": ("eligible", 60 * WAN)}
    assert sorted(g.to_json()["firm"] for g in result.grants) == ["F1", "F2"]


def test_once_per_firm(tmp_path: Path) -> None:
    """`once per firm` on products: F1's first product in `order by` order is paid, the
    second is not; F2 is another firm.  With F1 in the ledger, F1 gets nothing more."""
    policy = _load(tmp_path, ONCE_PER_FIRM)
    facts = {
        "firms": [
            {
                "id": "F1",
                "products": [_product("B", 30, "2025-05-01"), _product("A", 20, "2025-06-01")],
            },
            {"id": "F2", "products": [_product("C", 10, "2025-07-01")]},
        ]
    }
    assert _amounts(policy.evaluate(facts)) == {
        "F1/B": ("eligible", 30 * WAN),  # approved first
        "F1/A": ("not_eligible", None),
        "F2/C": ("eligible", 10 * WAN),
    }
    ledger = [{"provision": "d/1/first_product", "firm": "F1", "product": "Z", "amount": "1"}]
    assert _amounts(policy.evaluate(facts, ledger=ledger)) == {
        "F1/B": ("not_eligible", None),
        "F1/A": ("not_eligible", None),
        "F2/C": ("eligible", 10 * WAN),
    }


def test_once_per_project(tmp_path: Path) -> None:
    """`once per project`: 30% of 1000 万元 = 300 万元 for X1; X1 in the ledger is not paid
    again; X2 of the same firm is (30% of 100 万元 = 30 万元), within the firm's 500 万元."""
    policy = _load(tmp_path, ONCE_PER_PROJECT)
    facts = {
        "firms": [
            {
                "id": "F1",
                "projects": [
                    {"id": "X1", "cost": "1000 万元", "started_on": "2025-01-01"},
                    {"id": "X2", "cost": "100 万元", "started_on": "2025-02-01"},
                ],
            }
        ]
    }
    first = policy.evaluate(facts)
    assert _amounts(first) == {"F1/X1": ("eligible", 300 * WAN), "F1/X2": ("eligible", 30 * WAN)}
    ledger = [g for g in first.grants if g.to_json()["project"] == "X1"]
    again = policy.evaluate(facts, ledger=ledger)
    # X1 already paid; X2: firm room 500 - 300 = 200 万元 >= 30 万元.
    assert _amounts(again) == {"F1/X1": ("not_eligible", None), "F1/X2": ("eligible", 30 * WAN)}


def test_firm_cap_shared_in_one_run_to_the_fen(tmp_path: Path) -> None:
    """`cap 500 万元 per firm`: 30% of 1000 万元 = 300, then 30% of 666.67 万元 = 200.001 万元
    -> 2,000,010.00 元 claimed, cut to the 200 万元 left; the third gets 0; F2 is apart."""
    policy = _load(tmp_path, ONCE_PER_PROJECT)
    facts = {
        "firms": [
            {
                "id": "F1",
                "projects": [
                    {"id": "X1", "cost": "1000 万元", "started_on": "2025-01-01"},
                    {"id": "X2", "cost": "6666700", "started_on": "2025-02-01"},
                    {"id": "X3", "cost": "1 万元", "started_on": "2025-03-01"},
                ],
            },
            {"id": "F2", "projects": [{"id": "X1", "cost": "10 万元", "started_on": "2025-01-01"}]},
        ]
    }
    got = _amounts(policy.evaluate(facts))
    assert got == {
        "F1/X1": ("eligible", 300 * WAN),
        "F1/X2": ("eligible", 200 * WAN),
        "F1/X3": ("eligible", 0),
        "F2/X1": ("eligible", 3 * WAN),
    }
    assert sum(fen for _, fen in got.values() if fen) == 503 * WAN
