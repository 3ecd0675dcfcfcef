"""One generated function per award serving all its claims (backends/python/fused.py).

Device measure 3 (京经信发〔2025〕50号 第3条): 200 万元 per product, 1000 万元 per firm and
year of approval, claims served by approval day then product id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.api import Policy
from policyrules.backends.python import fastpath
from policyrules.backends.python.claims import scope_of
from policyrules.backends.python.fused import _end, _known, fused_award, policy_known
from support import general_way

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _product(n: int, day: str, wan: int, **more: Any) -> dict[str, Any]:
    item = {
        "id": f"P{n}",
        "approved_on": day,
        "launch_routes": ["national_priority_review"],
        "other_national_project": False,
        "launch_reward_decided": f"{wan} 万元",
    }
    item.update(more)
    return item


def _no_fused(policy: Policy) -> Policy:
    """The same policy with the fused functions refused: claim by claim (fastpath)."""
    return attrs.evolve(policy, compiled=attrs.evolve(policy.compiled, fused={}))


def test_claims_served_by_the_fused_function(
    shipped: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[str] = []
    real = fastpath.FastClaims.serve_one

    def serve_one(self: Any, cp: Any, fp: Any, inst: Any, *args: Any) -> Any:
        if cp.info.id == LAUNCH:
            handed.append(inst.id)
        return real(self, cp, fp, inst, *args)

    monkeypatch.setattr(fastpath.FastClaims, "serve_one", serve_one)
    # P10 is approved first (day 1) yet P2 and P9 come on the same day: natural order
    # P2, P9, P10 within 2026-03-02; P11 misses its decided amount (handed on).
    products = [
        _product(10, "2026-03-01", 300),
        _product(9, "2026-03-02", 400),
        _product(2, "2026-03-02", 150),
        _product(3, "2026-03-05", 600),
        _product(4, "2027-01-10", 250),
        _product(11, "2026-03-06", 100),
    ]
    del products[-1]["launch_reward_decided"]
    ledger = [  # 200 + 200 + 100 = 500 万元 of f1's 2026 cap, each within 200 per product
        Grant(LAUNCH, (("firm", "f1"), ("product", f"P{n}")), Money(wan * WAN), 2026)
        for n, wan in ((7, 200), (8, 200), (12, 100))
    ]
    result = shipped.evaluate(
        {"firms": [{"id": "f1", "products": products}]}, ledger=ledger, explain=False
    )
    assert handed == ["P11"]  # only the claim the generated code cannot decide
    assert LAUNCH in shipped.compiled.fused
    got = {d.subject: d for d in result.decisions if d.provision == LAUNCH}
    # 2026: the ledger holds 500 万元 of the 1000 万元.  P10 asks 300, capped at 200 per
    # product: 200 (700 used).  P2 asks 150: 150 (850 used).  P9 asks 400 -> 200 by the
    # product cap -> 150 by the year's room (1000 - 850).  P3: 0 left.  2027: P4 asks
    # 250 -> 200 by the product cap, the year's cap untouched.
    amounts = {s: d.amount for s, d in got.items() if d.status == "eligible"}
    assert amounts == {
        "f1/P10": Money(200 * WAN),
        "f1/P2": Money(150 * WAN),
        "f1/P9": Money(150 * WAN),
        "f1/P3": Money(0),
        "f1/P4": Money(200 * WAN),
        "f1/P11": Money(0),  # no decided amount: at most the year's room left, 0.00 元
    }
    assert got["f1/P11"].amount_kind == "up_to"
    assert got["f1/P11"].missing_facts == ("product.launch_reward_decided",)
    year = got["f1/P9"].caps[1]
    assert year.used_before == Money(500 * WAN)  # the ledger's part
    assert [s for s, _ in year.earlier] == ["f1/P10", "f1/P2"]  # served before it
    # 0.00 元 is no payment: four grants, in serving order.
    assert [g.path[1][1] for g in result.grants] == ["P10", "P2", "P9", "P4"]
    assert result == _no_fused(shipped).evaluate(
        {"firms": [{"id": "f1", "products": products}]}, ledger=ledger, explain=False
    )


def test_only_known_shapes_are_fused(shipped: Policy) -> None:
    assert policy_known(shipped.checked)
    by_id = {cp.info.id: cp for cp in shipped.compiled.provisions}
    assert fused_award(by_id[LAUNCH], shipped.checked) is not None
    # Not awards, or awards the generated code leaves alone (a range, tiers, a quota):
    # no fused function.
    for cp in shipped.compiled.provisions:
        if cp.info.kind != "award" or cp.info.bounded:
            assert fused_award(cp, shipped.checked) is None


@attrs.frozen
class _Later:
    known: int
    added: tuple[str, ...] = ()  # a field the fused test does not know


def test_a_field_it_does_not_know_must_be_at_its_default() -> None:
    assert _known(_Later(1), frozenset({"known"}))
    assert not _known(_Later(1, ("exclusive",)), frozenset({"known"}))
    assert _known(_Later(1, ("exclusive",)), frozenset({"known", "added"}))


def test_two_claims_on_one_path_are_served_claim_by_claim(
    shipped: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[str] = []
    real = fastpath.FastClaims.serve_one

    def serve_one(self: Any, cp: Any, fp: Any, inst: Any, *args: Any) -> Any:
        if cp.info.id == LAUNCH:
            handed.append(inst.id)
        return real(self, cp, fp, inst, *args)

    monkeypatch.setattr(fastpath.FastClaims, "serve_one", serve_one)
    # Facts built in Python may list one product twice (the reader refuses that, E3xx):
    # the fused function keeps no account per product, so it declines such facts.
    facts = shipped.read_facts(
        {"firms": [{"id": "f1", "products": [_product(1, "2026-03-02", 150)]}]}
    )
    twice = (*facts.instances["product"], *facts.instances["product"])
    facts = attrs.evolve(facts, instances={**facts.instances, "product": twice})
    result = shipped.evaluate(facts, explain=False)
    assert handed == ["P1", "P1"]  # each claim the fast path's way, one at a time
    launch = [d for d in result.decisions if d.provision == LAUNCH]
    # The first claim is paid its 150 万元; the second is refused: once per product.
    assert [d.status for d in launch] == ["eligible", "not_eligible"]
    assert launch[0].amount == Money(150 * WAN)
    general = general_way(shipped)
    assert result == general.evaluate(facts, explain=False)


BARE = """entity firm "企业"
  list firms
  fact base: money

