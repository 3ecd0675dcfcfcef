"""Shared cap pools, claim order, each cap's cut, and which facts decide an outcome.

Every expected amount is worked by hand in the comment beside it (1 万元 = 1,000,000 fen).
"""

from __future__ import annotations

import pytest

from policyrules import Grant, Money, RuleCheckError
from policyrules.api import Policy
from policyrules.runtime.order import natural_key
from strategies import compile_text
from support import WAN, products_head

HEAD = products_head(
    "approved_on: date",
    "s1_on: date",
    "s2_on: date",
    "s3_on: date",
    "s4_on: date",
    "awarded: money",
    firm_facts=("high_tech: bool", "listed: bool", "n: number", "m: number"),
)


def _amounts(policy: Policy, facts: dict[str, object], **kw: object) -> dict[str, int | None]:
    result = policy.evaluate(facts, **kw)  # type: ignore[arg-type]
    return {
        f"{d.provision.rsplit('/', 1)[-1]} {d.subject}": (d.amount.fen if d.amount else None)
        for d in result.decisions
        if d.kind == "award" and d.status == "eligible"
    }


# ---- §4.1 caps of one pool agree on their key -----------------------------------------------


def _check_error(text: str) -> RuleCheckError:
    with pytest.raises(RuleCheckError) as info:
        compile_text(HEAD + text)
    return info.value


def test_pool_caps_keyed_differently_are_a_check_error() -> None:
    """The issue's example: one cap `per year of`, one not, in `shared firm_pool`. Today two
    claims of 80 万元 were paid 160 万元 from a 100 万元 pool; now `check` refuses, at the cap."""
    err = _check_error(
        """
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm per year of approved_on shared firm_pool

  award b
    for each product
    amount decided awarded
    cap 100 万元 per firm shared firm_pool
"""
    )
    [d] = err.diagnostics
    assert d.code == "E230"
    assert d.span is not None
    assert d.span.line == HEAD.count("\n") + 10
    assert "per firm per year" in d.message
    assert "(no year)" in d.message
    assert d.hint
    assert "per year of" in d.hint


@pytest.mark.parametrize(
    ("caps", "code"),
    [
        # different `per` entities
        (("cap 100 万元 per firm shared p", "cap 100 万元 per product shared p"), "E230"),
        # both yearly, both per firm, but different limits
        (
            (
                "cap 100 万元 per firm per year of approved_on shared p",
                "cap 200 万元 per firm per year of s1_on shared p",
            ),
            "E231",
        ),
        # limits that are not constants, compared by their text: 30% and 50% of a fact
        (
            (
                "cap 30% of awarded per firm shared p",
                "cap 50% of awarded per firm shared p",
            ),
            "E231",
        ),
        # `shared` with no `per`: the pool would have no key
        (("cap 100 万元 shared p", "cap 100 万元 shared p"), "E232"),
    ],
)
def test_pool_disagreements(caps: tuple[str, str], code: str) -> None:
    """Each way caps of one pool can disagree is refused with its own code."""
    text = "".join(
        f"\n  award a{i}\n    for each product\n    amount decided awarded\n    {cap}\n"
        for i, cap in enumerate(caps)
    )
    err = _check_error(text)
    assert {d.code for d in err.diagnostics} == {code}


def test_same_limit_written_differently_agrees() -> None:
    """1000 万元 and 1 亿元 ÷ 10 written as 10000000 元 are one limit: no error."""
    compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 1000 万元 per firm shared p

  award b
    for each product
    amount decided awarded
    cap 10000000 元 per firm shared p
"""
    )


@pytest.mark.parametrize(
    ("order_a", "order_b", "why"),
    [
        ("order by approved_on, id", "order by s1_on", "1 key here, 2 there"),
        ("order by approved_on, id", "order by awarded, id", "key 1 is money here, date there"),
        ("order by approved_on, id", "", "no keys here, 2 there"),
    ],
)
def test_pool_order_keys_must_compare(order_a: str, order_b: str, why: str) -> None:
    """Provisions of one pool are served in one order: keys of different number or kinds
    are a check error at the second provision's `order by` (or the provision)."""
    err = _check_error(
        f"""
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p
    {order_a}

  award b
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p
    {order_b}
"""
    )
    [d] = err.diagnostics
    assert d.code == "E233"
    assert why in d.message
    assert d.hint
    assert "d/1/a orders by approved_on, id" in d.hint


