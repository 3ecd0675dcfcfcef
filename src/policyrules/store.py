"""The ledger store: earlier grants in a SQLite database, appended in one transaction.

A store is one SQLite file (Python's own :mod:`sqlite3`) in WAL mode.  An evaluation that
commits reads the earlier grants and appends its own inside one ``BEGIN IMMEDIATE``
transaction, so runs against the same store serialise: the second waits for the first and
sees its grants, and a run killed half-way leaves the store as it was.  A grant's identity
(provision, path, year) is unique among payments (grants above 0.00 元): appending one that is
already recorded is refused and nothing of that batch is written.

Schema (version 2, in ``PRAGMA user_version``)::

    batches(id TEXT PRIMARY KEY, recorded_at TEXT, note TEXT)
    grants(seq INTEGER PRIMARY KEY, provision TEXT, path TEXT, firm TEXT,
           year INTEGER NULL, amount_fen INTEGER >= 0, batch TEXT REFERENCES batches)
    UNIQUE (provision, path, coalesce(year, 0)) WHERE amount_fen > 0
    bases(provision TEXT, name TEXT, value TEXT, batch TEXT REFERENCES batches,
          PRIMARY KEY (provision, name))

``bases`` holds, for each provision with grants, the value of each assumption its decisions
used (``annual_cap_year = approval``): they decide how its grants are keyed (which year a
grant counts in), so a later run with another value would count the same grants differently.
Such a run is refused (E335).  Version 1 (no ``bases``) is migrated when opened.

``path`` is canonical JSON, ``[["firm","f1"],["product","P1"]]``; ``recorded_at`` is UTC,
``2026-11-30T16:40:00+00:00``.  A newer schema version is refused, never guessed at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from .errors import Diagnostic, LedgerError
from .result import Decision
from .runtime.ledger import Grant, Ledger
from .runtime.money import Money

__all__ = [
    "SCHEMA_VERSION",
    "LedgerStore",
    "Record",
    "StoreTransaction",
    "is_store",
    "is_store_name",
    "starts_like_store",
]

SCHEMA_VERSION = 2
_APPLICATION_ID = 0x50524C47  # "PRLG": marks the file as a policyrules ledger
_HEADER = b"SQLite format 3\x00"
_SUFFIXES = (".db", ".sqlite", ".sqlite3")

_BASES = """
CREATE TABLE bases (
    provision TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    batch TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (provision, name)
);
"""

_SCHEMA = (
    """
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE grants (
    seq INTEGER PRIMARY KEY,
    provision TEXT NOT NULL CHECK (provision <> ''),
    path TEXT NOT NULL CHECK (path LIKE '[[%]]'),
    firm TEXT NOT NULL,
    year INTEGER CHECK (year IS NULL OR (typeof(year) = 'integer' AND year BETWEEN 1 AND 9999)),
    amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer' AND amount_fen >= 0),
    batch TEXT NOT NULL REFERENCES batches(id)
);
CREATE UNIQUE INDEX grant_identity ON grants (provision, path, coalesce(year, 0))
    WHERE amount_fen > 0;
CREATE INDEX grants_by_firm ON grants (firm, year);
"""
    + _BASES
)

# Assumptions that are not policy readings but how to count days; they do not key grants.
_NOT_KEYING = frozenset({"holiday_schedule"})
_DAMAGED = (
    "restore the store from a backup; if there is none, `policyrules ledger init NEW.db` and "
    "`policyrules ledger import NEW.db FILE` the grants from a YAML/JSON ledger you keep"
)


def is_store_name(path: str | Path) -> bool:
    """Whether ``path`` ends like a ledger store's name: ``.db``, ``.sqlite``, ``.sqlite3``."""
    return Path(path).suffix.lower() in _SUFFIXES


def starts_like_store(raw: bytes) -> bool:
    """Whether ``raw`` (a file's first bytes) is the start of a SQLite database."""
    return raw.startswith(_HEADER)


def is_store(path: str | Path) -> bool:
    """Whether ``path`` names a ledger store: a ``.db``/``.sqlite``/``.sqlite3`` name, or a
    regular file that starts with the SQLite header.  A pipe or a device is never a store
    (and is not read here: reading would consume it)."""
    p = Path(path)
    if is_store_name(p):
        return True
    try:
        if not p.is_file():
            return False
        with p.open("rb") as f:
            return starts_like_store(f.read(len(_HEADER)))
    except OSError:
        return False


