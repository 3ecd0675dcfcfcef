"""The fast path and the result made on demand (backends/python: codegen, fastpath, rows).

Device measure 3 (京经信发〔2025〕50号 第3条): 200 万元 per product, 1000 万元 per firm and
year, claims served by approval day.  With every fact given, each claim is decided by the
generated code on integer fen, never the general way; the decisions are made only when
``Result.decisions`` is first read, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Money
from policyrules.api import Policy
from policyrules.backends.python import evaluate as evaluate_module
from policyrules.result import Result

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _facts() -> dict[str, Any]:
    # Six products of one firm approved in March 2026, each decided 250 万元.
    products = [
        {
            "id": f"P{n}",
            "approved_on": f"2026-03-{n:02d}",
            "launch_routes": ["national_priority_review"],
            "other_national_project": False,
            "launch_reward_decided": "250 万元",
        }
        for n in range(1, 7)
    ]
    return {"firms": [{"id": "f1", "products": products}]}


def test_every_claim_decided_by_the_generated_code(
    shipped: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = evaluate_module._Run.decide

    def decide(self: Any, cp: Any, *args: Any, **kwargs: Any) -> Any:
        assert cp.info.id != LAUNCH, "a measure 3 claim went the general way"
        return real(self, cp, *args, **kwargs)

    monkeypatch.setattr(evaluate_module._Run, "decide", decide)
    for explain in (False, True):
        result = shipped.evaluate(_facts(), explain=explain)
        launch = [d for d in result.decisions if d.provision == LAUNCH]
        # Each asks 250 万元, cut to 200 万元 by the product cap; the firm-year cap of
        # 1000 万元 pays P1..P5 200 万元 each (5 × 200 = 1000) and leaves P6 0.00 元.
        assert [d.amount for d in launch] == [Money(200 * WAN)] * 5 + [Money(0)]
        assert [d.amount_kind for d in launch] == ["exact"] * 6
        product_cap, year_cap = launch[5].caps
        assert product_cap.binding  # 250 万元 to 200 万元
        assert product_cap.cut == Money(50 * WAN)
        assert year_cap.binding  # 200 万元 to 0: 1000 万元 used by five earlier claims
        assert year_cap.cut == Money(200 * WAN)
        assert year_cap.earlier.total == Money(1000 * WAN)
        assert len(year_cap.earlier) == 5
        # 0.00 元 is no payment: five grants.
        assert [g.amount for g in result.grants] == [Money(200 * WAN)] * 5
        assert (len(launch[0].trace) > 0) == explain


def test_decisions_are_made_once_on_first_access() -> None:
    calls: list[str] = []

    def decisions() -> tuple[Any, ...]:
        calls.append("decisions")
        return ()

    def grants() -> tuple[Any, ...]:
        calls.append("grants")
        return ()

    deferred = Result.deferred(decisions, grants, (("a", "1"),))
    assert calls == []
    assert deferred.grants == ()
    assert calls == ["grants"]  # the grants apart: no decision made for them
    assert deferred.decisions == ()
    assert deferred.grants == ()
    assert deferred.decisions == ()
    assert calls == ["grants", "decisions"]
    assert deferred == Result((), (), (("a", "1"),))
    assert hash(deferred) == hash(Result((), (), (("a", "1"),)))
    with pytest.raises(AttributeError):
        deferred.assumptions = ()  # type: ignore[misc]
