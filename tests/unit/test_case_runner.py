"""The worked-case runner (policyrules.cases, policyrules.cases_run) on a tiny policy:
expectations right and deliberately wrong, field by field, and malformed case files, each
error located in its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.cases import CaseFileError, WorkedCase, case_files, load_case_file
from policyrules.cases_run import failure_text, run_case, summary_line

# 10% of the revenue, at most 50 万元 per firm.
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
GRANT = "d/1/grant"
# Firm a: 600 万元 × 10% = 60 万元, cut by the cap to 50 万元 (a cut of 10 万元).
FIRM_A = {"firms": [{"id": "a", "high_tech": True, "revenue": "600万元"}]}
RIGHT = {
    "provision": GRANT,
    "subject": "a",
    "status": "eligible",
    "amount": "50万元",
    "amount_kind": "exact",
    "binding": ["50 万元 per firm"],
    "cut": "10万元",
    "missing_facts": [],
    "missing_parameters": [],
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tiny")
    (directory / "tiny.rule").write_text(TINY, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def policy(tiny: Path) -> policyrules.Policy:
    return policyrules.load(tiny)


def _case(facts: Any, *expect: dict[str, Any]) -> WorkedCase:
    return WorkedCase("t.yaml", "c", facts, expect)


def test_right_expectations_pass(policy: policyrules.Policy) -> None:
    result = run_case(policy, _case(FIRM_A, RIGHT))
    assert result.passed
    assert [r.field for r in result.rows] == [
        "status",
        "amount",
        "amount_kind",
        "binding caps",
        "cut",
        "missing facts",
        "missing parameters",
    ]
    assert [d.subject for d in result.decisions] == ["a"]


@pytest.mark.parametrize(
    ("key", "wrong", "field", "expected", "computed"),
    [
        ("status", "not_eligible", "status", "not_eligible", "eligible"),
        # one fen more than the 50 万元 granted
        ("amount", "500000.01", "amount", "500,000.01 元", "50 万元"),
        ("amount", None, "amount", "—", "50 万元"),
        ("amount_kind", "up_to", "amount_kind", "up_to", "exact"),
        ("binding", [], "binding caps", "[]", "50 万元 per firm"),
        ("cut", "11万元", "cut", "11 万元", "10 万元"),
        ("missing_facts", ["firm.revenue"], "missing facts", "firm.revenue", "[]"),
        ("missing_parameters", ["rate"], "missing parameters", "rate", "[]"),
        ("due", "2026-01-01", "due", "2026-01-01", "—"),
    ],
)
def test_each_wrong_field_is_one_mismatch(
    policy: policyrules.Policy, key: str, wrong: Any, field: str, expected: str, computed: str
) -> None:
    result = run_case(policy, _case(FIRM_A, dict(RIGHT, **{key: wrong})))
    assert not result.passed
    [row] = result.failures
    assert (row.field, row.expected, row.computed) == (field, expected, computed)
    text = failure_text(result)
    assert f"expected {expected}" in text
    assert f"computed {computed}" in text


def test_a_decision_not_made_fails_and_reasons_are_shown(policy: policyrules.Policy) -> None:
    # Firm b is not high-tech: not eligible, and the reason says which condition failed.
    facts = {"firms": [{"id": "b", "high_tech": False, "revenue": "300万元"}]}
    result = run_case(
        policy,
        _case(
            facts,
            {"provision": GRANT, "subject": "b", "status": "eligible"},
            {"provision": GRANT, "subject": "zz", "status": "eligible"},
        ),
    )
    status, missing = result.failures
    assert (status.expected, status.computed) == ("eligible", "not_eligible")
    assert any("high_tech" in why for why in status.reasons)
    # No decision for `zz`: none, and the subjects the provision was decided for (b).
    assert (missing.field, missing.computed) == ("decision", "none for this subject; decided for b")
    text = failure_text(result)
    assert "reason: high_tech does not hold" in text
    assert summary_line([result], 1) == "1 case in 1 file: 0 passed, 1 failed, 0 errors"


def test_facts_that_break_the_schema_are_a_located_error(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "cases:\n  - name: bad facts\n    facts:\n      firms: [{id: a, nope: 1}]\n"
        f"    expect: [{{provision: {GRANT}, subject: a, status: eligible}}]\n",
        encoding="utf-8",
    )
    [case] = load_case_file(path, policy.checked).cases
    result = run_case(policy, case)
    assert not result.passed
    assert result.error is not None
    [d] = result.error.diagnostics
    assert d.code == "E303"
    assert d.span is not None
    assert (d.span.file, d.span.line) == (str(path), 4)
    assert "case 'bad facts'" in d.message
    assert summary_line([result], 1).endswith("0 failed, 1 error")


def _errors(tmp_path: Path, text: str, policy: policyrules.Policy | None = None) -> list[Any]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case_file(path, policy.checked if policy is not None else None)
    for d in info.value.diagnostics:
        assert d.span is not None, d
        assert d.span.file == str(path)
    return [(d.code, d.span.line, d.message, d.hint) for d in info.value.diagnostics]


EXPECT = f"    expect: [{{provision: {GRANT}, subject: a, status: eligible}}]\n"


FAULTS = [
    ("- 1\n", "E700", 1, "no `cases:` list"),
    ("cases: {a: 1}\n", "E700", 1, "no `cases:` list"),
    ("cases:\n  - 3\n", "E701", 2, "case 1: not a mapping"),
    ("cases:\n  - facts: {}\n" + EXPECT, "E701", 2, "case 1: no name"),
    ("cases:\n  - name: c\n" + EXPECT + "  - name: c\n" + EXPECT, "E702", 4, "used twice"),
    ("cases:\n  - name: c\n    fact: {}\n" + EXPECT, "E703", 3, "unknown key `fact`"),
    ("cases:\n  - name: c\n    expect: []\n", "E704", 3, "no expectation"),
    ("cases:\n  - name: c\n    expect:\n      - 1\n", "E705", 4, "not a mapping"),
    (
        "cases:\n  - name: c\n    expect:\n      - {provision: d/1/grant, subject: a}\n",
        "E705",
        4,
        "without `status`",
    ),
    (
        "cases:\n  - name: c\n    expect:\n"
        "      - {provision: d/1/grant, status: eligible, amout: 1}\n",
        "E703",
        4,
        "unknown key `amout`",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grant\n        status: eligble\n",
        "E706",
        5,
        "'eligble' is not a status",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grant\n"
        "        status: eligible\n        amount: 八十万\n",
        "E706",
        6,
        "is not an amount",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grant\n"
        "        status: eligible\n        amount_kind: about\n",
        "E706",
        6,
        "is not an amount kind",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grant\n"
        "        status: eligible\n        binding: 50 万元\n",
        "E706",
        6,
        "is not a list of names",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grant\n"
        "        status: eligible\n        due: 2026-13-01\n",
        "E706",
        6,
        "is not a date",
    ),
    (
        "cases:\n  - name: c\n    expect:\n      - provision: d/1/grnt\n        status: eligible\n",
        "E707",
        4,
        "no provision 'd/1/grnt'",
    ),
]
# The faults of the file itself (no case, or none its results could be named by).
FILE_FAULTS = ("E700", "E701", "E702")


@pytest.mark.parametrize(("text", "code", "line", "words"), FAULTS)
def test_each_fault_of_a_case_file_is_located(
    policy: policyrules.Policy, tmp_path: Path, text: str, code: str, line: int, words: str
) -> None:
    [(got_code, got_line, message, hint)] = _errors(tmp_path, text, policy)
    assert (got_code, got_line) == (code, line)
    assert words in message
    assert hint


@pytest.mark.parametrize(("text", "code", "line", "words"), FAULTS)
def test_keep_faulty_leaves_a_cases_own_fault_to_that_case(
    policy: policyrules.Policy, tmp_path: Path, text: str, code: str, line: int, words: str
) -> None:
    """``policyrules test`` reads with ``keep_faulty``: the fault inside a named case is
    that case's, which runs as an error with it (code, place, hint), not evaluated; the
    file's own faults still refuse the file."""
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    if code in FILE_FAULTS:
        with pytest.raises(CaseFileError) as info:
            load_case_file(path, policy.checked, keep_faulty=True)
        assert [d.code for d in info.value.diagnostics] == [code]
        return
    [case] = load_case_file(path, policy.checked, keep_faulty=True).cases
    [fault] = case.faults
    assert fault.span is not None
    assert (fault.code, fault.span.file, fault.span.line) == (code, str(path), line)
    assert words in fault.message
    assert fault.hint
    result = run_case(policy, case)
    assert (result.passed, result.rows) == (False, ())
    assert isinstance(result.error, CaseFileError)
    assert result.error.diagnostics == (fault,)
    text = failure_text(result)
    assert text.startswith("FAIL c.yaml::c\n  error: the case is malformed, so it was not run\n")
    assert f"c.yaml:{line}:" in text
    assert f"error[{code}]" in text
    assert f"hint: {fault.hint}" in text


