"""The batch's amounts in the words of the Chinese texts (backends/sql/exclusive_notes.py):
``money_zh`` in SQL writes what ``cn_text`` writes, on DuckDB and in Spark's dialect."""

from __future__ import annotations

import duckdb
import sqlglot.expressions as exp
from hypothesis import given
from hypothesis import strategies as st

from policyrules.backends.sql.exclusive_notes import money_zh
from policyrules.runtime.money import cn_text


def _said(fens: list[int]) -> list[str]:
    rows = ", ".join(f"({i}, CAST({f} AS BIGINT))" for i, f in enumerate(fens))
    text = money_zh(exp.column("fen", quoted=True)).sql("duckdb")
    sql = f'SELECT {text} FROM (VALUES {rows}) t(i, "fen") ORDER BY i'
    return [r[0] for r in duckdb.connect().execute(sql).fetchall()]


def test_amounts_as_the_texts_write_them() -> None:
    """Whole 亿元 and 万元 in their unit, the rest in 元 with fen and a comma every three
    digits; 0 is 0.00 元 (no unit is whole for nothing)."""
    fens = [0, 5, 100, 12_345_67, 300 * 10**6, 3 * 10**10, 15 * 10**9, 1_000_000_01, 2**63 - 1]
    assert _said(fens) == [
        "0.00 元",
        "0.05 元",
        "1.00 元",
        "12,345.67 元",
        "300 万元",  # 300 × 10^6 fen = 300 万元
        "3 亿元",  # 3 × 10^10 fen = 3 亿元
        "15000 万元",  # 1.5 亿元 is not whole: 15 × 10^9 fen / 10^6 = 15000 万元
        "1,000,000.01 元",
        "92,233,720,368,547,758.07 元",  # the largest BIGINT: seven groups
    ]
    assert _said(fens) == [cn_text(f) for f in fens]


@given(st.lists(st.integers(0, 2**63 - 1) | st.integers(0, 10**4).map(lambda w: w * 10**6)))
def test_any_amount_as_cn_text(fens: list[int]) -> None:
    """Any amount a BIGINT holds, as ``cn_text`` writes it."""
    if fens:
        assert _said(fens) == [cn_text(f) for f in fens]


def test_spark_dialect_writes_it() -> None:
    """The same expression in Spark's SQL (integer division ``DIV``, ``LPAD``)."""
    text = money_zh(exp.column("fen", quoted=True)).sql("spark")
    assert " DIV " in text
    assert "LPAD(" in text.upper()
