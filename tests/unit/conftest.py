"""Fixtures requested by name (so other tests never start what they start): the language
server's (tests/unit/test_lsp*.py), and a local Spark session (the Spark batch's tests)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local Spark session (two threads) for a test module, stopped after it; the
    batch's Spark engine finds it running."""
    from policyrules.backends.sql import spark as on_spark

    session = on_spark.session("local[2]", app_name="policyrules-tests")
    yield session
    session.stop()
