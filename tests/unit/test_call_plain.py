"""A call of ``Policy.evaluate`` given nothing but facts takes shortcuts: the policy's
defaults themselves (no copies), the empty ledger checked and indexed once, the
assumptions a result lists kept by the names read, a lean award of one claim served
without sorting, the evaluation's memos made only when read.  What the facts themselves
bring (``parameters:``, ``assumptions:``, ``as_of:``, ``ledger:``) still counts.

Policy: 京经信发〔2025〕50号 第3条 (launch_reward): 单个产品不超过 200 万元, 单个企业年度奖励不超过
1000 万元, the year that of approval (``annual_cap_year``, default) or of the decision.
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

import policyrules
import policyrules.api
from policyrules.api_values import work_calendar
from policyrules.backends.python import evaluate as evaluator
from policyrules.backends.python.lean import LeanAward
from policyrules.backends.python.lean_order import served_order
from policyrules.runtime.ledger import Accounts, Ledger
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD
from support import WAN


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _product(n: int, decided: str) -> dict[str, Any]:
    """P<n>: approved 2026-03-02 (national priority review, no other national project),
    ``decided`` on 2027-02-15."""
    return {
        "id": f"P{n}",
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "other_national_project": False,
        "launch_reward_decided": decided,
        "launch_reward_decided_on": "2027-02-15",
    }


def _firm(*decided: str, **top: Any) -> dict[str, Any]:
    products = [_product(n, amount) for n, amount in enumerate(decided, 1)]
    return {**top, "firms": [{"id": "f1", "products": products}]}


# Five earlier grants of 180 万元 (each under 200 万元 a product) to f1's P5..P9 in 2026.
_EARLIER = [
    {"provision": REWARD, "firm": "f1", "product": f"P{n}", "amount": "180万元", "year": 2026}
    for n in range(5, 10)
]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What each call of ``Policy.evaluate`` hands the evaluator, in order."""
    seen: list[dict[str, Any]] = []
    real = policyrules.api.evaluate

    def spy(*args: Any, **kw: Any) -> Any:
        seen.append(kw)
        return real(*args, **kw)

    monkeypatch.setattr(policyrules.api, "evaluate", spy)
    return seen


def _reward(result: policyrules.Result) -> dict[str, int]:
    return {d.subject: d.amount.fen for d in result.decisions if d.provision == REWARD}


