"""``run_plan(..., outputs=("grants",))``: the grants alone, the same rows, no decisions;
and the stored award's narrow form (flags as bits, the status as a code)."""

from __future__ import annotations

import pytest
import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql.narrow import narrow

EXAMPLES = ("firm-a", "firm-b", "firm-c", "drugmaker-d")


def _grants(con: object, table: str) -> list[tuple[object, ...]]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", EXAMPLES)
def test_grants_only_are_the_grants_of_the_whole_run(name: str) -> None:
    policy = policyrules.load("policies/beijing_2025")
    plan = compile_batch(policy.checked)
    facts = policy.load_facts(f"examples/{name}.yaml")
    ledger = policy.read_ledger(facts.extra.get("ledger", []))
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, ledger)
    engine.run_plan(con, plan)
    want = _grants(con, plan.grants)
    con.execute(f"DROP TABLE {plan.decisions}")
    con.execute(f"DROP TABLE {plan.grants}")
    engine.run_plan(con, plan, outputs=("grants",))
    assert _grants(con, plan.grants) == want
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert plan.decisions not in tables  # no decision computed
    # The plan of the grants has no step the decisions alone read.
    only = plan.only(("grants",))
    assert plan.decisions not in dict(only.steps)
    assert only.tables() <= plan.tables()
    assert plan.only(["grants"]) is only  # made once, its SQL written once


@pytest.mark.parametrize("outputs", [(), ("ledger",), ("grants", "decision")])
def test_outputs_other_than_decisions_and_grants_are_refused(outputs: tuple[str, ...]) -> None:
    plan = compile_batch(policyrules.load("policies/beijing_2025").checked)
    with pytest.raises(ValueError, match="choose from 'decisions', 'grants'"):
        plan.only(outputs)


def _c(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def test_narrow_packs_flags_and_codes_the_status() -> None:
    stored = exp.select(_c("f"), _c("g"), _c("lim"), _c("st"), _c("amount")).from_("t")
    reader = exp.select(
        exp.If(this=_c("f"), true=exp.Literal.number(1)),
        exp.Not(this=exp.Is(this=_c("lim"), expression=exp.Null())),
        exp.EQ(this=_c("st"), expression=exp.Literal.string("ok")),
        exp.NEQ(this=_c("st"), expression=exp.Literal.string("no")),
        _c("amount"),
    ).from_("s")
    grant = exp.select(_c("amount")).from_("s").where(_c("g"))
    narrow(stored, [reader, grant], {"f", "g"})
    sql = stored.sql("duckdb")
    # f (bit 0), g (bit 1), lim IS NULL (bit 2) packed; st coded ('no' 0, 'ok' 1, else 2).
    assert '"amount"' in sql
    assert '"fl0"' in sql
    assert '"f"' not in sql.split("AS")[-1]
    assert "WHEN \"st\" = 'no' THEN 0 WHEN \"st\" = 'ok' THEN 1 ELSE 2" in sql
    assert '("fl0" & 1) <> 0' in reader.sql("duckdb")
    assert '("fl0" & 4) <> 0' in reader.sql("duckdb")
    assert '"st" = 1' in reader.sql("duckdb")
    assert '"st" <> 0' in reader.sql("duckdb")
    assert grant.sql("duckdb").endswith('WHERE (("fl0" & 2) <> 0)')


@pytest.mark.parametrize("st", ["ok", "no", "tie", None])
@pytest.mark.parametrize("flags", [(False, False, 1), (True, False, None), (True, True, 7)])
def test_narrow_reads_every_value_as_before(
    st: str | None, flags: tuple[bool, bool, int | None]
) -> None:
    """Run on DuckDB: each reader expression gives the same value, NULL for NULL."""
    f, g, lim = flags
    stored = exp.select(_c("f"), _c("g"), _c("lim"), _c("st")).from_("t")
    exprs = [
        _c("f"),
        _c("g"),
        exp.Is(this=_c("lim"), expression=exp.Null()),
        exp.EQ(this=_c("st"), expression=exp.Literal.string("ok")),
        exp.NEQ(this=_c("st"), expression=exp.Literal.string("no")),
        exp.EQ(this=_c("st"), expression=exp.Literal.string("undecided")),
    ]
    before = exp.select(*(e.copy() for e in exprs)).from_("s")
    after = exp.select(*exprs).from_("s")
    con = engine.connect()
    con.execute("CREATE TABLE t (f BOOLEAN, g BOOLEAN, lim BIGINT, st VARCHAR)")
    con.execute("INSERT INTO t VALUES (?, ?, ?, ?)", [f, g, lim, st])
    con.execute(f"CREATE TABLE s AS {stored.sql('duckdb')}")
    want = con.execute(before.sql("duckdb")).fetchall()
    narrow(stored, [after], {"f", "g"})
    con.execute(f"CREATE OR REPLACE TABLE s AS {stored.sql('duckdb')}")
    assert con.execute(after.sql("duckdb")).fetchall() == want
