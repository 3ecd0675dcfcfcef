"""Three more doors to a cap paid twice by reading earlier grants otherwise than they were
counted (issue 9 §3, found by a tester as a new user), and two hints that led there.

Policy (as 京经信发〔2025〕50号 第3条 and a partner award sharing its yearly pool): ``a_reward``
counts a product in the year of its approval (``annual_cap_year = approval``, the default)
or of its funding decision (``decision``); ``b_reward`` in the year of its own decision
``b_on``; both draw on one pool of 100 万元 per firm per year (年度奖励和补助合计不超过 100 万元).
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, LedgerError, LedgerStore, Money
from policyrules.cli import main
from strategies import compile_text
from support import BEIJING, WAN, launch_products
from support import LAUNCH_REWARD as REWARD

YEAR = "if annual_cap_year = approval then approved_on else a_on"
POOL = f"""\
entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact approved_on: date "获批日期"
  fact a_amt: money "奖励金额"
  fact a_on: date "奖励决定日期"
  fact b_amt: money "补助金额"
  fact b_on: date "补助决定日期"

enum YearBasis "年度按哪一日期" {{
  approval "获批日期所在年度",
  decision "决定日期所在年度",
}}

assumption annual_cap_year: YearBasis = approval "年度未说明按何日期计年"

document d "测试"
  valid from 2025-01-01 to 2030-12-31

clause 1 "奖励和补助"
  quote "q"

  award a_reward "奖励"
    for each product
    eligible when approved_on in force
    amount decided a_amt
    cap 100 万元 per firm per year of {YEAR} shared firm_pool
    order by approved_on, id

  award b_reward "补助"
    for each product
    eligible when b_on in force
    amount decided b_amt
    cap 100 万元 per firm per year of b_on shared firm_pool
    order by b_on, id
