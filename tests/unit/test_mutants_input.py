"""Survivors of the first mutation sample of the input readers (`mutation.py --area input
--sample 40 --seed 5`): each test fails on its mutant.

- money given from Python as the number 0 is 0.00 元 (a mutant refused it as negative);
- a rate written beyond 10^40 % is "not a rate" (E311), at or below it "a rate above" the
  bound (E312), the reader's one place where its size is judged before its digits;
- a table of rates, given as a parameter, says its values as rates (10%, not 0.1);
- a mapping given for an amount is said to be one;
- a number given from Python as an int is read (true is not a number), a period in 工作日
  keeps its unit, and `none` for a `date or none` fact states it absent;
- a period of 0 or 0.5 given as a number is read (not refused as negative), and an amount of
  30 digits written with nine thousands commas is read whole;
- the JSON Schema of a facts file and the reader agree at the edges of money and numbers
  written as JSON numbers (0, 10^37 元, 10^40); money from Python has the file's bound;
- a yes/no fact given text is refused, not taken as given; long lists (32 items or more,
  read at once where their type allows) are read whole, of a type read at once or not.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.strategies import compile_text

from policyrules import Money
from policyrules.convert import convert_value
from policyrules.errors import FactsError
from policyrules.runtime.values import NONE, Duration

HEAD = """document d "测试"

entity firm "企业"
  list firms
  fact rent: money "房租"
  fact share: rate "比例"
  fact level: Level
  fact staff: number "从业人数"
  fact took: 工作日 "用时"
  fact listed_on: date or none "上市日期"
  fact listed: bool "是否上市"
  fact fees: list of money "各年度费用"
  fact filed_years: set of year "年度"
  fact founded: year "成立年度"
  fact visits: list of date "检查日期"

enum Level { low "低", mid "中" }

