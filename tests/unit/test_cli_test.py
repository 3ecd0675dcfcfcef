"""``policyrules test``: exit codes, failures expected beside computed, the JUnit report
(parsed back) and the coverage of a tiny policy, worked by hand; and the pytest plugin, run
by pytester on a temporary author repository."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support import ROOT, run_cli

pytest_plugins = ("pytester",)

# 10% of the revenue when high-tech and the revenue is at least 100 万元; at most 50 万元.
TINY = """\
entity firm
  list firms
  fact high_tech: bool
  fact revenue: money

document d "测试"

clause 1 "奖励"
  quote "q"

  award grant
    for each firm
    eligible when high_tech and revenue >= 100 万元
    amount revenue * 10%
    cap 50 万元 per firm
"""
# Four firms, one decision each:
#   a: high-tech, 600 万元 → 60 万元, cut by the cap to 50 万元 (binds, cut 10 万元)
#   b: high-tech, 200 万元 → 20 万元 (the cap does not bind)
#   c: not high-tech, 300 万元 → not eligible (high_tech false, revenue ≥ 100 万元 true)
#   d: high-tech, no revenue → unknown, missing firm.revenue
PASSING = """\
cases:
  - name: cut by the cap
    facts: {firms: [{id: a, high_tech: true, revenue: "600万元"}]}
    expect:
      - {provision: d/1/grant, subject: a, status: eligible, amount: "50万元", cut: "10万元"}
  - name: under the cap
    facts: {firms: [{id: b, high_tech: true, revenue: "200万元"}]}
    expect:
      - {provision: d/1/grant, subject: b, status: eligible, amount: "20万元", binding: []}
  - name: not high-tech
    facts: {firms: [{id: c, high_tech: false, revenue: "300万元"}]}
    expect:
      - {provision: d/1/grant, subject: c, status: not_eligible}
  - name: revenue unknown
    facts: {firms: [{id: d, high_tech: true}]}
    expect:
      - {provision: d/1/grant, subject: d, status: unknown, missing_facts: [firm.revenue]}
"""
# 600 万元 × 10% = 60 万元 capped to 50 万元: 60 万元 is wrong.
FAILING = """\
cases:
  - name: forgets the cap
    facts: {firms: [{id: a, high_tech: true, revenue: "600万元"}]}
    expect:
      - {provision: d/1/grant, subject: a, status: eligible, amount: "60万元"}
"""

# The file's own fault: two cases named alike (E702), so its cases cannot be told apart.
TWICE = FAILING + FAILING.removeprefix("cases:\n")
# Three cases, the second expecting a provision the policy does not have (E707, line 9);
# the first passes and the third fails as FAILING does.
MIXED = """\
cases:
  - name: cut by the cap
    facts: {firms: [{id: a, high_tech: true, revenue: "600万元"}]}
    expect:
      - {provision: d/1/grant, subject: a, status: eligible, amount: "50万元", cut: "10万元"}
  - name: a typo in the provision
    facts: {firms: [{id: b, high_tech: true, revenue: "200万元"}]}
    expect:
      - {provision: d/1/grnt, subject: b, status: eligible, amount: "20万元"}
  - name: forgets the cap
    facts: {firms: [{id: a, high_tech: true, revenue: "600万元"}]}
    expect:
      - {provision: d/1/grant, subject: a, status: eligible, amount: "60万元"}