document d "测试"

clause 1 "补助"
  quote "q"

  award third "三分之一"
    for each firm
    amount 1 / 3 of base

  award capped "封顶"
    for each firm
    amount 10% of base
    cap 50 万元
"""


def test_awards_without_conditions_order_or_accounts(tmp_path: Path) -> None:
    (tmp_path / "t.rule").write_text(BARE, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    facts = {
        "firms": [{"id": "f2", "base": "1000 万元"}, {"id": "f10"}, {"id": "f1", "base": "1 元"}]
    }
    result = policy.evaluate(facts, explain=False)
    assert set(policy.compiled.fused) == {"d/1/third", "d/1/capped"}
    got = {(d.provision, d.subject): (d.status, d.amount) for d in result.decisions}
    # f2: 1000 万元 / 3 = 333.33... 万元, down to the fen: 3,333,333.33 元; 10% is 100 万元,
    # capped at 50 万元.  f1: 1 元 / 3 = 0.33 元; 10% = 0.10 元.
    assert got[("d/1/third", "f2")] == ("eligible", Money(333_333_333))
    assert got[("d/1/capped", "f2")] == ("eligible", Money(50 * WAN))
    assert got[("d/1/third", "f1")] == ("eligible", Money(33))
    assert got[("d/1/capped", "f1")] == ("eligible", Money(10))
    # f10 has no base: eligible (no condition), its amount unknown until base is given.
    f10 = next(d for d in result.decisions if d.subject == "f10" and d.provision == "d/1/third")
    assert (f10.status, f10.amount, f10.amount_kind) == ("eligible", None, "unknown")
    assert f10.missing_facts == ("firm.base",)
    for explain in (False, True):
        general = general_way(policy)
        assert policy.evaluate(facts, explain=explain) == general.evaluate(facts, explain=explain)


def test_scope_ends_as_scope_of_counts_them(shipped: Policy) -> None:
    # fused._end counts where a cap's or a one-time rule's scope ends in a subject's path
    # without .claims (which reads .compile): the same as len(scope_of(path, per)).
    checked = 0
    for p in shipped.checked.provisions():
        if p.subject is None:
            continue
        chain = [e.name for e in reversed(shipped.checked.chain(p.subject))]
        path = tuple((entity, "x") for entity in chain)
        for per in [cap.per for cap in p.caps] + [(o.entity,) for o in p.once] + [("nowhere",)]:
            assert _end(chain, per) == len(scope_of(path, per))
            checked += 1
    assert checked > 40  # every provision with a subject, at least its ("nowhere",)


def _served(result: Any) -> list[str]:
    """The measure's claims in serving order: the order its grants were made in."""
    return ["/".join(i for _, i in g.path) for g in result.grants if g.provision == LAUNCH]


