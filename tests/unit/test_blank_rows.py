"""With explanations, a provision's decisions for the subjects lacking every fact its
conditions read are made once an evaluation (backends/python/blank_rows.py): the others
are rows, made into the kept decision with their own subject when looked at, and said
from its texts cut around the subject; the same decisions and texts as the general way.
Unknown award claims holding their bounds in shared caps are the fast path's rows too."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.backends.python import blank_rows, evaluate
from policyrules.backends.python import rows as rows_module
from policyrules.backends.python.trusted import slots_of, with_subject
from policyrules.decisions import Decision
from policyrules.explain import decision_text
from policyrules.explain_zh import decision_text_zh
from support import general_way

TEXT = """entity firm "企业"
  list firms
  fact region: text
entity project "项目"
  list projects of firm
  fact ok: bool
  fact seen: bool

assumption strict: bool = true "从严"

document d "测试"

clause 1
  quote "q"

  entitlement e "可享受"
    for each project
    eligible when if strict then ok else seen
    eligible when region = "甲"
    consequence "受理"

  entitlement named "按编号"
    for each project
    eligible when id = "P1"
    consequence "受理"
"""

PROJECTS = [{"id": "P1"}, {"id": "P2"}, {"id": "P3", "ok": True}, {"id": "P4"}]
FACTS = {"firms": [{"id": "f", "projects": PROJECTS}, {"id": "g", "projects": [{"id": "Q1"}]}]}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str | None]]:
    """The general way's decisions made, by provision and subject."""
    seen: Counter[tuple[str, str | None]] = Counter()
    decide = evaluate._Run.decide

    def counting(self: Any, cp: Any, inst: Any, env: Any, path: Any = None) -> Decision:
        made = decide(self, cp, inst, env, path)
        seen[(cp.info.id.rsplit("/", 1)[-1], made.subject)] += 1
        return made

    monkeypatch.setattr(evaluate._Run, "decide", counting)
    return seen


def test_blank_subjects_decided_once(counted: Counter[tuple[str, str | None]]) -> None:
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    result = policy.evaluate(facts)
    # `e`: f/P1 decided and kept, f/P2, f/P4 and g/Q1 (lacking ok, seen and region) its
    # rows; f/P3 (ok given) decided.  `named` reads the id: each decided.
    assert sorted(k for k in counted if k[0] == "e") == [("e", "f/P1"), ("e", "f/P3")]
    assert sorted(k for k in counted if k[0] == "named") == [
        ("named", s) for s in ("f/P1", "f/P2", "f/P3", "f/P4", "g/Q1")
    ]
    made = [d for d in result.decisions if d.provision.endswith("/e")]
    assert [d.subject for d in made] == ["f/P1", "f/P2", "f/P3", "f/P4", "g/Q1"]
    assert [d.status for d in made] == ["unknown"] * 5
    # Without explanations the rows were already the fast path's: none decided.
    counted.clear()
    assert len(policy.evaluate(facts, explain=False).decisions) == 10
    assert not [k for k in counted if k[0] == "e"]


@pytest.mark.parametrize("strict", [True, False])
def test_blank_rows_same_as_the_general_way(strict: bool) -> None:
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    run: dict[str, Any] = {"assumptions": {"strict": strict}}

    def both(f: Any) -> tuple[Any, Any]:
        fast, general = policy.evaluate(facts, **run), general_way(policy).evaluate(facts, **run)
        return f(fast), f(general)

    # Each reading of a fresh result: the texts said from the rows before the decisions
    # are made, and after.
    for read in (
        lambda r: r.explain(),
        lambda r: r.explain(lang="en"),
        lambda r: r.decision_texts(),
        lambda r: r.to_json(),
        lambda r: (r.decisions, r.explain(), r.decision_texts()),
        lambda r: [(decision_text(d), decision_text_zh(d, policy.words)) for d in r.decisions],
        lambda r: [d.trace for d in r.decisions],
    ):
        fast, general = both(read)
        assert fast == general


