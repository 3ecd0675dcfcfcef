"""The Chinese text says a cap's note, a deadline's margin and whose a parameter's value is
from the fields the evaluator sets (``CapEvent.detail``, ``Decision.deadline_margin``,
``Decision.parameters_set``), not from its English notes read back by pattern: other
English wording leaves the Chinese as it was (it fell back to the English), an exception's
condition is said in words from the rule (it was recovered from its printed name), and a
parameter set to its default's own value is the caller's (it was compared with the default).

中文：中文说明依据评估结果的结构化字段生成，不再从英文说明中反推；英文措辞改变不影响中文。"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from tests.strategies import compile_text
from tests.support import run_cli
from tests.unit.test_cap_exceptions import POLICY as EXCEPTIONS
from tests.unit.test_unpublished_years import POLICY_TEXT as DAYS

from policyrules.decisions import CapNote, DeadlineMargin, Decision
from policyrules.explain_zh import decision_text_zh

WAN = 1_000_000  # fen


def _major_project() -> tuple[Decision, str]:
    """P: major, 20% of 6000 万元 = 1200 万元, cut to the raised 1000 万元."""
    policy = compile_text(EXCEPTIONS)
    facts = {"id": "P", "investment": "6000万元", "major": True, "key_chain": False}
    (d,) = policy.evaluate({"projects": [{**facts, "flagship": False}]}).decisions
    return d, decision_text_zh(d, policy.words)


RAISED = (
    "  上限：单个项目不超过 500 万元（项目 P），即 1000 万元（经认定的特别重大项目，上限提高）\n"
)


def _reworded(monkeypatch: pytest.MonkeyPatch, cls: type, english: str) -> None:
    """``cls``'s English said otherwise, as a change of the evaluator's wording would."""
    monkeypatch.setattr(cls, "describe", lambda self: english)


def test_a_raised_cap_is_said_from_its_fields_whatever_its_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d, said = _major_project()
    (ev,) = d.caps
    assert ev.detail == CapNote("raised", ("major",), (0,), high=1000 * WAN)
    assert ev.note == "raised to 1000 万元: major holds"
    assert RAISED in said
    _reworded(monkeypatch, CapNote, "lifted to 1000 万元 as major")
    assert ev.note == "lifted to 1000 万元 as major"
    assert _major_project()[1] == said


NESTED = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity firm "企业"
  list firms
  fact key_firm: determination "经认定的重点企业"

entity product "产品"
  list products of firm
  fact cost: money "研发投入"

clause 1
  quote "按研发投入的 20% 给予支持，原则上不超过 100 万元，重点企业投入较大的可提高至 200 万元。"
  award s
    for each product
    amount 20% of cost
    cap 100 万元 per product
      unless key_firm and cost > 800 万元 raise to 200 万元
"""


def test_a_raised_caps_condition_is_said_in_words_from_the_rule() -> None:
    """A condition of the firm's fact and the product's, under a cap per product: 20% of
    1000 万元 = 200 万元, the limit raised to 200 万元.  It was split at its `and` and each
    part taken for a fact of the product by its name: （key_firm、cost > 800 万元，上限提高）."""
    policy = compile_text(NESTED)
    firm = {"id": "F", "key_firm": True, "products": [{"id": "A", "cost": "1000万元"}]}
    (d,) = policy.evaluate({"firms": [firm]}).decisions
    assert d.amount is not None
    assert d.amount.fen == 200 * WAN
    assert (
        "  上限：单个产品不超过 100 万元（产品 A），即 200 万元"
        "（经认定的重点企业，且研发投入高于 800 万元，上限提高）\n"
    ) in decision_text_zh(d, policy.words)


def test_a_cap_between_two_limits_is_said_in_chinese() -> None:
    """major unknown: the limit is 500 万元 or 1000 万元 (key_chain and flagship false); the
    Chinese text showed the English ``between 500 万元 and 1000 万元 until major is known``."""
    policy = compile_text(EXCEPTIONS)
    facts = {"id": "P", "investment": "6000万元", "key_chain": False, "flagship": False}
    result = policy.evaluate({"projects": [facts]})
    (d,) = result.decisions
    (ev,) = d.caps
    assert ev.detail == CapNote("between", ("major",), (0,), low=500 * WAN, high=1000 * WAN)
    text = result.explain()
    assert (
        "  上限：单个项目不超过 500 万元（项目 P）：介于 500 万元 与 1000 万元 之间，"
        "待确定：经认定的特别重大项目\n"
    ) in text
    assert "between" not in text


RECKONED = """document d "测试"

entity firm "企业"
  list firms
  fact base: money "投资额"
  fact awarded: money "决定金额"

clause 1 "t"
  quote "q"
  award a
    for each firm
    amount decided awarded
    cap 30% of base
"""


def test_a_cap_that_needs_a_fact_is_said_from_its_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = compile_text(RECKONED)
    (d,) = policy.evaluate({"firms": [{"id": "F", "awarded": "20万元"}]}).decisions
    (ev,) = d.caps
    assert ev.detail == CapNote("unknown", needs=("firm.base",))
    line = "  上限：不超过投资额的 30%（本次申请）：无法计算，尚缺投资额\n"
    assert line in decision_text_zh(d, policy.words)
    _reworded(monkeypatch, CapNote, "unknown until firm.base is")
    assert line in decision_text_zh(d, policy.words)


