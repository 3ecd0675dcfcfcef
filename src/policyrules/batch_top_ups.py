"""A batch's grants that top up an earlier grant of the same provision, subject and year.

An award is an entitlement: where the earlier grants of its subject fall short of it (a
fact revised upward, an amount decided higher), a run pays the rest.  That payment has
the identity of the grant already paid when it counts in the same year, or in none (an
award under no yearly cap): a ledger holds one grant per provision, path of ids and year,
which is what tells a payment listed twice (E326 in a ledger table or file, E331 in a
store) from a new one.  Such a grant can never be appended or recorded beside the first;
the ledger must record their total as the one grant.  :func:`top_ups` finds them after
the run, for the summary to say so (one query over ``grants`` and the earlier ``ledger``,
on DuckDB; on Spark the same query, :func:`top_ups_sql`, over the grants written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import duckdb

from .runtime.money import Money
from .tables_values import ident

__all__ = ["NO_TOP_UPS", "TopUps", "top_ups", "top_ups_of", "top_ups_sql"]

_IDENTITY = ("provision", "amount_fen", "year")


@attrs.frozen
class TopUps:
    """``count`` grants of the run top up an earlier grant; ``first`` the first of them:
    its provision, path, year, the earlier amount and the run's (fen)."""

    count: int
    provision: str = ""
    path: str = ""
    year: int | None = None
    before: Money = attrs.field(factory=lambda: Money(0))
    now: Money = attrs.field(factory=lambda: Money(0))
    # the ids of ``path`` from the firm down (``F1/P2`` in Chinese, as a decision's subject)
    ids: tuple[str, ...] = attrs.field(default=(), kw_only=True)

    def text(self) -> str:
        """The summary's warning (none when there is no top-up)."""
        if not self.count:
            return ""
        n = "1 grant tops" if self.count == 1 else f"{self.count} grants top"
        year = "under no year" if self.year is None else f"in {self.year}"
        more = ", ..." if self.count > 1 else ""
        return (
            f"warning: {n} up an earlier grant of the same provision, subject and year "
            f"({self.provision} to {self.path} {year}: {self.before.format_cn()} before, "
            f"{self.now.format_cn()} now{more}): a ledger holds one grant per provision, "
            "subject and year, so it cannot be appended to the ledger table or recorded "
            "in a store beside the earlier one (E326, E331); if it is paid, record the "
            f"total as the one grant: set the earlier grant's amount to "
            f"{(self.before + self.now).format_cn()}"
        )

    def text_zh(self, label: str | None = None) -> str:
        """:meth:`text` in Chinese (``batch --lang zh``), the provision named by ``label``
        (as the Chinese summary names it) if given; amounts as the rest of it writes them."""
        if not self.count:
            return ""
        year = "不计年度" if self.year is None else f"{self.year} 年度"
        more = "等" if self.count > 1 else ""
        return (
            f"注意：有 {self.count} 笔发放是对同一措施、同一对象、同一年度已有一笔发放的补差"
            f"（{label or self.provision}，对象 {'/'.join(self.ids) or self.path}，{year}："
            f"此前 {self.before.format_cn()}，本次 {self.now.format_cn()}{more}）；"
            "台账中每一措施、对象、年度只有一笔，补差不能追加到台账表，也不能与已有的一笔"
            "并列记入台账库（E326、E331）；如予发放，请把合计作为这一笔记录：将已有一笔的金额改为 "
            f"{(self.before + self.now).format_cn()}"
        )

    def to_json(self) -> dict[str, object]:
        """``{"grants": 1, "first": {...}}`` (amounts in fen)."""
        first = {
            "provision": self.provision,
            "subject": self.path,
            "year": self.year,
            "before_fen": self.before.fen,
            "now_fen": self.now.fen,
        }
        return {"grants": self.count, "first": first if self.count else None}


NO_TOP_UPS = TopUps(0)


def top_ups(con: duckdb.DuckDBPyConnection) -> TopUps:
    """The run's ``grants`` whose identity (provision, ids, year) an earlier grant of more
    than 0.00 元 in ``ledger`` has: how many, and the first by provision and path."""
    path = [c for c in con.table("grants").columns if c not in _IDENTITY]
    return top_ups_of(path, con.execute(top_ups_sql(path, ident)).fetchall())


def top_ups_sql(
    path: Sequence[str],
    quote: Callable[[str], str],
    grants: str = "grants",
    ledger: str = "ledger",
) -> str:
    """The query :func:`top_ups` runs, in SQL DuckDB and Spark both read (``quote``: the
    engine's quoting of an identifier): one row, the first top-up and how many there are.
    NULLs (an id or year not given) are ordered last on both, as DuckDB orders them."""
    same = " AND ".join(
        f"g.{quote(c)} IS NOT DISTINCT FROM e.{quote(c)}" for c in ["provision", *path, "year"]
    )
    shown = ", ".join(f"g.{quote(c)}" for c in ["provision", *path, "year"])
    order = ", ".join(f"{i} NULLS LAST" for i in range(1, len(path) + 5))
    return (
        f"SELECT {shown}, e.amount, g.amount_fen, count(*) OVER () "
        f"FROM {grants} g JOIN {ledger} e ON {same} "
        f"WHERE g.amount_fen > 0 AND e.amount > 0 ORDER BY {order} LIMIT 1"
    )


def top_ups_of(path: Sequence[str], rows: Sequence[Sequence[object]]) -> TopUps:
    """:class:`TopUps` from the rows of :func:`top_ups_sql` (none, or one)."""
    if not rows:
        return NO_TOP_UPS
    provision, *values = rows[0][: len(path) + 1]
    year, before, now, n = rows[0][len(path) + 1 :]
    said = ", ".join(f"{c} {v}" for c, v in zip(path, values, strict=True) if v is not None)
    return TopUps(
        int(str(n)),
        str(provision),
        said,
        None if year is None else int(str(year)),
        Money(int(str(before))),
        Money(int(str(now))),
        ids=tuple(str(v) for v in values if v is not None),
    )
