"""The batch pays an award in instalments as the one-by-one path does, decision for
decision, grant for grant (one a year).

``paid over N years from approved_on: …`` (分两年拨付; N from 1 to 3, shares that divide a
fen unevenly, the remainder first or last) on random registries: firms with each fact
missing at random (the start: unknown, needing it alone; the amount or a cap's limit:
unknown), caps of the claim (``cap ceiling``) and of the subject over all years (``cap …
per firm``), a ledger of earlier instalments (0.00 元; in a year of the schedule, raised or
cut to the entitlement; outside it: E421, undecided), judged as of a day or with none
(every year due).  Status, amount (fen), kind, missing names, the caps that cut the
entitlement (``binding_caps``, also worked apart: :func:`_cut_by`) and each year's grant,
alike.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import example, given, reject, settings
from hypothesis import strategies as st
from tests.property.test_batch_equivalence_props import assert_same, batch
from tests.strategies import compile_text

import policyrules
from policyrules import LedgerError
from policyrules.backends.python.evaluate import evaluate
from policyrules.backends.sql import compile_batch
from policyrules.runtime.calendar import WorkCalendar
from policyrules.runtime.money import Money

WAN = 1_000_000  # 1 万元 in fen

_HEAD = """document d "测试"

entity firm "企业"
  list firms
  fact recognised: bool
  fact approved_on: date
  fact investment: money
  fact ceiling: money

clause 1
  quote "按投资额的30%给予补助，分年拨付。"

  award a "补助"
    for each firm
    eligible when recognised
    amount 30% of investment
"""

SHARES = {
    1: ["100%"],
    2: ["50%, 50%", "60%, 40%", "33.33%, 66.67%"],
    3: ["40%, 30%, 30%", "33.33%, 33.33%, 33.34%", "10%, 45%, 45%"],
}

# (years, shares, remainder, cap ceiling, cap per firm, once per firm: 一次性奖励, 分年拨付)
Shape = tuple[int, str, str, bool, bool, bool]


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    n = draw(st.integers(1, 3))
    return (
        n,
        draw(st.sampled_from(SHARES[n])),
        draw(st.sampled_from(["first", "last"])),
        draw(st.booleans()),
        draw(st.booleans()),
        draw(st.booleans()),
    )


def schedule_text(shape: Shape) -> str:
    n, shares, remainder, ceiling, per_firm, once = shape
    lines = ["cap ceiling"] if ceiling else []
    lines += ["cap 100 万元 per firm"] if per_firm else []
    lines += ["once per firm"] if once else []
    lines.append(f"paid over {n} years from approved_on: {shares} remainder {remainder}")
    return _HEAD + "".join(f"    {line}\n" for line in lines)


@functools.cache
def _compiled(shape: Shape, as_of: dt.date | None) -> tuple[policyrules.Policy, Any]:
    policy = _policy(shape)
    return policy, compile_batch(policy.checked, as_of=as_of)


@functools.cache
def _policy(shape: Shape) -> policyrules.Policy:
    return compile_text(schedule_text(shape))


_FACTS = {
    "recognised": st.sampled_from([True, True, True, False]),
    "approved_on": st.sampled_from(["2024-06-30", "2025-01-01", "2025-12-31", "2026-03-01"]),
    # 30%: 30 万元, 3 000 000.01 元 → 900 000.003 元, cut to 900 000.00 元; 1 fen → 0
    "investment": st.sampled_from(["100万元", "10000000.01元", "0.01元", "0元", "333.37元"]),
    "ceiling": st.sampled_from(["20万元", "100万元", "0元"]),
}
AS_OF = st.sampled_from([None, dt.date(2025, 6, 30), dt.date(2026, 1, 1), dt.date(2027, 12, 31)])


@st.composite
def schedule_registries(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Up to four firms, their facts missing at random, and earlier instalments."""
    firms, ledger = [], []
    for f in draw(st.lists(st.sampled_from(["F1", "F2", "F3", "F10"]), max_size=4, unique=True)):
        firm: dict[str, Any] = {"id": f}
        for key, values in _FACTS.items():
            if draw(st.integers(0, 5)):  # one in six missing
                firm[key] = draw(values)
        firms.append(firm)
        for year in draw(st.lists(st.integers(2024, 2028), max_size=2, unique=True)):
            amount = draw(st.sampled_from(["0元", "1万元", "20万元", "0.01元"]))
            ledger.append({"provision": "d/1/a", "firm": f, "amount": amount, "year": year})
    return {"firms": firms}, ledger


