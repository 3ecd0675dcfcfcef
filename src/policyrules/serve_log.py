"""The decision log of ``policyrules serve``: every evaluation, appended to a SQLite file.

One row per evaluation answered, appended in its own transaction (``BEGIN IMMEDIATE``; the
file is in WAL mode, so readers never wait for the writer).  An evaluation that commits its
grants to a ledger store writes its row through the store's connection, with the log
attached (:meth:`policyrules.store.LedgerStore.attach`), in the same transaction as the
grants: both are written, or neither.

Schema (version 1, in ``PRAGMA user_version``; ``PRAGMA application_id`` 0x5052444C "PRDL")::

    decisions(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, recorded_at TEXT,
              policy_digest TEXT, tool_version TEXT, calendar_version TEXT,
              input_digest TEXT, options TEXT, assumptions TEXT, decisions TEXT,
              eligible INTEGER, not_eligible INTEGER, unknown INTEGER,
              granted_fen INTEGER, committed INTEGER, ledger TEXT NULL)

``id`` is the evaluation's id (the ``X-Decision-Id`` header of its answer);
``recorded_at`` UTC, ``2026-12-01T04:00:00.123456+00:00``; ``input_digest`` ``sha256:<hex>``
of the request body's bytes; ``options`` the provenance's options (JSON); ``assumptions``
every assumption the decisions used (JSON); ``decisions`` in brief, a JSON list of
``[provision, subject, status, amount in 元 or null, amount kind or null]``;
``granted_fen`` the sum of the grants made, in fen (exact, an integer; a dry run's are not
recorded anywhere: sum it where ``committed``); ``committed`` 1 when
the grants were recorded in the ledger store named in ``ledger``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import Diagnostic, PolicyRulesError
from .result import Result
from .runtime.money import yuan_digits
from .store import StoreTransaction

__all__ = ["LOG_SCHEMA", "DecisionLog", "LogEntry", "input_digest"]

_APPLICATION_ID = 0x5052444C  # "PRDL"
_VERSION = 1
#: The name the log is attached under to a ledger store's connection.
LOG_SCHEMA = "decision_log"

_TABLE = """
CREATE TABLE IF NOT EXISTS {schema}.decisions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    policy_digest TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    calendar_version TEXT,
    input_digest TEXT NOT NULL,
    options TEXT NOT NULL,
    assumptions TEXT NOT NULL,
    decisions TEXT NOT NULL,
    eligible INTEGER NOT NULL,
    not_eligible INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    granted_fen INTEGER NOT NULL CHECK (typeof(granted_fen) = 'integer' AND granted_fen >= 0),
    committed INTEGER NOT NULL CHECK (committed IN (0, 1)),
    ledger TEXT
)
"""
_COLUMNS = (
    "id, recorded_at, policy_digest, tool_version, calendar_version, input_digest, options, "
    "assumptions, decisions, eligible, not_eligible, unknown, granted_fen, committed, ledger"
)
_INSERT = "INSERT INTO {schema}.decisions (" + _COLUMNS + ") VALUES (" + ", ".join("?" * 15) + ")"


def _log_error(message: str, hint: str | None = None) -> PolicyRulesError:
    return PolicyRulesError(Diagnostic("E720", message, hint=hint))


_HELD = (
    "another program holds the decision log (a sqlite3 shell in a transaction?); "
    "try again in a moment"
)


def _write_hint(exc: sqlite3.Error) -> str:
    """What to do about a failed write of the log, by SQLite's (primary) result code."""
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return _HELD
    return (
        "check the disk, and that the file and its directory may be written; a log moved or "
        "deleted while the service runs is not made again: restart the service"
    )


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def input_digest(raw: bytes) -> str:
    """``sha256:<hex>`` of a request body."""
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


@attrs.frozen
class LogEntry:
    """One row of the log (see the module for the columns)."""

    id: str
    recorded_at: str
    policy_digest: str
    tool_version: str
    calendar_version: str | None
    input_digest: str
    options: str
    assumptions: str
    decisions: str
    eligible: int
    not_eligible: int
    unknown: int
    granted_fen: int
    committed: bool
    ledger: str | None

    @classmethod
    def of(
        cls,
        entry_id: str,
        result: Result,
        *,
        raw: bytes,
        provenance: Mapping[str, Any],
        ledger: str | None = None,
    ) -> LogEntry:
        """The row for ``result``, computed from the request body ``raw`` and the result's
        ``provenance`` (:func:`policyrules.provenance.provenance`); ``ledger``: the store
        the grants are committed to, if they are."""
        # What result_json says of each decision, read from the decisions themselves: the
        # answer's JSON is not made twice (the amount in 元 as decision_json writes it).
        decisions = result.decisions
        brief = [
            [
                d.provision,
                d.subject,
                d.status,
                None if d.amount is None else yuan_digits(d.amount.fen),
                d.amount_kind,
            ]
            for d in decisions
        ]
        statuses = [d.status for d in decisions]
        return cls(
            id=entry_id,
            recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            policy_digest=provenance["policy"]["digest"],
            tool_version=provenance["version"],
            calendar_version=provenance["calendar"]["version"],
            input_digest=input_digest(raw),
            options=_json(provenance["options"]),
            assumptions=_json(dict(result.assumptions)),
            decisions=_json(brief),
            eligible=statuses.count("eligible"),
            not_eligible=statuses.count("not_eligible"),
            unknown=statuses.count("unknown"),
            granted_fen=sum(g.amount.fen for g in result.grants),
            committed=ledger is not None,
            ledger=ledger,
        )

    def row(self) -> tuple[Any, ...]:
        return (*attrs.astuple(self)[:13], int(self.committed), self.ledger)


