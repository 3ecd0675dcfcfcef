"""An exclusive group (就高不重复) that cannot decide yet says which side is settled.

hCD's trial: firm T1's 小巨人 reward was unknown (its revenue not given) and its 研发投入补助
exact, 100 万元; the reward's line read 「…研发投入补助尚未确定（100 万元（确定金额））」, "not
yet settled" beside "exact", in nested brackets.  The line now names the side that is settled
and the side that is not, in Chinese and in English, the batch (SQL) as one by one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import policyrules
from policyrules.cli import main
from policyrules.explain_exclusive import exclusion_zh
from policyrules.words import Words

RULES = """entity firm "企业"
  list firms
  fact ok: bool
  fact cost: money
  fact other_ok: bool
  fact other_cost: money

document d "测试"
  number "测〔2024〕1号"
  issued 2024-01-01
  valid from 2024-01-01

clause 1 "一"
  quote "按成本的 10%、20% 给予支持，单个企业不超过 100 万元；同一企业不重复支持，就高。"
  exclusive x, y among firm keep highest

  award x "甲"
    for each firm
    eligible when ok
    amount 10% × cost
    cap 100 万元 per firm

  award y "乙"
    for each firm
    eligible when other_ok
    amount 20% × other_cost
    cap 100 万元 per firm
"""

# id, ok, cost, other_ok, other_cost (None: not given)
FIRMS: list[tuple[str, bool | None, str | None, bool | None, str | None]] = [
    # 甲 10% × 500 万元 = 50 万元, exact; 乙 not known eligible (other_ok not given)
    ("F1", True, "500万元", None, "1000万元"),
    # 甲 exact 50 万元; 乙 eligible, its amount at most its cap, 100 万元 (other_cost not given)
    ("F2", True, "500万元", True, None),
    # neither known eligible
    ("F3", None, "500万元", None, "1000万元"),
]
HEAD = "不重复支持（按照就高原则）："
X, Y = "d/1/x", "d/1/y"
NAME_X, NAME_Y = "测〔2024〕1号 第1条“甲”", "测〔2024〕1号 第1条“乙”"
# (provision, firm) -> (status, the Chinese line, the English line's end)
WANT = {
    # the trial's case: the other exact, this one not decided
    (Y, "F1"): (
        "unknown",
        f"{NAME_X}为 50 万元（确定金额），本项尚未确定："
        "本项金额高于该项时按本项支持，否则按该项支持",
        "d/1/x pays exact 500,000.00 元; this claim is not decided yet: the higher is paid",
    ),
    (X, "F1"): (
        "eligible",
        f"{NAME_Y}尚未确定（金额待定），可能按该项支持，本项金额只是上限",
        "d/1/y may still win (not decided): this amount is at most",
    ),
    # both eligible, 乙 at most 100 万元 over 甲's exact 50 万元: which is paid is open
    (Y, "F2"): (
        "eligible",
        f"{NAME_X}为 50 万元（确定金额），同组尚不能确定由哪一申请获得支持，本项金额只是上限",
        "d/1/x pays exact 500,000.00 元; which claim is paid is not decided yet: "
        "this amount is at most",
    ),
    (X, "F2"): (
        "eligible",
        f"{NAME_Y}尚未确定（最高 100 万元），可能按该项支持，本项金额只是上限",
        "d/1/y may still win (up_to 1,000,000.00 元): this amount is at most",
    ),
    (X, "F3"): (
        "unknown",
        f"本项与{NAME_Y}均尚未确定（该项金额待定），可能按该项支持",
        "neither this claim nor d/1/y is decided yet",
    ),
    (Y, "F3"): (
        "unknown",
        f"本项与{NAME_X}均尚未确定（该项金额待定），可能按该项支持",
        "neither this claim nor d/1/x is decided yet",
    ),
}


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    folder = tmp_path_factory.mktemp("rules")
    (folder / "t.rule").write_text(RULES, encoding="utf-8")
    return policyrules.load(folder)


def _facts() -> dict[str, Any]:
    keys = ("id", "ok", "cost", "other_ok", "other_cost")
    firms = [{k: v for k, v in zip(keys, row, strict=True) if v is not None} for row in FIRMS]
    return {"as_of": "2024-12-31", "firms": firms}


def test_one_by_one_says_which_side_is_settled(policy: policyrules.Policy) -> None:
    result = policy.evaluate(_facts(), explain=True)
    words = Words.of(policy.checked)
    got = {
        (d.provision, d.subject): (
            d.status,
            exclusion_zh(words, d),
            d.exclusivity.describe(d.status == "unknown") if d.exclusivity else None,
        )
        for d in result.decisions
    }
    rule = "exclusive (keep highest, clause d/1): "
    assert got == {k: (s, HEAD + zh, rule + en) for k, (s, zh, en) in WANT.items()}
    # the texts as printed
    zh_text = result.explain(lang="zh")
    assert "尚未确定（50 万元（确定金额））" not in zh_text
    assert f"{HEAD}{WANT[(Y, 'F1')][1]}" in zh_text
    assert WANT[(Y, "F1")][2] in result.explain(lang="en")


def _sql(v: object) -> str:
    if v is None:
        return "NULL"
    return str(v).upper() if isinstance(v, bool) else f"'{v}'"


def test_the_batch_says_the_same(tmp_path: Path) -> None:
    """The batch's decision lists the group's line last in ``binding_caps``, filled in SQL
    from the other claim's amount and kind and this claim's certainty."""
    folder, reg, out = tmp_path / "rules", tmp_path / "reg", tmp_path / "out"
    folder.mkdir()
    reg.mkdir()
    (folder / "t.rule").write_text(RULES, encoding="utf-8")
    rows = ", ".join(f"({', '.join(map(_sql, r))})" for r in FIRMS)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT id, ok::BOOLEAN AS ok, cost, other_ok::BOOLEAN AS other_ok, other_cost "
        f"FROM (VALUES {rows}) t(id, ok, cost, other_ok, other_cost)) "
        f"TO '{reg}/firms.parquet'"
    )
    con.close()
    assert main(["batch", str(folder), str(reg), "--out", str(out), "--as-of", "2024-12-31"]) == 0
    con = duckdb.connect()
    got = {
        (r[0], r[1]): (r[2], r[3][-1] if r[3] else None)
        for r in con.execute(
            f"SELECT provision, subject, status, binding_caps FROM '{out}/decisions.parquet'"
        ).fetchall()
    }
    assert got == {k: (s, HEAD + zh) for k, (s, zh, _) in WANT.items()}
