"""What ``eval --ledger STORE`` says it recorded, in the run's language.

A new user imported a ledger file into a store (``ledger import``) and evaluated a firm
whose grants it held: the run said ``recorded 0 grant(s), 0.00 元, in grants.db``, as if
the store were empty.  Now it says that nothing new was recorded and what the store holds
for the firm.

京经信发〔2025〕50号 第3条 launch_reward: 200 万元 once per product.  The imported file: f1's
P1 200 万元 and E1 100 万元 (2026), 200 + 100 = 300 万元 in 2 grants; P1 is not paid again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import run_cli as run


def _facts(folder: Path, *products: str) -> Path:
    f = folder / f"{'-'.join(products)}.yaml"
    rows = [
        f"      - {{id: {p}, approved_on: 2026-06-01, launch_routes: "
        '[national_priority_review], launch_reward_decided: "200万元"}'
        for p in products
    ]
    f.write_text("\n".join(["firms:", "  - id: f1", "    products:", *rows]) + "\n", "utf-8")
    return f


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    grants = [
        {"provision": REWARD, "firm": "f1", "product": p, "amount": a, "year": 2026}
        for p, a in (("P1", "200万元"), ("E1", "100万元"))
    ]
    ledger = tmp_path / "g.json"
    ledger.write_text(json.dumps({"ledger": grants}, ensure_ascii=False), "utf-8")
    db = tmp_path / "grants.db"
    assert run(capsys, "ledger", "init", db)[0] == 0
    assert run(capsys, "ledger", "import", "--policy", POLICY, db, ledger)[0] == 0
    return db


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "{db} 未记录新的发放：该库已有 f1 的发放 2 笔，300 万元，本次不再发放"),
        (
            "en",
            "nothing new recorded in {db}: it already holds 2 grant(s) to f1, 3,000,000.00 元, "
            "which this run does not pay again",
        ),
    ],
)
def test_nothing_new_says_what_the_store_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], store: Path, lang: str, said: str
) -> None:
    code, _, err = run(
        capsys, "eval", POLICY, _facts(tmp_path, "P1"), "--ledger", store, "--lang", lang
    )
    assert code == 0
    assert said.format(db=store) in err.splitlines()
    assert "recorded 0 grant(s)" not in err


def test_new_grants_are_said_in_the_runs_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    store: Path,
) -> None:
    """P2 is new: 200 万元 recorded (in Chinese by default, or as POLICYRULES_LANG says)."""
    monkeypatch.delenv("POLICYRULES_LANG", raising=False)
    code, _, err = run(capsys, "eval", POLICY, _facts(tmp_path, "P2"), "--ledger", store)
    assert (code, f"已在 {store} 记录 1 笔发放，200 万元" in err.splitlines()) == (0, True)
    monkeypatch.setenv("POLICYRULES_LANG", "en")
    code, _, err = run(capsys, "eval", POLICY, _facts(tmp_path, "P3"), "--ledger", store)
    assert (code, f"recorded 1 grant(s), 2,000,000.00 元, in {store}" in err) == (0, True)


def test_an_unknown_language_records_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    store: Path,
) -> None:
    """``POLICYRULES_LANG=fr``: E425 before the store is changed (it was said after the
    grants were recorded)."""
    monkeypatch.setenv("POLICYRULES_LANG", "fr")
    code, _, err = run(capsys, "eval", POLICY, _facts(tmp_path, "P2"), "--ledger", store)
    assert (code, "error[E425]" in err) == (2, True)
    monkeypatch.setenv("POLICYRULES_LANG", "en")
    code, out, _ = run(capsys, "ledger", "show", store, "--format", "json")
    assert code == 0, out
    assert sorted(g["product"] for g in json.loads(out)) == ["E1", "P1"]
