"""The whole Chinese text (``Result.explain()``) rendered from the evaluator's rows
(backends/python/texts_zh.py): a paid claim's block and a refused claim's line said without
making their decisions, the same text as from the decisions, input escaped, claims refused
alike reasoned once, what is kept bounded."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, Money
from policyrules.backends.python import evaluate as evaluate_module
from policyrules.backends.python import rows as rows_module
from policyrules.backends.python import rows_said as said_module
from policyrules.errors import FactsError
from policyrules.explain import decision_text, explain_text, grant_said
from policyrules.explain_zh import RefusedZh, explain_text_zh
from policyrules.instances import Facts, Instance
from policyrules.runtime.claim_log import ClaimLog
from strategies import compile_text
from support import PRODUCT_RULES, RATED_RULES, SHARE_RULES, TIMED_RULES, count_calls

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import one_by_one_data as data  # noqa: E402 - the benchmark's claims of measure 3


def test_paid_claims_said_in_chinese_from_their_rows() -> None:
    policy = compile_text(SHARE_RULES)
    facts = {
        "firms": [
            {"id": "f1", "base": "500 万元", "remark": "-"},
            {"id": "f2", "base": "100 万元", "remark": "-"},
        ]
    }
    params = {"share": "30%"}
    rendered = policy.evaluate(facts, parameters=params)
    assert rendered._texts_zh is not None
    assert [type(x) for x in rendered._texts_zh(policy.words)] == [str, str]
    made = policy.evaluate(facts, parameters=params)
    text = rendered.explain()
    assert text == explain_text_zh(made, policy.words)
    f1, f2 = text.split("\n\n")[:2]
    # f1: 500 万元 × 30% = 150 万元, cut to 100 万元 by the cap (150 − 100 = 50 万元 cut)
    assert "  金额：100 万元（确定金额）" in f1
    assert "此上限起作用：150 万元 核减 50 万元，为 100 万元" in f1
    # f2: 100 万元 × 30% = 30 万元, under the cap
    assert "  金额：30 万元（确定金额）" in f2
    assert "  所依据的情况：申报基数：100 万元；备注：-" in f2


def test_measure_3_chinese_text_makes_no_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every claim of measure 3 is paid or refused by a condition: the whole Chinese text
    is said without making one decision, the text made from the decisions."""
    with_all = policyrules.load(ROOT / "policies" / "beijing_2025")
    facts = with_all.read_facts(data.as_facts(data.claims(200)))
    want = with_all.evaluate(facts)
    whole = explain_text_zh(want, with_all.words)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a decision was made to say it")

    monkeypatch.setattr(rows_module, "paid_decision", refused)
    monkeypatch.setattr(rows_module, "failed_decision", refused)
    assert with_all.evaluate(facts).explain() == whole
    assert "【符合条件】京经信发〔2025〕50号 第3条" in whole
    assert "不符合条件：\n" in whole


