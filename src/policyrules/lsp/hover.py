"""Hover: what a name means, in Markdown, from its declaration and the checked policy.

A fact shows its title, type and entity; a clause label or provision name its quote (a
provision without a quote of its own shows its clause's); an enum, enum member, parameter
or assumption its title, type, default and (an assumption) the reason for its default; a
define its title and its expression as the formatter prints it.
"""

from __future__ import annotations

from .. import syntax as s
from ..model import CheckedPolicy
from ..printer import print_expr
from .analysis import Analysis, Target, target_at

__all__ = ["hover_markdown"]


def hover_markdown(analysis: Analysis, file: str, line: int, col: int) -> str | None:
    """The hover text for a position (lines and columns from 1), or ``None`` when the
    position names nothing the policy declares."""
    target = target_at(analysis, file, line, col)
    if target is None or analysis.policy is None:
        return None
    return _describe(analysis.policy, target)


def _code(text: str) -> str:
    return f"`{text}`"


def _quote(text: str | None) -> str:
    return f"> {text}" if text else "*(no quote)*"


def _describe(policy: CheckedPolicy, t: Target) -> str | None:
    node = t.node
    if t.kind == "fact" and t.owner is not None:
        entity = policy.entity(t.owner)
        fact = entity.fact(t.name) if entity else None
        if entity is None or fact is None:
            return None
        of = f"{_code(entity.name)}" + (f" ({entity.title})" if entity.title else "")
        return "\n\n".join(
            [f"**fact** {_code(f'{entity.name}.{fact.name}')}: {_code(fact.type.describe())}"]
            + ([fact.title] if fact.title else [])
            + [f"of entity {of}"]
        )
    if isinstance(node, s.Entity):
        entity = policy.entity(node.name)
        head = f"**entity** {_code(node.name)}"
        lines = [head] + ([node.title] if node.title else [])
        if entity is not None:
            how = f"single {entity.key}" if entity.single else f"list {entity.key}"
            lines.append(_code(how + (f" of {entity.parent}" if entity.parent else "")))
        return "\n\n".join(lines)
    if isinstance(node, s.EnumDecl):
        members = "\n".join(
            f"- {_code(m.name)}" + (f" {m.title}" if m.title else "") for m in node.members
        )
        return "\n\n".join(
            [f"**enum** {_code(node.name)}"] + ([node.title] if node.title else []) + [members]
        )
    if isinstance(node, s.EnumMember):
        enum = policy.enum(t.owner or "")
        of = f"{_code(t.owner or '')}" + (f" ({enum.title})" if enum and enum.title else "")
        return "\n\n".join(
            [f"**enum member** {_code(f'{t.owner}.{node.name}')}"]
            + ([node.title] if node.title else [])
            + [f"of enum {of}"]
        )
    if isinstance(node, s.Parameter):
        param = policy.parameter(node.name)
        typ = param.type.describe() if param else "?"
        default = (
            f"default {_code(print_expr(node.default))}"
            if node.default
            else "**unset**: the text leaves it open"
        )
        where = [f"clause {_code(param.clause)}"] if param and param.clause else []
        return "\n\n".join(
            [f"**parameter** {_code(node.name)}: {_code(typ)}"]
            + ([node.title] if node.title else [])
            + [default]
            + where
        )
    if isinstance(node, s.Assumption):
        assumption = policy.assumption(node.name)
        typ = assumption.type.describe() if assumption else "?"
        return "\n\n".join(
            [
                f"**assumption** {_code(node.name)}: {_code(typ)}",
                f"default {_code(print_expr(node.default))}",
                node.rationale,
            ]
        )
    if isinstance(node, s.Define):
        define = policy.define(node.name)
        where = [f"clause {_code(define.clause)}"] if define and define.clause else []
        return "\n\n".join(
            [f"**define** {_code(node.name)}"]
            + ([node.title] if node.title else [])
            + [f"= {_code(print_expr(node.expr))}"]
            + where
        )
    if isinstance(node, s.Clause):
        clause = next((c for c in policy.clauses if c.node is node), None)
        head = f"**clause** {_code(node.label)}" + (f" {node.title}" if node.title else "")
        return "\n\n".join([head, _quote(clause.quote if clause else None)])
    if isinstance(node, s.Provision):
        prov = next((p for p in policy.provisions() if p.node is node), None)
        clause = next((c for c in policy.clauses if prov in c.provisions), None) if prov else None
        quote = prov.quote if prov and prov.quote else (clause.quote if clause else None)
        head = f"**{node.kind}** {_code(node.name)}" + (f" {node.title}" if node.title else "")
        where = (
            [
                f"clause {_code(clause.label)}"
                + (" (its quote)" if not (prov and prov.quote) else "")
            ]
            if clause
            else []
        )
        return "\n\n".join([head, _quote(quote), *where])
    return None
