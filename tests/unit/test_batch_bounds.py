"""The SQL batch computes ranges, minimums, roundings, caps with exceptions and year facts
as ``policy.evaluate`` does: grids of facts (each value missing, at a boundary, beyond it)
run both ways, decision for decision, with a few amounts worked by hand."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

from policyrules.backends.sql import BatchCompileError, compile_batch

HEAD = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact base: money
  fact other_base: money
  fact n: number
  fact r: rate
  fact chosen: money
  fact ok: bool
  fact fy: year

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each project
"""


def agree(
    body: str, grid: dict[str, list[Any]], ledger: list[Any] | None = None
) -> dict[str, tuple[Any, ...]]:
    """Every combination of ``grid`` as one project of its own firm, through both paths;
    asserts they agree and returns the decisions by subject."""
    policy = compile_text(HEAD + "".join(f"    {line}\n" for line in body.splitlines()))
    firms = []
    for i, combo in enumerate(itertools.product(*grid.values())):
        project = {"id": "P"}
        project.update({k: v for k, v in zip(grid, combo, strict=True) if v is not None})
        firms.append({"id": f"F{i}", "projects": [project]})
    facts = policy.read_facts({"firms": firms, "ledger": ledger or []})
    return decisions_both_ways(policy, facts, ledger)


def test_a_rate_range_with_the_decided_rate_and_a_cap() -> None:
    got = agree(
        "amount 10% to 30% of base decided r\ncap 50 元 per project",
        {"base": [None, "100元", "300元"], "r": [None, "10%", "20%", "31%"]},
    )
    # F1 = base missing, r 10%: the amount waits for the base (no traceback), at most the
    # 50 元 cap; only the base is missing, the rate being decided.
    assert got["F1/P"] == ("eligible", 5000, None, "up_to", ["project.base"], [])
    # F0 = base and rate missing: both named.
    assert got["F0/P"][3:5] == ("up_to", ["project.base", "project.r"])
    # F4 = base 100 元, rate undecided: at least 10 元, at most 30 元 (under the 50 元 cap).
    assert got["F4/P"] == ("eligible", 3000, 1000, "range", ["project.r"], [])
    # F6 = base 100 元, r 20%: 20 元 exact.
    assert got["F6/P"][:4] == ("eligible", 2000, None, "exact")
    # F7 = r 31%, outside the range: undecided (E416), unknown with nothing missing.
    assert got["F7/P"][:2] == ("unknown", None)
    # F8 = base 300 元, undecided: 30 元 to min(90, 50) = 50 元.
    assert got["F8/P"][:4] == ("eligible", 5000, 3000, "range")


def test_a_money_range_against_what_was_granted_before() -> None:
    ledger = [{"provision": "d/1/a", "firm": "F0", "project": "P", "amount": "60元"}]
    got = agree(
        "amount 50 元 to 100 元 decided chosen",
        {"chosen": [None, "50元", "100元", "101元"]},
        ledger,
    )
    # F0 was granted 60 元: the range 50–100 元 less 60 is 0–40 元: up to 40 元.
    assert got["F0/P"][:4] == ("eligible", 4000, None, "up_to")
    assert got["F1/P"][:4] == ("eligible", 5000, None, "exact")
    assert got["F3/P"][:2] == ("unknown", None)  # 101 元 is outside the range


def test_a_minimum_a_rounding_and_a_cap() -> None:
    got = agree(
        "amount r of base\nminimum 20 元\nrounding down to 1 元\ncap 60 元 per project",
        {"base": [None, "100元", "1000.99元"], "r": [None, "5%", "33.33%"]},
    )
    # F4 = 5% of 100 元 = 5 元, raised to the minimum 20 元.
    assert got["F4/P"][:4] == ("eligible", 2000, None, "exact")
    # F5 = 33.33% of 100 元 = 33.33 元, rounded down to the 元: 33 元.
    assert got["F5/P"][:4] == ("eligible", 3300, None, "exact")
    # F7 = 5% of 1000.99 元 = 50.0495 → 50.04 元 (fen) → 50 元 (元).
    assert got["F7/P"][:4] == ("eligible", 5000, None, "exact")
    # F3 = rate missing: at least the minimum 20 元, at most the cap 60 元.
    assert got["F3/P"] == ("eligible", 6000, 2000, "range", ["project.r"], [])


