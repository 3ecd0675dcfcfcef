"""The syntax tree: frozen attrs classes, one per grammar rule, each with a source span.

Spans and nothing else are left out of equality, so a tree parsed from the formatter's
output equals the tree it was printed from (``parse(print(tree)) == tree``).  Comments are
kept on the statement they precede (``comments``) or end the line of (``trailing``).
No lark import here: the tree is ours, not the parser's.

The classes are defined in two modules, :mod:`policyrules.syntax_exprs` (the base node,
expressions, type references) and :mod:`policyrules.syntax_stmts` (statements, declarations,
the module); this one re-exports both, so the tree has one import path.
"""

from __future__ import annotations

import attrs

from .syntax_exprs import (
    And,
    BinOp,
    BoolLit,
    Call,
    Compare,
    DateLit,
    DurationLit,
    Expr,
    IfExpr,
    InForce,
    InSet,
    ListType,
    MoneyLit,
    Name,
    Neg,
    Node,
    Not,
    NumberLit,
    Of,
    Or,
    RateLit,
    SetLit,
    SetType,
    SimpleType,
    StringLit,
    TypeRef,
)
from .syntax_stmts import (
    Amount,
    AmountDecided,
    Assumption,
    Cap,
    Chapter,
    Clause,
    ClauseStmt,
    Consequence,
    DocAgency,
    DocEvents,
    DocIssued,
    DocMeasures,
    DocNumber,
    DocSource,
    DocStmt,
    Document,
    DocValid,
    Done,
    Due,
    Eligible,
    Entity,
    EntityList,
    EntitySingle,
    EnumDecl,
    EnumMember,
    FactDecl,
    Item,
    Module,
    Note,
    Once,
    OrderBy,
    Parameter,
    Provision,
    ProvisionStmt,
    Quote,
    Require,
    Stmt,
    Subject,
    Twin,
)

__all__ = [
    "Amount",
    "AmountDecided",
    "And",
    "Assumption",
    "BinOp",
    "BoolLit",
    "Call",
    "Cap",
    "Chapter",
    "Clause",
    "ClauseStmt",
    "Compare",
    "Consequence",
    "DateLit",
    "DocAgency",
    "DocEvents",
    "DocIssued",
    "DocMeasures",
    "DocNumber",
    "DocSource",
    "DocStmt",
    "DocValid",
    "Document",
    "Done",
    "Due",
    "DurationLit",
    "Eligible",
    "Entity",
    "EntityList",
    "EntitySingle",
    "EnumDecl",
    "EnumMember",
    "Expr",
    "FactDecl",
    "IfExpr",
    "InForce",
    "InSet",
    "Item",
    "ListType",
    "Module",
    "MoneyLit",
    "Name",
    "Neg",
    "Node",
    "Not",
    "Note",
    "NumberLit",
    "Of",
    "Once",
    "Or",
    "OrderBy",
    "Parameter",
    "Provision",
    "ProvisionStmt",
    "Quote",
    "RateLit",
    "Require",
    "SetLit",
    "SetType",
    "SimpleType",
    "Stmt",
    "StringLit",
    "Subject",
    "Twin",
    "TypeRef",
    "children",
]


def children(node: Node) -> list[Node]:
    """The direct child nodes of ``node``, in source order."""
    out: list[Node] = []
    for f in attrs.fields(type(node)):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Node))
    return out
