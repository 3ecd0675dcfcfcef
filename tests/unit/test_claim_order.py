"""The pool-wide order of claims and the trace step that says natural order decided it.

Claims sharing a pool are served by the `order by` keys (an unknown key first), then by the
subject's path from the firm down (an owner before its products; ids in natural order), then
by provision id.  A trace step ("order") appears only where natural order put a claim before
one that plain text order would have put first.  Amounts are worked by hand beside each test
(1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

from policyrules import Decision, Money
from strategies import compile_text
from support import WAN, products_head

HEAD = products_head("code: text", "awarded: money", firm_facts=("bonus: money",))


def _by_subject(decisions: tuple[Decision, ...]) -> dict[str, Decision]:
    return {f"{d.provision.rsplit('/', 1)[-1]} {d.subject}": d for d in decisions}


def _order_steps(d: Decision) -> list[str]:
    return [s.text for s in d.trace if s.kind == "order"]


def test_a_claim_with_an_unknown_order_key_is_served_first_without_an_order_step() -> None:
    """`order by code`: P1 has no code, P2 has "x9".  P1 may come first: it is served first,
    min(200, 300) = 200 万元 up to, held as pending; P2: at most min(200, 300 − 0) = 200, at
    least 300 − 200 = 100: up to 200.  P1 was not put before P2 by natural order of text
    (its key is unknown), so neither decision has an order step."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 300 万元 per firm shared pool
    order by code
"""
    )
    products = [
        {"id": "P1", "awarded": "200万元"},
        {"id": "P2", "code": "x9", "awarded": "200万元"},
    ]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    assert [d.subject for d in result.decisions] == ["f1/P1", "f1/P2"]
    got = _by_subject(result.decisions)
    assert (got["a f1/P1"].amount, got["a f1/P2"].amount) == (Money(200 * WAN), Money(200 * WAN))
    assert (got["a f1/P1"].amount_kind, got["a f1/P2"].amount_kind) == ("up_to", "up_to")
    assert _order_steps(got["a f1/P1"]) == []
    assert _order_steps(got["a f1/P2"]) == []


def test_an_owners_claim_comes_before_its_products_without_an_order_step() -> None:
    """Award b (per firm, bonus 200 万元) and award a (per product: P9 50 万元, P10 200 万元)
    share a 300 万元 pool.  The firm's path is a prefix of its products' paths, so b is served
    first: 200; P9: 50 (250 used); P10: 300 − 250 = 50, cut 150.  The firm went first because
    it owns the products, not by provision id ("d/1/b" after "d/1/a" as text), so P9 has no
    order step; P10 has one, as P9 < P10 in natural order but "P9" > "P10" as text."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 300 万元 per firm shared pool

  award b
    for each firm
    amount decided bonus
    cap 300 万元 per firm shared pool
"""
    )
    products = [{"id": "P9", "awarded": "50万元"}, {"id": "P10", "awarded": "200万元"}]
    facts = {"firms": [{"id": "f1", "bonus": "200万元", "products": products}]}
    got = _by_subject(policy.evaluate(facts).decisions)
    assert {k: d.amount.fen for k, d in got.items() if d.amount} == {
        "b f1": 200 * WAN,
        "a f1/P9": 50 * WAN,
        "a f1/P10": 50 * WAN,  # 300 − 200 − 50
    }
    assert _order_steps(got["b f1"]) == []
    assert _order_steps(got["a f1/P9"]) == []
    assert _order_steps(got["a f1/P10"]) == [
        "served after f1/P9 (d/1/a): product id P9 comes before P10 in natural order "
        "(digit runs compare as numbers)"
    ]
    [cap] = got["a f1/P10"].caps
    assert (cap.binding, cap.before, cap.after) == (True, Money(200 * WAN), Money(50 * WAN))


def test_each_binding_cap_of_a_requested_amount_binds() -> None:
    """Requested 300 万元; `cap 250 万元 per product` (300 → 250) then `cap 200 万元 per firm`
    (250 → 200): both lower the amount before them, so both bind, though only the second set
    the final 200 万元."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 250 万元 per product
    cap 200 万元 per firm
"""
    )
    facts = {"firms": [{"id": "f1", "products": [{"id": "P1", "awarded": "300万元"}]}]}
    [d] = policy.evaluate(facts).decisions
    assert d.amount == Money(200 * WAN)
    assert [(c.binding, c.before, c.after) for c in d.caps] == [
        (True, Money(300 * WAN), Money(250 * WAN)),
        (True, Money(250 * WAN), Money(200 * WAN)),
    ]