"""


def _policy(before: str = "", amount: str = "50% of rent", when: str = "") -> Any:
    return compile_text(
        HEAD + before + f'clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n'
        f"{when}    amount {amount}\n"
    )


@pytest.mark.parametrize("zero", [0, Decimal(0), Decimal("0.00")])
def test_money_zero_from_python_is_zero_yuan(zero: object) -> None:
    policy = _policy()
    (d,) = policy.evaluate({"firms": [{"id": "A", "rent": zero}]}).decisions
    # 50% of 0.00 元 = 0.00 元: a zero amount, not a refusal of the fact.
    assert (d.status, d.amount) == ("eligible", Money(0))


@pytest.mark.parametrize(
    ("written", "code", "words"),
    [
        ("1" + "0" * 40 + "%", "E312", "a rate above 100%"),  # 10^40 %: judged by its size
        ("2" + "0" * 40 + "%", "E311", "not a rate"),  # beyond 10^40 %: not read as a rate
    ],
)
def test_a_rate_beyond_ten_to_the_forty_percent_is_not_read(
    written: str, code: str, words: str
) -> None:
    policy = _policy()
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "A", "rent": "1 元", "share": written}]})
    d = info.value.diagnostics[0]
    assert d.code == code
    assert words in d.message


def test_a_table_of_rates_given_as_a_parameter_says_its_rates() -> None:
    policy = _policy(
        before='parameter shares: table Level to rate "分档比例"\n\n',
        amount="shares[level] of rent",
        when="    eligible when level reaches shares\n",
    )
    facts = {
        "firms": [{"id": "A", "rent": "100 万元", "level": "mid"}],
        "parameters": {"shares": {"low": "5%", "mid": "10%"}},
    }
    (d,) = policy.evaluate(facts).decisions
    # 10% of 100 万元 = 10 万元 = 10,000,000 fen.
    assert d.amount == Money(10_000_000)
    assert d.parameters == (("shares", "[low: 5%, mid: 10%]"),)


def test_a_mapping_for_money_is_named_a_mapping() -> None:
    policy = _policy()
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "A", "rent": {"amount": "1 元"}}]})
    assert "an amount of money is expected, not a mapping" in info.value.diagnostics[0].message


def _firm(**values: object) -> Any:
    facts = _policy().read_facts({"firms": [{"id": "A", "rent": "1 元", **values}]})
    return facts.instances["firm"][0].values


def test_a_number_from_python_as_an_int_is_read_and_true_is_not() -> None:
    assert _firm(staff=5)["staff"] == Decimal(5)
    with pytest.raises(FactsError) as info:
        _firm(staff=True)
    assert "a number is expected, not true/false" in info.value.diagnostics[0].message


def test_a_period_in_working_days_keeps_its_unit() -> None:
    assert _firm(took=3)["took"] == Duration(Decimal(3), "工作日")


def test_none_states_a_date_or_none_fact_absent() -> None:
    assert _firm(listed_on="none")["listed_on"] is NONE
    # The general reader too (parameters, assumptions, tables: convert_value), as the facts
    # reader's own converters do.
    checked = _policy().checked
    firm = checked.entity("firm")
    assert firm is not None
    listed = firm.fact("listed_on")
    assert listed is not None
    assert convert_value("none", listed.type, checked) is NONE


@pytest.mark.parametrize("n", [0, Decimal("0.5")])
def test_a_period_below_one_is_read(n: object) -> None:
    assert _firm(took=n)["took"] == Duration(Decimal(n), "工作日")  # type: ignore[arg-type]


def test_thirty_digits_with_nine_thousands_commas_are_read() -> None:
    # 123,456,789,012,345,678,901,234,567,890 元 = that number × 100 fen.
    written = "123,456,789,012,345,678,901,234,567,890 元"
    assert _firm(rent=written)["rent"] == Money(123_456_789_012_345_678_901_234_567_890 * 100)


@pytest.mark.parametrize(
    ("fact", "value", "read"),
    [
        ("rent", 0, True),
        ("rent", -1, False),
        ("rent", 10**37 - 1, True),  # the largest whole number of 元 a money fact takes
        ("rent", 10**37, False),
        ("staff", 10**40 - 1, True),  # 40 digits
        ("staff", 10**40, False),
        ("staff", -(10**40) + 1, True),
        ("staff", -(10**40), False),
        ("founded", 1, True),  # a year is 1..9999
        ("founded", 0, False),
        ("founded", 9999, True),
        ("founded", 10000, False),
    ],
)
def test_the_schema_and_the_reader_agree_at_the_edges(
    fact: str, value: int, read: bool, tmp_path: Path
) -> None:
    policy = _policy()
    data = {"firms": [{"id": "A", "rent": 1, fact: value}]}
    valid = jsonschema.Draft202012Validator(policy.schema()).is_valid(data)
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), "utf-8")  # JSON numbers, as a file gives them
    try:
        policy.load_facts(path)
        taken = True
    except FactsError:
        taken = False
    assert (valid, taken) == (read, read)


@pytest.mark.parametrize("big", [10**37, Decimal(10**37), Decimal("1E+37")])
def test_money_from_python_has_the_files_bound(big: object) -> None:
    """10^37 元 is refused from Python as from a file (a JSON number, text of 38 digits)."""
    assert _firm(rent=10**37 - 1)["rent"] == Money((10**37 - 1) * 100)
    with pytest.raises(FactsError) as info:
        _firm(rent=big)
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert "an amount of 10^37 元 or more" in d.message or "is too large" in d.message


def test_text_for_a_yes_no_fact_is_refused() -> None:
    assert _firm(listed=True)["listed"] is True
    with pytest.raises(FactsError) as info:
        _firm(listed="yes")
    assert "true or false is expected" in info.value.diagnostics[0].message


def test_long_lists_are_read_whole() -> None:
    fees = list(range(1, 41))  # 40 whole numbers of 元: read at once
    years = list(range(1990, 2030))  # 40 years: a type read item by item
    values = _firm(fees=fees, filed_years=years)
    assert values["fees"] == tuple(Money(i * 100) for i in range(1, 41))  # i 元 = i × 100 fen
    assert _firm(fees=[f"{i} 元" for i in fees])["fees"] == values["fees"]  # text, item by item
    assert values["filed_years"] == frozenset(range(1990, 2030))


def test_the_general_reader_returns_a_yes_no_value() -> None:
    """convert_value (parameters, assumptions, tables; the facts reader's own converter
    passes true/false straight through) gives the value it was given."""
    checked = _policy().checked
    firm = checked.entity("firm")
    assert firm is not None
    listed = firm.fact("listed")
    assert listed is not None
    assert convert_value(True, listed.type, checked) is True
    assert convert_value(False, listed.type, checked) is False


def test_long_lists_refuse_a_negative_amount_and_read_dates_from_python() -> None:
    """40 amounts read at once refuse a negative one, as item by item; 40 dates given from
    Python (not text) are read as they are."""
    with pytest.raises(FactsError) as info:
        _firm(fees=[-1, *range(1, 40)])
    assert "money cannot be negative" in info.value.diagnostics[0].message
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    assert _firm(visits=days)["visits"] == tuple(days)


@pytest.mark.parametrize("fact", ["rent", "staff", "took", "listed", "founded", "level", "id"])
def test_an_int_too_long_for_python_to_write_is_refused_by_its_size(fact: str) -> None:
    """Python writes no int of more than 4,300 digits (a ValueError): a fact given one from
    Python was that ValueError, not a facts error; now each is refused saying its size."""
    firm = {"id": "A", "rent": "1 元", fact: 10**5000}
    with pytest.raises(FactsError) as info:
        _policy().read_facts({"firms": [firm]})
    (d,) = info.value.diagnostics
    assert "a whole number of about 5000 digits" in d.message
    assert "Exceeds the limit" not in d.message


def test_a_negative_int_too_long_to_write_is_refused_as_negative() -> None:
    with pytest.raises(FactsError) as info:
        _policy().read_facts({"firms": [{"id": "A", "rent": -(10**5000)}]})
    (d,) = info.value.diagnostics
    assert "money cannot be negative: a negative whole number of about 5000 digits" in d.message
    assert "Exceeds the limit" not in d.message
