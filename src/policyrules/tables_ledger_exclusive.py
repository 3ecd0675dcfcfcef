"""E344 in the batch's ledger: two awards of one exclusive group both paid for one record.

The one-by-one reader refuses such a ledger (:func:`policyrules.ledger_check.check_exclusive`);
the batch, which now computes exclusive groups, would read both grants and exclude every
claim of the record, saying nothing.  So the merged ``_ledger_all`` table of
:func:`policyrules.tables_ledger_check.check_ledger` is searched in SQL for records of a
group's ``among`` entity with payments under two of its awards (the first few), and only
those records' grants are read back, to be refused with the one-by-one reader's own words
(:func:`~policyrules.ledger_check.exclusive_error`).  DuckDB SQL text, run on Spark as
written there, as the other checks are.
"""

from __future__ import annotations

from typing import Any

from .errors import LedgerError
from .ledger_check import exclusive_error, exclusive_twice
from .ledger_keys import grant_keys
from .model import CheckedPolicy
from .runtime.grants import Grant
from .runtime.money import Money
from .tables_ledger_sql import LedgerSql
from .tables_values import ident, literal

__all__ = ["check_exclusive_sql"]

_SHOW = 3  # records shown per group


def check_exclusive_sql(policy: CheckedPolicy, sql: LedgerSql) -> None:
    """:raises LedgerError: (E344) for each record (the first few of each group) of
    ``_ledger_all`` paid under two awards of one exclusive group; a grant of 0.00 元 is no
    payment, and one grant given by two parts is one."""
    keys = grant_keys(policy)
    names = [e.name for e in policy.entities]
    found: list[tuple[Grant, str]] = []
    for group in policy.exclusivity.groups:
        chain = next((keys[a].chain for a in group.awards if a in keys), ())
        if group.among not in chain:
            continue  # refused elsewhere (E295)
        scope = [ident(e) for e in chain[: chain.index(group.among) + 1]]
        awards = ", ".join(literal(a) for a in group.awards)
        paid = f"provision IN ({awards}) AND amount > 0"
        records = sql.rows(
            f"SELECT {', '.join(scope)} FROM _ledger_all WHERE {paid} GROUP BY ALL "
            f"HAVING count(DISTINCT provision) > 1 ORDER BY {', '.join(scope)} LIMIT {_SHOW}"
        )
        for record in records:
            match = " AND ".join(
                f"{c} = {literal(str(v))}" for c, v in zip(scope, record, strict=True)
            )
            cols = ", ".join(["provision", *map(ident, names), "amount", "year"])
            rows = sql.rows(f"SELECT {cols}, _from, _row FROM _ledger_all WHERE {paid} AND {match}")
            seen: set[tuple[Any, ...]] = set()
            for r in sorted(rows, key=lambda r: (str(r[-2]), int(r[-1]))):  # by part, then row
                if tuple(r[:-2]) in seen:
                    continue  # the same grant given by another part (or again): one grant
                seen.add(tuple(r[:-2]))
                ids = zip(names, r[1:-4], strict=True)
                path = tuple((n, str(v)) for n, v in ids if v is not None)
                grant = Grant(str(r[0]), path, Money(int(r[-4])), r[-3])
                found.append((grant, f"{r[-2]} row {r[-1]}"))
    pairs = exclusive_twice(policy, found)
    if pairs:
        raise LedgerError(exclusive_error(pairs))
