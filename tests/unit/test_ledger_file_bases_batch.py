"""The batch path holds a ledger to the reading its grants were counted by (issue 9 §3).

``launch`` (as 京经信发〔2025〕50号 第3条): once per product, at most 200 万元 per product and
1000 万元 per firm per year of ``approved_on``, or with ``year_basis = decision`` of
``decided_on`` (单个企业年度奖励不超过 1000 万元; “年度”按获批或决定日期计).  Firm f: run 1
P1-P5, run 2 P6-P10, all approved 2026-03-02 and decided 2027-06-15, 200 万元 each: under
either reading all ten fall in one year, so f is owed 1000 万元 in all (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

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
  fact decided_on: date "决定"
  fact awarded: money "决定金额"

enum YearBasis "计入年度" {
  approval "获批日期所在年度",
  decision "资金决定日期所在年度",
}

assumption year_basis: YearBasis = approval "“年度”未说明按何日期计年"

clause 1 "奖励"
  quote "q"

  award launch "一次性奖励"
    for each product
    eligible when approved_on in force
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of if year_basis = approval then approved_on else decided_on
    order by approved_on, id
"""


def _registry(tmp: Path, name: str, first: int) -> Path:
    reg = tmp / name
    reg.mkdir()
    (reg / "firms.csv").write_text("id\nf\n", "utf-8")
    rows = "".join(f"P{i},f,2026-03-02,2027-06-15,200万元\n" for i in range(first, first + 5))
    (reg / "products.csv").write_text("id,firm_id,approved_on,decided_on,awarded\n" + rows, "utf-8")
    return reg


def _batch(pol: Path, reg: Path, *more: str | Path) -> tuple[int, str]:
    out = reg.parent / f"out-{reg.name}.jsonl"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["batch", str(pol), str(reg), "--out", str(out), "--quiet", *map(str, more)])
    return code, err.getvalue()


def test_a_batch_by_another_reading_is_refused(tmp_path: Path) -> None:
    pol = tmp_path / "pol"
    pol.mkdir()
    (pol / "p.rule").write_text(RULE, "utf-8")
    r1, r2 = _registry(tmp_path, "r1", 1), _registry(tmp_path, "r2", 6)
    lr = tmp_path / "L.json"
    assert _batch(pol, r1, "--ledger-out", lr, "--as-of", "2027-12-31")[0] == 0
    data = json.loads(lr.read_text("utf-8"))
    assert [g["year"] for g in data["ledger"]] == [2026] * 5  # approved 2026-03-02
    assert sum(round(float(g["amount"]) * 100) for g in data["ledger"]) == 1000 * WAN  # 5 × 200
    assert data["bases"] == [
        {"provision": "d/1/launch", "assumption": "year_basis", "value": "approval"}
    ]
    before = lr.read_bytes()
    code, err = _batch(
        pol, r2, "--ledger", lr, "--ledger-out", lr, "--as-of", "2027-12-31",
        "--assume", "year_basis=decision",
    )  # fmt: skip
    assert code != 0
    assert "E335" in err
    assert lr.read_bytes() == before
    code, _ = _batch(
        pol, r2, "--ledger", lr, "--ledger-out", lr, "--as-of", "2027-12-31",
        "--assume", "year_basis=approval",
    )  # fmt: skip
    assert code == 0
    paid = json.loads(lr.read_text("utf-8"))["ledger"]
    # 1000 − 5 × 200 = 0 left in 2026: P6-P10 add nothing above 0.00 元
    assert sum(round(float(g["amount"]) * 100) for g in paid) == 1000 * WAN
    store = tmp_path / "s.db"
    assert main(["ledger", "init", str(store)]) == 0
    assert main(["ledger", "import", str(store), str(lr), "--policy", str(pol)]) == 0
    code, err = _batch(
        pol, r2, "--ledger", store, "--as-of", "2027-12-31", "--assume", "year_basis=decision"
    )
    assert code != 0
    assert "E335" in err


def test_a_batch_reads_a_stores_bare_grants_by_the_defaults(tmp_path: Path) -> None:
    """P1-P5 appended to a store by hand (no reading recorded), counted in 2026 by approval.
    A batch by decision would count P6-P10 in 2027, where nothing was paid: 5 × 200 万元
    more, 2000 万元 against f's 1000 万元 year (同一年度上限被付两次): refused, as
    ``evaluate`` refuses it.  By approval: 1000 − 5 × 200 = 0 left in 2026."""
    from policyrules import Grant, LedgerStore, Money

    pol = tmp_path / "pol"
    pol.mkdir()
    (pol / "p.rule").write_text(RULE, "utf-8")
    reg = _registry(tmp_path, "r", 6)
    store = tmp_path / "s.db"
    with LedgerStore.open(store, create=True) as s:
        s.append(
            Grant("d/1/launch", (("firm", "f"), ("product", f"P{i}")), Money(200 * WAN), 2026)
            for i in range(1, 6)
        )
    code, err = _batch(
        pol, reg, "--ledger", store, "--as-of", "2027-12-31", "--assume", "year_basis=decision"
    )
    assert code != 0
    assert "E335" in err
    assert "records no reading" in err
    assert "year_basis = approval" in err
    code, _ = _batch(pol, reg, "--ledger", store, "--as-of", "2027-12-31")
    assert code == 0
    import duckdb

    out = tmp_path / "out-r.jsonl"  # a folder of Parquet, by the registry's size
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/decisions.parquet'").fetchall() == [(5,)]
    # 1000 − 5 × 200 = 0 left in 2026: no grant for P6-P10
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/grants.parquet'").fetchall() == [(0,)]
