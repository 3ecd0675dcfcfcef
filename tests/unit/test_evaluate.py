"""Evaluation semantics on small inline policies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import policyrules
from policyrules import Grant, Ledger, Money
from policyrules.api import Policy

ENTITIES = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact approved_on: date
  fact submitted_on: date
  fact awarded: money
  fact base: money
  fact a: bool
  fact b: bool
entity reports
  single reports
  fact days: list of 工作日

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"
  parameter r: rate "比例"
"""


def _policy(provisions: str) -> Policy:
    text = ENTITIES + provisions
    checked = policyrules.check(
        [policyrules.parse(text, "t.rule")], texts={"t.rule": text}, sources={}
    )
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def _facts(*products: dict[str, object], firm: str = "f") -> dict[str, object]:
    return {"firms": [{"id": firm, "products": list(products)}]}


AWARD = """
  award reward "奖励"
    for each product
    eligible when a or b
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    order by approved_on, id
"""

KLEENE = """
  entitlement e_or
    for each product
    eligible when a or b
    consequence "x"

  entitlement e_and
    for each product
    eligible when a and b
    consequence "x"

  entitlement e_not
    for each product
    eligible when not a
    consequence "x"
"""


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (True, None, ("eligible", "unknown", "not_eligible")),
        (False, None, ("unknown", "not_eligible", "eligible")),
        (None, True, ("eligible", "unknown", "unknown")),
        (None, False, ("unknown", "not_eligible", "unknown")),
        (None, None, ("unknown", "unknown", "unknown")),
        (True, False, ("eligible", "not_eligible", "not_eligible")),
    ],
)
def test_kleene_logic(a: bool | None, b: bool | None, expected: tuple[str, ...]) -> None:
    """`or`, `and` and `not` follow Kleene's three-valued logic with unknown facts."""
    product: dict[str, object] = {"id": "p"}
    if a is not None:
        product["a"] = a
    if b is not None:
        product["b"] = b
    result = _policy(KLEENE).evaluate(_facts(product))
    assert expected == tuple(d.status for d in result.decisions)


def test_missing_fact_is_unknown() -> None:
    """An eligibility condition on a missing fact leaves the decision unknown, naming it."""
    result = _policy(AWARD).evaluate(_facts({"id": "p"}))
    d = result.decisions[0]
    expected = ("unknown", ("product.a", "product.b"))
    assert expected == (d.status, d.missing_facts)


def test_decided_amount_is_capped() -> None:
    """A decided amount above the per-product cap is cut to the cap, exactly."""
    p = {"id": "p", "a": True, "awarded": "300 万元", "approved_on": "2025-06-01"}
    d = _policy(AWARD).evaluate(_facts(p)).decisions[0]
    expected = ("eligible", Money.of(200, "万元"), "exact", True)
    assert expected == (d.status, d.amount, d.amount_kind, d.caps[0].binding)


def test_undecided_amount_is_up_to_the_cap() -> None:
    """Without a decided amount, the result is the cap: an upper bound."""
    p = {"id": "p", "a": True, "approved_on": "2025-06-01"}
    d = _policy(AWARD).evaluate(_facts(p)).decisions[0]
    expected = (Money.of(200, "万元"), "up_to", ("product.awarded",))
    assert expected == (d.amount, d.amount_kind, d.missing_facts)


def test_unset_parameter_gives_up_to() -> None:
    """A rate the text leaves open makes the amount an upper bound, naming the parameter."""
    pol = _policy(
        "\n  award rated\n    for each product\n    amount r of base\n    cap 10 万元 per product\n"
    )
    d = pol.evaluate(_facts({"id": "p", "base": "100 万元"})).decisions[0]
    expected = ("eligible", Money.of(10, "万元"), "up_to", ("r",), ())
    assert expected == (d.status, d.amount, d.amount_kind, d.missing_parameters, d.missing_facts)


def test_rate_rounds_down_to_the_fen() -> None:
    """A rate of an amount is rounded down to the fen, never up."""
    pol = _policy(
        "\n  award rated\n    for each product\n    amount r of base\n    cap 10 万元 per product\n"
    )
    d = pol.evaluate(_facts({"id": "p", "base": "0.05"}), parameters={"r": "33%"}).decisions[0]
    expected = (Money(1), "exact")  # 33% of 5 fen = 1.65 fen
    assert expected == (d.amount, d.amount_kind)


def test_firm_year_cap_cut_in_order_by_order() -> None:
    """Claims share the firm-year cap in `order by` order, whatever the file's order."""
    products = [
        {"id": "late", "a": True, "awarded": "200 万元", "approved_on": "2025-12-01"},
        *(
            {"id": f"p{i}", "a": True, "awarded": "200 万元", "approved_on": f"2025-0{i}-01"}
            for i in range(1, 6)
        ),
        {"id": "next", "a": True, "awarded": "200 万元", "approved_on": "2026-01-05"},
    ]
    result = _policy(AWARD).evaluate(_facts(*products))
    expected = {
        "f/p1": Money.of(200, "万元"),
        "f/p2": Money.of(200, "万元"),
        "f/p3": Money.of(200, "万元"),
        "f/p4": Money.of(200, "万元"),
        "f/p5": Money.of(200, "万元"),
        "f/late": Money.zero(),
        "f/next": Money.of(200, "万元"),
    }
    assert expected == {d.subject: d.amount for d in result.decisions}
    assert [d.subject for d in result.decisions] == [
        "f/p1",
        "f/p2",
        "f/p3",
        "f/p4",
        "f/p5",
        "f/late",
        "f/next",
    ]


