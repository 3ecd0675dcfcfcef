"""Money at the fen: rate × base rounded down, caps never passed by one fen, exact arithmetic.

The award cases are a policy on disk, loaded with ``policyrules.load``; every expected amount
is worked out in fen by hand (1 元 = 100 fen, 1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import policyrules
from policyrules import Money, Policy
from policyrules.runtime.money import Rounding

POLICY = """entity project "项目"
  list projects
  fact base: money
  fact total: money
  fact share: rate

document d "测试"

clause 1 "补助"
  quote "q"

  award grant "补助"
    for each project
    amount share of base
    cap 33% of total
    cap 100 万元 per project
"""


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    folder = tmp_path_factory.mktemp("money")
    (folder / "t.rule").write_text(POLICY, encoding="utf-8")
    return policyrules.load(folder)


def _award(policy: Policy, ledger: list[dict[str, Any]] | None = None, **facts: str) -> int:
    (d,) = policy.evaluate({"projects": [{"id": "x", **facts}]}, ledger=ledger).decisions
    assert d.status == "eligible"
    assert d.amount_kind == "exact"
    assert d.amount is not None
    return d.amount.fen


@pytest.mark.parametrize(
    ("share", "base", "total", "fen"),
    [
        # 50% of 100 元 = 50 元; cap 33% of 100.01 元 = 33.0033 元 -> 33.00 元 (down): 3300.
        ("50%", "100", "100.01", 3300),
        # 33% of 100 元 = 33 元 = the cap 33% of 100 元 exactly: 3300.
        ("33%", "100", "100", 3300),
        # 33% of 100.03 元 = 33.0099 -> 33.00; cap 33% of 100.03 = 33.0099 -> 33.00: 3300.
        ("33%", "100.03", "100.03", 3300),
        # 12.5% of 0.07 元 = 0.00875 元 -> 0; the cap (33% of 1 万元 = 3300 元) is far.
        ("12.5%", "0.07", "10000", 0),
        # 99.99% of 0.99 元 = 0.989901 元 -> 0.98 元 (down, never 0.99).
        ("99.99%", "0.99", "10000", 98),
        # 30% of 12,345.67 元 = 3,703.701 元 -> 3,703.70 元.
        ("30%", "12345.67", "100000", 370370),
        # 100% of 500 万元 = 500 万元, cut to 100 万元 per project.
        ("100%", "500 万元", "10000 万元", 100 * 1_000_000),
    ],
)
def test_rate_and_caps_round_down(
    policy: Policy, share: str, base: str, total: str, fen: int
) -> None:
    assert _award(policy, share=share, base=base, total=total) == fen


def test_per_project_cap_room_to_the_fen(policy: Policy) -> None:
    """Ledger: 999,999.99 元 paid to x; the 100 万元 cap leaves 0.01 元, never 0.02 or 0.
    x's entitlement is 100% of 2,000,000 元; the rest after 999,999.99 元 is 1,000,000.01 元;
    the claim's own cap 33% of 10,000,000 元 = 3,300,000 元 leaves 2,300,000.01 元."""
    paid = {"provision": "d/1/grant", "project": "x", "amount": "999999.99"}
    facts = {"share": "100%", "base": "2000000", "total": "10000000"}
    assert _award(policy, [paid], **facts) == 1
    # Exactly used up: 0.00 元 left.
    used = {**paid, "amount": "1000000"}
    assert _award(policy, [used], **facts) == 0
    # Another project's grant leaves x's cap whole: min(2,000,000, 3,300,000, 1,000,000) 元.
    other = {**paid, "project": "y"}
    assert _award(policy, [other], **facts) == 100_000_000


# ---- Money itself --------------------------------------------------------------------------

_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@pytest.mark.parametrize("op", sorted(_CMP))
@pytest.mark.parametrize(("a", "b"), [(-1, 0), (99, 100), (100, 100), (101, 100), (0, -1)])
def test_money_compares_as_its_fen(op: str, a: int, b: int) -> None:
    assert _CMP[op](Money(a), Money(b)) is _CMP[op](a, b)


