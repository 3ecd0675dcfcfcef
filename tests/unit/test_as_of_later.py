"""A date fact later than ``as_of`` is refused (E353), alike on every path: one by one
(``eval``, ``explain``, ``Policy.evaluate``), ``diff``, the batch on DuckDB
(``policyrules batch``, ``Policy.evaluate_batch``) and the service; the batch on Spark in
test_as_of_later_spark.py.  Without ``as_of`` nothing changes.

The reproduction (a new user's): 京医保发〔2025〕5号 (六), ``deadline trial_approval``: 审批
时限 30 个工作日 from the submission.  C2 was submitted on 2026-11-01 (a Sunday, the day
not counted): 30 working days end on Friday 2026-12-11 (November: 2-6, 9-13, 16-20, 23-27,
30 = 21 days; December 1-4, 7-11 = 9 more).  Its approval is dated 2026-12-20, so as of
2026-12-05 it had not happened: judging the deadline on it said "not met, 5 working days
late" (12-14 to 12-18) as of a day when nothing was late yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.strategies import compile_text
from tests.support import run_cli

import policyrules
from policyrules.errors import FactsError
from policyrules.serve import create_app

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
WHERE = "firms[0].pilot_applications[1].approved_on"
# What follows the place, the same on every path.
SAID = (
    "pilot_application d/C2's approved_on (临床试验申请审批完成日期) is 2026-12-20, after "
    "as_of 2026-12-05 (the day the result speaks for), when it is not yet a fact: "
    "nothing was evaluated"
)
CTA = """firms:  # (the new user's file, /tmp/hAH-trial/cta.yaml, its lines folded)
  - id: d
    pilot_applications:
      - {id: C1, application_kind: clinical_trial_application, in_pilot: true,
         submitted_on: 2026-12-01}
      - {id: C2, application_kind: clinical_trial_application, in_pilot: true,
         submitted_on: 2026-11-01, approved_on: 2026-12-20}
"""
APPLICATIONS = (
    "id,firm_id,application_kind,in_pilot,submitted_on,approved_on\n"
    "C1,d,clinical_trial_application,true,2026-12-01,\n"
    "C2,d,clinical_trial_application,true,2026-11-01,2026-12-20\n"
)


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.fixture
def cta(tmp_path: Path) -> Path:
    f = tmp_path / "cta.yaml"
    f.write_text(CTA, encoding="utf-8")
    return f


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """The reproduction's facts as a registry of CSV tables."""
    reg = tmp_path / "reg"
    reg.mkdir()
    (reg / "firms.csv").write_text("id\nd\n", encoding="utf-8")
    (reg / "pilot_applications.csv").write_text(APPLICATIONS, encoding="utf-8")
    return reg


def _refused(policy: policyrules.Policy, facts: object, **options: object) -> FactsError:
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts, **options)  # type: ignore[arg-type]
    assert {d.code for d in info.value.diagnostics} == {"E353"}
    return info.value


def _c2(result: policyrules.Result) -> policyrules.Decision:
    (d,) = [d for d in result.decisions if d.subject == "d/C2" and d.provision.endswith("approval")]
    return d


# ---- the one-by-one path ---------------------------------------------------------------------


