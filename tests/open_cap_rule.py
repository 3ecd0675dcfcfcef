"""The rule shared by tests/unit/test_instalments_open_cap.py and
tests/unit/test_exclusive_unknown_kind.py: a project award of 10% × cost paid over two years
(50%, 50%), capped by ``project_cap``, a parameter left unset by the text (待实施细则确定);
and a loader of such a rule from a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules

__all__ = ["P1", "load_rule", "open_cap_rule"]

P1 = {"id": "P1", "cost": "1000 万元", "approved_on": "2024-03-01"}
"""The one project: 1000 万元 of cost, approved 2024-03-01."""


def open_cap_rule(*, facts: str = "", group: str = "", awards: str = "") -> str:
    """The rule: entity ``project`` (``cost``, ``approved_on``, then ``facts``), clause 1 with
    ``project_cap`` (then ``group``), award ``a`` (then ``awards``)."""
    return f"""\
entity project "项目"
  list projects
  fact cost: money
  fact approved_on: date
{facts}
document d "测试"
  issued 2024-01-01
  valid from 2024-01-01

clause 1 "一"
  quote "q"
  parameter project_cap: money "单个项目上限，待实施细则确定"
{group}
  award a "甲（分两年拨付）"
    for each project
    eligible when approved_on in force
    amount 10% × cost
    cap project_cap per project
    paid over 2 years from approved_on: 50%, 50% remainder last
{awards}"""


def load_rule(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> policyrules.Policy:
    """The policy of the one file ``text``, loaded from a new directory ``name``."""
    folder: Path = tmp_path_factory.mktemp(name)
    (folder / "t.rule").write_text(text, encoding="utf-8")
    return policyrules.load(folder)
