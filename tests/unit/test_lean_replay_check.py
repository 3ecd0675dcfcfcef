"""The replay of a lean award's claims (``LeanAward.replay``) checks that the fused
function paid what the lean one recorded: the same subjects, in the same order, the same
fen in the same years; a record that differs in any of them is refused, not made into
decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Policy
from policyrules.backends.python.lean import LeanAward

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
WAN = 10_000 * 100  # 1 万元 in fen
LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def _lean(policy: Policy) -> LeanAward:
    """The lean award of device measure 3 for one firm of three products asking 150 万元
    each (under the product's 200 万元 and the firm's 1000 万元 a year: each paid in full)."""
    products = [
        {
            "id": f"P{n}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "other_national_project": False,
            "launch_reward_decided": "150 万元",
        }
        for n in (1, 2, 3)
    ]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]}, explain=False)
    make: Any = result._make  # the decisions not made yet: the rows, the lean award's among them
    cells = dict(zip(make.__code__.co_freevars, make.__closure__, strict=True))
    rows = cells["decisions"].cell_contents
    (lean,) = [d for d in rows if isinstance(d, LeanAward) and d._pid == LAUNCH]
    return lean


def test_the_record_agreeing_is_replayed(shipped: Policy) -> None:
    lean = _lean(shipped)
    assert [(i.id, fen, year) for i, fen, year in lean.paid] == [
        ("P1", 150 * WAN, 2026),
        ("P2", 150 * WAN, 2026),
        ("P3", 150 * WAN, 2026),
    ]
    rows, grants = lean.replay()
    assert [g[1][-1] for g in grants] == [("product", f"P{n}") for n in (1, 2, 3)]
    assert len(rows) == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda paid: [(paid[0][0], paid[0][1] + 1, paid[0][2]), *paid[1:]],  # a fen more
        lambda paid: [(paid[0][0], paid[0][1], 2027), *paid[1:]],  # another year
        lambda paid: [paid[1], paid[0], paid[2]],  # two subjects swapped (same fen, year)
        lambda paid: paid[:2],  # one grant fewer
    ],
)
def test_a_record_that_differs_is_refused(shipped: Policy, change: Any) -> None:
    lean = _lean(shipped)
    lean.paid = change(lean.paid)
    with pytest.raises(AssertionError, match="paid otherwise"):
        lean.replay()