def test_every_fault_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = "cases:\n  - name: c\n    expect:\n      - {provision: x, status: no, cutt: 1}\n"
    codes = sorted(code for code, *_ in _errors(tmp_path, text))
    assert codes == ["E703", "E706"]  # without a policy, no E707


def test_the_closest_name_is_suggested(policy: policyrules.Policy, tmp_path: Path) -> None:
    text = "cases:\n  - name: c\n    expect:\n      - {provision: d/1/grnt, status: eligible}\n"
    [(_, _, _, hint)] = _errors(tmp_path, text, policy)
    assert hint == "did you mean 'd/1/grant'?"


def test_a_file_that_is_not_yaml_is_a_facts_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("cases: [\n", encoding="utf-8")
    with pytest.raises(policyrules.FactsError) as info:
        load_case_file(path)
    assert info.value.code == "E302"


def test_case_files_of_targets(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("cases: []\n", encoding="utf-8")
    (tmp_path / "a.yml").write_text("cases: []\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert case_files([tmp_path]) == [tmp_path / "a.yml", tmp_path / "b.yaml"]
    with pytest.raises(CaseFileError) as info:
        case_files([tmp_path / "missing"])
    assert info.value.code == "E708"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CaseFileError) as info:
        case_files([empty])
    assert info.value.code == "E708"
    outside = tmp_path / "outside.yaml"
    outside.write_text("cases: []\n", encoding="utf-8")
    (empty / "link.yaml").symlink_to(outside)
    with pytest.raises(policyrules.FactsError) as info:
        case_files([empty])
    assert info.value.code == "E255"


def test_a_cases_own_chinese_title_names_it_on_the_measure_page(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    from policyrules.sphinxext_cases import case_title

    path = tmp_path / "c.yaml"
    path.write_text(
        "cases:\n  - name: c\n    title_zh: 高新技术企业：按营业收入 10% 奖励\n" + EXPECT,
        encoding="utf-8",
    )
    [case] = load_case_file(path, policy.checked).cases
    clause = policy.checked.clause("d/1")
    assert clause is not None
    assert case_title(policy.checked, clause, case) == "高新技术企业：按营业收入 10% 奖励"
    untitled = WorkedCase("t.yaml", "c", {}, case.expect)
    assert case_title(policy.checked, clause, untitled) == "a 符合条件"


def test_a_subject_mistyped_shows_the_subjects_decided(policy: policyrules.Policy) -> None:
    """An expectation naming a subject with no decision lists the provision's subjects and
    the close one (`bb` for `b`); a provision that decided nothing says that."""
    facts = {"firms": [{"id": "b", "high_tech": False, "revenue": "300万元"}]}
    result = run_case(
        policy,
        _case(
            facts,
            {"provision": GRANT, "subject": "bb", "status": "eligible"},
            {"provision": GRANT + "x", "subject": "b", "status": "eligible"},
        ),
    )
    typo, nothing = result.failures
    assert typo.computed == "none for this subject; decided for b (did you mean 'b'?)"
    assert nothing.computed == f"none: no decision under {GRANT}x for these facts"
