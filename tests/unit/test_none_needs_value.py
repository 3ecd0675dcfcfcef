"""A value that may be none where the language needs a value (E282), construct by construct.

A fact declared `or none` may be stated absent; arithmetic on it, a comparison's order and
`year(...)` were refused already.  These constructs took it unchecked and stopped the
evaluation with a bare Python error (AssertionError, TypeError) on a firm that stated none:
a cap's year, a schedule's start, a rate range's base, a range's ends and decided rate,
`progressive`, a table's key (and `reaches`), `convert()`, a quota's rank.  Each is now
refused when the policy is checked, with a hint: say what none counts as (`otherwise`), or,
for a fact the agency decides, declare it without none.  Written with `otherwise`, each
runs on both paths.
"""

from __future__ import annotations

import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

from policyrules import Money
from policyrules.errors import RuleCheckError

# A tier table, an exchange rate and the firm's entity, its facts after (shared with
# tests/property/test_none_positions_props.py).
TABLE_RATE_FIRM = """table scale: money to money
  from 0 元 give 1 万元
  from 100 万元 give 5 万元

parameter usd: exchange(USD)

entity firm "企业"
  list firms
"""

HEAD = (
    TABLE_RATE_FIRM
    + """  fact title_on: date or none
  fact invest: money or none
  fact ex: money(USD) or none
  fact r: rate or none
  fact m: money or none
  fact rank: number or none

document t "测试"
  valid from 2025-01-01 to 2027-12-31

clause 1
  quote "q"
  award z
    for each firm
"""
)

REFUSED = [
    (
        "amount 1 万元\n    cap 1 万元 per firm per year of title_on",
        "the date that picks the year needs a value, but title_on may be none (date or none)",
    ),
    (
        "amount 10 万元\n    paid over 2 years from title_on: 60%, 40% remainder first",
        "a schedule's start needs a value, but title_on may be none (date or none)",
    ),
    (
        "amount 10 万元\n    paid yearly for 2 years from title_on",
        "a schedule's start needs a value, but title_on may be none (date or none)",
    ),
    (
        "amount 10% to 30% of invest",
        "a rate range's base needs a value, but invest may be none (money or none)",
    ),
    (
        "amount invest to 30 万元",
        "a range's end needs a value, but invest may be none (money or none)",
    ),
    (
        "amount 10% to 30% of 5 万元 decided r",
        "'r' may be none (rate or none): the choice in a range is a rate",
    ),
    (
        "amount 10 万元 to 30 万元 decided m",
        "'m' may be none (money or none): the choice in a range is an amount",
    ),
    (
        "amount progressive invest band up to 100 万元 pays 10% band above pays 5%",
        "`progressive` needs a value, but invest may be none (money or none)",
    ),
    (
        "amount progressive 5 万元 band up to m pays 10% band above pays 5%",
        "a band's limit needs a value, but m may be none (money or none)",
    ),
    (
        "amount progressive 5 万元 band up to 1 万元 pays r band above pays 5%",
        "a band's rate needs a value, but r may be none (rate or none)",
    ),
    (
        "eligible when invest reaches scale\n    amount 1 万元",
        "a table's key needs a value, but invest may be none (money or none)",
    ),
    (
        "amount scale[invest]",
        "a table's key needs a value, but invest may be none (money or none)",
    ),
    (
        "quota 2 ranked by rank\n    amount 1 万元",
        "'rank' may be none (number or none): a quota ranks by a number",
    ),
    (
        "amount 2% of convert(ex, usd)",
        "convert() needs a value, but ex may be none (money(USD) or none)",
    ),
]


@pytest.mark.parametrize(("lines", "message"), REFUSED)
def test_a_value_that_may_be_none_is_refused_where_a_value_is_needed(
    lines: str, message: str
) -> None:
    with pytest.raises(RuleCheckError) as info:
        compile_text(HEAD + f"    {lines}\n")
    (d,) = [d for d in info.value.diagnostics if d.code == "E282"]
    assert d.message == message
    if "'rank'" in message:
        assert d.hint == "declare it `number` (a subject not yet ranked is left without the fact)"
    elif "the choice" in message:  # a fact the agency decides is declared without none
        assert d.hint == ("declare it `rate`" if "'r'" in message else "declare it `money`")
    else:  # any other value is given one
        name = message.split(", but ")[1].split()[0]
        assert d.hint == f"say what none counts as: `{name} otherwise ...`"


FIRMS = {
    "firms": [
        {"id": "A", "invest": "none", "title_on": "none", "m": "none", "ex": "none"},
        {"id": "B", "invest": "300 万元", "title_on": "2026-02-01", "m": "2 万元"}
        | {"ex": "1 万美元"},
        {"id": "C"},
    ]
}

