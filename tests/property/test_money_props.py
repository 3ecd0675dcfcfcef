"""Property tests for exact money: addition is exact, rounding is bounded and monotone."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from policyrules.runtime.money import Money, Rounding, _yuan, format_rate, parse_rate, yuan_digits
from strategies import money, nonnegative_money, rates

roundings = st.sampled_from(list(Rounding))


def exact(m: Money, rate: Decimal) -> Fraction:
    """The exact product in fen, computed with fractions as an independent oracle."""
    return Fraction(m.fen) * Fraction(rate)


@given(money(), money(), money())
def test_addition_is_associative_and_exact(a: Money, b: Money, c: Money) -> None:
    """(a + b) + c == a + (b + c), and the fen add exactly."""
    assert (a + b) + c == a + (b + c)
    assert (a + b).fen == a.fen + b.fen


@given(money(), money())
def test_subtraction_undoes_addition(a: Money, b: Money) -> None:
    """(a + b) - b == a and a - b == a + (-b)."""
    assert (a + b) - b == a
    assert a - b == a + (-b)


@given(nonnegative_money(), rates())
def test_times_down_is_within_a_fen_below(m: Money, rate: Decimal) -> None:
    """DOWN never exceeds the exact product and loses less than one fen."""
    product = exact(m, rate)
    result = m.times(rate, Rounding.DOWN).fen
    assert result <= product < result + 1


@given(nonnegative_money(), rates())
def test_times_up_is_within_a_fen_above(m: Money, rate: Decimal) -> None:
    """UP never falls short of the exact product and adds less than one fen."""
    product = exact(m, rate)
    result = m.times(rate, Rounding.UP).fen
    assert result - 1 < product <= result


@given(money(), rates())
def test_times_half_up_is_nearest(m: Money, rate: Decimal) -> None:
    """HALF_UP is within half a fen of the exact product, for either sign."""
    assert abs(m.times(rate, Rounding.HALF_UP).fen - exact(m, rate)) <= Fraction(1, 2)


@given(money(), rates(), roundings)
def test_times_is_symmetric_in_sign(m: Money, rate: Decimal, rounding: Rounding) -> None:
    """Each direction is defined by distance from zero, so negating commutes with times."""
    assert (-m).times(rate, rounding) == -(m.times(rate, rounding))


@given(money(), money(), rates(), roundings)
def test_times_is_monotone_in_the_base(a: Money, b: Money, rate: Decimal, r: Rounding) -> None:
    """For a rate >= 0, a larger base never gives a smaller product."""
    low, high = min(a, b), max(a, b)
    assert low.times(rate, r) <= high.times(rate, r)


@given(money())
def test_str_round_trips(m: Money) -> None:
    """parse(str(m)) == m."""
    assert m == Money.parse(str(m))


@given(money())
def test_format_cn_round_trips(m: Money) -> None:
    """parse(m.format_cn()) == m: the short form loses nothing."""
    assert m == Money.parse(m.format_cn())


@given(money())
def test_yuan_round_trips(m: Money) -> None:
    """Money.of(m.yuan) == m."""
    assert m == Money.of(m.yuan)


@given(rates())
def test_rate_round_trips(rate: Decimal) -> None:
    """parse_rate(format_rate(r)) == r, numerically."""
    assert rate == parse_rate(format_rate(rate))


@given(st.one_of(st.integers(-(10**20), 10**20), st.integers(-3, 3).map(lambda k: k * 10**6)))
def test_money_text_reads_back(fen: int) -> None:
    """The texts of an amount (made once per amount, then taken from a cache) read back
    as the same fen, however often asked for: ``12,345.67 元`` is 1,234,567 fen; ``200 万元``
    is 200 × 1,000,000 fen; ``3 亿元`` is 3 × 10,000,000,000 fen."""
    m = Money(fen)
    for _ in range(2):
        plain = str(m)
        assert Decimal(plain.removesuffix(" 元").replace(",", "")) * 100 == fen
        number, unit = m.format_cn().split(" ")
        scale = {"元": Decimal(100), "万元": Decimal(10**6), "亿元": Decimal(10**10)}[unit]
        assert Decimal(number.replace(",", "")) * scale == fen
        assert (unit == "元") == (fen == 0 or fen % 10**6 != 0)


def _written(fen: int) -> str:
    """The text of ``fen`` as Python formats it (the reference :func:`_yuan` writes
    from tables): ``-1,234,567.89 元``."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d} 元"


# Every group count _yuan writes by table (under 10^3, 10^6 and 10^9 元) and past them,
# each bound and its neighbours.
_BOUNDS = [10**k * 100 + d for k in (3, 6, 9) for d in (-1, 0, 1)]


@given(
    st.one_of(
        st.integers(min_value=-(10**14), max_value=10**14),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.sampled_from([0, *_BOUNDS, *(-b for b in _BOUNDS)]),
    )
)
def test_a_fen_text_is_the_formatted_one(fen: int) -> None:
    """``_yuan`` (from tables of cents and digit groups) writes what Python's formatting
    of the yuan and the cents writes, for any int: the sign, commas every three digits,
    two places."""
    assert _yuan(fen) == _written(fen)


def test_a_fen_text_worked_by_hand() -> None:
    """123,456,789.05 元 is 12,345,678,905 fen; 999.99 元 is 99,999; −1,000.00 元 is −100,000."""
    assert _yuan(12_345_678_905) == "123,456,789.05 元"
    assert _yuan(99_999) == "999.99 元"
    assert _yuan(-100_000) == "-1,000.00 元"
    assert _yuan(100_000_000_000) == "1,000,000,000.00 元"


@given(
    st.one_of(
        st.integers(min_value=-(10**14), max_value=10**14),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.sampled_from([0, 1, -1, 99, -99, 100, -100, 101, *_BOUNDS]),
    )
)
def test_yuan_digits_is_the_decimal_text(fen: int) -> None:
    """``yuan_digits`` (what JSON writes of an amount) is ``str`` of the exact yuan, the
    Decimal JSON wrote before, for any int: never an exponent, always two places."""
    assert yuan_digits(fen) == str(Money(fen).yuan)


def test_yuan_digits_worked_by_hand() -> None:
    """2,000,000.00 元 is 200,000,000 fen; -0.05 元 is -5; 0.00 元 is 0."""
    assert yuan_digits(200_000_000) == "2000000.00"
    assert yuan_digits(-5) == "-0.05"
    assert yuan_digits(0) == "0.00"
    assert yuan_digits(123_456_789_05) == "123456789.05"
