"""A loaded policy pickles (a process pool's workers get it so), and decides as it did.

Before, ``pickle.dumps(policy)`` failed (the compiled evaluators are closures and generated
functions), ``copy.deepcopy(policy)`` failed too, and ``copy.copy`` made a second policy.
Now a pickle carries the texts the policy was made from (its ``.rule`` files' and its
documents' sources) and unpickling parses, checks and compiles them again: no file is read.
"""

from __future__ import annotations

import copy
import functools
import multiprocessing
import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import PolicyRulesError, Result
from policyrules.cases import case_files, load_case_file
from policyrules.instances import Facts
from support import BEIJING, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(BEIJING)


@pytest.fixture(scope="module")
def again(beijing: policyrules.Policy) -> policyrules.Policy:
    back: policyrules.Policy = pickle.loads(pickle.dumps(beijing))
    return back


def _decisions(result: Result) -> list[tuple[object, ...]]:
    return [
        (d.provision, d.subject, d.status, d.amount, d.amount_kind, d.amount_min)
        for d in result.decisions
    ]


def _same(first: Result, second: Result) -> None:
    assert _decisions(second) == _decisions(first)
    assert second == first
    assert second.grants == first.grants
    assert second.explain() == first.explain()
    assert second.explain(lang="en") == first.explain(lang="en")
    assert second.to_json() == first.to_json()


def _outcome(policy: policyrules.Policy, facts: Any) -> Result | str:
    try:
        return policy.evaluate(facts)
    except PolicyRulesError as exc:
        return f"{type(exc).__name__}: {exc}"


def test_the_shipped_policy_round_trips(
    beijing: policyrules.Policy, again: policyrules.Policy
) -> None:
    assert again is not beijing
    assert again.path == beijing.path
    assert again.checked == beijing.checked
    assert again.checked.sources == beijing.checked.sources
    assert again.texts == beijing.texts
    assert [p.info.id for p in again.compiled.provisions] == [
        p.info.id for p in beijing.compiled.provisions
    ]
    assert again.checked.warnings == beijing.checked.warnings


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_unpickled_policy_decides_the_examples_as_the_original(
    beijing: policyrules.Policy, again: policyrules.Policy, example: Path
) -> None:
    facts = beijing.load_facts(example)
    assert again.load_facts(example) == facts
    first = beijing.evaluate(facts, facts_file=str(example))
    assert first.decisions  # (the examples decide something)
    _same(first, again.evaluate(facts, facts_file=str(example)))
    # the example's facts and the decisions go to a worker and back
    _same(first, pickle.loads(pickle.dumps(again.evaluate(pickle.loads(pickle.dumps(facts))))))


def test_the_unpickled_policy_decides_every_worked_case_as_the_original(
    beijing: policyrules.Policy, again: policyrules.Policy
) -> None:
    cases = [c for f in case_files([BEIJING / "cases"]) for c in load_case_file(f).cases]
    assert len(cases) > 100
    for case in cases:
        first, second = _outcome(beijing, case.facts), _outcome(again, case.facts)
        if isinstance(first, Result) and isinstance(second, Result):
            _same(first, second)
        else:  # a case whose facts are refused is refused alike
            assert second == first


def test_a_policy_whose_files_are_gone_still_unpickles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pickle carries the texts: the directory, loaded by a relative path, is deleted
    before unpickling, in another working directory."""
    shutil.copytree(BEIJING, tmp_path / "pol", ignore=shutil.ignore_patterns("cases"))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    policy = policyrules.load("pol")
    facts = policy.load_facts(ROOT / "examples" / "firm-a.yaml")
    first = policy.evaluate(facts)
    blob = pickle.dumps(policy)
    shutil.rmtree(tmp_path / "pol")
    monkeypatch.chdir(tmp_path / "elsewhere")
    again = pickle.loads(blob)
    assert again.path == Path("pol")  # as given: a name, never read again
    assert again.checked.sources == policy.checked.sources
    _same(first, again.evaluate(facts))
    with pytest.raises(PolicyRulesError):
        policyrules.load("pol")  # (there is nothing to read)


def test_unpickling_in_one_process_compiles_a_policy_once(
    beijing: policyrules.Policy, again: policyrules.Policy
) -> None:
    """``pool.map(policy.evaluate, ...)`` sends the policy with every task."""
    blob = pickle.dumps(beijing.evaluate)
    assert pickle.loads(blob).__self__ is again
    assert pickle.loads(pickle.dumps(again)) is again


def test_a_policy_built_from_a_checked_policy_pickles(beijing: policyrules.Policy) -> None:
    """Made without its texts (a checked policy compiled by hand): the pickle carries the
    checked policy, which is compiled again."""
    text = (BEIJING / "jjxf-2025-50.rule").read_text("utf-8")
    common = (BEIJING / "common.rule").read_text("utf-8")
    modules = [policyrules.parse(common, "common.rule"), policyrules.parse(text, "j.rule")]
    checked = policyrules.check(modules, sources=beijing.checked.sources)  # (no texts)
    policy = policyrules.Policy(checked, policyrules.compile_policy(checked), Path("."))
    again = pickle.loads(pickle.dumps(policy))
    assert again.texts is None
    assert again.checked == checked
    facts = {"firms": [{"id": "f", "products": [{"id": "p"}]}]}
    _same(policy.evaluate(facts), again.evaluate(facts))


def test_facts_and_results_round_trip(beijing: policyrules.Policy) -> None:
    facts = beijing.load_facts(ROOT / "examples" / "firm-a.yaml")
    back = pickle.loads(pickle.dumps(facts))
    assert isinstance(back, Facts)
    assert back == facts
    assert back.extra == facts.extra
    assert back.read_ids is back.instances  # still known as a reader made them
    assert back.ids() == facts.ids()
    built = beijing.read_facts({"firms": [{"id": "f", "products": [{"id": "p"}]}]})
    assert pickle.loads(pickle.dumps(built)) == built
    result = beijing.evaluate(facts)
    _same(result, pickle.loads(pickle.dumps(result)))


def test_a_copy_of_a_policy_is_the_policy(beijing: policyrules.Policy) -> None:
    """Immutable: copied, or deep-copied inside other values, it is itself (before, a deep
    copy raised TypeError, and a copy was a second policy)."""
    assert copy.copy(beijing) is beijing
    assert copy.deepcopy(beijing) is beijing
    held: dict[str, Any] = {"policy": beijing, "firms": [beijing]}
    deep = copy.deepcopy(held)
    assert deep["policy"] is beijing
    assert deep["firms"][0] is beijing


def test_a_process_pool_decides_as_this_process(beijing: policyrules.Policy) -> None:
    """Spawned workers (nothing inherited by fork) get the policy with each task."""
    facts = [beijing.load_facts(p) for p in EXAMPLES]
    here = [beijing.evaluate(f) for f in facts]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        there = list(pool.map(beijing.evaluate, facts))
        plain = list(pool.map(functools.partial(beijing.evaluate, explain=False), facts))
    for mine, theirs in zip(here, there, strict=True):
        _same(mine, theirs)
    assert [_decisions(r) for r in plain] == [_decisions(r) for r in here]
