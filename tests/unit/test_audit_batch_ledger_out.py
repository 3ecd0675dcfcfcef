"""Issue 9 §3, checked from outside on the batch path: ``batch --ledger-out`` loses nothing.

Before: ``batch POLICY REG --out O --ledger L.json --ledger-out L.json`` (the natural thing
to type, as for ``eval``) replaced the earlier grants in ``L.json`` with this run's, and
``--ledger-out`` naming another existing ledger file silently replaced its grants.

The policy: ``launch`` pays the decided amount once per product, at most 200 万元 per
product and 1000 万元 per firm per year of ``approved_on`` (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyrules.cli import main

WAN = 1_000_000  # fen in 1 万元

RULE = """\
document d "测试"
  valid from 2025-01-01 to 2028-12-31

entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact approved_on: date "获批"
  fact awarded: money "决定金额"

clause 1 "奖励"
  quote "q"

  award launch "一次性奖励"
    for each product
    eligible when approved_on in force
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    order by approved_on, id
"""

# 900 万元 granted to firm f earlier in 2026: 4 × 200 万 + 100 万.
EARLIER = [
    {"provision": "d/1/launch", "firm": "f", "product": f"Q{i}", "amount": a, "year": 2026}
    for i, a in enumerate(["200万元"] * 4 + ["100万元"], 1)
]


def _policy(tmp: Path) -> Path:
    pol = tmp / "pol"
    pol.mkdir(exist_ok=True)
    (pol / "p.rule").write_text(RULE, "utf-8")
    return pol


def _registry(tmp: Path, name: str, products: list[tuple[str, str]]) -> Path:
    reg = tmp / name
    reg.mkdir()
    (reg / "firms.csv").write_text("id\nf\n", "utf-8")
    rows = "".join(f"{p},f,2026-03-02,{a}\n" for p, a in products)
    (reg / "products.csv").write_text("id,firm_id,approved_on,awarded\n" + rows, "utf-8")
    return reg


def _batch(pol: Path, reg: Path, *more: str) -> int:
    out = reg.parent / f"out-{reg.name}"
    return main(["batch", str(pol), str(reg), "--out", str(out), "--quiet", *more])


def _grants(path: Path) -> list[tuple[str, int]]:
    """(product, amount in fen) of each grant in a JSON ledger file."""
    return [
        (g["product"], round(float(g["amount"]) * 100))  # "1000000.00" 元 → fen
        for g in json.loads(path.read_text("utf-8"))["ledger"]
    ]


def test_ledger_out_onto_the_ledger_keeps_the_earlier_grants(tmp_path: Path) -> None:
    """The issue's example on the batch path.  Run 1: P1 decided 200 万元, 900 万 granted
    before → pays 1000 − 900 = 100 万元; the file then holds the 5 earlier grants and P1's.
    Run 2: P2 decided 200 万元 → 0 (the firm-year cap is used up), so the file still totals
    900 + 100 = 1000 万元, never 1,200 万元."""
    pol = _policy(tmp_path)
    ledger = tmp_path / "L.json"
    ledger.write_text(json.dumps({"ledger": EARLIER}, ensure_ascii=False), "utf-8")
    args = ["--ledger", str(ledger), "--ledger-out", str(ledger)]
    assert _batch(pol, _registry(tmp_path, "r1", [("P1", "200万元")]), *args) == 0
    first = _grants(ledger)
    assert len(first) == 6
    assert ("P1", 100 * WAN) in first
    assert sum(a for _, a in first) == 1000 * WAN
    assert _batch(pol, _registry(tmp_path, "r2", [("P2", "200万元")]), *args) == 0
    second = _grants(ledger)
    assert set(first) <= set(second)
    assert sum(a for _, a in second) == 1000 * WAN  # 900 + 100; P2 paid 0 (not recorded)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_ledger_out_onto_another_ledger_is_refused(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger file the run did not read is not replaced: E333 naming a grant it holds;
    the file is unchanged."""
    pol = _policy(tmp_path)
    other = tmp_path / f"other{suffix}"
    text = json.dumps({"ledger": EARLIER[:1]}, ensure_ascii=False)
    other.write_text(text, "utf-8")
    assert (
        _batch(pol, _registry(tmp_path, "r", [("P1", "50万元")]), "--ledger-out", str(other)) == 2
    )
    err = capsys.readouterr().err
    assert "error[E333]" in err
    assert "product Q1" in err
    assert other.read_text("utf-8") == text


def test_ledger_out_a_new_file_holds_this_runs_grants(tmp_path: Path) -> None:
    """A new file (or one holding only grants this run wrote) gets this run's grants, for
    ``ledger import``: P1 50 万元 and P2 200 万元 (each under both caps)."""
    pol = _policy(tmp_path)
    out = tmp_path / "new.json"
    reg = _registry(tmp_path, "r", [("P1", "50万元"), ("P2", "200万元")])
    assert _batch(pol, reg, "--ledger-out", str(out)) == 0
    assert sorted(_grants(out)) == [("P1", 50 * WAN), ("P2", 200 * WAN)]
    (reg.parent / f"out-{reg.name}").rename(tmp_path / "first-out")
    assert _batch(pol, reg, "--ledger-out", str(out)) == 0  # the same grants again: allowed
    assert sorted(_grants(out)) == [("P1", 50 * WAN), ("P2", 200 * WAN)]


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    runs=st.lists(
        st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=3),
        min_size=2,
        max_size=3,
    )
)
def test_runs_through_one_ledger_file_never_lose_a_grant_or_pass_the_cap(
    tmp_path_factory: pytest.TempPathFactory, runs: list[list[int]]
) -> None:
    """The kind: claims of one firm split over several batch runs, each ``--ledger L
    --ledger-out L``.  After every run the file holds every grant it held before, and the
    firm's 2026 total never exceeds 1000 万元 (the per-product cap: 200 万元 each)."""
    tmp = tmp_path_factory.mktemp("runs")
    pol = _policy(tmp)
    ledger = tmp / "L.json"
    ledger.write_text('{"ledger": []}', "utf-8")
    before: set[tuple[str, int]] = set()
    for n, amounts in enumerate(runs):
        products = [(f"R{n}-{i}", f"{a}万元") for i, a in enumerate(amounts)]
        reg = _registry(tmp, f"r{n}", products)
        assert _batch(pol, reg, "--ledger", str(ledger), "--ledger-out", str(ledger)) == 0
        now = set(_grants(ledger))
        assert before <= now
        assert sum(a for _, a in now) <= 1000 * WAN
        assert all(a <= 200 * WAN for _, a in now)
        before = now
    claimed = sum(min(a, 200) for run in runs for a in run) * WAN
    assert sum(a for _, a in before) == min(claimed, 1000 * WAN)
