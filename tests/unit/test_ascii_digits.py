"""Numbers take ASCII digits everywhere, as the facts reader always took them: full-width
``１００ 万元`` (a Chinese input method's full-width mode) and the digits of other scripts are
refused, saying which character and where, with the text in ASCII as the hint.

Before, ``Money.parse`` and ``parse_rate`` read full-width digits that the facts reader
refused; an amount in 美元 and an exchange rate were read with ``\\d`` and ``Decimal()``,
which take the digits of every script, while their JSON Schema said ASCII."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import FactsError
from policyrules.cases import schedule_line
from policyrules.runtime.money import Money, non_ascii_digits, parse_rate

HEAD = """entity firm "企业"
  list firms
  fact m: money
  fact r: rate
  fact n: number
  fact d: date
  fact w: 工作日
  fact y: year
  fact u: money(USD)
parameter x: exchange(USD) "美元中间价"
parameter share: rate "支持比例"

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"
  award a
    for each firm
    amount m
"""


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return compile_text(HEAD)


@pytest.mark.parametrize(
    ("fact", "value", "code", "message", "ascii"),
    [
        ("m", "１００ 万元", "E303", 'not an amount of money: "１００ 万元"', "100 万元"),
        ("r", "３０%", "E311", 'not a rate: "３０%"', "30%"),
        ("n", "１２", "E303", 'a number is expected, not text "１２"', "12"),
        ("d", "２０２６-０１-０１", "E313", 'not a date: "２０２６-０１-０１"', "2026-01-01"),
        ("w", "３０ 工作日", "E303", 'not a duration in 工作日: "３０ 工作日"', "30 工作日"),
        ("y", "２０２６年度", "E340", 'not a calendar year: "２０２６年度"', "2026年度"),
        # read before with \d: now refused as the JSON Schema refuses it
        (
            "u",
            "１２,０００ 美元",
            "E346",
            "not an amount in 美元: '１２,０００ 美元'",
            "12,000 美元",
        ),
    ],
    ids=["money", "rate", "number", "date", "duration", "year", "usd"],
)
def test_the_facts_reader_says_which_digit_and_how_to_write_it(
    policy: policyrules.Policy, fact: str, value: str, code: str, message: str, ascii: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", fact: value}]})
    d = info.value.diagnostics[0]
    said = f'{message} ("{value[0]}" at character 1 is a full-width digit)'
    assert (d.code, d.message, d.hint) == (
        code,
        f"<facts>: firms[0].{fact}: {said}",
        f'write ASCII digits: "{ascii}"',
    )
    # the text in the hint is read
    assert policy.read_facts({"firms": [{"id": "f", fact: ascii}]}).instances["firm"]


def test_a_facts_file_points_at_the_line(policy: policyrules.Policy, tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text('firms:\n  - id: f\n    m: "100．5 元"\n', "utf-8")
    with pytest.raises(FactsError) as info:
        policy.load_facts(path)
    d = info.value.diagnostics[0]
    assert d.span is not None
    assert (d.code, d.span.line) == ("E303", 3)
    assert '"．" at character 4 is a full-width `.`' in d.message
    assert d.hint == 'write ASCII digits: "100.5 元"'


def test_digits_of_another_script_and_a_full_width_space(policy: policyrules.Policy) -> None:
    # "2026 年", the full-width space made ASCII, is no year either (no space before 年, as
    # the schema says): the hint is then the year's own, not that text
    year_hint = 'write the year as a whole number from 1 to 9999: 2026, "2026年" or "2026年度"'
    cases = {
        "٢٠٢٦": ('"٢" at character 1 is a digit that is not ASCII', 'write ASCII digits: "2026"'),
        "2026\u3000年": ('"\u3000" at character 5 is a full-width space', year_hint),
    }
    for value, (what, hint) in cases.items():
        with pytest.raises(FactsError) as info:
            policy.read_facts({"firms": [{"id": "f", "y": value}]})
        assert what in info.value.diagnostics[0].message
        assert info.value.hint == hint


def test_an_exchange_rate_takes_ascii_digits(policy: policyrules.Policy) -> None:
    """``Decimal("７.１")`` is 7.1: the rate was read, though the schema says ``[0-9]``."""
    facts = {"firms": [{"id": "f", "m": "1元"}]}
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts, parameters={"x": {"rate": "７.１", "date": "2026-01-05"}})
    d = info.value.diagnostics[0]
    assert d.code == "E347"
    assert '"７" at character 1 is a full-width digit' in d.message
    assert d.hint == 'write ASCII digits: "7.1"'
    rate = policy.schema()["properties"]["parameters"]["properties"]["x"]["properties"]["rate"]
    assert rate["pattern"] == r"^[0-9]+(?:\.[0-9]+)?(?![\s\S])"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("３０%", 'write ASCII digits: "30%": --set share=30%, or `share: 30%` in a file'),
        ("30", "write 30%: --set share=30%, or `share: 30%` in a file"),  # as before
        ("abc", 'write e.g. "30%"'),  # was said in the message, with no hint
    ],
    ids=["full-width", "without-percent", "not-a-rate"],
)
def test_a_rate_parameter_s_hint_says_how_to_set_it(
    policy: policyrules.Policy, value: str, hint: str
) -> None:
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": [{"id": "f", "m": "1元"}]}, parameters={"share": value})
    assert (info.value.code, info.value.hint) == ("E311", hint)


def test_the_schema_and_the_reader_agree_on_an_amount_in_dollars(
    policy: policyrules.Policy,
) -> None:
    """The pattern says [0-9], which means the same in Python's ``re`` and in ECMA 262."""
    firm = policy.schema()["properties"]["firms"]["items"]["properties"]
    (pattern,) = [s["pattern"] for s in firm["u"]["anyOf"] if "pattern" in s]
    assert "\\d" not in pattern
    assert re.fullmatch(pattern, "12,000 美元")
    assert not re.fullmatch(pattern, "１２,０００ 美元")


