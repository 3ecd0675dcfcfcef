"""``policyrules test --coverage`` on an exclusive group (就高不重复): whether a case saw it
decide (one claim paid over another), tie (E423) or stay undecided.  hCD's trial: the report
said nothing of the group of its 第五条 at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import run_cli

# 甲 10% of cost, 乙 20% of other_cost; the higher is paid (no tie rule: equal is E423).
RULES = """\
entity firm
  list firms
  fact ok: bool
  fact other_ok: bool
  fact cost: money
  fact other_cost: money

document d "测试"

clause 1 "支持"
  quote "q"
  exclusive x, y among firm keep highest

  award x
    for each firm
    eligible when ok
    amount cost * 10%

  award y
    for each firm
    eligible when other_ok
    amount other_cost * 20%
"""
# a: 甲 500 万元 × 10% = 50 万元 over 乙 100 万元 × 20% = 20 万元: 甲 paid, 乙 not.
DECIDED = """\
cases:
  - name: x wins
    facts: {firms: [{id: a, ok: true, other_ok: true, cost: "500万元", other_cost: "100万元"}]}
    expect:
      - {provision: d/1/x, subject: a, status: eligible, amount: "50万元"}
      - {provision: d/1/y, subject: a, status: not_eligible}
"""
# b: 200 万元 × 10% = 20 万元 = 100 万元 × 20%: a tie, both unknown (E423).
# c: 乙 not known eligible (other_ok not given): 甲's 50 万元 is at most.
OPEN = """\
cases:
  - name: a tie
    facts: {firms: [{id: b, ok: true, other_ok: true, cost: "200万元", other_cost: "100万元"}]}
    expect:
      - {provision: d/1/x, subject: b, status: unknown}
  - name: y not known
    facts: {firms: [{id: c, ok: true, cost: "500万元", other_cost: "100万元"}]}
    expect:
      - {provision: d/1/x, subject: c, status: eligible, amount: "50万元", amount_kind: up_to}
"""
HEAD = "exclusive x, y among firm keep highest (clause d/1, "


def _policy(root: Path, *cases: str) -> Path:
    directory = root / "mypolicy"
    (directory / "cases").mkdir(parents=True)
    (directory / "t.rule").write_text(RULES, encoding="utf-8")
    for i, text in enumerate(cases):
        (directory / "cases" / f"{i}.yaml").write_text(text, encoding="utf-8")
    return directory


def _report(capsys: pytest.CaptureFixture[str], policy: Path, *more: str) -> str:
    code, out, err = run_cli(capsys, "test", str(policy), "--coverage", *more)
    assert (code, err) == (0, "")
    return out


def test_a_group_seen_deciding_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both decisions of case a are the group deciding; a tie and an open claim were not
    tried: both listed as untested, as a provision's outcomes are."""
    policy = _policy(tmp_path, DECIDED)
    out = _report(capsys, policy)
    assert (
        f"{HEAD}2 asserted decision(s))\n"
        "  · outcome never reached: tie: no case has equal amounts with no tie rule (E423)\n"
        "  · outcome never reached: undecided: no case has a claim not yet known beside "
        "another\n"
    ) in out
    assert "exclusive groups: 1/1 seen deciding (one claim paid over another) (100%)\n" in out
    data = json.loads(_report(capsys, policy, "--format", "json"))["coverage"]
    assert data["exclusive_groups"] == [
        {
            "clause": "d/1",
            "awards": ["d/1/x", "d/1/y"],
            "among": "firm",
            "rule": "keep highest",
            "decisions": 2,
            "outcomes": {"decided": 2, "tie": 0, "undecided": 0},
            "untested_outcomes": ["tie", "undecided"],
        }
    ]
    assert data["totals"]["exclusive_groups"] == {"covered": 1, "total": 1}


def test_a_group_never_seen_deciding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tie and an open claim, no claim ever winning: the group is untested."""
    out = _report(capsys, _policy(tmp_path, OPEN))
    assert (
        f"{HEAD}2 asserted decision(s))\n"
        "  · outcome never reached: decided: no case has one claim win over another\n"
    ) in out
    assert "exclusive groups: 0/1 seen deciding (one claim paid over another) (0%)\n" in out


def test_every_outcome_reached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = _policy(tmp_path, DECIDED, OPEN)
    assert HEAD not in _report(capsys, policy)  # nothing untested: not listed
    out = _report(capsys, policy, "--coverage-all")
    assert f"{HEAD}4 asserted decision(s))\n  outcomes: decided 2, tie 1, undecided 1\n" in out


def test_a_group_no_case_touches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only y is asserted, for a firm x does not claim: the group touched nothing."""
    alone = """\
cases:
  - name: y alone
    facts: {firms: [{id: e, ok: false, other_ok: true, other_cost: "100万元"}]}
    expect:
      - {provision: d/1/y, subject: e, status: eligible, amount: "20万元"}
"""
    out = _report(capsys, _policy(tmp_path, alone))
    assert (
        f"{HEAD}0 asserted decision(s))\n  · no case asserts a decision the group touched\n" in out
    )
    assert "exclusive groups: 0/1" in out


def test_a_policy_without_groups_reports_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _policy(tmp_path, DECIDED)
    rules = policy / "t.rule"
    rules.write_text(RULES.replace("  exclusive x, y among firm keep highest\n", ""), "utf-8")
    (policy / "cases" / "0.yaml").write_text(
        DECIDED.replace(
            "{provision: d/1/y, subject: a, status: not_eligible}",
            '{provision: d/1/y, subject: a, status: eligible, amount: "20万元"}',
        ),
        "utf-8",
    )
    out = _report(capsys, policy)
    assert "exclusive" not in out
    data = json.loads(_report(capsys, policy, "--format", "json"))["coverage"]
    assert data["exclusive_groups"] == []
    assert "exclusive_groups" not in data["totals"]
