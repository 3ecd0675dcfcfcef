"""The batch's grants, appended to the next run's ledger table as they are written.

Two new users' trials: `grants` wrote the amount in fen in a column named `amount`, which a
registry's `ledger` table reads in 元, as every money column of a registry; copied into
`ledger.csv`, five grants of 2 万元 counted as 5 × 200 万元, and the next product of the firm
was paid 0.00 元 under the 1000 万元 firm-year cap of 京经信发〔2025〕50号 第3条, silently.
The grants now write `amount_fen`, which the ledger table reads in fen (and `amount` still
in 元): the round trip counts what was paid.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from policyrules.cli import main
from policyrules.errors import LedgerError

POLICY = str(Path(__file__).resolve().parents[2] / "policies" / "beijing_2025")
LAUNCH = "jjxf_2025_50/3/launch_reward"
ROUTES = '"[""national_priority_review""]"'
HEAD = "id,firm_id,approved_on,launch_routes,launch_reward_decided\n"
FIRST = "".join(f"A{i},F1,2026-03-0{i},{ROUTES},2万元\n" for i in range(1, 6))
LATER = f"B1,F1,2026-09-01,{ROUTES},150万元\n"


def _run(reg: Path, out: Path, fmt: str) -> None:
    assert main(["batch", POLICY, str(reg), "--out", str(out), "--format", fmt, "--quiet"]) == 0


def _paid(out: Path, fmt: str, product: str) -> int:
    rows = duckdb.sql(
        f"SELECT amount_fen FROM '{out / f'decisions.{fmt}'}' "
        f"WHERE provision = '{LAUNCH}' AND subject = 'F1/{product}'"
    ).fetchall()
    (amount,) = rows[0]
    return int(amount)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_runs_grants_are_the_next_runs_ledger_as_written(tmp_path: Path, fmt: str) -> None:
    first = tmp_path / "reg1"
    first.mkdir()
    (first / "firms.csv").write_text("id\nF1\n", encoding="utf-8")
    (first / "products.csv").write_text(HEAD + FIRST, encoding="utf-8")
    _run(first, tmp_path / "out1", fmt)
    paid = duckdb.sql(f"SELECT amount_fen FROM '{tmp_path / 'out1' / f'grants.{fmt}'}'")
    assert sorted(int(a) for (a,) in paid.fetchall()) == [2_000_000] * 5  # 2 万元 each

    second = tmp_path / "reg2"
    second.mkdir()
    (second / "firms.csv").write_text("id\nF1\n", encoding="utf-8")
    (second / "products.csv").write_text(HEAD + LATER, encoding="utf-8")
    shutil.copy(tmp_path / "out1" / f"grants.{fmt}", second / f"ledger.{fmt}")
    _run(second, tmp_path / "out2", fmt)
    # The firm's 2026 account holds 5 × 2 万 = 10 万 of its 1000 万: B1's decided 150 万 is
    # within it and within the 200 万 per product.  (Read in 元: 5 × 200 万 = 1000 万, the cap
    # spent, B1 paid 0.)
    assert _paid(tmp_path / "out2", fmt, "B1") == 150 * 10_000 * 100


@pytest.mark.parametrize(
    ("header", "row", "words"),
    [
        ("amount,amount_fen", "2万元,2000000", "both 'amount' and 'amount_fen'"),
        ("amount_fen", "2万元", "an amount in fen is a whole number of 0 or more: '2万元'"),
        ("amount_fen", "-5", "an amount in fen is a whole number of 0 or more: '-5'"),
        ("amount_fen", "12.5", "an amount in fen is a whole number of 0 or more: '12.5'"),
    ],
)
def test_an_amount_in_fen_is_a_whole_number_given_once(
    tmp_path: Path, header: str, row: str, words: str
) -> None:
    (tmp_path / "firms.csv").write_text("id\nF1\n", encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        f"provision,firm,product,{header},year\n{LAUNCH},F1,A1,{row},2026\n", encoding="utf-8"
    )
    from policyrules import load

    with pytest.raises(LedgerError) as info:
        load(POLICY).evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.code == "E324"
    assert words in d.message
