"""A number with a fraction or an exponent inside a JSON array of a registry is refused.

A new user's trial: DuckDB's JSON reader takes such a number as a binary float, so
`[2024.9999999999999999]` in a CSV cell or a JSON Line became "2025.0" and the batch found
2025 among the firm's approval years: eligible for the R&D reward of 京经信发〔2025〕50号
第6条 (100 万元), where `policyrules eval` read the number exactly (2024.99…, not 2025: not
eligible).  Such an item is now refused, as such a number at the top of a JSON Line was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.errors import TableError

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
HEAD = "id,rd_reward_applied_on,new_approval_years,prior_year_rd_investment\n"
JSONL = (
    '{{"id": "F1", "rd_reward_applied_on": "2026-03-02", "new_approval_years": {years}, '
    '"prior_year_rd_investment": "1000万元"}}\n'
)


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.mark.parametrize("years", ["[2024.9999999999999999]", "[2.025e3]", "[2025, 2025.0]"])
def test_a_float_in_a_csv_cells_array_is_e627(
    policy: policyrules.Policy, tmp_path: Path, years: str
) -> None:
    (tmp_path / "firms.csv").write_text(
        HEAD + f'F1,2026-03-02,"{years}",1000万元\n', encoding="utf-8"
    )
    with pytest.raises(TableError) as info:
        policy.evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.code == "E627"
    assert d.message.endswith(
        f'row 1, column new_approval_years: "{years}": an item of the list is a number with '
        "a fraction or an exponent, which JSON readers take as a binary float"
    )


@pytest.mark.parametrize("years", ["[2024.9999999999999999]", "[2025, 2.025e3]"])
def test_a_float_in_a_json_lines_array_is_e623(
    policy: policyrules.Policy, tmp_path: Path, years: str
) -> None:
    (tmp_path / "firms.jsonl").write_text(JSONL.format(years=years), encoding="utf-8")
    with pytest.raises(TableError) as info:
        policy.evaluate_batch(tmp_path)
    (d,) = info.value.diagnostics
    assert d.code == "E623"
    assert "row 1, column new_approval_years: an item of its list is a number" in d.message


@pytest.mark.parametrize(("years", "read"), [('[2025, "2024"]', [2024, 2025]), ("[2025]", [2025])])
def test_whole_numbers_and_text_in_an_array_are_read(
    policy: policyrules.Policy, tmp_path: Path, years: str, read: list[int]
) -> None:
    (tmp_path / "firms.jsonl").write_text(JSONL.format(years=years), encoding="utf-8")
    result = policy.evaluate_batch(tmp_path)
    (got,) = result.con.execute("SELECT new_approval_years FROM firms").fetchall()
    assert sorted(got[0]) == read
