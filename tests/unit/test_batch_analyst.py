"""A registry run an analyst can read: the batch's decisions named as ``eval --format csv``
names its columns (money with its unit, the document number, clause and title, the binding
caps in the words of the Chinese texts), E329 saying when ledger amounts look like fen read
as 元, and ``batch --ledger STORE`` saying that it only reads the store."""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

import duckdb
import pytest
from tests.support import BEIJING, LAUNCH_REWARD, run_cli

import policyrules
from policyrules.batch_columns import DECISION_COLUMNS
from policyrules.errors import LedgerError

DOC = "京经信发〔2025〕50号"
TITLE = "创新医疗器械获批上市一次性奖励"
PRODUCT_CAP = "单个医疗器械产品不超过 200 万元"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(BEIJING)


def _registry(folder: Path, ledger: str | None = None) -> Path:
    """Firm f1: P1 decided 300 万元 (the 200 万元 per product cap cuts it to 200 万元), P2
    decided 150 万元 (paid in full), both approved 2026-03-02 by national priority review."""
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nf1\n", "utf-8")
    routes = '"[""national_priority_review""]"'
    (folder / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided\n"
        f"P1,f1,2026-03-02,{routes},300万元\n"
        f"P2,f1,2026-03-02,{routes},150万元\n",
        "utf-8",
    )
    if ledger is not None:
        (folder / "ledger.csv").write_text(ledger, "utf-8")
    return folder


def _launch(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {r["subject"]: r for r in rows if r["provision"] == LAUNCH_REWARD}


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_the_decisions_are_named_as_evals(
    tmp_path: Path, policy: policyrules.Policy, fmt: str
) -> None:
    reg = _registry(tmp_path / "reg")
    result = policy.evaluate_batch(reg)
    try:
        assert tuple(result.decisions().columns) == DECISION_COLUMNS
        result.write(tmp_path / "out", fmt)
    finally:
        result.close()
    path = tmp_path / "out" / f"decisions.{fmt}"
    if fmt == "csv":
        with path.open(encoding="utf-8") as f:
            rows: list[dict[str, object]] = list(csv.DictReader(f))
        assert list(rows[0]) == list(DECISION_COLUMNS)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    else:
        rel = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
        assert rel.columns == list(DECISION_COLUMNS)
        assert dict(zip(rel.columns, rel.types, strict=True))["amount_yuan"] == "VARCHAR"
        rows = [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]
    got = _launch(rows)
    p1, p2 = got["f1/P1"], got["f1/P2"]
    # by hand: 300 万元 cut to 200 万元 = 200000000 fen; 150 万元 = 150000000 fen
    assert str(p1["amount_fen"]) == "200000000"
    assert p1["amount_yuan"] == "2000000.00"
    assert str(p2["amount_fen"]) == "150000000"
    assert p2["amount_yuan"] == "1500000.00"
    for r in (p1, p2):
        assert (r["document_number"], r["clause"], r["title"]) == (DOC, "3", TITLE)
        assert r["amount_kind"] == "exact"
        assert r["amount_min_fen"] in (None, "")
        assert "amount" not in r
    caps = p1["binding_caps"]
    assert (json.loads(caps) if isinstance(caps, str) else list(caps)) == [PRODUCT_CAP]
    caps = p2["binding_caps"]
    assert (json.loads(caps) if isinstance(caps, str) else list(caps)) == []


def test_the_cap_is_named_as_the_chinese_text_names_it(
    tmp_path: Path, policy: policyrules.Policy
) -> None:
    facts = {
        "firms": [
            {
                "id": "f1",
                "products": [
                    {
                        "id": "P1",
                        "approved_on": "2026-03-02",
                        "launch_routes": ["national_priority_review"],
                        "launch_reward_decided": "300万元",
                    }
                ],
            }
        ]
    }
    text = policy.evaluate(facts).explain(lang="zh")
    assert f"上限：{PRODUCT_CAP}（医疗器械产品 P1）：此上限起作用" in text


def test_a_ledger_of_fen_read_as_yuan_is_said_so(
    tmp_path: Path, policy: policyrules.Policy
) -> None:
    # 200 万元 in fen (200000000) written as `amount`: read as 2 亿元, 100 × the 200 万元
    # per-product cap and 20 × the 1000 万元 per firm-year cap.
    ledger = f"provision,firm,product,amount,year\n{LAUNCH_REWARD},f1,P9,200000000,2026\n"
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(_registry(tmp_path / "reg", ledger))
    said = info.value.diagnostics
    assert {d.code for d in said} == {"E329"}
    assert all("2 亿元" in d.message or "200,000,000.00" in d.message for d in said)
    for d in said:
        assert d.hint is not None
        assert "amount_fen" in d.hint
        assert "100 times 2,000,000.00 元" in d.hint or "100 times 200 万元" in d.hint


def test_a_ledger_file_of_fen_read_as_yuan_is_said_so(policy: policyrules.Policy) -> None:
    """The one-by-one path's check (a ledger given to evaluate) says it alike."""
    grant = {"provision": LAUNCH_REWARD, "firm": "f1", "product": "P9", "year": 2026}
    facts = {"firms": [{"id": "f1"}]}
    with pytest.raises(LedgerError) as info:
        policy.evaluate(facts, ledger=[{**grant, "amount": "200000000"}])
    assert {d.code for d in info.value.diagnostics} == {"E329"}
    assert all("amount_fen" in (d.hint or "") for d in info.value.diagnostics)
    with pytest.raises(LedgerError) as info:  # 300 万元 against 200 万元: not 100 times
        policy.evaluate(facts, ledger=[{**grant, "amount": "300万元"}])
    (d,) = info.value.diagnostics
    assert "amount_fen" not in (d.hint or "")


def test_a_real_overspend_keeps_the_plain_hint(tmp_path: Path, policy: policyrules.Policy) -> None:
    # 1200 万元 in a firm-year against 1000 万元: overspent, not fen read as 元.
    rows = "".join(f"{LAUNCH_REWARD},f1,P{i},200万元,2026\n" for i in range(3, 9))
    ledger = "provision,firm,product,amount,year\n" + rows
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(_registry(tmp_path / "reg", ledger))
    (d,) = info.value.diagnostics
    assert d.code == "E329"
    assert d.hint is not None
    assert "amount_fen" not in d.hint


def test_batch_with_a_store_says_it_records_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "reg")
    store = tmp_path / "s.db"
    assert run_cli(capsys, "ledger", "init", store)[0] == 0
    grants = tmp_path / "g.json"
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--ledger", store, "--out", tmp_path / "o1",
        "--ledger-out", grants,
    )  # fmt: skip
    assert code == 0
    assert "grants: 2, 350 万元" in out
    (line,) = [x for x in out.splitlines() if x.startswith("ledger: ")]
    assert "NOT recorded" in line
    command = line.split("To record them: ", 1)[1]
    argv = shlex.split(command)
    assert argv[:3] == ["policyrules", "ledger", "import"]
    code, said, _ = run_cli(capsys, *argv[1:])  # the command as printed, run
    assert code == 0
    assert "imported 2 grant(s)" in said
    # recorded: a second run pays nothing more (the launch reward is once per product)
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--ledger", store, "--out", tmp_path / "o2",
        "--summary-format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["grants"] == 0
    assert data["ledger"]["recorded"] is False
    # no grants: nothing to record, no command (a second run grants nothing again)
    assert data["ledger"]["record"] is None
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--ledger", store, "--out", tmp_path / "o2b"
    )
    assert (code, "grants: 0, 0.00 元" in out, "ledger:" in out) == (0, True, False)
    # without a store nothing is said
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o3")
    assert code == 0
    assert "ledger:" not in out


