"""Hypothesis profiles "default", "ci", "slow" and "mutants", chosen by ``HYPOTHESIS_PROFILE``;
the headless Chromium of the browser tests (tests/docs) and of the tests that run the
project's JavaScript or its JSON Schema's ECMA 262 patterns (tests/unit), one per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

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
    """Headless Chromium: ``CHROMIUM``'s binary, else /usr/bin/chromium.  None there fails
    the test that asks for it (never a skip): the README's test command installs it."""
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
def blank_page(browser: Any) -> Any:
    """An empty page (about:blank) to evaluate JavaScript in; tests add no globals to it."""
    return browser.new_page()


@pytest.fixture(scope="session")
def ecma_matches(blank_page: Any) -> Callable[[str, list[str]], list[bool]]:
    """Whether ECMA 262's ``RegExp(pattern)`` (no ``u`` flag, as JSON Schema validators
    read ``pattern``) finds a match in each text, as the browser's engine answers."""

    def matches(pattern: str, texts: list[str]) -> list[bool]:
        got: list[bool] = blank_page.evaluate(
            "([pattern, texts]) => { const re = new RegExp(pattern);"
            " return texts.map((s) => re.test(s)); }",
            [pattern, texts],
        )
        return got

    return matches
