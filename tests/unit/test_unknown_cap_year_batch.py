"""The batch (SQL on DuckDB) path: a claim whose year under a shared yearly cap is unknown
holds its bound in every year of its scope (issue 9; ``backends/sql/ghosts.py``), at its own
place in the pool's order, as the one-by-one path does (``test_unknown_cap_year.py``).

中文：年度上限所依据的日期缺失时，该申请可能计入任何年度：批量计算也在该企业的每个年度、
按其排序位置预留其上限，排在其后的申请只能确定上限，不拨付。
"""

from __future__ import annotations

from typing import Any

import pytest

from policyrules import Policy
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.backends.sql import duckdb as engine
from strategies import compile_text
from support import WAN, products_head

QUOTE = "每家企业每年奖励不超过100万元，按批准先后顺序给予。"
HEAD = products_head(
    "approved_on: date", "accepted_on: date", "awarded: money", "b_awarded: money"
).replace('quote "q"', f'quote "{QUOTE}"')

ONE = """
  award r "奖励"
    quote "每家企业每年奖励不超过100万元"
    for each product
    amount decided awarded
    cap 100 万元 per firm per year of approved_on
    order by approved_on, id
"""

TWO = """
  award a "甲"
    quote "按批准先后顺序给予"
    for each product
    amount decided awarded
    cap 100 万元 per firm per year of approved_on shared firm_pool
    order by approved_on, id

  award b "乙"
    quote "按批准先后顺序给予"
    for each product
    amount decided b_awarded
    cap 100 万元 per firm per year of accepted_on shared firm_pool
    order by accepted_on, id
"""

Row = tuple[str, int | None, str | None, list[str]]


def _batch(
    policy: Policy, firms: list[dict[str, Any]], ledger: list[dict[str, Any]] | None = None
) -> tuple[dict[tuple[str, str], Row], list[tuple[Any, ...]]]:
    """The batch's decisions by (provision's last name, subject): status, amount in fen,
    kind, missing facts (asserted equal to the one-by-one path's); and its grants
    (provision, product, fen, year), sorted."""
    con = engine.connect()
    facts = policy.read_facts({"firms": firms})
    engine.load_facts(con, policy.checked, facts, policy.read_ledger(ledger or []))
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute(
        "SELECT provision, subject, status, amount, amount_kind, missing_facts FROM decisions"
    ).fetchall()
    grants = con.execute("SELECT provision, product, amount_fen, year FROM grants").fetchall()
    got = {(r[0].rsplit("/", 1)[1], r[1]): (r[2], r[3], r[4], list(r[5])) for r in rows}
    # The one-by-one path gives the same (backends/python: Accounts.hold_any_year).
    result = policy.evaluate(facts, ledger=policy.read_ledger(ledger or []))
    assert got == {
        (d.provision.rsplit("/", 1)[1], d.subject): (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_kind,
            list(d.missing_facts),
        )
        for d in result.decisions
    }
    return got, sorted((g[0].rsplit("/", 1)[1], *g[1:]) for g in grants)


