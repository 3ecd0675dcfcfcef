"""``binding_caps`` builds a list only where a line is added (issue 10, the batch ≥ 0.8× the
hand query at 10⁶ with a margin): a cap's line that holds on few rows (the shared cap's
暂占 line, a limit's refusal, an exclusive group's note) is appended under a guard, so
the most rows, where none holds, take the caps' list as it is instead of concatenating
an empty list to it (a tenth of the decisions' time at 10⁶ claims)."""

from __future__ import annotations

import itertools

import duckdb
import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql.outputs import HELD_MARK
from policyrules.backends.sql.sqlbits import case, empty_names, guarded_concat

POLICY = "policies/beijing_2025"


def _caps_of(query: exp.Expr) -> list[exp.Expr]:
    """The ``binding_caps`` expression of each branch of a decisions step."""
    return [
        a.this
        for a in query.find_all(exp.Alias)
        if a.alias == "binding_caps" and isinstance(a.parent, exp.Select)
    ]


def test_the_held_line_is_appended_only_where_it_holds() -> None:
    plan = compile_batch(policyrules.load(POLICY).checked)
    (decisions,) = [q for n, q in plan.steps if n == plan.decisions]
    held = [
        e
        for e in _caps_of(decisions)
        if any(HELD_MARK in lit.this for lit in e.find_all(exp.Literal) if lit.is_string)
    ]
    assert held  # 京经信发〔2025〕50号 第3条's firm-year cap at least
    for e in held:
        # CASE WHEN <held> THEN LIST_CONCAT(caps, <held line>) ELSE caps END: no row
        # where the line is empty concatenates (on the old code a bare LIST_CONCAT)
        assert isinstance(e, exp.Case), e.sql("duckdb")[:200]
        assert e.args["default"].find(exp.ArrayConcat) is None


def _names(*names: str) -> exp.Expr:
    return exp.Array(expressions=[exp.Literal.string(n) for n in names])


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def test_guarded_concat_gives_the_same_lists_on_every_row() -> None:
    # A never-NULL head (a CASE of lists) and two guarded parts, the second nested as
    # award_rows builds it (concat of a concat), over every row of TRUE/FALSE/NULL for
    # the head's and the parts' conditions: the guarded form equals the plain one.
    head = case([(_col("h"), _names("cap"))], empty_names())
    first = case([(_col("c1"), _names("暂占 1"))], empty_names())
    second = case([(_col("c2"), _names("note")), (_col("c3"), _names("x"))], empty_names())
    plain = exp.ArrayConcat(
        this=exp.ArrayConcat(this=head, expressions=[first]), expressions=[second]
    )
    guarded = guarded_concat(plain.copy())
    assert isinstance(guarded, exp.Case)
    values = ", ".join(
        "(" + ", ".join(v for v in row) + ")"
        for row in itertools.product(("TRUE", "FALSE", "NULL"), repeat=4)
    )
    rows = duckdb.sql(
        f"SELECT {plain.sql('duckdb')} AS a, {guarded.sql('duckdb')} AS b"
        f" FROM (VALUES {values}) AS t(h, c1, c2, c3)"
    ).fetchall()
    assert len(rows) == 81
    assert all(a == b for a, b in rows), [r for r in rows if r[0] != r[1]]
    assert ["cap", "暂占 1", "note"] in [a for a, _ in rows]


def test_guarded_concat_keeps_what_it_cannot_prove() -> None:
    part = case([(_col("c1"), _names("x"))], empty_names())
    # a head that may be NULL (DuckDB's LIST_CONCAT reads NULL as empty, Spark's concat
    # gives NULL: the ELSE would differ), and a part not guarded by an empty default
    for e in (
        exp.ArrayConcat(this=_col("caps"), expressions=[part.copy()]),
        exp.ArrayConcat(this=_names("a"), expressions=[_col("more")]),
        exp.ArrayConcat(
            this=_names("a"), expressions=[case([(_col("c1"), _names("x"))], _names("y"))]
        ),
    ):
        assert guarded_concat(e) is e
