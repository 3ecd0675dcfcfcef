"""The engine the batch ledger's checks run on (:mod:`policyrules.tables_ledger_check`,
:mod:`policyrules.tables_ledger_exclusive`): each statement is DuckDB SQL text, run on DuckDB
as it is (:class:`OnDuckDB`) or on Spark written in Spark SQL
(:mod:`policyrules.tables_spark_ledger`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import attrs
import duckdb

from .tables_values import ident

__all__ = ["LedgerSql", "OnDuckDB"]


class LedgerSql(Protocol):
    """An engine the ledger's checks run on: each statement is DuckDB SQL text."""

    def rows(self, sql: str) -> Sequence[Sequence[Any]]:
        """The rows of the query ``sql``."""

    def table(self, name: str, sql: str) -> None:
        """Make the query ``sql`` the table ``name``, read by the statements after."""

    def load(self, name: str, columns: Sequence[tuple[str, str]], rows: list[list[Any]]) -> None:
        """Make ``rows`` the table ``name`` of ``columns`` ((name, DuckDB type) pairs)."""


@attrs.frozen
class OnDuckDB:
    """The ledger's checks on a DuckDB connection: temporary tables."""

    con: duckdb.DuckDBPyConnection

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def table(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {sql}").fetchall()

    def load(self, name: str, columns: Sequence[tuple[str, str]], rows: list[list[Any]]) -> None:
        spec = ", ".join(f"{c} {ty}" for c, ty in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(name)} ({spec})").fetchall()
        if rows:
            marks = ", ".join("?" for _ in columns)
            self.con.executemany(f"INSERT INTO {ident(name)} VALUES ({marks})", rows)
