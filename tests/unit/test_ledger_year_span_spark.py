"""The batch on Spark refuses a ledger grant in a year its provision cannot have paid in
(E352) exactly as DuckDB does, and reads a year written ``2026年`` as DuckDB and facts do
(pyspark, Java 17+).  The registry is that of tests/unit/test_ledger_year_span.py, as
Parquet: firm 0701, P1 approved 2026-06-01 and decided 180 万元, five earlier grants of
200 万元 (Q1-Q5): in 2026 they fill its 1000 万元 cap (5 × 200), so P1 is paid 0; in the
year 26 2026's cap held nothing and P1 was paid 180 万元.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import policyrules
from policyrules.errors import LedgerError
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as LAUNCH

pytestmark = pytest.mark.timeout(600)  # the JVM starts


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _registry(folder: Path, year: str) -> Path:
    """The registry as Parquet; ``year`` SQL for the ledger's year column (``26``, an
    INTEGER column; ``'2026年'``, a VARCHAR one)."""
    folder.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT '0701' AS id) TO '{folder}/firms.parquet'")
    con.execute(
        "COPY (SELECT 'P1' AS id, '0701' AS firm_id, DATE '2026-06-01' AS approved_on, "
        "['national_priority_review'] AS launch_routes, '180万元' AS launch_reward_decided) "
        f"TO '{folder}/products.parquet'"
    )
    con.execute(
        f"COPY (SELECT '{LAUNCH}' AS provision, '0701' AS firm, 'Q' || i AS product, "
        f"'200万元' AS amount, {year} AS year FROM range(1, 6) t(i) ORDER BY i) "
        f"TO '{folder}/ledger.parquet'"
    )
    return folder


def test_spark_refuses_the_year_as_duckdb_does(
    spark: Any, beijing: policyrules.Policy, tmp_path: Path
) -> None:
    reg = _registry(tmp_path / "r", "26")
    said = []
    for engine in ("spark", "duckdb"):
        with pytest.raises(LedgerError) as caught:
            beijing.evaluate_batch(str(reg), engine=engine)
        said.append([(d.code, d.message, d.hint) for d in caught.value.diagnostics])
    assert said[0] == said[1]
    assert [c for c, _, _ in said[0]] == ["E352"] * 5
    _, message, hint = said[0][0]
    assert message.startswith(
        f"{reg / 'ledger.parquet'}: row 1: the grant {LAUNCH} to firm 0701, product Q1, year 26 "
        "is outside the years its provision pays in, 2025..2028"
    )
    assert hint == "a two-digit year? write 2026"


def test_spark_reads_2026年_as_duckdb_does(
    spark: Any, beijing: policyrules.Policy, tmp_path: Path
) -> None:
    reg = _registry(tmp_path / "r", "'2026年'")
    for engine in ("spark", "duckdb"):
        run = beijing.evaluate_batch(str(reg), engine=engine)
        try:
            where = f"provision = '{LAUNCH}' AND subject = '0701/P1'"
            if engine == "spark":
                rows = run.decisions().where(where).select("amount_fen").collect()
            else:
                rows = run.decisions().filter(where).select("amount_fen").fetchall()
        finally:
            run.close()
        assert [r[0] for r in rows] == [0], engine