def test_a_plain_call_hands_on_the_defaults_and_the_facts_own_values_still_count(
    beijing: policyrules.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing given: the evaluator gets the policy's defaults themselves, the calendar of
    the default holiday choice and one index of no grants, the same on every call.  The
    facts' own values take the whole way and count:

    - ``ledger:`` of five grants of 180 万元 in 2026: the firm's 2026 holds 900 万元, so
      P1 (190 万元) gets 1000 − 900 = 100 万元; ``ledger: []`` is no grant (plain);
    - ``assumptions: {annual_cap_year: decision}``: P1 counts in 2027, where the grants
      (2026) are not: 190 万元 in full; the assumptions handed on say ``decision``;
    - ``parameters:`` and ``as_of:`` are read and handed on.
    """
    # 第3条: 企业 2026 年度上限 1000 万元, 账上已付 5 × 180 = 900 万元, P1 申请 190 万元只得
    # 1000 − 900 = 100 万元; 按决定日计年 (2027 年) 则不占 2026 年额度, 全额 190 万元.
    seen = _spy(monkeypatch)
    compiled = beijing.compiled
    cases: list[tuple[dict[str, Any], int, bool]] = [
        (_firm("190万元"), 190 * WAN, True),
        (_firm("190万元"), 190 * WAN, True),
        (_firm("190万元", ledger=[]), 190 * WAN, True),
        (_firm("190万元", as_of="2027-03-31"), 190 * WAN, True),  # after the decision (E353)
        (_firm("190万元", ledger=_EARLIER), 100 * WAN, False),
        (
            _firm("190万元", ledger=_EARLIER, assumptions={"annual_cap_year": "decision"}),
            190 * WAN,
            False,
        ),
        (_firm("190万元", parameters={"rd_reward_rate": "10%"}), 190 * WAN, False),
    ]
    indexes = []
    for facts, fen, plain in cases:
        assert _reward(beijing.evaluate(facts)) == {"f1/P1": fen}, facts
        kw = seen[-1]
        defaults = (kw["parameters"], kw["assumptions"])
        kept = (compiled.parameter_defaults, compiled.assumption_defaults)
        assert (defaults[0] is kept[0] and defaults[1] is kept[1]) == (
            "assumptions" not in facts and "parameters" not in facts
        ), facts
        if plain:
            assert kw["calendar"] is work_calendar("error")
            assert not kw["ledger"].grants
            indexes.append(kw["index"])
        else:
            assert len(kw["ledger"].grants) == (5 if "ledger" in facts else 0)
    assert all(i is indexes[0] for i in indexes)  # one index of no grants, shared
    assert seen[3]["as_of"] == dt.date(2027, 3, 31)
    assert seen[5]["assumptions"]["annual_cap_year"] == "decision"
    assert seen[6]["parameters"]["rd_reward_rate"] == Decimal("0.1")


def test_the_assumptions_listed_are_kept_for_the_defaults_only(
    beijing: policyrules.Policy,
) -> None:
    """A result lists the assumptions its decisions read, with their values.  For the
    defaults themselves the listing is kept by the names read and handed out again; an
    override, or a holiday choice, lists its own value, not the kept one."""
    facts = _firm("190万元")
    plain = beijing.evaluate(facts, explain=False)
    listed = dict(plain.assumptions)
    assert listed["annual_cap_year"] == "approval"
    kept = beijing.compiled.listed
    assert plain.assumptions in kept.values()
    again = beijing.evaluate(facts, explain=False)
    assert again.assumptions is plain.assumptions
    other = beijing.evaluate(facts, explain=False, assumptions={"annual_cap_year": "decision"})
    assert dict(other.assumptions)["annual_cap_year"] == "decision"
    assert {**dict(other.assumptions), "annual_cap_year": "approval"} == listed
    # and the full way (explanations) lists the same
    assert beijing.evaluate(facts).assumptions == plain.assumptions


def test_a_lean_award_of_one_claim_is_served_without_sorting(
    beijing: policyrules.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One claim (or none eligible of one) needs no check of distinct paths and no
    order: the lean function pays it without either; two claims are still sorted.
    P1 190 万元: paid in full; P1 190 and P2 200 万元 (a product's cap): both in full,
    390 万元 of the firm's 1000 万元."""
    lean = beijing.compiled.lean[REWARD]
    ns = lean.__globals__
    served: list[Any] = []  # what the lean function served (None: it declined)

    def seen(*args: Any) -> Any:
        served.append(lean(*args))
        return served[-1]

    def refuse(*_: Any) -> Any:
        raise AssertionError("sorted")

    monkeypatch.setitem(beijing.compiled.lean, REWARD, seen)  # type: ignore[index]
    monkeypatch.setitem(ns, "_order", refuse)
    monkeypatch.setitem(ns, "_distinct", refuse)
    result = beijing.evaluate(_firm("190万元"), explain=False)
    assert _reward(result) == {"f1/P1": 190 * WAN}
    refused = _firm("190万元")
    refused["firms"][0]["products"][0]["launch_routes"] = []
    [d] = [d for d in beijing.evaluate(refused, explain=False).decisions if d.provision == REWARD]
    assert (d.status, d.amount) == ("not_eligible", None)
    assert len(served) == 2
    assert all(got is not None for got in served)
    calls = []
    real = served_order

    def counted(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setitem(ns, "_order", counted)
    monkeypatch.setitem(ns, "_distinct", lambda *args: True)
    two = beijing.evaluate(_firm("190万元", "200万元"), explain=False)
    assert _reward(two) == {"f1/P1": 190 * WAN, "f1/P2": 200 * WAN}
    assert len(calls) == 1
    assert served[-1] is not None


def test_an_evaluations_memos_are_made_when_first_read(beijing: policyrules.Policy) -> None:
    """An evaluation without explanations serving a lean award reads none of the memos
    its decisions' texts use; each is made when first read and then kept; read on the
    class there is none.  Two threads reading one first at once get the same one: the
    first stored is kept (as when its maker finds one stored meanwhile)."""
    compiled = beijing.compiled
    facts = beijing.read_facts(_firm("190万元"))
    accounts = Accounts(evaluator.index_ledger(compiled, Ledger()), compiled.pools)
    run = evaluator._Run(
        compiled,
        facts,
        accounts,
        compiled.parameter_defaults,
        compiled.assumption_defaults,
        work_calendar("error"),
        None,
        False,
    )
    [cp] = [cp for cp in compiled.provisions if cp.info.id == REWARD]
    served: dict[str, list[Any]] = {REWARD: []}
    run.serve_fast([cp], served)
    assert isinstance(served[REWARD][0], LeanAward)
    memos = ["_static", "_said", "_assumed", "_shapes", "order_unknown", "_last_assumed"]
    assert not set(memos) & set(vars(run))
    first = run._static
    assert run._static is first
    assert vars(run)["_static"] is first
    assert run._last_assumed == [None]
    with pytest.raises(AttributeError):
        evaluator._Run._said  # noqa: B018
    memo = evaluator._Run.__dict__["_fixed"]
    stored_meanwhile: dict[Any, Any] = {"by": "another thread"}

    def racing() -> dict[Any, Any]:
        vars(run)["_fixed"] = stored_meanwhile
        return {}

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(memo, "_make", racing)
    try:
        assert run._fixed is stored_meanwhile
    finally:
        monkeypatch.undo()


def test_first_plain_calls_on_several_threads_agree(beijing: policyrules.Policy) -> None:
    """A service's first calls, on several threads at once on one new policy object
    (nothing kept yet), each give what a call on its own gives, and leave the kept
    values published: one index of no grants, the defaults' listing.  Firm f<n> claims
    190 万元 for P1 and (n % 3) × 10 万元 more for P2: both under 200 万元 a product and
    1000 万元 a firm, so each is paid in full."""
    # 第3条: 每家企业 P1 190 万元, P2 (n mod 3) × 10 万元, 均未超 200 万元 / 1000 万元上限, 全额.
    fresh = policyrules.api.Policy(beijing.checked, beijing.compiled, beijing.path)
    firms = [_firm("190万元", f"{(n % 3) * 10}万元") for n in range(24)]
    alone = [beijing.evaluate(f, explain=False) for f in firms]
    start = threading.Barrier(6)

    def call(n: int) -> policyrules.Result:
        if n < 6:
            start.wait()
        return fresh.evaluate(firms[n], explain=False)

    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(call, range(24)))
    assert together == alone
    assert [_reward(r)["f1/P2"] for r in together[:3]] == [0, 10 * WAN, 20 * WAN]
    kept = fresh._plain.no_grants(fresh._ledgers)
    assert kept is fresh._plain.no_grants(fresh._ledgers)
    assert not kept[0].grants
    assert together[0].assumptions in beijing.compiled.listed.values()
