"""``eval REGISTRY --firm F`` shows the firm's decisions only.  A registry's single records
(``reports``: one row, the agency's inspection times) are read with the firm's rows, for
the provisions that read them, but the decisions on them are 京经信发〔2025〕50号 第2条's
targets, the agency's: a firm asking about itself saw them beside its own.  Now they are
left out, a note on stderr says so and how to see them (``--records``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support import BEIJING, run_cli

INSPECTION = "jjxf_2025_50/2/passive_inspection"
NOTE = (
    "note: 2 decisions on the registry's single records (reports: the agency's, not firm "
    "F1's) not shown; add --records to show them (policyrules batch gives them for the "
    "whole registry)\n"
)


def _registry(folder: Path) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nF1\n", "utf-8")
    (folder / "projects.csv").write_text(
        "id,firm_id,kind,applied_on,engineering_investment\n"
        "P2,F1,common_platform,2026-01-10,132万元\n",
        "utf-8",
    )
    (folder / "reports.csv").write_text('passive_inspection_days\n"[50, 70]"\n', "utf-8")
    return folder


def _subjects(out: str) -> set[tuple[str, str]]:
    return {(d["provision"], d["subject"]) for d in json.loads(out)["decisions"]}


def test_a_firm_sees_its_own_decisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = _registry(tmp_path / "reg")
    code, out, err = run_cli(capsys, "eval", BEIJING, reg, "--firm", "F1", "--format", "json")
    assert (code, err) == (0, NOTE)
    subjects = _subjects(out)
    assert {s for _, s in subjects} == {"F1", "F1/P2"}
    # its own award is there: 30 % × 132 万元 = 39.6 万元 (第7条)
    (platform,) = [
        d
        for d in json.loads(out)["decisions"]
        if d["provision"] == "jjxf_2025_50/7/common_platform"
    ]
    assert (platform["status"], platform["amount"]) == ("eligible", "396000.00")
    code, out, err = run_cli(capsys, "eval", BEIJING, reg, "--firm", "F1")
    assert (code, err) == (0, NOTE)
    assert "主管部门报告的数据" not in out
    assert "第7条 产业共性平台建设补助 —— 对象：F1/P2" in out


def test_records_shows_the_agencys_decisions_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "reg")
    code, out, err = run_cli(
        capsys, "eval", BEIJING, reg, "--firm", "F1", "--records", "--format", "json"
    )
    assert (code, err) == (0, "")
    # the average of 50 and 70 工作日 is 60: the target (≤ 60) met, exactly
    (target,) = [d for d in json.loads(out)["decisions"] if d["provision"] == INSPECTION]
    assert (target["subject"], target["status"]) == ("reports", "met")


def test_a_registry_without_records_says_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "reg")
    (reg / "reports.csv").unlink()
    code, _, err = run_cli(capsys, "eval", BEIJING, reg, "--firm", "F1")
    assert (code, err) == (0, "")
