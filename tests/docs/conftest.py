"""The browser tests' shared fixtures: headless Chromium and where screenshots go
(test_browser.py: the docs site; test_calculator_browser.py: the calculator page)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The flags of a quiet, offline headless Chromium (no updates, sync or first-run pages).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium: ``CHROMIUM``'s binary, else /usr/bin/chromium."""
    chromium = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        pytest.fail(
            f"no Chromium at {chromium}: run scripts/install-chromium.sh, which installs "
            "Debian's chromium and prints its path, and pass it as CHROMIUM=<path>"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[browser]'")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go (kept with pytest's temporary directories)."""
    path = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {path}")
    return path
