"""Every operator and built-in of the expression language, evaluated through a loaded policy.

Each case is a one-provision policy written to a temporary directory and read back with
``policyrules.load``: a money expression is the ``amount`` of an award (so its value is the
decision's amount), a condition is the ``require`` of a target (met / not_met / unknown).
Expected values are worked out by hand from the expression; the arithmetic is in the comments.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Money, Policy

HEADER = """enum Kind "类别" { alpha "甲", beta "乙", gamma "丙" }

entity firm "企业"
  list firms
  fact m1: money
  fact m2: money
  fact m3: money
  fact n1: number
  fact n2: number
  fact r: rate
  fact d1: date
  fact d2: date
  fact w1: 工作日
  fact w2: 工作日
  fact c1: 日
  fact c2: 周
  fact o1: 月
  fact o2: 年
  fact a: bool
  fact b: bool
  fact c: bool
  fact kind: Kind
  fact kinds: set of Kind
  fact ms: list of money
  fact ns: list of number
  fact ws: list of 工作日
  fact ds: list of date

document d "测试"
  valid from 2025-03-01 to 2025-12-31

clause 1 "条"
  quote "q"
"""

WAN = 1_000_000  # fen in 1 万元
YUAN = 100  # fen in 1 元

Build = Callable[[str], Policy]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Load (once per text) a policy of HEADER plus some provisions, from a real directory."""
    cache: dict[str, Policy] = {}

    def load(provisions: str) -> Policy:
        if provisions not in cache:
            folder = tmp_path_factory.mktemp("policy")
            (folder / "t.rule").write_text(HEADER + provisions, encoding="utf-8")
            cache[provisions] = policyrules.load(folder)
        return cache[provisions]

    return load


def _firm(facts: dict[str, Any]) -> dict[str, Any]:
    return {"firms": [{"id": "f", **facts}]}


def amount(build: Build, expr: str, **facts: Any) -> tuple[Money | None, str | None]:
    """The amount and its kind of `award x  for each firm  amount EXPR`."""
    policy = build(f"\n  award x\n    for each firm\n    amount {expr}\n")
    (d,) = policy.evaluate(_firm(facts)).decisions
    assert d.status == "eligible"
    return d.amount, d.amount_kind


def no_amount(build: Build, expr: str, **facts: Any) -> bool:
    """Whether `amount EXPR` pays nothing certain: no amount (the decision or the amount is
    unknown), never an exact or bounded figure."""
    policy = build(f"\n  award x\n    for each firm\n    amount {expr}\n")
    (d,) = policy.evaluate(_firm(facts)).decisions
    return d.status in ("eligible", "unknown") and d.amount is None and d.amount_kind != "exact"


def fen(build: Build, expr: str, **facts: Any) -> int:
    """The exact amount of `amount EXPR`, in fen."""
    money, kind = amount(build, expr, **facts)
    assert kind == "exact"
    assert money is not None
    return money.fen


def truth(build: Build, expr: str, **facts: Any) -> bool | None:
    """`require EXPR` of a target: True (met), False (not met) or None (unknown)."""
    policy = build(f"\n  target t\n    for each firm\n    require {expr}\n")
    (d,) = policy.evaluate(_firm(facts)).decisions
    return {"met": True, "not_met": False, "unknown": None}[d.status]


def eligible(build: Build, expr: str, **facts: Any) -> bool | None:
    """`eligible when EXPR` of an entitlement: True, False (not eligible) or None (unknown)."""
    policy = build(
        f'\n  entitlement e\n    for each firm\n    eligible when {expr}\n    consequence "x"\n'
    )
    (d,) = policy.evaluate(_firm(facts)).decisions
    return {"eligible": True, "not_eligible": False, "unknown": None}[d.status]


# ---- arithmetic on money -------------------------------------------------------------------


def test_rate_of_a_sum(build: Build) -> None:
    """The issue's example: 30% of (100 万元 + 40 万元) = 30% of 140 万元 = 42 万元 (not 18)."""
    assert fen(build, "30% of (m1 + m2)", m1="100 万元", m2="40 万元") == 42 * WAN


