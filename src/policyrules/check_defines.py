"""Defines (``define NAME ["title"] = EXPR``): collected from every file, each name once.

A define is a name for a condition or an amount used in several places (a reading the text
repeats).  Its expression is typed where it is used (:class:`~policyrules.typing_rules.
ExprTyper`), in the subject of the provision that reads it; a define that refers to itself is
refused there (E256).  Here: a define's name is new (E257): not a fact, parameter,
assumption, enum member or another define, so a name means one thing everywhere; and a
define no provision reads, directly or through another define, is a warning (W258): it is
typed nowhere, so a misspelt fact in it or a define that refers to itself goes unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import syntax as s
from .errors import Diagnostic, Span
from .model import CheckedPolicy, DefineInfo

__all__ = ["check_define_names", "collect_defines", "unused_defines"]

Report = Callable[[str, str, "Span | None", "str | None"], None]


def collect_defines(modules: Sequence[s.Module], report: Report) -> tuple[DefineInfo, ...]:
    """Every define, at the top of a file or in a clause; a second with one name is E257."""
    out: dict[str, DefineInfo] = {}
    for m in modules:
        for item in m.items:
            owner, body = (item.label, item.body) if isinstance(item, s.Clause) else (None, [item])
            for d in body:
                if not isinstance(d, s.Define):
                    continue
                first = out.get(d.name)
                if first is not None:
                    report(
                        "E257",
                        f"define '{d.name}' is written twice",
                        d.name_span or d.span,
                        f"the first is at {first.span}; give each define a name of its own",
                    )
                    continue
                out[d.name] = DefineInfo(d.name, d.title, d.expr, owner, span=d.span)
    return tuple(out.values())


def check_define_names(policy: CheckedPolicy, report: Report) -> None:
    """E257: a define named as a fact, parameter, assumption or enum member."""
    taken: dict[str, str] = {}
    for e in policy.entities:
        for f in e.facts:
            taken.setdefault(f.name, f"a fact of {e.name}")
    for p in policy.parameters:
        taken.setdefault(p.name, "a parameter")
    for a in policy.assumptions:
        taken.setdefault(a.name, "an assumption")
    for en in policy.enums:
        for m in en.member_names:
            taken.setdefault(m, f"a member of {en.name}")
    for d in policy.defines:
        if d.name in taken:
            report(
                "E257",
                f"define '{d.name}' has the name of {taken[d.name]}",
                d.span,
                "a define's name must be new: rename it (e.g. `is_" + d.name + "`)",
            )


def unused_defines(defines: Sequence[DefineInfo], modules: Sequence[s.Module]) -> list[Diagnostic]:
    """W258 for each define no provision reads, directly or through other defines."""
    if not defines:
        return []
    known = {d.name: d for d in defines}
    used: set[str] = set()
    todo: list[s.Node] = [item for m in modules for item in m.items if isinstance(item, s.Clause)]
    while todo:
        node = todo.pop()
        if isinstance(node, s.Define):
            continue  # (read only where a provision reads it)
        if isinstance(node, s.Name) and len(node.parts) == 1:
            d = known.get(node.parts[0])
            if d is not None and d.name not in used:
                used.add(d.name)
                todo.append(d.expr)  # the defines it reads are read too
        todo.extend(s.children(node))
    return [
        Diagnostic(
            "W258",
            f"define '{d.name}' is read by no provision: it is not checked",
            d.span,
            "its names are typed where a provision reads it; use it, or remove it",
            severity="warning",
        )
        for d in defines
        if d.name not in used
    ]
