"""Without --as-of a registry's dates are taken as given (by design, ``facts_dated``), and
the batch's summary and a registry's ``diff`` say how many lie after today, the machine's
date (here set: the clock injected).  A new user's product approved 2027-03-01, run on
2026-12-05, was paid its 200 万元 launch reward (京经信发〔2025〕50号 第3条) for 2027 and
nothing said so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.support import BEIJING, run_cli

from policyrules import facts_dated

ROUTES = '"[""national_priority_review""]"'
WARNING = (
    "warning: 1 date fact lies after today (2026-12-05, this machine's date), taken as given "
    "(product f1/PFUT's approved_on 2027-03-01): --as-of YYYY-MM-DD would judge the dates "
    "as of that day (one after it refused, E353)"
)


def _registry(folder: Path) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nf1\n", "utf-8")
    (folder / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided\n"
        f"P1,f1,2026-03-02,{ROUTES},150万元\n"
        f"PFUT,f1,2027-03-01,{ROUTES},200万元\n",
        "utf-8",
    )
    return folder


def _today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(facts_dated, "machine_today", lambda: day)


def test_the_summary_counts_the_dates_after_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = _registry(tmp_path / "reg")
    _today(monkeypatch, dt.date(2026, 12, 5))
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o")
    # paid as given: 150 万 (P1) + 200 万 (PFUT, approved 2027) = 350 万元
    assert (code, "grants: 2, 350 万元" in out) == (0, True)
    assert out.splitlines()[-1] == WARNING
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--out", tmp_path / "o", "--summary-format", "json"
    )
    assert json.loads(out)["after_today"] == {
        "today": "2026-12-05",
        "dates": 1,
        "first": "product f1/PFUT's approved_on 2027-03-01",
    }


def test_nothing_is_said_when_no_date_is_after_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = _registry(tmp_path / "reg")
    _today(monkeypatch, dt.date(2027, 3, 1))  # the day itself is not after it
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o")
    assert (code, "warning" in out) == (0, False)
    # none after today: no first, null as a summary says any "first" it lacks (top_ups)
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--out", tmp_path / "o", "--summary-format", "json"
    )
    assert json.loads(out)["after_today"] == {"today": "2027-03-01", "dates": 0, "first": None}
    # with --as-of the dates are judged, not counted: E353 refuses the later one
    code, _, err = run_cli(
        capsys, "batch", BEIJING, reg, "--out", tmp_path / "o", "--as-of", "2026-12-05"
    )
    assert (code, "error[E353]" in err) == (2, True)


def test_a_registrys_diff_says_it_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = _registry(tmp_path / "reg")
    _today(monkeypatch, dt.date(2026, 12, 5))
    change = ("--assume", "annual_cap_year=decision")
    code, out, _ = run_cli(capsys, "diff", BEIJING, reg, *change, "--lang", "en")
    assert (code, out.splitlines()[-1]) == (0, WARNING)
    code, out, _ = run_cli(capsys, "diff", BEIJING, reg, *change)
    assert out.splitlines()[-1] == (
        "注意：有 1 个日期晚于今天（本机日期 2026年12月5日；如 product f1/PFUT's approved_on "
        "2027-03-01），已按所给日期计算；指定 --as-of YYYY-MM-DD 则按该日判断"
        "（晚于该日的日期不予采用，E353）"
    )
    code, out, _ = run_cli(capsys, "diff", BEIJING, reg, *change, "--format", "json")
    assert json.loads(out)["after_today"]["dates"] == 1
