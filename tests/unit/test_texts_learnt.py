"""What one-firm calls share (backends/python/memos.py ``Learnt``): on the policy's
defaults, the assumptions' texts, the last paid claim's and each provision's Chinese lines
of its paid claims (``texts_zh.PaidZh``) are the compiled policy's, found by the next call
instead of made again; an evaluation given parameters or assumptions keeps its own; the
Chinese text's block of assumptions is kept by the words (explain_zh).  Each text is the
one its decisions say, under every words object, in any order of calls and threads."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.api import Policy
from policyrules.backends.python import rows_said as said_module
from policyrules.backends.python import texts_zh as texts_zh_module
from policyrules.explain import decision_text
from policyrules.explain_zh import explain_text_zh, no_words
from support import count_calls

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import one_by_one_data as data  # noqa: E402 - the benchmark's claims of measure 3


@pytest.fixture(scope="module")
def measure3(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    where = tmp_path_factory.mktemp("measure3")
    return policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", where))


def _firms(policy: Policy, n: int = 60) -> list[Any]:
    return [policy.read_facts(data.as_facts(rows)) for rows in data.by_firm(data.claims(n))]


def _from_decisions(policy: Policy, facts: Any, **kwargs: Any) -> tuple[str, list[str]]:
    """The Chinese text and the English texts as the decisions say them (each made)."""
    made = policy.evaluate(facts, **kwargs)
    return explain_text_zh(made, policy.words), [decision_text(d) for d in made.decisions]


def test_the_paid_claims_chinese_lines_are_made_once_for_many_calls(
    measure3: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    measure3.compiled.learnt.clear()
    firms = _firms(measure3)
    made = count_calls(monkeypatch, texts_zh_module, "PaidZh")
    for facts in firms:
        assert measure3.evaluate(facts).explain() == _from_decisions(measure3, facts)[0]
    # one for the assumptions every paid claim of measure 3 reads, kept by the policy
    assert len(made) == 1
    assert len(measure3.compiled.learnt[("memo", "_paid_zh")]) == 1


def test_an_evaluation_given_assumptions_keeps_its_own(measure3: Policy) -> None:
    """Between calls on the defaults (which share what they found), a call given another
    value of an assumption says that value, and the next call on the defaults the
    default's, in both languages."""
    facts = _firms(measure3, 20)[0]
    other = {"device_events_from": "2025-01-01"}
    for assumptions, zh, en in (
        (None, "2025年11月24日", "device_events_from = 2025-11-24"),
        (other, "2025年1月1日", "device_events_from = 2025-01-01"),
        (None, "2025年11月24日", "device_events_from = 2025-11-24"),
        (other, "2025年1月1日", "device_events_from = 2025-01-01"),
    ):
        result = measure3.evaluate(facts, assumptions=assumptions)
        texts = list(result.decision_texts())
        whole = measure3.evaluate(facts, assumptions=assumptions).explain()
        assert (whole, texts) == _from_decisions(measure3, facts, assumptions=assumptions)
        said = [t for t in texts if t.startswith("[ELIGIBLE]")]
        assert said
        assert all(en in t for t in said)
        paid = [b for b in whole.split("\n\n") if b.startswith("【符合条件】")]
        assert paid
        assert all(f"事件计入（{zh}）" in b for b in paid)
        block = whole.split("采用的假设：\n")[-1]
        assert f"事件计入（{zh}）" in block


def test_paid_claims_said_in_two_words_objects_call_after_call(measure3: Policy) -> None:
    """Calls said in the policy's words and in none (names for titles), alternately: each
    text is its decisions' under those words, nothing kept for one used for the other."""
    firms = _firms(measure3, 80)
    for k, facts in enumerate(firms):
        words = measure3.words if k % 2 else no_words()
        result = measure3.evaluate(facts)
        assert result._texts_zh is not None
        said = result._texts_zh(words)
        made = measure3.evaluate(facts)
        assert explain_text_zh(result, words, said=said) == explain_text_zh(made, words)
    assert "境内获批上市" in measure3.evaluate(firms[0]).explain()
    result = measure3.evaluate(firms[0])
    assert result._texts_zh is not None
    assert "境内获批上市" not in explain_text_zh(
        result, no_words(), said=result._texts_zh(no_words())
    )


def test_the_paid_chinese_lines_kept_are_bounded(
    measure3: Policy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Past the bound (here 1), what was kept (the paid claims' lines, the refused
    claims' titles) is forgotten before a call under other words."""
    monkeypatch.setattr(said_module, "PAID_ZH_MAX", 1)
    measure3.compiled.learnt.clear()
    other = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path))
    for k, facts in enumerate(_firms(measure3, 60)):
        words = measure3.words if k % 2 else other.words
        result = measure3.evaluate(facts)
        assert result._texts_zh is not None
        said = result._texts_zh(words)
        want = explain_text_zh(measure3.evaluate(facts), words)
        assert explain_text_zh(result, words, said=said) == want
        assert len(measure3.compiled.learnt[("memo", "_paid_zh")]) == 1
        assert len(measure3.compiled.learnt.get(("memo", "_titled_zh"), {})) <= 1
    assert ("memo", "_titled_zh") in measure3.compiled.learnt  # (a claim refused said)


def test_two_policies_keep_their_own(tmp_path: Path) -> None:
    """Two policies of measure 3, one with its clause's own title changed: each call says
    its own policy's words, alternately."""
    first = policyrules.load(data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path / "a"))
    copy = data.measure3_only(ROOT / "policies" / "beijing_2025", tmp_path / "b")
    rule = copy / "jjxf-2025-50.rule"
    text = rule.read_text(encoding="utf-8")
    assert "创新医疗器械获批上市一次性奖励" in text
    rule.write_text(text.replace("创新医疗器械获批上市一次性奖励", "改过的奖励"), "utf-8")
    second = policyrules.load(copy)
    for facts in data.by_firm(data.claims(60)):
        for policy, title in ((first, "创新医疗器械获批上市一次性奖励"), (second, "改过的奖励")):
            read = policy.read_facts(data.as_facts(facts))
            whole = policy.evaluate(read).explain()
            assert whole == _from_decisions(policy, read)[0]
            assert f"第3条 {title}" in whole


def test_threads_saying_calls_at_once(measure3: Policy) -> None:
    """Eight threads evaluating and saying firms at once, from nothing kept: every text is
    the one its decisions say."""
    firms = _firms(measure3, 400)
    want = [_from_decisions(measure3, facts) for facts in firms]
    measure3.compiled.learnt.clear()
    start = threading.Barrier(8)
    got: dict[int, tuple[str, list[str]]] = {}
    errors: list[BaseException] = []

    def work(mine: range) -> None:
        try:
            start.wait()
            for k in mine:
                facts = firms[k]
                got[k] = (
                    measure3.evaluate(facts).explain(),
                    list(measure3.evaluate(facts).decision_texts()),
                )
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(range(t, len(firms), 8),)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [got[k] for k in range(len(firms))] == want