# (status, amount, lower bound, kind, missing facts) of firms A (stated none), B (300 万元,
# 2026-02-01, 2 万元) and C (nothing stated), in fen.
WRITTEN = [
    (
        # 1 万元 = 1,000,000 fen under a cap of as much; C's year is unknown: at most.
        "amount 1 万元\n    cap 1 万元 per firm per year of (title_on otherwise 2025-06-01)",
        ("eligible", 1_000_000, None, "exact", []),
        ("eligible", 1_000_000, None, "exact", []),
        ("eligible", 1_000_000, None, "up_to", ["firm.title_on"]),
    ),
    (
        # A: 10%..30% of 0 = 0; B: 10% × 300 万 = 30 万 .. 30% × 300 万 = 90 万.
        "amount 10% to 30% of (invest otherwise 0 元)",
        ("eligible", 0, None, "exact", []),
        ("eligible", 90_000_000, 30_000_000, "range", []),
        ("eligible", None, None, "unknown", ["firm.invest"]),
    ),
    (
        # A: 1 万 .. 30 万; B: 2 万 .. 30 万.
        "amount (m otherwise 1 万元) to 30 万元",
        ("eligible", 30_000_000, 1_000_000, "range", []),
        ("eligible", 30_000_000, 2_000_000, "range", []),
        ("eligible", None, None, "unknown", ["firm.m"]),
    ),
    (
        # B: 100 万 × 10% + (300 - 100) 万 × 5% = 10 万 + 10 万 = 20 万.
        "amount progressive (invest otherwise 0 元) band up to 100 万元 pays 10% "
        "band above pays 5%",
        ("eligible", 0, None, "exact", []),
        ("eligible", 20_000_000, None, "exact", []),
        ("eligible", None, None, "unknown", ["firm.invest"]),
    ),
    (
        # A: 0 reaches `from 0 元`: 1 万; B: 300 万 reaches `from 100 万元`: 5 万.
        "eligible when (invest otherwise 0 元) reaches scale\n"
        "    amount scale[invest otherwise 0 元]",
        ("eligible", 1_000_000, None, "exact", []),
        ("eligible", 5_000_000, None, "exact", []),
        ("unknown", None, None, None, ["firm.invest"]),
    ),
]


@pytest.mark.parametrize(("lines", "a", "b", "c"), WRITTEN)
def test_said_with_otherwise_it_runs_on_both_paths(
    lines: str, a: tuple[object, ...], b: tuple[object, ...], c: tuple[object, ...]
) -> None:
    policy = compile_text(HEAD + f"    {lines}\n")
    got = decisions_both_ways(policy, policy.read_facts(FIRMS))
    assert {k: v[:5] for k, v in got.items()} == {"A": a, "B": b, "C": c}


def test_a_schedule_and_convert_said_with_otherwise() -> None:
    policy = compile_text(
        HEAD + "    amount 2% of convert(ex otherwise 0 美元, usd)\n"
        "    paid over 2 years from (title_on otherwise 2025-06-01): 60%, 40% remainder first\n"
    )
    result = policy.evaluate(FIRMS, parameters={"usd": {"rate": "7.1", "date": "2025-01-05"}})
    got = {d.subject: d for d in result.decisions}
    # A: 2% of 0 = 0 元.  B: 1 万美元 × 7.1 = 71,000 元; 2% = 1,420 元 = 142,000 fen, paid
    # 60% (85,200 fen) in 2026 and 40% (56,800 fen) in 2027, from its own date 2026-02-01.
    assert (got["A"].amount, got["B"].amount) == (Money(0), Money(142_000))
    years = [(p.year, p.amount) for p in got["B"].schedule]
    assert years == [(2026, Money(85_200)), (2027, Money(56_800))]
    assert (got["C"].status, got["C"].amount) == ("eligible", None)


def test_an_expression_that_may_be_none_is_named_as_written() -> None:
    """Not `x` (a new user's trial): the expression in parentheses, so the hint's
    `otherwise` reads it whole; one longer than a line's worth is still `x`."""
    with pytest.raises(RuleCheckError) as info:
        compile_text(HEAD + "    amount if m is none then 1 万元 else m\n")
    (d,) = info.value.diagnostics
    assert d.message == (
        "an amount needs a value, but (if m is none then 1 万元 else m) may be none (money or none)"
    )
    assert d.hint == "say what none counts as: `(if m is none then 1 万元 else m) otherwise ...`"
    long = "if m is none then 1 万元 else if m > 2 万元 then m else if m > 1 万元 then m else m"
    with pytest.raises(RuleCheckError) as info:
        compile_text(HEAD + f"    amount {long}\n")
    (d,) = info.value.diagnostics
    assert d.message == "an amount needs a value, but x may be none (money or none)"