def test_pools_link_provisions_transitively() -> None:
    """a–b share pool p, b–c share pool q: a and c are served in one order too (E233)."""
    err = _check_error(
        """
  award a
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p
    order by approved_on

  award b
    for each product
    amount decided awarded
    cap 100 万元 per firm shared p
    cap 100 万元 per product shared q
    order by approved_on

  award c
    for each product
    amount decided awarded
    cap 100 万元 per product shared q
    order by awarded
"""
    )
    assert [d.code for d in err.diagnostics] == ["E233"]
    assert "d/1/c" in err.diagnostics[0].message


# ---- §4.2 one pool-wide order -----------------------------------------------------------------


def _stage(n: int) -> str:
    return f"""
  award stage{n}
    for each product
    eligible when known(s{n}_on)
    amount 30 万元
    cap 100 万元 per firm per year of s{n}_on shared firm_year
    order by s{n}_on, id
"""


STAGES = {
    "P1": {"s1_on": "2026-12-01"},  # stage 1, in December
    "P2": {"s2_on": "2026-01-10"},
    "P3": {"s3_on": "2026-01-20"},
    "P4": {"s4_on": "2026-01-10"},  # the same day as P2: by id, P2 first
}


def _stage_facts(order: list[str]) -> dict[str, object]:
    return {"firms": [{"id": "f1", "products": [{"id": p, **STAGES[p]} for p in order]}]}


def test_one_pool_wide_order_across_provisions() -> None:
    """Four stage awards share one yearly pool of 100 万元, 30 万元 each.  Served by date,
    then id: P2 (01-10) 30, P4 (01-10, id after P2) 30, P3 (01-20) 30 — 90 used, 10 left —
    P1 (12-01) 10, cut 20.  Serving stage 1 first, in file order, paid the December claim
    30 and cut P4 to 10."""
    want = {"stage2 f1/P2": 30 * WAN, "stage4 f1/P4": 30 * WAN, "stage3 f1/P3": 30 * WAN}
    want["stage1 f1/P1"] = 10 * WAN
    stages = [_stage(n) for n in (1, 2, 3, 4)]
    forward = compile_text(HEAD + "".join(stages))
    backward = compile_text(HEAD + "".join(reversed(stages)))
    for policy in (forward, backward):
        for order in (["P1", "P2", "P3", "P4"], ["P4", "P3", "P2", "P1"]):
            assert _amounts(policy, _stage_facts(order)) == want
    result = forward.evaluate(_stage_facts(["P1", "P2", "P3", "P4"]))
    # The result still lists decisions by provision as in the file, then subject.
    assert [d.provision.rsplit("/", 1)[-1] for d in result.decisions if d.subject == "f1/P1"] == [
        "stage1",
        "stage2",
        "stage3",
        "stage4",
    ]
    [p1] = [d for d in result.decisions if d.provision.endswith("stage1") and d.subject == "f1/P1"]
    [yearly] = p1.caps
    assert yearly.binding
    assert yearly.cut == Money(20 * WAN)
    assert [s for s, _ in yearly.earlier] == ["f1/P2", "f1/P4", "f1/P3"]


# ---- §1 ids in natural order ------------------------------------------------------------------


def test_natural_key_orders_numbers_as_numbers() -> None:
    """9 < 10; "07" and "7" differ (07 first); digits before other text; full-width digits."""
    ids = ["P10", "P9", "10", "9", "7", "07", "a", "P0011", "P12", "１２", "11"]
    assert sorted(ids, key=natural_key) == [
        "07",
        "7",
        "9",
        "10",
        "11",
        "１２",
        "P9",
        "P10",
        "P0011",
        "P12",
        "a",  # text runs by code point: "P" < "a"
    ]
    assert natural_key("x" + "9" * 5000) < natural_key("x1" + "0" * 5000)  # no int() limit


