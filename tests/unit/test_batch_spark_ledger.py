"""The registry's ledger on Spark is refused exactly when DuckDB refuses it, with the same
codes and messages (pyspark, Java 17+): its grants against the policy (E321-E325), ids
written as another number (E323), a payment listed twice (E326), a one-time award paid
twice (E328), a cap already exceeded (E329), each grant located by its row
(:mod:`policyrules.tables_spark_ledger` runs the SQL of
:mod:`policyrules.tables_ledger_check`, written for Spark).

Each registry is tiny and refused before any plan is compiled: a Spark run here is a few
jobs, a second or two.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.unit.test_batch_spark import TINY, _tiny_registry

import policyrules
from policyrules.errors import LedgerError

pytestmark = pytest.mark.timeout(600)  # the JVM starts

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "jjxf_2025_50/3/launch_reward"
Grant = tuple[str | None, str | None, str | None, str | None, str | None, int | None]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _sql(v: object) -> str:
    if v is None:
        return "NULL"
    return str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"


def _registry(folder: Path, grants: Sequence[Grant], products: str = "") -> Path:
    """firms 0701 and f1 (and ``products``: (id, firm_id) rows) and a ledger of ``grants``
    (provision, firm, product, project, amount, year), as Parquet files."""
    folder.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES ('0701'), ('f1')) t(id)) TO '{folder}/firms.parquet'")
    if products:
        con.execute(
            f"COPY (SELECT * FROM (VALUES {products}) t(id, firm_id)) "
            f"TO '{folder}/products.parquet'"
        )
    rows = ", ".join(f"({', '.join(map(_sql, g))})" for g in grants)
    con.execute(
        "COPY (SELECT provision::VARCHAR AS provision, firm::VARCHAR AS firm, "
        "product::VARCHAR AS product, project::VARCHAR AS project, amount::VARCHAR AS amount, "
        f"year::INTEGER AS year FROM (VALUES {rows}) t(provision, firm, product, project, "
        f"amount, year)) TO '{folder}/ledger.parquet'"
    )
    return folder


def _refused(
    policy: policyrules.Policy, reg: Path, engine: str, given: list[dict[str, Any]] | None
) -> list[tuple[str, str]]:
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(str(reg), engine=engine, ledger=given, ledger_file="L.yaml")
    return sorted((d.code, d.message) for d in info.value.diagnostics)


_ONE_BY_ONE: list[Grant] = [
    (LAUNCH[:-1], "f1", "A0", None, "200万元", 2026),
    (LAUNCH, None, "A0", None, "200万元", 2026),
    (LAUNCH, "f1", "A0", "J1", "200万元", 2026),
    (LAUNCH, "f1", "A1", None, "200万元", None),
]
_CASES: dict[str, tuple[list[Grant], str, list[dict[str, Any]] | None, list[tuple[str, str]]]] = {
    "grants against the policy": (
        _ONE_BY_ONE,
        "",
        None,
        [
            ("E321", "REG: row 1: unknown provision 'jjxf_2025_50/3/launch_rewar'"),
            ("E322", "REG: row 2: no `firm`: " + LAUNCH),
            ("E323", f"REG: row 3: 'project' is not the subject of {LAUNCH} or one of its owners"),
            ("E325", f"REG: row 4: no year: {LAUNCH} has a yearly cap"),
        ],
    ),
    "a value, by row": (
        [(LAUNCH, "f1", "A0", None, "200万元", 2026), (LAUNCH, "f1", "A1", None, "lots", 2026)],
        "",
        None,
        [("E324", "REG: row 2, column amount: not an amount of money")],
    ),
    "ids written as another number, each under its owners": (
        [
            (LAUNCH, "701", "A0", None, "1万元", 2026),
            (LAUNCH, "0701", "0007", None, "1万元", 2026),
            (LAUNCH, "f1", "07", None, "1万元", 2026),  # 007 is 0701's: not f1's
        ],
        "('007', '0701'), ('X', 'f1')",
        None,
        [
            ("E323", "REG row 1: firm '701' is in no row of firms, which has firm '0701'"),
            ("E323", "REG row 2: product '0007' is in no row of products, which has product '007'"),
        ],
    ),
    "a payment listed twice, or with two amounts": (
        [
            (LAUNCH, "f1", "A0", None, "1万元", 2026),
            (LAUNCH, "f1", "A0", None, "1万元", 2026),
            (LAUNCH, "f1", "A1", None, "2万元", 2026),
        ],
        "",
        [{"provision": LAUNCH, "firm": "f1", "product": "A1", "amount": "1万元", "year": 2026}],
        [
            ("E326", "firm f1, product A0, year 2026 is listed twice (REG row 1, REG row 2)"),
            (
                "E326",
                "firm f1, product A1, year 2026 is listed twice (REG row 3, L.yaml row 1) "
                "with amounts 1 万元, 2 万元",
            ),
        ],
    ),
    "a one-time award paid twice": (
        [(LAUNCH, "f1", "A0", None, "1万元", 2025), (LAUNCH, "f1", "A0", None, "1万元", 2026)],
        "",
        None,
        [("E328", "product A0 is paid 2 times in the ledger (REG row 1, REG row 2)")],
    ),
    "caps already exceeded, with the places": (
        [(LAUNCH, "f1", f"A{i}", None, "200万元", 2026) for i in range(6)]
        + [(LAUNCH, "f1", "A9", None, "300万元", 2026)],
        "",
        None,
        [
            (
                "E329",
                "7 grant(s) total 1500 万元 against 1000 万元 (REG row 1, REG row 2, REG row 3, "
                "REG row 4, REG row 5 and 2 more)",
            ),
            ("E329", "1 grant(s) total 300 万元 against 200 万元 (REG row 7)"),
        ],
    ),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_spark_refuses_the_ledger_as_duckdb_does(
    spark: Any, policy: policyrules.Policy, tmp_path: Path, case: str
) -> None:
    grants, products, given, said = _CASES[case]
    reg = _registry(tmp_path / "r", grants, products)
    on_spark_said = _refused(policy, reg, "spark", given)
    on_duckdb_said = _refused(policy, reg, "duckdb", given)
    assert on_spark_said == on_duckdb_said
    shown = str(reg / "ledger.parquet")
    assert [c for c, _ in on_spark_said] == [c for c, _ in said]
    for (_, message), (_, text) in zip(on_spark_said, said, strict=True):
        assert text.replace("REG", shown) in message


def test_a_grant_in_the_table_and_in_ledger_counts_once_on_spark(
    spark: Any, tmp_path: Path
) -> None:
    """F2's 60 万元 of x, in the registry's ledger table and in ``--ledger``: one grant, as on
    DuckDB, so 100 − 60 = 40 万元 is left under its cap (counted twice, 120 万 left nothing)."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "t.rule").write_text(TINY, encoding="utf-8")
    policy = policyrules.load(tmp_path / "p")
    reg = _tiny_registry(tmp_path / "r")
    duckdb.connect().execute(
        "COPY (SELECT 'd/1/x' AS provision, 'F2' AS firm, CAST(NULL AS VARCHAR) AS product, "
        f"'60万元' AS amount, 2026 AS year) TO '{reg / 'ledger.parquet'}'"
    )
    given = [{"provision": "d/1/x", "firm": "F2", "amount": "60万元", "year": 2026}]
    run = policy.evaluate_batch(str(reg), engine="spark", ledger=given)
    got = run.decisions().where("provision = 'd/1/x' AND subject = 'F2'").select("amount_fen")
    assert [r[0] for r in got.collect()] == [40 * 10**6]
    run.close()
