"""A paid claim's whole English text said by the function generated for its plan's caps
(``backends/python/texts_en_gen.py``) is the text the general loop of
``texts.paid_text`` says, character for character.

Each paid claim of an evaluation is said twice: as ``decision_texts()`` says it (the
generated function first, from the second claim of a run of claims of the same
assumptions), and by the loop alone (a fresh memo, whose plans get no generated function).
Over measure 3's claims with caps binding, earlier grants on their accounts, facts missing
and ids to escape; and over the one-by-one benchmark's claims."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings

import policyrules
from policyrules import Grant
from policyrules.api import Policy
from policyrules.backends.python import rows_said, texts
from strategies import agreeing, launch_claims, within_caps

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


@contextmanager
def _recorded() -> Iterator[list[tuple[Any, ...]]]:
    """The arguments of every paid claim's text said meanwhile, and the memo as each
    found it."""
    calls: list[tuple[Any, ...]] = []
    real = rows_said.paid_text

    def record(*args: Any) -> str | None:
        calls.append((*args, args[0][4][0]))
        return real(*args)

    with mock.patch.object(rows_said, "paid_text", record):
        yield calls


def _none_maker(scoped: tuple[bool, ...]) -> Any:
    return lambda *_: lambda row, tail: None


def _said_alike(policy: Policy, facts: Any, **run: Any) -> int:
    """Each paid claim's text said as decision_texts() says it, then by the loop alone:
    the same; how many the generated function said."""
    with _recorded() as calls:
        policy.evaluate(facts, **run).decision_texts()
    rendered = 0
    for run_en, plan_said, cp, row, last in calls:
        said = texts.paid_text((*run_en[:4], [last]), plan_said, cp, row)
        if last is not None and last[1] is plan_said[0] and last[3] is not None:
            rendered += last[3](row, last[2]) is not None
        alone = (*run_en[:4], [None])  # a fresh memo: no function tried
        fresh = (*plan_said[:3], {})
        with mock.patch.object(texts, "paid_said_en", _none_maker):
            loop = texts.paid_text(alone, fresh, cp, row)
        assert said == loop
    return rendered


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(launch_claims())
def test_generated_text_is_the_loops(
    shipped: Policy, claims: tuple[dict[str, Any], list[Grant]]
) -> None:
    raw, grants = claims
    facts = shipped.read_facts(raw)
    ledger = agreeing(shipped, facts, within_caps(shipped, grants))
    rendered = _said_alike(shipped, facts, ledger=ledger)
    event(f"said by the generated function: {bool(rendered)}")


def test_benchmark_claims_said_alike() -> None:
    """The one-by-one benchmark's claims (earlier claims on the firm-year cap, past 3 of
    them, caps binding): most said by the generated function, each as the loop says it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import one_by_one_data as data
    finally:
        sys.path.pop(0)
    with tempfile.TemporaryDirectory() as tmp:
        policy = policyrules.load(data.measure3_only(SHIPPED, tmp))
    facts = policy.read_facts(data.as_facts(data.claims(400)))
    assert _said_alike(policy, facts) > 250
