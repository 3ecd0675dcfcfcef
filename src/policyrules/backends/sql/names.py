"""Lists of names (missing facts, parameters, assumptions) built once per row, at the end.

A provision's rows carry, for each name a list may hold, one BOOLEAN column saying whether
the name is in it (:func:`flag_columns`), not the list: booleans are cheap to carry through
joins and windows, lists are not.  The decision columns are written with list expressions
over those names (``CASE WHEN st = 'unknown' THEN c_mf ...``, ``LIST_SORT(LIST_DISTINCT(
LIST_CONCAT(...)))``); :func:`expand` reads such an expression as the set of names it
holds and when, and :func:`names_out` writes that set as one sorted list per row without
sorting anything at run time: the names are known when compiling.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot.expressions as exp

from .sqlbits import (
    VARCHARS,
    Pairs,
    all_of,
    any_of,
    gate,
    is_bool,
    is_false,
    is_true,
    merge,
    not_bool,
    own,
    true,
)
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast

__all__ = ["expand", "flag_columns", "names_out"]

_MAX_TREE = 3  # up to this many names that vary: one CASE tree of constant lists


def flag_columns(name: str, pairs: Pairs, into: list[exp.Expr]) -> Pairs:
    """``pairs`` with each condition that is not constant made a BOOLEAN column
    ``<name>_<i>`` (appended to ``into``, never NULL) and read from it."""
    out: list[tuple[str, exp.Expr]] = []
    for i, (k, w) in enumerate(pairs):
        if is_true(w) or is_false(w):
            out.append((k, w))
            continue
        flag = f"{name}_{i}"
        into.append(_alias(is_bool(w, True), flag, quoted=True))
        out.append((k, exp.column(flag, quoted=True)))
    return tuple(out)


def _case(
    whens: list[tuple[exp.Expr, exp.Expr]], default: exp.Expr, lists: Mapping[str, Pairs]
) -> Pairs:
    groups: list[Pairs] = []
    earlier: list[exp.Expr] = []
    for cond, value in whens:
        if is_false(cond):
            continue
        guard = all_of(*(not_bool(c, True) for c in earlier), cond)
        groups.append(gate(expand(value, lists), guard))
        if is_true(cond):
            return merge(*groups)
        earlier.append(cond)
    guard = all_of(*(not_bool(c, True) for c in earlier))
    groups.append(gate(expand(default, lists), guard))
    return merge(*groups)


def expand(e: exp.Expr, lists: Mapping[str, Pairs]) -> Pairs:
    """The names list expression ``e`` holds, each with when: ``lists`` gives the names
    of each list column (:func:`flag_columns`).  Only for a list whose value is read as a
    sorted set (every decision list is one: a concatenation becomes their union).

    :raises ValueError: an expression of a form the compiler does not write for lists."""
    if isinstance(e, exp.Paren):
        return expand(e.this, lists)
    if isinstance(e, exp.Column) and e.name in lists:
        return lists[e.name]
    if isinstance(e, exp.Cast):
        return expand(e.this, lists)
    if isinstance(e, exp.Array) and all(
        isinstance(x, exp.Literal) and x.is_string for x in e.expressions
    ):
        return merge(*(((x.this, true()),) for x in e.expressions))
    if isinstance(e, exp.ArrayConcat):
        return merge(*(expand(x, lists) for x in [e.this, *e.expressions]))
    if isinstance(e, exp.ArraySort | exp.ArrayDistinct):
        return expand(e.this, lists)
    if isinstance(e, exp.If):
        return _case([(e.this, e.args["true"])], e.args["false"], lists)
    if isinstance(e, exp.Case) and e.this is None:
        whens = [(w.this, w.args["true"]) for w in e.args.get("ifs") or []]
        return _case(whens, e.args.get("default") or exp.Null(), lists)
    if isinstance(e, exp.Null):
        return ()
    raise ValueError(f"not a list of names: {e.sql()}")


def names_out(pairs: Pairs, *, ordered: bool = False) -> exp.Expr:
    """The names of ``pairs`` whose condition holds, sorted (``ordered``: in the order
    given), as a VARCHAR[] per row: a constant list when no condition varies, a CASE tree
    of constant lists for up to three that vary, else a concatenation of one-name lists
    where any holds."""
    given = list(pairs) if ordered else sorted(pairs, key=lambda kw: kw[0])
    kept = [(k, w) for k, w in given if not is_false(w)]
    varying = [(k, w) for k, w in kept if not is_true(w)]
    if len(varying) > _MAX_TREE:
        parts = [
            exp.Array(expressions=[exp.Literal.string(k)])
            if is_true(w)
            else exp.If(
                this=own(w),
                true=exp.Array(expressions=[exp.Literal.string(k)]),
                false=_cast(exp.Array(expressions=[]), VARCHARS),
            )
            for k, w in kept
        ]
        fixed = [exp.Literal.string(k) for k, w in kept if is_true(w)]
        # most rows hold none of the names that vary: test that once, concatenate for the rest
        return exp.Case(
            ifs=[
                exp.If(
                    this=any_of(*(w.copy() for _, w in varying)),
                    true=exp.ArrayConcat(this=parts[0], expressions=parts[1:]),
                )
            ],
            default=_cast(exp.Array(expressions=fixed), VARCHARS),
        )

    def tree(i: int, chosen: set[str]) -> exp.Expr:
        if i == len(varying):
            names = [k for k, w in kept if is_true(w) or k in chosen]
            return _cast(exp.Array(expressions=[exp.Literal.string(k) for k in names]), VARCHARS)
        k, w = varying[i]
        return exp.Case(
            ifs=[exp.If(this=own(w), true=tree(i + 1, chosen | {k}))],
            default=tree(i + 1, chosen),
        )

    return tree(0, set())
