"""One registry table being read into DuckDB: its columns and their types, its rows where a
condition holds, and the faults found, each located by file, row and column.

:class:`SourceTable` is shared by the entity tables' reader (:mod:`policyrules.tables`) and
the ledger table's (:mod:`policyrules.tables_ledger`).  A JSON Lines file is typed column by
column from what its values are (text, whole numbers, booleans, arrays); a column mixing
them, or a number DuckDB would read as a binary float, is refused (E623).  A file DuckDB
cannot read is E620, its error said in a line (:func:`error_line`).
"""

from __future__ import annotations

import csv
import re

import duckdb

from .errors import Diagnostic, first_line
from .tables_find import Source, table_error
from .tables_values import ident, literal

__all__ = ["PER_COLUMN", "READ_HINT", "SourceTable", "error_line"]

#: Rows shown per faulty column.
PER_COLUMN = 3
#: The hint of a table that cannot be read (E620).
READ_HINT = (
    "a CSV table is UTF-8, comma-separated, with a header and as many cells in each row; "
    "JSON Lines one object per line"
)


class SourceTable:
    """One source being read: its columns, their SQL, and the faults found."""

    def __init__(self, con: duckdb.DuckDBPyConnection, src: Source) -> None:
        self.con = con
        self.src = src
        self.diags: list[Diagnostic] = []
        try:
            if src.fmt == "jsonl":
                self.raw = self._jsonl()
            else:
                self.raw = src.sql
            described = con.execute(f"DESCRIBE SELECT * FROM {self.raw}").fetchall()
        except duckdb.Error as exc:
            raise table_error(
                "E620", f"{src.shown}: cannot read the table: {error_line(exc)}", READ_HINT
            ) from None
        self.columns: dict[str, str] = {str(r[0]): str(r[1]) for r in described}

    def _jsonl(self) -> str:
        """JSON Lines, each column typed by what its values are: text, whole numbers,
        booleans or arrays; a column mixing them, or holding a number with a fraction
        (read by DuckDB as a binary float), is refused."""
        path = self.src.sql
        keys = [
            str(r[0])
            for r in self.con.execute(
                f"SELECT DISTINCT unnest(json_keys(json)) FROM read_ndjson_objects({path}) "
                "ORDER BY 1"
            ).fetchall()
        ]
        if not keys:
            return "(SELECT NULL AS id WHERE false)"
        cols = ", ".join(f"{literal(k)}: 'JSON'" for k in keys)
        typed = f"read_json({path}, format = 'newline_delimited', columns = {{{cols}}})"
        kinds = self.con.execute(
            "SELECT "
            + ", ".join(
                f"list_distinct(list(json_type({c})) FILTER (WHERE json_type({c}) <> 'NULL'))"
                for c in map(ident, keys)
            )
            + f" FROM {typed}"
        ).fetchall()[0]
        assert kinds is not None
        exprs = []
        for k, found in zip(keys, kinds, strict=True):
            c = ident(k)
            kind = {"UBIGINT": "BIGINT"}.get
            seen = sorted({kind(x, x) for x in found or []})
            if not seen:
                exprs.append(f"NULL AS {c}")
            elif seen == ["VARCHAR"]:
                exprs.append(f"({c} ->> '$') AS {c}")
            elif seen == ["BIGINT"]:
                exprs.append(f"CAST({c} AS HUGEINT) AS {c}")
            elif seen == ["BOOLEAN"]:
                exprs.append(f"CAST({c} AS BOOLEAN) AS {c}")
            elif seen == ["ARRAY"]:
                floats = f"list_contains(json_type({c}, '$[*]'), 'DOUBLE')"
                if row := self._first_row(typed, floats):  # (0: no such row)
                    self.diags.append(self._float(row, k, "an item of its list is "))
                    exprs.append(f"NULL AS {c}")
                else:
                    exprs.append(f"from_json({c}, '[\"VARCHAR\"]') AS {c}")
            elif "DOUBLE" in seen:
                row = self._first_row(typed, f"json_type({c}) = 'DOUBLE'")
                self.diags.append(self._float(row, k, ""))
                exprs.append(f"NULL AS {c}")
            else:
                row = self._first_row(typed, f"json_type({c}) = {literal(seen[-1])}")
                why = f"values of several kinds ({', '.join(s.lower() for s in seen)})"
                self.diags.append(
                    Diagnostic(
                        "E623",
                        f"{self.src.shown}: row {row}, column {k}: {why}",
                        hint='write such values as text ("12.5", "200万元") so they read exactly',
                    )
                )
                exprs.append(f"NULL AS {c}")
        return f"(SELECT {', '.join(exprs)} FROM {typed})"

    def _float(self, row: int, column: str, where: str) -> Diagnostic:
        return Diagnostic(
            "E623",
            f"{self.src.shown}: row {row}, column {column}: {where}a number with a fraction or "
            "an exponent, or beyond 64 bits, which DuckDB reads as a binary float",
            hint='write such values as text ("12.5", "200万元", ["2025"]) so they read exactly',
        )

    def _first_row(self, relation: str, condition: str) -> int:
        row = self.con.execute(
            f"SELECT min(_r) FROM (SELECT row_number() OVER () AS _r, * FROM {relation}) "
            f"WHERE {condition}"
        ).fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def rows_where(
        self, condition: str, show: str, limit: int = PER_COLUMN
    ) -> list[tuple[int, str, str]]:
        """``(row, value shown, extra)`` of the first rows where ``condition`` holds; ``show``
        is a SQL expression of what to show, and may give ``extra`` after a ``\\x1f``."""
        got = self.con.execute(
            f"SELECT _r, CAST({show} AS VARCHAR) FROM (SELECT row_number() OVER () AS _r, * "
            f"FROM {self.raw}) WHERE {condition} ORDER BY _r LIMIT {limit}"
        ).fetchall()
        out = []
        for r, text in got:
            value, _, extra = (text or "").partition("\x1f")
            out.append((int(r), value, extra))
        return out

    def add(
        self, code: str, row: int | None, column: str | None, message: str, hint: str | None
    ) -> None:
        where = ", ".join(
            x for x in (f"row {row}" if row else "", f"column {column}" if column else "") if x
        )
        self.diags.append(
            Diagnostic(
                code, f"{self.src.shown}: {where + ': ' if where else ''}{message}", hint=hint
            )
        )


_CSV_ROW = re.compile(
    r"Original Line: (.*?)\n.*?Expected Number of Columns: (\d+) Found: (\d+)", re.S
)


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")


def error_line(exc: BaseException) -> str:
    """DuckDB's error in a line: a CSV row of the wrong length by its text (DuckDB's
    count of lines passes over a newline inside quotes) and its cells; a line not UTF-8
    past the part read for the header (``tables_find``) by its number."""
    text = str(exc).strip()
    if "Invalid unicode" in text and (line := _CSV_LINE.search(text)):
        return (
            f"line {line.group(1)} is not UTF-8 text (saved as GBK, say: Excel's "
            "'CSV (逗号分隔)'); save the table as UTF-8 ('CSV UTF-8')"
        )
    if found := _CSV_ROW.search(text):
        row, want, got = found.groups()
        if int(got) > int(want):  # DuckDB stops counting at the first cell too many
            got = str(max(int(got), len(next(csv.reader([row]), []))))
        return f"a row has {got} cells, the header {want}: {row[:80]!r}"
    return first_line(exc)
