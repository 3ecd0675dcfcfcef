"""W268 for a clause the words of exclusivity name: 「与第三条不重复支持」.

A clause whose quote says its awards are not paid twice is covered, for W268's first reading
(:mod:`policyrules.check_exclusive_words`), by any ``exclusive`` or ``cumulative`` statement
in it or naming one of its awards.  Where the quote names the clauses it excludes
(本措施第二条、第三条, 第（三）条, 第二、三条, and ranges: 第二至第五条, 第二条至第五条 name
二, 三, 四 and 五), a statement that leaves out clause 三's awards
(``exclusive industrialisation_subsidy, class1_reward``) still pays a project under 二 and 三
both.  So each clause of the same document the quote names, other than itself and with an
award, must have an award in a statement that covers the clause: one naming an award of it,
or, for a clause with no award (a closing 不重复支持 clause), one written in it.  A clause of
another document (《…》第一条, 行政许可法第八十二条) is not read.  Clause labels and the quote's
numbers compare by value: ``clause 3``, ``clause 三`` and ``clause "(三)"`` are 第三条.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import Diagnostic
from .model import ClauseInfo
from .model_exclusive import CumulativeInfo, ExclusiveGroup, Exclusivity
from .quote_figures import chinese_number

__all__ = ["clause_number", "named_clauses", "unnamed_clauses"]

_N = r"[（(]?\s*(?:\d+|[一二两三四五六七八九十百零〇]+)\s*[)）]?"
# 至 (到, —, ~) between two numbers names every clause from one to the other: 第二至第五条,
# 第二条至第五条, 第2-5条.
_TO = r"(?:条\s*)?(?:至|到|[—－\-~～])\s*(?:第\s*)?"
_NAMED = re.compile(
    rf"(?P<own>本(?:办法|措施|细则|通知|规定|方案|意见|政策|条例))?"
    rf"第\s*(?P<list>{_N}(?:\s*(?:[、和及与]\s*(?:第\s*)?|{_TO}){_N})*)\s*条"
)
# What ends the name of another document or law just before 第X条.
_OTHER = re.compile(r"(?:》|法|条例|规定|细则|办法|措施|通知|意见|方案)\s*$")
_ONE = re.compile(_N)
_RANGE = re.compile(r"至|到|[—－\-~～]")


def clause_number(label: str) -> int | None:
    """The number of a clause label or of the quote's 第X条: ``3``, ``三`` and ``(三)`` are
    3; None for a label that is no number.

    >>> [clause_number(x) for x in ("3", "三", "(三)", "（十二）", "附则")]
    [3, 3, 3, 12, None]
    """
    bare = label.strip().strip("()（）").strip()
    if bare.isdigit():
        return int(bare)
    if bare and all(ch in "一二两三四五六七八九十百零〇" for ch in bare):
        return chinese_number(bare)
    return None


def named_clauses(text: str) -> list[int]:
    """The numbers of this document's clauses ``text`` names, in order, once each.

    >>> named_clauses("同一项目同时符合本措施第二条、第三条的，不重复支持")
    [2, 3]
    >>> named_clauses("与第（四）条、第五、六条不重复支持；符合《2023年办法》第一条的不再支持")
    [4, 5, 6]
    >>> named_clauses("符合本措施第二至第四条、第七条的"), named_clauses("第二条至第五条")
    ([2, 3, 4, 7], [2, 3, 4, 5])
    """
    out: list[int] = []
    for m in _NAMED.finditer(text):
        if not m["own"] and _OTHER.search(text, 0, m.start()):
            continue
        before: int | None = None
        one_end = 0
        for one in _ONE.finditer(m["list"]):
            n = clause_number(one[0])
            between = m["list"][one_end : one.start()]
            one_end = one.end()
            if n is None:
                continue
            ranged = before is not None and _RANGE.search(between) and before < n
            for k in range(before + 1, n + 1) if ranged and before is not None else (n,):
                if k not in out:
                    out.append(k)
            before = n
    return out


def unnamed_clauses(
    c: ClauseInfo, clauses: Sequence[ClauseInfo], found: Exclusivity, words: list[str]
) -> list[Diagnostic]:
    """W268 where clause ``c``'s quote (saying ``words``) names a clause of its document
    whose awards no statement covering ``c`` names; ``clauses`` are the policy's."""
    mine = {p.id for p in c.provisions if p.kind == "award"}
    statements: list[ExclusiveGroup | CumulativeInfo] = [*found.groups, *found.cumulative]
    covering = [x for x in statements if (mine & set(x.awards) if mine else x.clause == c.id)]
    listed = {a for x in covering for a in x.awards}
    missing: list[ClauseInfo] = []
    for n in named_clauses(c.quote or ""):
        for other in clauses:
            awards = [p.id for p in other.provisions if p.kind == "award"]
            if other.document != c.document or other is c or not awards:
                continue
            if clause_number(other.label) == n and not listed & set(awards):
                missing.append(other)
    if not missing or c.node is None:
        return []
    at = next((x.span for x in covering if x.span is not None), None)
    at = at or (c.node.name_span or c.node.span)
    said = "、".join(dict.fromkeys(f"“{w}”" for w in words))
    own = [p.name for p in c.provisions if p.id in mine]
    names = ", ".join(own) or f"clause {c.label}"
    theirs = [p.name for o in missing for p in o.provisions if p.kind == "award"]
    labels = "、".join(f"clause {o.label}" for o in missing)
    return [
        Diagnostic(
            "W268",
            f"clause {c.label}'s quote says {said} of {labels}, and no exclusive or "
            f"cumulative statement covering {names} names an award of it "
            f"({', '.join(theirs)})",
            at.with_clause(c.path) if at else None,
            hint=f"name {theirs[0]} in the statement that covers {names} (`exclusive "
            f"{own[0] if own else 'A'}, {theirs[0]} among ENTITY keep highest`), or write one "
            f"more; where the text's clause is not {labels} of this document, say so in a "
            "`note` quoting the words",
            severity="warning",
        )
    ]