def test_a_cap_with_two_exceptions() -> None:
    got = agree(
        "amount base\ncap 100 元 per project\n  unless ok raise to 300 元\n"
        "  unless n >= 1 raise to 200 元",
        {"base": [None, "250元"], "ok": [None, True, False], "n": [None, 0, 1]},
    )
    # base 250 元 (F9-F17); ok true (F12-F14), n 0 (F13): raised to 300 元: 250 元 exact.
    assert got["F13/P"][:4] == ("eligible", 25000, None, "exact")
    # ok true and n ≥ 1 (F14): 300 元 and 200 元 both apply: conflict (E420), unknown.
    assert got["F14/P"][:2] == ("unknown", None)
    # ok unknown, n 0 (F10): between 100 and 300 元: at least 100, at most 250 元.
    assert got["F10/P"] == ("eligible", 25000, 10000, "range", ["project.ok"], [])
    # ok false, n unknown (F15): between 100 and 200 元.
    assert got["F15/P"] == ("eligible", 20000, 10000, "range", ["project.n"], [])


def test_a_year_fact_in_a_condition_and_a_cap_year() -> None:
    ledger = [{"provision": "d/1/a", "firm": "F1", "amount": "30元", "year": 2026}]
    got = agree(
        "eligible when fy >= 2026\namount base\ncap 100 元 per firm per year of fy",
        {"fy": [None, 2026, 2025], "base": ["80元"]},
        ledger,
    )
    # F1: 2026, 30 元 granted in that year: 100 − 30 = 70 元 left of the 80 元.
    assert got["F1/P"][:4] == ("eligible", 7000, None, "exact")
    assert got["F2/P"][0] == "not_eligible"
    assert got["F0/P"][0] == "unknown"


def test_a_raised_cap_under_a_cap_shared_with_other_claims_is_refused() -> None:
    policy = compile_text(
        HEAD + "    amount base\n    cap 5 元 per project\n      unless ok raise to 7 元\n"
        "    cap 9 元 per firm\n"
    )
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked)
    assert info.value.code == "E616"
    assert "d/1/a: a cap with exceptions (`unless … raise to`) in an award under the cap" in str(
        info.value
    )


# ---- quotients ---------------------------------------------------------------------------


def test_steps_by_floor_of_a_money_quotient() -> None:
    got = agree(
        "amount 50 元 + 5 元 × floor((base - 1000 元) / 100 元)",
        {"base": [None, "1000元", "1099.99元", "1100元", "950元", "0元"]},
    )
    # 1099.99: floor(99.99 / 100) = 0 → 50 元; 1100: 1 step → 55 元.
    assert got["F2/P"][1] == 5000
    assert got["F3/P"][1] == 5500
    # 950: floor(−50 / 100) = −1 (down, not toward zero) → 45 元.
    assert got["F4/P"][1] == 4500


def test_ceil_and_a_ratio_compared_with_a_rate() -> None:
    got = agree(
        "eligible when base / other_base >= 5%\namount 1 元 × ceil(n / 3)",
        {"n": ["-4", "0", "4"], "base": [None, "5元", "4.99元"], "other_base": ["0元", "100元"]},
    )
    # n 4, base 5 元 of 100 元 = 5% ≥ 5%: ceil(4/3) = 2 → 2 元 (F15: n=4·6 + base·2 + 1).
    assert got["F15/P"][:2] == ("eligible", 200)
    # n −4: ceil(−4/3) = −1 → −1 元, paid as 0.00 元 (F3).
    assert got["F3/P"][:2] == ("eligible", 0)
    # 4.99 元 of 100 元 is below 5% (F17); by 0 元 it is undecided (E415, F16: unknown).
    assert got["F17/P"][0] == "not_eligible"
    assert got["F16/P"][:2] == ("unknown", None)


