"""W269: an award whose quote says 一次性 and no ``once per`` says so.

A new user deleted ``once per drug`` from 示区科发〔2026〕3号 第一条 (「对新获得药品注册证书的1类
创新药，给予一次性奖励500万元」): ``check --strict`` passed, and a drug paid 500 万元 once was
paid again at the next run against the ledger, as nothing remembered the grant.
"""

from __future__ import annotations

from pathlib import Path

import policyrules
from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main

POLICIES = Path(__file__).resolve().parents[2] / "policies"
ONCE = "    once per drug\n"
NO_ONCE = variant(ONCE, "")


def test_the_deleted_once_line_is_w269_at_the_award(tmp_path: Path) -> None:
    """The break warns at the award's name, and ``check --strict`` fails on it; the policy
    as written is clean."""
    assert warnings(BIOMED, "W269") == []
    [w] = warnings(NO_ONCE, "W269")
    assert w.message.startswith("award class1_reward: its quote says “一次性” (paid once)")
    assert w.span is not None
    assert w.span.clause_path == ("示区科发〔2026〕3号", "一")
    assert BIOMED.splitlines()[w.span.line - 1].strip().startswith("award class1_reward")
    assert w.hint is not None
    assert "`once per ENTITY`" in w.hint
    (tmp_path / "t.rule").write_text(NO_ONCE, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_a_note_quoting_the_word_silences_it() -> None:
    """An author who reads 一次性 as a sum paid at once says so in a note."""
    noted = variant(ONCE, '    note "“一次性”：一次拨付，企业每年可再获得"\n')
    assert warnings(noted, "W269") == []
    other = variant(ONCE, '    note "按药品计"\n')
    assert len(warnings(other, "W269")) == 1  # a note without the word is no reading of it


def test_the_awards_own_quote_is_read_before_its_clauses() -> None:
    """An award with its own quote, without 一次性, is not warned though its clause's quote
    says 一次性 of another award (京经信发〔2025〕50号 第9条: venture_service quotes 「对服务成效
    突出的给予资金支持」, national_cluster 「给予一次性…奖励」 with `once per sme_cluster`)."""
    own = variant(ONCE, '    quote "单个企业年度奖励不超过1000万元。"\n')
    assert warnings(own, "W269") == []


def test_the_shipped_policies_are_clean() -> None:
    for name in ("beijing_2025", "patterns"):
        policy = policyrules.load(POLICIES / name)
        assert [d for d in policy.checked.warnings if d.code == "W269"] == []