def test_the_whole_texts_say_the_grants_from_their_rows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The grants' lines of the whole texts (Chinese and English) are said from the grant
    rows, no Grant made, alike; ``result.grants`` read first, from the grants.  Measure 3
    counts a grant in its approval year: ``（计入 2026 年度）``, ``(year 2026)``."""
    policy = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path))
    facts = policy.read_facts(data.as_facts(data.claims(60)))
    made = policy.evaluate(facts)
    want_zh = explain_text_zh(made, policy.words)
    want_en = explain_text(made)
    assert "本次结果的发放（记入台账的即为这些）：\n" in want_zh
    assert "年度）" in want_zh.split("本次结果的发放（记入台账的即为这些）：")[1]
    assert "(year 20" in want_en.split("Grants of this result (what a ledger records):")[1]

    def made_a_grant(row: object) -> None:
        raise AssertionError("a Grant was made to say it")

    with monkeypatch.context() as m:
        m.setattr(evaluate_module, "grant_of", made_a_grant)
        assert policy.evaluate(facts).explain() == want_zh
        assert policy.evaluate(facts).explain(lang="en") == want_en
    result = policy.evaluate(facts)
    assert result.grants == made.grants  # made first: the texts read them
    assert result.explain() == want_zh
    assert result.explain(lang="en") == want_en
    for g in made.grants:
        row = (g.provision, g.path, g.amount.fen, g.year)
        assert grant_said(row) == grant_said(g)


@pytest.mark.parametrize(
    ("ident", "remark", "base"),
    [
        ("f1", "f\x1b[2J\u202e1", "10 万元"),  # a text fact: an escape sequence, a bidi mark
        ("f1", "x\u2028y", "10 万元"),  # a text fact's line separator (an id's is E303)
        ("f1", "withdrawn", "0 元"),  # refused, nothing to escape
        ("f1", "\u2066x", "0 元"),  # refused, a fact holding an isolate in its reason
    ],
)
def test_chinese_from_rows_escapes_the_input(ident: str, remark: str, base: str) -> None:
    policy = compile_text(SHARE_RULES)
    facts = {"firms": [{"id": ident, "base": base, "remark": remark}]}
    params = {"share": "50%"}
    made = policy.evaluate(facts, parameters=params)
    rendered = policy.evaluate(facts, parameters=params)
    assert rendered._texts_zh is not None
    said = rendered._texts_zh(policy.words)
    assert [type(x) for x in said] == [RefusedZh if base == "0 元" else str]
    text = rendered.explain()
    assert text == explain_text_zh(made, policy.words)
    for unsafe in ("\x1b", "\u202e", "\u2066", "\u2028"):
        assert unsafe not in text


def test_claims_refused_alike_are_reasoned_once_in_chinese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """f1, f2 and f3 are refused for the same score (50 < 60) and kind: reasoned once;
    f4 (another kind) on its own.  The text is the decisions', in one line: their
    reasons are alike."""
    policy = compile_text(RATED_RULES)
    firms = [{"id": f"f{k}", "score": "50", "kind": "a"} for k in (1, 2, 3)]
    firms.append({"id": "f4", "score": "50", "kind": "b"})
    facts = {"firms": firms}
    want = explain_text_zh(policy.evaluate(facts), policy.words)
    calls = count_calls(monkeypatch, said_module, "reasons_zh")
    policy.compiled.learnt.clear()  # nothing kept from an evaluation before
    text = policy.evaluate(facts).explain()
    assert text == want
    assert len(calls) == 2
    assert "—— f1、f2、f3、f4：未满足：" in text  # the same reason: one line
    assert "评分：50" in text
    calls.clear()
    assert policy.evaluate(facts).explain() == want  # kept for the next, on the defaults
    assert calls == []


def test_the_chinese_refusals_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound (here 2 a provision), a refusal is said but not kept: five firms
    refused for five scores keep two, and the text is still the decisions'."""
    monkeypatch.setattr(said_module, "REFUSALS_MAX", 2)
    policy = compile_text(RATED_RULES)
    firms = [{"id": f"f{k}", "score": str(50 + k), "kind": "a"} for k in range(5)]
    facts = {"firms": firms}
    want = explain_text_zh(policy.evaluate(facts), policy.words)
    assert policy.evaluate(facts).explain() == want
    assert len(policy.compiled.learnt[("refused_zh", "d/1/grant")]) == 2


def test_refusals_past_the_bound_are_reasoned_once_a_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the bound (here 2), a refusal is kept while the rows are said: ten firms
    refused for five scores (two each) are reasoned five times, not 2 + 3 × 2 = 8; the next
    evaluation reasons again only the three the policy did not keep."""
    monkeypatch.setattr(said_module, "REFUSALS_MAX", 2)
    policy = compile_text(RATED_RULES)
    firms = [{"id": f"f{k}", "score": str(50 + k % 5), "kind": "a"} for k in range(10)]
    facts = {"firms": firms}
    want = explain_text_zh(policy.evaluate(facts), policy.words)
    calls = count_calls(monkeypatch, said_module, "reasons_zh")
    policy.compiled.learnt.clear()
    assert policy.evaluate(facts).explain() == want
    assert len(calls) == 5
    calls.clear()
    result = policy.evaluate(facts)
    assert result.explain() == want
    assert len(calls) == 3
    # let go once said: the result keeps no refusal past the bound (read again, reasoned
    # again), so a result kept alive holds no text per distinct refusal
    calls.clear()
    assert result.explain() == want
    assert len(calls) == 3


def test_one_result_said_in_two_words_objects() -> None:
    """A result's rows said under the policy's words and then under none (names for
    titles): each text is the decisions' under those words, nothing kept for one used
    for the other."""
    from policyrules.explain_zh import no_words

    policy = compile_text(RATED_RULES)
    firms = [{"id": "f1", "score": "50", "kind": "a"}, {"id": "f2", "score": "70", "kind": "a"}]
    facts = {"firms": firms}
    made = policy.evaluate(facts)
    result = policy.evaluate(facts)
    assert result._texts_zh is not None
    for words in (policy.words, no_words(), policy.words):
        said = result._texts_zh(words)
        if words is policy.words:
            assert [type(x) for x in said] == [RefusedZh, str]
        assert explain_text_zh(result, words, said=said) == explain_text_zh(made, words)
    assert "firm.score" not in explain_text_zh(made, policy.words)
    assert "firm.score" in explain_text_zh(made, no_words())


def test_a_refusal_whose_words_know_one_condition_of_two_is_said_by_its_decision() -> None:
    """Said in the words of a policy whose grant lacks ``kind != "withdrawn"``, a firm that
    fails both conditions has one reason its line can say and one it cannot: the line is
    the decision's (which says the other as written), not the first reason alone."""
    policy = compile_text(RATED_RULES)
    other = compile_text(RATED_RULES.replace('kind != "withdrawn"', 'kind != "gone"'))
    facts = {"firms": [{"id": "f1", "score": "50", "kind": "withdrawn"}]}
    made = policy.evaluate(facts)
    result = policy.evaluate(facts)
    assert result._texts_zh is not None
    said = result._texts_zh(other.words)
    text = explain_text_zh(result, other.words, said=said)
    assert text == explain_text_zh(made, other.words)
    assert "未满足：评分不低于 60" in text  # the reason its words know, in words
    assert "kind" in text.split("不符合条件：")[1]  # the other, as the evaluator wrote it