def test_rate_of_binds_tighter_than_plus(build: Build) -> None:
    """`30% of m1 + m2` is (30% of 100 万元) + 40 万元 = 30 + 40 = 70 万元."""
    assert fen(build, "30% of m1 + m2", m1="100 万元", m2="40 万元") == 70 * WAN


def test_money_minus(build: Build) -> None:
    """100 万元 - 40 万元 = 60 万元; reversed, 40 - 100 is below zero and pays 0."""
    assert fen(build, "m1 - m2", m1="100 万元", m2="40 万元") == 60 * WAN
    assert fen(build, "m2 - m1", m1="100 万元", m2="40 万元") == 0


def test_subtraction_is_left_associative(build: Build) -> None:
    """m1 - m2 - m3 = (100 - 40) - 10 = 50 万元, not 100 - (40 - 10) = 70."""
    assert fen(build, "m1 - m2 - m3", m1="100 万元", m2="40 万元", m3="10 万元") == 50 * WAN


def test_unary_minus(build: Build) -> None:
    """-m2 + m1 = -40 + 100 = 60 万元; m1 - -m2 = 100 + 40 = 140 万元."""
    assert fen(build, "-m2 + m1", m1="100 万元", m2="40 万元") == 60 * WAN
    assert fen(build, "m1 - -m2", m1="100 万元", m2="40 万元") == 140 * WAN


def test_number_times_money(build: Build) -> None:
    """3 × 40 万元 = 120 万元, written with × and with *, number first or money first."""
    assert fen(build, "n1 × m2", n1=3, m2="40 万元") == 120 * WAN
    assert fen(build, "m2 * n1", n1=3, m2="40 万元") == 120 * WAN


def test_rate_times_money_rounds_down(build: Build) -> None:
    """12.5% × 12,345.67 元 = 1,543.20875 元: rounded down to 1,543.20 元, never up."""
    assert fen(build, "r × m1", r="12.5%", m1="12345.67") == 154320
    assert fen(build, "m1 × r", r="12.5%", m1="12345.67") == 154320
    assert fen(build, "r of m1", r="12.5%", m1="12345.67") == 154320
    # 30% of 0.99 元 = 0.297 元 -> 0.29 元 (half-up would give 0.30)
    assert fen(build, "r of m1", r="30%", m1="0.99") == 29


def test_number_times_money_rounds_down(build: Build) -> None:
    """0.5 × 0.03 元 = 0.015 元 -> 0.01 元 (down, not 0.02)."""
    assert fen(build, "n1 × m1", n1="0.5", m1="0.03") == 1


def test_rate_of_rate_and_number(build: Build) -> None:
    """Products of plain numbers: (30% × 50%) of 100 元 = 15% of 100 元 = 15 元;
    (30% of 10) × 1 元 = 3 元; (4 × 2.5) × 1 元 = 10 元; (4 + 2.5) × 1 元 = 6.5 元;
    (4 - 2.5) × 1 元 = 1.5 元; (30% + 5%) of 100 元 = 35 元."""
    assert fen(build, "(r × 50%) of m1", r="30%", m1="100") == 15 * YUAN
    assert fen(build, "(r of n1) × 1 元", r="30%", n1=10) == 3 * YUAN
    assert fen(build, "(n1 × n2) × 1 元", n1=4, n2="2.5") == 10 * YUAN
    assert fen(build, "(n1 + n2) × 1 元", n1=4, n2="2.5") == 650
    assert fen(build, "(n1 - n2) × 1 元", n1=4, n2="2.5") == 150
    assert fen(build, "(r + 5%) of m1", r="30%", m1="100") == 35 * YUAN


def test_unknown_operand_makes_the_amount_unknown(build: Build) -> None:
    """A sum with a missing fact is unknown, and so is the award: nothing is paid."""
    assert no_amount(build, "30% of (m1 + m2)", m1="100 万元")


# ---- comparisons ---------------------------------------------------------------------------