"""


def _policy(root: Path, *cases: tuple[str, str]) -> Path:
    directory = root / "mypolicy"
    (directory / "cases").mkdir(parents=True)
    (directory / "tiny.rule").write_text(TINY, encoding="utf-8")
    for name, text in cases:
        (directory / "cases" / name).write_text(text, encoding="utf-8")
    return directory


def test_all_pass_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING))
    code, out, err = run_cli(capsys, "test", policy)
    assert (code, err) == (0, "")
    assert out == "4 cases in 1 file: 4 passed, 0 failed, 0 errors\n"


def test_a_failure_exits_1_with_expected_beside_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING), ("bad.yaml", FAILING))
    code, out, _ = run_cli(capsys, "test", policy)
    assert code == 1
    assert out == (
        "FAIL bad.yaml::forgets the cap\n"
        "  d/1/grant a\n"
        "    amount  expected 60 万元\n"
        "            computed 50 万元\n"
        "\n"
        "5 cases in 2 files: 4 passed, 1 failed, 0 errors\n"
    )
    # Only the named file runs.
    code, out, _ = run_cli(capsys, "test", policy, policy / "cases" / "ok.yaml")
    assert code == 0
    assert out.startswith("4 cases in 1 file")


def test_input_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING), ("twice.yaml", TWICE))
    code, out, err = run_cli(capsys, "test", policy)
    assert code == 2
    assert "twice.yaml:6:" in err
    assert "error[E702]" in err
    assert out.endswith("4 passed, 0 failed, 0 errors; 1 case file(s) could not be read\n")
    code, _, err = run_cli(capsys, "test", policy, tmp_path / "nowhere")
    assert code == 2
    assert "E708" in err
    code, _, err = run_cli(capsys, "test", tmp_path)  # not a policy: no .rule files
    assert code == 2
    assert err


def test_a_bad_expectation_fails_its_case_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case with the typo is an error with its code, place and hint; the file's other
    two cases run (one passes, one fails); the exit status is 2, as for any input error."""
    policy = _policy(tmp_path, ("mixed.yaml", MIXED))
    code, out, err = run_cli(capsys, "test", policy)
    assert (code, err) == (2, "")
    typo, forgets, summary = out.split("\n\n")
    assert typo.startswith(
        "FAIL mixed.yaml::a typo in the provision\n"
        "  error: the case is malformed, so it was not run\n"
        f"    {policy / 'cases' / 'mixed.yaml'}:9:21: error[E707]: "
        "case 'a typo in the provision': no provision 'd/1/grnt' in the policy\n"
    )
    assert typo.endswith("= hint: did you mean 'd/1/grant'?")
    assert forgets == (
        "FAIL mixed.yaml::forgets the cap\n"
        "  d/1/grant a\n"
        "    amount  expected 60 万元\n"
        "            computed 50 万元"
    )
    assert summary == "3 cases in 1 file: 1 passed, 1 failed, 1 error\n"
    report = tmp_path / "junit.xml"
    code, out, _ = run_cli(capsys, "test", policy, "--format", "json", "--junit-xml", report)
    assert code == 2
    data = json.loads(out)
    assert (data["summary"]["passed"], data["summary"]["failed"]) == (1, 1)
    assert (data["summary"]["errors"], data["file_errors"]) == (1, [])
    errored = data["failures"][0]
    assert errored["case"] == "mixed.yaml::a typo in the provision"
    assert [(e["code"], e["line"], e["col"], e["hint"]) for e in errored["error"]] == [
        ("E707", 9, 21, "did you mean 'd/1/grant'?")
    ]
    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    [error] = root.findall("testsuite/testcase/error")
    assert (error.get("type"), error.get("message")) == (
        "E707",
        "the case is malformed, so it was not run",
    )