def test_a_title_kept_for_words_since_gone_is_not_used() -> None:
    """A refused line's measure and title are kept by the id of the words object, with the
    object: found under the same id for other words (an id reused), they are made again."""
    from policyrules.explain_zh import no_words

    policy = compile_text(RATED_RULES)
    facts = {"firms": [{"id": "f1", "score": "50", "kind": "a"}]}
    result = policy.evaluate(facts)
    assert result._texts_zh is not None
    run = next(
        c.cell_contents
        for c in result._texts_zh.__closure__ or ()
        if type(c.cell_contents).__name__ == "_Run"
    )
    stale = (no_words(), "a stale title", {})
    run._titled_zh[("d/1/grant", id(policy.words))] = stale
    text = explain_text_zh(result, policy.words, said=result._texts_zh(policy.words))
    assert "a stale title" not in text
    assert text == explain_text_zh(policy.evaluate(facts), policy.words)


def test_a_claim_log_says_its_claims_once_each() -> None:
    """The earlier claims' texts, English and Chinese, share each claim's text; a claim
    holding an amount nothing bounds is said by the caller's words for it, not kept."""
    log = ClaimLog()
    log.append("f1/P1", 200 * 10_000 * 100)
    log.append_open("f1/P2", ("d/1/a", "why"))
    log.append("f1/P3", 12_345_67)
    assert log.texts(0, 3, "金额未知", "至多 ") == [
        "f1/P1 200 万元",
        "f1/P2 金额未知",
        "f1/P3 12,345.67 元",
    ]
    assert log.describe(3) == "f1/P1 200 万元, f1/P2 (amount unknown), f1/P3 12,345.67 元"
    assert sorted(log.shown) == [0, 2]
    assert log.view().last_texts(2) == ("f1/P2 金额未知", "f1/P3 12,345.67 元")


def test_without_explanations_each_decision_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without explanations no text is said from a row (each row is made into its
    decision to be said): the decisions are made once, kept, and every text read from
    them, whichever is asked for first."""
    policy = compile_text(SHARE_RULES)
    facts = {"firms": [{"id": f"f{k}", "base": f"{k} 万元", "remark": "-"} for k in range(3)]}
    made: list[int] = []
    real = rows_module.Rows.materialise

    def counted(self: object, row: object) -> object:
        made.append(1)
        return real(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(rows_module.Rows, "materialise", counted)
    result = policy.evaluate(facts, parameters={"share": "50%"}, explain=False)
    result.explain()
    result.decision_texts()
    result.explain(lang="en")
    assert len(result.decisions) == 3
    assert len(made) == 3


SHARED = """entity firm "企业"
  list firms

entity product "产品"
  list products of firm
  fact awarded: money "决定金额"

document d "测试"

clause 1 "奖励"
  quote "单个产品不超过 200 万元，单个企业不超过 300 万元。"

  award a "奖励"
    for each product
    amount decided awarded
    cap 200 万元 per product
    cap 300 万元 per firm
