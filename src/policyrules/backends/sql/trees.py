"""Cheap builders and walks of sqlglot trees, for the compiler's start-up (issue 10).

sqlglot's general helpers parse text or walk a tree breadth first with a generator per
node; these do the few things the compiler needs directly:

- :func:`table`: a table named ``name`` (``exp.to_table`` parses the name as SQL);
- :func:`join`: a ``LEFT`` or ``CROSS`` join to add to a SELECT (``Select.join`` parses
  its ``join_type`` as SQL each time);
- :func:`unshare`: a step's tree made safe to change in place (a copy of the few nodes it
  shares), instead of a copy of the whole tree;
- :func:`nodes`: the nodes of one class in a tree, depth first (``find_all`` is a
  breadth-first generator, a sixth of writing the plan's SQL when the tables each step
  reads were found with it).

The trees they build are written exactly as the sqlglot helpers' were.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeVar

import sqlglot.expressions as exp

__all__ = ["join", "nodes", "table", "tables_read", "unshare"]

N = TypeVar("N", bound=exp.Expr)


def table(name: str) -> exp.Table:
    """The table ``name``, its name written as given: unquoted, as ``exp.to_table(name,
    quoted=True)`` wrote it (sqlglot keeps that ``quoted`` on the table, not its name).

    >>> table("p7_f").sql("duckdb")
    'p7_f'
    """
    return exp.Table(this=exp.Identifier(this=name, quoted=False))


def join(source: exp.Expr, side: Literal["LEFT", "CROSS"], on: exp.Expr | None = None) -> exp.Join:
    """``[LEFT | CROSS] JOIN source [ON on]``, for ``Select.join(..., copy=False)`` (which
    takes a join as it is).

    >>> q = exp.select("*").from_("a").join(join(table("b"), "LEFT", exp.column("x").eq(1)))
    >>> q.sql("duckdb")
    'SELECT * FROM a LEFT JOIN b ON x = 1'
    """
    how: dict[str, object] = {"side": "LEFT"} if side == "LEFT" else {"kind": "CROSS"}
    if on is not None:
        how["on"] = on
    return exp.Join(this=source, **how)


def nodes(root: exp.Expr, cls: type[N]) -> Iterator[N]:
    """Every node of class ``cls`` (or a subclass) in ``root``'s tree, ``root`` included,
    depth first."""
    stack: list[exp.Expr] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cls):
            yield node
        for value in node.args.values():
            if isinstance(value, exp.Expr):
                stack.append(value)
            elif type(value) is list:
                stack.extend(v for v in value if isinstance(v, exp.Expr))


def tables_read(query: exp.Expr) -> frozenset[str]:
    """The names of the tables (inputs and earlier steps) ``query`` reads."""
    return frozenset(t.name for t in nodes(query, exp.Table))


def unshare(root: exp.Expr) -> exp.Expr:
    """``root``, changed in place so that it can be rewritten and written in place: every
    data type (the compiler's types are shared constants, :data:`.sqlbits.VARCHAR` ...)
    and every node that also sits elsewhere (another parent, or twice here) replaced by
    its copy.  Far cheaper than copying the tree: a plan's steps share only those."""
    seen: set[int] = set()
    stack: list[exp.Expr] = [root]
    while stack:
        node = stack.pop()
        for key, value in list(node.args.items()):
            if isinstance(value, exp.Expr):
                stack.append(_own_child(node, key, value, None, seen))
            elif type(value) is list:
                stack.extend(
                    _own_child(node, key, v, i, seen)
                    for i, v in enumerate(value)
                    if isinstance(v, exp.Expr)
                )
    return root


def _own_child(
    node: exp.Expr, key: str, child: exp.Expr, index: int | None, seen: set[int]
) -> exp.Expr:
    if child.parent is not node or id(child) in seen or isinstance(child, exp.DataType):
        child = child.copy()
        node.set(key, child, index)
    seen.add(id(child))
    return child
