"""``diff --set-before NAME=V``: the baseline a rate is changed from (30 % → 50 %), over a
registry and for a facts file.

Worked by hand from ``tests.support_rates.RULES`` (clause 1: 一定支持 of the
registration cost, 单个产品不超过 100 万元; clause 2: 50 万元 per product sold), its
registry F1 (P1 cost 120 万 sold, P2 cost 40 万 sold, P3 ``sold`` missing, P4 not sold):

* support_rate = 30 %: P1 30 % × 120 万 = 36 万, P2 30 % × 40 万 = 12 万: exact
  36 + 12 + 50 + 50 = 148 万.
* support_rate = 50 %: P1 60 万, P2 20 万: exact 60 + 20 + 100 = 180 万.  30 % → 50 %:
  +32 万, clause 1 alone changes (2 of its 4 decisions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import WAN, run_cli
from tests.support_rates import SUPPORT, write_registry, write_rules

import policyrules
from policyrules.diff import what_if
from policyrules.diff_batch import what_if_batch
from policyrules.runtime.money import Money


def _wan(n: int) -> Money:
    return Money(n * WAN)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "reg")


def test_diff_from_one_rate_to_another_over_a_registry(rules: Path, registry: Path) -> None:
    policy = policyrules.load(rules)
    result = what_if_batch(
        policy,
        registry,
        before_parameters={"support_rate": "30%"},
        parameters={"support_rate": "50%"},
    )
    (row,) = result.provisions
    assert (row.provision, row.changed, row.decisions) == (SUPPORT, 2, 4)
    # exact 36 + 12 + 100 = 148 万 → 60 + 20 + 100 = 180 万
    assert (result.total.before.exact, result.total.after.exact) == (_wan(148), _wan(180))
    assert (result.total.before.upper, result.total.after.upper) == (_wan(148), _wan(180))


def test_diff_from_one_rate_to_another_for_a_facts_file(rules: Path) -> None:
    policy = policyrules.load(rules)
    facts = {"firms": [{"id": "F1", "products": [{"id": "P1", "cost": "120万元", "sold": True}]}]}
    result = what_if(
        policy, facts, before_parameters={"support_rate": "30%"}, parameters={"support_rate": "50%"}
    )
    (change,) = result.changes
    # 30 % × 120 万 = 36 万 → 50 % × 120 万 = 60 万; with the 50 万 reward: 86 万 → 110 万
    assert (change.before.amount, change.after.amount) == (_wan(36), _wan(60))
    assert (result.before.exact, result.after.exact) == (_wan(86), _wan(110))


def test_diff_set_before_on_the_command_line(
    capsys: pytest.CaptureFixture[str], rules: Path, registry: Path
) -> None:
    args = ("diff", rules, registry, "--set-before", "support_rate=30%")
    code, text, _ = run_cli(capsys, *args, "--set", "support_rate=50%", "--lang", "en")
    assert code == 0
    assert "exact amounts: 148 万元 → 180 万元 (+32 万元)" in text.splitlines()
    # a baseline alone changes nothing: refused as before
    code, _, err = run_cli(capsys, *args)
    assert (code, "error[E730]" in err) == (2, True)