def test_firm_year_cap_counts_the_ledger() -> None:
    """Grants already in the ledger count against the firm-year cap of their year."""
    # 900 万元 earlier in 2025, each grant within the 200 万元 per-product cap.
    ledger = [
        {"provision": "d/1/reward", "firm": "f", "product": f"old{i}", "amount": a, "year": 2025}
        for i, a in enumerate(["200 万元"] * 4 + ["100 万元"])
    ]
    p = {"id": "p", "a": True, "awarded": "200 万元", "approved_on": "2025-03-01"}
    d = _policy(AWARD).evaluate(_facts(p), ledger=ledger).decisions[0]
    expected = Money.of(100, "万元")
    assert expected == d.amount


def test_once_via_ledger() -> None:
    """A product already granted under a one-time award is not eligible again."""
    ledger = Ledger(
        (Grant("d/1/reward", (("firm", "f"), ("product", "p")), Money.of(1, "万元"), 2025),)
    )
    p = {"id": "p", "a": True, "awarded": "100 万元", "approved_on": "2025-03-01"}
    result = _policy(AWARD).evaluate(_facts(p), ledger=ledger)
    d = result.decisions[0]
    assert (d.status, result.grants) == ("not_eligible", ())
    assert "once per product" in d.reasons[0]


def test_exact_award_is_a_grant() -> None:
    """An exact award is added to the result's grants with its year."""
    p = {"id": "p", "a": True, "awarded": "100 万元", "approved_on": "2025-03-01"}
    result = _policy(AWARD).evaluate(_facts(p))
    expected = (
        Grant("d/1/reward", (("firm", "f"), ("product", "p")), Money.of(100, "万元"), 2025),
    )
    assert expected == result.grants


DEADLINE = """
  deadline d
    for each product
    due 30 工作日 after submitted_on
    done approved_on
"""


def test_deadline_over_national_day() -> None:
    """30 working days after 2025-09-30 skip 10-01..08 and count Sat 10-11: due 2025-11-18.

    Counting by hand: 10-09, 10-10, 10-11 (3), 10-13..17 (8), 10-20..24 (13), 10-27..31 (18),
    11-03..07 (23), 11-10..14 (28), 11-17 (29), 11-18 (30).
    """
    p = {"id": "p", "submitted_on": "2025-09-30", "approved_on": "2025-11-18"}
    d = _policy(DEADLINE).evaluate(_facts(p)).decisions[0]
    expected = ("met", dt.date(2025, 11, 18), "on the last day")
    assert expected == (d.status, d.due, d.margin)


def test_deadline_missed_with_margin() -> None:
    """Done after the due date is not_met, with the lateness in working days."""
    p = {"id": "p", "submitted_on": "2025-09-30", "approved_on": "2025-11-20"}
    d = _policy(DEADLINE).evaluate(_facts(p)).decisions[0]
    expected = ("not_met", "2 工作日 late")
    assert expected == (d.status, d.margin)


def test_deadline_pending_without_done() -> None:
    """A deadline with no completion date is pending, with its due date."""
    d = _policy(DEADLINE).evaluate(_facts({"id": "p", "submitted_on": "2025-09-30"})).decisions[0]
    expected = ("pending", dt.date(2025, 11, 18))
    assert expected == (d.status, d.due)


def test_deadline_in_2027_needs_an_assumption() -> None:
    """A period in an unpublished year is unknown (E501) unless an assumption is named.

    30 working days after Mon 2027-03-01: 03-02..05 are 1–4, then five a week: 03-08..12 5–9,
    03-15..19 10–14, 03-22..26 15–19, 03-29..04-02 20–24, 04-05..09 25–29, Mon 04-12 30.
    statutory_projection: Mon 04-05 is 清明 (rest), so 04-06..09 25–28, 04-12 29, Tue 04-13 30.
    """
    pol = _policy(DEADLINE)
    facts = _facts({"id": "p", "submitted_on": "2027-03-01"})
    unknown = pol.evaluate(facts).decisions[0]
    weekends = pol.evaluate(facts, assumptions={"holiday_schedule": "weekends_only"}).decisions[0]
    projected = pol.evaluate(
        facts, assumptions={"holiday_schedule": "statutory_projection"}
    ).decisions[0]
    expected = ("unknown", dt.date(2027, 4, 12), dt.date(2027, 4, 13))
    assert expected == (unknown.status, weekends.due, projected.due)


TARGET = """
  target t
    for reports
    require average(days) <= 60 工作日
"""


def test_target_met_with_margin() -> None:
    """A target met reports its margin."""
    d = _policy(TARGET).evaluate({"reports": {"days": [50, 60]}}).decisions[0]
    expected = ("met", "55 工作日 against 60 工作日: margin 5 工作日")
    assert expected == (d.status, d.margin)


def test_target_not_met_with_margin() -> None:
    """A target missed reports by how much."""
    d = _policy(TARGET).evaluate({"reports": {"days": [70, 80]}}).decisions[0]
    expected = ("not_met", "75 工作日 against 60 工作日: margin -15 工作日")
    assert expected == (d.status, d.margin)


def test_target_unknown_without_data() -> None:
    """A target with no data is unknown."""
    d = _policy(TARGET).evaluate({"reports": {}}).decisions[0]
    expected = ("unknown", ("reports.days",))
    assert expected == (d.status, d.missing_facts)