NATURAL = """
  award launch
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 300 万元 per firm per year of approved_on
    order by approved_on, id
"""


def test_same_day_ids_are_served_as_numbers() -> None:
    """Products 9 and 10, approved the same day (同日按编号), 200 万元 each, yearly cap
    300 万元: 9 first, 200 万元 (100 万元 left); 10 gets 100 万元, cut 100 万元.  Compared as
    text, "10" < "9" and product 10 was paid in full instead."""
    policy = compile_text(HEAD + NATURAL)
    day = "2026-03-01"
    products = [
        {"id": "10", "approved_on": day, "awarded": "200万元"},
        {"id": "9", "approved_on": day, "awarded": "200万元"},
    ]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    amounts = {d.subject: d.amount for d in result.decisions}
    assert amounts == {"f1/9": Money(200 * WAN), "f1/10": Money(100 * WAN)}
    assert [d.subject for d in result.decisions] == ["f1/9", "f1/10"]
    [ten] = [d for d in result.decisions if d.subject == "f1/10"]
    step = ten.trace[0]
    assert step.kind == "order"
    assert "served after f1/9" in step.text
    assert "id 9 comes before 10" in step.text
    assert "natural order" in step.text
    # Product 9's decision was not ordered by the rule against text order: no step.
    [nine] = [d for d in result.decisions if d.subject == "f1/9"]
    assert all(s.kind != "order" for s in nine.trace)


def test_owner_ids_break_ties_in_natural_order() -> None:
    """Without `order by`, claims go by firm, then product, ids in natural order."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 300 万元 per firm
"""
    )
    products = [{"id": f"P{i}", "awarded": "200万元"} for i in (10, 9)]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    # P9 first: 200; P10: 300 − 200 = 100.
    assert {d.subject: d.amount.fen for d in result.decisions if d.amount} == {
        "f1/P9": 200 * WAN,
        "f1/P10": 100 * WAN,
    }


# ---- §4.4 each cap its own cut --------------------------------------------------------------


def test_two_binding_caps_each_get_their_own_cut() -> None:
    """Requested 300 万元; `cap 200 万元 per product` then a yearly cap of 1000 万元 with
    850 万元 already granted (150 万元 left): 300 → 200 (cut 100), 200 → 150 (cut 50)."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 1000 万元 per firm per year of approved_on
"""
    )
    # 850 万元 earlier: 4 × 200 + 50, each within the 200 万元 per-product cap.
    earlier = [
        Grant("d/1/a", (("firm", "f1"), ("product", f"P0{i}")), Money(fen), 2026)
        for i, fen in enumerate([200 * WAN] * 4 + [50 * WAN])
    ]
    facts = {
        "firms": [
            {
                "id": "f1",
                "products": [{"id": "P1", "approved_on": "2026-05-01", "awarded": "300万元"}],
            }
        ]
    }
    result = policy.evaluate(facts, ledger=earlier)
    [d] = result.decisions
    assert d.amount == Money(150 * WAN)
    assert d.amount_kind == "exact"
    product, yearly = d.caps
    assert (product.binding, product.before, product.after, product.cut) == (
        True,
        Money(300 * WAN),
        Money(200 * WAN),
        Money(100 * WAN),
    )
    assert (yearly.binding, yearly.before, yearly.after, yearly.cut) == (
        True,
        Money(200 * WAN),
        Money(150 * WAN),
        Money(50 * WAN),
    )
    text = result.explain(lang="en")
    assert "BINDS: 300 万元 cut by 100 万元 to 200 万元" in text
    assert "BINDS: 200 万元 cut by 50 万元 to 150 万元" in text
    caps = result.to_json()["decisions"][0]["caps"]  # type: ignore[index]
    assert [(c["binding"], c["before"], c["after"], c["cut"]) for c in caps] == [
        (True, "3000000.00", "2000000.00", "1000000.00"),
        (True, "2000000.00", "1500000.00", "500000.00"),
    ]


