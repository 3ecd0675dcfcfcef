"""A ledger kept in a file over several runs, each run choosing the year reading at random,
never pays a firm-year more than its cap under the one reading its grants were counted by;
a run by another reading is refused (E335) and leaves the file as it was (issue 9 §3).

The inline award (as 京经信发〔2025〕50号 第3条): once per product, cap 200 万元 per product,
cap 1000 万元 per firm per year of ``approved_on``, or with ``year_basis = decision`` of
``decided_on`` (“年度”按获批日期或按资金决定日期计).  Each run is ``policyrules eval POLICY
facts --ledger L.json --ledger-out L.json --assume year_basis=R`` (the first without
``--ledger``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules import Money, facts_dated
from policyrules.cli import main

WAN = 1_000_000  # fen in 1 万元
CAP = 1000 * WAN  # 单个企业年度奖励不超过 1000 万元
PROVISION = "d/1/reward"
POLICY = """entity firm
  list firms
entity product
  list products of firm
  fact approved_on: date
  fact decided_on: date
  fact awarded: money

enum YearBasis "计入年度" {
  approval "获批日期所在年度",
  decision "资金决定日期所在年度",
}

assumption year_basis: YearBasis = approval "“年度”未说明按何日期计年"

document d "t"

clause 1 "c"
  quote "q"
  award reward "a"
    for each product
    amount decided awarded
    once per product
    cap 200 万元 per product
    cap 1000 万元 per firm per year of if year_basis = approval then approved_on else decided_on
    order by approved_on, id
"""

# A product: (approval year, decision year, 万元 awarded); ids are given in order of runs.
products = st.tuples(
    st.sampled_from((2026, 2027)), st.sampled_from((2026, 2027)), st.sampled_from((100, 200))
)
runs = st.lists(
    st.tuples(
        st.sampled_from(("approval", "decision")), st.lists(products, min_size=1, max_size=4)
    ),
    min_size=2,
    max_size=4,
)


def _products(
    items: list[tuple[int, int, int]], years: dict[str, tuple[int, int]]
) -> list[dict[str, str]]:
    """A run's products, numbered on from those before (``years``: each product's approval
    and decision years, added to)."""
    rows = []
    for approved, decided, wan in items:
        pid = f"P{len(years) + 1}"
        years[pid] = (approved, decided)
        rows.append(
            {
                "id": pid,
                "approved_on": f"{approved}-03-02",
                "decided_on": f"{decided}-06-15",
                "awarded": f"{wan}万元",
            }
        )
    return rows


def _cli(*argv: str | Path) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main([str(a) for a in argv])


@settings(max_examples=25, deadline=None)
@given(runs)
def test_a_file_ledger_never_pays_a_firm_year_twice(
    plan: list[tuple[str, list[tuple[int, int, int]]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "policy").mkdir()
        (folder / "policy" / "t.rule").write_text(POLICY, "utf-8")
        ledger = folder / "L.json"
        years: dict[str, tuple[int, int]] = {}  # product -> (approval year, decision year)
        for n, (reading, items) in enumerate(plan):
            rows = _products(items, years)
            facts = folder / f"r{n}.json"
            facts.write_text(json.dumps({"firms": [{"id": "f1", "products": rows}]}), "utf-8")
            before = ledger.read_bytes() if ledger.exists() else None
            with pytest.MonkeyPatch.context() as patched:  # run in 2028: nothing ahead (E428)
                patched.setattr(facts_dated, "machine_today", lambda: dt.date(2028, 1, 10))
                code = _cli(
                    "eval", folder / "policy", facts,
                    *(("--ledger", ledger) if ledger.exists() else ()),
                    "--ledger-out", ledger, "--as-of", "2027-12-31",
                    "--assume", f"year_basis={reading}",
                )  # fmt: skip
            if code != 0:  # refused (E335): nothing written
                assert before is not None
                assert ledger.read_bytes() == before
        data = json.loads(ledger.read_text("utf-8"))
        said = {b["assumption"]: b["value"] for b in data.get("bases", [])}
        reading = said.get("year_basis", "approval")
        # Under the one reading the file records, every grant sits in its product's year by
        # that reading, and no firm-year holds more than 1000 万元 (1000 × 1,000,000 fen).
        total: dict[int, int] = defaultdict(int)
        for g in data["ledger"]:
            approved, decided = years[g["product"]]
            year = approved if reading == "approval" else decided
            assert g["year"] == year
            total[year] += Money.parse(g["amount"]).fen
        assert all(fen <= CAP for fen in total.values()), dict(total)


@settings(max_examples=25, deadline=None)
@given(runs)
def test_grants_carried_in_the_facts_never_pay_a_firm_year_twice(
    plan: list[tuple[str, list[tuple[int, int, int]]]],
) -> None:
    """The same runs with the earlier grants carried in each facts file's own ``ledger:``
    and their reading in its ``assumptions:`` (as an exporter writes them): a run whose
    ``--assume`` differs is refused (E335) and writes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "policy").mkdir()
        (folder / "policy" / "t.rule").write_text(POLICY, "utf-8")
        years: dict[str, tuple[int, int]] = {}  # product -> (approval year, decision year)
        carried: dict[str, object] = {"ledger": [], "assumptions": {}}
        for n, (reading, items) in enumerate(plan):
            rows = _products(items, years)
            facts = folder / f"r{n}.json"
            facts.write_text(
                json.dumps({**carried, "firms": [{"id": "f1", "products": rows}]}), "utf-8"
            )
            out = folder / f"L{n}.json"
            code = _cli(
                "eval", folder / "policy", facts, "--ledger-out", out, "--as-of", "2027-12-31",
                "--assume", f"year_basis={reading}",
            )  # fmt: skip
            if code != 0:  # refused (E335): nothing written
                assert not out.exists()
                continue
            data = json.loads(out.read_text("utf-8"))
            said = {b["assumption"]: b["value"] for b in data.get("bases", [])}
            carried = {"ledger": data["ledger"], "assumptions": said}
        reading = carried["assumptions"].get("year_basis", "approval")  # type: ignore[attr-defined]
        # Under the one reading the grants carry, no firm-year holds more than 1000 万元.
        total: dict[int, int] = defaultdict(int)
        for g in carried["ledger"]:  # type: ignore[attr-defined]
            approved, decided = years[g["product"]]
            year = approved if reading == "approval" else decided
            assert g["year"] == year
            total[year] += Money.parse(g["amount"]).fen
        assert all(fen <= CAP for fen in total.values()), dict(total)
