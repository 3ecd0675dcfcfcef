"""The clause reference's overview: every measure of a policy in one table (issue 12 §3).

One row a measure: 编号 (its document's number and label, linking to the measure), 标题, 类型
(the kinds of its provisions, in Chinese), 最高金额 (the fixed money caps of its awards, each
with what it counts per), 对象 (who or what the provisions are for, by the entities' titles)
and 未定事项 (how many parameters the text leaves unset and how many readings are assumed).
Built from the checked policy, so it cannot drift from the encoding.
"""

from __future__ import annotations

import importlib.util
import re
from typing import TYPE_CHECKING

from .model import CheckedPolicy, ClauseInfo
from .printer import print_expr
from .sphinxext_pages import KIND_NAMES
from .vocab import heading_zh

__all__ = ["KIND_NAMES", "fixed_caps", "overview_page"]


# A cap whose limit is a sum of money written in the policy (``200 万元``), not a rate of a
# base or a fact: the overview shows only those.
_MONEY = re.compile(r"^[0-9][0-9,.]* *(万元|亿元|元)$")


def fixed_caps(checked: CheckedPolicy, clause: ClauseInfo) -> list[str]:
    """The fixed money caps of the clause's awards, each once, in order, as
    ``200 万元／每个医疗器械产品`` or ``1000 万元／每个企业每年`` (a cap with no ``per`` counts
    each grant on its own: just the sum).

    >>> import policyrules
    >>> checked = policyrules.load("policies/beijing_2025").checked
    >>> fixed_caps(checked, checked.clause("jjxf_2025_50/3"))
    ['200 万元／每个医疗器械产品', '1000 万元／每个企业每年']
    >>> fixed_caps(checked, checked.clause("jjxf_2025_50/2"))
    []
    """
    out: list[str] = []
    for p in clause.provisions:
        for cap in p.caps:
            limit = print_expr(cap.limit)
            if p.kind != "award" or not _MONEY.match(limit):
                continue
            per = "".join(f"每个{_entity_title(checked, e)}" for e in cap.per)
            per += "每年" if cap.year_of is not None else ""
            text = f"{limit}／{per}" if per else limit
            if text not in out:
                out.append(text)
    return out


def _entity_title(checked: CheckedPolicy, name: str) -> str:
    info = checked.entity(name)
    return info.title if info is not None and info.title else name


if TYPE_CHECKING or importlib.util.find_spec("sphinx") is not None:
    from docutils import nodes

    from .sphinxext_pages import _measure_link, _para, _table

    def overview_page(checked: CheckedPolicy) -> list[nodes.Node]:
        """The overview table: a row per measure, documents in the policy's order."""
        numbers = {d.name: d.number or d.name for d in checked.documents}
        rows: list[list[nodes.Node | str]] = []
        for c in checked.clauses:
            head = heading_zh(numbers.get(c.document, c.document), c.label)
            kinds = "、".join(dict.fromkeys(KIND_NAMES.get(k, k) for k in c.kinds))
            subjects = dict.fromkeys(
                _entity_title(checked, p.subject) for p in c.provisions if p.subject
            )
            params = [
                n
                for n in dict.fromkeys(
                    [*c.parameters, *(x for p in c.provisions for x in p.parameters)]
                )
                if (info := checked.parameter(n)) is not None and info.default is None
            ]
            assumed = dict.fromkeys(
                [*c.assumptions, *(x for p in c.provisions for x in p.assumptions)]
            )
            open_items = [
                *([f"未定参数 {len(params)} 项"] if params else []),
                *([f"假设 {len(assumed)} 项"] if assumed else []),
            ]
            rows.append(
                [
                    _para(_measure_link(c.id, head)),
                    c.title or "—",
                    kinds or "—",
                    "；".join(fixed_caps(checked, c)) or "—",
                    "、".join(subjects) or "—",
                    "；".join(open_items) or "—",
                ]
            )
        return [
            _table(
                ["编号", "标题", "类型", "最高金额", "对象", "未定事项"],
                rows,
                [18, 18, 12, 22, 16, 14],
                "overview",
            )
        ]
