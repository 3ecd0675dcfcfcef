"""``policyrules ledger show STORE``: a store's grants, one a line (text), or as JSON, JSON
Lines or CSV (the amount in fen and in 元 text, docs/cli.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .output import write_csv, write_jsonl
from .runtime.ledger import Ledger
from .store import LedgerStore
from .terminal import json_printable, printable

__all__ = ["cmd_show"]


def _show_columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, first seen first (a grant names only its own entities)."""
    return list(dict.fromkeys(k for row in rows for k in row))


def cmd_show(args: argparse.Namespace) -> int:
    """List the store's grants in ``args.format`` (text, json, jsonl or csv)."""
    with LedgerStore.open(Path(args.store), create=False) as store:
        records = store.records()
    if args.format != "text":
        rows = [
            {
                "seq": r.seq,
                **r.grant.to_json(),
                "batch": r.batch,
                "recorded_at": r.recorded_at,
                "note": r.note,
            }
            for r in records
        ]
        if args.format == "json":
            print(json_printable(json.dumps(rows, ensure_ascii=False, indent=2)))
        elif args.format == "jsonl":
            write_jsonl(rows)
        else:  # the amount in fen and in 元 text (docs/cli.md)
            flat = [
                {
                    ("amount_yuan" if k == "amount" else k): v
                    for k, v in {**row, "amount_fen": r.grant.amount.fen}.items()
                }
                for row, r in zip(rows, records, strict=True)
            ]
            write_csv(flat, _show_columns(flat))
        return 0
    for r in records:
        g = r.grant
        path = " / ".join(f"{e} {i}" for e, i in g.path)
        year = str(g.year) if g.year is not None else "-"
        tier = f"  tier {g.tier}" if g.tier is not None else ""
        line = f"#{r.seq}  {r.recorded_at}  {g.provision}  {path}  {year}  {g.amount}{tier}"
        print(printable(line))
    total = Ledger(r.grant for r in records).total()
    print(f"{len(records)} grant(s), {total}")
    return 0
