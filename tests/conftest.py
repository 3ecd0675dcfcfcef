"""Hypothesis profiles "default", "ci", "slow" and "mutants", chosen by ``HYPOTHESIS_PROFILE``."""

from __future__ import annotations

import os

import pytest
from hypothesis import Phase, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
# Local deep runs of the fuzzers and the money properties: HYPOTHESIS_PROFILE=slow.
settings.register_profile("slow", max_examples=5000, deadline=None)
# benchmarks/mutation.py: a failing example kills the mutant, so it is not shrunk (shrinking
# under a mutant that breaks everything can take minutes and tells nothing more).
settings.register_profile(
    "mutants", max_examples=100, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the golden ``.expected`` files from the current output."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/**/*.expected from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden tests rewrite their expected files."""
    return bool(request.config.getoption("--update-golden"))


# Property and fuzz tests run hundreds of examples each (the "ci" profile: 200), which on a
# busy machine can take over a minute: they get a longer limit than pyproject.toml's
# `timeout`, still finite, so that a loop fails the test instead of hanging the run.
PROPERTY_TIMEOUT = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give the tests under tests/property the longer per-test time limit."""
    for item in items:
        if "property" in item.path.parts and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(PROPERTY_TIMEOUT))