def test_the_reproduction_is_refused_by_eval(cta: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`eval … --as-of 2026-12-05` printed C2 as 【未按期完成】 (逾期 5 个工作日) and exited 0;
    now it prints no decision, exits 2 and says where, what and how to mend it."""
    code, out, err = run_cli(capsys, "eval", POLICY, cta, "--as-of", "2026-12-05")
    assert (code, out) == (2, "")
    assert f"error[E353]: {WHERE}: {SAID}" in err
    assert "hint: if the date is mistyped, correct it" in err
    assert "give that day as --as-of" in err
    assert "Traceback" not in err


def test_the_error_names_the_place_the_fact_its_date_and_as_of(
    policy: policyrules.Policy,
) -> None:
    """One diagnostic: code E353, the place in the facts first (as every facts error), the
    subject, the fact with its title, its date and as_of; the hint gives both ways out."""
    (d,) = _refused(policy, policy.read_facts(CTA_DATA), as_of="2026-12-05").diagnostics
    assert d.code == "E353"
    assert d.message == f"{WHERE}: {SAID}"
    assert d.hint is not None
    assert d.hint.startswith("if the date is mistyped, correct it; ")
    assert "give that day as --as-of (as_of in the facts, the API or the service)" in d.hint
    assert "or leave as_of out" in d.hint


CTA_DATA = {
    "firms": [
        {
            "id": "d",
            "pilot_applications": [
                {
                    "id": "C1",
                    "application_kind": "clinical_trial_application",
                    "in_pilot": True,
                    "submitted_on": "2026-12-01",
                },
                {
                    "id": "C2",
                    "application_kind": "clinical_trial_application",
                    "in_pilot": True,
                    "submitted_on": "2026-11-01",
                    "approved_on": "2026-12-20",
                },
            ],
        }
    ]
}


def test_the_facts_own_as_of_is_held_to_it_too(policy: policyrules.Policy) -> None:
    """`as_of:` in the facts is the day as much as the argument; a later argument wins
    over it (as it does for every value given both ways)."""
    _refused(policy, {**CTA_DATA, "as_of": "2026-12-05"})
    d = _c2(policy.evaluate({**CTA_DATA, "as_of": "2026-12-05"}, as_of="2026-12-20"))
    assert d.status == "not_met"


def test_without_as_of_nothing_changes(policy: policyrules.Policy) -> None:
    """No day named: the approval is taken as given, as before: due 2026-12-11, done
    2026-12-20, late by the 5 working days 12-14 to 12-18."""
    d = _c2(policy.evaluate(CTA_DATA))
    assert (d.status, d.due, d.done) == ("not_met", dt.date(2026, 12, 11), dt.date(2026, 12, 20))
    assert d.deadline_margin is not None
    assert (d.deadline_margin.kind, d.deadline_margin.days) == ("late", 5)


@pytest.mark.parametrize("day", ["2026-12-20", "2026-12-31"])
def test_a_date_on_or_before_as_of_is_judged(policy: policyrules.Policy, day: str) -> None:
    """On the day of the approval itself it is a fact: judged as without as_of."""
    d = _c2(policy.evaluate(CTA_DATA, as_of=day))
    assert (d.status, d.done) == ("not_met", dt.date(2026, 12, 20))


def test_a_deadlines_start_after_as_of_is_refused_too(policy: policyrules.Policy) -> None:
    """As of 2026-11-15 C1's submission (2026-12-01) has not happened either: judged, its
    deadline would read 尚未到期 from a period not begun.  Both dates are said, in the
    batch's order (subject, then the fact's place: submitted_on before approved_on)."""
    got = _refused(policy, CTA_DATA, as_of="2026-11-15").diagnostics
    assert [d.message.split(": ")[0] for d in got] == [
        "firms[0].pilot_applications[0].submitted_on",
        WHERE,
    ]
    assert (
        "d/C1's submitted_on (申请提交（受理）日期（时限起算日）) is 2026-12-01" in got[0].message
    )


def test_an_awards_event_date_after_as_of_is_refused(policy: policyrules.Policy) -> None:
    """An approval that would earn the launch reward (京经信发〔2025〕50号 第3条), dated
    after the day the result speaks for: no reward is judged on it."""
    facts = {"firms": [{"id": "f", "products": [{"id": "P1", "approved_on": "2026-06-01"}]}]}
    (d,) = _refused(policy, facts, as_of="2026-03-01").diagnostics
    assert d.message.startswith("firms[0].products[0].approved_on: product f/P1's approved_on")
    assert "is 2026-06-01, after as_of 2026-03-01" in d.message


LISTED = """entity case "申请"
  list cases
  fact start: date "受理日期"
  fact finished: date or none "办结日期"
  fact visits: list of date "检查日期"

document dl "时限"

clause 1 "时限"
  quote "q"

  deadline m
    for each case
    due 30 日 after start
    done finished
