"""Where the browser tests' screenshots go (test_browser.py: the docs site;
test_calculator_browser.py: the calculator page).  Their headless Chromium, the ``browser``
fixture, is tests/conftest.py's, shared with the unit tests that run JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go (kept with pytest's temporary directories)."""
    path = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {path}")
    return path
