"""The 相关措施 lines a measure's summary gains from exclusivity (issue 11 §6): the awards it
may not be paid together with (不重复支持), those it may (可叠加), and the documents that
supersede it or that it supersedes (以此为准), and a general 以此为准 that names no document
(``prevails over earlier``: said, with what it does not do)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .vocab import EXCLUSIVE_RULES, PREVAILS_ZH

__all__ = ["related_exclusive"]


def related_exclusive(
    checked: CheckedPolicy,
    clause: ClauseInfo,
    own: Sequence[ProvisionInfo],
    heading: Callable[[CheckedPolicy, ClauseInfo], str],
) -> list[str]:
    """Sentences for the summary of ``clause`` (its awards ``own``); ``heading`` names a
    clause as the summary does (京经信发〔2025〕50号 第3条 …)."""
    ids = {p.id for p in own}
    ex = checked.exclusivity
    out: list[str] = []

    def named(pid: str) -> str:
        p = next((x for x in checked.provisions() if x.id == pid), None)
        other = checked.clause(p.clause) if p is not None else None
        where = heading(checked, other) if other is not None else pid
        if p is None or not p.title or where.endswith(p.title):
            return where  # (an award titled as its clause is named once)
        return f"{where} {p.title}"

    for g in ex.groups:
        if ids & set(g.awards) or g.clause == clause.id:
            rule = EXCLUSIVE_RULES.get(f"keep {g.keep}" + (f" ties by {g.ties}" if g.ties else ""))
            others = [named(a) for a in g.awards if a not in ids]
            if others:
                out.append(f"不重复支持（{rule}）：" + "；".join(others))
    for k in ex.cumulative:
        if ids & set(k.awards):
            others = [named(a) for a in k.awards if a not in ids]
            if others:
                out.append("可叠加享受：" + "；".join(others))
    for sup in ex.supersessions:
        if sup.covers(clause.document, clause.id):
            by = checked.document(sup.by)
            out.append(f"自{sup.since.isoformat()}起由《{by.title if by else sup.by}》替代")
    if own and clause.document in ex.prevailing:
        out.append(PREVAILS_ZH)
    return out
