"""Hints for a new author's slips, each seen by a new user of the shipped policy: a member
quoted, a member misspelt, `in forse`, `once per` written twice, a facts file given as the
policy.  And every code the checker reports is in the guide's table of codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policyrules
from policyrules import RuleCheckError
from policyrules.cli import main
from policyrules.errors import Diagnostic

ROOT = Path(__file__).resolve().parents[2]

HEAD = """enum Kind { park "园区", common_platform "产业共性平台" }
entity project "项目"
  list projects
  fact kind: Kind
  fact cost: money
  fact applied_on: date

document d "测试"
  valid from 2025-01-01 to 2026-12-31

clause 1 "t"
  quote "q"

  award a
    for each project
    amount decided cost
"""


def _errors(*lines: str) -> list[Diagnostic]:
    text = HEAD + "".join(f"    {line}\n" for line in lines)
    with pytest.raises(RuleCheckError) as info:
        policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    return list(info.value.diagnostics)


def test_a_quoted_member_is_told_to_be_unquoted() -> None:
    (d,) = _errors('eligible when kind = "common_platform"')
    assert (d.code, d.message) == ("E204", "cannot compare Kind with text")
    assert d.hint == 'a member is written unquoted: `common_platform`, not `"common_platform"`'


def test_a_quoted_text_that_is_no_member_keeps_its_plain_error() -> None:
    (d,) = _errors('eligible when kind = "platform"')
    assert (d.code, d.hint) == ("E204", None)


@pytest.mark.parametrize(
    "line",
    [
        "eligible when kind = comon_platform",
        "eligible when comon_platform != kind",
        "eligible when kind = Kind.comon_platform",
    ],
)
def test_a_misspelt_member_is_named_as_a_member(line: str) -> None:
    (d,) = _errors(line)
    assert d.code == "E203"
    assert d.message.endswith("is not a member of Kind (nor a fact)")
    assert d.hint == "did you mean the member 'common_platform'?"


def test_a_misspelt_fact_is_still_an_unknown_fact() -> None:
    (d,) = _errors("eligible when kindd = park")
    assert (d.code, d.message, d.hint) == ("E203", "unknown fact 'kindd'", "did you mean 'kind'?")


def test_a_misspelt_name_is_offered_the_names_its_position_takes_first() -> None:
    """The trial's ``eligible when approv in force`` was told ``did you mean 'approval'?``,
    a member of an enum, where `in force` takes a date: the date fact comes first."""
    text = HEAD.replace("{ park", '{ approval "获批", park').replace(
        "fact applied_on: date", "fact approved_on: date"
    )
    lines = "    eligible when approv in force\n"
    with pytest.raises(RuleCheckError) as info:
        policyrules.check([policyrules.parse(text + lines, "t.rule")])
    (d,) = info.value.diagnostics
    assert (d.code, d.message, d.hint) == (
        "E203",
        "unknown fact 'approv'",
        "did you mean 'approved_on'?",
    )


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        # A compared name takes the other side's type: a date, then money.
        ("eligible when aplied >= 2025-03-01", "did you mean 'applied_on'?"),
        ("eligible when cots <= 100 万元", "did you mean 'cost'?"),
        # Nothing of the type close: every name, as before.
        ("eligible when kindd in force", "did you mean 'kind'?"),
    ],
)
def test_the_position_s_type_comes_first_else_every_name(line: str, hint: str) -> None:
    (d,) = _errors(line)
    assert (d.code, d.hint) == ("E203", hint)


def test_in_forse_hints_in_force() -> None:
    (d,) = _errors("eligible when applied_on in forse")
    assert (d.code, d.message) == ("E203", "unknown fact 'forse'")
    assert (d.hint or "").startswith("did you mean `in force`?")


def test_once_per_the_same_entity_twice_is_refused() -> None:
    (d,) = _errors("once per project", "cap 1 万元 per project", "once per project")
    assert (d.code, d.message) == ("E209", "`once per project` is written twice")
    assert d.span is not None
    assert d.span.line == HEAD.count("\n") + 3


@pytest.mark.parametrize("name", ["my.yaml", "my.yml", "facts.JSON"])
def test_a_facts_file_given_as_the_policy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    facts = tmp_path / name
    facts.write_text("firms:\n  - id: f1\n", "utf-8")
    assert main(["check", str(facts)]) == 1
    err = capsys.readouterr().err
    assert f"error[E100]: {facts}: looks like a facts file" in err
    assert "`policyrules check POLICY`" in err
    assert "`policyrules eval POLICY FACTS`" in err


def test_every_code_of_the_checker_is_in_the_guide() -> None:
    guide = (ROOT / "grammar" / "README.md").read_text("utf-8")
    documented = set(re.findall(r"^\| ([EW]\d{3}) \|", guide, re.MULTILINE))
    src = ROOT / "src" / "policyrules"
    files = [*src.glob("check*.py"), *src.glob("typing*.py"), src / "rule_files.py"]
    used = {c for f in files for c in re.findall(r'"([EW][12]\d\d)"', f.read_text("utf-8"))}
    assert used
    assert used - documented == set()