def test_junit_xml_parses_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING), ("bad.yaml", FAILING))
    report = tmp_path / "junit.xml"
    code, _, _ = run_cli(capsys, "test", policy, "--junit-xml", report)
    assert code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["bad.yaml", "ok.yaml"]
    assert suites["ok.yaml"].get("tests") == "4"
    assert [c.get("name") for c in suites["ok.yaml"].findall("testcase")] == [
        "cut by the cap",
        "under the cap",
        "not high-tech",
        "revenue unknown",
    ]
    assert all(c.find("failure") is None for c in suites["ok.yaml"].findall("testcase"))
    [case] = suites["bad.yaml"].findall("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "amount: expected 60 万元, computed 50 万元"
    assert "computed 50 万元" in (failure.text or "")
    for c in root.iter("testcase"):
        float(c.get("time") or "x")  # a number of seconds


def test_coverage_of_the_tiny_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING))
    code, out, _ = run_cli(capsys, "test", policy, "--coverage", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["passed"] == 4
    [row] = data["coverage"]["provisions"]
    assert row["decisions"] == 4  # a, b, c, d
    # high_tech: true for a, b, d; false for c.  revenue ≥ 100 万元: true for a (600),
    # b (200), c (300); unknown for d; never false.
    assert [(c["text"], c["true"], c["false"], c["unknown"]) for c in row["conditions"]] == [
        ("high_tech", 3, 1, 0),
        ("revenue >= 100 万元", 3, 0, 1),
    ]
    # The cap bound for a (60 → 50 万元), not for b (20 万元); c and d get no amount.
    assert [(c["bound"], c["not_bound"], c["unknown"]) for c in row["caps"]] == [(1, 1, 0)]
    assert row["outcomes"] == {"eligible": 2, "not_eligible": 1, "unknown": 1}
    assert row["untested_outcomes"] == []
    assert data["coverage"]["totals"] == {
        "provisions": {"covered": 1, "total": 1},
        "conditions": {"covered": 1, "total": 2},
        "caps": {"covered": 1, "total": 1},
        "outcomes": {"covered": 3, "total": 3},
    }
    code, out, _ = run_cli(capsys, "test", policy, "--coverage")
    assert code == 0
    assert out == (
        "d/1/grant (award, 4 asserted decision(s))\n"
        "  · condition never false: revenue >= 100 万元\n"
        "\n"
        "provisions: 1/1 with an asserted decision (100%)\n"
        "conditions: 1/2 seen true and false (50%)\n"
        "caps: 1/1 bound at least once (100%)\n"
        "outcomes: 3/3 reached (100%)\n"
        "\n"
        "4 cases in 1 file: 4 passed, 0 failed, 0 errors\n"
    )


def test_coverage_of_a_provision_no_case_asserts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only_c = PASSING.split("  - name: not high-tech")[1].split("  - name:")[0]
    policy = _policy(tmp_path, ("one.yaml", "cases:\n  - name: not high-tech" + only_c))
    code, out, _ = run_cli(capsys, "test", policy, "--coverage", "--format", "json")
    assert code == 0
    [row] = json.loads(out)["coverage"]["provisions"]
    # Case c alone: high_tech false, the revenue condition true; no amount, so no cap event.
    assert [(c["true"], c["false"]) for c in row["conditions"]] == [(0, 1), (1, 0)]
    assert row["untested_outcomes"] == ["eligible", "unknown"]


# ---- the pytest plugin ----------------------------------------------------------------------


def test_the_plugin_collects_an_author_repository(pytester: pytest.Pytester) -> None:
    _policy(pytester.path, ("ok.yaml", PASSING), ("bad.yaml", FAILING))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["*FAIL bad.yaml::forgets the cap*", "*amount  expected 60 万元*", "*computed 50 万元*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_the_plugin_reports_a_malformed_case_file(pytester: pytest.Pytester) -> None:
    _policy(pytester.path, ("twice.yaml", TWICE))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*twice.yaml:6:*error[[]E702[]]*"])


def test_the_plugin_fails_a_malformed_case_alone(pytester: pytest.Pytester) -> None:
    _policy(pytester.path, ("mixed.yaml", MIXED))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*FAIL mixed.yaml::a typo in the provision*",
            "*mixed.yaml:9:21: error[[]E707[]]*",
            "*hint: did you mean 'd/1/grant'?*",
        ]
    )


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    _policy(pytester.path, ("ok.yaml", PASSING))
    pytester.makeini("[pytest]\npolicyrules_cases = false\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_yaml_outside_a_policy_is_not_collected(pytester: pytest.Pytester) -> None:
    (pytester.path / "cases").mkdir()
    (pytester.path / "cases" / "x.yaml").write_text(PASSING, encoding="utf-8")  # no .rule file
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_this_project_does_not_collect_its_own_cases_twice() -> None:
    # tests/policies/test_cases.py runs them; the plugin is switched off here.
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert options["tool"]["pytest"]["ini_options"]["policyrules_cases"] is False
    entry = options["project"]["entry-points"]["pytest11"]
    assert entry == {"policyrules": "policyrules.pytest_plugin"}


def test_json_and_junit_carry_the_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts_error = FAILING.replace("high_tech: true", "high_tech: true, nope: 1")
    policy = _policy(
        tmp_path,
        ("bad.yaml", FAILING),
        ("facts.yaml", facts_error),
        ("twice.yaml", TWICE),
    )
    report = tmp_path / "junit.xml"
    code, out, _ = run_cli(capsys, "test", policy, "--format", "json", "--junit-xml", report)
    assert code == 2
    data = json.loads(out)
    assert data["summary"] == {
        "cases": 2,
        "passed": 0,
        "failed": 1,
        "errors": 1,
        "files": 3,
        "unreadable_files": [str(policy / "cases" / "twice.yaml")],
    }
    failed, errored = data["failures"]
    assert failed["case"] == "bad.yaml::forgets the cap"
    [mismatch] = failed["mismatches"]
    assert (mismatch["field"], mismatch["expected"], mismatch["computed"]) == (
        "amount",
        "60 万元",
        "50 万元",
    )
    assert [(e["code"], e["line"]) for e in errored["error"]] == [("E303", 3)]
    assert [[(e["code"], e["line"]) for e in f] for f in data["file_errors"]] == [[("E702", 6)]]
    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "2")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    error = suites["twice.yaml"].find("testcase/error")
    assert error is not None
    assert error.get("type") == "E702"
    error = suites["facts.yaml"].find("testcase/error")
    assert error is not None
    assert error.get("type") == "E303"