def test_a_third_of_money_and_money_by_a_number() -> None:
    got = agree(
        "amount 1 / 3 of base + base / n\nrounding down to 1 元",
        {"base": [None, "100元", "0.02元"], "n": [None, "3", "0", "-7"]},
    )
    # 100 元 / 3 = 33.33 (fen, toward zero) twice: 66.66 元 → 66 元 (F5).
    assert got["F5/P"][:4] == ("eligible", 6600, None, "exact")
    # 100 元 / −7 = −14.28 元 (toward zero): 33.33 − 14.28 = 19.05 → 19 元 (F7).
    assert got["F7/P"][:2] == ("eligible", 1900)
    # by 0: undecided (E415), F6.
    assert got["F6/P"][:2] == ("unknown", None)


def test_a_quotient_used_as_a_number_is_refused_by_name() -> None:
    policy = compile_text(HEAD + "    eligible when n / 3 + n > 2\n    amount base\n")
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked)
    assert info.value.code == "E608"
    assert "d/1/a: a quotient used as a value is not compiled to SQL: n / 3" in str(info.value)


def test_progressive_bands() -> None:
    got = agree(
        "amount progressive base\n  band up to 100 元 pays 10%\n  band up to chosen pays 5%\n"
        "  band above pays r",
        {
            "base": [None, "0元", "100.01元", "250元"],
            "chosen": [None, "200元", "100元"],
            "r": [None, "1%"],
        },
    )
    # F21 (= base 3·6 + chosen 1·2 + r 1): 250 元 with limits 100/200 元 and 1% above:
    # 100 × 10% + 100 × 5% + 50 × 1% = 10 + 5 + 0.5 = 15.50 元.
    assert got["F21/P"][:2] == ("eligible", 1550)
    # 100.01 元: 10 元 + 0.01 × 5% = 10.0005 元 → 10.00 元 (F15).
    assert got["F15/P"][:2] == ("eligible", 1000)
    # 0 元 pays nothing (F9).
    assert got["F9/P"][:2] == ("eligible", 0)
    # chosen 100 元 is not above 100 元: undecided (E417, F23).
    assert got["F23/P"][:2] == ("unknown", None)


def test_a_registry_reads_years_and_amounts_in_another_currency(tmp_path: Any) -> None:
    import duckdb

    from policyrules.errors import TableError
    from policyrules.tables import read_registry

    policy = compile_text(
        'entity firm\n  list firms\n  fact exports: money(USD)\n  fact fy: year\ndocument d "D"\n'
        'clause 1 "c"\n  quote "q"\n  award a\n    for each firm\n    amount 1 元\n'
    )
    (tmp_path / "firms.csv").write_text('id,exports,fy\na,"12,345.67",2026\n', encoding="utf-8")
    con = duckdb.connect()
    read_registry(policy.checked, tmp_path, con)
    # 12,345.67 美元 = 1,234,567 cents; the year as its number.
    assert con.execute("SELECT * FROM firms").fetchall() == [("a", 1234567, 2026)]
    (tmp_path / "firms.csv").write_text("id,exports,fy\nb,1万元,0\n", encoding="utf-8")
    with pytest.raises(TableError) as info:
        read_registry(policy.checked, tmp_path, duckdb.connect())
    text = str(info.value)
    assert "an amount in USD is a plain number of its unit" in text
    assert "not a calendar year" in text


def test_a_raised_limit_read_from_the_facts_is_refused_by_name() -> None:
    policy = compile_text(
        HEAD + "    amount base\n    cap 100 元 per project\n      unless ok raise to chosen\n"
    )
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked)
    assert info.value.code == "E616"
    assert "d/1/a: the raised limit of `unless ok raise to chosen` reads a fact" in str(info.value)