@pytest.mark.parametrize(
    ("text", "what", "ascii", "fen"),
    [
        ("１００ 万元", '"１" at character 1 is a full-width digit', "100 万元", 100_000_000),
        ("１２．５ 元", '"１" at character 1 is a full-width digit', "12.5 元", 1_250),
        ("－5 元", '"－" at character 1 is a full-width `-`', "-5 元", -500),
        ("١٠٠ 万元", '"١" at character 1 is a digit that is not ASCII', "100 万元", 100_000_000),
    ],
    ids=["digits", "point", "minus", "arabic-indic"],
)
def test_money_parse_refuses_what_the_facts_reader_refuses(
    text: str, what: str, ascii: str, fen: int
) -> None:
    with pytest.raises(FactsError) as info:
        Money.parse(text)
    d = info.value.diagnostics[0]
    assert (d.code, d.message, d.hint) == (
        "E303",
        f"cannot read {text!r} as an amount of money: {what}",
        f'write ASCII digits: "{ascii}"',
    )
    assert isinstance(info.value, ValueError)  # the refusal Money.parse documents
    assert Money.parse(ascii) == Money(fen)


def test_parse_rate_refuses_full_width_digits() -> None:
    with pytest.raises(FactsError) as info:
        parse_rate("１５％")
    assert (info.value.code, info.value.hint) == ("E311", 'write ASCII digits: "15%"')
    assert parse_rate("15%") == Decimal("0.15")


def test_ascii_text_has_nothing_to_say() -> None:
    from policyrules.runtime.money import non_ascii_digits  # new: the old code had none

    assert non_ascii_digits("12,345.67 元") is None
    assert non_ascii_digits("2026年度") is None  # Chinese, but no digit of it
    assert non_ascii_digits("１") is not None


def test_a_schedule_line_of_a_case_file_takes_ascii_digits() -> None:
    """``str.isdigit`` took ``²`` (then ``int("²")`` raised) and ``２０２７``."""
    assert schedule_line("2027: 90万元 future") == (2027, 90_000_000, "future")
    assert schedule_line("²: unknown due") is None
    assert schedule_line("２０２７: 90万元 future") is None
    assert schedule_line("2027: ９０万元 future") is None


@pytest.mark.parametrize(
    ("fact", "value", "hint"),
    [
        # `３０` as a rate: its ASCII 30 is refused too (no %): the rate's own hint stays.
        ("r", "３０", "write 30%"),
        # a day in Chinese: 2026年1月1日 is refused too: the date's own hint stays.
        ("d", "2026年１月1日", "write the day as YYYY-MM-DD, e.g. 2026-05-01"),
        # negative: -100 万元 is refused too: money's own hint stays.
        (
            "m",
            "-１００ 万元",
            "an amount (a grant, a cost, an investment) is 0 元 or more: write "
            "it without its minus",
        ),
    ],
)
def test_the_ascii_text_is_the_hint_only_where_it_would_be_read(
    policy: policyrules.Policy, fact: str, value: str, hint: str
) -> None:
    """A review: the hint offered text that was then refused in its turn."""
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", fact: value}]})
    (d,) = info.value.diagnostics
    assert "is a full-width digit" in d.message
    assert d.hint == hint


def test_a_huge_full_width_value_is_quoted_as_an_excerpt(policy: policyrules.Policy) -> None:
    """A review: 100,001 full-width digits came back whole in the hint (and the message of
    an exchange rate and of Money.parse)."""
    big = "１" * 100_001
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", "n": big}]})
    (d,) = info.value.diagnostics
    assert len(d.message) < 300
    # 100,001 ASCII digits would be refused too: no hint offers them; a number's own stays
    assert d.hint == 'write digits: 12 or "12.5"'
    found = non_ascii_digits(big)
    assert found is not None
    assert found.hint == 'write ASCII digits: "' + "1" * 40 + '… (100001 digits)"'
    with pytest.raises(FactsError) as info:
        policy.evaluate(
            {"firms": [{"id": "f"}], "parameters": {"x": {"rate": big, "date": "2026-01-05"}}}
        )
    (d,) = info.value.diagnostics
    assert len(d.message) < 300
    with pytest.raises(FactsError) as parsed:
        Money.parse(big + " 元")
    assert len(str(parsed.value)) < 300
