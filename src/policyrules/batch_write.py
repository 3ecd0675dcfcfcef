"""The batch's outputs written: the ``decisions`` and ``grants`` of a DuckDB connection to a
directory, all or nothing (:func:`write_outputs`), and the grants as a JSON ledger file's
text (:func:`grants_ledger`, for ``batch --ledger-out``).  Re-exported by
:mod:`policyrules.batch`, whose :class:`~policyrules.batch.BatchResult` writes through them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from .errors import Diagnostic, TableError, first_line
from .progress import Progress
from .runtime.bases import Basis
from .tables import FORMATS
from .tables_values import ident, literal

__all__ = [
    "OUTPUTS",
    "Readings",
    "check_format",
    "check_out",
    "grants_ledger",
    "grants_ledger_read",
    "json_key",
    "put_in_place",
    "run_sql",
    "table_provisions",
    "umask",
    "value_refused",
    "write_outputs",
]

OUTPUTS = ("decisions", "grants")
# The readings a run used for given provisions: readings_of at the run's assumption values.
Readings = Callable[[Iterable[str]], list[Basis]]


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run ``sql`` on ``con`` to the end (its rows, if any, are dropped)."""
    con.execute(sql).fetchall()


def table_provisions(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The provisions ``table`` (a ledger) holds grants of."""
    return [r[0] for r in con.execute(f"SELECT DISTINCT provision FROM {ident(table)}").fetchall()]


def _refuse(path: Path, why: str, hint: str | None = None) -> TableError:
    return TableError(Diagnostic("E631", f"cannot write {path}: {why}", hint=hint))


def value_refused(what: str, exc: duckdb.DataError) -> TableError:
    """E633: a value DuckDB cannot compute exactly while ``what`` runs (an overflow of
    DECIMAL(38) or of BIGINT fen, a failed cast), never a traceback or a rounded number."""
    return TableError(
        Diagnostic(
            "E633",
            f"{what}: a value DuckDB cannot compute exactly: {first_line(exc)}",
            hint="a value beyond what the batch holds (an amount beyond BIGINT fen, about "
            "9.2 × 10^16 元; a product of more than 38 digits; a date beyond DuckDB's): check "
            "the registry's magnitudes, or evaluate those firms one at a time (`policyrules "
            "eval POLICY REGISTRY --firm ID`), which computes up to 40 digits",
        )
    )


def _ours(name: str) -> bool:
    stem, _, ext = name.partition(".")
    return stem in OUTPUTS and ext in FORMATS


def check_format(fmt: str) -> None:
    """:raises TableError: E632 unless ``fmt`` is an output format (``FORMATS``)."""
    if fmt not in FORMATS:
        raise TableError(
            Diagnostic("E632", f"unknown format {fmt!r}", hint="parquet, csv or jsonl")
        )


def check_out(out: Path) -> None:
    """Refuse a local output directory ``out`` before anything is written.

    :raises TableError: E631 if ``out`` is a file, or a directory holding anything but
        earlier outputs (it is never emptied of other files), or its parent is missing."""
    if out.exists() and not out.is_dir():
        raise _refuse(out, "it is not a directory", "name a directory for the outputs")
    if out.is_dir():
        others = sorted(p.name for p in out.iterdir() if not _ours(p.name))
        if others:
            raise _refuse(
                out,
                f"it holds other files ({', '.join(others[:3])})",
                "name a new directory, or one holding only earlier outputs",
            )
    parent = out.absolute().parent
    if not parent.is_dir():
        raise _refuse(out, f"no such directory {parent}", "make the directory first")


def put_in_place(tmp: Path, out: Path) -> None:
    """The outputs written into ``tmp`` (a directory beside ``out``) become ``out``, with
    the mode a new directory gets, replacing the earlier outputs there in one rename.

    :raises OSError: as the file system refuses."""
    os.chmod(tmp, 0o777 & ~umask())
    if out.is_dir():
        old = Path(tempfile.mkdtemp(dir=out.absolute().parent, prefix=f".{out.name}.old."))
        os.replace(out, old / out.name)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


def write_outputs(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    fmt: str = "parquet",
    progress: Progress | None = None,
    *,
    sort: bool = False,
) -> None:
    """Write ``decisions`` and ``grants`` of ``con`` into the directory ``out`` as
    ``decisions.<fmt>`` and ``grants.<fmt>`` (``parquet``, ``csv`` or ``jsonl``); with
    ``sort``, decisions sorted by firm, subject and provision and grants by every column
    (a sort of 10^7 rows costs about as much as the run: rows are otherwise in no order).
    All or nothing: the tables are written into a temporary
    directory beside ``out``, which then replaces it.  A CSV holds a list as a JSON array,
    as the reader takes it.

    :raises TableError: E631 if ``out`` is a file, or a directory holding anything but
        earlier outputs (it is never emptied of other files), or cannot be written; E632
        an unknown format.
    """
    check_format(fmt)
    show = progress or Progress(enabled=False)
    check_out(out)
    parent = out.absolute().parent
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}."))
    except OSError as exc:
        raise _refuse(out, exc.strerror or str(exc)) from None
    try:
        for table, order in (
            ("decisions", "firm, subject, provision"),
            ("grants", "provision, amount_fen"),
        ):
            described = con.execute(f"DESCRIBE {table}").fetchall()
            cols = []
            for name, ty, *_ in described:
                c = ident(str(name))
                if fmt == "csv" and str(ty).endswith("[]"):
                    c = f"CAST(to_json({c}) AS VARCHAR) AS {c}"
                elif str(ty) in ("HUGEINT", "UHUGEINT"):
                    # Parquet has no 128-bit integer (DuckDB would write a DOUBLE): fen are
                    # BIGINT, and an amount beyond it is an error, never a rounded number.
                    c = f"CAST({c} AS BIGINT) AS {c}"
                cols.append(c)
            if table == "grants":
                order = ", ".join(ident(str(r[0])) for r in described)
            options = {
                "parquet": "FORMAT parquet",
                "csv": "FORMAT csv, HEADER true",
                "jsonl": "FORMAT json",
            }[fmt]
            target = tmp / f"{table}.{fmt}"
            with show.step(f"writing {table}", con):
                run_sql(
                    con,
                    f"COPY (SELECT {', '.join(cols)} FROM {table}"
                    + (f" ORDER BY {order}) " if sort else ") ")
                    + f"TO {literal(str(target))} ({options})",
                )
        put_in_place(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _refuse(out, exc.strerror or str(exc)) from None
    except duckdb.DataError as exc:  # the decisions are computed as they are written
        shutil.rmtree(tmp, ignore_errors=True)
        raise value_refused(f"writing {out}", exc) from None
    except duckdb.Error as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _refuse(out, first_line(exc)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def grants_ledger(
    con: duckdb.DuckDBPyConnection, bases: Iterable[Basis] = (), table: str = "grants"
) -> str:
    """The ``grants`` of ``con`` (or another ``table`` of grants: a ledger's) as the text of
    a JSON ledger file (``{"ledger": [...]}``, each grant naming only the ids of its path,
    the amount in 元 as exact text), for ``policyrules ledger import STORE FILE``, with
    ``"bases"`` (``{provision, assumption, value}`` each) when ``bases`` has any.  The
    grants are built by DuckDB into one text; columns named ``_…`` are not the grants'."""
    got = con.execute(f"DESCRIBE {ident(table)}").fetchall()
    described = [str(r[0]) for r in got if not str(r[0]).startswith("_")]
    fen = "amount_fen" if "amount_fen" in described else "amount"  # (grants; a ledger's)
    ids = [n for n in described if n not in ("provision", fen, "year")]
    fields = [
        "'\"provision\": ' || to_json(provision)",
        *(f"{literal(json_key(n))} || to_json({ident(n)})" for n in ids),
        f"'\"amount\": \"' || CAST({fen} // 100 AS VARCHAR) || '.' || "
        f"lpad(CAST({fen} % 100 AS VARCHAR), 2, '0') || '\"'",
        "'\"year\": ' || CAST(year AS VARCHAR)",
    ]
    order = ", ".join(ident(n) for n in described)
    got = con.execute(
        f"SELECT string_agg('{{' || concat_ws(', ', {', '.join(fields)}) || '}}', "
        f"',' || chr(10) || '  ' ORDER BY {order}) FROM {ident(table)}"
    ).fetchall()[0][0]
    said = [{"provision": p, "assumption": n, "value": v} for p, n, v in bases]
    tail = f',\n"bases": {json.dumps(said, ensure_ascii=False)}' if said else ""
    return '{"ledger": [\n  ' + got + "\n]" + tail + "}\n" if got else '{"ledger": []}\n'


def grants_ledger_read(con: duckdb.DuckDBPyConnection, readings: Readings | None) -> str:
    """:func:`grants_ledger` with ``bases``: ``readings`` of the provisions ``grants``
    holds (none without ``readings``)."""
    return grants_ledger(con, readings(table_provisions(con, "grants")) if readings else [])


def json_key(name: str) -> str:
    """``"name": `` (JSON)."""
    return json.dumps(name, ensure_ascii=False) + ": "


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