"""


def test_none_has_no_date_and_a_list_is_compared_by_its_latest() -> None:
    """`finished: none` (not done) is no date to compare; of a list of dates the latest is
    said.  As of 2026-04-01: c1's visits end 2026-03-20, before it; c2's on 2026-05-02."""
    policy = compile_text(LISTED)
    cases = [
        {"id": "c1", "start": "2026-03-02", "finished": None, "visits": ["2026-03-20"]},
        {"id": "c2", "start": "2026-03-02", "visits": ["2026-03-05", "2026-05-02", "2026-04-02"]},
    ]
    (d,) = _refused(policy, {"cases": cases}, as_of="2026-04-01").diagnostics
    assert d.message.startswith(
        "cases[1].visits: the latest of case c2's visits (检查日期) is 2026-05-02, after as_of"
    )
    assert policy.evaluate({"cases": cases[:1]}, as_of="2026-04-01").decisions


def test_many_dates_are_said_up_to_a_bound_and_counted(policy: policyrules.Policy) -> None:
    """Seven approvals after as_of (a whole registry on the wrong day, say): the first
    SHOWN (5) are said, then one line counts the other 2."""
    apps = [
        {"id": f"A{i}", "submitted_on": "2026-01-05", "approved_on": "2026-02-10"} for i in range(7)
    ]
    got = _refused(
        policy, {"firms": [{"id": "d", "pilot_applications": apps}]}, as_of="2026-02-01"
    ).diagnostics
    assert len(got) == 5 + 1  # policyrules.facts_dated.SHOWN, then the count
    assert got[-1].message == "and 2 more date(s) after as_of 2026-02-01 (7 in all)"


def test_explain_with_facts_is_refused(cta: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "explain", POLICY, "jybf_2025_5/(六)", "--facts", cta, "--as-of", "2026-12-05"
    )
    assert (code, out) == (2, "")
    assert f"error[E353]: {WHERE}: {SAID}" in err


def test_diff_is_refused(cta: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diff` evaluates twice, both as of the day: refused before either."""
    code, out, err = run_cli(
        capsys,
        "diff",
        POLICY,
        cta,
        "--assume",
        "holiday_schedule=weekends_only",
        "--as-of",
        "2026-12-05",
    )
    assert (code, out) == (2, "")
    assert f"error[E353]: {WHERE}: {SAID}" in err


# ---- the batch on DuckDB ---------------------------------------------------------------------


def test_the_batch_refuses_as_eval_does(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same refusal, placed at the table's file; nothing is written."""
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "batch", POLICY, registry, "--out", out, "--as-of", "2026-12-05")
    assert code == 2
    assert f"error[E353]: {registry / 'pilot_applications.csv'}: {SAID}" in err
    assert "hint: if the date is mistyped, correct it" in err
    assert not out.exists()


def test_evaluate_batch_raises_the_one_by_one_diagnostics(
    policy: policyrules.Policy, registry: Path
) -> None:
    """`Policy.evaluate_batch`: the same code, message after the place, hint; several
    dates in the same order (as of 2026-11-15: C1's submission, then C2's approval)."""
    for day, count in (("2026-12-05", 1), ("2026-11-15", 2)):
        with pytest.raises(FactsError) as info:
            policy.evaluate_batch(registry, as_of=day)
        batch = info.value.diagnostics
        one = _refused(policy, CTA_DATA, as_of=day).diagnostics
        assert len(batch) == len(one) == count
        for b, o in zip(batch, one, strict=True):
            assert (b.code, b.hint) == (o.code, o.hint)
            assert (
                b.message
                == f"{registry / 'pilot_applications.csv'}: " + o.message.split(": ", 1)[1]
            )


def test_the_batch_without_or_after_the_date_runs(
    policy: policyrules.Policy, registry: Path
) -> None:
    """Without as_of, or as of the approval's day, the batch judges C2 as eval does."""
    for day in (None, "2026-12-20"):
        result = policy.evaluate_batch(registry, as_of=day)
        try:
            rows = result.con.execute(
                "SELECT status FROM decisions WHERE subject = 'd/C2' "
                "AND provision LIKE '%trial_approval'"
            ).fetchall()
        finally:
            result.close()
        assert rows == [("not_met",)]


# ---- the service -----------------------------------------------------------------------------


def test_the_service_answers_400_with_the_code(policy: policyrules.Policy) -> None:
    with TestClient(create_app(policy)) as client:
        answer = client.post(
            "/v1/evaluate?as_of=2026-12-05",
            json=CTA_DATA,
        )
        later = client.post("/v1/evaluate?as_of=2026-12-20", json=CTA_DATA)
    assert answer.status_code == 400
    (e,) = answer.json()["errors"]
    assert (e["code"], e["path"], e["message"]) == ("E353", WHERE, f"{WHERE}: {SAID}")
    assert e["hint"].startswith("if the date is mistyped")
    assert later.status_code == 200
