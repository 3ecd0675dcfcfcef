"""One firm's evaluation is linear in its claims: counted, not timed.

A firm with N claims on a yearly cap, and a ledger of N earlier grants in the same pool and
year, against one with 2N and 2N: the Python calls the evaluation makes, and the text and
JSON of its explanations, at most double (plus a little for longer ids).  Before caps kept
running totals, each claim scanned the ledger and copied every earlier claim into its
explanation, so doubling N quadrupled both.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from policyrules import Grant, Money
from policyrules.api import Policy
from policyrules.cli import main
from policyrules.result import Result
from policyrules.runtime.ledger import Earlier, Ledger
from strategies import compile_text

AWARD = """entity firm
  list firms

entity product
  list products of firm
  fact approved_on: date
  fact awarded: money

document d "测试"

clause 1 "奖励"
  quote "q"

  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
    once per product
    order by approved_on, id
"""

PROVISION = "d/1/a"
WAN = 1_000_000  # fen in 1 万元


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(AWARD)


def _firm(n: int) -> dict[str, Any]:
    """One firm, n products of 10 万元 each approved in 2026 (the cap binds from the 100th:
    100 × 10 万元 = 1000 万元)."""
    products = [
        {"id": f"P{i}", "approved_on": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "awarded": "10万"}
        for i in range(n)
    ]
    return {"firms": [{"id": "f1", "products": products}]}


def _ledger(n: int) -> list[Grant]:
    """n earlier grants of 0.01 元 to other products of the firm, same pool and year."""
    return [
        Grant(PROVISION, (("firm", "f1"), ("product", f"L{i}")), Money(1), 2026) for i in range(n)
    ]


def _calls(fn: Callable[[], Result]) -> tuple[int, Result]:
    """The Python and builtin calls ``fn`` makes (generator resumptions included)."""
    count = 0

    def tick(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tick)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
    return count, result


@pytest.mark.parametrize("explain", [False, True])
def test_calls_grow_linearly_with_claims_and_ledger(policy: Policy, explain: bool) -> None:
    n = 150
    small = policy.read_facts(_firm(n))
    big = policy.read_facts(_firm(2 * n))
    calls_n, r_n = _calls(lambda: policy.evaluate(small, ledger=_ledger(n), explain=explain))
    calls_2n, r_2n = _calls(lambda: policy.evaluate(big, ledger=_ledger(2 * n), explain=explain))
    # The work really was done: the firm-year cap bound (10 万元 × 100 = 1000 万元 less the
    # ledger's 150 fen in the small run), so later claims were cut to nothing.
    assert sum(g.amount.fen for g in r_n.grants) == 1000 * WAN - n
    assert sum(g.amount.fen for g in r_2n.grants) == 1000 * WAN - 2 * n
    # Twice the claims and grants, twice the calls (quadratic would be four times).
    assert calls_2n <= 2.2 * calls_n, (calls_n, calls_2n)


def test_explanations_grow_linearly(policy: Policy) -> None:
    def sizes(n: int) -> tuple[int, int, int]:
        result = policy.evaluate(policy.read_facts(_firm(n)), ledger=_ledger(n))
        text = result.explain(verbose=True)
        return len(text), len(json.dumps(result.to_json(), ensure_ascii=False)), n

    (text_n, json_n, _), (text_2n, json_2n, _) = sizes(150), sizes(300)
    assert text_2n <= 2.2 * text_n, (text_n, text_2n)
    assert json_2n <= 2.2 * json_n, (json_n, json_2n)


def test_the_last_claim_names_every_earlier_one_in_a_bounded_form(policy: Policy) -> None:
    """The 5th claim on the firm-year cap (P0..P3 first, by approval day): 4 earlier
    claims of 10 万元, 40 万元 in all; the text names the last 3, the JSON all 4 on request."""
    facts = {
        "firms": [
            {
                "id": "f1",
                "products": [
                    {"id": f"P{i}", "approved_on": f"2026-01-0{i + 1}", "awarded": "10万"}
                    for i in range(5)
                ],
            }
        ]
    }
    result = policy.evaluate(facts)
    last = result.decisions[-1]
    assert last.subject == "f1/P4"
    yearly = last.caps[1]
    assert isinstance(yearly.earlier, Earlier)
    assert len(yearly.earlier) == 4
    assert yearly.earlier.total == Money.of(40, "万元")  # 4 × 10 万元
    assert yearly.earlier == tuple((f"f1/P{i}", Money.of(10, "万元")) for i in range(4))
    assert "before this claim: 4 claims, 40 万元 in all; the last 3: f1/P1 10 万元, " in (
        result.explain(lang="en")
    )
    assert "本次结果中在先的申请：共 4 笔，合计 40 万元；最近 3 笔：f1/P1 10 万元、" in (
        result.explain()
    )
    cap = result.to_json()["decisions"][-1]["caps"][1]  # type: ignore[index]
    assert cap["earlier"] == [[f"f1/P{i}", "100000.00"] for i in (1, 2, 3)]
    assert (cap["earlier_count"], cap["earlier_total"]) == (4, "400000.00")
    every = result.to_json(all_earlier=True)["decisions"][-1]["caps"][1]  # type: ignore[index]
    assert every["earlier"] == [[f"f1/P{i}", "100000.00"] for i in range(4)]
    # Three or fewer are listed as before: the 4th claim's cap names P0, P1, P2.
    fourth = result.decisions[3].caps[1]
    assert fourth.earlier.describe() == "f1/P0 10 万元, f1/P1 10 万元, f1/P2 10 万元"


def test_a_ledger_given_again_is_not_read_again(policy: Policy) -> None:
    """A service answering firm by firm on one Ledger: the ledger (2,000 grants to other
    firms) is read, checked and summed on the first run; later runs cost what a run given
    a ledger of no grants costs (the same way: a call given none at all takes a shorter
    one), and still count it."""
    others = policy.read_ledger(
        [
            Grant(PROVISION, (("firm", f"g{i}"), ("product", "P0")), Money(WAN), 2026)
            for i in range(2000)
        ]
        # f1: 5 × 199 万元 = 995 万元 in 2026, each within the 200 万元 product cap.
        + [
            Grant(PROVISION, (("firm", "f1"), ("product", f"L{i}")), Money(199 * WAN), 2026)
            for i in range(5)
        ]
    )
    facts = policy.read_facts(_firm(3))
    empty, _ = _calls(lambda: policy.evaluate(facts, ledger=Ledger()))
    first, r1 = _calls(lambda: policy.evaluate(facts, ledger=others))
    again, r2 = _calls(lambda: policy.evaluate(facts, ledger=others))
    assert first > 10 * empty  # reading 2,001 grants is real work
    assert again <= 1.5 * empty, (empty, again)
    # Both runs count f1's 995 万元: 5 万元 of room left in 2026 for three 10 万元 claims.
    assert [g.amount for g in r1.grants] == [Money.of(5, "万元")]
    assert r2 == r1
    # Other facts on the same ledger: f1 again, one product, the same 5 万元 room.
    one = policy.evaluate(policy.read_facts(_firm(1)), ledger=others)
    assert [g.amount for g in one.grants] == [Money.of(5, "万元")]


def test_cli_lists_every_earlier_claim_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`eval --json` shows the last 3 earlier claims on measure 3's firm-year cap, with
    their count; `--all-earlier` all of them (P1..P4 before P5, by approval day)."""
    products = "".join(
        f"""
      - id: P{i}
        approved_on: 2026-01-0{i}
        launch_routes: [national_priority_review]
        launch_reward_decided: 10万元"""
        for i in range(1, 6)
    )
    facts = tmp_path / "f.yaml"
    facts.write_text(f"firms:\n  - id: f1\n    products:{products}\n", "utf-8")
    shipped = str(Path(__file__).resolve().parents[2] / "policies" / "beijing_2025")

    def yearly_cap(*flags: str) -> dict[str, Any]:
        assert main(["eval", shipped, str(facts), "--json", *flags]) == 0
        data = json.loads(capsys.readouterr().out)
        last = next(
            d
            for d in data["decisions"]
            if d["provision"] == "jjxf_2025_50/3/launch_reward" and d["subject"] == "f1/P5"
        )
        cap: dict[str, Any] = last["caps"][1]
        return cap

    bounded, every = yearly_cap(), yearly_cap("--all-earlier")
    assert [s for s, _ in bounded["earlier"]] == ["f1/P2", "f1/P3", "f1/P4"]
    assert [s for s, _ in every["earlier"]] == ["f1/P1", "f1/P2", "f1/P3", "f1/P4"]
    # 4 claims of 10 万元 before P5: 40 万元.
    assert (bounded["earlier_count"], bounded["earlier_total"]) == (4, "400000.00")
