"""The reasons an award is refused that are no failed condition, said in the Chinese letter:
given once already, ranked outside a quota, a tier no higher than one paid before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from tests.strategies import compile_text

import policyrules

ROOT = Path(__file__).resolve().parents[2]

HEAD = """entity firm "企业"
  list firms
  fact revenue: money
  fact rank: count
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差，除非另有规定"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"
clause 1 "t"
  quote "q"
  award a "测试奖励"
    for each firm
"""


def _refusal(result: policyrules.Result) -> str:
    """The letter's one line on the refused decision of firm f."""
    block = result.explain().split("不符合条件：\n", 1)[1].split("\n\n", 1)[0]
    (line,) = [x for x in block.splitlines() if " —— f：" in x]
    return line.split(" —— f：", 1)[1]


def test_once_per_product_in_words() -> None:
    """firm-a's A1 given its launch reward before (once per product, 第3条): refused, and
    the letter says so by the product's title, not ``once per product (一次性)``."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    facts: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "firm-a.yaml").read_text("utf-8"))
    facts["ledger"].append(
        {
            "provision": "jjxf_2025_50/3/launch_reward",
            "firm": "firm-a",
            "product": "A1",
            "amount": "200万元",
            "year": 2026,
        }
    )
    result = policy.evaluate(facts)
    (a1,) = [
        d
        for d in result.decisions
        if d.provision == "jjxf_2025_50/3/launch_reward" and d.subject == "firm-a/A1"
    ]
    assert a1.status == "not_eligible"
    # what the ledger granted A1 is said (hBP: a client retrying a lost answer learnt no
    # amount): 200 万元, the ledger's one grant of it
    assert a1.reasons == (
        "once per product (一次性): product A1 was already granted 200 万元 under "
        "jjxf_2025_50/3/launch_reward",
    )
    line = next(x for x in result.explain().splitlines() if "第3条" in x and "firm-a/A1：" in x)
    assert line.endswith(
        "firm-a/A1：医疗器械产品 A1 已获得过本项支持（此前已获 200 万元），每个医疗器械产品只给一次"
    )
    # said from the evaluator's record (no decision made first), the same
    texts = policy.evaluate(facts).decision_texts()
    assert any("A1 was already granted 200 万元 under" in x for x in texts)


def test_a_rank_outside_the_quota_in_words() -> None:
    """quota 3: f ranked 4th is refused; the letter names the quota and the rank."""
    policy = compile_text(HEAD + "    amount 1 元\n    quota 3 ranked by rank\n")
    result = policy.evaluate({"firms": [{"id": "f", "rank": 4}, {"id": "g", "rank": 1}]})
    assert _refusal(result) == "择优支持不超过 3 个，排名第 4 位，未进入前 3 名"


def test_a_rank_pushed_out_by_better_ones_in_words() -> None:
    """f ranked 3rd but g, h and i (ranks 1, 2, 2) fill the quota of 3 before it."""
    policy = compile_text(HEAD + "    amount 1 元\n    quota 3 ranked by rank\n")
    firms = [
        {"id": "f", "rank": 3},
        *({"id": i, "rank": r} for i, r in zip("ghi", (1, 2, 2), strict=True)),
    ]
    result = policy.evaluate({"firms": firms})
    assert _refusal(result) == "择优支持不超过 3 个，排名第 3 位，未进入前 3 名，另有 3 个排名在前"


def test_a_tier_already_paid_under_highest_only_in_words() -> None:
    """Revenue 6 亿元 reaches the 5 亿元 tier, which the ledger paid f before."""
    lines = "    eligible when revenue reaches scale\n    amount scale[revenue]\n"
    policy = compile_text(HEAD + lines + "    tiers by reading\n")
    grant = {"provision": "d/1/a", "firm": "f", "amount": "200万元", "year": 2025}
    result = policy.evaluate(
        {
            "firms": [{"id": "f", "revenue": "6亿元"}],
            "ledger": [{**grant, "tier": "5 亿元"}],
            "assumptions": {"reading": "highest_only"},
        }
    )
    assert _refusal(result) == "只给最高档：f 已获“5 亿元”档，本次“5 亿元”档并不更高"