def _p(pid: str, approved: str | None, wan: int, **more: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": pid, "awarded": f"{wan}万元", **more}
    if approved is not None:
        out["approved_on"] = approved
    return out


def test_the_issue_example_in_the_batch() -> None:
    # A 2026-03-01 80 万元, U approved_on missing 60 万元, B 2026-05-01 50 万元; 100 万元 a year.
    # U's date unknown: first in the order (an unknown key first), and in any year: it holds
    # min(60, 100) = 60 in 2026 too.
    # A: at most min(80, 100 − 0) = 80; at least (100 − 0 − 60)⁺ = 40 < 80: up to 80.
    # B: A is undecided, counted as nothing for the upper bound: at most min(50, 100 − 0) = 50;
    #    at least (100 − 0 − 60 − 80)⁺ = 0: up to 50.  (The true worst cases: U of 2026-01-10:
    #    U 60, A 40, B 0; U of another year: A 80, B 20; both under these bounds.)
    # U: at most its cap, min(60, 100) = 60, up to, its date missing.  Nothing granted.
    # 中文：U 的获批日期缺失，排在最前，并在 2026 年度预留 60 万元。
    # A：最多 min(80, 100) = 80 万元，最少 100 − 60 = 40 万元，"不超过 80 万元"；
    # B：A 未确定，计算上限时不计，最多 min(50, 100) = 50 万元，最少 0 元，"不超过 50 万元"；
    # U：不超过 60 万元（缺获批日期）。均不拨付。
    policy = compile_text(HEAD + ONE)
    firms = [
        {
            "id": "f1",
            "products": [
                _p("A", "2026-03-01", 80),
                _p("U", None, 60),
                _p("B", "2026-05-01", 50),
            ],
        }
    ]
    got, grants = _batch(policy, firms)
    assert got == {
        ("r", "f1/A"): ("eligible", 80 * WAN, "up_to", []),
        ("r", "f1/U"): ("eligible", 60 * WAN, "up_to", ["product.approved_on"]),
        ("r", "f1/B"): ("eligible", 50 * WAN, "up_to", []),
    }
    assert grants == []


def test_a_ghost_holds_against_the_ledger_without_its_part() -> None:
    # The ledger holds 50 万元 of f1's 2026 room.  U (date missing, 60 万元) first; A 2026-03-01
    # 30 万元.  U's hold in 2026: its limit without the ledger (the ledger's part of its real
    # year is unknown), min(60, 100) = 60.
    # A: room 100 − 50 = 50; at most min(30, 50) = 30; at least (50 − 60)⁺ = 0: up to 30.
    # (True: U of 2026 first takes min(60, 50) = 50 and leaves A 0.)
    # 中文：台账已用 2026 年度 50 万元。U 预留 60 万元；A 最多 30 万元，最少 (50 − 60)⁺ = 0 元。
    policy = compile_text(HEAD + ONE)
    firms = [{"id": "f1", "products": [_p("A", "2026-03-01", 30), _p("U", None, 60)]}]
    old = {"provision": "d/1/r", "firm": "f1", "product": "old", "amount": "50万元", "year": 2026}
    ledger = [old]
    got, grants = _batch(policy, firms, ledger)
    assert got[("r", "f1/A")] == ("eligible", 30 * WAN, "up_to", [])
    assert got[("r", "f1/U")] == ("eligible", 60 * WAN, "up_to", ["product.approved_on"])
    assert grants == []


def test_the_unknown_year_claim_of_one_provision_cuts_a_claim_of_the_other() -> None:
    # Pool firm_pool, 100 万元 per firm a year, shared by a (year of approved_on) and b (year
    # of accepted_on), one pool-wide order by the date, then id.
    # a/P1: approved_on missing, 60 万元: first in the order, holds 60 in 2026 (its ghost).
    # a/P2: 2026-02-01, 20 万元: at most min(20, 100) = 20, at least (100 − 0 − 60)⁺ = 40 ≥ 20:
    #       exact 20 (E = 20).
    # b/P1: 2026-04-01, 70 万元: at most min(70, 100 − 20) = 70, at least (100 − 20 − 60)⁺ = 20
    #       < 70: up to 70.
    # b/P2: 2026-06-01, 10 万元: at most min(10, 100 − 20) = 10, at least (100 − 20 − 60 − 70)⁺
    #       = 0: up to 10.  a/P1 itself: up to min(60, 100) = 60.  Granted: a/P2 20 万元.
    # 中文：甲、乙共用每家企业每年 100 万元。甲/P1 获批日期缺失，排最前，在 2026 年度预留 60 万元；
    # 甲/P2 最多 20、最少 40 以上，确定 20 万元；
    # 乙/P1 最多 min(70, 80) = 70、最少 20，不超过 70 万元；
    # 乙/P2 最多 10、最少 0，不超过 10 万元。只拨付甲/P2 的 20 万元。
    policy = compile_text(HEAD + TWO)
    products = [
        _p("P1", None, 60, accepted_on="2026-04-01", b_awarded="70万元"),
        _p("P2", "2026-02-01", 20, accepted_on="2026-06-01", b_awarded="10万元"),
    ]
    got, grants = _batch(policy, [{"id": "f1", "products": products}])
    assert got == {
        ("a", "f1/P1"): ("eligible", 60 * WAN, "up_to", ["product.approved_on"]),
        ("a", "f1/P2"): ("eligible", 20 * WAN, "exact", []),
        ("b", "f1/P1"): ("eligible", 70 * WAN, "up_to", []),
        ("b", "f1/P2"): ("eligible", 10 * WAN, "up_to", []),
    }
    assert grants == [("a", "P2", 20 * WAN, 2026)]


def test_claims_served_before_it_stay_exact() -> None:
    # order by id: A, B, U, V, W.  A 2026-03-01 30 万元, B 2026-05-01 50 万元, U no date
    # 60 万元, V 2027-02-01 50 万元, W 2026-08-01 40 万元.
    # 2026: A at most min(30, 100) = 30, nothing held before it: exact 30 (E = 30).
    #       B: min(50, 100 − 30) = 70 → 50, exact (E = 80).
    #       U's ghost: holds min(60, (100 − 80)⁺) = 20 (at most what is left).
    #       W: at most min(40, 100 − 80) = 20; at least (100 − 80 − 20)⁺ = 0: up to 20.
    # 2027: U's ghost first (U before V): holds min(60, 100) = 60.
    #       V: at most min(50, 100) = 50; at least (100 − 60)⁺ = 40 < 50: up to 50.
    # U: up to min(60, 100) = 60.  Granted: A 30 万元, B 50 万元 (2026).
    # 中文：按编号排序。A 30、B 50 万元在 U 之前，确定并拨付；U 在 2026 年度只能再占剩余的 20 万元，
    # W 最多 20 万元、最少 0 元；2027 年度 U 排在 V 之前预留 60 万元，V 最多 50、最少 40 万元。
    policy = compile_text(HEAD + ONE.replace("order by approved_on, id", "order by id"))
    products = [
        _p("A", "2026-03-01", 30),
        _p("B", "2026-05-01", 50),
        _p("U", None, 60),
        _p("V", "2027-02-01", 50),
        _p("W", "2026-08-01", 40),
    ]
    got, grants = _batch(policy, [{"id": "f1", "products": products}])
    assert got == {
        ("r", "f1/A"): ("eligible", 30 * WAN, "exact", []),
        ("r", "f1/B"): ("eligible", 50 * WAN, "exact", []),
        ("r", "f1/U"): ("eligible", 60 * WAN, "up_to", ["product.approved_on"]),
        ("r", "f1/V"): ("eligible", 50 * WAN, "up_to", []),
        ("r", "f1/W"): ("eligible", 20 * WAN, "up_to", []),
    }
    assert grants == [("r", "A", 30 * WAN, 2026), ("r", "B", 50 * WAN, 2026)]


def test_alone_in_its_scope_nothing_changes() -> None:
    # f2's only claim U2 (no date, 60 万元): no other claim of f2, no ghost; up to
    # min(60, 100) = 60 as before.  f1's claims are in another scope: A 2026-03-01 80 万元 exact
    # 80, B 2026-05-01 50 万元: min(50, 100 − 80) = 20, exact.
    # 中文：f2 只有 U2 一项，无需预留，不超过 60 万元；f1 不受影响：A 80 万元、B 20 万元，确定。
    policy = compile_text(HEAD + ONE)
    firms = [
        {"id": "f1", "products": [_p("A", "2026-03-01", 80), _p("B", "2026-05-01", 50)]},
        {"id": "f2", "products": [_p("U2", None, 60)]},
    ]
    got, grants = _batch(policy, firms)
    assert got == {
        ("r", "f1/A"): ("eligible", 80 * WAN, "exact", []),
        ("r", "f1/B"): ("eligible", 20 * WAN, "exact", []),
        ("r", "f2/U2"): ("eligible", 60 * WAN, "up_to", ["product.approved_on"]),
    }
    assert grants == [("r", "A", 80 * WAN, 2026), ("r", "B", 20 * WAN, 2026)]


def test_a_limit_that_differs_between_claims_is_refused() -> None:
    """`cap lim per firm per year` with `lim` a fact of each product: the window fills one
    room per firm-year, so the batch refuses it (E619) naming the fact; the one-by-one path
    gives each claim its own limit.  中文：各产品限额不同的共用上限，批量计算拒绝（E619）。"""
    policy = compile_text(
        HEAD.replace("b_awarded: money", "lim: money")
        + ONE.replace("cap 100 万元 per firm", "cap lim per firm")
    )
    with pytest.raises(BatchCompileError) as err:
        compile_batch(policy.checked)
    assert err.value.diagnostics[0].code == "E619"
    assert "product.lim" in err.value.diagnostics[0].message


def test_a_claim_whose_cap_limit_is_unknown_holds_its_amount() -> None:
    # cap lim per firm per year, lim the firm's: missing, every claim of the firm is bounded
    # by nothing there and holds its amount.  A (2026-01-01, 50 万元): up to 50; B
    # (2026-03-01, 60 万元): up to 60 (A may take its 50 of a limit still unknown).
    # Nothing granted.  With lim 100 万元: A 50 exact, B min(60, 100 − 50) = 50 exact.
    # 中文：企业限额缺失时，各申请不受其约束、预留其金额，只能确定上限；
    # 限额 100 万元时 A 50、B 50 万元。
    head = products_head(
        "approved_on: date", "accepted_on: date", "awarded: money", firm_facts=("lim: money",)
    ).replace('quote "q"', f'quote "{QUOTE}"')
    policy = compile_text(head + ONE.replace("cap 100 万元 per firm", "cap lim per firm"))
    firm = {"id": "f1", "products": [_p("A", "2026-01-01", 50), _p("B", "2026-03-01", 60)]}
    got, grants = _batch(policy, [firm])
    assert got == {
        ("r", "f1/A"): ("eligible", 50 * WAN, "up_to", ["firm.lim"]),
        ("r", "f1/B"): ("eligible", 60 * WAN, "up_to", ["firm.lim"]),
    }
    assert grants == []
    got, grants = _batch(policy, [{**firm, "lim": "100万元"}])
    assert got[("r", "f1/A")] == ("eligible", 50 * WAN, "exact", [])
    assert got[("r", "f1/B")] == ("eligible", 50 * WAN, "exact", [])
    assert len(grants) == 2
