"""Evaluating periods that reach a year whose holiday schedule is not published (2027 on).

The last published year is 2026 (chinesecalendar 1.11.0).  December 2026 has no holiday and
no 调休: its working days are Monday to Friday.  Weekdays used below: 2026-12-24 Thu,
12-25 Fri, 12-27 Sun, 12-28 Mon, 12-31 Thu; 2027-01-01 Fri (元旦), 01-04 Mon, 01-05 Tue;
2027-02-01 Mon, 02-05 Fri (除夕), 02-06 Sat (正月初一), 02-08 Mon (初三), 02-09 Tue, 02-10 Wed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import policyrules
from policyrules.api import Policy
from policyrules.cli import main

POLICY_TEXT = """entity firm "企业"
  list firms
  fact applied_on: date
  fact answered_on: date
  fact awarded: money

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "条"
  quote "q"

  deadline review "审查"
    for each firm
    due 5 工作日 after applied_on
    done answered_on

  deadline listing "挂网"
    for each firm
    due 5 日 after applied_on

  award grant "奖励"
    for each firm
    amount decided awarded
    cap 100 万元 per firm
"""

ERROR, WEEKENDS, PROJECTED = "error", "weekends_only", "statutory_projection"


@pytest.fixture(scope="module")
def policy() -> Policy:
    checked = policyrules.check(
        [policyrules.parse(POLICY_TEXT, "t.rule")], texts={"t.rule": POLICY_TEXT}, sources={}
    )
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def _firm(ident: str, applied_on: str, **more: object) -> dict[str, object]:
    return {"id": ident, "applied_on": applied_on, "awarded": "80万元", **more}


def _eval(policy: Policy, *firms: dict[str, object], schedule: str = ERROR) -> policyrules.Result:
    # No as-of day: a not-done deadline's last day is what is asked (an as-of day before the
    # period's calendar end would settle it as pending under any schedule).
    return policy.evaluate({"firms": list(firms)}, assumptions={"holiday_schedule": schedule})


def _get(result: policyrules.Result, provision: str, firm: str) -> policyrules.Decision:
    (d,) = [x for x in result.decisions if x.provision.endswith(provision) and x.subject == firm]
    return d


# ---- §8.1: a calendar gap makes that one decision unknown ----------------------------------


def test_two_firms_one_gap_the_other_decision_stands(policy: Policy) -> None:
    """Firm late applies Mon 2026-12-28: 5 working days run 12-29 Tue 1, 12-30 Wed 2,
    12-31 Thu 3, then 2027, unpublished: unknown, saying which year and what would settle it.
    Firm early applies Mon 2025-12-01: 12-02..05 (Tue–Fri) 1–4, 12-08 Mon 5: due 2025-12-08.
    Both grants of 80 万元 stand (cap 100 万元 per firm, nothing granted before)."""
    result = _eval(policy, _firm("late", "2026-12-28"), _firm("early", "2025-12-01"))
    late, early = _get(result, "review", "late"), _get(result, "review", "early")
    assert (late.status, late.due) == ("unknown", None)
    assert late.reasons[0].startswith(
        "E501: the holiday schedule for 2027 is not published (published: 2004–2026) "
        "(name the assumption holiday_schedule=statutory_projection (recommended: "
    )
    assert "holiday_schedule=weekends_only" in late.reasons[0]
    assert [s.kind for s in late.trace][-1] == "undecided"
    assert (early.status, early.due) == ("pending", dt.date(2025, 12, 8))
    grants = [
        (_get(result, "grant", f).amount_kind, _get(result, "grant", f).amount)
        for f in ("late", "early")
    ]
    assert grants == [("exact", policyrules.Money.parse("80万元"))] * 2


def test_gap_in_a_days_period_is_unknown_too(policy: policyrules.Policy) -> None:
    """5 日 after Sun 2026-12-27 ends Fri 2027-01-01; whether it is a rest day (第二百零三条)
    needs 2027: unknown.  5 日 after Thu 2026-12-24 ends Tue 12-29, a 2026 working day."""
    result = _eval(policy, _firm("a", "2026-12-27"), _firm("b", "2026-12-24"))
    assert (_get(result, "listing", "a").status, _get(result, "listing", "b").due) == (
        "unknown",
        dt.date(2026, 12, 29),
    )


def test_margin_into_an_unpublished_year_keeps_the_certain_status(policy: Policy) -> None:
    """Applied Mon 2026-12-14: 12-15..18 (Tue–Fri) 1–4, 12-21 Mon 5: due 2026-12-21, all in
    2026.  Answered 2027-01-10: late whatever 2027's schedule is, so not_met stands; only the
    working days late need 2027: 20 calendar days (12-21 → 12-31 is 10, then 10) are given
    instead.  Under weekends_only: 12-22..25 (4), 12-28..31 (4), 01-01 元旦 rest, 01-04..08 (5):
    13 工作日 late, and the assumption is recorded because 2027 was counted."""
    firm = _firm("f", "2026-12-14", answered_on="2027-01-10")
    plain = _get(_eval(policy, firm), "review", "f")
    assumed = _get(_eval(policy, firm, schedule=WEEKENDS), "review", "f")
    assert (plain.status, plain.due, plain.assumptions) == ("not_met", dt.date(2026, 12, 21), ())
    assert plain.margin == (
        "20 日 (working days not counted: the holiday schedule for 2027 is not published "
        "(published: 2004–2026)) late"
    )
    assert (assumed.margin, assumed.assumptions) == (
        "13 工作日 late",
        (("holiday_schedule", "weekends_only (assumed for 2027)"),),
    )


# ---- §8.2: the assumption, recorded where it was used and only there -----------------------


@pytest.mark.parametrize(
    ("schedule", "due", "value"),
    [
        # 12-29 Tue 1, 12-30 Wed 2, 12-31 Thu 3, 2027-01-01 Fri 元旦 (rest under any
        # assumption), 01-02 Sat, 01-03 Sun, 01-04 Mon 4, 01-05 Tue 5.
        (WEEKENDS, dt.date(2027, 1, 5), "weekends_only (assumed for 2027)"),
        (PROJECTED, dt.date(2027, 1, 5), "statutory_projection (PROJECTED for 2027)"),
    ],
)
def test_five_working_days_from_late_december(
    policy: Policy, schedule: str, due: dt.date, value: str
) -> None:
    """5 工作日 after Mon 2026-12-28 under each assumption; error is the first test above."""
    result = _eval(policy, _firm("f", "2026-12-28"))
    assert _get(result, "review", "f").status == "unknown"
    result = _eval(policy, _firm("f", "2026-12-28"), schedule=schedule)
    d = _get(result, "review", "f")
    assert (d.status, d.due, d.assumptions) == ("pending", due, (("holiday_schedule", value),))
    assert result.assumptions == (("holiday_schedule", value),)
    assert result.to_json()["assumptions"] == {"holiday_schedule": value}
    assert f"holiday_schedule = {value}" in result.explain(lang="en")


def test_period_ending_on_new_year_2027(policy: Policy) -> None:
    """The issue's example: 5 日 after Sun 2026-12-27 ends Fri 2027-01-01, 元旦, a rest day
    under weekends_only too, so the period moves to the next working day, Mon 2027-01-04;
    the decision and the result both record the assumption."""
    result = _eval(policy, _firm("f", "2026-12-27"), schedule=WEEKENDS)
    d = _get(result, "listing", "f")
    recorded = ("holiday_schedule", "weekends_only (assumed for 2027)")
    assert (d.due, d.assumptions, result.assumptions) == (
        dt.date(2027, 1, 4),
        (recorded,),
        (recorded,),
    )
    assert d.trace[-1].text.startswith("ASSUMED: no holiday schedule is published for 2027")


def test_assumption_not_recorded_where_not_used(policy: Policy) -> None:
    """Under weekends_only, firm early's periods stay in 2025 (review due Mon 2025-12-08,
    listing 5 日 after Mon 12-01 = Sat 12-06 → Mon 12-08): no assumption on its decisions.
    Firm late's review reaches 2027 (Mon 2026-12-28 + 5 → Tue 2027-01-05) and its 5 日 listing
    ends Sat 2027-01-02 (→ Mon 01-04): both record it; no grant counts days."""
    result = _eval(
        policy, _firm("late", "2026-12-28"), _firm("early", "2025-12-01"), schedule=WEEKENDS
    )
    recorded = [
        (d.provision.rsplit("/", 1)[1], d.subject, bool(d.assumptions)) for d in result.decisions
    ]
    assert recorded == [
        ("review", "late", True),
        ("review", "early", False),
        ("listing", "late", True),
        ("listing", "early", False),
        ("grant", "early", False),  # awards are served in order: by owner here
        ("grant", "late", False),
    ]
    only_2025 = _eval(policy, _firm("early", "2025-12-01"), schedule=WEEKENDS)
    assert (only_2025.assumptions, _get(only_2025, "listing", "early").due) == (
        (),
        dt.date(2025, 12, 8),
    )
    unassumed = _eval(policy, _firm("late", "2026-12-28"), _firm("early", "2025-12-01"))
    assert unassumed.assumptions == ()


# ---- §8.3: the statutory projection --------------------------------------------------------


def test_projection_skips_the_2027_spring_festival(policy: Policy) -> None:
    """5 工作日 after Mon 2027-02-01.  weekends_only: 02-02 Tue 1, 02-03 Wed 2, 02-04 Thu 3,
    02-05 Fri 4, 02-08 Mon 5.  statutory_projection: 02-05 Fri 除夕 and 02-08 Mon 正月初三 are
    rest days (2024 text: 春节 除夕 to 初三; 02-06/07 are also the weekend): 02-02..04 1–3,
    02-09 Tue 4, 02-10 Wed 5.  The projection is marked in the assumption, the trace and the
    text."""
    firm = _firm("f", "2027-02-01")
    weekends = _get(_eval(policy, firm, schedule=WEEKENDS), "review", "f")
    result = _eval(policy, firm, schedule=PROJECTED)
    projected = _get(result, "review", "f")
    assert (weekends.due, projected.due) == (dt.date(2027, 2, 8), dt.date(2027, 2, 10))
    assert projected.trace[-1].kind == "calendar"
    assert projected.trace[-1].text.startswith("PROJECTED: no holiday schedule is published")
    assert "PROJECTED" in result.explain(lang="en")
    assert "2027年放假安排未公布：按法定节假日规则推算" in result.explain()
    assert "PROJECTED" in json.dumps(result.to_json(), ensure_ascii=False)


def test_projection_outside_its_range_is_unknown(policy: Policy) -> None:
    """The projection covers 2000–2099: 5 工作日 after 2099-12-30 (Wed) reach 2100: E502,
    naming weekends_only; the decision lists the projected 2099 it did use."""
    d = _get(_eval(policy, _firm("f", "2099-12-30"), schedule=PROJECTED), "review", "f")
    assert d.status == "unknown"
    assert d.reasons[0].startswith("E502: the holiday schedule for 2100 is not published")
    assert "holiday_schedule=weekends_only" in d.reasons[0]
    assert d.assumptions == (("holiday_schedule", "statutory_projection (PROJECTED for 2099)"),)


def test_unknown_schedule_value_lists_the_choices(policy: Policy) -> None:
    """A misspelt value is refused, the hint naming every choice."""
    with pytest.raises(policyrules.FactsError) as caught:
        _eval(policy, _firm("f", "2026-01-05"), schedule="statutory")
    assert caught.value.hint == "one of: error, statutory_projection, weekends_only"


def test_cli_text_marks_the_projection(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`eval --assume holiday_schedule=statutory_projection` prints PROJECTED on the decision."""
    root = Path(__file__).resolve().parents[2]
    facts = tmp_path / "f.yaml"
    facts.write_text(
        "firms:\n  - id: firm-d\n    pilot_applications:\n"
        "      - { id: A7, application_kind: clinical_trial_application, in_pilot: true,"
        " submitted_on: 2027-01-20 }\n",
        "utf-8",
    )
    argv = ["eval", str(root / "policies" / "beijing_2025"), str(facts)]
    code = main([*argv, "--assume", "holiday_schedule=statutory_projection", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert "due: 2027-03-05" in out  # worked in cases/jybf-06.yaml
    assert "holiday_schedule = statutory_projection (PROJECTED for 2027)" in out
    # In Chinese (the default), without the assumption: the year named, the way out given.
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert (
        "原因：无法判断：期限为 30 个工作日，2027年的放假安排尚未公布，无法确定哪些日子是工作日，"
        "无法计算期满日（E501）；可待2027年放假安排公布后再判断"
    ) in out


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(ERROR, True), (WEEKENDS, True), (PROJECTED, True), ("statutory", False), ("", False)],
)
def test_schema_and_reader_agree_on_the_holiday_assumption(
    policy: Policy, value: str, accepted: bool
) -> None:
    """`policyrules schema` accepts a holiday_schedule value exactly when evaluation does."""
    import jsonschema

    facts = {"firms": [], "assumptions": {"holiday_schedule": value}}
    valid = jsonschema.Draft202012Validator(policy.schema()).is_valid(facts)
    try:
        policy.evaluate(facts)
        read = True
    except policyrules.FactsError:
        read = False
    assert (valid, read) == (accepted, accepted)
