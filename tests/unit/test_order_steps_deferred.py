"""The natural-order step of a fused award's claim is found when the decisions are made,
not while the claims are served: only a trace shows it, and the texts without the trace
(``decision_texts``) are rendered without it.  Whatever is read first, each decision made
carries it.

The award: products P10 and P9 of one firm (in that order in the facts), each its decided
amount, 300 万元 a firm.  Served in natural order: P9 first, 200 万元; then P10,
min(200, 300 − 200) = 100 万元 (cut by 100).  "P10" < "P9" as text, so P10's trace says
natural order put P9 first.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from policyrules import Decision, Money
from policyrules.backends.python import fastpath
from policyrules.explain import decision_text
from policyrules.exprs import Env
from strategies import compile_text
from support import WAN, products_head

POLICY = (
    products_head("awarded: money")
    + """
  award a
    for each product
    amount decided awarded
    cap 300 万元 per firm
"""
)
FACTS = {
    "firms": [
        {
            "id": "f1",
            "products": [{"id": "P10", "awarded": "200万元"}, {"id": "P9", "awarded": "200万元"}],
        }
    ]
}
STEP = (
    "served after f1/P9 (d/1/a): product id P9 comes before P10 in natural order "
    "(digit runs compare as numbers)"
)


def _steps(decisions: tuple[Decision, ...]) -> dict[str, list[str]]:
    return {str(d.subject): [s.text for s in d.trace if s.kind == "order"] for d in decisions}


def test_decisions_made_after_the_texts_carry_the_order_step() -> None:
    result = compile_text(POLICY).evaluate(FACTS)
    texts = result.decision_texts()
    decisions = result.decisions
    assert {d.subject: d.amount for d in decisions} == {
        "f1/P10": Money(100 * WAN),  # 300 − 200 (P9 served first)
        "f1/P9": Money(200 * WAN),
    }
    assert _steps(decisions) == {"f1/P10": [STEP], "f1/P9": []}
    assert list(texts) == [decision_text(d) for d in decisions]
    assert STEP in result.explain(verbose=True, lang="en")


def test_the_texts_do_not_look_for_order_steps(monkeypatch: Any) -> None:
    def refuse(*_: Any) -> Any:
        raise AssertionError("looked for order steps")

    policy = compile_text(POLICY)
    monkeypatch.setattr(fastpath, "natural_steps", refuse)
    result = policy.evaluate(FACTS)
    assert len(result.decision_texts()) == 2
    assert "f1/P10" in result.explain(lang="en")
    with pytest.raises(AssertionError, match="looked for order steps"):
        result.decisions  # noqa: B018 - made now, with their steps


def test_two_threads_making_the_decisions_both_see_the_step() -> None:
    for _ in range(20):
        result = compile_text(POLICY).evaluate(FACTS)
        start = threading.Barrier(2)
        seen: list[dict[str, list[str]]] = []

        def read(result: Any, start: threading.Barrier, seen: list[Any]) -> None:
            start.wait()
            seen.append(_steps(result.decisions))

        threads = [threading.Thread(target=read, args=(result, start, seen)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen == [{"f1/P10": [STEP], "f1/P9": []}] * 2


def test_an_interrupted_reading_leaves_the_steps_to_the_next(monkeypatch: Any) -> None:
    """An error while the steps are found (here once, on purpose) leaves them to the next
    reading of the decisions: none is lost, none put twice."""
    policy = compile_text(POLICY)
    result = policy.evaluate(FACTS)
    real = fastpath.natural_steps
    calls: list[int] = []

    def once(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("interrupted")
        return real(*args)

    monkeypatch.setattr(fastpath, "natural_steps", once)
    with pytest.raises(RuntimeError, match="interrupted"):
        result.decisions  # noqa: B018
    assert _steps(result.decisions) == {"f1/P10": [STEP], "f1/P9": []}
    assert _steps(result.decisions) == {"f1/P10": [STEP], "f1/P9": []}
    assert len(calls) == 2


def _reaches_env(root: object) -> bool:
    """Whether an Env is reachable from ``root`` through its slots and containers."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        x = todo.pop()
        if id(x) in seen or isinstance(x, (str, int, type(None))):
            continue
        seen.add(id(x))
        if isinstance(x, Env):
            return True
        if isinstance(x, (tuple, list, set, frozenset)):
            todo.extend(x)
        elif isinstance(x, dict):
            todo.extend(x.values())
        elif x is root:
            todo.extend(getattr(x, name) for name in type(x).__slots__)  # type: ignore[attr-defined]
    return False


def test_the_keys_kept_for_the_steps_hold_no_env() -> None:
    """A claim keyed the general way (its `order by` fact missing: an Env made for it) is
    kept for its step by what the step reads, not with its Env (an Env a claim, kept
    with the result until its decisions are made, was some 2.5 KB a claim)."""
    policy = compile_text(
        products_head("awarded: money", "code: text")
        + """
  award a
    for each product
    amount decided awarded
    cap 300 万元 per firm
    order by code
"""
    )
    products = [
        {"id": "P10", "awarded": "200万元", "code": "x"},
        {"id": "P9", "awarded": "200万元"},  # no code: keyed the general way
        {"id": "P8", "awarded": "100万元", "code": "x"},
    ]
    result = policy.evaluate({"firms": [{"id": "f1", "products": products}]})
    run = next(
        c.cell_contents
        for c in result._make.__closure__ or ()
        if hasattr(c.cell_contents, "unordered")
    )
    [(_, served)] = run.unordered
    keys = served.keys()
    assert len(keys) == 3
    assert [x[-1] for x in keys] == [None, None, None]
    assert not _reaches_env(served)  # nor kept beside the keys once the claim was served
    made = result.decisions
    assert run.unordered == []
    # P9 first (its key unknown, as early as it could be); P8 before P10: same code, and
    # "P8" < "P10" only in natural order.
    assert _steps(made)["f1/P10"] == [
        "served after f1/P8 (d/1/a): product id P8 comes before P10 in natural order "
        "(digit runs compare as numbers)"
    ]
