"""Unit tests for exact money and rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policyrules.runtime.money import (
    Money,
    Rounding,
    format_rate,
    max_money,
    min_money,
    parse_rate,
    sum_money,
)

# --- Money.of ------------------------------------------------------------------------------


def test_of_yuan_int() -> None:
    """An int amount in 元 is 100 fen per 元."""
    assert Money(12_300) == Money.of(123)


def test_of_wan_yuan() -> None:
    """5000 万元 = 50,000,000 元 = 5,000,000,000 fen."""
    assert Money(5_000_000_000) == Money.of(5000, "万元")


def test_of_yi_yuan_decimal() -> None:
    """1.5 亿元 = 150,000,000 元 = 15,000,000,000 fen."""
    assert Money(15_000_000_000) == Money.of(Decimal("1.5"), "亿元")


def test_of_short_units() -> None:
    """The unit "万" is read as 万元 and "亿" as 亿元."""
    assert (Money.of(3, "万元"), Money.of(2, "亿元")) == (Money.of(3, "万"), Money.of(2, "亿"))


def test_of_string_amount() -> None:
    """A string amount is read exactly: "0.01" 元 is one fen."""
    assert Money(1) == Money.of("0.01")


def test_of_smallest_fraction_of_wan() -> None:
    """0.000001 万元 = 0.01 元 = 1 fen: exact even though the amount has 6 decimals."""
    assert Money(1) == Money.of(Decimal("0.000001"), "万元")


def test_of_negative_decimal() -> None:
    """-2.5 元 is -250 fen."""
    assert Money(-250) == Money.of(Decimal("-2.5"))


def test_of_rejects_part_of_a_fen() -> None:
    """0.001 元 is a tenth of a fen: not a whole number of fen."""
    with pytest.raises(ValueError, match="whole number of fen"):
        Money.of(Decimal("0.001"))


def test_of_rejects_float() -> None:
    """A binary float is never accepted, even one that looks exact."""
    with pytest.raises(ValueError, match="float"):
        Money.of(1.5)  # type: ignore[arg-type]


def test_of_rejects_bool() -> None:
    """True is not an amount."""
    with pytest.raises(TypeError):
        Money.of(True)


def test_of_rejects_unknown_unit() -> None:
    """Units other than 元, 万元, 亿元, 万, 亿 are refused."""
    with pytest.raises(ValueError, match="unknown unit"):
        Money.of(5, "美元")


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", ""])
def test_of_rejects_non_numbers(text: str) -> None:
    """Strings that are not finite numbers are refused."""
    with pytest.raises(ValueError, match="number"):
        Money.of(text)


def test_fen_must_be_int() -> None:
    """The fen field takes an int only: not a float, not a bool."""
    with pytest.raises(TypeError):
        Money(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)


# --- Money.parse ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("200 万元", 200_000_000),  # 200 × 10,000 元 × 100 fen
        ("200万元", 200_000_000),
        ("1.5亿元", 15_000_000_000),  # 1.5 × 100,000,000 元 × 100 fen
        ("12,345.67 元", 1_234_567),
        ("12345.67", 1_234_567),  # a bare number is 元
        ("100万", 100_000_000),  # 万 alone is 万元
        ("3亿", 30_000_000_000),
        ("  200 万元\n", 200_000_000),  # surrounding whitespace is ignored
        ("-5 元", -500),
        ("1,000,000", 100_000_000),
        ("0.05", 5),
        ("0", 0),
    ],
)
def test_parse_forms(text: str, fen: int) -> None:
    """Every written form of an amount reads to the exact number of fen."""
    assert Money(fen) == Money.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "元",
        "1,23 元",  # a misplaced thousands separator
        "12,3456",
        "5 美元",
        "--5",
        "+5",
        "- 5",  # the minus sign must touch the number
        "5-",
        ".5",
        "5.",
        "5 元 元",
        "1e3",
        "1.234 元",  # a tenth of a fen
    ],
)
def test_parse_rejects(text: str) -> None:
    """Anything that is not a plain written amount of whole fen is refused."""
    with pytest.raises(ValueError, match=r"cannot read|whole number of fen"):
        Money.parse(text)


def test_parse_error_names_the_text() -> None:
    """The error message quotes the input and shows an example."""
    with pytest.raises(ValueError, match=r"'five yuan'.*200 万元"):
        Money.parse("five yuan")


# --- arithmetic, comparison and formatting --------------------------------------------------


def test_add_sub_neg() -> None:
    """1.50 元 + 2.25 元 = 3.75 元; 1.50 - 2.25 = -0.75; -(1.50) = -1.50."""
    a, b = Money(150), Money(225)
    assert (Money(375), Money(-75), Money(-150)) == (a + b, a - b, -a)


def test_add_rejects_numbers() -> None:
    """Money adds only Money: an int is a TypeError (via NotImplemented)."""
    with pytest.raises(TypeError):
        Money(1) + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1) - Decimal(1)  # type: ignore[operator]


def test_bool_and_zero() -> None:
    """Zero is falsy; any other amount is truthy."""
    expected = (False, True, True)
    assert expected == (bool(Money.zero()), bool(Money(1)), bool(Money(-1)))


def test_ordering() -> None:
    """Amounts order by their fen."""
    assert [Money(-5), Money(0), Money(7)] == sorted([Money(7), Money(-5), Money(0)])


def test_str() -> None:
    """The canonical form has thousands separators, two decimals and 元."""
    expected = ["2,000,000.00 元", "-1,234.50 元", "0.00 元", "0.05 元"]
    assert expected == [
        str(Money.of(2_000_000)),
        str(Money(-123_450)),
        str(Money.zero()),
        str(Money(5)),
    ]


def test_format_cn() -> None:
    """Whole 亿元, else whole 万元, else the canonical form; 1.5 亿元 is 15000 万元."""
    expected = ["3 亿元", "5000 万元", "15000 万元", "-200 万元", "12,345.67 元", "0.00 元"]
    assert expected == [
        Money.of(3, "亿元").format_cn(),
        Money.of(5000, "万元").format_cn(),
        Money.of("1.5", "亿元").format_cn(),
        Money.of(-200, "万元").format_cn(),
        Money.of("12345.67").format_cn(),
        Money.zero().format_cn(),
    ]


def test_yuan_is_exact_with_two_places() -> None:
    """1,234.56 元 as a Decimal keeps exactly two places."""
    yuan = Money(123_456).yuan
    assert (Decimal("1234.56"), -2) == (yuan, yuan.as_tuple().exponent)


def test_min_max_sum() -> None:
    """min/max pick an amount; the sum of 1, 2 and 3 fen is 6 fen; an empty sum is zero."""
    a, b, c = Money(1), Money(2), Money(3)
    assert (a, c, Money(6), Money.zero()) == (
        min_money(b, a, c),
        max_money(b, a, c),
        sum_money([a, b, c]),
        sum_money([]),
    )


def test_min_money_needs_an_amount() -> None:
    """min_money() with nothing is an error, as min() is."""
    with pytest.raises(ValueError, match="at least one"):
        min_money()


# --- times and rounding --------------------------------------------------------------------


def test_times_rounds_down_by_default() -> None:
    """30% of 0.01 元 is 0.3 fen: DOWN gives 0 fen."""
    assert Money(0) == Money(1).times(Decimal("0.3"))


def test_times_rounds_up() -> None:
    """30% of 0.01 元 is 0.3 fen: UP gives 1 fen."""
    assert Money(1) == Money(1).times(Decimal("0.3"), Rounding.UP)


def test_times_half_up() -> None:
    """0.3 fen rounds half-up to 0; 0.5 fen to 1; 0.7 fen to 1."""
    assert [Money(0), Money(1), Money(1)] == [
        Money(1).times(Decimal(r), Rounding.HALF_UP) for r in ("0.3", "0.5", "0.7")
    ]


def test_times_negative_rounds_toward_zero() -> None:
    """-0.01 元 × 0.3 = -0.3 fen: DOWN (toward zero) gives 0, UP (away from zero) gives -1."""
    m = Money(-1)
    assert (Money(0), Money(-1)) == (m.times(Decimal("0.3")), m.times(Decimal("0.3"), Rounding.UP))


def test_times_realistic_award() -> None:
    """30% of 1,234,567.89 元: 123,456,789 fen × 0.3 = 37,037,036.7 fen → 370,370.36 元 DOWN."""
    base = Money.parse("1,234,567.89 元")
    assert (Money(37_037_036), Money(37_037_037)) == (
        base.times(parse_rate("30%")),
        base.times(parse_rate("30%"), Rounding.HALF_UP),
    )


def test_times_is_exact_beyond_default_precision() -> None:
    """A 31-digit fen amount times a 30-digit rate: default Decimal precision (28) would round.

    10^30 fen × 0.123456789012345678901234567891 = 123456789012345678901234567891 fen exactly,
    because the rate has 30 decimal places.  Adding 1 fen to the base adds 0.1234... fen, which
    DOWN drops.
    """
    rate = Decimal("0.123456789012345678901234567891")
    assert Money(123456789012345678901234567891) == Money(10**30 + 1).times(rate)


def test_times_rejects_float() -> None:
    """A float rate is refused."""
    with pytest.raises(ValueError, match="float"):
        Money(100).times(0.3)  # type: ignore[arg-type]


# --- rates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("30%", Decimal("0.30")),
        ("2.5%", Decimal("0.025")),
        ("0.3", Decimal("0.3")),
        ("100%", Decimal("1")),
        (" 50 % ", Decimal("0.5")),
    ],
)
def test_parse_rate(text: str, rate: Decimal) -> None:
    """Percentages are divided by 100 exactly; plain decimals are kept."""
    assert rate == parse_rate(text)


def test_parse_rate_keeps_places() -> None:
    """The rate read from "30%" is Decimal("0.30") exactly: digits and exponent."""
    expected = "0.30"
    assert expected == str(parse_rate("30%"))


@pytest.mark.parametrize("text", ["-30%", "abc", "30%%", "1e-1", "", ".5", "%"])
def test_parse_rate_rejects(text: str) -> None:
    """Negative rates and anything not a plain number or percentage are refused."""
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


def test_parse_rate_rejects_float() -> None:
    """A float rate is refused."""
    with pytest.raises(ValueError, match="float"):
        parse_rate(0.3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Decimal("0.3"), "30%"),
        (Decimal("0.30"), "30%"),
        (Decimal("0.025"), "2.5%"),
        (Decimal("1"), "100%"),
        (Decimal("0"), "0%"),
        (Decimal("0.000"), "0%"),
        (Decimal("1E+1"), "1000%"),
    ],
)
def test_format_rate(rate: Decimal, text: str) -> None:
    """Rates print as percentages with no trailing zeros."""
    assert text == format_rate(rate)
