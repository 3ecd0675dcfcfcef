"""A ledger store's transaction, and the store's rows read and written over its connection.

:class:`StoreTransaction` is what :meth:`policyrules.store.LedgerStore.transaction` yields: the
grants and readings as the transaction sees them, appends, and the checks of a run's readings
against the store's (E335).  The schema is in :mod:`policyrules.store_schema`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import Diagnostic, LedgerError
from .ledger_bases import ReadingSink, bases_of, check_readings
from .ledger_ids import number_of
from .ledger_other import OtherReading, no_default
from .result import Decision
from .runtime.bases import Basis
from .runtime.ledger import Grant, Ledger
from .runtime.money import Money
from .runtime.values import Value, format_value
from .store_schema import FIRM_NUMBER, refused_id

__all__ = ["DAMAGED", "Record", "StoreTransaction", "path_text", "read_grants", "read_records"]

DAMAGED = (
    "restore the store from a backup; if there is none, `policyrules ledger init NEW.db` and "
    "`policyrules ledger import NEW.db FILE` the grants from a YAML/JSON ledger you keep"
)


def _not_a_grant(entry: object) -> LedgerError:
    """E327: ``entry`` given to a store is not a :class:`Grant`.  A mapping is not read here:
    which of its keys are ids, and in what order from the firm down, is the policy's to say
    (a path read in the order given could be recorded as no evaluation would find it); the
    hint says how to record it through the policy, or to make the Grant, from its own keys."""
    kind = type(entry).__name__
    if not isinstance(entry, Mapping):
        return _error(
            "E327",
            f"a store records Grant values, not {kind}",
            "make each a Grant: Grant(provision, (('firm', 'f1'), ('product', 'P1')), "
            "Money.parse('200万元'), year=2026); a result's grants: store.append(result.ledger())",
        )
    provision = entry.get("provision", "PROVISION")
    path = tuple(
        (k, v) for k, v in entry.items() if k not in ("provision", "amount", "year", "tier")
    )
    made = f"Grant({provision!r}, {path!r}, Money.parse({str(entry.get('amount', '0元'))!r})"
    for key in ("year", "tier"):
        if entry.get(key) is not None:
            made += f", {key}={entry[key]!r}"
    return _error(
        "E327",
        f"a store records Grant values, not {kind}: a store knows no policy, which says "
        "which keys of a grant's mapping are ids and in what order",
        "record mappings through the policy, checked as a ledger file's grants are: "
        f"policy.record(store, grants); or make each a Grant: {made})",
    )


def _error(code: str, message: str, hint: str | None = None) -> LedgerError:
    return LedgerError(Diagnostic(code, message, hint=hint))


def path_text(grant: Grant) -> str:
    """A grant's path as the store keeps it: canonical JSON."""
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
    """One open transaction on a ledger store (its connection and file); see
    :meth:`policyrules.store.LedgerStore.transaction`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, write: bool, note: str) -> None:
        self._conn = conn
        self._path = path
        self._write = write
        self._note = note
        self.batch: str | None = None
        self._batches: list[str] = []  # the batches this transaction made
        # The readings recorded, read once: a transaction sees no other writer's, so they
        # change only by its own writes (record_file_bases, execute), which forget them.
        self._bases: tuple[Basis, ...] | None = None

    def grants(self, firms: Iterable[str] | None = None) -> Ledger:
        """The grants recorded, as this transaction sees them (its own appends included), in
        the order they were recorded: every one, or with ``firms`` (ids) only those whose
        path starts at one of these firms or at one of their ids written as another number
        (:func:`read_grants`), read by the store's indexes."""
        return Ledger(read_grants(self._conn, self._path, firms))

    def bases(self) -> tuple[Basis, ...]:
        """The readings recorded: (provision, assumption, value), sorted; as this
        transaction sees them (its own records included), read from the store once."""
        if self._bases is None:
            rows = self._conn.execute("SELECT provision, name, value FROM bases").fetchall()
            self._bases = tuple(sorted((p, n, v) for p, n, v in rows))
        return self._bases

    def append(self, grants: Iterable[Grant], *, note: str | None = None) -> str | None:
        """Record ``grants`` in this transaction's batch; returns the batch id (``None`` when
        there was nothing to record).  With ``note`` they go in a batch of their own under
        that note (e.g. ``imported from f.yaml``), committed with the rest.

        :raises LedgerError: E331 if a grant is already recorded (the whole transaction is
            then rolled back when it ends); E330 on a read-only transaction.
        """
        if not self._write:
            raise _error("E330", f"{self._path}: this transaction only reads")
        rows = list(grants)
        if not rows:
            return self.batch
        conn = self._conn
        batch = self.batch if note is None else None
        if batch is None:
            batch = self._new_batch(note)
        for g in rows:
            if not isinstance(g, Grant):
                raise _not_a_grant(g)
            try:
                conn.execute(
                    "INSERT INTO grants (provision, path, firm, year, amount_fen, batch, tier) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (g.provision, path_text(g), g.path[0][1], g.year, g.amount.fen, batch, g.tier),
                )
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise _error("E330", f"{self._path}: refused {g.describe()}: {exc}") from None
                raise _duplicate(self._conn, self._path, g, self._batches) from None
        return batch

    def _new_batch(self, note: str | None) -> str:
        """A new batch; this transaction's own unless it has a ``note`` of its own."""
        batch = uuid.uuid4().hex
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._conn.execute(
            "INSERT INTO batches (id, recorded_at, note) VALUES (?, ?, ?)",
            (batch, now, self._note if note is None else note),
        )
        if note is None:
            self.batch = batch
        self._batches.append(batch)
        return batch

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> None:
        """Run one more statement of the caller's in this transaction (a record of its own in
        a database :meth:`LedgerStore.attach` attached): committed or rolled back with it.

        :raises LedgerError: E330 on a read-only transaction."""
        if not self._write:
            raise _error("E330", f"{self._path}: this transaction only reads")
        self._bases = None  # the caller's statement may write readings: read them again
        self._conn.execute(sql, parameters)

    def check_bases(
        self,
        used: Iterable[Basis],
        sink: ReadingSink | None = None,
        defaults: Mapping[str, Value] | None = None,
    ) -> None:
        """Refuse the readings ``used`` by a run where the store's grants of the provision
        were keyed by another value (with ``sink``, a what-if that records nothing: pass
        each such finding to it instead).  With ``defaults``, grants of a provision the
        store records no reading for (appended bare) are taken as counted by the defaults:
        any firm's, as the reading a commit records is the store's.

        :raises LedgerError: E335 naming the provision, the assumption and both values.
        """
        recorded = Ledger((), bases=self.bases())
        where = str(self._path)
        check_readings(recorded, used, defaults, where, sink, "store", self.provisions)

    def provisions(self) -> list[str]:
        """The provisions the store held grants of before this transaction's appends."""
        mine = json.dumps(self._batches)
        rows = self._conn.execute(
            "SELECT DISTINCT provision FROM grants "
            "WHERE batch NOT IN (SELECT value FROM json_each(?))",
            (mine,),
        ).fetchall()
        return [p for (p,) in rows]

    def check_file_bases(
        self, bases: Iterable[Basis], file: str, defaults: Mapping[str, Value] | None = None
    ) -> None:
        """Refuse the readings ``bases`` of grants to be added from ``file`` (a ledger file,
        facts, ``append(bases=...)``) where the store's grants of the provision were counted
        by another value: the one it records, else, for grants appended bare, the default
        in ``defaults``; with ``defaults`` ``None`` (no policy at hand) such a reading is
        refused, as the store cannot tell whether it is the default.

        :raises LedgerError: E335 naming the provision, the assumption and both values."""
        recorded = {(p, n): v for p, n, v in self.bases()}
        granted: set[str] | None = None
        for provision, name, value in bases:
            was = recorded.get((provision, name))
            if was is None:
                if granted is None:
                    granted = set(self.provisions())
                if provision not in granted:
                    continue  # nothing counted yet: this reading is the first
                if defaults is None:
                    raise no_default(str(self._path), provision, name, value, file)
                known = defaults.get(name)
                if known is None:
                    continue
                was = format_value(known)
            if was == value:
                continue
            said = (provision, name) in recorded
            found = OtherReading(
                str(self._path), provision, name, was, value, said, "joining", joining=file
            )
            raise found.error()

    def record_bases(self, decisions: Iterable[Decision], grants: Iterable[Grant]) -> None:
        """Record the assumption values of ``decisions`` for each provision with a grant in
        ``grants`` (call :meth:`check_bases` first; values already recorded are kept)."""
        paid = {g.provision for g in grants}
        if self.batch is not None:  # this run recorded grants
            self.record_file_bases([row for row in bases_of(decisions) if row[0] in paid])

    def record_file_bases(self, bases: Iterable[Basis]) -> None:
        """Record ``bases`` (values already recorded are kept) in this transaction's batch
        (made if there is none yet: a ledger file's readings are recorded with or without
        new grants).  Check first with :meth:`check_file_bases`.

        :raises LedgerError: E330 on a read-only transaction."""
        rows = list(bases)
        if not rows:
            return
        if not self._write:
            raise _error("E330", f"{self._path}: this transaction only reads")
        batch = self.batch if self.batch is not None else self._new_batch(None)
        self._bases = None  # read again when next asked, with these
        self._conn.executemany(
            "INSERT OR IGNORE INTO bases (provision, name, value, batch) VALUES (?, ?, ?, ?)",
            [(*row, batch) for row in rows],
        )


