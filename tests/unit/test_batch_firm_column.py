"""The decisions' `firm` column names a firm only (a new user's trial).

It held the id of the path's outermost entity, so a venture org's or an institution's own
decisions put their id there: with a firm X1 and a venture org X1 in one registry, the venture
org's 100 万元 of 京经信发〔2025〕50号 第9条 read as firm X1's.  It is now the id of the
entity named `firm` on the subject's path, else null.
"""

from __future__ import annotations

from pathlib import Path

import policyrules

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"


def test_only_a_firms_decisions_name_a_firm(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text("id,production_qualified\nX1,true\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text("id,firm_id\nP1,X1\n", encoding="utf-8")
    (tmp_path / "venture_orgs.csv").write_text(
        "id,venture_applied_on,service_outstanding,venture_support_decided\n"
        "X1,2026-01-05,true,100万元\n",
        encoding="utf-8",
    )
    result = policyrules.load(POLICY).evaluate_batch(tmp_path)
    rows = result.con.execute(
        "SELECT provision, subject, firm FROM decisions WHERE subject LIKE 'X1%'"
    ).fetchall()
    by = {(p, s): f for p, s, f in rows}
    assert by[("jjxf_2025_50/9/venture_service", "X1")] is None  # the venture org's own
    assert by[("jjxf_2025_50/3/launch_reward", "X1/P1")] == "X1"  # a product of firm X1
    firms = {f for (p, s), f in by.items() if p.startswith("jjxf_2025_50/9/")}
    assert firms == {None}
