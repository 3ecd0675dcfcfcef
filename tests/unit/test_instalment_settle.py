"""Why an instalment differs from its share, said as it is (hCI's trial).

By year k the first k shares of the entitlement computed now are due, no more and no less
(docs/patterns/years.md).  Policy: THREE_YEARS of test_batch_instalments, 30% of the
investment, 40% / 30% / 30% from approved_on.  Investment 1,000 万元: entitlement 300 万元,
shares 120 / 90 / 90 万元.  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

from tests.strategies import compile_text
from tests.unit.test_batch_instalments import THREE_YEARS

from policyrules import Money

WAN = 1_000_000
POLICY = compile_text(THREE_YEARS)
FIRM = {"id": "A", "approved_on": "2025-03-01", "investment": "1000万元"}


def _run(paid_2025: str) -> tuple[Any, str, str]:
    ledger = [{"provision": "t/1/s", "firm": "A", "amount": paid_2025, "year": 2025}]
    result = POLICY.evaluate({"firms": [FIRM]}, ledger=ledger, as_of="2026-06-30")
    (d,) = result.decisions
    return d, result.explain(lang="zh"), result.explain(lang="en")


def test_a_year_paid_short_is_settled_and_said_so() -> None:
    """2025 paid 100 万元 of its 120: by 2026 210 are due, so 2026 pays 210 − 100 = 110 万元,
    its share 90 raised.  The entitlement did not change: the old text said 应得总额调增 /
    "the entitlement rose since"."""
    d, zh, en = _run("100万元")
    assert (d.schedule[1].amount, d.schedule[1].before) == (Money(110 * WAN), Money(90 * WAN))
    assert "以前各期拨付少于按现应得总额计算的份额，本期补足，由本期份额 90 万元 增至此数" in zh
    assert "应得总额调增" not in zh
    assert "the earlier years were paid less than their shares" in en
    assert "the entitlement rose" not in en


def test_a_year_paid_ahead_is_taken_off_and_said_so() -> None:
    """2025 paid 150 万元 of its 120: by 2026 210 are due, so 2026 pays 210 − 150 = 60 万元,
    its share 90 lowered (the old code paid 90: 240 by 2026, 30 万元 of 2027's share early);
    2027 its 90 万元, future.  Total 150 + 60 + 90 = 300 万元."""
    d, zh, en = _run("150万元")
    assert [(p.year, p.status, p.amount) for p in d.schedule] == [
        (2025, "paid", Money(150 * WAN)),
        (2026, "due", Money(60 * WAN)),
        (2027, "future", Money(90 * WAN)),
    ]
    assert d.amount == Money(300 * WAN)
    assert (
        "以前各期拨付多于按现应得总额计算的份额，本期扣除多拨部分，由本期份额 90 万元 减至此数"
        in zh
    )
    assert "lowered from its share 90 万元: the earlier years were paid more" in en
