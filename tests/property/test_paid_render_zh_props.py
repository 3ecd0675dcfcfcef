"""A paid claim's whole Chinese text said by the function generated for its plan's caps
(``backends/python/texts_zh_gen.py``) is the text the general loop of
``texts_zh.paid_text_zh`` says, character for character.

Each paid claim of an evaluation is said twice: as the whole text says it (the generated
function first), and by the loop alone (a fresh memo whose plans get no generated
function).  Over measure 3's claims with caps binding, earlier grants on their accounts,
facts missing and ids to escape; and over the one-by-one benchmark's claims."""

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
from policyrules.backends.python import rows_said, texts_zh
from strategies import agreeing, launch_claims, within_caps

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies" / "beijing_2025"


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return policyrules.load(SHIPPED)


@contextmanager
def _recorded() -> Iterator[list[tuple[Any, ...]]]:
    """The arguments of every paid claim's text said meanwhile."""
    calls: list[tuple[Any, ...]] = []
    real = rows_said.paid_text_zh

    def record(*args: Any) -> str | None:
        calls.append(args)
        return real(*args)

    with mock.patch.object(rows_said, "paid_text_zh", record):
        yield calls


def _none_maker(scoped: tuple[bool, ...]) -> Any:
    return lambda *_: lambda row: None


def _said_alike(policy: Policy, facts: Any, **run: Any) -> int:
    """Each paid claim's text said by the generated function, then by the loop alone:
    the same; how many the generated function said."""
    with _recorded() as calls:
        policy.evaluate(facts, **run).explain()
    rendered = 0
    for args in calls:
        said = texts_zh.paid_text_zh(*args)
        run_zh, plan_said, cp, row = args
        last = run_zh[6][0]
        if last is not None and last[3].render is not None:
            rendered += last[3].render(row) is not None
        alone = (*run_zh[:5], {}, [None])  # a fresh memo: PaidZh made anew
        with mock.patch.object(texts_zh, "paid_said_zh", _none_maker):
            loop = texts_zh.paid_text_zh(alone, plan_said, cp, row)
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
