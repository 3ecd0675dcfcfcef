"""A policy with an open rate (一定支持) and its registry, for the batch summary's totals and
``diff --set-before``: clause 1 supports a product sold with ``support_rate`` of its
registration cost, 单个产品不超过 100 万元; clause 2 rewards it 50 万元.  The registry's
firm F1: P1 cost 120 万 sold, P2 cost 40 万 sold, P3 cost 80 万 ``sold`` missing, P4 not
sold."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REWARD", "RULES", "SUPPORT", "write_registry", "write_rules"]

RULES = """entity firm "企业"
  list firms
entity product "产品"
  list products of firm
  fact cost: money "注册成本"
  fact sold: bool "已实现销售"

document d "测试"
  number "测试〔2026〕1号"

clause 1 "成本支持"
  quote "对实现销售的产品，对其注册成本给予一定支持，单个产品不超过 100 万元。"
  parameter support_rate: rate "“一定支持”：比例未定"

  award support "注册成本支持"
    for each product
    eligible when sold
    amount support_rate of cost
    cap 100 万元 per product

clause 2 "销售奖励"
  quote "对实现销售的产品，每个奖励 50 万元。"

  award reward "销售奖励"
    for each product
    eligible when sold
    amount 50 万元
"""

SUPPORT, REWARD = "d/1/support", "d/2/reward"


def write_rules(folder: Path) -> Path:
    folder.mkdir()
    (folder / "t.rule").write_text(RULES, "utf-8")
    return folder


def write_registry(folder: Path) -> Path:
    folder.mkdir()
    (folder / "firms.csv").write_text("id\nF1\n", "utf-8")
    (folder / "products.csv").write_text(
        "id,firm_id,cost,sold\nP1,F1,120万元,true\nP2,F1,40万元,true\nP3,F1,80万元,\n"
        "P4,F1,10万元,false\n",
        "utf-8",
    )
    return folder
