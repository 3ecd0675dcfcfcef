"""What one call of ``Policy.evaluate`` no longer works out again: kept once, read-only,
and still what a fresh evaluation gives.

Policy of the last two tests: 京经信发〔2025〕50号 第3条 (launch_reward): 单个产品不超过 200 万元,
单个企业年度奖励不超过 1000 万元.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pytest

import policyrules
from policyrules import FactsError
from policyrules.api_ledger import LedgerMemo
from policyrules.api_values import read_values
from policyrules.facts import Facts
from policyrules.ledger_years import year_keyed
from policyrules.runtime.ledger import Ledger
from strategies import compile_text
from support import products_head

ROOT = Path(__file__).resolve().parents[2]
REWARD = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元


def _facts(*decided: str) -> dict[str, Any]:
    products = [
        {
            "id": f"P{n}",
            "approved_on": "2026-03-01",
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": amount,
        }
        for n, amount in enumerate(decided, 1)
    ]
    return {"firms": [{"id": "f1", "products": products}]}


@pytest.fixture(scope="module")
def shipped() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def test_ids_of_read_facts_are_not_checked_again_unless_changed(
    shipped: policyrules.Policy,
) -> None:
    """Facts a reader made carry the instances it checked (``read_ids``, not part of the
    value); given other instances (an id with a control character), the id is refused
    (E303) before anything is paid, as for facts built in Python."""
    facts = shipped.read_facts(_facts("150万元"))
    assert facts.read_ids is facts.instances
    assert facts == Facts(facts.instances, facts.extra)
    [product] = facts.instances["product"]
    bad = attrs.evolve(product, id="P\x071")
    changed = attrs.evolve(facts, instances={**facts.instances, "product": (bad,)})
    assert changed.read_ids is not changed.instances
    with pytest.raises(FactsError) as info:
        shipped.evaluate(changed)
    assert info.value.diagnostics[0].code == "E303"


def test_what_a_compiled_policy_keeps_is_read_only_and_follows_evolve() -> None:
    """Awards a and b share pool p; c has a cap of its own.  Each award's grants count in
    its own pool and the shared ones: a in {p, d/1/a}, b in {p, d/1/b}, c in {d/1/c}; a and
    b are served as one group, c alone.  Without a and b (evolve), only c is left."""
    policy = compile_text(
        products_head("awarded: money", "subsidy: rate")
        + """
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p

  award b
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p

  award c
    for each product
    amount decided awarded
    cap 50 万元 per product
"""
    )
    compiled = policy.compiled
    assert dict(compiled.pools) == {
        "d/1/a": frozenset({"p", "d/1/a"}),
        "d/1/b": frozenset({"p", "d/1/b"}),
        "d/1/c": frozenset({"d/1/c"}),
    }
    groups = [[cp.info.id for cp in g] for g in compiled.award_groups]
    assert groups == [["d/1/a", "d/1/b"], ["d/1/c"]]
    assert list(compiled.clauses) == ["d/1"]
    assert list(compiled.documents) == ["d"]
    assert compiled.rate_facts == frozenset({"product.subsidy"})
    for kept in (compiled.pools, compiled.clauses, compiled.documents):
        assert isinstance(kept, MappingProxyType)
        with pytest.raises(TypeError):
            kept["x"] = None  # type: ignore[index]
    only_c = attrs.evolve(compiled, provisions=compiled.provisions[2:])
    assert list(only_c.pools) == ["d/1/c"]
    assert [[cp.info.id for cp in g] for g in only_c.award_groups] == [["d/1/c"]]


def test_the_empty_ledger_index_is_kept_per_parameters_and_assumptions(
    shipped: policyrules.Policy,
) -> None:
    """No earlier grant: the index of the empty ledger is made once per parameters and
    assumptions (equal dicts, not the same ones, find it) and shared read-only."""
    memo = LedgerMemo(shipped.checked, shipped.compiled, year_keyed(shipped.compiled))
    parts = (("the facts' ledger", Ledger()),)
    params = dict(shipped.compiled.parameter_defaults)
    assume = dict(shipped.compiled.assumption_defaults)
    merged, index = memo.whole(parts, params, assume)
    assert not merged.grants
    assert index is not None
    assert not index.used
    assert not index.paid
    again = memo.whole(parts, dict(params), dict(assume))
    assert again[1] is index
    other = read_values(shipped.checked, {"annual_cap_year": "decision"}, "assumptions")
    changed = memo.whole(parts, params, {**assume, **other})
    assert changed[1] is not None
    assert changed[1] is not index  # another key: checked and indexed again
    assert memo.whole(parts, params, {**assume, **other})[1] is changed[1]


def test_calls_with_other_readings_on_one_policy_pay_as_fresh_ones(
    shipped: policyrules.Policy,
) -> None:
    """P1..P6, all approved 2026-03-01, each decided 190 万元 (under 200 万元 a product):
    served by id, P1..P5 take 5 × 190 = 950 万元 of the firm's 1000 万元 for 2026 and P6 is
    cut to 1000 − 950 = 50 万元.  The holiday choice, the parameters and an empty ledger
    change no amount here; each call on the same policy gives what a call on a new
    policy object (nothing kept yet) gives, in any order of the calls."""
    # 第3条: 6 个产品各 190 万元 (未超单个产品 200 万元); 企业 2026 年度上限 1000 万元:
    # P1—P5 共 5 × 190 = 950 万元, P6 得 1000 − 950 = 50 万元.
    fresh = policyrules.api.Policy(shipped.checked, shipped.compiled, shipped.path)
    facts = _facts(*["190万元"] * 6)
    calls: list[dict[str, Any]] = [
        {},
        {"assumptions": {"holiday_schedule": "weekends_only"}},
        {"parameters": {"rd_reward_rate": "10%"}},
        {"ledger": []},
        {},
    ]
    for kw in calls:
        got = shipped.evaluate(facts, explain=False, **kw)
        amounts = {d.subject: d.amount.fen for d in got.decisions if d.provision == REWARD}
        assert amounts == {**{f"f1/P{n}": 190 * WAN for n in range(1, 6)}, "f1/P6": 50 * WAN}
        assert got == policyrules.api.Policy(fresh.checked, fresh.compiled, fresh.path).evaluate(
            facts, explain=False, **kw
        )