def _error(code: str, message: str, hint: str | None = None) -> LedgerError:
    return LedgerError(Diagnostic(code, message, hint=hint))


def _path_text(grant: Grant) -> str:
    return json.dumps([list(p) for p in grant.path], ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class Record:
    """A stored grant with its bookkeeping: ``seq`` (order of recording, from 1), the batch
    (one evaluation or import) it came in, and when (UTC, ISO 8601)."""

    seq: int
    grant: Grant
    batch: str
    recorded_at: str
    note: str


class StoreTransaction:
    """One open transaction on a :class:`LedgerStore`; see :meth:`LedgerStore.transaction`."""

    def __init__(self, store: LedgerStore, write: bool, note: str) -> None:
        self._store = store
        self._write = write
        self._note = note
        self.batch: str | None = None

    def grants(self) -> Ledger:
        """Every grant recorded, as this transaction sees them (its own appends included)."""
        return Ledger(r.grant for r in self._store._records())

    def append(self, grants: Iterable[Grant], *, note: str | None = None) -> str | None:
        """Record ``grants`` in this transaction's batch; returns the batch id (``None`` when
        there was nothing to record).  With ``note`` they go in a batch of their own under
        that note (e.g. ``imported from f.yaml``), committed with the rest.

        :raises LedgerError: E331 if a grant is already recorded (the whole transaction is
            then rolled back when it ends); E330 on a read-only transaction.
        """
        if not self._write:
            raise _error("E330", f"{self._store.path}: this transaction only reads")
        rows = list(grants)
        if not rows:
            return self.batch
        conn = self._store._conn
        batch = self.batch if note is None else None
        if batch is None:
            batch = uuid.uuid4().hex
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO batches (id, recorded_at, note) VALUES (?, ?, ?)",
                (batch, now, self._note if note is None else note),
            )
            if note is None:
                self.batch = batch
        for g in rows:
            if not isinstance(g, Grant):
                raise _error("E327", f"a store records Grant values, not {type(g).__name__}")
            if g.tier is not None:  # never dropped silently: highest_only reads it back
                raise _error(
                    "E348",
                    f"{g.describe()}: a ledger store does not record the tier of a grant "
                    f"({g.tier}) yet",
                    hint="keep a ledger file (YAML/JSON, --ledger-out) for awards read "
                    "`highest_only`",
                )
            try:
                conn.execute(
                    "INSERT INTO grants (provision, path, firm, year, amount_fen, batch) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (g.provision, _path_text(g), g.path[0][1], g.year, g.amount.fen, batch),
                )
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise _error(
                        "E330", f"{self._store.path}: refused {g.describe()}: {exc}"
                    ) from None
                raise self._store._duplicate(g) from None
        return batch

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> None:
        """Run one more statement of the caller's in this transaction (a record of its own in
        a database :meth:`LedgerStore.attach` attached): committed or rolled back with it.

        :raises LedgerError: E330 on a read-only transaction."""
        if not self._write:
            raise _error("E330", f"{self._store.path}: this transaction only reads")
        self._store._conn.execute(sql, parameters)

    def check_bases(self, decisions: Iterable[Decision]) -> None:
        """Refuse ``decisions`` made with another value of an assumption than the one the
        store's grants of the same provision were keyed by.

        :raises LedgerError: E335 naming the provision, the assumption and both values.
        """
        recorded = self._store._bases()
        for provision, name, value in _bases_of(decisions):
            was = recorded.get((provision, name))
            if was is not None and was != value:
                raise _error(
                    "E335",
                    f"{self._store.path}: the grants of {provision} in this store were counted "
                    f"with the assumption {name} = {was}; this run uses {name} = {value}, and "
                    "would count them differently (a cap could be paid twice)",
                    hint=f"run with --assume {name}={was} to match the store, or use another "
                    "store for this reading",
                )

    def record_bases(self, decisions: Iterable[Decision], grants: Iterable[Grant]) -> None:
        """Record the assumption values of ``decisions`` for each provision with a grant in
        ``grants`` (call :meth:`check_bases` first; values already recorded are kept)."""
        paid = {g.provision for g in grants}
        rows = [row for row in _bases_of(decisions) if row[0] in paid]
        if not rows or self.batch is None:
            return
        self._store._conn.executemany(
            "INSERT OR IGNORE INTO bases (provision, name, value, batch) VALUES (?, ?, ?, ?)",
            [(*row, self.batch) for row in rows],
        )


