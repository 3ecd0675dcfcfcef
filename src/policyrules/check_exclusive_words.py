"""W268: a clause whose quote says its awards are not paid twice, and no statement says so.

「同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持，不重复支持」 with no ``exclusive``
line pays a project under both clauses.  W290 sees such a pair only when both awards read the
same money fact; two awards paying shares of different investments (设备投资, 总投资) pass it.
So the quote is read too: a clause whose quote states exclusivity (:data:`EXCLUSIVE`: 不重复支持,
就高, 不再支持, 不重复享受, 不得重复申报, 不可兼得, 不与…叠加, 择一, …) is warned at the clause when
neither an ``exclusive`` nor a ``cumulative`` statement stands in it and none names one of its
awards; where the quote names the clauses it excludes (与第三条不重复支持), the statement must
name an award of each (:mod:`policyrules.check_named_clauses`).  Not exclusivity, so never
warned: 不再实施 / 不再执行 (a procedure dropped, a rule
superseded), 可叠加享受 (cumulation), 避免重复建设.

Some exclusions no statement can say: 已获得市级财政资金支持的不再支持 excludes funds outside the
policy, which the encoding states as a fact of the record in ``eligible when``.  A ``note`` of
the clause or of one of its provisions quoting the words (「“不再支持”：按 city_funded 编码」) is
the author's reading and silences the warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import syntax as s
from .check_named_clauses import unnamed_clauses
from .errors import Diagnostic
from .model import ClauseInfo
from .model_exclusive import Exclusivity

__all__ = ["EXCLUSIVE", "exclusive_words", "unsaid_exclusivity"]

_PAY = "支持|奖励|补助|补贴|资助|扶持|享受|给予|申报|申请"
EXCLUSIVE = re.compile(
    rf"(?:不|不得|不予|不可|不能)重复(?:{_PAY})|不再(?:重复|{_PAY})|就高|择一|择高"
    r"|(?:不|不得|不予|不可|不能)(?:兼得|叠加|同时享受)|只能(?:享受|申报|申请)(?:其中)?一"
    r"|(?:不|不得|不能|不可)与[^，。；,;]{1,30}?(?:叠加|同时享受|重复)"
)


def exclusive_words(text: str) -> list[str]:
    """The words of ``text`` stating that awards are not paid together, in order.

    >>> exclusive_words("同一项目同时符合第二条、第三条的，按照就高原则给予支持，不重复支持。")
    ['就高', '不重复支持']
    >>> exclusive_words("对纳入药械管理的货物、物品,不再实施进出境特殊物品卫生检疫审批。")
    []
    """
    return [m[0] for m in EXCLUSIVE.finditer(text)]


def unsaid_exclusivity(clauses: Sequence[ClauseInfo], found: Exclusivity) -> list[Diagnostic]:
    """W268 for each clause of ``clauses`` whose quote states exclusivity, with no statement
    in it or naming one of its awards, or none naming an award of each clause the quote
    names, and no note quoting the words."""
    named = {a for g in found.groups for a in g.awards}
    named |= {a for k in found.cumulative for a in k.awards}
    out: list[Diagnostic] = []
    for c in clauses:
        words = exclusive_words(c.quote or "")
        if not words or c.node is None:
            continue
        notes = [
            *c.notes,
            *(b.text for p in c.node.provisions for b in p.body if isinstance(b, s.Note)),
        ]
        if any(w in n for w in words for n in notes):
            continue
        awards = [p for p in c.provisions if p.kind == "award"]
        if any(isinstance(st, s.Exclusive | s.Cumulative) for st in c.node.body) or any(
            p.id in named for p in awards
        ):
            out.extend(unnamed_clauses(c, clauses, found, words))
            continue
        at = c.node.name_span or c.node.span
        said = "、".join(dict.fromkeys(f"“{w}”" for w in words))
        names = ", ".join(p.name for p in awards) or "its awards"
        first = awards[0].name if awards else "A"
        out.append(
            Diagnostic(
                "W268",
                f"clause {c.label}'s quote says {said}, and no exclusive or cumulative "
                f"statement covers {names}",
                at.with_clause(c.path) if at else None,
                hint=f"if only one is paid, write `exclusive {first}, OTHER among ENTITY keep "
                "highest` (就高; `keep listed` for an order the text gives) in this clause, "
                f"naming the award of each clause the text names; if the text lets both be "
                f'paid, `cumulative {first}, OTHER "the words that say so"`; where the words '
                "exclude funds outside the policy (已获…资金支持的), state them as a fact in "
                "`eligible when` and quote the words in a `note`",
                severity="warning",
            )
        )
    return out
