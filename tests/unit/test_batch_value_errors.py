"""A value DuckDB cannot compute exactly while a batch runs (E633): a located error, never
a traceback, never a rounded number.

Numbers within what the registry reads (28 digits before the point, 10 after) can still
overflow DuckDB's DECIMAL(38) inside a step (a quotient's scaling), and an amount within
DECIMAL(38) can be beyond BIGINT fen.  The one-by-one path computes both exactly (up to 40
digits); the batch stops with E633 naming the step, and writes no output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.strategies import compile_text

from policyrules.cli import main
from policyrules.errors import TableError

HEAD = 'document d "测试"\n\nentity firm "企业"\n  list firms\n'

QUOTIENT = (
    HEAD
    + '  fact employees: number "从业人数"\n  fact area: number "面积"\n\n'
    + 'clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n'
    + "    eligible when floor(employees / area) >= 1\n    amount 1 万元\n"
)
PRODUCT = (
    HEAD
    + '  fact base: money "基数"\n  fact n: number "倍数"\n\n'
    + 'clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n    amount base * n\n'
)
CASES = [
    # 10^26 / 0.001: scaled to 10 decimals, 10^36 × 10^10 is beyond DECIMAL(38).
    (QUOTIENT, "id,employees,area\nf1,100000000000000000000000000,0.001\n", "Overflow"),
    # 92,233,720,368,547,758.07 元 × 2 = 18,446,744,073,709,551,614 fen: beyond BIGINT.
    (PRODUCT, "id,base,n\nf1,92233720368547758.07,2\n", "Failed to cast"),
]


@pytest.mark.parametrize(("policy", "firms", "words"), CASES)
def test_a_value_beyond_duckdb_is_e633_on_the_command_line(
    policy: str, firms: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.rule").write_text(policy, encoding="utf-8")
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "firms.csv").write_text(firms, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["batch", str(tmp_path / "p.rule"), str(tmp_path / "reg"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "error[E633]: step 1 of the plan (p0_f): a value DuckDB cannot compute exactly" in err
    assert words in err
    assert "evaluate those firms one at a time (`policyrules eval POLICY REGISTRY" in err
    assert "a value beyond what the batch holds" in err
    assert not out.exists()


@pytest.mark.parametrize(("policy", "firms", "words"), CASES)
def test_the_one_by_one_path_computes_what_the_batch_cannot(
    policy: str, firms: str, words: str, tmp_path: Path
) -> None:
    compiled = compile_text(policy)
    (tmp_path / "firms.csv").write_text(firms, encoding="utf-8")
    with pytest.raises(TableError) as info:
        compiled.evaluate_batch(tmp_path)
    assert info.value.diagnostics[0].code == "E633"
    header, row = firms.splitlines()
    facts = dict(zip(header.split(","), row.split(","), strict=True))
    (d,) = compiled.evaluate({"firms": [facts]}).decisions
    # QUOTIENT: floor(10^26 / 0.001) = 10^29 >= 1, eligible: 1 万元 = 1,000,000 fen.
    # PRODUCT: 9,223,372,036,854,775,807 fen × 2 = 18,446,744,073,709,551,614 fen.
    want = 1_000_000 if policy is QUOTIENT else 18_446_744_073_709_551_614
    assert d.amount is not None
    assert (d.status, d.amount.fen) == ("eligible", want)