def test_a_cap_that_does_not_lower_the_amount_does_not_bind() -> None:
    """Requested 100 万元 under `cap 200 万元 per product`: nothing is cut, nothing binds;
    a negative computed cap limit leaves no room (0), it never gives room back."""
    policy = compile_text(
        HEAD
        + """
  award a
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap awarded - 150 万元
"""
    )
    facts = {"firms": [{"id": "f1", "products": [{"id": "P1", "awarded": "100万元"}]}]}
    [d] = policy.evaluate(facts).decisions
    # 100 → 200 万元 cap: 100 (no cut); → cap 100 − 150 = −50 万元: no room, 0 (cut 100).
    first, second = d.caps
    assert not first.binding
    assert first.cut == Money.zero()
    assert second.binding
    assert second.cut == Money(100 * WAN)
    assert d.amount == Money.zero()


# ---- §5 the facts that decide an outcome --------------------------------------------------


def _firm_award(condition: str) -> Policy:
    return compile_text(
        HEAD
        + f"""
  award a
    for each product
    eligible when {condition}
    amount 10 万元
"""
    )


def _one(policy: Policy, **firm: object) -> object:
    facts = {"firms": [{"id": "f1", **firm, "products": [{"id": "P1"}]}]}
    [d] = policy.evaluate(facts).decisions
    return d


def test_a_false_condition_settles_the_decision() -> None:
    """The issue's example: `high_tech and listed`, high_tech false, listed missing: not
    eligible, and nothing "would decide" it."""
    policy = _firm_award("high_tech and listed")
    d = _one(policy, high_tech=False)
    assert d.status == "not_eligible"  # type: ignore[attr-defined]
    assert d.missing_facts == ()  # type: ignore[attr-defined]
    result = policy.evaluate(
        {"firms": [{"id": "f1", "high_tech": False, "products": [{"id": "P"}]}]}
    )
    assert "would be decided by" not in result.explain(lang="en")
    assert "尚需提供" not in result.explain()
    assert result.to_json()["decisions"][0]["missing_facts"] == []  # type: ignore[index]
    # Two `eligible when` lines: the same.
    two = compile_text(
        HEAD
        + """
  award a
    for each product
    eligible when high_tech
    eligible when listed
    amount 10 万元
"""
    )
    assert _one(two, high_tech=False).missing_facts == ()  # type: ignore[attr-defined]
    # With high_tech true, listed alone decides it.
    assert _one(policy, high_tech=True).missing_facts == ("firm.listed",)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("condition", "firm", "status", "missing"),
    [
        # both branches agree: settled whatever `listed` is
        ("if listed then high_tech else high_tech", {"high_tech": True}, "eligible", ()),
        # the branches differ: the condition and the branch facts would settle it
        (
            "if listed then high_tech else n > 1",
            {},
            "unknown",
            ("firm.high_tech", "firm.listed", "firm.n"),
        ),
        # a known item equals a known element: true whatever the other item is
        ("n in {m, 5}", {"n": 5}, "eligible", ()),
        ("n not in {m, 5}", {"n": 5}, "not_eligible", ()),
        # no known item equals it: the unknown item decides
        ("n in {m, 5}", {"n": 6}, "unknown", ("firm.m",)),
        ("not (high_tech and listed)", {"high_tech": False}, "eligible", ()),
        ("high_tech or listed", {"listed": True}, "eligible", ()),
        ("known(listed) or high_tech", {}, "unknown", ("firm.high_tech",)),
        # once n is given, `not known(n)` turns false and high_tech decides: both are listed
        ("n > 1 and (not known(n) or high_tech)", {}, "unknown", ("firm.high_tech", "firm.n")),
    ],
)
def test_missing_facts_are_the_deciding_ones(
    condition: str, firm: dict[str, object], status: str, missing: tuple[str, ...]
) -> None:
    """Each three-valued form lists only facts whose value could change the outcome."""
    d = _one(_firm_award(condition), **firm)
    assert (d.status, d.missing_facts) == (status, missing)  # type: ignore[attr-defined]