def test_an_unwritable_report_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _policy(tmp_path, ("ok.yaml", PASSING))
    code, out, err = run_cli(capsys, "test", policy, "--junit-xml", tmp_path / "no" / "r.xml")
    assert code == 2
    assert out == ""
    assert "E334" in err


# A misspelt fact (`revnue`) in flow style and in block style: shown at its key, as `eval`
# shows it; a value that is not a number of 万元 (`lots`) at that value.
PLACED = """\
cases:
  - name: flow
    facts: {firms: [{id: a, high_tech: true, revnue: "600万元"}]}
    expect: [{provision: d/1/grant, subject: a, status: eligible}]
  - name: block
    facts:
      firms:
        - id: b
          high_tech: true
          revnue: 600万元
    expect: [{provision: d/1/grant, subject: b, status: eligible}]
  - name: value
    facts: {firms: [{id: c, high_tech: true, revenue: lots}]}
    expect: [{provision: d/1/grant, subject: c, status: eligible}]
"""


def test_a_fact_error_in_a_case_is_placed_where_eval_places_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown fact in a case is shown at its key, flow style or block style, as eval
    shows it (it was at the value beside it, 12 columns off in the user's file); a bad
    value at the value."""
    policy = _policy(tmp_path, ("placed.yaml", PLACED))
    code, out, _ = run_cli(capsys, "test", policy, "--format", "json")
    assert code == 2
    places = [
        [(e["code"], e["line"], e["col"]) for e in f["error"]] for f in json.loads(out)["failures"]
    ]
    # Line 3 `    facts: {firms: [{id: a, high_tech: true, ` is 4 + 7 + 8 + 2 + 7 + 17 = 45
    # characters: `revnue` at 46; line 10 `          revnue: …` at 11; line 13, 45 characters
    # and `revenue: ` 9: `lots` at 55.
    assert places == [[("E303", 3, 46)], [("E303", 10, 11)], [("E303", 13, 55)]]
    # The same facts given to eval are shown at the same key.
    facts = tmp_path / "facts.yaml"
    facts.write_text('firms: [{id: a, high_tech: true, revnue: "600万元"}]\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "eval", policy, facts)
    assert code == 2
    assert f"{facts}:1:34: error[E303]" in err  # `firms: [{id: a, high_tech: true, `: 33
