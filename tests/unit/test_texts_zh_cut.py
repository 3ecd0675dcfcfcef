"""hCB: a paid claim cut by a cap after earlier claims on it (the firm-year cap of
京经信发〔2025〕50号 第3条, the one-by-one benchmark's policy) is said whole by the function
:mod:`policyrules.backends.python.texts_zh_gen` writes, its cap's line saying the earlier
claims and then the cut, without the general way's bits (``texts_zh._cap_bits``); the text
is the decision's, character for character."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRM_CAP = "单个企业每个年度（按境内获批上市（注册）日期所在年度计）不超过 1000 万元"


def test_cut_after_earlier_claims_said_by_the_generated_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seven products of one firm approved 2026-03-02, 180 万元 decided each (under the
    200 万元 product cap): the firm-year cap of 1000 万元 holds P0 … P4, 5 × 180 万 = 900 万;
    P5 asks 180 万 and is cut to the 1000 万 − 900 万 = 100 万 left (180 万 − 100 万 = 80 万
    cut), after 5 earlier claims; P6 is left 0.00 元 (spent)."""
    import policyrules
    from policyrules.backends.python import texts_zh
    from policyrules.explain_zh import explain_text_zh

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from one_by_one_data import measure3_only
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    bits: list[Any] = []
    general = texts_zh._cap_bits

    def counted(out: list[str], *args: Any) -> None:
        bits.append(args)
        general(out, *args)

    monkeypatch.setattr(texts_zh, "_cap_bits", counted)
    product = {
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "other_national_project": False,
        "launch_reward_decided": "180万元",
    }
    products = [{"id": f"P{i}", **product} for i in range(7)]
    policy = policyrules.load(measure3_only(ROOT / "policies" / "beijing_2025", str(tmp_path)))
    read = policy.read_facts({"firms": [{"id": "big", "products": products}]})
    fast = policy.evaluate(read).explain()
    assert bits == []  # every cap's bits said by the generated function
    assert fast == explain_text_zh(policy.evaluate(read), policy.words)
    (p5,) = [b for b in fast.split("\n\n") if "对象：big/P5\n" in b]
    line = next(x for x in p5.split("\n") if FIRM_CAP in x)
    assert line.endswith(
        "：本次结果中在先的申请：共 5 笔，合计 900 万元；最近 3 笔："
        "big/P2 180 万元、big/P3 180 万元、big/P4 180 万元"
        "；此上限起作用：180 万元 核减 80 万元，为 100 万元"
    )
