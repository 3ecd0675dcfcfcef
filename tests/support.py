"""Helpers shared by the unit and property tests: the command-line runner, the check's
diagnostics of one text, and the heads of the test policies.

Import them by module name (``from support import run_cli``), as ``strategies``: ``tests/``
is on ``sys.path`` because it holds ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.errors import Diagnostic, RuleCheckError

__all__ = [
    "BEIJING",
    "LAUNCH_REWARD",
    "ROOT",
    "WAN",
    "diagnostics",
    "products_head",
    "run_cli",
    "typed_firm",
]

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""
BEIJING = ROOT / "policies" / "beijing_2025"
"""The Beijing 2025 policy's directory."""
LAUNCH_REWARD = "jjxf_2025_50/3/launch_reward"
"""京经信发〔2025〕50号 第3条: once per product, 200 万元 per product, 1000 万元 per firm-year."""
WAN = 1_000_000
"""Fen in 1 万元."""


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """``policyrules ARGV...``: the exit code, stdout and stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def diagnostics(text: str) -> list[Diagnostic]:
    """What ``check`` reports on ``text`` (read as ``t.rule``): none if it checks clean."""
    try:
        policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    except RuleCheckError as err:
        return list(err.diagnostics)
    return []


def products_head(*facts: str, firm_facts: Sequence[str] = ()) -> str:
    """The head of a test policy, up to its provisions: entity ``firm`` (``list firms``, facts
    ``firm_facts``), entity ``product`` (``list products of firm``, facts ``facts``, each as
    ``"NAME: TYPE"``), document ``d`` "测试" and its clause ``1`` "奖励"."""
    firm = "".join(f"  fact {f}\n" for f in firm_facts)
    product = "".join(f"  fact {f}\n" for f in facts)
    return (
        f"entity firm\n  list firms\n{firm}\n"
        f"entity product\n  list products of firm\n{product}\n"
        'document d "测试"\n\nclause 1 "奖励"\n  quote "q"\n'
    )


# One fact of each scalar type, named by the type: money_, rate_, rate300_ (up to 300%)...
_TYPED_FACTS = (
    "money_: money",
    "rate_: rate",
    "rate300_: rate up to 300%",
    "number_: number",
    "date_: date",
    "duration_: 工作日",
    "bool_: bool",
    "text_: text",
    "enum_: Authority",
)


def typed_firm(*more_facts: str) -> str:
    """A policy of one entity, ``firm`` "企业" (``list firms``), with a fact of each scalar
    type (``money_``, ``rate_``, ``rate300_``, ``number_``, ``date_``, ``duration_``,
    ``bool_``, ``text_``, ``enum_``) then ``more_facts`` (``"NAME: TYPE"``), each titled "x";
    and ``enum Authority { FDA, CE, PMDA }``."""
    facts = "".join(f'  fact {f} "x"\n' for f in (*_TYPED_FACTS, *more_facts))
    return f'entity firm "企业"\n  list firms\n{facts}enum Authority {{ FDA, CE, PMDA }}\n'