_OPS: dict[str, Callable[[int, int], bool]] = {
    "=": lambda x, y: x == y,
    "!=": lambda x, y: x != y,
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
    "≠": lambda x, y: x != y,
    "≤": lambda x, y: x <= y,
    "≥": lambda x, y: x >= y,
}

# (left fact, right fact, how to write the small whole number k as that fact's value)
_KINDS: dict[str, tuple[str, str, Callable[[int], Any]]] = {
    "money": ("m1", "m2", lambda k: f"{k}.01 元"),
    "number": ("n1", "n2", lambda k: f"{k}.5"),
    "date": ("d1", "d2", lambda k: f"2025-06-{k + 10:02d}"),
    "workdays": ("w1", "w2", lambda k: k),
}


@pytest.mark.parametrize("op", sorted(_OPS))
@pytest.mark.parametrize("kind", sorted(_KINDS))
@pytest.mark.parametrize(("x", "y"), [(1, 2), (2, 2), (2, 1)])
def test_comparison_table(build: Build, op: str, kind: str, x: int, y: int) -> None:
    """Each comparison on each comparable type gives what it gives on the integers x, y."""
    left, right, value = _KINDS[kind]
    got = truth(build, f"{left} {op} {right}", **{left: value(x), right: value(y)})
    assert got is _OPS[op](x, y)


@pytest.mark.parametrize("op", sorted(_OPS))
def test_comparison_with_unknown_is_unknown(build: Build, op: str) -> None:
    """A comparison with a missing side is unknown, whichever side is missing."""
    assert truth(build, f"m1 {op} m2", m1="1 元") is None
    assert truth(build, f"m1 {op} m2", m2="1 元") is None


def test_comparison_against_literals(build: Build) -> None:
    """Literals of each type: 100 万元 = 1,000,000.00 元; 2 周 = 14 日; 1 年 = 12 月."""
    assert truth(build, "m1 = 1000000 元", m1="100 万元") is True
    assert truth(build, "m1 > 100 万元", m1="100 万元") is False
    assert truth(build, "m1 >= 100 万元", m1="100 万元") is True
    assert truth(build, "c2 = 14 日", c2=2) is True
    assert truth(build, "c2 < 14 日", c2=2) is False
    assert truth(build, "c2 > 13 日", c2=2) is True
    assert truth(build, "o2 = 12 月", o2=1) is True
    assert truth(build, "o2 > o1", o1=13, o2=1) is False  # 1 年 = 12 月 < 13 月
    assert truth(build, "d1 < 2025-06-01", d1="2025-05-31") is True
    assert truth(build, "d1 < 2025-06-01", d1="2025-06-01") is False


def test_duration_arithmetic(build: Build) -> None:
    """3 日 + 2 周 = 17 日; 2 周 - 3 日 = 11 日; 4 + 6 工作日 = 10 工作日; 2 × 3 日 = 6 日;
    1 年 + 1 月 = 13 月."""
    assert truth(build, "c1 + c2 = 17 日", c1=3, c2=2) is True
    assert truth(build, "c2 - c1 = 11 日", c1=3, c2=2) is True
    assert truth(build, "c2 + c1 = 16 日", c1=3, c2=2) is False
    assert truth(build, "w1 + w2 = 10 工作日", w1=4, w2=6) is True
    assert truth(build, "w2 - w1 = 2 工作日", w1=4, w2=6) is True
    assert truth(build, "n1 × c1 = 6 日", n1=2, c1=3) is True
    assert truth(build, "c1 × n1 = 6 日", n1=2, c1=3) is True
    assert truth(build, "o2 + o1 = 13 月", o1=1, o2=1) is True
    assert truth(build, "-c1 < 0 日", c1=3) is True


# ---- three-valued logic --------------------------------------------------------------------

T, F, U = True, False, None


def _k_not(x: bool | None) -> bool | None:
    return None if x is None else not x


def _k_and(x: bool | None, y: bool | None) -> bool | None:
    if x is False or y is False:
        return False
    return None if x is None or y is None else True


def _k_or(x: bool | None, y: bool | None) -> bool | None:
    if x is True or y is True:
        return True
    return None if x is None or y is None else False


