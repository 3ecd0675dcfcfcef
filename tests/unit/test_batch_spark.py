"""The batch plan on local Spark gives DuckDB's rows, row for row (pyspark, Java 17+).

One Spark session serves the module (local[2], no UI, 2 shuffle partitions, log level
ERROR), and the shipped policy runs on it once: its outputs are written to Parquet and read
back by DuckDB to be compared with DuckDB's own run of the same plan.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
import sqlglot.expressions as exp
import yaml

import policyrules
from policyrules.backends.sql import SqlPlan, compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql import spark as on_spark
from policyrules.backends.sql.rows import natural_sql
from policyrules.backends.sql.spark_tables import read_registry
from policyrules.cli import main
from policyrules.runtime.order import natural_key

# Spark plans the shipped policy's ~190 steps one by one: tens of seconds on 2 shared cores
# (the JVM's start included), more than the suite's 60 s per test when the machine is busy.
pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]
Rows = list[tuple[Any, ...]]


def _norm(rows: Sequence[Sequence[Any]]) -> Rows:
    """Rows comparable across engines (lists for arrays), in one order."""
    out = [tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows]
    return sorted(out, key=repr)


def _on_duckdb(plan: SqlPlan, con: duckdb.DuckDBPyConnection) -> dict[str, Rows]:
    engine.run_plan(con, plan)
    return {n: _norm(con.execute(f'SELECT * FROM "{n}"').fetchall()) for n in ("out", "out2")}


def _to_parquet(con: duckdb.DuckDBPyConnection, names: Sequence[str], directory: Path) -> None:
    for name in names:
        con.execute(f"COPY \"{name}\" TO '{directory / name}.parquet' (FORMAT parquet)")


def _on_spark(spark: Any, plan: SqlPlan, directory: Path) -> dict[str, Rows]:
    tables = on_spark.read_parquet(spark, str(directory), plan.inputs)
    outputs = on_spark.run_plan(spark, plan, tables)
    return {n: _norm(on_spark.collect(frame, n)) for n, frame in outputs.items()}


# ---- the shipped policy ----------------------------------------------------------------------


def _registry() -> dict[str, Any]:
    """The example firms, and each again as `<id>-x` with every other fact of its items
    missing: launch rewards, platforms, overseas registration, deadlines, inspection targets,
    medicine measures, a ledger of earlier grants."""
    data: dict[str, Any] = {"firms": [], "institutions": []}
    for name in ("firm-a", "firm-b", "firm-c", "drugmaker-d"):
        loaded = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8"))
        for key, value in loaded.items():
            if key in ("firms", "institutions"):
                data[key] += value
            else:
                data[key] = value
    for key in ("firms", "institutions"):
        for item in list(data[key]):
            twin = copy.deepcopy(item)
            twin["id"] = f"{item['id']}-x"
            for children in (v for v in twin.values() if isinstance(v, list)):
                for child in (c for c in children if isinstance(c, dict)):
                    for fact in [k for k in child if k != "id"][::2]:
                        del child[fact]
            data[key].append(twin)
    return data


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, SqlPlan, Path, dict[str, Rows]]:
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    data = _registry()
    ledger = policy.read_ledger(data.pop("ledger"))
    facts = policy.read_facts(data)
    plan = compile_batch(policy.checked)
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, ledger)
    directory = tmp_path_factory.mktemp("registry")
    _to_parquet(con, [n for n in plan.inputs if n != "calendar_days"], directory)
    engine.run_plan(con, plan)
    expected = {
        n: _norm(con.execute(f'SELECT * FROM "{n}"').fetchall()) for n in ("decisions", "grants")
    }
    return policy, plan, directory, expected


@pytest.fixture(scope="module")
def on_spark_written(
    spark: Any, shipped: tuple[Any, SqlPlan, Path, dict[str, Rows]], tmp_path_factory: Any
) -> tuple[Path, dict[str, Any]]:
    """The shipped policy run once on Spark: registry read from Parquet, outputs written."""
    policy, plan, directory, _ = shipped
    outputs = on_spark.run_plan(spark, plan, read_registry(spark, policy.checked, str(directory)))
    out = tmp_path_factory.mktemp("out")
    on_spark.write_parquet(outputs, str(out))
    return out, outputs


def _read_back(out: Path, name: str) -> duckdb.DuckDBPyRelation:
    return duckdb.connect().sql(f"SELECT * FROM read_parquet('{out}/{name}.parquet/*.parquet')")


def _types(rel: duckdb.DuckDBPyRelation) -> dict[str, str]:
    return {c: str(t) for c, t in zip(rel.columns, rel.types, strict=True)}


def test_shipped_policy_on_spark_equals_duckdb(
    shipped: tuple[Any, SqlPlan, Path, dict[str, Rows]],
    on_spark_written: tuple[Path, dict[str, Any]],
) -> None:
    expected = shipped[3]
    out = on_spark_written[0]
    # Not vacuous: every status occurs, exact amounts and grants are there.
    statuses = {row[4] for row in expected["decisions"]}
    assert {"eligible", "not_eligible", "unknown", "met"} <= statuses
    assert any(row[7] == "exact" and row[5] for row in expected["decisions"])
    assert len(expected["grants"]) >= 3
    assert _norm(_read_back(out, "decisions").fetchall()) == expected["decisions"]
    assert _norm(_read_back(out, "grants").fetchall()) == expected["grants"]


def test_shipped_outputs_keep_their_types_and_are_never_overwritten(
    on_spark_written: tuple[Path, dict[str, Any]],
) -> None:
    out, outputs = on_spark_written
    decisions, grants = _types(_read_back(out, "decisions")), _types(_read_back(out, "grants"))
    assert (decisions["amount"], decisions["missing_facts"]) == ("BIGINT", "VARCHAR[]")
    assert (grants["amount_fen"], grants["year"]) == ("BIGINT", "INTEGER")
    with pytest.raises(on_spark.SparkBatchError) as e:
        on_spark.write_parquet(outputs, str(out))
    assert e.value.code == "E646"


# ---- exactness: hand-made plans on both engines ---------------------------------------------


def _list_sum(node: exp.Expr) -> exp.Expr:
    # sqlglot reads DuckDB's LIST_SUM as an unknown function; the SQL compiler builds ArraySum.
    if isinstance(node, exp.Anonymous) and node.name.upper() == "LIST_SUM":
        return exp.ArraySum(this=node.expressions[0])
    return node


def _plan(sql: str, inputs: tuple[str, ...]) -> SqlPlan:
    query = sqlglot.parse_one(sql, read="duckdb").transform(_list_sum)
    return SqlPlan(
        steps=(("out", query), ("out2", sqlglot.parse_one("SELECT * FROM out"))),
        inputs=inputs,
        decisions="out",
        grants="out2",
    )


RATE_SQL = "SELECT id, CAST(FLOOR(base * rate) AS BIGINT) AS amount FROM claims"


def _claims(rows: list[tuple[str, int | None, str | None]]) -> duckdb.DuckDBPyConnection:
    con = engine.connect()
    con.execute("CREATE TABLE claims (id VARCHAR, base BIGINT, rate DECIMAL(38,10))")
    con.executemany(
        "INSERT INTO claims VALUES (?, ?, ?)",
        [(i, b, Decimal(r) if r is not None else None) for i, b, r in rows],
    )
    return con


def test_rate_times_base_rounds_down_on_both(spark: Any, tmp_path: Path) -> None:
    con = _claims(
        [
            # 30% × 1 999 999 fen = 599 999.7 → 599 999 fen (down, never up)
            ("c1", 1_999_999, "0.3"),
            # 99.99999999% × 100 fen = 99.999999999 → 99 fen; Spark's default decimal rules
            # would first round the product to 6 places (100.000000) and give 100
            ("c2", 100, "0.9999999999"),
            # 50% × the largest BIGINT 9 223 372 036 854 775 807 = …903.5 → …903
            ("c3", 9_223_372_036_854_775_807, "0.5"),
            # 0.0000000001 × 9 999 999 999 = 0.9999999999 → 0
            ("c4", 9_999_999_999, "0.0000000001"),
        ]
    )
    plan = _plan(RATE_SQL, ("claims",))
    _to_parquet(con, ["claims"], tmp_path)
    expected = [
        ("c1", 599_999),
        ("c2", 99),
        ("c3", 4_611_686_018_427_387_903),
        ("c4", 0),
    ]
    assert _on_duckdb(plan, con)["out"] == expected
    assert _on_spark(spark, plan, tmp_path)["out"] == expected


def test_missing_facts_are_null_alike(spark: Any, tmp_path: Path) -> None:
    con = engine.connect()
    con.execute(
        "CREATE TABLE items (id VARCHAR, firm_id VARCHAR, base BIGINT, days BIGINT[],"
        " routes VARCHAR[])"
    )
    con.executemany(
        "INSERT INTO items VALUES (?, ?, ?, ?, ?)",
        [
            ("i1", "f1", 300, [2, 3], ["a", None]),
            ("i2", "f1", None, [None, 4], None),  # base missing; a day missing
            ("i3", "f2", None, None, ["b"]),
            ("i4", "f2", 500, [], []),
        ],
    )
    sql = """
        SELECT firm_id AS firm,
          CAST(SUM(base) AS BIGINT) AS total,
          COUNT(base) AS known,
          ARRAY_AGG(CASE WHEN base IS NULL THEN 'items.base' END ORDER BY id) AS missing,
          BOOL_AND(base > 100) AS all_big,
          MIN(CASE WHEN LIST_CONTAINS(routes, 'b') THEN id END) AS with_b,
          BOOL_AND(NOT LIST_CONTAINS(routes, 'b')) AS none_b,
          MAX(LIST_SUM(days)) AS most_days
        FROM items GROUP BY firm_id
    """
    plan = _plan(sql, ("items",))
    _to_parquet(con, ["items"], tmp_path)
    # f1: bases 300 and NULL → sum 300, one known, missing [NULL, 'items.base'] (i1, i2);
    #     300 > 100 true, NULL unknown → AND over the known is true; no 'b': ['a', NULL]
    #     does not contain 'b' (false, not NULL), so none_b is true; days 2+3 = 5,
    #     NULL+4 = 4 (NULL skipped) → max 5.
    # f2: NULL and 500 → 500; missing ['items.base', NULL] (i3, i4); 'b' in i3's routes,
    #     so none_b is false; days NULL (i3) and [] (i4, no element: NULL) → max NULL.
    expected = [
        ("f1", 300, 1, (None, "items.base"), True, None, True, Decimal(5)),
        ("f2", 500, 1, ("items.base", None), True, "i3", False, None),
    ]
    duck = _on_duckdb(plan, con)["out"]
    on_spark_rows = _on_spark(spark, plan, tmp_path)["out"]
    assert [r[:7] for r in duck] == [r[:7] for r in expected]
    assert [r[:7] for r in on_spark_rows] == [r[:7] for r in expected]
    # The day sums: DuckDB gives HUGEINT, Spark DECIMAL(38,10): the same numbers.
    assert [r[7] for r in duck] == [5, None]
    assert [r[7] for r in on_spark_rows] == [Decimal(5), None]


def test_natural_order_of_other_scripts_digits_on_spark(spark: Any, tmp_path: Path) -> None:
    """Ids with digits of other scripts (full-width, Arabic-Indic, mathematical bold, off
    the BMP) take the same natural keys on Spark as on DuckDB, in natural_key's order."""
    ids = ["9", "１", "x０9", "x10", "١٣", "12", "𝟖", "P٣", "P2", "P１０", "P010"]
    con = engine.connect()
    con.execute("CREATE TABLE items (id VARCHAR)")
    con.executemany("INSERT INTO items VALUES (?)", [(i,) for i in ids])
    key = natural_sql(exp.column("id")).sql(dialect="duckdb")
    plan = _plan(f"SELECT id, {key} AS k FROM items", ("items",))
    _to_parquet(con, ["items"], tmp_path)
    duck = _on_duckdb(plan, con)["out"]
    on_spark_rows = _on_spark(spark, plan, tmp_path)["out"]
    assert on_spark_rows == duck
    assert [i for i, _ in sorted(duck, key=lambda r: r[1])] == sorted(ids, key=natural_key)


