"""The ledger of a batch: earlier grants as a DuckDB table, checked as ledger files are.

The registry's ``ledger`` table (CSV, Parquet, JSON Lines or a DuckDB table) has the
columns of a ledger file's grants (:mod:`policyrules.ledger_io`): ``provision``, one id
column per entity of the grant's path (``firm``, ``product``...), ``amount`` (money, as
facts: ``"200万元"`` or an exact number of 元) or ``amount_fen`` (a whole number of fen, as
the batch's ``grants`` output writes it: appended as it is, it counts what was paid) and
``year``.  It becomes the batch
contract's ``ledger`` table (amount BIGINT fen, year INTEGER), with the checks of a ledger
file made in SQL, with the same codes and meanings: E321 not an award of the policy; E322 a
key its provision's caps or ``once per`` need is missing; E323 an unknown column, an id
that is not text, an entity not on the provision's path; E324 the amount; E325 the year;
E326 a payment listed twice (or, across the table and ``--ledger``, with two amounts); E328
a one-time award paid twice; E329 a cap whose limit needs no facts already exceeded (the
last three of the ledger as a whole: :mod:`policyrules.tables_ledger_check`).
"""

from __future__ import annotations

import duckdb

from . import types as t
from .errors import Diagnostic, LedgerError, did_you_mean, quoted
from .model import CheckedPolicy
from .runtime.ledger import Ledger
from .tables import Source, id_message, id_problem, separated_hint
from .tables_ledger_check import check_grants, check_ledger  # (check_ledger also from here)
from .tables_messages import ascii_note, problem_message
from .tables_source import SourceTable, error_line
from .tables_values import (
    ColumnRefused,
    column_sql,
    ident,
    year_text,
)

__all__ = [
    "AMOUNT_ONCE",
    "YEAR_TEXT",
    "check_ledger",
    "fen_column",
    "fen_refused",
    "fen_sql",
    "ledger_columns",
    "load_grants",
    "read_ledger_table",
    "year_refused",
]


def ledger_columns(policy: CheckedPolicy) -> list[tuple[str, str]]:
    """The contract's ``ledger`` columns: (name, engine type)."""
    return [
        ("provision", "VARCHAR"),
        *((e.name, "VARCHAR") for e in policy.entities),
        ("amount", "BIGINT"),
        ("year", "INTEGER"),
    ]


def _create(con: duckdb.DuckDBPyConnection, table: str, policy: CheckedPolicy) -> None:
    spec = ", ".join(f"{ident(n)} {ty}" for n, ty in ledger_columns(policy))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(table)} ({spec}, _row BIGINT)").fetchall()


def load_grants(
    con: duckdb.DuckDBPyConnection, policy: CheckedPolicy, ledger: Ledger, table: str
) -> None:
    """Put checked grants (from a store or a ledger file, read by the Python path) into
    ``table`` with the contract's ledger columns."""
    _create(con, table, policy)
    names = [e.name for e in policy.entities]
    rows = []
    for i, g in enumerate(ledger, start=1):
        path = dict(g.path)
        rows.append([g.provision, *(path.get(n) for n in names), g.amount.fen, g.year, i])
    if rows:
        marks = ", ".join("?" for _ in range(len(names) + 4))
        con.executemany(f"INSERT INTO {ident(table)} VALUES ({marks})", rows)


def read_ledger_table(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, src: Source, table: str
) -> None:
    """Read the registry's ledger ``src`` into ``table`` (contract columns), checked grant
    by grant.  :raises LedgerError: E321-E325, up to three rows per fault and column."""
    raw = SourceTable(con, src)
    names = [e.name for e in policy.entities]
    known = ["provision", *names, "amount", "amount_fen", "year"]
    for col in raw.columns:
        if col not in known:
            raw.add(
                "E323",
                None,
                col,
                "unknown column of a ledger",
                separated_hint(col, known)
                or did_you_mean(col, known)
                or f"a ledger's columns: {', '.join(known)}",
            )
    if "provision" not in raw.columns:
        raw.add("E320", None, None, "no column 'provision'", None)
    given = [c for c in ("amount", "amount_fen") if c in raw.columns]
    if len(given) != 1:
        raw.add("E324", None, None, *AMOUNT_ONCE[bool(given)])
    selects = []
    problems: list[tuple[str, str, str]] = []  # column, code, problem SQL
    for col in ("provision", *names):
        if col not in raw.columns:
            selects.append(f"CAST(NULL AS VARCHAR) AS {ident(col)}")
        elif raw.columns[col] != "VARCHAR":
            raw.add(
                "E323",
                None,
                col,
                f"an id is text, but the column is {raw.columns[col]}",
                "store ids as text (strings), exactly as written",
            )
        else:
            selects.append(f"{ident(col)} AS {ident(col)}")
            if col != "provision":  # an id as the registry's: `P1 ` would never match `P1`
                problems.append((col, "E323", id_problem(ident(col), missing=False)))
    if given == ["amount_fen"]:
        selects.append(_fen(raw, problems))
    elif "amount" in raw.columns:
        try:
            sql = column_sql(t.MONEY, raw.columns["amount"], '"amount"', policy)
            selects.append(f"{sql.value} AS amount")
            problems.append(("amount", "E324", sql.problem))
        except ColumnRefused as exc:
            raw.add("E324", None, "amount", str(exc), exc.hint)
    if "year" not in raw.columns:
        selects.append("CAST(NULL AS INTEGER) AS year")
    else:
        y, ty = '"year"', raw.columns["year"]
        if ty == "VARCHAR":
            ok, value = year_text(y)
            selects.append(f"CASE WHEN {ok} THEN {value} END AS year")
            problems.append(
                ("year", "E325", f"(CASE WHEN {y} IS NOT NULL AND NOT {ok} THEN 'year' END)")
            )
        elif ty in (
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "HUGEINT",
            "USMALLINT",
            "UINTEGER",
            "UBIGINT",
        ):
            ok = f"{y} BETWEEN 1 AND 9999"
            selects.append(f"CAST(CASE WHEN {ok} THEN {y} END AS INTEGER) AS year")
            problems.append(
                ("year", "E325", f"(CASE WHEN {y} IS NOT NULL AND NOT ({ok}) THEN 'year' END)")
            )
        else:
            raw.add(
                "E325",
                None,
                "year",
                f"a year is a whole number, but the column is {ty}",
                "store the year as an integer, or as text such as 2026",
            )
    if raw.diags:
        raise LedgerError(raw.diags)
    for col, code, problem in problems:
        for row, value, reason in raw.rows_where(
            f"({problem}) IS NOT NULL",
            f"coalesce(CAST({ident(col)} AS VARCHAR), '') || chr(31) || {problem}",
        ):
            if col == "amount_fen":
                raw.add(code, row, col, *fen_refused(value))
            elif code == "E323":  # an id (id_problem)
                raw.add(code, row, col, *id_message(reason, value, quoted))
            elif col == "year":
                raw.add(code, row, col, *year_refused(value))
            else:
                _, message, hint = problem_message(reason, value, t.MONEY, policy)
                raw.add(code, row, col, message, hint)
    if raw.diags:
        raise LedgerError(raw.diags)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ident(table)} AS SELECT {', '.join(selects)}, "
            f"row_number() OVER () AS _row FROM {raw.raw}"
        ).fetchall()
    except duckdb.Error as exc:
        raise LedgerError(
            Diagnostic("E320", f"{src.shown}: cannot read: {error_line(exc)}")
        ) from None
    check_grants(policy, con, table, src.shown)