SPARK_RULES = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact reward: money "奖励金额"

document d "测试"
  number "测试〔2026〕1号"

clause 1 "奖励"
  quote "每个产品按核定金额奖励，单个产品不超过 60 万元。"

  award grant "产品奖励"
    for each product
    amount reward
    cap 60 万元 per product
"""


@pytest.mark.timeout(600)  # the JVM starts
def test_spark_names_the_decisions_as_duckdb(spark: object, tmp_path: Path) -> None:
    """On Spark the same columns and values as on DuckDB, in each output format."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "t.rule").write_text(SPARK_RULES, "utf-8")
    policy = policyrules.load(rules)
    reg = tmp_path / "reg"
    reg.mkdir()
    duckdb.sql("SELECT 'F1' AS id").write_parquet(str(reg / "firms.parquet"))
    duckdb.sql(
        "SELECT * FROM (VALUES ('P1', 'F1', '80万元'), ('P2', 'F1', '50万元')) "
        "t(id, firm_id, reward)"
    ).write_parquet(str(reg / "products.parquet"))
    result = policy.evaluate_batch(reg)
    try:
        want = sorted(map(str, result.decisions().fetchall()))
    finally:
        result.close()
    run = policy.evaluate_batch(str(reg), engine="spark", master="local[2]")
    try:
        assert tuple(run.decisions().columns) == DECISION_COLUMNS
        got = sorted(str(tuple(r)) for r in run.decisions().collect())
        for fmt in ("parquet", "csv", "jsonl"):
            run.write(tmp_path / f"out-{fmt}", fmt)
    finally:
        run.close()
    assert got == want
    # by hand: P1 80 万元 cut to 60 万元 by its cap; P2 50 万元 in full
    read = {
        "parquet": "read_parquet('{}/*.parquet')",
        "csv": "read_csv('{}/*.csv', all_varchar=true)",
        "jsonl": "read_json('{}/*.json', format='newline_delimited')",
    }
    for fmt, how in read.items():
        rel = duckdb.sql("FROM " + how.format(tmp_path / f"out-{fmt}" / f"decisions.{fmt}"))
        assert rel.columns == list(DECISION_COLUMNS), fmt
        rows = rel.select("subject, amount_fen, amount_yuan, document_number, clause, title")
        assert sorted((str(a), str(b), c, d, e, f) for a, b, c, d, e, f in rows.fetchall()) == [
            ("F1/P1", "60000000", "600000.00", "测试〔2026〕1号", "1", "产品奖励"),
            ("F1/P2", "50000000", "500000.00", "测试〔2026〕1号", "1", "产品奖励"),
        ], fmt
        caps = dict(rel.select("subject, binding_caps").fetchall())
        p1 = caps["F1/P1"]
        assert (json.loads(p1) if isinstance(p1, str) else list(p1)) == ["单个产品不超过 60 万元"]


def test_the_batch_names_its_columns_as_eval_does() -> None:
    """The columns the batch's decisions share with ``eval --format csv`` are the same names
    in the same order; eval's CSV has only ``reasons`` more (the batch says no reason), the
    batch its firm, the lower bound of a range, the binding caps and the assumptions."""
    from policyrules import batch_columns, output

    batch, one = batch_columns.DECISION_COLUMNS, output.DECISION_COLUMNS
    assert [c for c in one if c in batch] == [c for c in batch if c in one]
    assert set(one) - set(batch) == {"reasons"}
    assert set(batch) - set(one) == {"firm", "amount_min_fen", "binding_caps", "assumptions"}
