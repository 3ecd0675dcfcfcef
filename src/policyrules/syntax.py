"""The syntax tree: frozen attrs classes, one per grammar rule, each with a source span.

Spans and nothing else are left out of equality, so a tree parsed from the formatter's
output equals the tree it was printed from (``parse(print(tree)) == tree``).  Comments are
kept on the statement they precede (``comments``) or end the line of (``trailing``), or,
inside a condition written over several lines, by the operand they follow (``inner``), or,
on a line of their own there, by the operand they precede (kept as ``-(index + 1)``).
No lark import here: the tree is ours, not the parser's.

The classes are defined in three modules, :mod:`policyrules.syntax_exprs` (the base node,
expressions, type references), :mod:`policyrules.syntax_stmts` (the statement, a provision and
its statements) and :mod:`policyrules.syntax_decls` (declarations, the document's header,
clauses, the module); this one re-exports them all, so the tree has one import path.
"""

from __future__ import annotations

import attrs

# Every class and type alias of the parts, under their own names: their ``__all__``.
from . import syntax_decls, syntax_exclusive, syntax_exprs, syntax_stmts
from .syntax_decls import *  # noqa: F403
from .syntax_exclusive import *  # noqa: F403
from .syntax_exprs import *  # noqa: F403
from .syntax_exprs import Node
from .syntax_stmts import *  # noqa: F403

__all__ = ["chain_operands", "chain_terms", "children", "condition_of", "operands"]
__all__ += syntax_exprs.__all__
__all__ += syntax_stmts.__all__
__all__ += syntax_decls.__all__
__all__ += syntax_exclusive.__all__


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


def operands(e: syntax_exprs.Expr) -> list[syntax_exprs.Expr]:
    """The direct sub-expressions of ``e``, a progressive's bands opened."""
    out: list[syntax_exprs.Expr] = []
    for c in children(e):
        if isinstance(c, syntax_exprs.Band):
            out.extend(x for x in children(c) if isinstance(x, syntax_exprs.Expr))
        elif isinstance(c, syntax_exprs.Expr):
            out.append(c)
    return out


def condition_of(st: syntax_stmts.Stmt) -> syntax_exprs.Expr | None:
    """The condition of a statement the formatter may break over lines (``eligible when``,
    ``require``, ``define``), or ``None``."""
    if isinstance(st, syntax_stmts.Eligible | syntax_stmts.Require):
        return st.condition
    return st.expr if isinstance(st, syntax_decls.Define) else None


def chain_operands(e: syntax_exprs.Expr) -> list[syntax_exprs.Expr]:
    """The operands of the ``and`` / ``or`` chains of ``e``, each before the operands inside
    it: ``(a or b) and c`` gives ``a or b``, ``a``, ``b``, ``c``.  A comment inside a
    condition is kept by its operand's place in this list (``Stmt.inner``)."""
    out: list[syntax_exprs.Expr] = []

    def walk(x: syntax_exprs.Expr) -> None:
        for t in chain_terms(x):
            out.append(t)
            walk(t)

    walk(e)
    return out


def chain_terms(e: syntax_exprs.Expr) -> list[syntax_exprs.Expr]:
    """The terms of ``e`` if it is an ``and`` / ``or`` chain (its left spine: ``a and b and
    c`` is one chain of three), else none."""
    kind = type(e)
    terms: list[syntax_exprs.Expr] = []
    while isinstance(e, syntax_exprs.And | syntax_exprs.Or) and type(e) is kind:
        terms.append(e.right)
        e = e.left
    if terms:
        terms.append(e)
    return terms[::-1]
