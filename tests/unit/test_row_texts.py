"""A paid claim's English text rendered from its row (backends/python/texts.py): the
lines a decision of the frequent kind shows, no decision made, input escaped."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest

import policyrules
from policyrules.backends.python import failed as failed_module
from policyrules.backends.python import rows as rows_module
from policyrules.backends.python import rows_said as said_module
from policyrules.backends.python import trusted as trusted_module
from policyrules.errors import FactsError
from policyrules.explain import decision_text, explain_text
from strategies import compile_text
from support import RATED_RULES, SHARE_RULES, TIMED_RULES, count_calls

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import one_by_one_data as data  # noqa: E402 - the benchmark's claims of measure 3


def test_a_paid_claim_with_a_parameter_said_from_its_row() -> None:
    policy = compile_text(SHARE_RULES)
    facts = {
        "firms": [
            {"id": "f1", "base": "500 万元", "remark": "-"},
            {"id": "f2", "base": "100 万元", "remark": "-"},
        ]
    }
    rendered = policy.evaluate(facts, parameters={"share": "30%"})
    said = rendered._said()
    assert [type(x) for x in said] == [str, str]
    made = policy.evaluate(facts, parameters={"share": "30%"})
    assert rendered.decision_texts() == tuple(decision_text(d) for d in made.decisions)
    f1, f2 = rendered.decision_texts()
    # f1: 500 万元 × 30% = 150 万元, cut to 100 万元 by the cap (150 − 100 = 50 万元 cut)
    assert "  amount: 100 万元 (exact)" in f1
    assert "BINDS: 150 万元 cut by 50 万元 to 100 万元" in f1
    # f2: 100 万元 × 30% = 30 万元, under the cap
    assert "  amount: 30 万元 (exact)" in f2
    assert "  parameters: share = 30%" in f2
    assert "  facts: firm.base = 100 万元; firm.remark = -" in f2


def test_measure_3_texts_make_no_paid_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    with_all = policyrules.load(ROOT / "policies" / "beijing_2025")
    rows = data.claims(200)
    facts = with_all.read_facts(data.as_facts(rows))
    want = with_all.evaluate(facts)
    texts = tuple(decision_text(d) for d in want.decisions)
    whole = explain_text(want)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a decision was made to say it")

    monkeypatch.setattr(rows_module, "paid_decision", refused)
    with monkeypatch.context() as inner:
        # every claim of measure 3 is paid or refused by a condition: none made, for the
        # texts of each or for the whole text (the claims not eligible in a line each)
        inner.setattr(rows_module, "failed_decision", refused)
        assert with_all.evaluate(facts).decision_texts() == texts
        assert with_all.evaluate(facts).explain(lang="en") == whole
    got = with_all.evaluate(facts)
    # made afterwards, a paid decision is made: refused
    with pytest.raises(AssertionError, match="to say it"):
        got.decisions  # noqa: B018


@pytest.mark.parametrize(
    ("ident", "remark"),
    [
        ("f1", "f\x1b[2J\u202e1"),  # a text fact: an escape sequence, a bidi override
        ("f1", "x\u2028y"),  # a text fact's line separator (an id's is refused: E303)
        ("f\u00e91", "\u2066x"),  # an id not in ASCII, nothing to escape; an isolate
    ],
)
@pytest.mark.parametrize("amount", ["base * share", "base"])  # a closure, or one fact
def test_rendering_from_rows_escapes_the_input(
    monkeypatch: pytest.MonkeyPatch, ident: str, remark: str, amount: str
) -> None:
    policy = compile_text(SHARE_RULES.replace("amount base * share", f"amount {amount}"))
    facts = {"firms": [{"id": ident, "base": "10 万元", "remark": remark}]}
    made = [decision_text(d) for d in policy.evaluate(facts, parameters={"share": "50%"}).decisions]
    built = count_calls(monkeypatch, trusted_module, "decision")
    (text,) = policy.evaluate(facts, parameters={"share": "50%"}).decision_texts()
    assert built == []
    assert [text] == made
    for unsafe in ("\x1b", "\u202e", "\u2066", "\u2028"):
        assert unsafe not in text
    assert "\\u202e" in text or "\\u2066" in text or "\\u2028" in text or "f\u00e91" in text


def test_one_result_said_and_made_by_several_threads_at_once() -> None:
    """Threads saying and making one result's decisions at once (a service may share a
    result) each get the whole, the same: the evaluation's memos are read and written
    whole."""
    with_all = policyrules.load(ROOT / "policies" / "beijing_2025")
    facts = with_all.read_facts(data.as_facts(data.claims(300)))
    want = with_all.evaluate(facts)
    texts = tuple(decision_text(d) for d in want.decisions)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switched as often as they can be: races show
    try:
        _said_at_once(with_all, facts, want, texts)
    finally:
        sys.setswitchinterval(switch)


def _said_at_once(with_all: Any, facts: Any, want: Any, texts: tuple[str, ...]) -> None:
    for _ in range(3):
        shared = with_all.evaluate(facts)
        with ThreadPoolExecutor(max_workers=4) as pool:
            said = [pool.submit(shared.decision_texts) for _ in range(3)]
            made = pool.submit(getattr, shared, "decisions")
            granted = pool.submit(getattr, shared, "grants")
            assert all(f.result() == texts for f in said)
            assert made.result() == want.decisions
            assert granted.result() == want.grants


def test_claims_refused_alike_are_reasoned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three firms refused for the same values of the facts the conditions read are
    reasoned once in an evaluation; their texts differ only in the subject, each equal
    to ``decision_text`` of its decision.  A score written ``50.0`` is keyed by its
    digits, apart from ``50`` (a number's text may keep them), and another kind of firm
    is reasoned on its own."""
    policy = compile_text(RATED_RULES)
    firms = [
        {"id": "f1", "score": "50", "kind": "a", "since": "2025-01-01"},
        {"id": "f2", "score": "50", "kind": "a", "since": "2026-01-01"},  # unread: alike
        {"id": "f3", "score": "50", "kind": "a", "since": "2025-01-01"},
        {"id": "f4", "score": "50.0", "kind": "a", "since": "2025-01-01"},
        {"id": "f5", "score": "50", "kind": "b", "since": "2025-01-01"},
    ]
    facts = {"firms": firms}
    made = tuple(decision_text(d) for d in policy.evaluate(facts).decisions)
    calls: list[str] = []
    real = failed_module.failed_reasons

    def counted(cp: object, env: object, row: tuple[object, ...], *rest: object) -> object:
        calls.append(row[2][-1][1])  # type: ignore[index]
        return real(cp, env, row, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(said_module, "failed_reasons", counted)
    said = policy.evaluate(facts).decision_texts()
    assert said == made
    assert calls == ["f1", "f4", "f5"]
    assert "because: score >= 60 does not hold (score = 50)" in said[0]
    assert said[0].replace("f1", "f2") == said[1]


def test_a_refusal_key_holds_what_the_text_says() -> None:
    """The key of a refused claim (what its reasons, facts and assumptions' texts can
    depend on): the assumptions read before, each fact's value by its kind and, for a
    number, its digits; no key for a value of a kind not keyed."""
    from decimal import Decimal

    from policyrules.backends.python.failed import refusal_key
    from policyrules.instances import Instance

    def firm(**values: object) -> Instance:
        return Instance("firm", "f1", dict(values), None, "firms[0]")

    reads = (("firm", "score"), ("firm", "kind"))
    one = refusal_key(reads, firm(score=Decimal("1"), kind="a"), set())
    assert one is not None
    assert one == refusal_key(reads, firm(score=Decimal("1"), kind="a"), set())
    assert one != refusal_key(reads, firm(score=Decimal("1.0"), kind="a"), set())
    assert one != refusal_key(reads, firm(score=Decimal("1"), kind="a"), {"x"})
    assert one != refusal_key(reads, firm(score=Decimal("1"), kind="b"), set())
    text = refusal_key(reads, firm(score=Decimal("1"), kind="1"), set())
    assert text != refusal_key(reads, firm(score=Decimal("1"), kind=Decimal("1")), set())
    assert one != refusal_key(reads, firm(kind="a"), set())  # the score missing
    sets = refusal_key(reads, firm(score=Decimal("1"), kind=frozenset({"a"})), set())
    assert sets is not None
    assert refusal_key(reads, firm(score=Decimal("1"), kind=frozenset({Decimal(1)})), set()) is None
    assert refusal_key(reads, firm(score=Decimal("1"), kind=object()), set()) is None
    assert refusal_key(reads, firm(score=Decimal("1"), kind=frozenset()), set()) is not None

    class Name(str):
        pass

    assert refusal_key(reads, firm(score=Decimal("1"), kind=frozenset({Name("a")})), set()) is None


def test_a_refusal_key_of_the_claims_own_facts_makes_no_chain(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Measure 3's conditions read only the product's own facts: the keys of its refused
    claims read them from the product, the chain of its owners (firm, product) not made;
    the texts are the decisions' all the same."""
    from policyrules.instances import Instance

    policy = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path))
    rows = data.claims(60)
    facts = data.as_facts(rows)
    made = tuple(decision_text(d) for d in policy.evaluate(facts).decisions)
    refused = sum(not (routed or other) for _, _, _, routed, other, _ in rows)
    assert refused  # (60 claims: some came through no route, and no other project either)
    result = policy.evaluate(facts)
    chains = count_calls(monkeypatch, Instance, "chain")
    real = said_module.refusal_key
    keys: list[int] = []  # the chains made by each key

    def key(*args: Any) -> Any:
        before = len(chains)
        got = real(*args)
        keys.append(len(chains) - before)
        return got

    monkeypatch.setattr(said_module, "refusal_key", key)
    assert result.decision_texts() == made
    assert len(keys) >= refused
    assert set(keys) == {0}