def test_a_refused_blank_subject_said_as_the_general_way() -> None:
    # A condition false by the assumption alone (`strict` false) refuses every blank
    # subject alike.
    text = TEXT.replace("eligible when region", "eligible when strict and region")
    policy = compile_text(text)
    facts = policy.read_facts(FACTS)
    run: dict[str, Any] = {"assumptions": {"strict": False}}
    fast, general = policy.evaluate(facts, **run), general_way(policy).evaluate(facts, **run)
    assert fast.explain() == general.explain()
    fast, general = policy.evaluate(facts, **run), general_way(policy).evaluate(facts, **run)
    assert fast.explain(lang="en") == general.explain(lang="en")
    assert fast.decision_texts() == general.decision_texts()
    assert fast.decisions == general.decisions
    assert {d.status for d in fast.decisions if d.provision.endswith("/e")} == {"not_eligible"}


def test_with_subject_is_evolve() -> None:
    policy = compile_text(TEXT)
    d = policy.evaluate(policy.read_facts(FACTS)).decisions[0]
    made = with_subject(slots_of(d), "g/Q9")
    assert made == attrs.evolve(d, subject="g/Q9")
    assert repr(made) == repr(attrs.evolve(d, subject="g/Q9"))
    assert made.trace == d.trace
    assert made.subject == "g/Q9"


SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
OVERSEAS = "jjxf_2025_50/13/overseas_registration"


def test_unknown_claims_under_shared_caps_the_fast_way(
    counted: Counter[tuple[str, str | None]],
) -> None:
    # Products lacking every fact of 第13条: unknown, each holding 100 万元 of its firm's
    # yearly cap (its year unknown: in every year).  With explanations they are rows of
    # the fast path too, each with the step saying what it holds (Rows.holds): none goes
    # the general way, and the decisions are the general way's.
    shipped = policyrules.load(SHIPPED)
    products = [{"id": f"P{n}"} for n in range(1, 4)]
    facts = shipped.read_facts({"firms": [{"id": "f", "products": products}]})
    for explain in (True, False):
        counted.clear()
        fast = shipped.evaluate(facts, explain=explain)
        mine = [d for d in fast.decisions if d.provision == OVERSEAS]
        assert not [k for k in counted if k[0] == "overseas_registration"]
        assert [d.status for d in mine] == ["unknown"] * 3
        general = general_way(shipped).evaluate(facts, explain=explain)
        assert fast.decisions == general.decisions
        if explain:
            assert [d.trace[-1].kind for d in mine] == ["reserve"] * 3
            assert "holds up to 100 万元" in mine[0].trace[-1].text
            fresh = shipped.evaluate(facts)
            assert fresh.explain() == general_way(shipped).evaluate(facts).explain()


DECIDED_BY_A_CLOSURE = """entity firm "企业"
  list firms
  fact t1: text
  fact cost: money

document d "测试"

clause 1 "条"
  quote "q"

  award a
    for each firm
    eligible when ("甲" in {"甲", t1})
    amount 10 元
    cap 100 元 per firm per year of 2026-01-01
"""


def test_a_blank_claim_a_closure_decides_goes_the_general_way() -> None:
    # With t1 not given, the condition holds by its closure alone (a Hypothesis find):
    # the paid claim's texts from its row would list t1 as not given where the general
    # way's do not; with explanations it is decided the general way, as before.
    policy = compile_text(DECIDED_BY_A_CLOSURE)
    facts = policy.read_facts({"firms": [{"id": "f0"}, {"id": "f1"}]})
    for read in (lambda r: r.explain(), lambda r: r.explain(lang="en"), lambda r: r.decisions):
        assert read(policy.evaluate(facts)) == read(general_way(policy).evaluate(facts))
    assert {d.status for d in policy.evaluate(facts).decisions} == {"eligible"}


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """The texts made from a decision, by language and provision (blank_rows' own names)."""
    seen: Counter[tuple[str, str]] = Counter()
    en, zh = blank_rows.decision_text, blank_rows.decision_text_zh

    def counted_en(d: Decision, *args: Any, **kwargs: Any) -> str:
        seen[("en", d.provision.rsplit("/", 1)[-1])] += 1
        return en(d, *args, **kwargs)

    def counted_zh(d: Decision, *args: Any, **kwargs: Any) -> str:
        seen[("zh", d.provision.rsplit("/", 1)[-1])] += 1
        return zh(d, *args, **kwargs)

    monkeypatch.setattr(blank_rows, "decision_text", counted_en)
    monkeypatch.setattr(blank_rows, "decision_text_zh", counted_zh)
    return seen


