"""W290 stays linear in the number of awards (a new author's trial).

`check` compared every pair of awards, finding each one's bases again for every pair, and
said one W290 a pair: 400 awards paying a share of one fact took 50 s and said 79,800
warnings; 5,000 ran out of memory.  Each award is now compared only with the earlier awards
of its subject sharing a base, and says one W290 naming them: n warnings, not n².
"""

from __future__ import annotations

import pytest
from tests.strategies import compile_text

from policyrules import check_exclusive

HEAD = 'document d "测试"\n  valid from 2026-01-01\n\nentity firm "企业"\n  list firms\n'
HEAD += (
    '  fact rent: money "房租"\n  fact kind: Kind "类别"\n\nenum Kind "类别" { a "甲", b "乙" }\n'
)


def _award(i: int, amount: str = "10% of rent", when: str = "") -> str:
    cond = f"    eligible when {when}\n" if when else ""
    head = f'\nclause {i} "c"\n  quote "q"\n  award a{i}\n    for each firm\n'
    return f"{head}{cond}    amount {amount}\n"


def _w290(text: str) -> list[str]:
    return [d.message for d in compile_text(text).checked.warnings if d.code == "W290"]


def test_one_warning_an_award_naming_the_earlier_ones() -> None:
    said = _w290(HEAD + "".join(_award(i) for i in range(1, 61)))
    assert len(said) == 59  # a2 … a60, each once (was 60 × 59 / 2 = 1,770)
    assert said[0] == (
        "a1 and a2 both pay for each firm out of firm.rent, and no exclusive or cumulative "
        "statement is between them"
    )
    assert said[-1].endswith("(and 58 earlier awards likewise: a2, a3, a4, …)")


def test_awards_that_cannot_both_apply_or_share_no_base_are_not_compared() -> None:
    text = HEAD + _award(1, when="kind = a") + _award(2, when="kind = b") + _award(3, "1 万元")
    assert _w290(text) == []  # kind a and kind b never both; a constant has no base
    assert len(_w290(text + _award(4, when="kind = a"))) == 1  # a4 with a1


def test_the_bases_named_are_the_named_pairs() -> None:
    """A review: a3 pays out of cost and rent, a1 out of cost, a2 out of rent; the warning on
    a3 named a1 and said `out of firm.cost, firm.rent`, which a1 does not pay out of."""
    text = HEAD.replace(
        '  fact rent: money "房租"\n', '  fact rent: money "房租"\n  fact cost: money\n'
    )
    text += _award(1, "10% of cost") + _award(2, "10% of rent")
    text += _award(3, "10% of cost + 10% of rent")
    (said,) = _w290(text)
    assert said == (
        "a1 and a3 both pay for each firm out of firm.cost, and no exclusive or cumulative "
        "statement is between them (and 1 earlier award likewise: a2)"
    )


def test_an_award_is_compared_with_each_kind_of_earlier_award_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Awards alike (one subject, base, guard and document) are counted, not compared one by
    one: every pair of 1,700 such awards was compared, 10 s for the check.  60 awards of two
    kinds (`kind = a` for a1, a3, …; no guard for a2, a4, …): a1 meets no earlier kind, a2
    one, a3 … a60 two each: 1 + 58 × 2 = 117 comparisons (the pairs were 60 × 59 / 2 =
    1,770)."""
    calls = []
    meet = check_exclusive._may_meet

    def counted(gp: dict[str, frozenset[str]], gq: dict[str, frozenset[str]]) -> bool:
        calls.append(1)
        return meet(gp, gq)

    monkeypatch.setattr(check_exclusive, "_may_meet", counted)
    text = HEAD + "".join(_award(i, when="kind = a" if i % 2 else "") for i in range(1, 61))
    said = _w290(text)
    assert len(said) == 59
    assert said[-1].endswith("(and 58 earlier awards likewise: a2, a3, a4, …)")
    assert len(calls) == 117
