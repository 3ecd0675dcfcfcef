"""The ledger store: earlier grants in a SQLite database, appended in one transaction.

A store is one SQLite file (Python's own :mod:`sqlite3`) in WAL mode.  An evaluation that
commits reads the earlier grants and appends its own inside one ``BEGIN IMMEDIATE``
transaction, so runs against the same store serialise: the second waits for the first and
sees its grants, and a run killed half-way leaves the store as it was.  A grant's identity
(provision, path, year, tier) is unique among payments (grants above 0.00 元): appending one
that is already recorded is refused and nothing of that batch is written.  An evaluation reads
only the grants of the firms it evaluates (:meth:`StoreTransaction.grants`), by an index.

The tables and their versions are in :mod:`policyrules.store_schema`.

``bases`` holds, for each provision with grants, the value of each assumption its decisions
used (``annual_cap_year = approval``): they decide how its grants are keyed (which year a
grant counts in), so a later run with another value would count the same grants differently.
Such a run is refused (E335).  A store of an older version is migrated when opened.

``path`` is canonical JSON, ``[["firm","f1"],["product","P1"]]``; ``recorded_at`` is UTC,
``2026-11-30T16:40:00+00:00``.  A newer schema version is refused, never guessed at.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import Diagnostic, LedgerError
from .instances import Facts
from .reading import starts_like_store
from .runtime.bases import Basis, to_bases
from .runtime.ledger import Grant, Grants, Ledger
from .store_schema import APPLICATION_ID, SCHEMA_VERSION, create_schema, migrate_schema
from .store_txn import DAMAGED, Record, StoreTransaction, read_records

__all__ = [
    "SCHEMA_VERSION",
    "LedgerStore",
    "Record",
    "StoreTransaction",
    "firms_of",
    "is_store",
    "is_store_name",
    "starts_like_store",
]

_HEADER_LEN = 16  # "SQLite format 3\0"
_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_store_name(path: str | Path) -> bool:
    """Whether ``path`` ends like a ledger store's name: ``.db``, ``.sqlite``, ``.sqlite3``."""
    return Path(path).suffix.lower() in _SUFFIXES


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
            return starts_like_store(f.read(_HEADER_LEN))
    except OSError:
        return False


def firms_of(facts: Facts, *ledgers: Ledger) -> frozenset[str]:
    """The ids of the firms (instances with no owner) in ``facts`` and of the firms the
    grants of ``ledgers`` start at: the only store grants an evaluation of ``facts`` can
    read.  Every look-up of an earlier grant (a cap's account, a `once per` award paid, a
    subject's entitlement, a tier paid) is keyed by a path that starts at the firm of the
    subject evaluated: a scope is a prefix of the subject's path, never shorter than its
    first step (claims.scope_of), and ``per`` names the subject or an owner (E207).  The
    ledgers' own firms are read too, so that a grant they repeat from the store is
    recognised as the same grant, and checked, as when the whole store is read."""
    firms = {i.id for group in facts.instances.values() for i in group if i.parent is None}
    firms.update(g.path[0][1] for ledger in ledgers for g in ledger)
    return frozenset(firms)


# SQLite's primary result codes for a file this process may not write or open: the file,
# or its directory, where SQLite makes the store's -wal and -shm files beside it.
_UNWRITABLE = frozenset((sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN))