# ---- errors ---------------------------------------------------------------------------------


def test_overflow_is_an_error_not_null(spark: Any, tmp_path: Path) -> None:
    con = _claims([("c1", 9_000_000_000_000_000_000, "1"), ("c2", 9_000_000_000_000_000_000, "1")])
    _to_parquet(con, ["claims"], tmp_path)
    # 2 × 9e18 fen is beyond BIGINT (9.22e18): ANSI mode stops the run.
    plan = _plan("SELECT CAST(SUM(base) AS BIGINT) AS total FROM claims", ("claims",))
    with pytest.raises(duckdb.Error):
        _on_duckdb(plan, con)
    with pytest.raises(on_spark.SparkBatchError) as e:
        _on_spark(spark, plan, tmp_path)
    assert e.value.code == "E644"


def test_inputs_refused(spark: Any, tmp_path: Path) -> None:
    plan = _plan(RATE_SQL, ("claims",))
    with pytest.raises(on_spark.SparkBatchError) as e:
        on_spark.read_parquet(spark, str(tmp_path), ["claims"])
    assert e.value.code == "E642"
    assert "claims" in str(e.value)
    with pytest.raises(on_spark.SparkBatchError) as e:
        on_spark.run_plan(spark, plan, {})
    assert e.value.code == "E642"
    floats = spark.createDataFrame(
        [("c1", 1.5, Decimal("0.3"))], "id STRING, base DOUBLE, rate DECIMAL(38,10)"
    )
    with pytest.raises(on_spark.SparkBatchError) as e:
        on_spark.run_plan(spark, plan, {"claims": floats})
    assert e.value.code == "E643"
    assert "'base'" in str(e.value)