"""


def test_an_amount_up_to_and_one_granted_before_are_said_from_their_decisions() -> None:
    """P1's amount is not known: it may take up to 200 万元 of the firm's 300, so P2
    (200 万元 asked) gets at least 300 − 200 = 100 and up to 200 万元; P3 was granted
    50 万元 before and asks 120: it gets the rest, 120 − 50 = 70 万元, but the firm's cap
    holds nothing certain for it either (300 − 200 held − up to 200).  Neither is said
    from its row: each line the decision says (the upper bound, the earlier grant) is
    there, as the decisions' text has it."""
    policy = compile_text(SHARED)
    products = [
        {"id": "P1"},
        {"id": "P2", "awarded": "200 万元"},
        {"id": "P3", "awarded": "120 万元"},
    ]
    facts = {"firms": [{"id": "f1", "products": products}]}
    path = (("firm", "f1"), ("product", "P3"))
    ledger = [Grant("d/1/a", path, Money.of(50, "万元"), None)]
    made = policy.evaluate(facts, ledger=ledger)
    rendered = policy.evaluate(facts, ledger=ledger)
    assert rendered._texts_zh is not None
    said = rendered._texts_zh(policy.words)
    assert not any(type(x) is str for x in said)
    text = rendered.explain()
    assert text == explain_text_zh(made, policy.words)
    assert "这是上限，不是确定金额" in text
    assert "此前已获本项 50 万元，已从本次金额中扣除" in text


def test_a_paid_claim_lists_no_days_the_last_deadline_counted() -> None:
    """The deadline counted working days into 2027 (not published; projected): its own
    decision lists the holiday assumption, the paid claim's block does not."""
    policy = compile_text(TIMED_RULES)
    facts = {"firms": [{"id": "f1", "score": "70", "submitted_on": "2026-12-20"}]}
    run: dict[str, Any] = {"assumptions": {"holiday_schedule": "statutory_projection"}}
    text = policy.evaluate(facts, **run).explain()
    assert text == explain_text_zh(policy.evaluate(facts, **run), policy.words)
    paid, timed = text.split("\n\n")[:2]
    assert paid.startswith("【符合条件】")
    assert "holiday" not in paid
    assert "放假" not in paid
    assert "放假" in timed or "holiday" in timed


def test_the_caps_lines_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound (here 1), a cap's line is made, not kept: the two caps (one a firm's,
    one a claim's) keep one; the firms' texts are the same as their decisions'."""
    from policyrules.backends.python import texts_zh as texts_zh_module

    monkeypatch.setattr(texts_zh_module, "_LINES_MAX", 1)
    policy = compile_text(
        SHARE_RULES.replace("cap 100 万元 per firm", "cap 100 万元 per firm\n    cap 80 万元")
    )
    facts = {"firms": [{"id": f"f{k}", "base": "10 万元", "remark": "-"} for k in (1, 2)]}
    params = {"share": "50%"}
    result = policy.evaluate(facts, parameters=params)
    assert result._texts_zh is not None
    text = result.explain()
    assert text == explain_text_zh(policy.evaluate(facts, parameters=params), policy.words)
    run = next(
        c.cell_contents
        for c in result._texts_zh.__closure__ or ()
        if type(c.cell_contents).__name__ == "_Run"
    )
    [said] = run._paid_zh.values()
    assert len(said.lines) == 1


