"""What a window carrying its award's rows no longer carries or computes twice (issue 10,
the batch ≥ 0.85× the hand query): the cap's own hold ``h<k>`` (the rows outside the
window hold it as their ``hi``/``lo``), ``ou`` (a flag of the rows, packed before the
window), a written limit, the rows with the ledger stored once for their two readers on
DuckDB, and the window's output read once (the uncertain partitions take their rows
again from the window's rows)."""

from __future__ import annotations

import re

import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql.plan import SqlPlan

POLICY = "policies/beijing_2025"


def _plan() -> SqlPlan:
    return compile_batch(policyrules.load(POLICY).checked)


def _wide(plan: SqlPlan) -> list[tuple[str, str]]:
    """(award, window) of each window carrying its award's rows (its ``_j`` joins nothing)."""
    steps = dict(plan.steps)
    out = []
    for name, query in steps.items():
        if name.startswith("p") and name.endswith("_j") and query.find(exp.Join) is None:
            window = next(t.name for t in query.find_all(exp.Table) if t.name.startswith("w"))
            out.append((name.removesuffix("_j"), window))
    return out


def _columns(query: exp.Expr) -> set[str]:
    return {c.name for c in query.find_all(exp.Column)}


def test_after_the_window_no_step_reads_the_caps_own_hold() -> None:
    plan = _plan()
    wide = _wide(plan)
    assert wide  # 京经信发〔2025〕50号 第3条's firm-year cap at least
    steps = dict(plan.steps)
    for award, window in wide:
        after = steps[f"{award}_j"]
        assert isinstance(after, exp.Select)
        # hh<k>, ll<k>: the window's hi and lo as they are (no COALESCE with h<k>)
        bounds = [e for e in after.expressions if e.alias_or_name.startswith(("hh", "ll"))]
        assert [e.this.name for e in bounds] == ["hi", "lo"]
        k = bounds[0].alias_or_name.removeprefix("hh")
        assert f"h{k}" not in _columns(after)
        # The rows outside the window (the union's last part) hold their own h<k> there.
        union = steps[window]
        assert isinstance(union, exp.Union)
        outside = union.expression
        assert isinstance(outside, exp.Select)
        given = {e.alias_or_name: e.this for e in outside.expressions if e.alias_or_name}
        assert given["hi"] == exp.column(f"h{k}", quoted=True)
        assert given["lo"] == exp.column(f"h{k}", quoted=True)


def test_the_order_unknown_is_a_bit_of_the_rows_not_a_column_of_the_stored_step() -> None:
    plan = _plan()
    steps = dict(plan.steps)
    for award, _ in _wide(plan):
        stored = steps[f"{award}_f"]
        assert isinstance(stored, exp.Select)
        assert "ou" not in {e.alias_or_name for e in stored.expressions}
        rows = steps[award]
        assert isinstance(rows, exp.Select)
        (fe0,) = [e for e in rows.expressions if e.alias_or_name == "fe0"]
        # The order keys' NULL tests are among the rows' bits, written from the inputs
        keys = [e.this for e in rows.expressions if e.alias_or_name in ("o0", "o1")]
        assert keys, award
        for key in keys:
            assert _columns(key) <= _columns(fe0), award


def test_the_rows_with_the_ledger_are_materialised_on_duckdb_alone() -> None:
    plan = _plan()
    wide = _wide(plan)
    stored = dict(plan.statements("duckdb"))
    for award, window in wide:
        text = stored[f"{award}_f"]
        assert f'"{award}_c" AS MATERIALIZED (' in text
        # The window's rows are computed by each of their readers, not stored for them.
        assert f'"{window}_w0" AS NOT MATERIALIZED (' in text
        assert text.count("MATERIALIZED") == 2
    for _, text in plan.statements("spark"):
        assert "MATERIALIZED" not in text
    for _, text in plan.sql("spark"):
        assert "MATERIALIZED" not in text


def test_a_written_limit_is_no_column_of_the_rows() -> None:
    """A cap's limit that is an amount of the text (200 万元 = 200,000,000 fen, 第3条's
    product cap) is written where it is read: no step carries it, row by row, through
    the window and the rows stored for its two readers."""
    plan = _plan()
    awards = [(n, q) for n, q in plan.steps if re.fullmatch(r"p\d+", n)]
    assert awards
    for name, rows in awards:
        assert isinstance(rows, exp.Select)
        for e in rows.expressions:
            if re.fullmatch(r"l\d+", e.alias_or_name):
                assert e.find(exp.Column) is not None, (name, e.sql("duckdb"))
    stored = dict(plan.statements("duckdb"))
    (award,) = [n for n, q in awards if "launch_reward_decided" in _columns(q)]
    assert "CAST(200000000 AS BIGINT)" in stored[f"{award}_f"]
    assert not re.search(r'"l\d+"', stored[f"{award}_f"])


def test_the_uncertain_partitions_read_the_windows_rows_not_its_output() -> None:
    plan = _plan()
    reads = plan.reads()
    for _, window in _wide(plan):
        readers = {n for n, r in reads.items() if f"{window}_v" in r}
        assert readers == {window}  # the certain partitions' rows, into the union
        assert reads[f"{window}_w2"] == {f"{window}_uv"}
        assert reads[f"{window}_uv"] == {f"{window}_u1"}
        assert reads[f"{window}_u1"] == {f"{window}_u"}
        assert reads[f"{window}_u"] == {f"{window}_w0", f"{window}_uk"}
        assert reads[f"{window}_uk"] == {f"{window}_w0"}
