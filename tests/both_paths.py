"""The two paths of one policy side by side: ``policy.evaluate`` (one firm at a time) and the
DuckDB batch plan (``compile_batch``), decision for decision.

Import as ``from tests.both_paths import decisions_both_ways``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from policyrules.api import Policy
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.facts import Facts

__all__ = ["decisions_both_ways"]


def decisions_both_ways(
    policy: Policy,
    facts: Facts,
    ledger: list[Any] | None = None,
    *,
    missing_parameters: bool = True,
    as_of: dt.date | None = None,
) -> dict[str, tuple[Any, ...]]:
    """The decisions of ``facts`` through both paths, by subject: (status, amount in fen,
    lower bound in fen, amount kind, missing facts[, missing parameters]); asserts the two
    paths agree.  ``ledger``: earlier grants given to the batch (the facts' own ledger goes
    to both paths with the facts); ``as_of``: the day both speak for."""

    def row(d: Any) -> tuple[Any, ...]:
        return (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_min.fen if d.amount_min is not None else None,
            d.amount_kind,
            list(d.missing_facts),
            *([list(d.missing_parameters)] if missing_parameters else []),
        )

    want = {d.subject: row(d) for d in policy.evaluate(facts, as_of=as_of).decisions}
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, policy.read_ledger(ledger or []))
    engine.run_plan(con, compile_batch(policy.checked, as_of=as_of))
    columns = "subject, status, amount, amount_min, amount_kind, missing_facts"
    rows = con.execute(
        f"SELECT {columns}{', missing_parameters' if missing_parameters else ''} FROM decisions"
    ).fetchall()
    got = {r[0]: (r[1], r[2], r[3], r[4], *(list(x) for x in r[5:])) for r in rows}
    assert got == want
    return got
