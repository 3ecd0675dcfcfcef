"""`policyrules serve` as a stranger uses it: the store and the log named as the docs name
them (relative paths), clients that send too little, too slowly, or too much."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

import policyrules
from policyrules.serve import ServeLimits, create_app
from policyrules.serve_log import DecisionLog
from policyrules.store import LedgerStore

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def firm_without_grants() -> bytes:
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    del data["ledger"]
    return json.dumps(data, default=str).encode()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own, where the files are named as in docs/serve.md."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_error_naming_a_relative_store_or_log_has_no_path(
    policy: policyrules.Policy, here: Path
) -> None:
    """`--log decisions.sqlite --ledger grants.db`, as the docs write them: an error naming
    the log or the store (held by another writer, 503; the store gone, 503 E336) names them
    by label, and its `path`, the place in the document, is null, never the file's name."""
    LedgerStore.open("grants.db").close()
    log = DecisionLog.open("decisions.sqlite")
    limits = ServeLimits(timeout=1)
    other = sqlite3.connect("decisions.sqlite", isolation_level=None)
    with TestClient(create_app(policy, log=log, ledger="grants.db", limits=limits)) as c:
        other.execute("BEGIN IMMEDIATE")
        try:
            busy = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
        finally:
            other.execute("ROLLBACK")
            other.close()
        Path("grants.db").rename("moved.db")
        gone = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
    for answer, code in ((busy, "E720"), (gone, "E336")):
        assert answer.status_code == 503
        (err,) = answer.json()["errors"]
        assert err["code"] == code
        assert err["path"] is None
        assert "decisions.sqlite" not in answer.text
        assert "grants.db" not in answer.text
