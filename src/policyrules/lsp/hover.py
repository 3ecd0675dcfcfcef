"""Hover: what a name means, in Markdown, from its declaration and the checked policy.

A fact shows its title, type and entity; a clause label or provision name its quote (a
provision without a quote of its own shows its clause's), where it is declared or where a
clause's ``exclusive`` or ``cumulative`` names it; an enum, enum member, parameter
or assumption its title, type, default and (an assumption) the reason for its default; a
define its title and its expression as the formatter prints it.  A table shows its title,
key and value types, its rows as the formatter prints them, which row a key reads, and the
provisions and defines that read it (an award's ``tiers by`` reading with its default); a
parameter of table type says the same but its rows, which the caller gives.  A built-in
function shows its signature and meaning (:mod:`policyrules.lsp.functions`).
"""

from __future__ import annotations

from .. import syntax as s
from ..check_tables import tier_read, tier_reading_of
from ..model import CheckedPolicy
from ..printer import print_expr
from ..types import Type
from .analysis import Analysis, Target, target_at
from .functions import FUNCTIONS

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
        table: list[str] = []
        if param is not None and param.type.kind == "table" and param.type.key is not None:
            given = f"parameters: {{{node.name}: {{KEY: VALUE, …}}}}"
            table = [
                _reading(node.name, param.type.key, None),
                f"the caller gives its rows, in the facts file: {_code(given)}",
                *_readers(policy, node.name),
            ]
        return "\n\n".join(
            [f"**parameter** {_code(node.name)}: {_code(typ)}"]
            + ([node.title] if node.title else [])
            + [default]
            + table
            + where
        )
    if isinstance(node, s.Table):
        return _table(policy, node)
    if t.kind == "builtin" and t.name in FUNCTIONS:
        return FUNCTIONS[t.name].markdown()
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


def _reading(name: str, key: Type, first: str | None) -> str:
    """Which row ``name[x]`` reads: the member's, or the highest threshold's reached."""
    if key.kind == "enum":
        return f"{_code(f'{name}[x]')}: the row of the member `x`; a member without a row has none"
    lowest = first or "the first threshold"
    at = f" (`x` = {first} is in the first row)" if first else ""
    return (
        f"{_code(f'{name}[x]')}: the row of the highest threshold `x` reaches{at}; below "
        f"{lowest}, no row ({_code(f'x reaches {name}')} is false)"
    )


def _reads(node: s.Node, table: str) -> bool:
    if isinstance(node, s.TableAt | s.Reaches) and node.table == table:
        return True
    return any(_reads(child, table) for child in s.children(node))


def _readers(policy: CheckedPolicy, table: str) -> list[str]:
    """The provisions and defines that read ``table``, an award's reading of its tiers."""
    out: list[str] = []
    for p in policy.provisions():
        if not _reads(p.node, table):
            continue
        line = f"read by {p.kind} {_code(p.name)}"
        tiers = tier_reading_of(p)
        read = tier_read(p)
        if tiers is not None and read is not None and read.table == table:
            line += f", {_code(f'tiers by {tiers.assumption}')}"
            assumption = policy.assumption(tiers.assumption)
            enum = policy.enum(assumption.type.name or "") if assumption is not None else None
            if assumption is not None and enum is not None:
                default = print_expr(assumption.default)
                line += ":\n" + "\n".join(
                    f"- {_code(member)}"
                    + (" (the default)" if member == default else "")
                    + (f": {title}" if title else "")
                    for member, title in enum.members
                )
        out.append(line)
    out += [f"read by define {_code(d.name)}" for d in policy.defines if _reads(d.expr, table)]
    return out


def _table(policy: CheckedPolicy, node: s.Table) -> str:
    info = policy.table(node.name)
    if info is None:
        return f"**table** {_code(node.name)}"
    enum = policy.enum(info.key.name or "") if info.enum else None
    members = dict(enum.members) if enum is not None else {}
    rows = []
    for row in node.rows:
        key = print_expr(row.key)
        title = members.get(key)
        rows.append(f"- {key}" + (f" ({title})" if title else "") + f" → {print_expr(row.value)}")
    first = print_expr(node.rows[0].key) if node.rows and not info.enum else None
    typ = f"{info.key.describe()} to {info.value.describe()}"
    return "\n\n".join(
        [f"**table** {_code(node.name)}: {_code(typ)}"]
        + ([node.title] if node.title else [])
        + (["\n".join(rows)] if rows else [])
        + [_reading(node.name, info.key, first)]
        + _readers(policy, node.name)
        + ([f"clause {_code(info.clause)}"] if info.clause else [])
    )
