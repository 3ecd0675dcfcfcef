"""What a window carrying its award's rows carries (issue 10, the batch ≥ 0.8× the hand
query): partitioned on the rows' own ids and year, the rows' flags packed before it, and
the scopes and years of claims of unknown year read from two columns of the input tables."""

from __future__ import annotations

import itertools

import pytest
import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql.narrow import narrow


def _steps() -> dict[str, exp.Expr]:
    return dict(compile_batch(policyrules.load("policies/beijing_2025").checked).steps)


def _wide_windows(steps: dict[str, exp.Expr]) -> list[tuple[str, str]]:
    """(award, window) of each pool of one provision (its ``_j`` joins nothing back)."""
    out = []
    for name, query in steps.items():
        if name.startswith("p") and name.endswith("_j") and query.find(exp.Join) is None:
            window = next(t.name for t in query.find_all(exp.Table) if t.name.startswith("w"))
            out.append((name.removesuffix("_j"), window))
    return out


def test_a_wide_window_partitions_on_the_rows_own_ids_and_reads_its_year_once() -> None:
    steps = _steps()
    wide = _wide_windows(steps)
    assert wide  # 京经信发〔2025〕50号 第3条's firm-year cap at least
    for award, window in wide:
        rows = steps[f"{window}_w0"]
        assert isinstance(rows, exp.Select)
        # No copy of an id for the window: it sorts on e_<entity> itself.
        assert not [e for e in rows.expressions if e.alias_or_name.startswith("sc_")]
        over = steps[f"{window}_w1"].find(exp.Window)
        assert over is not None
        parts = [p.name for p in over.args["partition_by"]]
        assert parts[-1] == "yr"
        assert all(p.startswith("e_") for p in parts[:-1])
        # The stored step reads the window's year ``yr``, never the rows' ``yr<k>`` too
        # (a row outside the window has its own year there).
        stored = steps[f"{award}_f"]
        read = {c.name for c in stored.find_all(exp.Column)}
        assert not {n for n in read if n.startswith("yr") and n != "yr"}


def test_the_rows_flags_are_packed_in_the_rows_step_and_read_from_there() -> None:
    steps = _steps()
    for award, _ in _wide_windows(steps):
        rows = steps[award]
        assert isinstance(rows, exp.Select)
        packed = [e for e in rows.expressions if e.alias_or_name.startswith("fe")]
        assert packed, award
        # Computed from the input tables' columns (the rows' own aliases inlined).
        names = {e.alias_or_name for e in rows.expressions}
        for e in packed:
            assert not [c for c in e.find_all(exp.Column) if not c.table and c.name in names]
        stored = steps[f"{award}_f"]
        assert "fe0" in {c.name for c in stored.find_all(exp.Column)}


def test_unknown_years_are_found_from_two_columns_of_the_rows() -> None:
    steps = _steps()
    found = [n for n in steps if n.endswith("_gs")]
    assert found
    for gs in found:
        window = gs.removesuffix("_gs")
        for name in (gs, f"{window}_gy"):
            read = {t.name for t in steps[name].find_all(exp.Table)}
            assert not {t for t in read if t.endswith("_b")}, name
            for t in read - {gs}:
                assert t.endswith("_y")
                assert [e.alias_or_name for e in steps[t].expressions][-1].startswith("yr")


def _c(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


@pytest.mark.parametrize(
    ("f", "g", "lim"), list(itertools.product([False, True], [False, True], [None, 7]))
)
def test_narrow_packs_the_earlier_steps_flags_first_and_reads_every_value_as_before(
    f: bool, g: bool, lim: int | None
) -> None:
    """``g`` and ``lim`` are columns of an earlier step: their bits (0 and 1) are summed
    there as ``fe0``; ``fl0`` adds ``f``'s (bit 2).  Run on DuckDB for every value."""
    stored = exp.select(_c("f"), _c("g"), _c("lim"), _c("st")).from_("t")
    exprs = [
        _c("f"),
        _c("g"),
        exp.Is(this=_c("lim"), expression=exp.Null()),
        exp.EQ(this=_c("st"), expression=exp.Literal.string("ok")),
    ]
    before = exp.select(*(e.copy() for e in exprs)).from_("s")
    after = exp.select(*exprs).from_("s")
    con = engine.connect()
    con.execute("CREATE TABLE r (g BOOLEAN, lim BIGINT)")
    con.execute("INSERT INTO r VALUES (?, ?)", [g, lim])
    con.execute("CREATE TABLE t AS SELECT *, ? AS f, 'ok' AS st FROM r", [f])
    con.execute(f"CREATE TABLE s AS {stored.sql('duckdb')}")
    want = con.execute(before.sql("duckdb")).fetchall()
    packed = narrow(stored, [after], {"f", "g"}, early={"g", "lim"})
    assert [e.alias_or_name for e in packed] == ["fe0"]
    assert "fe0" in stored.sql("duckdb")
    # The earlier step computes fe0 from its own columns; the stored step reads it.
    fe0 = ", ".join(e.sql("duckdb") for e in packed)
    con.execute(f"CREATE OR REPLACE TABLE t AS SELECT *, {fe0}, ? AS f, 'ok' AS st FROM r", [f])
    con.execute(f"CREATE OR REPLACE TABLE s AS {stored.sql('duckdb')}")
    assert con.execute(after.sql("duckdb")).fetchall() == want
    ((fl0,),) = con.execute("SELECT fl0 FROM s").fetchall()
    assert fl0 == (1 if g else 0) + (2 if lim is None else 0) + (4 if f else 0)


def test_narrow_without_earlier_columns_packs_as_before() -> None:
    stored = exp.select(_c("f"), _c("g")).from_("t")
    reader = exp.select(_c("f"), _c("g")).from_("s")
    assert narrow(stored, [reader], {"f", "g"}) == []
    assert "fe0" not in stored.sql("duckdb")
    assert '("fl0" & 2) <> 0' in reader.sql("duckdb")
