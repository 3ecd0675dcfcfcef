"""A call with no earlier grant (the usual call: a service answering firm by firm) checks
the empty ledger against the caps once per parameters and assumptions, not on every call;
the checks of a ledger that holds grants, and the results, are as before.

Policy: 京经信发〔2025〕50号 第3条 (launch_reward): 单个产品不超过 200 万元, 单个企业年度奖励不超过
1000 万元 (firm-year cap).  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
import policyrules.api_ledger as api
from policyrules import Grant, LedgerError, Money

ROOT = Path(__file__).resolve().parents[2]
REWARD = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元


def _facts(decided: str) -> dict[str, Any]:
    product = {
        "id": "P1",
        "approved_on": "2026-03-01",
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": decided,
    }
    return {"firms": [{"id": "f1", "products": [product]}]}


def _amount(result: policyrules.Result) -> int:
    d = next(d for d in result.decisions if d.provision == REWARD)
    assert d.amount is not None
    return d.amount.fen


def test_the_empty_ledger_is_checked_once_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    calls = []
    real = api.check_caps

    def counted(*args: Any, **kwargs: Any) -> None:
        calls.append(args[1])
        real(*args, **kwargs)

    monkeypatch.setattr(api, "check_caps", counted)
    # 150 万元 decided, under the 200 万元 product cap and the 1000 万元 firm-year cap
    assert _amount(policy.evaluate(_facts("150万元"))) == 150 * WAN
    assert _amount(policy.evaluate(_facts("150万元"))) == 150 * WAN
    assert len(calls) == 1
    # another reading of the firm-year (an assumption): checked again, once
    other = {"annual_cap_year": "decision"}
    for _ in range(2):
        policy.evaluate(_facts("150万元"), assumptions=other)
    assert len(calls) == 2


def test_a_ledger_with_grants_is_still_checked_after_an_empty_one() -> None:
    """Six earlier grants of 200 万元 to f1 in 2026 (1200 万元) overspend its 1000 万元
    firm-year cap: refused (E329) after empty-ledger calls as on a fresh policy."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    policy.evaluate(_facts("150万元"))
    over = [
        Grant(REWARD, (("firm", "f1"), ("product", f"E{i}")), Money.of(200, "万元"), 2026)
        for i in range(1, 7)
    ]
    with pytest.raises(LedgerError) as info:
        policy.evaluate(_facts("150万元"), ledger=over)
    assert info.value.code == "E329"
    # and an empty ledger again after it: 150 万元, as before
    assert _amount(policy.evaluate(_facts("150万元"), ledger=[])) == 150 * WAN


def test_with_earlier_grants_the_cap_counts_them() -> None:
    """After an empty-ledger call, 900 万元 granted to f1 in 2026 leaves 100 万元 of the
    1000 万元 firm-year cap: 150 万元 decided is cut to 100 万元 (1000 − 900)."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    policy.evaluate(_facts("150万元"))
    earlier = [
        Grant(REWARD, (("firm", "f1"), ("product", f"E{i}")), Money.of(180, "万元"), 2026)
        for i in range(1, 6)
    ]  # 5 × 180 万元 = 900 万元
    assert _amount(policy.evaluate(_facts("150万元"), ledger=earlier)) == 100 * WAN