def _bases_of(decisions: Iterable[Decision]) -> list[tuple[str, str, str]]:
    """(provision, assumption, value) for each keying assumption a decision used, sorted."""
    return sorted(
        {
            (d.provision, name, value)
            for d in decisions
            for name, value in d.assumptions
            if name not in _NOT_KEYING
        }
    )


class LedgerStore:
    """A ledger of earlier grants kept in a SQLite file; open it with :meth:`open`.

    >>> import tempfile, os
    >>> from policyrules import Grant, LedgerStore, Money
    >>> path = os.path.join(tempfile.mkdtemp(), "grants.db")
    >>> with LedgerStore.open(path) as store:
    ...     _ = store.append([Grant("d/1/a", (("firm", "f1"),), Money.of(5, "万元"), 2026)])
    ...     print(store.grants().total())
    50,000.00 元
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = 60.0, create: bool = True) -> LedgerStore:
        """Open the store at ``path``; with ``create`` (the default), create it (schema
        version ``SCHEMA_VERSION``) if the file does not exist.  ``timeout`` is how long,
        in seconds, to wait for another run's transaction to finish before giving up.  A
        store of an older schema version is migrated.

        :raises LedgerError: E330 if the file is not a policyrules ledger store, or its
            schema version is newer than this library knows, or it cannot be opened;
            E336 if it does not exist and ``create`` is false.
        """
        p = Path(path)
        if not create and not p.exists():
            raise _error(
                "E336",
                f"{p}: no such ledger store",
                hint=f"check the name; to start a new store: policyrules ledger init {p}",
            )
        if p.exists() and not p.is_file():
            raise _error("E330", f"{p}: not a file", hint="a ledger store is a SQLite file")
        try:
            conn = sqlite3.connect(p, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _error("E330", f"{p}: cannot open the ledger store: {exc}") from None
        store = cls(conn, p)
        try:
            store._prepare()
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self) -> None:
        c = self._conn
        try:
            c.execute("PRAGMA foreign_keys = ON")
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                c.execute("BEGIN IMMEDIATE")
                try:
                    self._create()
                    c.execute("COMMIT")
                except BaseException:
                    c.execute("ROLLBACK")
                    raise
                version = SCHEMA_VERSION
            if version == 1:
                self._migrate()
            app = c.execute("PRAGMA application_id").fetchone()[0]
            if app != _APPLICATION_ID:
                raise _error(
                    "E330",
                    f"{self.path}: a SQLite database, but not a policyrules ledger store",
                    hint="make a new store with: policyrules ledger init NEW.db",
                )
            if version > SCHEMA_VERSION:
                raise _error(
                    "E330",
                    f"{self.path}: ledger store schema version {version} is newer than this "
                    f"policyrules reads ({SCHEMA_VERSION})",
                    hint="upgrade policyrules; the store was left unchanged",
                )
            c.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise _error(
                "E330",
                f"{self.path}: not a ledger store, or a damaged one ({exc})",
                hint=_DAMAGED,
            ) from None

    def _create(self) -> None:
        c = self._conn
        # Another process may have created the schema while this one waited for the lock.
        if c.execute("PRAGMA user_version").fetchone()[0] != 0:
            return
        if c.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
            raise _error(
                "E330",
                f"{self.path}: a SQLite database, but not a policyrules ledger store",
                hint="make a new store with: policyrules ledger init NEW.db",
            )
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                c.execute(statement)
        c.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _migrate(self) -> None:
        """Version 1 to 2: add ``bases`` (empty: the values used so far are not known)."""
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            if c.execute("PRAGMA user_version").fetchone()[0] == 1:
                if c.execute("PRAGMA application_id").fetchone()[0] != _APPLICATION_ID:
                    raise _error(
                        "E330",
                        f"{self.path}: a SQLite database, but not a policyrules ledger store",
                    )
                c.execute(_BASES)
                c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _bases(self) -> dict[tuple[str, str], str]:
        rows = self._conn.execute("SELECT provision, name, value FROM bases").fetchall()
        return {(p, n): v for p, n, v in rows}

    def attach(self, path: str | Path, schema: str) -> None:
        """Attach the SQLite database ``path`` as ``schema`` (a plain identifier), so that a
        transaction's ``execute`` writes to it too.  Rolled back
        together with the grants; in WAL mode SQLite commits each file atomically but a
        crash during the commit itself may leave one file committed without the other."""
        if not schema.isidentifier():
            raise ValueError(f"not a schema name: {schema!r}")
        self._conn.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))

    def close(self) -> None:
        """Close the connection; an open transaction is rolled back."""
        self._conn.close()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True, note: str = "") -> Iterator[StoreTransaction]:
        """One transaction: with ``write``, ``BEGIN IMMEDIATE`` (waits for, then blocks,
        every other writer), else a consistent read-only snapshot.  Committed when the
        block ends normally, rolled back if it raises: all of a batch or none of it.
        ``note`` is kept with the batch (e.g. the facts file evaluated).

        :raises LedgerError: E332 if another run holds the store longer than the timeout.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.OperationalError as exc:
            raise _error(
                "E332",
                f"{self.path}: the ledger store is busy ({exc})",
                hint="another run is writing to it; try again when it is done",
            ) from None
        txn = StoreTransaction(self, write, note)
        try:
            yield txn
            self._conn.execute("COMMIT" if write else "ROLLBACK")
        except sqlite3.Error as exc:
            self._rollback()
            raise _error(
                "E330",
                f"{self.path}: the ledger store failed ({exc})"
                + ("; nothing of this batch was written" if write else ""),
                hint="check the disk, and whether the store was changed outside policyrules",
            ) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def grants(self) -> Ledger:
        """Every grant recorded, in the order they were recorded."""
        with self.transaction(write=False) as txn:
            return txn.grants()

    def records(self) -> tuple[Record, ...]:
        """Every grant with its batch and time of recording, in order."""
        with self.transaction(write=False):
            return self._records()

    def append(self, grants: Iterable[Grant], *, note: str = "") -> str | None:
        """Record ``grants`` as one batch in one transaction: all or none.  Returns the
        batch id, or ``None`` if ``grants`` was empty.

        :raises LedgerError: E331 if one is already recorded (nothing is written).
        """
        with self.transaction(note=note) as txn:
            return txn.append(grants)

    def _records(self) -> tuple[Record, ...]:
        rows = self._conn.execute(
            "SELECT g.seq, g.provision, g.path, g.year, g.amount_fen, g.batch, "
            "b.recorded_at, b.note FROM grants g JOIN batches b ON b.id = g.batch ORDER BY g.seq"
        ).fetchall()
        return tuple(self._record(row) for row in rows)

    def _record(self, row: tuple[Any, ...]) -> Record:
        seq, provision, path, year, fen, batch, recorded_at, note = row
        try:
            grant = Grant(provision, tuple(map(tuple, json.loads(path))), Money(fen), year)
        except (LedgerError, ValueError, TypeError) as exc:
            raise _error(
                "E330",
                f"{self.path}: grant #{seq} is damaged: {exc}",
                hint=f"the store was changed outside policyrules; {_DAMAGED}",
            ) from None
        return Record(seq, grant, batch, recorded_at, note)

    def _duplicate(self, g: Grant) -> LedgerError:
        row = self._conn.execute(
            "SELECT g.seq, b.recorded_at, b.id FROM grants g JOIN batches b ON b.id = g.batch "
            "WHERE g.provision = ? AND g.path = ? AND coalesce(g.year, 0) = ? "
            "AND g.amount_fen > 0",
            (g.provision, _path_text(g), g.year or 0),
        ).fetchone()
        when = f" (grant #{row[0]}, recorded {row[1]}, batch {row[2]})" if row else ""
        return _error(
            "E331",
            f"{self.path}: the grant {g.describe()} is already recorded{when}; "
            "nothing of this batch was written",
            hint="a provision pays a subject once per year in a store; --dry-run shows the "
            "result without recording it",
        )
