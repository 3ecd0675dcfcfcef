"""Finding a registry's tables: a directory of ``NAME.parquet``/``.csv``/``.jsonl`` files or
a DuckDB database file, each table named by an entity's key (or ``ledger``), and the SQL
that reads each one.  Faults are E620 (the registry cannot be read) and E621 (an unknown
table, or one given twice); :mod:`policyrules.tables` reads and checks what is found here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import duckdb

from .errors import Diagnostic, TableError, did_you_mean
from .model import CheckedPolicy
from .tables_values import ident, literal

__all__ = ["FORMATS", "Source", "find_tables", "looks_like_duckdb", "table_error"]

FORMATS = ("parquet", "csv", "jsonl")


@attrs.frozen
class Source:
    """One table of a registry: its name, where it is shown from, and SQL reading it."""

    name: str
    shown: str
    sql: str
    fmt: str  # parquet | csv | jsonl | duckdb


def looks_like_duckdb(head: bytes) -> bool:
    """Whether ``head``, the first 16 bytes of a file, are a DuckDB database's."""
    return head[8:12] == b"DUCK"


def table_error(code: str, message: str, hint: str | None = None) -> TableError:
    """A :class:`TableError` of one diagnostic with no place in a file."""
    return TableError(Diagnostic(code, message, hint=hint))


def _known_tables(policy: CheckedPolicy) -> list[str]:
    return [*(e.key for e in policy.entities), "ledger"]


def find_tables(
    policy: CheckedPolicy, path: str | Path, con: duckdb.DuckDBPyConnection
) -> list[Source]:
    """The tables of the registry at ``path`` (a directory, or a DuckDB file attached to
    ``con`` read only as ``registry``).  :raises TableError: E620 (also for a registry
    holding no table at all), E621."""
    p = Path(path)
    known = _known_tables(policy)
    if p.is_dir():
        found: dict[str, Source] = {}
        for f in sorted(p.iterdir()):
            if f.name.startswith("."):
                continue
            name, _, ext = f.name.partition(".")
            if ext not in FORMATS or not f.is_file():
                raise table_error(
                    "E621",
                    f"{f}: not a table of the registry",
                    "a registry holds files NAME.parquet, NAME.csv or NAME.jsonl, NAME one of "
                    + ", ".join(known),
                )
            if name not in known:
                raise table_error(
                    "E621",
                    f"{f}: unknown table {name!r}",
                    did_you_mean(name, known) or f"the tables are: {', '.join(known)}",
                )
            if name in found:
                raise table_error(
                    "E621",
                    f"{f}: the table {name!r} is also given by {found[name].shown}",
                    "keep one file per table",
                )
            found[name] = Source(name, str(f), _reader_sql(f, ext), ext)
        if not found:
            raise _no_table(p, known)
        return list(found.values())
    if p.is_file():
        try:
            with p.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise table_error("E620", f"cannot read {p}: {exc.strerror}") from None
        if not looks_like_duckdb(head):
            raise table_error(
                "E620",
                f"{p}: not a registry (neither a directory of tables nor a DuckDB database)",
                "give a directory holding firms.parquet, products.csv ... or a .duckdb file",
            )
        try:
            con.execute(f"ATTACH {literal(str(p))} AS registry (READ_ONLY)").fetchall()
            names = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'registry'"
                    " UNION ALL SELECT view_name FROM duckdb_views() "
                    "WHERE database_name = 'registry' ORDER BY 1"
                ).fetchall()
            ]
        except duckdb.Error as exc:
            raise table_error("E620", f"{p}: cannot open the DuckDB database: {exc}") from None
        out = []
        for name in names:
            if name not in known:
                raise table_error(
                    "E621",
                    f"{p}: unknown table {name!r}",
                    did_you_mean(name, known) or f"the tables are: {', '.join(known)}",
                )
            out.append(Source(name, f"{p}:{name}", f"registry.main.{ident(name)}", "duckdb"))
        if not out:
            raise _no_table(p, known)
        return out
    raise table_error("E620", f"{p}: no such directory or file", "give the registry's directory")


def _no_table(p: Path, known: list[str]) -> TableError:
    """E620 for a registry without a single table: a folder named by mistake (an empty
    one, a new one) would otherwise be run as a registry of no firm, exit 0."""
    return table_error(
        "E620",
        f"{p}: no table of the registry in it",
        "give the directory (or DuckDB file) holding the registry's tables, NAME.parquet, "
        "NAME.csv or NAME.jsonl, NAME one of " + ", ".join(known),
    )


def _reader_sql(f: Path, ext: str) -> str:
    path = literal(str(f))
    if ext == "parquet":
        return f"read_parquet({path})"
    if ext == "csv":
        # Every column as text: ids and amounts read exactly as written, converted here.
        # The columns are the header's, read here: DuckDB's detection would take a row of
        # another length for the header; told them, it names the row that does not fit.
        names, skipped = _csv_header(f)
        columns = ", ".join(f"{literal(c)}: 'VARCHAR'" for c in names)
        return (
            f"read_csv({path}, auto_detect = false, header = true, skip = {skipped}, "
            f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', "
            "strict_mode = true, null_padding = false, encoding = 'utf-8')"
        )
    return path  # jsonl: columns found by _json_columns


def _csv_header(f: Path) -> tuple[list[str], int]:
    """The column names of the CSV table ``f`` (its first row that is not blank, each name
    without the spaces around it, as DuckDB's own detection read them) and the number of
    blank lines before it.  E620: no header, not UTF-8, a column without a name (a trailing
    comma), or a name given twice (DuckDB's names ignore the letters' case)."""
    header: list[str] | None = None
    skipped = 0
    try:
        with f.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.reader(stream):
                if row:
                    header = row
                    break
                skipped += 1  # a blank line
    except UnicodeDecodeError:
        raise table_error(
            "E620",
            f"{f}: not UTF-8 text",
            "save the table as UTF-8 (Excel: 'CSV UTF-8'; its 'CSV (逗号分隔)' writes GBK)",
        ) from None
    except (OSError, csv.Error) as exc:
        raise table_error("E620", f"cannot read {f}: {exc}") from None
    if header is None:
        raise table_error("E620", f"{f}: no header row", "the first row names the columns: id, ...")
    names = [c.strip() for c in header]
    if "" in names:
        raise table_error(
            "E620",
            f"{f}: column {names.index('') + 1} of the header has no name",
            "name every column (a comma at the end of a line makes a column without one)",
        )
    folded = [c.casefold() for c in names]
    twice = sorted({c for c in names if folded.count(c.casefold()) > 1})
    if twice:
        raise table_error(
            "E620",
            f"{f}: the header names {', '.join(map(repr, twice))} twice (a name's case aside)",
            "each column once: a fact's values in one column",
        )
    return names, skipped
