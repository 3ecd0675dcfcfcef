"""Hypothesis profiles "default", "ci" and "slow", chosen by ``HYPOTHESIS_PROFILE``."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
# Local deep runs of the fuzzers and the money properties: HYPOTHESIS_PROFILE=slow.
settings.register_profile("slow", max_examples=5000, deadline=None)
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