# Kleene's tables: false < unknown < true; `and` is the least, `or` the greatest.
NESTED: dict[str, Callable[[bool | None, bool | None, bool | None], bool | None]] = {
    "a and b": lambda a, b, c: _k_and(a, b),
    "a or b": lambda a, b, c: _k_or(a, b),
    "not a": lambda a, b, c: _k_not(a),
    "a and (b or c)": lambda a, b, c: _k_and(a, _k_or(b, c)),
    "a or (b and c)": lambda a, b, c: _k_or(a, _k_and(b, c)),
    "a or b and c": lambda a, b, c: _k_or(a, _k_and(b, c)),  # `and` binds tighter
    "(a or b) and c": lambda a, b, c: _k_and(_k_or(a, b), c),
    "not (a and b)": lambda a, b, c: _k_not(_k_and(a, b)),
    "not (a or b)": lambda a, b, c: _k_not(_k_or(a, b)),
    "not a and b": lambda a, b, c: _k_and(_k_not(a), b),  # `not` binds tighter than `and`
    "not a or not (b and c)": lambda a, b, c: _k_or(_k_not(a), _k_not(_k_and(b, c))),
    "a and b and c": lambda a, b, c: _k_and(_k_and(a, b), c),
    "a or b or c": lambda a, b, c: _k_or(_k_or(a, b), c),
}


def _bools(a: bool | None, b: bool | None, c: bool | None) -> dict[str, bool]:
    return {k: v for k, v in (("a", a), ("b", b), ("c", c)) if v is not None}


@pytest.mark.parametrize("expr", sorted(NESTED))
def test_three_valued_truth_tables(build: Build, expr: str) -> None:
    """All 27 combinations of true/false/unknown for each nested `and`/`or`/`not` shape,
    both as a target's `require` and as an `eligible when` (which splits the `and`s)."""
    for a, b, c in itertools.product((T, F, U), repeat=3):
        expected = NESTED[expr](a, b, c)
        assert truth(build, expr, **_bools(a, b, c)) is expected, (expr, a, b, c)
        assert eligible(build, expr, **_bools(a, b, c)) is expected, (expr, a, b, c)


def test_kleene_examples_by_hand(build: Build) -> None:
    """false and unknown = false; true or unknown = true; true and unknown = unknown;
    a and (b or c) with a true, b unknown, c true: true and (unknown or true) = true;
    not (a and b) with a false, b unknown: not false = true."""
    assert truth(build, "a and b", a=False) is False
    assert truth(build, "a or b", a=True) is True
    assert truth(build, "a and b", a=True) is None
    assert truth(build, "a and (b or c)", a=True, c=True) is True
    assert truth(build, "a and (b or c)", a=True, b=False) is None
    assert truth(build, "not (a and b)", a=False) is True
    assert truth(build, "not (a or b)", b=True) is False


# ---- sets, if, in force --------------------------------------------------------------------


def test_membership(build: Build) -> None:
    """`in` and `not in` a literal set and a fact set; `= {}` and `!= {}`."""
    assert truth(build, "kind in {alpha, beta}", kind="beta") is True
    assert truth(build, "kind in {alpha, beta}", kind="gamma") is False
    assert truth(build, "kind not in {alpha, beta}", kind="beta") is False
    assert truth(build, "kind not in {alpha, beta}", kind="gamma") is True
    assert truth(build, "kind in {alpha, beta}") is None
    assert truth(build, "alpha in kinds", kinds=["alpha", "gamma"]) is True
    assert truth(build, "beta in kinds", kinds=["alpha", "gamma"]) is False
    assert truth(build, "beta not in kinds", kinds=["alpha", "gamma"]) is True
    assert truth(build, "kinds = {}", kinds=[]) is True
    assert truth(build, "kinds != {}", kinds=[]) is False
    assert truth(build, "kinds != {}", kinds=["beta"]) is True
    assert truth(build, "kinds = {gamma, alpha}", kinds=["alpha", "gamma"]) is True
    assert truth(build, "Kind.alpha = kind", kind="alpha") is True


