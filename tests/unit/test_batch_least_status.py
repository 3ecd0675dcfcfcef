"""The SQL back end's smaller forms (issue 10, win10c): a cap's least and greatest written as
``LEAST`` / ``GREATEST`` skipping NULLs (as the CASE they replace did), and a subject's status
inside the plan (``st0``, ``st``) an INTEGER code, never compared with a text."""

from __future__ import annotations

import duckdb
import sqlglot.expressions as exp
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql.awards import greatest, least_known
from policyrules.backends.sql.sqlbits import BIGINT, STATUS, cast

_CON = duckdb.connect()
AMOUNTS = st.none() | st.integers(min_value=-(2**62), max_value=2**62)


def _value(v: int | None) -> exp.Expr:
    return cast(exp.Null() if v is None else exp.Literal.number(v), BIGINT)


def _run(e: exp.Expr) -> object:
    return _CON.execute(f"SELECT {e.sql('duckdb')}").fetchone()[0]  # type: ignore[index]


@given(AMOUNTS, AMOUNTS)
def test_least_known_leaves_an_unknown_amount_out(a: int | None, b: int | None) -> None:
    # claims.least: the smaller of two amounts, an unknown (None) one left out
    known = [v for v in (a, b) if v is not None]
    assert _run(least_known(_value(a), _value(b))) == (min(known) if known else None)


@given(AMOUNTS)
def test_greatest_with_zero_is_never_null(a: int | None) -> None:
    # the old CASE WHEN a > 0 THEN a ELSE 0 END: 0 for an unknown a
    assert _run(greatest(_value(a), cast(exp.Literal.number(0), BIGINT))) == max(a or 0, 0)


def test_spark_writes_least_without_a_null_check() -> None:
    e = least_known(exp.column("a"), exp.column("b"))
    assert e.sql("spark") == "LEAST(a, b)"  # Spark's LEAST skips NULLs, as DuckDB's does
    assert e.sql("duckdb") == "LEAST(a, b)"


def test_the_status_inside_the_plan_is_a_code() -> None:
    plan = compile_batch(policyrules.load("policies/beijing_2025").checked)
    compared: list[str] = []
    for _, query in plan.steps:
        for node in query.find_all(exp.EQ, exp.NEQ, exp.In):
            col = node.this
            if isinstance(col, exp.Column) and col.name in ("st0", "st"):
                others = node.expressions if isinstance(node, exp.In) else [node.expression]
                compared += [o.sql() for o in others]
    assert compared  # the plan reads the status
    codes = {str(c) for c in STATUS.values()}
    assert set(compared) <= codes, set(compared) - codes