def test_a_refused_claim_said_from_its_row_is_its_decisions_text() -> None:
    """A claim refused by a condition (remark withdrawn; base 0 元 fails the other): its
    text, made once for the claims refused alike and headed by its own subject, is
    ``decision_text`` of its decision, character for character.  A subject whose id holds
    a line separator, which its head line would print, is refused before (E303)."""
    policy = compile_text(SHARE_RULES)
    firms = [
        {"id": "f1", "base": "0 元", "remark": "withdrawn"},
        {"id": "g2", "base": "0 元", "remark": "withdrawn"},  # refused alike: said once
    ]
    facts = {"firms": firms}
    params = {"share": "50%"}
    made = [decision_text(d) for d in policy.evaluate(facts, parameters=params).decisions]
    said = list(policy.evaluate(facts, parameters=params).decision_texts())
    assert said == made
    assert said[0].startswith("[NOT ELIGIBLE]")
    firms[0]["id"] = "f\u20281"
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts, parameters=params)
    assert info.value.diagnostics[0].code == "E303"


def test_evaluations_on_the_defaults_learn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """What an evaluation learns to explain a provision (the plan of its paid claims, the
    refusals said) is kept by the compiled policy for the next evaluation on the defaults
    themselves (no parameter or assumption given), and learnt again by one given its own
    (here the defaults' copies: equal, not the same); every text stays ``decision_text``
    of its decision."""
    from policyrules.backends.python import evaluate as evaluate_module
    from policyrules.backends.python import paid as paid_module
    from policyrules.runtime.calendar import WorkCalendar
    from policyrules.runtime.ledger import Ledger

    with_all = policyrules.load(ROOT / "policies" / "beijing_2025")
    compiled = attrs.evolve(with_all.compiled)  # nothing learnt yet
    claims = data.claims(60)
    first = with_all.read_facts(data.as_facts(claims[:40]))
    second = with_all.read_facts(data.as_facts(claims[:20] + claims[40:]))  # 20 seen before
    plans: list[str] = []
    reasoned: list[str] = []
    real_plan, real_reasons = paid_module.paid_plan, failed_module.failed_reasons

    def plan(cp: Any, *rest: Any) -> Any:
        plans.append(cp.info.id)
        return real_plan(cp, *rest)

    def reasons(cp: Any, env: Any, row: Any, *rest: Any) -> Any:
        reasoned.append("/".join(i for _, i in row[2]))
        return real_reasons(cp, env, row, *rest)

    monkeypatch.setattr(rows_module, "paid_plan", plan)
    monkeypatch.setattr(said_module, "failed_reasons", reasons)

    def said(facts: Any, params: Any, assume: Any) -> tuple[str | Any, ...]:
        got = evaluate_module.evaluate(
            compiled, facts, ledger=Ledger(()), parameters=params, assumptions=assume,
            calendar=WorkCalendar(), explain=True,
        )  # fmt: skip
        texts = got.decision_texts()
        again = evaluate_module.evaluate(
            compiled, facts, ledger=Ledger(()), parameters=params, assumptions=assume,
            calendar=WorkCalendar(), explain=True,
        )  # fmt: skip
        assert texts == tuple(decision_text(d) for d in again.decisions)
        return texts

    defaults = compiled.parameter_defaults, compiled.assumption_defaults
    said(first, *defaults)
    assert plans.count(data.MEASURE3) == 1
    refused_first = list(reasoned)
    said(second, *defaults)
    assert plans.count(data.MEASURE3) == 1  # kept
    # the second run's refusals of the 20 claims seen before are kept, not reasoned again
    seen = {f"{c[0]}/P{c[1]}" for c in claims[:20]}
    again = [r for r in reasoned[len(refused_first) :] if r in seen]
    assert again == []
    said(second, dict(defaults[0]), dict(defaults[1]))
    # its own parameters and assumptions: each of its two runs (texts, decisions) learns
    assert plans.count(data.MEASURE3) == 3