def test_if_then_else(build: Build) -> None:
    """`if a then m1 else m2` pays m1 when a holds, m2 when not, and is unknown (pays
    nothing certain) when a is unknown; the branch not taken is never read."""
    ms = {"m1": "100 万元", "m2": "40 万元"}
    assert fen(build, "if a then m1 else m2", a=True, **ms) == 100 * WAN
    assert fen(build, "if a then m1 else m2", a=False, **ms) == 40 * WAN
    assert no_amount(build, "if a then m1 else m2", **ms)
    assert fen(build, "if a then m1 else m2", a=True, m1="7 元") == 7 * YUAN
    assert fen(build, "if a then m1 else m2", a=False, m2="8 元") == 8 * YUAN
    assert truth(build, "if a then b else c", b=True, c=False) is None
    # Both branches known and equal: the condition does not matter (the guide, §4).
    assert truth(build, "if a then b else c", b=True, c=True) is True
    assert truth(build, "if not a then b else c", a=False, b=True, c=False) is True


def test_if_with_unknown_condition_is_not_the_then_branch(build: Build) -> None:
    """An unknown condition never pays the `then` branch, even if the else is zero."""
    assert no_amount(build, "if a then 30% of m1 else 0 元", m1="100 万元")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-02-28", False),  # the day before validity starts
        ("2025-03-01", True),  # the first day
        ("2025-07-15", True),
        ("2025-12-31", True),  # the last day
        ("2026-01-01", False),  # the day after
    ],
)
def test_in_force_boundaries(build: Build, day: str, expected: bool) -> None:
    """`d in force` for a document valid from 2025-03-01 to 2025-12-31, both ends included."""
    assert truth(build, "d1 in force", d1=day) is expected
    assert eligible(build, "d1 in force", d1=day) is expected


def test_in_force_unknown(build: Build) -> None:
    assert truth(build, "d1 in force") is None
    assert truth(build, "not d1 in force", d1="2026-01-01") is True


# ---- built-ins -----------------------------------------------------------------------------


def test_max_and_min_of_arguments(build: Build) -> None:
    """max(10, 30, 20 万元) = 30 万元 and min = 10 万元, wherever the extreme stands."""
    for m1, m2, m3 in itertools.permutations(("10 万元", "30 万元", "20 万元")):
        ms = {"m1": m1, "m2": m2, "m3": m3}
        assert fen(build, "max(m1, m2, m3)", **ms) == 30 * WAN
        assert fen(build, "min(m1, m2, m3)", **ms) == 10 * WAN
    assert fen(build, "max(m1, m2)", m1="1 元", m2="2 元") == 2 * YUAN
    assert fen(build, "min(m1, m2)", m1="1 元", m2="2 元") == 1 * YUAN
    assert no_amount(build, "max(m1, m2, m3)", m1="1 元", m2="2 元")


def test_max_and_min_of_a_list(build: Build) -> None:
    """Of one list: max [5, 9, 2 元] = 9 元, min = 2 元; an empty list has no max or min."""
    ms = ["5 元", "9 元", "2 元"]
    assert fen(build, "max(ms)", ms=ms) == 9 * YUAN
    assert fen(build, "min(ms)", ms=ms) == 2 * YUAN
    assert no_amount(build, "max(ms)", ms=[])
    assert no_amount(build, "min(ms)", ms=[])
    assert fen(build, "max(ns) × 1 元", ns=[3, 11, 7]) == 11 * YUAN
    assert truth(build, "max(ws) = 8 工作日", ws=[8, 2, 5]) is True
    assert truth(build, "min(ws) = 2 工作日", ws=[8, 2, 5]) is True
    assert truth(build, "max(ds) = 2025-09-01", ds=["2025-01-01", "2025-09-01"]) is True
    assert truth(build, "min(d1, d2) = d1", d1="2025-01-01", d2="2025-09-01") is True


