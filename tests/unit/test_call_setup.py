"""One firm a call (issue 10): what ``Policy.evaluate`` does around the claims of a call
given nothing but facts.  Such a call reads no values beside the facts and no ledger of
theirs (the defaults and the empty ledger, kept, are handed on as they are), facts without
a ``ledger:`` share one empty ledger, and the assumptions the rows read are gathered in
one union; the result is the one the whole way gives.

Policy: 京经信发〔2025〕50号 第3条 (launch_reward): 单个产品不超过 200 万元, 单个企业年度奖励不超过
1000 万元.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

import pytest

import policyrules
import policyrules.api
from policyrules.backends.python.evaluate import _read
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _firm(*decided: str, **top: Any) -> dict[str, Any]:
    """Firm f1's products P1, P2, ... approved 2026-03-02 (national priority review), each
    decided at the amount given on 2027-02-15."""
    products = [
        {
            "id": f"P{n}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "other_national_project": False,
            "launch_reward_decided": amount,
            "launch_reward_decided_on": "2027-02-15",
        }
        for n, amount in enumerate(decided, 1)
    ]
    return {**top, "firms": [{"id": "f1", "products": products}]}


def test_facts_without_a_ledger_share_one_empty_ledger(beijing: policyrules.Policy) -> None:
    one = beijing.facts_ledger(beijing.read_facts(_firm("190万元")))
    other = beijing.facts_ledger(beijing.read_facts(_firm("50万元")))
    assert one is other
    assert (one.grants, one.bases) == ((), ())
    # a `ledger:` of their own is read, as before
    earlier = {"provision": REWARD, "firm": "f1", "product": "P9", "amount": "180万元"}
    earlier["year"] = 2026
    own = beijing.facts_ledger(beijing.read_facts(_firm("190万元", ledger=[earlier])))
    assert [g.amount.fen for g in own] == [180 * WAN]


def test_a_plain_call_reads_no_values_and_no_ledger_and_says_the_same(
    beijing: policyrules.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts alone: neither the values beside them nor their ledger are read; the result,
    its texts and its whole texts are those of the whole way (an empty ledger given).
    P1 190 万元 and P2 200 万元 in full; P3 decided 900 万元, cut to 200 万元 a product:
    190 + 200 + 200 = 590 万元, under the firm's 1000 万元."""
    # 第3条: 单个产品不超过 200 万元: P3 900 → 200 万元;
    # 企业合计 190 + 200 + 200 = 590 万元 ≤ 1000 万元.
    facts = beijing.read_facts(_firm("190万元", "200万元", "900万元"))
    wholes = {e: beijing.evaluate(facts, ledger=[], explain=e) for e in (True, False)}
    whole = wholes[True]

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("read")

    monkeypatch.setattr(policyrules.api, "call_values", refuse)
    monkeypatch.setattr(policyrules.api.Policy, "facts_ledger", refuse)
    for explain in (True, False):
        plain = beijing.evaluate(facts, explain=explain)
        assert plain == beijing.evaluate(facts, explain=explain, parameters={}, assumptions={})
        paid = {d.subject: d.amount.fen for d in plain.decisions if d.provision == REWARD}
        assert paid == {"f1/P1": 190 * WAN, "f1/P2": 200 * WAN, "f1/P3": 200 * WAN}
        assert sum(g.amount.fen for g in plain.grants) == 590 * WAN
        assert plain == wholes[explain]
        assert plain.explain() == wholes[explain].explain()
    plain = beijing.evaluate(facts)
    assert plain.decision_texts() == whole.decision_texts()
    assert plain.explain(lang="en") == whole.explain(lang="en")
    assert plain.to_json() == whole.to_json()
    # anything beside the facts takes the whole way
    with pytest.raises(AssertionError, match="read"):
        beijing.evaluate(facts, as_of="2027-03-31")
    with pytest.raises(AssertionError, match="read"):
        beijing.evaluate(facts, parameters={"rd_reward_rate": "10%"})


def test_the_assumptions_read_are_gathered_from_rows_and_decisions(
    beijing: policyrules.Policy,
) -> None:
    """Rows only: one union of their last items; a decision among them: each read on its
    own, the same names."""
    rows = [("r1", {"annual_cap_year"}), ("r2", set()), ("r3", {"annual_cap_year", "x"})]
    assert _read(rows) == ({"annual_cap_year", "x"}, False)
    assert _read([]) == (set(), False)
    result = beijing.evaluate(_firm("190万元"))
    [decision] = [d for d in result.decisions if d.provision == REWARD]
    names = {a for a, _ in decision.assumptions}
    assert "annual_cap_year" in names
    assert _read([*rows, decision]) == (names | {"x"}, False)