# E324: (message, hint) of a ledger table with no amount column, or with both (by whether
# either is given); of an amount_fen that is not whole fen; of a column of another type.
_ONCE = (
    "give each grant's amount once: `amount` in 元 (200万元, 12.5) or `amount_fen` in fen "
    "(a whole number, as the batch's grants output writes it)"
)
AMOUNT_ONCE = {
    False: ("no column 'amount'", _ONCE),
    True: ("both 'amount' and 'amount_fen'", _ONCE),
}


#: A ledger's year written as text, as a facts file writes it: 1 to 9999 in ASCII digits,
#: ``年`` or ``年度`` after them or not (:func:`~.tables_values.year_text`).
YEAR_TEXT = "[0-9]{1,4}(年|年度)?"


def year_refused(value: str) -> tuple[str, str]:
    """E325's message and hint for the year ``value`` a ledger table gives (a digit not in
    ASCII named, :func:`~.tables_values.ascii_note`)."""
    return ascii_note(
        value,
        f"(CASE WHEN NOT {year_text('y')[0]} THEN 'year' END)",
        "y",
        f"a year is a whole number in 1..9999, not {value!r}",
        'the year a yearly cap counts the grant in: 2026, "2026年" or "2026年度"',
    )


def fen_refused(value: str) -> tuple[str, str]:
    """E324's message and hint for the text ``value`` of a ledger's ``amount_fen`` (a digit
    not in ASCII named, :func:`~.tables_values.ascii_note`)."""
    sql = fen_sql("f", "VARCHAR")
    assert sql is not None
    return ascii_note(
        value,
        sql[1],
        "f",
        f"an amount in fen is a whole number of 0 or more: {value!r}",
        "amount_fen counts fen (200万元 is 200000000); an amount in 元 goes in a column named "
        "amount",
    )


def fen_column(ty: str) -> tuple[str, str]:
    return (
        f"an amount in fen is a whole number, but the column is {ty}",
        "store fen as an integer, or as text of digits",
    )


_INTEGERS = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
    | {"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
)


def fen_sql(column: str, ty: str) -> tuple[str, str] | None:
    """A ledger's ``amount_fen`` column ``column`` of type ``ty`` as BIGINT fen, in
    DuckDB's SQL (the Spark reader translates it): (the value, the problem: ``'fen'`` where
    a value is not a whole number of fen of 0 or more, or is beyond BIGINT).  An integer
    column, or text of digits; ``None`` for a column of another type (:func:`fen_column`)."""
    if ty == "VARCHAR":
        whole = f"trim({column})"
        ok = f"regexp_full_match({whole}, '[0-9]{{1,18}}')"
    elif ty in _INTEGERS:
        whole, ok = column, f"{column} BETWEEN 0 AND 9223372036854775807"
    else:
        return None
    return (
        f"CAST(CASE WHEN {ok} THEN {whole} END AS BIGINT)",
        f"(CASE WHEN {column} IS NOT NULL AND NOT ({ok}) THEN 'fen' END)",
    )


def _fen(raw: SourceTable, problems: list[tuple[str, str, str]]) -> str:
    """The select of a ledger's ``amount_fen`` as BIGINT fen (:func:`fen_sql`), its
    faults added to ``problems``."""
    ty = raw.columns["amount_fen"]
    sql = fen_sql('"amount_fen"', ty)
    if sql is None:
        raw.add("E324", None, "amount_fen", *fen_column(ty))
        return "CAST(NULL AS BIGINT) AS amount"
    problems.append(("amount_fen", "E324", sql[1]))
    return f"{sql[0]} AS amount"