"""
A1 = {
    "id": "A1",
    "approved_on": "2025-12-10",
    "a_amt": "80万元",
    "a_on": "2026-02-01",
    "b_on": "2024-06-01",
    "b_amt": "0元",
}
B1 = {
    "id": "B1",
    "approved_on": "2024-06-01",
    "a_amt": "0元",
    "a_on": "2024-06-01",
    "b_amt": "80万元",
    "b_on": "2026-03-01",
}
DECISION = {"annual_cap_year": "decision"}


@pytest.fixture(scope="module")
def pool() -> policyrules.Policy:
    return compile_text(POOL)


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(BEIJING)


def _paid(result: Any, provision: str) -> int:
    return sum(g.amount.fen for g in result.grants if g.provision == provision)


def test_a_pool_partners_grants_hold_a_run_to_their_reading(
    pool: policyrules.Policy, tmp_path: Path
) -> None:
    """Run 1 (approval) pays A1 80 万元, counted in 2025 (approved 2025-12-10).  Run 2 by
    decision claims only B1 (b_on 2026-03-01): it decides no claim of a_reward, but by
    decision A1 falls in 2026 (decided 2026-02-01), where the pool then holds 80, and B1
    may have 100 − 80 = 20 万元, not 80 (160 from a pool of 100).  So run 2 is refused
    (E335) on a store and on a ledger file alike."""
    first = {"firms": [{"id": "g", "products": [A1]}]}
    second = {"firms": [{"id": "g", "products": [B1]}]}
    with LedgerStore.open(tmp_path / "p.db", create=True) as store:
        r1 = pool.evaluate(first, ledger=store, commit=True, as_of="2026-12-31")
        assert _paid(r1, "d/1/a_reward") == 80 * WAN
        for commit in (True, False):
            with pytest.raises(LedgerError) as err:
                pool.evaluate(
                    second, ledger=store, commit=commit, as_of="2026-12-31", assumptions=DECISION
                )
            assert err.value.diagnostics[0].code == "E335"
            assert "d/1/a_reward" in err.value.diagnostics[0].message
        assert len(store.ledger().grants) == 1
        earlier = store.ledger()
    with pytest.raises(LedgerError) as err:
        pool.evaluate(second, ledger=earlier, as_of="2026-12-31", assumptions=DECISION)
    assert err.value.diagnostics[0].code == "E335"
    # both claims in one run by decision: 80 for A1 (2026 by a_on), then B1 100 − 80 = 20
    both = {"firms": [{"id": "g", "products": [A1, B1]}]}
    r = pool.evaluate(both, ledger=[], as_of="2026-12-31", assumptions=DECISION)
    assert (_paid(r, "d/1/a_reward"), _paid(r, "d/1/b_reward")) == (80 * WAN, 20 * WAN)


def _bare(store: LedgerStore, firm: str, first: int) -> None:
    """P<first>..P<first+2> of ``firm`` appended by hand, 200 万元 each, in 2026."""
    store.append(
        Grant(REWARD, (("firm", firm), ("product", f"P{i}")), Money(200 * WAN), 2026)
        for i in range(first, first + 3)
    )


def test_a_reading_is_not_recorded_over_bare_grants(
    beijing: policyrules.Policy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """f2's P1–P3 appended bare are taken as counted by approval (the default).  Recording
    decision for the launch reward beside them (a file's `bases:`, a result's readings, a
    facts file's `assumptions:`) would label them decision: a later run for f2 by decision
    would count P4–P8 (decided 2027-02-15) in 2027, empty, and pay 5 × 200 = 1000 万元 more
    (2000 against f2's year of 1000).  Each route is refused (E335); nothing is written."""
    db = tmp_path / "m.db"
    with LedgerStore.open(db, create=True) as store:
        _bare(store, "f2", 1)
    # a ledger file of f1's grants counted by decision, imported by the CLI
    file = tmp_path / "f1.yaml"
    file.write_text(
        f"ledger:\n  - {{provision: {REWARD}, firm: f1, product: P1, amount: 200万元, "
        f"year: 2027}}\nbases:\n  - {{provision: {REWARD}, assumption: annual_cap_year, "
        "value: decision}\n",
        "utf-8",
    )
    code = main(["ledger", "import", str(db), str(file), "--policy", str(BEIJING)])
    err = capsys.readouterr().err
    assert code != 0
    assert "E335" in err
    assert "annual_cap_year = approval (the default: none recorded)" in err
    assert "--assume" not in err  # `ledger import` has no such option
    # a result's readings appended in Python (the store has no policy to tell the default)
    f1 = {"firms": [{"id": "f1", "products": launch_products(1)}]}
    r1 = beijing.evaluate(f1, ledger=[], as_of="2027-12-31", assumptions=DECISION)
    assert _paid(r1, REWARD) == 1000 * WAN  # P1–P5 in 2027: 5 × 200
    with LedgerStore.open(db, create=True) as store:
        with pytest.raises(LedgerError) as e:
            store.append(r1.ledger())
        assert e.value.diagnostics[0].code == "E335"
        assert "ledger import" in (e.value.diagnostics[0].hint or "")
        # a facts file whose own ledger is counted by decision, imported by a commit
        facts = {
            "assumptions": DECISION,
            "ledger": [
                {"provision": REWARD, "firm": "f1", "product": "P1", "amount": "200万元",
                 "year": 2027},
            ],
            "firms": [{"id": "f1", "products": []}],
        }  # fmt: skip
        with pytest.raises(LedgerError) as e:
            beijing.evaluate(facts, ledger=store, commit=True, as_of="2027-12-31")
        assert e.value.diagnostics[0].code == "E335"
        assert store.bases() == ()
        assert len(store.ledger().grants) == 3
        # f2's P4–P8 by approval: 1000 − 3 × 200 = 400 left in 2026, P4 and P5 paid
        f2 = {"firms": [{"id": "f2", "products": launch_products(4)}]}
        r2 = beijing.evaluate(f2, ledger=store, commit=True, as_of="2027-12-31")
        assert _paid(r2, REWARD) == 400 * WAN


def test_the_hints_never_send_a_run_to_an_empty_ledger(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """The E335 hint once said "or use another store for this reading": a new, empty store
    does not hold the earlier grants, and a one-time award is paid again.  It now says how
    to re-count the earlier grants, and never to start empty."""
    f1 = {"firms": [{"id": "f1", "products": launch_products(1)}]}
    with LedgerStore.open(tmp_path / "a.db", create=True) as store:
        beijing.evaluate(f1, ledger=store, commit=True, as_of="2027-12-31")
        with pytest.raises(LedgerError) as e:
            beijing.evaluate(
                f1, ledger=store, commit=True, as_of="2027-12-31", assumptions=DECISION
            )
        earlier = store.ledger()
    hint = e.value.diagnostics[0].hint or ""
    assert "another store" not in hint
    assert "never an empty store" in hint
    with pytest.raises(LedgerError) as e:
        beijing.evaluate(f1, ledger=earlier, as_of="2027-12-31", assumptions=DECISION)
    hint = e.value.diagnostics[0].hint or ""
    assert "another ledger" not in hint
    assert "never an empty ledger" in hint
