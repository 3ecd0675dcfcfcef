"""京医保发〔2025〕5号: deadlines that reach 2027, whose holiday schedule is not published.

The case files cannot state an expected reason, so these cases live here.  A period that needs
to know whether a 2027 day is a working day (or a rest day) makes that decision unknown (E501),
never answered as if the schedule were known; naming the assumption holiday_schedule opts in to
a projection or to counting Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import policyrules

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


def _decision(result: policyrules.Result, provision: str, subject: str) -> policyrules.Decision:
    found = [d for d in result.decisions if d.provision == provision and d.subject == subject]
    assert len(found) == 1, f"{provision} {subject}: {len(found)} decisions"
    return found[0]


def _trial(submitted_on: str) -> dict[str, object]:
    return {
        "firms": [
            {
                "id": "firm-d",
                "pilot_applications": [
                    {
                        "id": "A1",
                        "application_kind": "clinical_trial_application",
                        "in_pilot": True,
                        "submitted_on": submitted_on,
                    }
                ],
            }
        ]
    }


def _class1(approved_on: str) -> dict[str, object]:
    return {
        "firms": [
            {
                "id": "firm-d",
                "drugs": [{"id": "D1", "class1_innovative": True, "approved_on": approved_on}],
            }
        ]
    }


def test_30_working_days_into_2027_is_unknown(policy: policyrules.Policy) -> None:
    # submitted 2026-12-10: only 15 working days remain in December 2026 (12-11 .. 12-31),
    # so the 30th falls in 2027, whose schedule is unpublished: that decision is unknown (E501),
    # its hint naming the assumptions that would settle it.
    d = _decision(
        policy.evaluate(_trial("2026-12-10")), "jybf_2025_5/(六)/trial_approval", "firm-d/A1"
    )
    assert (d.status, d.due) == ("unknown", None)
    assert d.reasons[0].startswith("E501: the holiday schedule for 2027 is not published")
    assert "holiday_schedule=statutory_projection (recommended" in d.reasons[0]


def test_1_month_ending_in_2027_is_unknown(policy: policyrules.Policy) -> None:
    # approved 2026-12-15 → 2027-01-15; whether that day is a rest day (第二百零三条) is unknown.
    d = _decision(
        policy.evaluate(_class1("2026-12-15")), "jybf_2025_5/(十九)/class1_listing", "firm-d/D1"
    )
    assert d.status == "unknown"
    assert "2027" in d.reasons[0]


def test_1_month_ending_in_2027_with_weekends_only(policy: policyrules.Policy) -> None:
    # 2027-01-15 is a Friday: a working day when only weekends (and 1 January) are rest days.
    facts = _class1("2026-12-15") | {"assumptions": {"holiday_schedule": "weekends_only"}}
    d = _decision(policy.evaluate(facts), "jybf_2025_5/(十九)/class1_listing", "firm-d/D1")
    assert d.status == "pending"
    assert d.due == dt.date(2027, 1, 15)
    assert ("holiday_schedule", "weekends_only (assumed for 2027)") in d.assumptions


def test_a_2026_period_needs_no_assumption(policy: policyrules.Policy) -> None:
    # approved 2026-11-16 → 2026-12-16 (Wednesday, a working day in the published 2026 schedule).
    d = _decision(
        policy.evaluate(_class1("2026-11-16")), "jybf_2025_5/(十九)/class1_listing", "firm-d/D1"
    )
    assert d.status == "pending"
    assert d.due == dt.date(2026, 12, 16)


def test_drugmaker_d_example(policy: policyrules.Policy) -> None:
    """examples/drugmaker-d.yaml: the values worked by hand in its header comment."""
    path = POLICY_DIR.parents[1] / "examples" / "drugmaker-d.yaml"
    result = policy.evaluate(policy.load_facts(path))
    want = {
        ("jybf_2025_5/(十九)/class1_listing", "firm-d/D-101"): ("met", dt.date(2025, 12, 1)),
        ("jybf_2025_5/(十九)/class1_listing", "firm-d/D-102"): ("pending", dt.date(2025, 10, 9)),
        ("jybf_2025_5/(六)/trial_approval", "firm-d/CTA-1"): ("met", dt.date(2025, 11, 6)),
        ("jybf_2025_5/(六)/trial_approval", "firm-d/CTA-2"): ("pending", dt.date(2026, 1, 4)),
        ("jybf_2025_5/(六)/supplementary_review", "firm-d/SUP-1"): (
            "pending",
            dt.date(2025, 12, 18),
        ),
        ("jybf_2025_5/(一)/trial_startup", "firm-d/TP-1"): ("met", dt.date(2025, 9, 29)),
    }
    for (provision, subject), (status, due) in want.items():
        d = _decision(result, provision, subject)
        assert (d.status, d.due) == (status, due), f"{provision} {subject}"
    award = _decision(result, "jybf_2025_5/(二)/mrct_institution", "H-1")
    assert award.amount_kind == "exact"
    assert award.amount == policyrules.Money.parse("50万元")
    pi = _decision(result, "jybf_2025_5/(二)/mrct_investigator", "H-1/PI-1")
    assert pi.amount_kind == "unknown"
    assert pi.amount is None