class DecisionLog:
    """The log file; open it with :meth:`open`.  Safe to share between threads: writes take
    turns (one writer, :attr:`writer`) on one connection the log keeps open.

    Kept open, not opened for each write: closing the last connection to a file in WAL mode
    copies the WAL into it and deletes it, a second and third wait for the disk, so a
    write on a connection of its own took about five times as long (20 ms against 4 here).
    A file at the path that is no longer the one the connection has open (moved away,
    deleted, replaced), or a process forked since, gets a new connection: what is written
    goes to the file now at the path, or fails there (E720)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Held by whoever writes to the log (or to a ledger store with the log attached).
        self.writer = threading.Lock()
        # The connection kept (used under the writer lock), and the file and process it
        # was opened for: (device, inode, pid).
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int, int] | None = None

    @classmethod
    def open(cls, path: str | Path) -> DecisionLog:
        """Open the log at ``path``, creating it (and its table) if need be.

        :raises PolicyRulesError: E720 if the file is not a decision log, or a newer one,
            or cannot be opened or written."""
        log = cls(Path(path))
        try:
            with log._connect() as conn:
                app = conn.execute("PRAGMA main.application_id").fetchone()[0]
                tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
                if tables and app != _APPLICATION_ID:
                    raise _log_error(
                        f"{path}: a SQLite database, but not a decision log",
                        hint="name a new file for --log",
                    )
                version = conn.execute("PRAGMA main.user_version").fetchone()[0]
                if version > _VERSION:
                    raise _log_error(
                        f"{path}: decision log version {version} is newer than this "
                        f"policyrules writes ({_VERSION})",
                        hint="upgrade policyrules, or name a new file for --log",
                    )
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(_TABLE.format(schema="main"))
                conn.execute(f"PRAGMA main.application_id = {_APPLICATION_ID}")
                conn.execute(f"PRAGMA main.user_version = {_VERSION}")
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _log_error(
                f"{path}: cannot open the decision log ({exc})",
                hint="check that the file and its directory may be written (SQLite makes the "
                "log's -wal and -shm files beside it), or name another file for --log",
            ) from None
        return log

    @staticmethod
    def _open(path: Path, wait: float = 60.0) -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=wait, isolation_level=None, check_same_thread=False)

    @contextlib.contextmanager
    def _connect(self, wait: float = 60.0) -> Iterator[sqlite3.Connection]:
        conn = self._open(self.path, wait)
        try:
            yield conn
        finally:
            conn.close()

    def _kept(self) -> sqlite3.Connection:
        """The connection kept for writing (the caller holds :attr:`writer`), opened anew
        where the file at the path is not the one it has open, or the process forked."""
        try:
            st = os.stat(self.path)
        except OSError:
            raise self._gone() from None
        now = (st.st_dev, st.st_ino, os.getpid())
        conn = self._conn
        if conn is None or now != self._opened:
            self.close_connection()
            conn = self._conn = self._open(self.path)
            self._opened = now
        return conn

    def refuse_gone(self) -> None:
        """E720 if no file is at the log's path (moved or deleted while the service runs).

        Never made again there: the old file's ``-wal`` is still at the path while another
        connection (another worker process) has the old file open, and a new file there
        takes that WAL for its own, losing the rows it holds (5 answered rows were lost)."""
        if not self.path.exists():
            raise self._gone()

    def _gone(self) -> PolicyRulesError:
        return _log_error(
            f"{self.path}: cannot write the decision log (no file at its path: moved or "
            "deleted while the service runs)",
            hint="put the log back, or restart the service (a new log is made at start)",
        )

    def close_connection(self) -> None:
        """Close the connection the log keeps (a later write opens another)."""
        conn, self._conn, self._opened = self._conn, None, None
        if conn is not None:
            conn.close()

    def append(self, entry: LogEntry, *, wait: float = 60.0) -> None:
        """Append ``entry`` in a transaction of its own, waiting at most ``wait`` seconds for
        each of the other writers: this process's (:attr:`writer`), another's (SQLite).

        :raises PolicyRulesError: E720 if it cannot be written (nothing is): the log busy
            longer than ``wait``, or failing."""
        if not self.writer.acquire(timeout=wait):
            raise _log_error(
                f"{self.path}: the decision log is busy: no turn to write within {wait:g} s",
                hint="other evaluations are writing to it; try again in a moment",
            )
        try:
            conn = self._kept()  # (E720 if the file is gone)
            conn.execute(f"PRAGMA busy_timeout = {max(0, round(wait * 1000))}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_INSERT.format(schema="main"), entry.row())
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _log_error(
                f"{self.path}: cannot write the decision log ({exc})", _write_hint(exc)
            ) from None
        finally:
            self.writer.release()

    def held_elsewhere(self) -> PolicyRulesError | None:
        """E720 if another program holds the log's write lock now (tried without waiting),
        else ``None``: a ledger store's transaction with the log attached fails as the
        store's (E332) when either file is held.  The caller holds :attr:`writer`."""
        try:
            with self._connect(wait=0) as conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            return _log_error(f"{self.path}: the decision log is busy ({exc})", _HELD)
        return None

    @staticmethod
    def append_in(txn: StoreTransaction, entry: LogEntry) -> None:
        """Append ``entry`` within ``txn``, a ledger store's transaction on a connection the
        log is attached to as :data:`LOG_SCHEMA` (the caller holds :attr:`writer`)."""
        txn.execute(_INSERT.format(schema=LOG_SCHEMA), entry.row())

    def entries(self) -> list[dict[str, Any]]:
        """Every row, in order of recording, as a mapping of column to value."""
        with self._connect() as conn:
            cur = conn.execute(f"SELECT seq, {_COLUMNS} FROM decisions ORDER BY seq")
            names = [c[0] for c in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