def test_a_step_spark_refuses_is_named(spark: Any) -> None:
    frame = spark.createDataFrame([("c1",)], "id STRING")
    plan = _plan("SELECT no_such_column FROM claims", ("claims",))
    with pytest.raises(on_spark.SparkBatchError) as e:
        on_spark.run_plan(spark, plan, {"claims": frame})
    assert e.value.code == "E645"
    assert "step 'out'" in str(e.value)
    assert "no_such_column" in str(e.value)


# ---- policyrules batch --engine spark ---------------------------------------------------------

TINY = """enum Kind "类别" { alpha "甲", beta "乙" }

entity firm "企业"
  list firms
  fact cost: money
  fact r: rate
  fact kinds: set of Kind
  fact applied_on: date

entity product "产品"
  list products of firm
  fact price: money

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"

  award x "比例补助"
    for each firm
    eligible when applied_on in force
    amount r of cost
    cap 100 万元 per firm

  award y "产品奖励"
    for each product
    amount decided price
    cap 50 万元 per product
"""

FIRMS = """
    ('F1', '10 万元', '30%', ['alpha'], DATE '2026-03-01'),
    ('F2', '1000万元', '30%', ['beta', 'alpha'], DATE '2026-04-01'),
    ('F3', '0.01元', '99.99999999%', [], DATE '2026-05-01'),
    ('F4', NULL, '30%', NULL, DATE '2026-06-01'),
    ('F5', '50万元', '30%', ['alpha'], DATE '2024-06-01')
"""
PRODUCTS = """
    ('P1', 'F1', CAST(80 AS DECIMAL(18,2))),
    ('P2', 'F1', CAST(12.34 AS DECIMAL(18,2))),
    ('P3', 'F2', CAST(NULL AS DECIMAL(18,2)))
"""


