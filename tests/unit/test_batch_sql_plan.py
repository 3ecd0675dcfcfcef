"""The SQL plan's shape: natural keys of ids, lists of names, which steps are stored."""

from __future__ import annotations

import re
import sys
import unicodedata

import duckdb
import pytest
import sqlglot.expressions as exp
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.backends.sql import SqlPlan
from policyrules.backends.sql.names import expand, names_out
from policyrules.backends.sql.rows import _digits, natural_keys, natural_of
from policyrules.model import EntityInfo
from policyrules.runtime.order import natural_key

PRODUCT = EntityInfo("product", None, "products", "firm", False, ())


def _ordered(ids: list[str]) -> list[str]:
    con = duckdb.connect()
    con.execute("CREATE TABLE products (id VARCHAR)")
    con.executemany("INSERT INTO products VALUES (?)", [(i,) for i in ids])
    shapes = natural_keys(PRODUCT).sql(dialect="duckdb")
    key = natural_of(exp.column("id", quoted=True), "k").sql(dialect="duckdb")
    query = f"SELECT id FROM products CROSS JOIN ({shapes}) AS k ORDER BY {key}"
    return [r[0] for r in con.execute(query).fetchall()]


@pytest.mark.parametrize(
    "ids",
    [
        ["P10", "P9", "P01", "P2"],  # digits in different places: parsed, P01 < P2 < P9 < P10
        ["P10", "P09", "P01", "P02"],  # the same places: the ids themselves, in text order
        ["A-7b", "A-12", "A-7a", "B1", "A-07a"],
        # digits of other scripts count by their values (a new user's trial: the batch
        # sorted them as text, and served a shared cap otherwise than the one-by-one path)
        ["9", "１", "x０9", "x10", "١٣", "12", "𝟖", "P٣", "P2", "P１０", "P010"],
    ],
)
def test_natural_keys_sort_as_the_one_by_one_path(ids: list[str]) -> None:
    assert _ordered(ids) == sorted(ids, key=natural_key)


# Ids of one shape (P00..P99, digits where the first has them) or of many (P9, P10, A-7b).
_SHAPED = st.lists(st.integers(0, 999).map(lambda n: f"P{n:03d}"), min_size=1, max_size=8)
_MIXED = st.lists(st.text("P-a09１٣𝟖", min_size=1, max_size=4), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(_SHAPED | _MIXED)
def test_natural_keys_order_any_ids_as_the_one_by_one_path(ids: list[str]) -> None:
    """Whichever way the run decides (the ids themselves, or each id parsed), the order
    is :func:`natural_key`'s."""
    unique = list(dict.fromkeys(ids))
    assert _ordered(unique) == sorted(unique, key=natural_key)


def test_natural_order_of_mixed_ids() -> None:
    # P9 before P10 (9 < 10), though '1' < '9' in text order.
    assert _ordered(["P10", "P9"]) == ["P9", "P10"]


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def test_a_list_expression_is_written_sorted_without_sorting_at_run_time() -> None:
    # c_as holds 'b' when flag f is true; the expression adds the constant 'a' and, when
    # st = 'ok', 'c': sorted, each once, ['a', 'b', 'c'] for f and st = 'ok'.
    lists = {"c_as": (("b", _col("f")),)}
    e = exp.ArraySort(
        this=exp.ArrayConcat(
            this=_col("c_as"),
            expressions=[
                exp.Array(expressions=[exp.Literal.string("a")]),
                exp.If(
                    this=exp.EQ(this=_col("st"), expression=exp.Literal.string("ok")),
                    true=exp.Array(expressions=[exp.Literal.string("c"), exp.Literal.string("b")]),
                    false=exp.Array(expressions=[]),
                ),
            ],
        )
    )
    out = names_out(expand(e, lists)).sql(dialect="duckdb")
    assert "LIST_SORT" not in out
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT f, st, {out} FROM (VALUES (TRUE, 'ok'), (FALSE, 'ok'), (FALSE, 'no'),"
        " (NULL, NULL)) AS t(f, st) ORDER BY ALL"
    ).fetchall()
    assert rows == [
        (False, "no", ["a"]),
        (False, "ok", ["a", "b", "c"]),  # 'b' comes with st = 'ok' too
        (True, "ok", ["a", "b", "c"]),
        (None, None, ["a"]),  # an unknown flag or status adds nothing
    ]


def _select(*tables: str) -> exp.Select:
    q = exp.select("*").from_(exp.to_table(tables[0], quoted=True))
    for t in tables[1:]:
        q = q.join(exp.to_table(t, quoted=True), join_type="cross")
    return q


def test_a_step_read_twice_is_stored_unless_recomputed_and_dropped_after_its_last_reader() -> None:
    steps = (
        ("a", _select("firms")),
        ("b", _select("a")),  # a view: read once
        ("c", _select("a", "b")),  # reads a again: a is stored
        ("decisions", _select("c")),
        ("grants", _select("c")),  # c read twice: stored
    )
    plan = SqlPlan(steps, ("firms",))
    assert plan.tables() == {"a", "c", "decisions", "grants"}
    # b is written into c's statement; a is last read (through b too) by c, c by grants.
    assert plan.drops() == {"c": ["a"], "grants": ["c"]}
    # Decisions kept as a view (written straight to a file): c, which it reads, stays.
    assert plan.drops(lazy=frozenset({"decisions"})) == {"c": ["a"]}
    statements = dict(plan.statements("duckdb"))
    assert statements["c"] == 'WITH "b" AS (SELECT * FROM a) SELECT * FROM a CROSS JOIN b'
    recomputed = SqlPlan(steps, ("firms",), recompute=frozenset({"a"}))
    assert recomputed.tables() == {"c", "decisions", "grants"}
    assert dict(recomputed.statements("duckdb"))["c"].startswith(
        'WITH "a" AS (SELECT * FROM firms), "b" AS'
    )


def test_the_digits_of_every_plane_are_those_of_planes_0_and_1() -> None:
    """The batch's natural order knows the digits of planes 0 and 1 (found when it is
    compiled, in a few milliseconds): on this Python no other plane holds one."""
    every = re.findall(r"\d", "".join(map(chr, range(sys.maxunicode + 1))))
    other, ascii_of, _ = _digits()
    assert other == "".join(c for c in every if not c.isascii())
    assert ascii_of == "".join(str(unicodedata.decimal(c)) for c in other)
