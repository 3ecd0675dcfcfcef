"""Messages say values as a reader writes them, never as Python prints them (a new user's
trial: `--assume tier_reading=` said `None`, a YAML key `null:` said `firms[0].None`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FACTS = ROOT / "examples" / "firm-a.yaml"


@pytest.mark.parametrize(
    ("assume", "said"),
    [
        (
            "cap_share_order=",
            "assumptions.cap_share_order: not a member of ShareOrder: nothing "
            "(one of first_approved, first_decided)",
        ),
        ("holiday_schedule=", "assumptions.holiday_schedule: nothing is not a choice"),
        ("holiday_schedule=xyz", "assumptions.holiday_schedule: 'xyz' is not a choice"),
    ],
)
def test_an_empty_or_wrong_assumption_is_said_plainly(
    assume: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["eval", str(POLICY), str(FACTS), "--assume", assume])
    err = capsys.readouterr().err
    assert code == 2
    assert f"error[E305]: {said}\n" in err
    assert "None" not in err


def test_a_fact_named_by_a_key_that_is_not_text_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "f.yaml"
    facts.write_text("firms:\n  - {id: f1, null: 3, true: 1}\n", encoding="utf-8")
    code = main(["eval", str(POLICY), str(facts)])
    err = capsys.readouterr().err
    assert code == 2
    assert "error[E303]: firms[0]: a fact's name is text, not null\n" in err
    assert "error[E303]: firms[0]: a fact's name is text, not true/false\n" in err
    assert "None" not in err


def test_a_parameter_set_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """The last --set would have won without a word."""
    code = main(["eval", str(POLICY), str(FACTS), "--set", "a=5万元", "--set", "a=6万元"])
    err = capsys.readouterr().err
    assert code == 2
    assert "error[E300]: --set a: given twice\n" in err


def test_a_mapping_that_yaml_refuses_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", str(POLICY), str(FACTS), "--set", "t={g1: 10万元, g1: 20万元}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a mapping in braces (the key 'g1' appears twice)" in err
    assert "(a table)" in err