def test_blank_subjects_said_from_one_text(
    said: Counter[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `e`'s blank subjects (f/P1, f/P2, f/P4, g/Q1) are said from the kept decision's text,
    # made once a language, without making their decisions; the texts are the general way's.
    made: list[str] = []

    def counted(slots: Any, subject: str, *args: Any) -> Decision:
        made.append(subject)
        return with_subject(slots, subject, *args)

    monkeypatch.setattr(blank_rows, "with_subject", counted)
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    assert policy.evaluate(facts).explain() == general_way(policy).evaluate(facts).explain()
    assert said[("zh", "e")] == 1
    fast = policy.evaluate(facts).decision_texts()
    assert fast == general_way(policy).evaluate(facts).decision_texts()
    assert said[("en", "e")] == 1
    assert made == []  # (the kept decision's text cut around each subject)
    assert len(policy.evaluate(facts).decisions) == 10
    assert made == ["f/P2", "f/P4", "g/Q1"]  # (f/P1 decided: the one kept)


PARAMETER = TEXT.replace(
    'assumption strict: bool = true "从严"',
    'assumption strict: bool = true "从严"\nparameter floor: money "门槛"',
).replace("eligible when region", "eligible when floor > 0 元 and region")


def test_a_blank_decision_missing_a_parameter() -> None:
    # The unset parameter is missing for every subject, blank or not: the kept decision
    # names it, and so does each made from it, as the general way's do.
    policy = compile_text(PARAMETER)
    facts = policy.read_facts(FACTS)
    fast, general = policy.evaluate(facts), general_way(policy).evaluate(facts)
    assert fast.explain() == general.explain()
    fast, general = policy.evaluate(facts), general_way(policy).evaluate(facts)
    assert fast.decisions == general.decisions
    blank = [
        d for d in fast.decisions if d.provision.endswith("/e") and d.subject in ("f/P2", "g/Q1")
    ]
    assert [d.missing_parameters for d in blank] == [("floor",), ("floor",)]


def test_a_kept_unknown_decision_is_the_first_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two threads making the decision of 第13条's blank claims at once, played in one thread:
    # while the first computes it, the second (entered from inside the first) computes and
    # keeps its own.  The first must then take the one kept, not replace it: the texts are
    # found by the decision kept, and a replaced one, freed, could lend its id to another
    # (the race fixed in 6f0c590, which the threads test shows only sometimes).
    shipped = policyrules.load(SHIPPED)
    products = [{"id": f"P{n}"} for n in range(1, 4)]
    facts = shipped.read_facts({"firms": [{"id": "f", "products": products}]})
    again = rows_module.Rows.again
    runs: list[Any] = []
    inner: list[Any] = []

    def interleaved(self: Any, row: Any, hold: bool) -> Decision:
        if not inner and row[0].info.id == OVERSEAS:
            inner.append(None)  # (entered once)
            inner[0] = self._unknown_kept(row)  # the second thread, done first
            runs.append(self)
        return again(self, row, hold)

    monkeypatch.setattr(rows_module.Rows, "again", interleaved)
    mine = [d for d in shipped.evaluate(facts).decisions if d.provision == OVERSEAS]
    assert inner
    assert inner[0] is not None
    kept = [k for k in runs[0]._blank_unknown.values() if k and k[0].provision == OVERSEAS]
    assert len(kept) == 1
    assert kept[0] is inner[0]
    assert [d.subject for d in mine] == ["f/P1", "f/P2", "f/P3"]
    assert all(d.trace[:-1] == inner[0][0].trace for d in mine)  # (then what it holds)
    general = general_way(shipped).evaluate(facts).decisions
    assert mine == [d for d in general if d.provision == OVERSEAS]


def test_a_text_kept_for_another_decision_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blank text's template is kept by its decision's id; once that decision is freed, a
    # later one may take the same id.  Played here by keeping, under the id of the decision
    # kept for `e`'s blank subjects, a template of another decision before any text is said:
    # it must be made again, not said (its decision is not the one kept with it).
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    kept_of = blank_rows.BlankRows._kept_of
    planted: list[Any] = []

    def planting(self: Any, row: Any) -> Any:
        kept = kept_of(self, row)
        if kept is not None and not planted:
            made = kept[0]
            stranger = attrs.evolve(made, provision=made.provision + "x")
            template = ("另一条的文字：", None, "\n")
            for key in (("en", id(made)), ("zh", id(made), id(policy.words))):
                self._blank_said[key] = (stranger, policy.words, template)
            planted.append(made)
        return kept

    monkeypatch.setattr(blank_rows.BlankRows, "_kept_of", planting)
    general = general_way(policy)
    assert policy.evaluate(facts).decision_texts() == general.evaluate(facts).decision_texts()
    assert planted
    planted.clear()
    assert policy.evaluate(facts).explain() == general.evaluate(facts).explain()
    assert planted


SERVED_FIRST = """entity firm "企业"
  list firms
entity project "项目"
  list projects of firm
  fact ok: bool

document d "测试"

clause 1 "条"
  quote "q"

  award a
    for each project
    eligible when ok
    amount 10 元
    cap 10 元 per firm
"""


def test_a_blank_claim_served_in_natural_order_holding_nothing() -> None:
    # P9 is paid 10 元 and fills the firm's cap; P10 lacks `ok` (unknown), is served after P9
    # because 9 comes before 10 in natural order (not in text order), and holds nothing (no
    # room left).  Its decision, made from the one kept for blank claims, has the step
    # saying the order and no hold, as the general way's.
    policy = compile_text(SERVED_FIRST)
    facts = policy.read_facts(
        {"firms": [{"id": "f", "projects": [{"id": "P9", "ok": True}, {"id": "P10"}]}]}
    )
    made = policy.evaluate(facts).decisions
    assert [(d.subject, d.status) for d in made] == [("f/P9", "eligible"), ("f/P10", "unknown")]
    assert [s.kind for s in made[1].trace] == ["order", "condition"]
    assert "P9 comes before P10 in natural order" in made[1].trace[0].text
    assert made == general_way(policy).evaluate(facts).decisions


def test_a_text_not_ending_its_first_line_with_the_subject_has_no_template() -> None:
    # The cut needs the subject at the end of the first line; a text that says it elsewhere
    # only, or not at all (a renderer's layout changed), is made from each decision, not
    # cut wrongly.
    policy = compile_text(TEXT)
    facts = policy.read_facts(FACTS)
    made = next(d for d in policy.evaluate(facts).decisions if d.subject == "f/P2")
    assert made.provision.endswith("/e")
    cut = blank_rows._template(made, lambda d: f"head — {d.subject}\nrest", None)
    assert cut == ("head — ", None, "\nrest")
    assert blank_rows._template(made, lambda d: f"{d.subject} — head\nrest", None) is None
    assert blank_rows._template(made, lambda d: f"head\n{d.subject}", None) is None
    assert blank_rows._template(made, lambda d: "head\nrest", None) is None  # (not said)
    # Said at the end of the first line and again below it: not cut either.
    assert blank_rows._template(made, lambda d: f"h — {d.subject}\nr {d.subject}", None) is None