def read_records(conn: sqlite3.Connection, path: Path) -> tuple[Record, ...]:
    """Every grant of the store at ``path`` with its batch and time of recording, in order."""
    rows = conn.execute(
        "SELECT g.seq, g.provision, g.path, g.year, g.amount_fen, g.tier, g.batch, "
        "b.recorded_at, b.note FROM grants g JOIN batches b ON b.id = g.batch ORDER BY g.seq"
    ).fetchall()
    return tuple(Record(row[0], _grant(path, row[:6]), *row[6:]) for row in rows)


def read_grants(conn: sqlite3.Connection, path: Path, firms: Iterable[str] | None) -> list[Grant]:
    """The grants of the store at ``path`` in order of recording; with ``firms`` (ids), those
    whose path starts at one of these firms only, or at one whose id is one of theirs
    written as another number (``701`` for ``0701``, which an evaluation refuses: E323),
    read by the indexes on the firm and its number.

    :raises LedgerError: E330 for a grant changed outside policyrules."""
    columns = "SELECT seq, provision, path, year, amount_fen, tier FROM grants"
    if firms is None:
        rows = conn.execute(f"{columns} ORDER BY seq").fetchall()
    else:  # one JSON array for any number of firms; the index on firm serves the IN
        ids = sorted(set(firms))
        where, args = (
            "firm IN (SELECT value FROM json_each(?))",
            [json.dumps(ids, ensure_ascii=False)],
        )
        numbers = sorted({n for n in map(number_of, ids) if n is not None})
        if numbers:  # and those of their ids written as another number, by their index
            where += f" OR {FIRM_NUMBER} IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(numbers))
        rows = conn.execute(f"{columns} WHERE {where} ORDER BY seq", args).fetchall()
    return [_grant(path, row) for row in rows]


