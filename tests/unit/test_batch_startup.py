"""The batch path's start-up shortcuts write the SQL sqlglot's own helpers wrote (issue 10).

``backends.sql.trees`` builds tables and joins without parsing and walks trees depth
first; ``backends.sql.spark_writer`` writes Spark SQL without parsing a type name per
CAST; ``spark_sql(query, copy=False)`` rewrites a step in place after copying only its
shared nodes.  Each is checked against the slower sqlglot path it replaces, on every step
of the shipped policy (the whole text, not a sample).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import SqlPlan, compile_batch
from policyrules.backends.sql.spark import _rewrite, spark_sql
from policyrules.backends.sql.spark_writer import write_spark
from policyrules.backends.sql.sqlbits import VARCHAR, WHOLE, alias, cast
from policyrules.backends.sql.trees import join, nodes, table, tables_read, unshare

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"


@functools.cache
def _policy() -> policyrules.Policy:
    return policyrules.load(SHIPPED)


def _plan() -> SqlPlan:
    return compile_batch(_policy().checked)


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_a_table_and_a_join_are_written_as_sqlglots_parsed_ones(dialect: str) -> None:
    on = exp.EQ(this=exp.column("id", "f", quoted=True), expression=exp.column("firm_id"))
    theirs = (
        exp.select("*")
        .from_(exp.to_table("products", quoted=True), copy=False)
        .join(exp.to_table("firms", quoted=True), on=on.copy(), join_type="left", copy=False)
        .join(exp.to_table("cal_y", quoted=True), join_type="cross", copy=False)
    )
    ours = (
        exp.select("*")
        .from_(table("products"), copy=False)
        .join(join(table("firms"), "LEFT", on), copy=False)
        .join(join(table("cal_y"), "CROSS"), copy=False)
    )
    assert ours.sql(dialect) == theirs.sql(dialect)
    assert "LEFT JOIN firms ON" in ours.sql(dialect)


def test_the_tables_each_step_reads_are_those_sqlglot_finds() -> None:
    plan = _plan()
    for name, query in plan.steps:
        assert tables_read(query) == {t.name for t in query.find_all(exp.Table)}, name
    # and nodes() finds every node of a class, the root included
    query = plan.steps[-1][1]
    assert len(list(nodes(query, exp.Expr))) == len(list(query.walk()))


def test_the_spark_writer_writes_what_sqlglot_writes_for_every_shipped_step() -> None:
    for name, query in _plan().steps:
        rewritten = query.transform(_rewrite)
        want = rewritten.sql(dialect="spark")
        assert write_spark(rewritten) == want, name


def test_the_spark_writer_leaves_json_float_and_literal_casts_to_sqlglot() -> None:
    cases = [
        exp.cast(exp.column("x"), "JSON"),
        exp.cast(exp.column("x"), "FLOAT(53)"),
        exp.cast(exp.Literal.number(5), "DECIMAL(38,0)"),
        exp.cast(exp.column("x"), "ARRAY<VARCHAR>"),
        exp.cast(exp.column("x"), "VARCHAR(10)"),
        exp.cast(exp.column("x"), "TEXT"),
        exp.cast(exp.column("x"), "TIMESTAMP(3)"),
    ]
    for c in cases:
        assert write_spark(c.copy()) == c.sql(dialect="spark"), c.sql()
    assert write_spark(exp.cast(exp.column("x"), "FLOAT(53)")) == "CAST(x AS DOUBLE)"


def test_spark_steps_written_in_place_are_those_written_from_a_copy() -> None:
    # a plan written in place (as the Spark engine does), one written from copies, and a
    # third compiled after both: its DuckDB text shows the shared type constants intact
    want = [spark_sql(query) for _, query in _plan().steps]
    got = [spark_sql(query, copy=False) for _, query in _plan().steps]
    assert got == want
    assert _plan().sql("duckdb") == _plan().sql("duckdb")
    assert VARCHAR.this == exp.DataType.Type.VARCHAR  # the Spark writer would make it TEXT
    assert WHOLE.this == exp.DataType.Type.DECIMAL


def test_unshare_copies_the_shared_nodes_only() -> None:
    x = exp.column("x")
    step = exp.select(alias(cast(x, VARCHAR), "a"), alias(cast(exp.column("y"), VARCHAR), "b"))
    inner = step.expressions[0].this  # the first CAST: its column sits here only
    assert unshare(step) is step
    kinds = list(nodes(step, exp.DataType))
    assert len(kinds) == 2
    assert all(k is not VARCHAR for k in kinds)
    assert kinds[0] is not kinds[1]
    assert inner.this is x  # an unshared node is kept, not copied
    assert VARCHAR.this == exp.DataType.Type.VARCHAR  # the constant is not rewritten
    for node in step.walk():
        for child in node.iter_expressions():
            assert child.parent is node
