"""A registry table's number written with full-width digits is said as the facts reader
says it: the digit, where it is, and the value in ASCII as the hint.

Before, a CSV cell of ``"３５４００００.00"`` (a Chinese input method's full-width mode) was
"not an amount of money" with the generic example as the hint, and a ledger table's year
``２０２６`` "a year is a whole number in 1..9999": the full-width digit, the one fault,
was not named, where the same value in a facts file names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.errors import LedgerError, TableError

HEAD = """entity firm "企业"
  list firms
  fact m: money
  fact r: rate
  fact n: number
  fact d: date
  fact w: 工作日
  fact y: year
  fact u: money(USD)
  fact ns: list of number

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"
  award a
    for each firm
    amount m
"""
FULL_WIDTH = '"{}" at character 1 is a full-width digit'


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return compile_text(HEAD)


@pytest.mark.parametrize(
    ("fact", "cell", "code", "message", "ascii"),
    [
        ("m", "３５４００００.00", "E627", "not an amount of money", "3540000.00"),
        ("r", "３０%", "E628", "not a rate", "30%"),
        ("n", "１２.５", "E627", "not a number", "12.5"),
        ("d", "２０２６-01-26", "E629", "not a date", "2026-01-26"),
        ("w", "３０ 工作日", "E627", "not a whole number of 工作日", "30 工作日"),
        ("y", "２０２６", "E627", "not a calendar year", "2026"),
        ("u", "１２,３４５.６７", "E627", "not an amount of money", "12,345.67"),
    ],
)
def test_a_full_width_value_in_a_table_is_said_with_its_digit(
    policy: policyrules.Policy,
    tmp_path: Path,
    fact: str,
    cell: str,
    code: str,
    message: str,
    ascii: str,
) -> None:
    (tmp_path / "firms.csv").write_text(f'id,{fact}\nF1,"{cell}"\n', encoding="utf-8")
    with pytest.raises(TableError) as info:
        policy.evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.code == code
    assert d.message.endswith(
        f'firms.csv: row 1, column {fact}: {message}: "{cell}" ({FULL_WIDTH.format(cell[0])})'
    )
    assert d.hint == f'write ASCII digits: "{ascii}"'


def test_an_item_of_a_list_too(policy: policyrules.Policy, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text('id,ns\nF1,"[""1"", ""２""]"\n', encoding="utf-8")
    with pytest.raises(TableError) as info:
        policy.evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.message.endswith(
        'column ns: "[""1"", ""２""]": an item of the list: not a number: "２" '
        f"({FULL_WIDTH.format('２')})".replace('""', '"')
    )
    assert d.hint == 'write ASCII digits: "2"'


def test_the_ascii_text_is_the_hint_only_where_the_table_reads_it(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """``３０`` for a rate is ``30`` in ASCII, itself refused (a rate needs %): the digit is
    named, the hint stays the rate's own."""
    (tmp_path / "firms.csv").write_text("id,r\nF1,３０\n", encoding="utf-8")
    with pytest.raises(TableError) as info:
        policy.evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.message.endswith(f'not a rate: "３０" ({FULL_WIDTH.format("３")})')
    assert d.hint == 'write e.g. "30%"'


def test_a_ledger_table_s_amount_and_year(policy: policyrules.Policy, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("id\nF1\n", encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        "provision,firm,amount,year\nd/1/a,F1,１００万元,２０２６\n", encoding="utf-8"
    )
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(tmp_path)
    amount, year = info.value.diagnostics
    assert (amount.code, year.code) == ("E324", "E325")
    assert amount.message.endswith(
        f'column amount: not an amount of money: "１００万元" ({FULL_WIDTH.format("１")})'
    )
    assert amount.hint == 'write ASCII digits: "100万元"'
    assert year.message.endswith(
        f"column year: a year is a whole number in 1..9999, not '２０２６' "
        f"({FULL_WIDTH.format('２')})"
    )
    assert year.hint == 'write ASCII digits: "2026"'
    (tmp_path / "ledger.csv").write_text(
        "provision,firm,amount_fen,year\nd/1/a,F1,２００,2026\n", encoding="utf-8"
    )
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(tmp_path)
    (fen,) = info.value.diagnostics
    assert fen.message.endswith(
        "column amount_fen: an amount in fen is a whole number of 0 or more: '２００' "
        f"({FULL_WIDTH.format('２')})"
    )
    assert fen.hint == 'write ASCII digits: "200"'