def _tiny_registry(directory: Path, firms: str = FIRMS, products: str = PRODUCTS) -> Path:
    """Parquet as a registry is written by people: money as text with units or DECIMAL 元,
    rates as text with %, a set as a list of names."""
    directory.mkdir()
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM (VALUES {firms}) t(id, cost, r, kinds, applied_on)) "
        f"TO '{directory / 'firms.parquet'}'"
    )
    con.execute(
        f"COPY (SELECT * FROM (VALUES {products}) t(id, firm_id, price)) "
        f"TO '{directory / 'products.parquet'}'"
    )
    return directory


@pytest.fixture(scope="module")
def tiny_policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "t.rule").write_text(TINY, encoding="utf-8")
    return folder


def test_cli_engine_spark_gives_duckdbs_rows_and_the_worked_amounts(
    spark: Any, tiny_policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = _tiny_registry(tmp_path / "registry")
    batch = ["batch", str(tiny_policy), str(registry)]
    assert main([*batch, "--out", str(tmp_path / "duck")]) == 0
    said_duckdb = capsys.readouterr().out
    ledger = tmp_path / "grants.json"
    spark_args = ["--engine", "spark", "--master", "local[2]", "--ledger-out", str(ledger)]
    assert main([*batch, "--out", str(tmp_path / "sp"), *spark_args]) == 0
    said_spark = capsys.readouterr().out
    con = duckdb.connect()
    rows = {}
    for which, files in (("duck", "{}.parquet"), ("sp", "{}.parquet/*.parquet")):
        rows[which] = {
            n: _norm(con.sql(f"FROM '{tmp_path / which / files.format(n)}'").fetchall())
            for n in ("decisions", "grants")
        }
    assert rows["sp"] == rows["duck"]
    amounts = {(r[0], r[5]): (r[7], r[8], r[11]) for r in rows["sp"]["decisions"]}
    assert amounts == {
        ("d/1/x", "F1"): ("eligible", 3_000_000, "exact"),  # 30% × 10 万元 = 3 万元
        ("d/1/x", "F2"): ("eligible", 100_000_000, "exact"),  # 30% × 1000 万 = 300 万 → cap 100 万
        ("d/1/x", "F3"): ("eligible", 0, "exact"),  # 99.99999999% × 1 fen = 0.99… → 0
        ("d/1/x", "F4"): ("eligible", 100_000_000, "up_to"),  # cost missing: up to the cap
        ("d/1/x", "F5"): ("not_eligible", None, None),  # applied 2024, before the policy
        ("d/1/y", "F1/P1"): ("eligible", 8_000, "exact"),  # 80 元
        ("d/1/y", "F1/P2"): ("eligible", 1_234, "exact"),  # 12.34 元
        ("d/1/y", "F2/P3"): ("eligible", 50_000_000, "up_to"),  # price missing: up to 50 万
    }
    # 3 000 000 + 100 000 000 + 0 + 8 000 + 1 234 = 103 009 234 fen = 1,030,092.34 元
    total = "exact amounts: 1,030,092.34 元; grants: 4, 1,030,092.34 元"
    assert total in said_spark
    assert total in said_duckdb
    assert "read: 5 firms, 3 products" in said_spark
    assert '"amount": "1000000.00"' in ledger.read_text("utf-8")  # F2's 100 万元 grant
    # The session the tests share was joined, not stopped.
    assert spark.range(3).count() == 3


@pytest.mark.parametrize(
    ("firms", "products", "said"),
    [
        (
            FIRMS.replace("'10 万元', '30%'", "'10 万元', '30'")
            .replace("'1000万元'", "'-5元'")
            .replace("['beta', 'alpha']", "['gamma']"),
            PRODUCTS,
            [
                'column r: a rate is written with %: "30"',  # E628
                'column cost: money cannot be negative: "-5元"',  # E627
                '"[gamma]": an item of the list: not a member of Kind: "gamma"',  # E627
            ],
        ),
        (FIRMS, PRODUCTS.replace("'P3', 'F2'", "'P3', 'F9'"), ["E626", "no firm F9 in firms"]),
        (FIRMS, PRODUCTS.replace("'P3', 'F2'", "'P1', 'F1'"), ["E625", "the id P1 is used twice"]),
    ],
)
def test_cli_engine_spark_refuses_what_duckdb_refuses(
    spark: Any,
    tiny_policy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    firms: str,
    products: str,
    said: list[str],
) -> None:
    registry = _tiny_registry(tmp_path / "registry", firms, products)
    for which in ("duckdb", "spark"):
        out = tmp_path / f"out-{which}"
        args = ["batch", str(tiny_policy), str(registry), "--out", str(out), "--engine", which]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        for text in said:
            assert text in err, (which, err)
        assert not out.exists()


def test_without_java_spark_cannot_start_and_says_how_to_get_it(
    tiny_policy: Path, tmp_path: Path
) -> None:
    # Java stays installed: this run's JAVA_HOME names a directory without one.
    (tmp_path / "no-java").mkdir()
    registry = _tiny_registry(tmp_path / "registry")
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    argv = ["batch", str(tiny_policy), str(registry), "--out", str(tmp_path / "o")]
    done = subprocess.run(
        [sys.executable, "-m", "policyrules", *argv, "--engine", "spark"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "E641" in done.stderr
    assert "Spark could not start" in done.stderr
    assert "scripts/install-jdk.sh" in done.stderr
    assert "Traceback" not in done.stderr


def test_known_absent_facts_on_spark_equal_duckdb(spark: Any, tmp_path: Path) -> None:
    # The none-able facts of tests/unit/test_none.py (144 firms, every combination of
    # missing / none / a value): the companion columns <fact>__none read from Parquet by
    # Spark give DuckDB's 288 decisions.
    from tests.strategies import compile_text
    from tests.unit.test_none import POLICY, _grid

    policy = compile_text(POLICY)
    facts = policy.read_facts({"firms": _grid()})
    plan = compile_batch(policy.checked)
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, None)
    _to_parquet(con, [n for n in plan.inputs if n != "calendar_days"], tmp_path)
    engine.run_plan(con, plan)
    expected = _norm(con.execute('SELECT * FROM "decisions"').fetchall())
    assert len(expected) == 288
    assert {row[4] for row in expected} == {"eligible", "not_eligible", "unknown"}
    outputs = on_spark.run_plan(spark, plan, read_registry(spark, policy.checked, str(tmp_path)))
    assert _norm(on_spark.collect(outputs["decisions"], "decisions")) == expected


def test_the_pattern_cases_on_spark_equal_duckdb(spark: Any, tmp_path: Path) -> None:
    # The worked cases of policies/patterns as one registry (tests/unit/test_batch_patterns):
    # ranges, minimums, roundings, quotients, bands, tier tables, currencies, cap exceptions,
    # year facts and none compiled once, read from Parquet by Spark: DuckDB's rows.
    from tests.unit.test_batch_patterns import _plan_for, _policy, merged_registry

    policy = _policy()
    facts = policy.read_facts(merged_registry())
    plan, _ = _plan_for({})
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, policy.read_ledger(facts.extra["ledger"]))
    _to_parquet(con, [n for n in plan.inputs if n != "calendar_days"], tmp_path)
    engine.run_plan(con, plan)
    expected = {
        n: _norm(con.execute(f'SELECT * FROM "{n}"').fetchall()) for n in ("decisions", "grants")
    }
    assert {row[7] for row in expected["decisions"]} >= {"exact", "range", "up_to"}
    outputs = on_spark.run_plan(spark, plan, read_registry(spark, policy.checked, str(tmp_path)))
    got = {n: _norm(on_spark.collect(outputs[n], n)) for n in ("decisions", "grants")}
    assert got == expected


def test_a_registry_ledger_table_is_read_by_the_defaults_on_spark(
    spark: Any, tmp_path: Path
) -> None:
    """A Parquet registry's ledger table records no reading (as on DuckDB:
    ``test_facts_ledger_readings.py``): f1's P1-P5 paid 200 万元 each in 2026, taken as
    counted by the default ``annual_cap_year = approval``; a run by ``decision`` (P6, decided
    2027) is refused (E335); a what-if's sink takes the finding instead."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    reward = "jjxf_2025_50/3/launch_reward"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'f1' AS id) TO '{tmp_path / 'firms.parquet'}'")
    con.execute(
        "COPY (SELECT 'P6' AS id, 'f1' AS firm_id, DATE '2026-03-02' AS approved_on, "
        "['national_priority_review'] AS launch_routes, '200万元' AS launch_reward_decided, "
        f"DATE '2027-02-15' AS launch_reward_decided_on) TO '{tmp_path / 'products.parquet'}'"
    )
    con.execute(
        f"COPY (SELECT '{reward}' AS provision, 'f1' AS firm, 'P' || i AS product, "
        "'200万元' AS amount, 2026 AS year FROM range(1, 6) t(i)) "
        f"TO '{tmp_path / 'ledger.parquet'}'"
    )
    decision = {"annual_cap_year": "decision"}
    with pytest.raises(policyrules.LedgerError) as err:
        policy.evaluate_batch(str(tmp_path), engine="spark", assumptions=decision)
    assert err.value.diagnostics[0].code == "E335"
    assert "a registry's ledger table does not say" in err.value.diagnostics[0].message
    found: list[Any] = []
    run = policy.evaluate_batch(
        str(tmp_path), engine="spark", assumptions=decision, on_other_reading=found.append
    )
    run.close()
    assert [(f.provision, f.counted, f.used) for f in found] == [(reward, "approval", "decision")]


def test_a_spark_runs_grants_are_the_next_runs_ledger_as_written(
    spark: Any, tiny_policy: Path, tmp_path: Path
) -> None:
    """Spark writes the grants with `amount_fen`, and reads them back so from a registry's
    ledger table.  The first run grants F1 30% × 10 万 = 3 万元 (3,000,000 fen); its cost
    then grows to 50 万 (30%: 15 万), and a run with the first run's grants as its ledger
    pays the rest, 15 万 − 3 万 = 12 万元.  (Read in 元, the grant of 3,000,000 would be
    300 万元, beyond the 100 万元 cap: a ledger refused, E329.)"""
    first_registry = _tiny_registry(tmp_path / "registry")
    first = tmp_path / "first"
    spark_args = ["--engine", "spark", "--master", "local[2]"]
    run = ["batch", str(tiny_policy)]
    assert main([*run, str(first_registry), "--out", str(first), *spark_args]) == 0
    grown = FIRMS.replace("('F1', '10 万元'", "('F1', '50 万元'")
    registry = _tiny_registry(tmp_path / "registry2", grown)
    con = duckdb.connect()
    con.execute(
        f"COPY (FROM '{first / 'grants.parquet' / '*.parquet'}') TO '{registry / 'ledger.parquet'}'"
    )
    assert "amount_fen" in [
        c[0] for c in con.sql(f"DESCRIBE FROM '{registry}/ledger.parquet'").fetchall()
    ]
    second = tmp_path / "second"
    assert main([*run, str(registry), "--out", str(second), *spark_args]) == 0
    got = dict(
        con.sql(
            f"SELECT provision || ' ' || subject, amount_fen "
            f"FROM '{second / 'decisions.parquet' / '*.parquet'}' WHERE status = 'eligible'"
        ).fetchall()
    )
    assert got["d/1/x F1"] == 12_000_000


def test_a_spark_ledger_id_with_space_at_an_end_is_e323(
    spark: Any, tiny_policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = _tiny_registry(tmp_path / "registry")
    duckdb.connect().execute(
        "COPY (SELECT 'd/1/x' AS provision, 'F1 ' AS firm, CAST(NULL AS VARCHAR) AS product, "
        f"300000 AS amount_fen, 2026 AS year) TO '{registry / 'ledger.parquet'}'"
    )
    args = ["batch", str(tiny_policy), str(registry), "--out", str(tmp_path / "o")]
    assert main([*args, "--engine", "spark", "--master", "local[2]"]) == 2
    err = capsys.readouterr().err
    assert "error[E323]" in err
    assert "column firm: an id has white space at its start or end: 'F1 '" in err


def test_a_spark_id_with_an_invisible_character_is_refused(
    spark: Any, tiny_policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Spark runs the registry's id check as DuckDB does (E624): a Parquet row's id holding
    U+200B (of the BMP) or a tag U+E0001 (astral: Java's regex reads \\x{E0001} too)."""
    products = (
        "('P1' || chr(8203), 'F1', CAST(80 AS DECIMAL(18,2))), "
        "('P2' || chr(917505), 'F1', CAST(80 AS DECIMAL(18,2)))"
    )
    registry = _tiny_registry(tmp_path / "registry", products=products)
    args = ["batch", str(tiny_policy), str(registry), "--out", str(tmp_path / "o")]
    assert main([*args, "--engine", "spark", "--master", "local[2]"]) == 2
    err = capsys.readouterr().err
    assert err.count("error[E624]") == 2
    invisible = "column id: an id holds an invisible character"
    assert f'{invisible}, U+200B ZERO WIDTH SPACE, at character 3: "P1\u200b"' in err
    assert f'{invisible}, U+E0001 LANGUAGE TAG, at character 3: "P2\U000e0001"' in err


def test_a_spark_id_of_more_than_256_characters_is_refused(
    spark: Any, tiny_policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ids have at most 256 characters on Spark as on DuckDB: a product's id of 257 (E624)
    and a ledger's firm of 100,001 (E323), each quoted as an excerpt."""
    products = f"('{'P' * 257}', 'F1', CAST(80 AS DECIMAL(18,2)))"
    registry = _tiny_registry(tmp_path / "registry", products=products)
    args = ["batch", str(tiny_policy), str(registry), "--out", str(tmp_path / "o")]
    assert main([*args, "--engine", "spark", "--master", "local[2]"]) == 2
    err = capsys.readouterr().err
    assert "error[E624]" in err
    assert f'column id: an id has at most 256 characters: "{"P" * 40}"… (257 characters)' in err
    registry = _tiny_registry(tmp_path / "registry2")
    duckdb.connect().execute(
        "COPY (SELECT 'd/1/x' AS provision, repeat('1', 100001) AS firm, "
        "CAST(NULL AS VARCHAR) AS product, 300000 AS amount_fen, 2026 AS year) "
        f"TO '{registry / 'ledger.parquet'}'"
    )
    args = ["batch", str(tiny_policy), str(registry), "--out", str(tmp_path / "o2")]
    assert main([*args, "--engine", "spark", "--master", "local[2]"]) == 2
    err = capsys.readouterr().err
    assert "error[E323]" in err
    assert f"column firm: an id has at most 256 characters: '{'1' * 40}'… (100001 digits)" in err