def _grant(path: Path, row: tuple[Any, ...]) -> Grant:
    seq, provision, steps_text, year, fen, tier = row
    try:
        steps = tuple(map(tuple, json.loads(steps_text)))
        return Grant(provision, steps, Money(fen), year, tier=tier)
    except LedgerError as exc:  # (the ids looked at again only where the grant is refused)
        refused = refused_id(path, seq, [str(step[1]) for step in steps if len(step) == 2])
        raise (LedgerError(refused) if refused else _damaged(path, seq, exc)) from None
    except (ValueError, TypeError) as exc:
        raise _damaged(path, seq, exc) from None


def _imported_now(path: Path, g: Grant, had: Money, note: str | None) -> LedgerError:
    """E331 for a grant the same transaction recorded (imported) before the run's grant
    of its identity: nothing was recorded before this run; the run pays the rest of the
    entitlement beyond what the imported grant paid, which the store cannot hold beside it."""
    source = (note or "").removeprefix("imported from ")
    said = f" ({note})" if note else ""
    where = f"its amount in the ledger of {source}" if source != (note or "") else "its amount"
    total = (had + g.amount).format_cn()
    return _error(
        "E331",
        f"{path}: the grant {g.describe()} was recorded in this same run{said} as "
        f"{had.format_cn()}, and the run gives it {g.amount.format_cn()} more, a top-up "
        "of it (what is due now exceeds what it paid, e.g. a fact revised upward); a store "
        "records one payment per provision, subject and year, so nothing was written, "
        "the import neither",
        hint=f"if the top-up is paid, record the total, {total}, as the one grant: set "
        f"{where} to it and run again (it then pays nothing more); --dry-run shows "
        "the result without recording it",
    )


def _damaged(path: Path, seq: int, exc: Exception) -> LedgerError:
    return _error(
        "E330",
        f"{path}: grant #{seq} is damaged: {exc}",
        hint=f"the store was changed outside policyrules; {DAMAGED}",
    )


def _duplicate(
    conn: sqlite3.Connection, path: Path, g: Grant, mine: Sequence[str] = ()
) -> LedgerError:
    """E331; ``mine``: the batches of this transaction, where the grant recorded may be one
    imported a moment before (the facts' or the registry's ledger: :func:`_imported_now`)."""
    row = conn.execute(
        "SELECT g.seq, b.recorded_at, b.id, g.amount_fen, b.note FROM grants g "
        "JOIN batches b ON b.id = g.batch "
        "WHERE g.provision = ? AND g.path = ? AND coalesce(g.year, 0) = ? "
        "AND coalesce(g.tier, '') = ? AND g.amount_fen > 0",
        (g.provision, path_text(g), g.year or 0, g.tier or ""),
    ).fetchone()
    if row is not None and row[2] in mine:
        return _imported_now(path, g, Money(int(row[3])), row[4])
    when = f" (grant #{row[0]}, recorded {row[1]}, batch {row[2]})" if row else ""
    # From an evaluation (which read the store in this transaction) the grant is a
    # further payment: a top-up of what is due (a revised fact) in the same year.
    had = f" as {Money(int(row[3])).format_cn()}" if row else ""
    return _error(
        "E331",
        f"{path}: the grant {g.describe()} is already recorded{when}{had}; this "
        f"batch gives it {g.amount.format_cn()} again (a second payment to the same "
        "subject under the same provision"
        + (" in the same year" if g.year is not None else "")
        + ", e.g. a top-up after a fact was revised upward); nothing of this batch "
        "was written",
        hint="a store records one payment per provision, subject and year, so that a "
        "payment listed twice is always caught; if the top-up was paid, record it as the "
        "year's one grant: `policyrules ledger export` the store, set that grant's amount "
        "to the new total, and `ledger import` the file into a new store (`ledger init`); "
        "--dry-run shows the result without recording it",
    )
