"""Faults a native reader found in the Chinese texts of decisions: each test reads a line
as a firm's staff member would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.strategies import compile_text

import policyrules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / name).read_text("utf-8"))
    return data


def _block(text: str, head: str) -> str:
    """The block of the whole text that starts with ``head``."""
    (block,) = [b for b in text.split("\n\n") if b.startswith(head)]
    return block


def _refused(text: str, start: str) -> list[str]:
    """The lines of the 不符合条件 part that start (after their indent) with ``start``."""
    part = text.split("不符合条件：\n", 1)[1].split("\n\n", 1)[0]
    return [line for line in part.splitlines() if line.startswith(f"  {start}")]


# ---- 2. a fact stated none said plainly -----------------------------------------------------


def test_a_fact_stated_none_is_said_as_its_title_note(beijing: policyrules.Policy) -> None:
    """A smart factory stated to hold no title (factory_title: none) is refused 第12条;
    its value is the note of its title (none：未获评任何智能工厂称号), not 无（已声明不存在）.
    A product approved by no foreign authority (none：未在境外获批上市) likewise for 第13条."""
    facts = _example("firm-c.yaml")
    firm = facts["firms"][0]
    firm["projects"] = [p for p in firm["projects"] if p["id"] == "F1"]
    firm["projects"][0]["factory_title"] = "none"
    firm["products"][0]["overseas_authority"] = "none"
    facts["firms"][0] = firm
    text = beijing.evaluate(facts).explain()
    (f1,) = _refused(text, "京经信发〔2025〕50号 第12条")
    assert f1.endswith("（智能工厂获评的称号（第12条）：未获评任何智能工厂称号）")
    (c1,) = [x for x in _refused(text, "京经信发〔2025〕50号 第13条") if "/C1：" in x]
    assert "（批准其境外上市的机构：未在境外获批上市；" in c1
    assert "已声明不存在" not in text


def test_a_fact_stated_none_without_a_note_is_wu() -> None:
    """A title with no note on none: the value is 无, nothing made up."""
    policy = compile_text(
        """entity firm "企业"
  list firms
  fact honoured_on: date or none "获评日期"
document d "测试"
clause 1 "t"
  quote "q"
  entitlement e "测试待遇"
    for each firm
    eligible when honoured_on is not none
    consequence "c"
"""
    )
    text = policy.evaluate({"firms": [{"id": "f", "honoured_on": "none"}]}).explain()
    assert "（获评日期：无）" in text
    assert "已声明不存在）" not in text
