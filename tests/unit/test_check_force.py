"""W273: a provision of a dated document whose conditions relate no date of the claim to
the document's force.

A new user dropped ``eligible when approved_on in force`` from 京经信发〔2026〕9号 (in force
from 2026-03-01; /tmp/hBI-trial/mut_m): ``check --strict`` passed, and P0, approved in 2019,
was paid 300 万元.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from device_trial_rule import FACTS, TRIAL, variant, warnings
from policyrules.cli import main

IN_FORCE = "    eligible when approved_on in force\n"
DROPPED = variant(IN_FORCE, "")

HEAD = """entity firm "企业"
  list firms
  fact applied_on: date
  fact decided_amount: money
  fact revenue: money

parameter start: date = 2026-01-01 "起算日"

document d "测试"
  issued 2026-01-01
  valid from 2026-01-01 to 2028-12-31

clause 1 "t"
  quote "给予奖励。"
"""


def _codes(*lines: str, notes: str = "", head: str = HEAD) -> list[str]:
    body = "".join(f"    {line}\n" for line in lines)
    text = f"{head}{notes}\n  award a\n    for each firm\n{body}"
    return [w.code for w in warnings(text, "W273")]


def test_the_trial_without_in_force_is_w273(tmp_path: Path) -> None:
    assert warnings(TRIAL, "W273") == []
    [w] = warnings(DROPPED, "W273")
    assert w.message == (
        "award premiere_reward reads the claim's date approved_on, but no condition relates a "
        "date of the claim to the force of 京经信发〔2026〕9号 (valid from 2026-03-01 to "
        "2029-12-31): a claim of any date, before the document too, is paid"
    )
    assert w.span is not None
    line = DROPPED.splitlines().index('  award premiere_reward "高端医疗器械首发奖励"') + 1
    assert (w.span.line, w.span.col, w.span.clause_path) == (line, 9, ("京经信发〔2026〕9号", "1"))
    assert w.hint is not None
    assert w.hint.startswith("write `eligible when approved_on in force`")
    assert "`note`" in w.hint
    (tmp_path / "t.rule").write_text(DROPPED, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_what_the_trial_s_break_pays(tmp_path: Path) -> None:
    """Ordered by approval date, P0 (2019) is first in its own year: paid 300 万元; with the
    condition it is refused.  The 2026 products share the firm's 800 万元: 300 + 300 + 200
    + 0 (800 − 600 = 200 left for P3)."""
    paid = {}
    for name, text in (("right", TRIAL), ("dropped", DROPPED)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "t.rule").write_text(text, encoding="utf-8")
        result = policyrules.load(tmp_path / name).evaluate(FACTS)
        paid[name] = {
            d.subject: (d.status, d.amount.yuan if d.amount is not None else None)
            for d in result.decisions
        }
    wan = Decimal(10_000)
    assert paid["dropped"]["f1/P0"] == ("eligible", 300 * wan)
    assert paid["right"]["f1/P0"][0] == "not_eligible"
    for name in paid:
        amounts = [paid[name][f"f1/P{i}"][1] for i in range(1, 5)]
        assert amounts == [300 * wan, 300 * wan, 200 * wan, 0 * wan]


@pytest.mark.parametrize(
    "lines",
    [
        # The date read by a year's cap only.
        ["amount decided decided_amount", "cap 50 万元 per firm per year of applied_on"],
        # By an order, the condition on something else.
        ["eligible when revenue > 0 元", "amount decided decided_amount", "order by applied_on"],
        # Two dates of the claim compared with each other relate neither to the force.
        [
            "eligible when applied_on <= applied_on",
            "amount decided decided_amount",
            "cap 50 万元 per firm per year of applied_on",
        ],
    ],
)
def test_a_date_read_and_never_related_to_the_force_warns(lines: list[str]) -> None:
    assert _codes(*lines) == ["W273"]


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (["eligible when applied_on in force", "amount decided decided_amount"], ""),
        # A define naming it.
        (
            ["eligible when timely", "amount decided decided_amount"],
            '  define timely "按时" = applied_on in force\n',
        ),
        # A comparison with a constant date, a parameter, a year.
        (["eligible when applied_on >= 2026-01-01", "amount decided decided_amount"], ""),
        (["eligible when applied_on >= start", "amount decided decided_amount"], ""),
        (["eligible when year(applied_on) >= 2026", "amount decided decided_amount"], ""),
        # No date read: nothing to relate (the pattern guide's awards of amounts).
        (["eligible when revenue > 0 元", "amount decided decided_amount"], ""),
    ],
)
def test_a_date_related_to_the_force_or_none_read_does_not_warn(
    lines: list[str], items: str
) -> None:
    assert _codes(*lines, notes=items) == []


def test_a_document_without_validity_does_not_warn() -> None:
    head = HEAD.replace("  valid from 2026-01-01 to 2028-12-31\n", "")
    lines = ["amount decided decided_amount", "cap 50 万元 per firm per year of applied_on"]
    assert _codes(*lines, head=head) == []


def test_a_note_about_the_force_silences_it() -> None:
    lines = ["amount decided decided_amount", "cap 50 万元 per firm per year of applied_on"]
    said = '  note "本条奖励追溯至 2024 年获批的产品（文件第五条）。"\n'
    assert _codes(*lines, notes=said) == []
    other = '  note "奖励金额由主管部门决定。"\n'
    assert _codes(*lines, notes=other) == ["W273"]
    on_doc = HEAD.replace(
        "  issued 2026-01-01\n",
        '  issued 2026-01-01\n  note "自发布之日起施行，此前的事项不追溯。"\n',
    )
    assert _codes(*lines, head=on_doc) == []


def test_shipped_policies_and_patterns_are_free_of_it() -> None:
    root = Path(__file__).resolve().parents[2] / "policies"
    for directory in ("beijing_2025", "patterns"):
        found = policyrules.load(root / directory).checked.warnings
        assert [w for w in found if w.code == "W273"] == []


@pytest.mark.parametrize(
    "note",
    [
        "自 2026 年 1 月 1 日起执行，此前获批的产品也予奖励。",
        "是否须在本文印发之后获批，由实施细则明确；编码不限获批日期。",
        "自印发之日起，获批日期不限。",
    ],
)
def test_the_force_words_of_the_table_silence_it(note: str) -> None:
    """执行 and 印发 say the force as 施行 and 发布 do.  Before, only the fixed list was read
    and each of these notes still warned."""
    lines = ["amount decided decided_amount", "cap 50 万元 per firm per year of applied_on"]
    assert _codes(*lines, notes=f'  note "{note}"\n') == []


def test_words_of_another_sense_do_not_silence_it() -> None:
    """实施细则 and 认真贯彻执行 say nothing of which claims the document covers."""
    lines = ["amount decided decided_amount", "cap 50 万元 per firm per year of applied_on"]
    for note in ("奖励比例由实施细则确定。", "请结合实际认真贯彻执行。"):
        assert _codes(*lines, notes=f'  note "{note}"\n') == ["W273"]


def test_the_docs_table_lists_the_words() -> None:
    """docs/patterns/time.md shows the table W273 reads, word for word and in order."""
    from policyrules.check_force import FORCE_WORDS

    docs = Path(__file__).resolve().parents[2] / "docs" / "patterns" / "time.md"
    rows = [
        line.split("|")[1].strip()
        for line in docs.read_text(encoding="utf-8").splitlines()
        if line.startswith("  | ") and not line.startswith("  | Word")
    ]
    assert rows == [w for w, _ in FORCE_WORDS]


@pytest.mark.parametrize(
    ("provision", "does"),
    [
        (
            '  deadline review "审核时限"\n    for each firm\n    due 20 工作日 after applied_on\n',
            "is held to the deadline (met or not met)",
        ),
        (
            '  entitlement green_lane "绿色通道"\n    for each firm\n'
            "    eligible when year(applied_on) >= year(applied_on)\n"
            '    consequence "纳入绿色通道"\n',
            "is granted",
        ),
        (
            '  award a "奖励"\n    for each firm\n    amount decided decided_amount\n'
            "    cap 50 万元 per firm per year of applied_on\n",
            "is paid",
        ),
    ],
)
def test_the_message_says_what_the_provision_does(provision: str, does: str) -> None:
    """hCD's trial: a deadline's W273 said "a claim of any date … is paid", as an award's;
    a deadline pays nothing, it holds the claim to its time limit."""
    [w] = warnings(f"{HEAD}\n{provision}", "W273")
    assert w.message.endswith(
        f"(valid from 2026-01-01 to 2028-12-31): a claim of any date, "
        f"before the document too, {does}"
    )