def test_the_refusals_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound (here 2 a provision), a refusal is said but not kept: five firms
    refused for five different scores keep two, and every text is still its decision's."""
    monkeypatch.setattr(said_module, "REFUSALS_MAX", 2)
    policy = compile_text(RATED_RULES)
    firms = [
        {"id": f"f{k}", "score": str(50 + k), "kind": "a", "since": "2025-01-01"} for k in range(5)
    ]
    facts = {"firms": firms}
    made = tuple(decision_text(d) for d in policy.evaluate(facts).decisions)
    result = policy.evaluate(facts)
    assert result.decision_texts() == made
    kept = policy.compiled.learnt[("refused", "d/1/grant")][-1]
    assert len(kept) == 2


def test_refusals_past_the_bound_are_reasoned_once_a_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the bound (here 2), a refusal is kept while the rows are said: ten firms
    refused for five scores (two each) are reasoned five times, not 2 + 3 × 2 = 8; the next
    evaluation again only the three the policy did not keep."""
    monkeypatch.setattr(said_module, "REFUSALS_MAX", 2)
    policy = compile_text(RATED_RULES)
    firms = [
        {"id": f"f{k}", "score": str(50 + k % 5), "kind": "a", "since": "2025-01-01"}
        for k in range(10)
    ]
    facts = {"firms": firms}
    made = tuple(decision_text(d) for d in policy.evaluate(facts).decisions)
    calls = count_calls(monkeypatch, said_module, "failed_reasons")
    policy.compiled.learnt.clear()
    assert policy.evaluate(facts).decision_texts() == made
    assert len(calls) == 5
    calls.clear()
    result = policy.evaluate(facts)
    assert result.decision_texts() == made
    assert len(calls) == 3
    calls.clear()  # let go once said: read again, reasoned again (nothing kept with it)
    assert result.decision_texts() == made
    assert len(calls) == 3


def test_a_refused_claim_lists_no_days_the_last_deadline_counted() -> None:
    """A claim refused by a condition lists its own assumptions only: the deadline
    decided last in the evaluation counted working days into 2027 (not published;
    projected), and notes the holiday assumption on its own decision, not on the refused
    claim's text."""
    policy = compile_text(TIMED_RULES)
    firm = {"id": "f1", "score": "50", "submitted_on": "2026-12-20"}
    facts = {"firms": [firm]}
    run: dict[str, Any] = {"assumptions": {"holiday_schedule": "statutory_projection"}}
    made = policy.evaluate(facts, **run).decisions
    said = policy.evaluate(facts, **run).decision_texts()
    assert said == tuple(decision_text(d) for d in made)
    refused, timed = said
    assert refused.startswith("[NOT ELIGIBLE]")
    assert "holiday_schedule" in timed  # the deadline counted into 2027
    assert "holiday_schedule" not in refused