def _unwritable(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _UNWRITABLE


def _cannot_write(path: Path, exc: sqlite3.Error) -> LedgerError:
    return _error(
        "E330",
        f"{path}: cannot write to the ledger store ({exc})",
        hint="let this user write the file and its directory (SQLite makes the store's -wal "
        "and -shm files beside it); the store itself is not changed",
    )


def _error(code: str, message: str, hint: str | None = None) -> LedgerError:
    return LedgerError(Diagnostic(code, message, hint=hint))


def _not_a_store(path: Path, exc: sqlite3.DatabaseError) -> LedgerError:
    """E330 for a file SQLite cannot read as a store: a YAML or JSON file (by its name or
    its first characters) given as the store said so, with the way to make a store of it;
    any other, damaged, with the way to restore it."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        head = b""
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    looks = path.suffix.lower() in (".yaml", ".yml", ".json") or text.startswith(
        ("ledger:", "{", "[", "- ", "#", "---", "bases:")
    )
    if looks and not starts_like_store(head):
        return _error(
            "E330",
            f"{path}: a YAML or JSON file, not a ledger store (a SQLite database: {exc})",
            hint="a store is made by `policyrules ledger init STORE.db`; a ledger file's grants "
            "go into one by `policyrules ledger import STORE.db FILE --policy POLICY` (`eval "
            "--ledger FILE` reads a ledger file as it is)",
        )
    return _error("E330", f"{path}: not a ledger store, or a damaged one ({exc})", hint=DAMAGED)


class LedgerStore:
    """A ledger of earlier grants kept in a SQLite file; open it with :meth:`open`.

    >>> import tempfile, os
    >>> from policyrules import Grant, LedgerStore, Money
    >>> path = os.path.join(tempfile.mkdtemp(), "grants.db")
    >>> with LedgerStore.open(path, create=True) as store:
    ...     _ = store.append([Grant("d/1/a", (("firm", "f1"),), Money.of(5, "万元"), 2026)])
    ...     print(store.grants().total())
    50,000.00 元
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # One store may be shared by threads (a service's evaluations): its transactions
        # take turns on its one connection, which is opened for any thread.
        self._turn = threading.RLock()
        self._closed = False

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = 60.0, create: bool = False) -> LedgerStore:
        """Open the store at ``path``; with ``create``, create it (schema version
        ``SCHEMA_VERSION``) if the file does not exist.  Without it (the default), a missing
        file is refused, as every command refuses it: a store's name mistyped would start
        an empty ledger, and every award it holds would be paid again.  ``timeout`` is how long,
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
            conn = sqlite3.connect(
                p, timeout=timeout, isolation_level=None, check_same_thread=False
            )
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
                    create_schema(c, self.path)
                    c.execute("COMMIT")
                except BaseException:
                    c.execute("ROLLBACK")
                    raise
                version = SCHEMA_VERSION
            if 0 < version < SCHEMA_VERSION:
                migrate_schema(c, self.path)
            app = c.execute("PRAGMA application_id").fetchone()[0]
            if app != APPLICATION_ID:
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
            if _unwritable(exc):
                raise _cannot_write(self.path, exc) from None
            raise _not_a_store(self.path, exc) from None

    def attach(self, path: str | Path, schema: str) -> None:
        """Attach the SQLite database ``path`` as ``schema`` (a plain identifier), so that a
        transaction's ``execute`` writes to it too.  Rolled back
        together with the grants; in WAL mode SQLite commits each file atomically but a
        crash during the commit itself may leave one file committed without the other."""
        if not schema.isidentifier():
            raise ValueError(f"not a schema name: {schema!r}")
        with self._turn:  # (between other threads' transactions, never inside one)
            self._refuse_closed()
            self._conn.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))

    def close(self) -> None:
        """Close the connection; an open transaction is rolled back.  A closed store
        refuses every later use (E330)."""
        with self._turn:
            self._closed = True
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

        :raises LedgerError: E332 if another run holds the store longer than the timeout;
            E330 if the store was closed.
        """
        with self._turn:  # (threads sharing the store take turns)
            self._refuse_closed()
            with self._one(write, note) as txn:
                yield txn

    def _refuse_closed(self) -> None:
        if self._closed:
            raise _error(
                "E330",
                f"{self.path}: the ledger store was closed",
                hint="open it again (LedgerStore.open), or use it inside its `with` block",
            )

    @contextlib.contextmanager
    def _one(self, write: bool, note: str) -> Iterator[StoreTransaction]:
        try:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.OperationalError as exc:
            if _unwritable(exc):  # (not busy: waiting would not help)
                raise _cannot_write(self.path, exc) from None
            raise _error(
                "E332",
                f"{self.path}: the ledger store is busy ({exc})",
                hint="another run is writing to it; try again when it is done",
            ) from None
        txn = StoreTransaction(self._conn, self.path, write, note)
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

    def grants(self, firms: Iterable[str] | None = None) -> Ledger:
        """Every grant recorded, in the order they were recorded; with ``firms`` (ids), only
        the grants whose path starts at one of these firms, or at one of their ids written
        as another number (``701`` for ``0701``), read by the store's indexes.
        With the readings the store's grants were counted by (``Ledger.bases``, all the
        store records), read in the same transaction: given to an evaluation, the ledger
        is read by them, as the store itself is."""
        with self.transaction(write=False) as txn:
            return Ledger(txn.grants(firms).grants, bases=txn.bases())

    def bases(self) -> tuple[Basis, ...]:
        """The readings the store's grants were counted by: (provision, assumption, value)
        for each assumption the decisions that made a provision's grants used, sorted."""
        with self.transaction(write=False) as txn:
            return txn.bases()

    def ledger(self) -> Ledger:
        """Every grant recorded, in order, with the readings they were counted by
        (``Ledger.bases``), read in one transaction: what ``ledger export`` writes."""
        with self.transaction(write=False) as txn:
            return Ledger(txn.grants().grants, bases=txn.bases())

    def records(self) -> tuple[Record, ...]:
        """Every grant with its batch and time of recording, in order."""
        with self.transaction(write=False):
            return self._records()

    def append(
        self, grants: Iterable[Grant], *, note: str = "", bases: Iterable[Any] = ()
    ) -> str | None:
        """Record ``grants`` as one batch in one transaction: all or none.  Returns the
        batch id, or ``None`` if ``grants`` was empty.

        The grants are recorded as given: the store knows no policy, so a provision no
        policy pays, a one-time award paid twice or a cap exceeded is recorded too, and
        every later evaluation against the store is refused.  To record grants made
        elsewhere, checked against a policy with the store's own, use
        :meth:`Policy.record <policyrules.Policy.record>` (or ``policyrules ledger import
        --policy``); an evaluation's own grants are recorded by ``evaluate(..., commit=True)``.

        ``bases`` are the readings the grants were counted by: (provision, assumption,
        value) triples or ``{provision, assumption, value}`` mappings, as for ``Ledger``;
        when ``grants`` is a :class:`Ledger` (``result.ledger()``) its own bases are taken
        too.  Each, for a provision among ``grants``, is checked against the store's record
        and recorded with them (others are not recorded).  A provision's grants given no
        basis are taken as counted by the reading the store records for it, else by the
        assumptions' defaults: append a result's grants as ``result.ledger()``.

        :raises LedgerError: E331 if one is already recorded (nothing is written); E327 for
            a malformed basis; E335 for a basis the store records another value of, or two
            values of one, or a basis for a provision the store holds grants of appended
            without a reading (their reading is the policy's default, which the store cannot
            tell: add them with ``ledger import --policy`` or a commit).
        """
        rows = list(grants)
        said = to_bases((*(grants.bases if isinstance(grants, Ledger | Grants) else ()), *bases))
        paid = {g.provision for g in rows if isinstance(g, Grant)}
        said = tuple(b for b in said if b[0] in paid)
        with self.transaction(note=note) as txn:
            txn.check_file_bases(said, "append(bases=...)")  # E335, before anything is written
            batch = txn.append(rows)
            if batch is not None:
                txn.record_file_bases(said)
            return batch

    def _records(self) -> tuple[Record, ...]:
        return read_records(self._conn, self.path)