def _check(
    shape: Shape, registry: tuple[dict[str, Any], list[dict[str, Any]]], as_of: dt.date | None
) -> None:
    policy, plan = _compiled(shape, as_of)
    raw, grants = registry
    facts = policy.read_facts(raw)
    try:
        ledger = policy.read_ledger(grants)
    except LedgerError as exc:
        if shape[5] and exc.code == "E328":
            reject()  # two payments of a one-time award outside one schedule: no ledger
        raise
    compiled = policy.compiled
    expected = evaluate(
        compiled,
        facts,
        ledger=ledger,
        parameters=compiled.parameter_defaults,
        assumptions=compiled.assumption_defaults,
        calendar=WorkCalendar(),
        as_of=as_of,
    )
    rows, got_grants = batch(plan, policy.checked, facts, ledger)
    assert_same(expected, rows, got_grants, policy.checked)
    firms = {f["id"]: f for f in raw["firms"]}
    for d in expected.decisions:
        if d.status == "eligible":
            cut = [ev.cap for ev in d.caps if ev.binding]
            assert cut == _cut_by(shape, firms[d.subject]), d.subject


def _cut_by(shape: Shape, firm: dict[str, Any]) -> list[str]:
    """The caps that cut an eligible firm's entitlement, worked apart from both paths: the
    amount 30% of the investment, rounded down to the fen, then ``cap ceiling`` (its limit
    the firm's fact), then ``cap 100 万元 per firm`` (this award's own grants to the firm
    alone are in its account: the entitlement they are part of is what it caps), each
    binding where its limit is below what the caps before it left.  With the start or the
    amount unknown nothing is cut (the decision has no amount)."""
    if "approved_on" not in firm or "investment" not in firm:
        return []
    left = max(Money.parse(firm["investment"]).fen * 3 // 10, 0)
    limits = []
    if shape[3] and "ceiling" in firm:
        limits.append(("ceiling", Money.parse(firm["ceiling"]).fen))
    if shape[4]:
        limits.append(("100 万元 per firm", 100 * WAN))
    cut = []
    for text, limit in limits:
        if max(limit, 0) < left:
            cut.append(text)
            left = max(limit, 0)
    return cut


# Found by hand: 2 years, 33.33% / 66.67% remainder first; 30% of 333.37 元 = 100.011 元 →
# 10 001 fen; ⌊10 001 × 66.67%⌋ = 6 667 fen, the first 10 001 − 6 667 = 3 334 fen.  The
# ledger paid 1 fen in 2025 (the first year): the second is raised to what is due by then,
# 10 001 − 1 = 10 000 fen, within the entitlement.
_UNEVEN = (
    (2, "33.33%, 66.67%", "first", False, False, False),
    (
        {
            "firms": [
                {
                    "id": "F1",
                    "recognised": True,
                    "approved_on": "2025-01-01",
                    "investment": "333.37元",
                }
            ]
        },
        [{"provision": "d/1/a", "firm": "F1", "amount": "0.01元", "year": 2025}],
    ),
    dt.date(2026, 1, 1),
)


# A cap that cuts the entitlement, named by both paths: 30% × 10 000 000.01 元 =
# 3 000 000.003 元 → 300 万元 (to the fen, down); F1's ceiling 20 万元 cuts it to 20 万元
# (binds), then 100 万元 per firm leaves it (20 万 ≤ 100 万); F2 has no ceiling (unknown: it
# cuts nothing), and 100 万元 per firm cuts its 300 万元 (binds).
_CUT = (
    (3, "40%, 30%, 30%", "last", True, True, False),
    (
        {
            "firms": [
                {
                    "id": "F1",
                    "recognised": True,
                    "approved_on": "2025-01-01",
                    "investment": "10000000.01元",
                    "ceiling": "20万元",
                },
                {
                    "id": "F2",
                    "recognised": True,
                    "approved_on": "2025-01-01",
                    "investment": "10000000.01元",
                },
            ]
        },
        [],
    ),
    dt.date(2026, 1, 1),
)


@settings(max_examples=max(10, settings().max_examples // 8))
@given(shapes(), schedule_registries(), AS_OF)
@example(*_UNEVEN)
@example(*_CUT)
def test_instalments_batch_equals_one_by_one(
    shape: Shape, registry: tuple[dict[str, Any], list[dict[str, Any]]], as_of: dt.date | None
) -> None:
    _check(shape, registry, as_of)