def _review(**more: str) -> Decision:
    """The 5 工作日 review of a firm that applied Mon 2026-12-14: due Mon 2026-12-21 (12-15..18
    are 1-4, 12-21 is 5), all in 2026."""
    checked = compile_text(DAYS)
    facts = {"id": "f", "applied_on": "2026-12-14", "awarded": "80万元", **more}
    result = checked.evaluate({"firms": [facts]}, as_of="2027-01-10")
    return next(d for d in result.decisions if d.provision.endswith("review"))


# 12-21 → 12-31 is 10 calendar days, then 10 more to 2027-01-10: 20 日, as 2027's working
# days cannot be counted (its schedule is not published).
WHY = "（2027年放假安排尚未公布，工作日无法计算，按日历日计）"


@pytest.mark.parametrize(
    ("more", "kind", "said"),
    [
        ({"answered_on": "2027-01-10"}, "late", f"  逾期 20 日{WHY}\n"),
        ({}, "overdue", f"  截至2027年1月10日尚未完成，已逾期 20 日{WHY}\n"),
    ],
)
def test_a_margin_in_days_is_said_from_its_fields_whatever_its_english(
    more: dict[str, str], kind: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _review(**more)
    m = d.deadline_margin
    assert m is not None
    assert (m.kind, m.days, m.unit, m.unpublished) == (kind, 20, "日", 2027)
    assert "working days not counted" in (d.margin or "")
    words = compile_text(DAYS).words
    assert said in decision_text_zh(d, words)
    _reworded(monkeypatch, DeadlineMargin, "20 calendar days late: 2027's holidays unknown")
    assert d.margin == "20 calendar days late: 2027's holidays unknown"
    assert said in decision_text_zh(d, words)


def test_a_margin_in_working_days_of_a_year_not_available_says_no_year() -> None:
    """A working-day period in 2003, before the published years (2004 on): the count is in
    calendar days, and no year is said not published (its schedule is not available)."""
    margin = DeadlineMargin(
        "late",
        3,
        "日",
        gap="no holiday schedule is available for 2003 (published: 2004–2026)",
    )
    assert margin.describe() == (
        "3 日 (working days not counted: no holiday schedule is available for 2003 "
        "(published: 2004–2026)) late"
    )
    from policyrules.explain_zh_margins import deadline_margin_zh

    assert deadline_margin_zh(margin) == "逾期 3 日（工作日无法计算，按日历日计）"


DEFAULTED = """entity firm "企业"
  list firms
  fact cost: money
parameter share: rate = 30% "支持比例"

document d "测试"
clause 1 "t"
  quote "q"
  award a "测试奖励"
    for each firm
    eligible when known(cost)
    amount share of cost
"""

AS_DEFAULT = "  参数：支持比例：本次按 30% 计算（编码的默认值，非文件规定）\n"
AS_SET = "  参数：支持比例：本次按 30% 计算（使用者设定，非文件规定）\n"


def test_a_parameter_set_to_its_defaults_value_is_said_as_set(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--set share=30%``, the default's own value: the user set it, and the letter says so
    (it compared the value with the default and said the encoding's); not set, the default.
    30% of 100 万元 = 30 万元 either way."""
    (tmp_path / "t.rule").write_text(DEFAULTED, "utf-8")
    facts = tmp_path / "f.yaml"
    facts.write_text("firms:\n  - id: f\n    cost: 100万元\n", "utf-8")
    code, out, _ = run_cli(capsys, "eval", tmp_path, facts, "--set", "share=30%")
    assert code == 0
    assert "  金额：30 万元（确定金额）\n" in out
    assert AS_SET in out
    code, out, _ = run_cli(capsys, "eval", tmp_path, facts)
    assert AS_DEFAULT in out


# Without a condition a paid claim's Chinese text is said from the evaluator's row.
PAID = DEFAULTED.replace("    eligible when known(cost)\n", "")


@pytest.mark.parametrize(("text", "rows"), [(DEFAULTED, False), (PAID, True)])
def test_a_parameter_set_is_said_so_by_the_decision_and_by_the_rows(text: str, rows: bool) -> None:
    """The whole text of a paid claim is said from the evaluator's row where it can be, else
    from its decision; both say the value set as the caller's, as the decision's own text."""
    policy = compile_text(text)
    facts = {"firms": [{"id": "f", "cost": "100万元"}]}
    result = policy.evaluate(facts, parameters={"share": "30%"})
    said = result._texts_zh(policy.words) if result._texts_zh is not None else []
    assert [type(x) is str for x in said] == [rows]
    (d,) = result.decisions
    assert d.parameters_set == ("share",)
    assert AS_SET in result.explain()
    assert AS_SET in decision_text_zh(d, policy.words)
    plain = policy.evaluate(facts)
    assert plain.decisions[0].parameters_set == ()
    assert AS_DEFAULT in plain.explain()
    (quiet,) = policy.evaluate(facts, parameters={"share": "30%"}, explain=False).decisions
    assert (quiet.parameters, quiet.parameters_set) == ((), ())


def test_the_fields_pickle_back_and_say_the_same() -> None:
    policy = compile_text(EXCEPTIONS)
    facts = {"id": "P", "investment": "6000万元", "major": True, "key_chain": False}
    result = policy.evaluate({"projects": [{**facts, "flagship": False}]})
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert back.decisions[0].caps[0].detail == result.decisions[0].caps[0].detail
    assert back.explain() == result.explain()
    d = _review(answered_on="2027-01-10")
    assert pickle.loads(pickle.dumps(d)).deadline_margin == d.deadline_margin