def test_max_of_durations_compares_in_one_dimension(build: Build) -> None:
    """max(3 日, 2 周) = 2 周 (14 日), though 3 > 2 as bare numbers."""
    assert truth(build, "max(c1, c2) = 14 日", c1=3, c2=2) is True
    assert truth(build, "min(c1, c2) = 3 日", c1=3, c2=2) is True


def test_sum_count_average(build: Build) -> None:
    """[1 元, 0.01 元]: sum 1.01 元, count 2, average 1.01 / 2 = 0.505 -> 0.50 元 (down).
    [3, 4, 5.5]: sum 12.5, average 12.5 / 3 = 4.1666… -> × 1 元 = 4.16 元 (down)."""
    ms = ["1 元", "0.01 元"]
    assert fen(build, "sum(ms)", ms=ms) == 101
    assert fen(build, "count(ms) × 1 元", ms=ms) == 2 * YUAN
    assert fen(build, "average(ms)", ms=ms) == 50
    assert fen(build, "average(ms)", ms=["3 元", "4 元", "8 元"]) == 5 * YUAN  # 15 / 3
    assert fen(build, "sum(ms)", ms=["7 元"]) == 7 * YUAN
    ns = [3, 4, "5.5"]
    assert fen(build, "sum(ns) × 1 元", ns=ns) == 1250
    assert fen(build, "average(ns) × 1 元", ns=ns) == 416
    assert truth(build, "average(ws) = 5 工作日", ws=[4, 6]) is True
    assert truth(build, "sum(ws) = 10 工作日", ws=[4, 6]) is True
    assert truth(build, "average(ws) <= 60 工作日", ws=[61, 60]) is False  # 60.5


def test_count_of_empty_and_aggregates_of_empty(build: Build) -> None:
    """count([]) = 0 and sum([]) = 0 元; average of an empty list has no value."""
    assert truth(build, "count(ms) = 0", ms=[]) is True
    assert truth(build, "count(kinds) = 2", kinds=["alpha", "beta"]) is True
    assert fen(build, "sum(ms)", ms=[]) == 0
    # sum of an empty list is 0 in its unit: 0 (a number), 0 工作日.
    assert fen(build, "sum(ns) × 1 元 + 1 元", ns=[]) == 1 * YUAN
    assert truth(build, "sum(ws) = 0 工作日", ws=[]) is True
    assert no_amount(build, "average(ms)", ms=[])
    assert no_amount(build, "sum(ms)")


def test_known(build: Build) -> None:
    """known(x) is true or false, never unknown; it guards a condition on x."""
    assert truth(build, "known(m1)", m1="0 元") is True
    assert truth(build, "known(m1)") is False
    assert truth(build, "not known(m1)") is True
    assert truth(build, "known(m1) and m1 > 0 元") is False
    assert truth(build, "not known(a) or a") is True
    assert truth(build, "not known(a) or a", a=False) is False


def test_year(build: Build) -> None:
    """year(2025-06-01) = 2025, so × 1 元 = 2,025 元; year of a missing date is unknown."""
    assert fen(build, "year(d1) × 1 元", d1="2025-06-01") == 2025 * YUAN
    assert truth(build, "year(d1) = 2026", d1="2026-01-01") is True
    assert truth(build, "year(d1) = 2026", d1="2025-12-31") is False
    assert truth(build, "year(d1) = 2026") is None


# ---- the same through a file on disk and the command line ---------------------------------


def test_cli_eval_of_an_amount(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policyrules eval --json` prints the amount 30% of (100 万元 + 40 万元) = 420000.00 元."""
    import json

    from policyrules.cli import main

    (tmp_path / "t.rule").write_text(
        HEADER + "\n  award x\n    for each firm\n    amount 30% of (m1 + m2)\n", encoding="utf-8"
    )
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(_firm({"m1": "100 万元", "m2": "40 万元"})), encoding="utf-8")
    assert main(["eval", str(tmp_path), str(facts), "--json"]) == 0
    (decision,) = json.loads(capsys.readouterr().out)["decisions"]
    assert Money.parse(decision["amount"]) == Money.of(42, "万元")
    assert decision["amount_kind"] == "exact"