@pytest.mark.parametrize(
    ("remark", "title"),
    [
        ("-", "企业"),  # nothing to escape: said without a look at the whole
        ("a\x1b[2J\u202eb", "企业"),  # a text fact: an escape sequence, a bidi mark
        ("a\u2069\u2029b", "企业"),  # a text fact: an isolate, a paragraph separator (an
        # id holding one is refused, E303)
        ("-", "企业\u202e"),  # the rule's own title of the firm: the cap's line
        ("a\nb\n", "企业"),  # a line break in a fact: escaped, the lines' not
    ],
)
def test_paid_claims_of_a_decided_amount_escape_the_input(remark: str, title: str) -> None:
    """A claim paid a fact's amount is said from its row (its facts read from the subject),
    the pieces from the facts and the rule's words escaped: the same text as from its
    decision, in Chinese and in English.  P2 meets the cap after P1 (60 万元 + 50 万元 >
    100 万元: cut by 10 万元 to 40 万元)."""
    policy = compile_text(PRODUCT_RULES.replace('"企业"', f'"{title}"', 1))
    products = [
        {"id": "P1", "reward": "60 万元", "remark": remark},
        {"id": "P2", "reward": "50 万元", "remark": remark},
    ]
    facts = {"firms": [{"id": "f1", "products": products}]}
    made = policy.evaluate(facts)
    rendered = policy.evaluate(facts)
    assert rendered._texts_zh is not None
    assert [type(x) for x in rendered._texts_zh(policy.words)] == [str, str]
    text = rendered.explain()
    assert text == explain_text_zh(made, policy.words)
    assert "  金额：40 万元（确定金额）" in text  # 100 − 60 = 40 万元 left for P2
    assert "本次结果中在先的申请：" in text
    english = policy.evaluate(facts)
    assert english.decision_texts() == tuple(decision_text(d) for d in made.decisions)
    assert "  amount: 40 万元 (exact)" in english.decision_texts()[1]
    assert "before this claim: " in english.decision_texts()[1]
    for unsafe in ("\x1b", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"):
        assert unsafe not in text
        assert unsafe not in "".join(english.decision_texts())
    if title != "企业":
        assert "\\u20" in text.split("上限：")[1].split("\n")[0]  # the cap's line escaped


def test_a_first_claim_the_cap_cuts_is_said_in_english() -> None:
    """The firm's first claim asks 120 万元 of its 100 万元 cap: its cap's line says it
    bound (120 − 100 = 20 万元 cut) and lists no earlier claim, in the text from the row as
    in the decision's (a remark holding a line separator, escaped)."""
    policy = compile_text(PRODUCT_RULES)
    products = [{"id": "P1", "reward": "120 万元", "remark": "-\u2028"}]
    facts = {"firms": [{"id": "f1", "products": products}]}
    made = policy.evaluate(facts)
    [text] = policy.evaluate(facts).decision_texts()
    assert text == decision_text(made.decisions[0])
    assert "BINDS: 120 万元 cut by 20 万元 to 100 万元" in text
    assert "before this claim" not in text
    assert "\u2028" not in text
    assert "f1/P1" in text


def test_a_large_result_is_said_firm_by_firm_alike(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Past ``BY_FIRM`` rows a result's rows are said firm by firm, as the facts list the
    firms (claims are served by approval day across firms): the texts, Chinese and
    English, are the same as said in order, each in its row's place."""
    policy = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path))
    facts = policy.read_facts(data.as_facts(data.claims(200)))  # 10 firms of 20
    in_order = policy.evaluate(facts)
    want = (in_order.explain(), in_order.explain(lang="en"), in_order.decision_texts())
    served = [d.subject.split("/")[0] for d in in_order.decisions if d.subject]
    assert served != sorted(served, key=lambda f: int(f.split("-")[1]))  # days, not firms
    monkeypatch.setattr(said_module, "BY_FIRM", 0)
    firms: list[str] = []
    real = said_module.paid_text_zh

    def spied(*args: Any) -> str | None:
        firms.append(args[3][2][0][1])  # the row's path: its firm
        return real(*args)

    monkeypatch.setattr(said_module, "paid_text_zh", spied)
    by_firm = policy.evaluate(facts)
    assert (by_firm.explain(), by_firm.explain(lang="en"), by_firm.decision_texts()) == want
    runs = [f for k, f in enumerate(firms) if k == 0 or firms[k - 1] != f]
    assert runs == [f"firm-{n}" for n in range(10)]  # each firm's claims together, in order


def test_an_unlisted_owners_id_is_said_in_the_texts() -> None:
    """Facts built in Python may list products and not their firm: the firm's id (in the
    subject and the earlier claims) is said in the texts from the rows as in the decisions'
    (Chinese and English); one holding a line separator is refused with the listed ids'
    (E303), never printed."""
    policy = compile_text(PRODUCT_RULES)
    firm = Instance("firm", "f\u20281", {}, None, "firms[0]")
    refused = Instance("product", "P1", {"reward": Money.of(600_000), "remark": "-"}, firm, "p")
    with pytest.raises(FactsError) as info:
        policy.evaluate(Facts({"firm": (), "product": (refused,)}))
    assert info.value.diagnostics[0].code == "E303"
    firm = Instance("firm", "f1", {}, None, "firms[0]")
    products = tuple(
        Instance("product", f"P{k}", {"reward": Money.of(600_000), "remark": "-"}, firm, "p")
        for k in (1, 2)
    )
    facts = Facts({"firm": (), "product": products})
    zh = policy.evaluate(facts).explain()
    en = policy.evaluate(facts).explain(lang="en")
    assert zh == explain_text_zh(policy.evaluate(facts), policy.words)
    assert en == explain_text(policy.evaluate(facts))
    for text in (zh, en):
        assert "f1/P2" in text  # the subject
