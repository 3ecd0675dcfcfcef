"""A payment schedule (``paid …``) in a reader's words, for the measure's summary (给予).

``paid over 3 years from approved_on: 40%, 30%, 30% remainder last`` reads
``分 3 年拨付（40%、30%、30%），第 1 年为起算日期所在年度；各期向下取整到分，余下的分计入最后一期``.
"""

from __future__ import annotations

from . import syntax as s
from .runtime.values import format_value

__all__ = ["schedule_words"]


def schedule_words(p: s.Provision) -> str | None:
    """The sentence of ``p``'s schedule, or ``None`` without one."""
    x = next((st for st in p.body if isinstance(st, s.Schedule)), None)
    if x is None:
        return None
    first = "第 1 年为起算日期所在年度"
    if x.yearly:
        return f"逐年拨付，共 {x.years} 年，每年金额按当年计算，{first}"
    shares = "、".join(f"{format_value(r.number)}%" for r in x.shares if isinstance(r, s.RateLit))
    who = "第一期" if x.remainder == "first" else "最后一期"
    return f"分 {x.years} 年拨付（{shares}），{first}；各期向下取整到分，余下的分计入{who}"
