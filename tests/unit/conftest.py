"""Fixtures of the language server's tests (tests/unit/test_lsp*.py): requested by name, so
other tests never start a server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lsp_session import SHIPPED, Session


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    """One ``policyrules lsp`` process and its client for a whole test module; its close
    fails the last test of the module if the server does not exit (:meth:`Session.close`)."""
    s = Session()
    yield s
    s.close()


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A copy of the shipped policy (without its cases) that a test may break."""
    target = tmp_path / "policy"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("cases"))
    return target
