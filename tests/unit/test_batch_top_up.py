"""A grant that tops up an earlier grant of the same provision, subject and year.

A new user's registry: project P2 of firm F1, 产业共性平台建设, engineering investment
132 万元, 30 % of it = 39.6 万元 (京经信发〔2025〕50号 第7条), and a ledger row of 10 万元
with no year (the award has no yearly cap).  The batch pays the rest, 29.6 万元, whose
grant has the identity of the 10 万元 (provision, path, no year): a ledger holds one grant
per identity, so it can never be appended or recorded beside it.  Before: the summary said
nothing; `--ledger-out` failed with E326 ("correct the one that is wrong") after OUT was
written; appending the grants to the ledger table refused the whole registry (E326).  Now:
the summary warns, `--ledger-out` refuses with E331 before anything is written (as a store
does), and the documented route, the total in the one row, pays nothing more.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from tests.support import BEIJING, run_cli

PLATFORM = "jjxf_2025_50/7/common_platform"
WAN = 10_000 * 100  # fen
# 10 万 paid before, 29.6 万 now: the one grant's total 39.6 万
TOP_UP_ZH = (
    "注意：有 1 笔发放是对同一措施、同一对象、同一年度已有一笔发放的补差（京经信发〔2025〕50号 "
    "第7条 产业共性平台建设补助，对象 F1/P2，不计年度：此前 10 万元，本次 296,000.00 元）；"
    "台账中每一措施、对象、年度只有一笔，补差不能追加到台账表，也不能与已有的一笔并列记入"
    "台账库（E326、E331）；如予发放，请把合计作为这一笔记录：将已有一笔的金额改为 396,000.00 元"
)


def _registry(folder: Path, paid: str) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nF1\n", "utf-8")
    (folder / "projects.csv").write_text(
        "id,firm_id,kind,applied_on,engineering_investment\n"
        "P2,F1,common_platform,2026-01-10,132万元\n",
        "utf-8",
    )
    (folder / "ledger.csv").write_text(
        f"provision,firm,project,amount,year\n{PLATFORM},F1,P2,{paid},\n", "utf-8"
    )
    return folder


def _platform(out: Path) -> tuple[str, int]:
    (row,) = duckdb.sql(
        f"SELECT status, amount_fen FROM '{out / 'decisions.parquet'}' "
        f"WHERE provision = '{PLATFORM}'"
    ).fetchall()
    return str(row[0]), int(row[1])


def test_the_summary_warns_of_a_top_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = _registry(tmp_path / "reg", "10万元")
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o")
    assert code == 0
    # 30 % × 132 万 = 39.6 万; 10 万 paid before: 29.6 万 more
    assert _platform(tmp_path / "o") == ("eligible", 296_000 * 100)
    assert out.splitlines()[-1] == (
        "warning: 1 grant tops up an earlier grant of the same provision, subject and year "
        f"({PLATFORM} to firm F1, project P2 under no year: 10 万元 before, 296,000.00 元 "
        "now): a ledger holds one grant per provision, subject and year, so it cannot be "
        "appended to the ledger table or recorded in a store beside the earlier one (E326, "
        "E331); if it is paid, record the total as the one grant: set the earlier grant's "
        "amount to 396,000.00 元"
    )
    # in Chinese, as the rest of the Chinese summary (it was the English line above)
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o", "--lang", "zh")
    assert code == 0
    assert out.splitlines()[-1] == TOP_UP_ZH
    code, out, _ = run_cli(
        capsys, "batch", BEIJING, reg, "--out", tmp_path / "o", "--summary-format", "json"
    )
    assert json.loads(out)["top_ups"] == {
        "grants": 1,
        "first": {
            "provision": PLATFORM,
            "subject": "firm F1, project P2",
            "year": None,
            "before_fen": 10 * WAN,
            "now_fen": 296_000 * 100,
        },
    }


def test_ledger_out_refuses_a_top_up_before_writing_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "reg", "10万元")
    out, ledger = tmp_path / "o", tmp_path / "g.json"
    code, _, err = run_cli(capsys, "batch", BEIJING, reg, "--out", out, "--ledger-out", ledger)
    assert (code, out.exists(), ledger.exists()) == (2, False, False)
    assert "error[E331]" in err
    assert "E326" not in err
    assert "record the total, 396,000.00 元, as the one grant" in err  # 10 万 + 29.6 万
    # one by one, the same situation, the same code
    code, _, err = run_cli(
        capsys, "eval", BEIJING, reg, "--firm", "F1", "--ledger-out", tmp_path / "x.json"
    )
    assert (code, "error[E331]" in err, "E326" in err) == (2, True, False)


def test_the_total_in_the_one_row_pays_nothing_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = _registry(tmp_path / "reg", "10万元")
    assert run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o1")[0] == 0
    # appended as the grants are written: the payment is listed twice (E326), with the
    # hint that says what to do
    rows = duckdb.sql(
        f"SELECT provision, firm, project, amount_fen, year "
        f"FROM '{tmp_path / 'o1' / 'grants.parquet'}'"
    ).fetchall()
    assert rows == [(PLATFORM, "F1", "P2", 296_000 * 100, None)]
    appended = tmp_path / "reg2"
    appended.mkdir()
    for name in ("firms.csv", "projects.csv"):
        (appended / name).write_text((reg / name).read_text("utf-8"), "utf-8")
    (appended / "ledger.csv").write_text(
        "provision,firm,project,amount_fen,year\n"
        f"{PLATFORM},F1,P2,{10 * WAN},\n"
        f"{PLATFORM},F1,P2,{296_000 * 100},\n",
        "utf-8",
    )
    code, _, err = run_cli(capsys, "batch", BEIJING, appended, "--out", tmp_path / "o2")
    assert (code, "error[E326]" in err) == (2, True)
    assert "if one tops up the other" in err
    # the documented route: the total as the one grant (10 万 + 29.6 万 = 39.6 万)
    total = _registry(tmp_path / "reg3", "396000.00")
    code, out, _ = run_cli(capsys, "batch", BEIJING, total, "--out", tmp_path / "o3")
    assert (code, "warning" in out, "grants: 0, 0.00 元" in out) == (0, False, True)
    # paid in full before: eligible at 0.00 元 (an entitlement, not a one-time award)
    assert _platform(tmp_path / "o3") == ("eligible", 0)


def test_a_one_time_award_paid_in_part_is_not_topped_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """第3条's launch reward is `once per product` (一次性): 150 万元 granted before against a
    200 万元 decision leaves no 50 万元 to pay, the award was given (docs/cli.md, "An award
    is an entitlement, unless it is one-time"); no grant, so no top-up to warn of."""
    reg = tmp_path / "reg"
    reg.mkdir()
    (reg / "firms.csv").write_text("id\nF1\n", "utf-8")
    (reg / "products.csv").write_text(
        "id,firm_id,approved_on,launch_routes,launch_reward_decided\n"
        'P5,F1,2026-03-02,"[""national_priority_review""]",200万元\n',
        "utf-8",
    )
    (reg / "ledger.csv").write_text(
        "provision,firm,product,amount,year\njjxf_2025_50/3/launch_reward,F1,P5,150万元,2026\n",
        "utf-8",
    )
    code, out, _ = run_cli(capsys, "batch", BEIJING, reg, "--out", tmp_path / "o")
    assert (code, "grants: 0, 0.00 元" in out, "warning" in out) == (0, True, False)
    (row,) = duckdb.sql(
        f"SELECT status, amount_fen FROM '{tmp_path / 'o' / 'decisions.parquet'}' "
        "WHERE provision = 'jjxf_2025_50/3/launch_reward'"
    ).fetchall()
    assert row == ("not_eligible", None)
