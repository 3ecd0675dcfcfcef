"""``--format text|json|jsonl|csv``: one way for every command that prints results; and
``--lang zh|en`` (:func:`add_lang`, :func:`chosen_lang`), the language of their text.

- ``json``: one document, indented (what ``--json`` printed before; ``--json`` stays as its
  alias);
- ``jsonl``: one compact JSON object a line, one line per row (a decision, a grant, a
  measure, a change), for ``jq -c``, ``grep`` and stream readers;
- ``csv``: a header line then one line per row, by the standard library's :mod:`csv`
  (RFC 4180 quoting, ``\\n`` line ends as the batch engine's CSV files have).  A list is
  written as a JSON array (as :mod:`policyrules.tables` reads it back), an absent value as
  an empty cell.  Money appears twice: ``*_fen``, an integer number of fen (for sums), and
  ``*_yuan``, the exact amount in 元 as text with two decimals (``"2000000.00"``, for
  people and spreadsheets); never a float.

Text cells go through :func:`~policyrules.terminal.printable` (control and bidi characters
shown escaped), JSON through :func:`~policyrules.terminal.json_printable`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from .decisions import Decision
from .explain import Explainable, decision_json, result_json
from .result import LANGUAGES, check_lang
from .runtime.money import Money
from .terminal import indented_json, json_printable, printable

__all__ = [
    "DECISION_COLUMNS",
    "FORMATS",
    "add_format",
    "add_lang",
    "chosen_lang",
    "decision_row",
    "money_cells",
    "write_csv",
    "write_decisions",
    "write_indented_json",
    "write_json",
    "write_jsonl",
    "write_rows",
]

FORMATS = ("text", "json", "jsonl", "csv")


def add_format(
    parser: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS, json_alias: bool = True
) -> None:
    """Add ``--format`` (default ``text``) to ``parser``, and ``--json`` as its alias."""
    parser.add_argument(
        "--format",
        choices=formats,
        default="text",
        help="how to print the results: " + ", ".join(formats) + " (default text)",
    )
    if json_alias:
        parser.add_argument(
            "--json",
            dest="format",
            action="store_const",
            const="json",
            help="the same as --format json",
        )


def add_lang(parser: argparse.ArgumentParser, rows: str = "decision") -> None:
    """Add ``--lang zh|en`` to ``parser`` (read by :func:`chosen_lang`); ``rows`` names what
    carries ``text_zh`` in its JSON."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of the text: zh (中文, the default) or en; default "
        f"POLICYRULES_LANG if set. JSON keys stay English; each {rows} gains text_zh",
    )


def chosen_lang(args: argparse.Namespace, default: str = "zh") -> str:
    """``--lang``, else ``POLICYRULES_LANG``, else ``default``: Chinese but for the batch's
    summary (E425 for another language)."""
    return check_lang(args.lang or os.environ.get("POLICYRULES_LANG") or default)


def write_json(data: Any) -> None:
    """``data`` as indented JSON, then a newline."""
    sys.stdout.write(json_printable(indented_json(data)) + "\n")


def _indented(value: Any) -> str:
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode()


def write_indented_json(data: Mapping[str, Any]) -> None:
    """``data`` (no floats) as :func:`write_json` writes it, byte for byte, in C and piece by
    piece: each top-level value, each item of a top-level list on its own, so the whole
    text is never held at once (``eval --format json`` of 30,000 products writes 0.6 GB)."""
    out = sys.stdout
    if not data:
        out.write("{}\n")
        return
    out.write("{\n")
    last = len(data) - 1
    for n, (key, value) in enumerate(data.items()):
        out.write(f"  {_indented(str(key))}: ")
        if isinstance(value, list | tuple) and value:
            out.write("[\n")
            end = len(value) - 1
            for i, item in enumerate(value):
                # JSON text holds no newline inside a string, so lines are indented safely
                text = "    " + _indented(item).replace("\n", "\n    ")
                out.write(json_printable(text) + (",\n" if i < end else "\n"))
            out.write("  ]")
        else:
            out.write(json_printable(_indented(value).replace("\n", "\n  ")))
        out.write(",\n" if n < last else "\n")
    out.write("}\n")


def write_jsonl(rows: Iterable[Mapping[str, Any]]) -> None:
    """One compact JSON object a line."""
    for row in rows:
        sys.stdout.write(json_printable(json.dumps(row, ensure_ascii=False)) + "\n")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return printable(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    return printable(str(value))


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A header of ``columns``, then one line per row (a missing key: an empty cell)."""
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(columns)
    for row in rows:
        out.writerow([_cell(row.get(c)) for c in columns])


def write_rows(
    fmt: str, data: Any, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]
) -> None:
    """``data`` for ``json``; ``rows`` for ``jsonl`` and ``csv`` (with ``columns``)."""
    if fmt == "json":
        write_json(data)
    elif fmt == "jsonl":
        write_jsonl(rows)
    else:
        write_csv(rows, columns)


def money_cells(name: str, m: Money | None) -> dict[str, Any]:
    """``{NAME_fen: 2000000, NAME_yuan: "20000.00"}`` (both ``None`` for no amount)."""
    return {
        f"{name}_fen": None if m is None else m.fen,
        f"{name}_yuan": None if m is None else str(m.yuan),
    }


DECISION_COLUMNS = (
    "provision",
    "kind",
    "document_number",
    "clause",
    "title",
    "subject",
    "status",
    "amount_fen",
    "amount_yuan",
    "amount_kind",
    "missing_facts",
    "missing_parameters",
    "reasons",
)
"""The columns of a decision in CSV (the rest of it is in the JSON forms)."""


def decision_row(d: Decision) -> dict[str, Any]:
    """One decision as a flat row of :data:`DECISION_COLUMNS`."""
    return {
        "provision": d.provision,
        "kind": d.kind,
        "document_number": d.document_number,
        "clause": d.clause_label,
        "title": d.title,
        "subject": d.subject,
        "status": d.status,
        **money_cells("amount", d.amount),
        "amount_kind": d.amount_kind,
        "missing_facts": list(d.missing_facts),
        "missing_parameters": list(d.missing_parameters),
        "reasons": list(d.reasons),
    }


def write_decisions(
    fmt: str,
    result: Explainable,
    decisions: Sequence[Decision] | None = None,
    *,
    all_earlier: bool = False,
) -> None:
    """A result in ``fmt`` (not ``text``): ``json`` the whole result (as ``eval --json``),
    ``jsonl`` one decision a line (as in ``json``), ``csv`` one decision a row.  Given
    ``decisions`` (some of ``result``'s), only those: ``json`` is then ``{"decisions": [...]}``."""
    chosen = result.decisions if decisions is None else decisions
    if fmt == "json" and decisions is None:
        write_json(result_json(result, all_earlier=all_earlier))
    elif fmt == "json":
        write_json({"decisions": [decision_json(d, all_earlier=all_earlier) for d in chosen]})
    elif fmt == "jsonl":
        write_jsonl(decision_json(d, all_earlier=all_earlier) for d in chosen)
    else:
        write_csv((decision_row(d) for d in chosen), DECISION_COLUMNS)
