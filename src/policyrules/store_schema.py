"""The ledger store's schema: the tables, their version, and the migration of older stores.

Schema (version 8, in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the file as a
policyrules ledger)::

    batches(id TEXT PRIMARY KEY, recorded_at TEXT, note TEXT)
    grants(seq INTEGER PRIMARY KEY, provision TEXT, path TEXT, firm TEXT,
           year INTEGER NULL, amount_fen INTEGER >= 0, batch TEXT REFERENCES batches,
           tier TEXT NULL)
    UNIQUE (provision, path, coalesce(year, 0), coalesce(tier, '')) WHERE amount_fen > 0
    INDEX grants_by_firm (firm, year)
    INDEX grants_by_number (FIRM_NUMBER)
    bases(provision TEXT, name TEXT, value TEXT, batch TEXT REFERENCES batches,
          PRIMARY KEY (provision, name))

``firm`` is the id of the first step of the grant's path (the outermost owner): an
evaluation reads the grants of its firms through ``grants_by_firm``, and through
``grants_by_number`` those of a firm whose id is one of theirs written as another number
(``701`` for ``0701``: :data:`FIRM_NUMBER` is the number an id of digits is, without its
leading zeros, or ``NULL``), which it refuses (E323, :mod:`policyrules.ledger_ids`).
``tier`` is the tier a grant paid (a tier table's row key as written, ``5 亿元``), read back
by awards read ``highest_only``; ``NULL`` for a grant that names none.

Versions: 1 had no ``bases``; 2 had no ``tier`` (its grants name none); 3 had no
``grants_by_number``; 4 may hold an id refused since it was written (a line break, a
full-width letter or digit: ``０７０１`` is not ``0701``), which an evaluation would never
read against ``0701``'s claims (it reads a store by its firms' ids): its migration to 5
reads every grant's ids once and refuses the store (E330) while one is refused, so that no
run pays against a store whose grants it cannot all see.  5 may hold an id refused since
(a digit of another script, ``٠٧٠١``, or a full-width ``－ ． ／ ＿``, ``P－1``), which 5 took:
its migration to 6 is the same reading of every grant's ids.  6 may hold an id refused since
(a number character that is no digit, ``P①``, ``〇``, a Greek, Cyrillic or Coptic letter,
``РЗ`` in Cyrillic for ``P3``, or a styled letter, ``𝐏1``): its migration to 7 is that
reading again.  7 may hold an id with an Armenian, Cherokee or Lisu letter (``Ꭺ1``, Cherokee,
for ``A1``), refused since: its migration to 8 is that reading again (a store of 5 or older
is read once, for all).  An older store is migrated in
place, in one transaction, when opened: every grant is kept as it was.
"""

from __future__ import annotations

import json
import sqlite3

from .errors import Diagnostic, LedgerError
from .runtime.ids import id_fault

__all__ = [
    "APPLICATION_ID",
    "FIRM_NUMBER",
    "SCHEMA_VERSION",
    "create_schema",
    "migrate_schema",
    "refused_id",
]

SCHEMA_VERSION = 8
APPLICATION_ID = 0x50524C47  # "PRLG": marks the file as a policyrules ledger

_BASES = """
CREATE TABLE bases (
    provision TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    batch TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (provision, name)
)
"""

_TIER = "tier TEXT CHECK (tier IS NULL OR (typeof(tier) = 'text' AND tier <> ''))"

_IDENTITY = """
CREATE UNIQUE INDEX grant_identity
    ON grants (provision, path, coalesce(year, 0), coalesce(tier, ''))
    WHERE amount_fen > 0
"""

# The number a firm's id of digits is (`0701`, `701`, `701.0`, `701.` are all `701`), as
# policyrules.ledger_ids.number_of: built-in functions only, so that any SQLite reads and
# writes the store; a query names it exactly so for SQLite to use the index on it.
FIRM_NUMBER = (
    "(CASE WHEN firm GLOB '[0-9]*' AND NOT firm GLOB '*[^0-9.]*' "
    "AND (instr(firm, '.') = 0 OR NOT substr(firm, instr(firm, '.') + 1) GLOB '*[^0]*') "
    "THEN ltrim(CASE instr(firm, '.') WHEN 0 THEN firm "
    "ELSE substr(firm, 1, instr(firm, '.') - 1) END, '0') END)"
)