@pytest.mark.parametrize("general", [False, True], ids=["ranked", "one keyed the general way"])
def test_the_fused_order_is_the_claim_by_claim_order(shipped: Policy, general: bool) -> None:
    """Past 32 claims the fused function orders its claims by ranks of columns (.lean_order);
    with a claim keyed the general way, by the claims' flat keys.  Either way the order,
    the amounts and the explanations are those of the claims served one by one."""
    # 40 products of f1 on four days, each asking 150 万元 (capped at 150 by nothing): the
    # year cap of 1000 万元 pays six in full (900), the seventh 100, the rest 0.  On a day,
    # natural order: P3 before P12 before P21 (plain text order would put P12 first).
    days = ["2026-03-04", "2026-03-02", "2026-03-03", "2026-03-02"]
    products = [_product(n, days[n % 4], 150) for n in range(1, 41)]
    if general:  # no approval day: its key is not known, and it is served first
        del products[20]["approved_on"]
    # f0's products, approved later, are served after all of f1's (day first, then ids).
    later = [_product(n, "2026-03-05", 150) for n in range(1, 4)]
    facts = {"firms": [{"id": "f1", "products": products}, {"id": "f0", "products": later}]}
    fused = shipped.evaluate(facts)
    claim_by_claim = _no_fused(shipped).evaluate(facts)
    assert fused == claim_by_claim
    assert fused.decision_texts() == claim_by_claim.decision_texts()
    assert [d.trace for d in fused.decisions] == [d.trace for d in claim_by_claim.decisions]
    # 2026-03-02 holds P1, P3, P5, ... (n % 4 in {1, 3}): P1, P3, P5, P7, P9, P11 are paid
    # 150 each (900 万元), P13 the 100 left.
    paid = {d.subject: d.amount for d in fused.decisions if d.provision == LAUNCH}
    if not general:
        assert _served(fused)[:7] == [f"f1/P{n}" for n in (1, 3, 5, 7, 9, 11, 13)]
        assert _served(fused)[-3:] == ["f0/P1", "f0/P2", "f0/P3"]
        assert paid["f1/P13"] == Money(100 * WAN)
        assert paid["f1/P15"] == Money(0)


def test_many_claims_on_one_path_are_served_claim_by_claim(
    shipped: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past lean_order.SMALL claims, with explanations, the served order tells that two
    claims share a path (from the ranks it folds): the fused function declines them too."""
    handed: list[str] = []
    real = fastpath.FastClaims.serve_one

    def serve_one(self: Any, cp: Any, fp: Any, inst: Any, *args: Any) -> Any:
        if cp.info.id == LAUNCH:
            handed.append(inst.id)
        return real(self, cp, fp, inst, *args)

    monkeypatch.setattr(fastpath.FastClaims, "serve_one", serve_one)
    products = [_product(n, f"2026-03-{n % 28 + 1:02d}", 20) for n in range(1, 41)]
    facts = shipped.read_facts({"firms": [{"id": "f1", "products": products}]})
    twice = (*facts.instances["product"], facts.instances["product"][7])
    facts = attrs.evolve(facts, instances={**facts.instances, "product": twice})
    result = shipped.evaluate(facts)
    assert len(handed) == 41  # each claim the fast path's way, one at a time
    launch = [d for d in result.decisions if d.provision == LAUNCH]
    assert [d.status for d in launch].count("not_eligible") == 1  # once per product
    general = general_way(shipped)
    assert result.decisions == general.evaluate(facts).decisions
