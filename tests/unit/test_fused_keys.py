"""A fused function's claims' assumptions as bit masks (backends/python/fused_keys.py).

Device measure 3 (京经信发〔2025〕50号 第3条): a claim reads three assumptions, whichever its
facts: device_events_from (本政策自发布之日起实施, the conditions' "in force"), cap_share_order
(its `order by`) and annual_cap_year (the year its firm's 1000 万元 is counted in).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

import policyrules
from policyrules.api import Policy
from policyrules.backends.python.fused_keys import Masks

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"
READ = frozenset({"device_events_from", "cap_share_order", "annual_cap_year"})


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


def test_masks_give_bits_in_order_and_one_set_a_mask() -> None:
    masks = Masks()
    assert [masks.bit(n) for n in ("a", "b", "a", "c")] == [1, 2, 1, 4]
    assert masks.of(["c", "a"]) == 5  # 4 | 1
    assert masks.of(["d"]) == 8  # a name met first here gets the next bit
    assert masks[5] == frozenset({"a", "c"})
    assert masks[5] is masks[5]  # made once
    assert masks[0] == frozenset()


def test_masks_give_each_name_one_bit_across_threads() -> None:
    masks = Masks()
    names = [f"n{k}" for k in range(200)]
    threads = [threading.Thread(target=lambda: [masks.bit(n) for n in names]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(masks.bits.values()) == [1 << k for k in range(200)]


def _rows(shipped: Policy, facts: dict[str, Any]) -> tuple[list[Any], Any]:
    """The rows and keys the launch award's fused function returns for ``facts``."""
    fn = shipped.compiled.fused[LAUNCH]
    got: list[Any] = []

    def kept(*args: Any) -> Any:
        out = fn(*args)
        got.append(out)
        return out

    fused = {**shipped.compiled.fused, LAUNCH: kept}
    policy = attrs.evolve(shipped, compiled=attrs.evolve(shipped.compiled, fused=fused))
    policy.evaluate(facts).decision_texts()
    (rows, keys), *_ = got
    return rows, keys


def _product(n: int, day: str, routed: bool = True) -> dict[str, Any]:
    return {
        "id": f"P{n}",
        "approved_on": day,
        "launch_routes": ["national_priority_review"] if routed else [],
        "other_national_project": False,
        "launch_reward_decided": "100 万元",
    }


def test_claims_read_alike_share_one_frozen_set(shipped: Policy) -> None:
    # P1, P2 paid; P3 refused (no route, no other project): refused by its first
    # condition, it lists neither the in-force start its second reads (that did not
    # decide) nor its cap's year (not read); its key read the share order.
    products = [
        _product(1, "2026-03-02"),
        _product(2, "2026-03-03"),
        _product(3, "2026-03-04", False),
    ]
    rows, keys = _rows(shipped, {"firms": [{"id": "f1", "products": products}]})
    paid = [r for r in rows if r[3] == "eligible"]
    refused = [r for r in rows if r[3] == "not_eligible"]
    assert (len(paid), len(refused)) == (2, 1)
    assert paid[0][-1] == READ
    assert type(paid[0][-1]) is frozenset
    assert paid[0][-1] is paid[1][-1]  # one set for both (a new set a claim before)
    assert refused[0][-1] == READ - {"annual_cap_year", "device_events_from"}
    # The flat keys hold what each claim's key read: its `order by`'s assumption.
    flat = keys.keys()  # (ServedKeys.keys: the flat keys in serving order)
    assert [k[-2] for k in flat] == [frozenset({"cap_share_order"})] * 3


def test_a_claim_keyed_the_general_way_keeps_its_assumptions(shipped: Policy) -> None:
    # P2 has no approval day: its `order by` key is not known, so the general way keys it
    # (the share order read there) and the fused code serves it: no approval day, not in
    # force, refused.
    products = [_product(1, "2026-03-02"), _product(2, "2026-03-03")]
    del products[1]["approved_on"]
    rows, _ = _rows(shipped, {"firms": [{"id": "f1", "products": products}]})
    said = {r[1].id: r for r in rows if isinstance(r, tuple)}
    assert said["P1"][-1] == READ
    general = policyrules.load(SHIPPED)
    decisions = {
        d.subject: d
        for d in general.evaluate({"firms": [{"id": "f1", "products": products}]}).decisions
        if d.provision == LAUNCH
    }
    for ident, row in said.items():
        assert set(row[-1]) == {name for name, _ in decisions[f"f1/{ident}"].assumptions}


def test_one_firms_paths_share_its_pair(shipped: Policy) -> None:
    # f1's two products and f2's one: the firm's ("firm", id) made once for f1's run.
    firms = [
        {"id": "f1", "products": [_product(1, "2026-03-02"), _product(2, "2026-03-03")]},
        {"id": "f2", "products": [_product(1, "2026-03-04")]},
    ]
    rows, _ = _rows(shipped, {"firms": firms})
    paths = {f"{r[2][0][1]}/{r[2][1][1]}": r[2] for r in rows}
    assert paths["f1/P1"] == (("firm", "f1"), ("product", "P1"))
    assert paths["f1/P1"][0] is paths["f1/P2"][0]
    assert paths["f2/P1"][0] == ("firm", "f2")
