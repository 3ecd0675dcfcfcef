"""Generated claims of device measure 3 (京经信发〔2025〕50号 第3条), for the one-by-one benchmark.

第3条: 获批上市的医疗器械产品给予一次性资金奖励, 单个产品不超过 200 万元, 单个企业年度奖励
不超过 1000 万元.  Each claim is one product: eligible when it came through a listed route (or
another national project recognised as one) and was approved while the policy is in force;
paid its decided amount, at most 200 万元, once per product; a firm's claims of one year
(the year of approval) share 1000 万元 in order of approval day, then product id.

A claim is a plain tuple (:data:`Row`) so the hand-written loop and the facts given to
``policy.evaluate`` come from the same numbers.  Amounts are integer fen.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["MEASURE3", "Row", "as_facts", "by_firm", "claims", "hand_loop", "measure3_only"]

MEASURE3 = "jjxf_2025_50/3/launch_reward"

# (firm id, product number, approved_on, came through a route, other national project,
#  decided amount in fen)
Row = tuple[str, int, dt.date, bool, bool, int]

_FIRST = dt.date(2025, 10, 1)  # some claims fall before the policy is in force (2025-11-24)
_DAYS = 700  # approvals spread over 2025-10-01 .. 2027-08-31
_IN_FORCE = (dt.date(2025, 11, 24), dt.date(2028, 12, 31))
_PRODUCT_CAP = 200 * 10_000 * 100  # 200 万元 in fen
_FIRM_YEAR_CAP = 1000 * 10_000 * 100  # 1000 万元 in fen


def claims(n: int, per_firm: int = 20, seed: int = 3) -> list[Row]:
    """``n`` claims, ``per_firm`` to a firm (products P1, P2, ...), from a fixed seed."""
    rnd = random.Random(seed)
    out: list[Row] = []
    for i in range(n):
        firm, number = f"firm-{i // per_firm}", i % per_firm + 1
        routed = rnd.random() < 0.8
        other = rnd.random() < 0.5
        day = _FIRST + dt.timedelta(days=rnd.randrange(_DAYS))
        fen = rnd.randrange(50, 260) * 10_000 * 100 + rnd.randrange(100) * 100 + rnd.randrange(100)
        out.append((firm, number, day, routed, other, fen))
    return out


def as_facts(rows: Iterable[Row]) -> dict[str, Any]:
    """The facts file (as data) holding these claims: firms with their products."""
    firms: dict[str, list[dict[str, Any]]] = {}
    for firm, number, day, routed, other, fen in rows:
        firms.setdefault(firm, []).append(
            {
                "id": f"P{number}",
                "approved_on": day.isoformat(),
                "launch_routes": ["national_priority_review"] if routed else [],
                "other_national_project": other,
                "launch_reward_decided": f"{fen // 100}.{fen % 100:02d} 元",
            }
        )
    return {"firms": [{"id": f, "products": ps} for f, ps in firms.items()]}


def by_firm(rows: list[Row]) -> Iterator[list[Row]]:
    """The claims firm by firm (consecutive in :func:`claims`)."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][0] != rows[start][0]:
            yield rows[start:i]
            start = i


def hand_loop(rows: list[Row]) -> dict[tuple[str, int], int]:
    """Measure 3 by hand: the amount in fen of every eligible claim, by (firm, product)."""
    order = sorted(rows, key=lambda r: (r[2], r[0], r[1]))  # approval day, then ids
    paid: set[tuple[str, int]] = set()
    used: dict[tuple[str, int], int] = {}
    out: dict[tuple[str, int], int] = {}
    lo, hi = _IN_FORCE
    for firm, number, day, routed, other, fen in order:
        if not (routed or other) or not lo <= day <= hi or (firm, number) in paid:
            continue
        key = (firm, day.year)
        room = _FIRM_YEAR_CAP - used.get(key, 0)
        amount = min(fen, _PRODUCT_CAP, room if room > 0 else 0)
        used[key] = used.get(key, 0) + amount
        if amount:
            paid.add((firm, number))
        out[(firm, number)] = amount
    return out


def measure3_only(policy_dir: Any, into: Any) -> Any:
    """A copy of the shipped policy holding only measure 3 (and the shared entities), in
    the directory ``into``; returns it."""
    import shutil
    from pathlib import Path

    src, dst = Path(policy_dir), Path(into)
    lines = (src / "jjxf-2025-50.rule").read_text(encoding="utf-8").splitlines()
    head = lines[: next(i for i, line in enumerate(lines) if line.startswith("chapter"))]
    start = next(i for i, line in enumerate(lines) if line.startswith("clause 3 "))
    end = next(
        i for i in range(start + 1, len(lines)) if lines[i].startswith(("chapter", "clause"))
    )
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "jjxf-2025-50.rule").write_text("\n".join(head + lines[start:end]) + "\n", "utf-8")
    shutil.copy(src / "common.rule", dst / "common.rule")
    shutil.copytree(src / "sources", dst / "sources", dirs_exist_ok=True)
    return dst