_BY_NUMBER = f"CREATE INDEX grants_by_number ON grants ({FIRM_NUMBER})"

# The tier comes last, as `ALTER TABLE ... ADD COLUMN` puts it in a migrated store.
_SCHEMA = (
    f"""
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
    batch TEXT NOT NULL REFERENCES batches(id),
    {_TIER}
);
{_IDENTITY};
CREATE INDEX grants_by_firm ON grants (firm, year);
"""
    + _BASES
    + ";"
    + _BY_NUMBER
)


def _not_a_store(path: object) -> LedgerError:
    return LedgerError(
        Diagnostic(
            "E330",
            f"{path}: a SQLite database, but not a policyrules ledger store",
            hint="make a new store with: policyrules ledger init NEW.db",
        )
    )


def create_schema(conn: sqlite3.Connection, path: object) -> None:
    """Create the tables of version ``SCHEMA_VERSION`` in an empty database, inside the
    caller's write transaction.  Nothing is done if another process created them while
    this one waited for the lock.

    :raises LedgerError: E330 if the database holds tables of something else."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != 0:
        return
    if conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        raise _not_a_store(path)
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def migrate_schema(conn: sqlite3.Connection, path: object) -> None:
    """Bring a store of an older version up to ``SCHEMA_VERSION`` in one ``BEGIN
    IMMEDIATE`` transaction: all the steps or none.  Version 1 to 2 adds ``bases`` (empty:
    the values used so far are not known); 2 to 3 adds ``tier`` (``NULL``: no earlier
    grant names one) and puts it in the unique identity; 3 to 4 adds ``grants_by_number``;
    4 to 5, 5 to 6, 6 to 7 and 7 to 8 read every grant's ids (:func:`refused_id`),
    changing nothing.

    :raises LedgerError: E330 if the file is not a policyrules ledger store."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the lock: another process may have migrated it meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise _not_a_store(path)
            if version < 2:
                conn.execute(_BASES)
            if version < 3:
                conn.execute(f"ALTER TABLE grants ADD COLUMN {_TIER}")
                conn.execute("DROP INDEX grant_identity")
                conn.execute(_IDENTITY)
            if version < 4:
                conn.execute(_BY_NUMBER)
            # (5 took ids 6 refuses, ٠٧٠١, P－1; 6 those 7 refuses, P①, РЗ; 7 those 8 refuses,
            # Ꭺ1, ꓑ1, Օ1: Cherokee, Lisu, Armenian)
            if version < 8:
                _refuse_refused_ids(conn, path)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def refused_id(path: object, seq: int, idents: list[str]) -> Diagnostic | None:
    """E330 for grant ``seq`` of the store ``path`` whose path names ``idents``, where one
    of them is an id this policyrules refuses (``runtime.ids.id_fault``: an earlier version
    took it); ``None`` where none is."""
    for ident in idents:
        fault = id_fault(ident)
        if fault is not None:
            return Diagnostic(
                "E330",
                f"{path}: grant #{seq} holds an id this policyrules refuses: {fault[0]}",
                hint="an earlier policyrules took such ids (a line break, an invisible or a "
                "full-width character, a digit of another script, a number character such as "
                "① or 〇, a Greek, Cyrillic or Cherokee letter, a styled letter such as ℙ); "
                "until it is mended no run reads this store (a run reads a firm's grants by its "
                "id, and would not see this one): export it "
                "with the version that wrote it (`policyrules ledger export`), write the id "
                f"as the rest of the ledger does ({fault[1]}), and `policyrules ledger "
                "import` it into a new store",
            )
    return None


def _refuse_refused_ids(conn: sqlite3.Connection, path: object) -> None:
    """E330 for a store (schema 6 or older) holding a grant whose path names an id this
    policyrules refuses (:func:`refused_id`): the first three; nothing is changed (the
    migration is rolled back).  Ids are checked where most are plain ASCII, so a store of
    50,000 grants takes a few tens of milliseconds, once."""
    found: list[Diagnostic] = []
    for seq, steps in conn.execute("SELECT seq, path FROM grants ORDER BY seq"):
        try:
            idents = [str(ident) for _, ident in json.loads(steps)]
        except (ValueError, TypeError):
            continue  # (a damaged path is said where the grant is read)
        refused = refused_id(path, seq, idents)
        if refused is not None:
            found.append(refused)
            if len(found) == 3:
                break
    if found:
        raise LedgerError(found)
