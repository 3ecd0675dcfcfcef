"""Provenance: every JSON result says what computed it; the policy digest is stable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.support import run_cli

import policyrules
from policyrules.provenance import policy_digest, policy_files, provenance
from policyrules.runtime.calendar import published_years

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"


@pytest.fixture(scope="module")
def digest() -> tuple[str, int]:
    return policy_digest(policyrules.load(POLICY))


def test_files_are_the_rule_files_and_their_sources() -> None:
    """4 .rule files and the 2 official texts they quote; not the worked cases."""
    assert sorted(policy_files(policyrules.load(POLICY))) == [
        "common.rule",
        "jjxf-2025-50.rule",
        "jybf-2025-5.rule",
        "medicine-entities.rule",
        "sources/jingjingxinfa-2025-50.txt",
        "sources/jingyibaofa-2025-5.txt",
    ]


def test_digest_is_the_same_wherever_the_policy_lies(
    tmp_path: Path, digest: tuple[str, int]
) -> None:
    """A copy elsewhere, without its cases, has the same digest."""
    copy = tmp_path / "elsewhere" / "policy"
    shutil.copytree(POLICY, copy, ignore=shutil.ignore_patterns("cases"))
    assert policy_digest(policyrules.load(copy)) == digest
    assert digest[0].startswith("sha256:")
    assert len(digest[0]) == len("sha256:") + 64
    assert digest[1] == 6


@pytest.mark.parametrize("changed", ["sources/jingyibaofa-2025-5.txt", "common.rule"])
def test_digest_changes_with_any_byte_of_a_rule_file_or_source(
    tmp_path: Path, digest: tuple[str, int], changed: str
) -> None:
    """A trailing newline added to one file (the policy still loads the same) changes it."""
    copy = tmp_path / "policy"
    shutil.copytree(POLICY, copy)
    with (copy / changed).open("ab") as f:
        f.write(b"\n")
    assert policy_digest(policyrules.load(copy))[0] != digest[0]


def test_eval_json_carries_provenance(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, digest: tuple[str, int]
) -> None:
    """`eval --json` names the tool, the policy digest, the calendar and the options: the
    facts file's own parameters and as_of, and --set over the file's value."""
    facts = tmp_path / "firm.yaml"
    facts.write_text(
        FIRM_A.read_text("utf-8")
        + 'parameters:\n  overseas_support_rate: "30%"\nas_of: 2026-12-31\n',
        "utf-8",
    )
    code, out, _ = run_cli(
        capsys, "eval", POLICY, facts, "--json", "--set", "overseas_support_rate=50%"
    )
    assert code == 0
    got = json.loads(out)["provenance"]
    years = published_years()
    assert years is not None
    assert got == {
        "tool": "policyrules",
        "version": policyrules.__version__,
        "policy": {"digest": digest[0], "files": 6},
        "calendar": {
            "package": "chinesecalendar",
            "version": "1.11.0",
            "published_years": list(years),
        },
        "options": {
            "as_of": "2026-12-31",
            "parameters": {"overseas_support_rate": "50%"},
            "assumptions": {},
        },
    }


def test_options_are_as_written() -> None:
    """Values keep the text they were written with; booleans and null stay JSON's."""
    policy = policyrules.load(POLICY)
    got = provenance(
        policy,
        extra={"assumptions": {"holiday_schedule": "weekends_only"}},
        parameters={"overseas_support_rate": "50%", "flag": True, "none": None},
    )
    assert got["options"] == {
        "as_of": None,
        "parameters": {"overseas_support_rate": "50%", "flag": True, "none": None},
        "assumptions": {"holiday_schedule": "weekends_only"},
    }


def test_the_calendar_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar package's version is read from the installed metadata once a process,
    not for every answer (a service's); each answer still gets a calendar object of its
    own."""
    import importlib.metadata

    from policyrules import provenance as prov

    asked: list[str] = []
    real = importlib.metadata.version

    def counted(name: str) -> str:
        asked.append(name)
        return real(name)

    prov._calendar_loaded.cache_clear()
    monkeypatch.setattr(importlib.metadata, "version", counted)
    policy = policyrules.load(POLICY)
    first, second = provenance(policy), provenance(policy)
    assert asked == ["chinesecalendar"]
    assert first["calendar"] == second["calendar"]
    assert first["calendar"]["version"] == "1.11.0"
    assert first["calendar"] is not second["calendar"]
    first["calendar"]["published_years"].append(0)
    assert provenance(policy)["calendar"] == second["calendar"]
