"""Generate a registry for ``policyrules batch``: N firms with products, projects and more.

Run on demand::

    python benchmarks/gen_registry.py 100000 /tmp/reg            # 100,000 firms
    python benchmarks/gen_registry.py 500000 /tmp/reg --products 20 --ledger

Writes one Parquet file per entity of the shipped policy (``firms.parquet``,
``products.parquet`` with ``firm_id``, ``projects.parquet``...), every declared fact a
column of its type (money as DECIMAL(18,2) 元, rates as text ``"30%"``, dates as DATE,
sets as lists), about one value in ten missing.  Deterministic: the same N gives the same
files (values come from arithmetic on the row's number, not a random generator).  Built by
DuckDB in SQL, so 10^7 rows take seconds, not a Python loop.  ``--ledger`` adds earlier
grants of measure 3's launch reward for one firm in twenty.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

import policyrules
from policyrules.model import CheckedPolicy, EntityInfo
from policyrules.types import Type

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "beijing_2025"


def _rnd(seed: str, salt: int, modulo: int) -> str:
    """A well-spread number in 0..modulo-1 from ``seed`` (a BIGINT SQL expression)."""
    mixed = f"((({seed}) * 1103515245 + {salt} * 2654435761 + 12345) % 2147483647)"
    return f"((({mixed} * 48271 + {salt}) % 2147483647) % {modulo})"


def _value(typ: Type, policy: CheckedPolicy, seed: str, salt: int) -> str:
    r = lambda m, k=0: _rnd(seed, salt * 7 + k, m)  # noqa: E731
    kind = typ.kind
    if kind == "date":
        return f"(DATE '2025-01-01' + CAST({r(700)} AS INTEGER))"
    if kind == "money":
        return f"CAST(({r(500)} + 1) * 10000 AS DECIMAL(18,2))"  # 1万 .. 500万元
    if kind == "bool":
        return f"({r(3)} > 0)"
    if kind == "number":
        return f"CAST(2023 + {r(4)} AS DECIMAL(18,0))"  # years, counts
    if kind == "rate":
        return f"CAST(10 + {r(60)} AS VARCHAR) || '%'"
    if kind == "text":
        return f"'名称' || CAST({seed} AS VARCHAR)"
    if kind == "duration":
        return f"CAST(1 + {r(30)} AS BIGINT)"
    if kind == "enum":
        info = policy.enum(typ.name or "")
        members = list(info.member_names) if info else ["x"]
        items = ", ".join(f"'{m}'" for m in members)
        return f"([{items}])[1 + {r(len(members))}]"
    if kind in ("set", "list"):
        element = typ.element or Type("text")
        one = _value(element, policy, seed, salt * 3 + 1)
        two = _value(element, policy, seed, salt * 3 + 2)
        pick = r(4, 5)
        lst = f"(CASE {pick} WHEN 0 THEN [] WHEN 1 THEN [{one}] ELSE [{one}, {two}] END)"
        return f"list_sort(list_distinct({lst}))" if kind == "set" else lst
    return "NULL"


def _columns(ent: EntityInfo, policy: CheckedPolicy, seed: str) -> list[str]:
    out = []
    for n, fact in enumerate(ent.facts, start=1):
        if fact.name == "id":
            continue
        value = _value(fact.type, policy, seed, n)
        missing = _rnd(seed, 1000 + n, 10)  # one value in ten is missing
        out.append(f'CASE WHEN {missing} = 0 THEN NULL ELSE {value} END AS "{fact.name}"')
    return out


def generate(n: int, out: Path, products: int = 20, ledger: bool = False) -> dict[str, int]:
    """Write the registry of ``n`` firms to ``out``; returns rows per table."""
    policy = policyrules.load(POLICY).checked
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    per = {"products": products, "projects": 2}
    rows: dict[str, int] = {}
    pending = [e for e in policy.entities]
    done: set[str] = set()
    while pending:
        ent = next(e for e in pending if e.parent is None or e.parent in done)
        pending.remove(ent)
        done.add(ent.name)
        if ent.single:
            body = f"SELECT '{ent.name}' AS id, {', '.join(_columns(ent, policy, '1'))}"
        elif ent.parent is None:
            count = n if ent.key == "firms" else max(1, n // 100)
            prefix = "F" if ent.key == "firms" else ent.key[:3].upper()
            seed = "i"
            body = (
                f"SELECT '{prefix}' || lpad(CAST(i AS VARCHAR), 8, '0') AS id, "
                f"{', '.join(_columns(ent, policy, seed))} FROM range({count}) t(i)"
            )
        else:
            parent = policy.entity(ent.parent)
            assert parent is not None
            avg = per.get(ent.key, 1)
            # 0 .. 2×avg-1 children per owner (avg on average), ids unique under the owner.
            many = _rnd("p.i", len(ent.key), 2 * avg)
            seed = "(k.i * 1000 + k.j)"
            body = (
                f"SELECT '{ent.key[:1].upper()}' || CAST(k.j AS VARCHAR) AS id, "
                f'k.pid AS "{parent.name}_id", {", ".join(_columns(ent, policy, seed))} '
                f"FROM (SELECT p.i, p.id AS pid, unnest(range({many})) AS j "
                f"FROM _{parent.key} p) k"
            )
        keep = "" if ent.single else "row_number() OVER () - 1 AS i, "
        con.execute(f"CREATE TABLE _{ent.key} AS SELECT {keep}* FROM ({body})").fetchall()
        target = out / f"{ent.key}.parquet"
        con.execute(
            f"COPY (SELECT * EXCLUDE (i) FROM _{ent.key}) TO '{target}' (FORMAT parquet)"
            if not ent.single
            else f"COPY (SELECT * FROM _{ent.key}) TO '{target}' (FORMAT parquet)"
        ).fetchall()
        rows[ent.key] = int(con.execute(f"SELECT count(*) FROM _{ent.key}").fetchall()[0][0])
    if ledger:
        con.execute(
            "COPY (SELECT 'jjxf_2025_50/3/launch_reward' AS provision, id AS firm, "
            "'OLD-1' AS product, CAST(1000000 AS DECIMAL(18,2)) AS amount, 2026 AS year "
            f"FROM _firms WHERE {_rnd('i', 99, 20)} = 0) TO '{out / 'ledger.parquet'}' "
            "(FORMAT parquet)"
        ).fetchall()
        rows["ledger"] = int(
            con.execute(f"SELECT count(*) FROM '{out / 'ledger.parquet'}'").fetchall()[0][0]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("n", type=int, help="how many firms")
    p.add_argument("out", type=Path, help="the registry directory to write")
    p.add_argument("--products", type=int, default=20, help="products per firm on average")
    p.add_argument("--ledger", action="store_true", help="add a ledger of earlier grants")
    args = p.parse_args(argv)
    started = time.perf_counter()
    rows = generate(args.n, args.out, args.products, args.ledger)
    took = time.perf_counter() - started
    listed = ", ".join(f"{k} {v}" for k, v in rows.items())
    print(f"wrote {args.out}: {listed} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