def test_money_arithmetic() -> None:
    """1.01 元 + 0.99 元 = 2.00 元; 1.01 - 0.99 = 0.02; -(1.01) = -1.01; 0 is falsy."""
    a, b = Money.parse("1.01"), Money.parse("0.99")
    assert (a + b).fen == 200
    assert (a - b).fen == 2
    assert (b - a).fen == -2
    assert (-a).fen == -101
    assert bool(Money.zero()) is False
    assert bool(Money(-1)) is True
    assert Money.of(1, "万元") + Money.of(1, "亿元") == Money(1_000_000 + 10_000_000_000)


@pytest.mark.parametrize(
    ("fen", "rate", "rounding", "expected"),
    [
        (1001, "0.5", Rounding.DOWN, 500),  # 500.5
        (1001, "0.5", Rounding.UP, 501),
        (1001, "0.5", Rounding.HALF_UP, 501),
        (1003, "0.5", Rounding.HALF_UP, 502),  # 501.5 -> 502
        (1000, "0.3333", Rounding.HALF_UP, 333),  # 333.3
        (-1001, "0.5", Rounding.DOWN, -500),  # toward zero
        (-1001, "0.5", Rounding.UP, -501),  # away from zero
        (1000, "0.3", Rounding.DOWN, 300),  # exact: no rounding
        (1000, "0.3", Rounding.UP, 300),
        (7, "1", Rounding.DOWN, 7),
        (7, "0", Rounding.UP, 0),
    ],
)
def test_times_rounding(fen: int, rate: str, rounding: Rounding, expected: int) -> None:
    assert Money(fen).times(Decimal(rate), rounding) == Money(expected)


def test_times_default_is_down() -> None:
    """30% of 0.99 元 = 0.297 元 -> 0.29 元 unless asked otherwise."""
    assert Money(99).times(Decimal("0.3")) == Money(29)


def test_parse_and_format_round_trip() -> None:
    """Units: 1.5 亿元 = 150,000,000.00 元; 0.01 万元 = 100 元; a bare 12.3 is 元."""
    assert Money.parse("1.5亿元") == Money(15_000_000_000)
    assert Money.parse("0.01 万元") == Money(10_000)
    assert Money.parse("12.3") == Money(1230)
    assert Money.parse("-5 元") == Money(-500)
    assert str(Money(-123456)) == "-1,234.56 元"
    assert str(Money(5)) == "0.05 元"
    assert Money(123456).yuan == Decimal("1234.56")
    assert Money.of(200, "万元").format_cn() == "200 万元"
    assert Money.of(3, "亿元").format_cn() == "3 亿元"


def test_rates_parse_exactly() -> None:
    from policyrules.runtime.money import format_rate, parse_rate

    assert parse_rate("12.5%") == Decimal("0.125")
    assert parse_rate("100%") == Decimal("1")
    assert format_rate(Decimal("0.125")) == "12.5%"
    assert format_rate(Decimal("1")) == "100%"
    assert format_rate(Decimal("0")) == "0%"


def test_times_takes_a_decimal_rate_only() -> None:
    """A rate is a Decimal (or an int); text, a bool or a float is refused, not read."""
    assert Money(100).times(1) == Money(100)
    with pytest.raises(TypeError):
        Money(100).times("0.3")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(100).times(True)
    with pytest.raises(ValueError, match="float"):
        Money(100).times(0.3)  # type: ignore[arg-type]


def test_forty_digits_of_fen_is_the_bound_on_each_path() -> None:
    """At most 40 digits of fen: 10^38 - 1 元 is 40 digits of fen (accepted) and 10^38 元
    is 41 (refused) when given as an int; given as a Decimal, 37 nines of 元 (39 digits of
    fen) are accepted and 39 digits of 元 refused."""
    assert Money.of(10**38 - 1, "元").fen == (10**38 - 1) * 100
    with pytest.raises(ValueError, match="too large"):
        Money.of(10**38, "元")
    nines = Decimal("9" * 37)
    assert Money.of(nines, "元").fen == int("9" * 37) * 100
    with pytest.raises(ValueError, match="too large"):
        Money.of(Decimal("9" * 39), "元")
