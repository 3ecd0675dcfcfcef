"""Small SQL builders the compiler uses: canonical types, three-valued helpers, literals.

Everything builds sqlglot expressions (never SQL text from values).  ``Pairs`` are
``(name, condition)``: a name (a missing fact, an assumption) that holds where its condition
does; :func:`names_list` turns them into a VARCHAR[] per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

import sqlglot.expressions as exp

from ... import types as t
from ...runtime.currency import Foreign
from ...runtime.money import Money
from ...runtime.values import Duration, Unknown, Value
from .plan import refuse

__all__ = [
    "BIGINT",
    "DATE",
    "DECIMAL",
    "FACTOR",
    "INTEGER",
    "VARCHAR",
    "VARCHARS",
    "WHOLE",
    "Pairs",
    "alias",
    "all_of",
    "any_of",
    "case",
    "cast",
    "empty_names",
    "firm_id",
    "gate",
    "guarded_concat",
    "is_bool",
    "is_false",
    "is_null",
    "is_true",
    "literal",
    "merge",
    "names_list",
    "negate",
    "not_bool",
    "not_null",
    "null_of",
    "own",
    "par",
    "sql_type",
    "status",
    "true",
]


def alias(e: exp.Expr, name: str, quoted: bool | None = None) -> exp.Expr:
    """``e AS name``, built in place (no copy of ``e``)."""
    return exp.alias_(e, name, quoted=quoted, copy=False)


def cast(e: exp.Expr, to: exp.DataType | str) -> exp.Expr:
    """``CAST(e AS to)``, built in place (no copy of ``e``)."""
    return exp.cast(e, to, copy=False)


def empty_names() -> exp.Expr:
    """An empty list of names: ``CAST([] AS VARCHAR[])``."""
    return cast(exp.Array(expressions=[]), VARCHARS)


Pairs = tuple[tuple[str, exp.Expr], ...]

DECIMAL = exp.DataType.build("DECIMAL(38,10)")
BIGINT = exp.DataType.build("BIGINT")
WHOLE = exp.DataType.build("DECIMAL(38,0)")
VARCHAR = exp.DataType.build("VARCHAR")
VARCHARS = exp.DataType.build("ARRAY<VARCHAR>")
INTEGER = exp.DataType.build("INTEGER")
DATE = exp.DataType.build("DATE")
FACTOR = {"周": 7, "年": 12}  # to the base unit of the duration's dimension
# A subject's status inside a plan (the columns ``st0`` and ``st``) is a small INTEGER
# code, not its text: the steps compare it and a window carries it, cheaper as a number;
# only the decisions write a text (their ``status``, from comparisons with these codes).
STATUS = {"no": 0, "ok": 1, "undecided": 2, "unknown": 3, "tie": 4}


def sql_type(ty: t.Type) -> exp.DataType:
    """The canonical engine type of a value of ``ty``."""
    kind = ty.kind
    if kind in ("set", "list"):
        inner = sql_type(ty.element or t.Type("text"))
        return exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[inner], nested=True)
    name = {
        "money": "BIGINT",
        "rate": "DECIMAL(38,10)",
        "number": "DECIMAL(38,10)",
        "year": "INTEGER",  # read as DECIMAL(38,10), as the one-by-one path's whole Decimal
        "duration": "BIGINT",
        "date": "DATE",
        "bool": "BOOLEAN",
        "text": "VARCHAR",
        "enum": "VARCHAR",
    }.get(kind)
    if name is None:
        raise refuse("E600", f"a value of type {ty.describe()} has no SQL form")
    return exp.DataType.build(name)


# ---- small builders --------------------------------------------------------------------------


def status(text: str) -> exp.Expr:
    """The code of status ``text`` in ``st0`` / ``st`` (:data:`STATUS`)."""
    return exp.Literal.number(STATUS[text])


def true() -> exp.Expr:
    return exp.Boolean(this=True)


def is_true(e: exp.Expr) -> bool:
    """Whether ``e`` is the literal TRUE."""
    return isinstance(e, exp.Boolean) and e.this is True


def is_false(e: exp.Expr) -> bool:
    """Whether ``e`` is the literal FALSE."""
    return isinstance(e, exp.Boolean) and e.this is False


def all_of(*conds: exp.Expr) -> exp.Expr:
    """``a AND b ...`` with TRUE left out (TRUE when nothing is left, FALSE when one is)."""
    if any(is_false(c) for c in conds):
        return exp.Boolean(this=False)
    kept = [par(c) for c in conds if not is_true(c)]
    if not kept:
        return true()
    out = kept[0]
    for c in kept[1:]:
        out = exp.And(this=out, expression=c)
    return out


def any_of(*conds: exp.Expr) -> exp.Expr:
    """``a OR b ...`` with FALSE left out (FALSE when nothing is left, TRUE when one is)."""
    if any(is_true(c) for c in conds):
        return true()
    kept = [par(c) for c in conds if not is_false(c)]
    if not kept:
        return exp.Boolean(this=False)
    out = kept[0]
    for c in kept[1:]:
        out = exp.Or(this=out, expression=c)
    return exp.Paren(this=out) if len(kept) > 1 else out


_ATOMS = (
    exp.Column,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Func,
    exp.Case,
    exp.Cast,
    exp.Paren,
    exp.Array,
)


def par(e: exp.Expr) -> exp.Expr:
    """``e`` in parentheses unless it is atomic: sqlglot prints operators as built.  ``e``
    is copied only when it already sits in a tree (a fresh node is used as is: deep
    copies were most of ``compile_batch``'s time)."""
    atomic = isinstance(e, _ATOMS) and not isinstance(e, exp.Binary | exp.Unary | exp.Not)
    return own(e) if atomic else exp.Paren(this=own(e))


def negate(e: exp.Expr) -> exp.Expr:
    """``NOT e``, parenthesised (a literal TRUE or FALSE folded)."""
    if isinstance(e, exp.Boolean):
        return exp.Boolean(this=not e.this)
    return exp.Not(this=par(e))


def is_null(e: exp.Expr) -> exp.Expr:
    return exp.Is(this=par(e), expression=exp.Null())


def not_null(e: exp.Expr) -> exp.Expr:
    return negate(is_null(e))


def is_bool(e: exp.Expr, value: bool) -> exp.Expr:
    if isinstance(e, exp.Boolean):
        return exp.Boolean(this=e.this is value)
    return exp.Is(this=par(e), expression=exp.Boolean(this=value))


def not_bool(e: exp.Expr, value: bool) -> exp.Expr:
    return negate(is_bool(e, value))


def own(e: exp.Expr) -> exp.Expr:
    """``e`` itself when it is a fresh node, else a copy (a node has one parent)."""
    return e.copy() if e.parent is not None else e


def case(whens: Iterable[tuple[exp.Expr, exp.Expr]], default: exp.Expr) -> exp.Expr:
    """``CASE WHEN ... END``; a literal FALSE condition left out, a literal TRUE one ends
    it (no CASE when nothing varies)."""
    kept: list[tuple[exp.Expr, exp.Expr]] = []
    for cond, value in whens:
        if is_false(cond):
            continue
        if is_true(cond):
            default = value
            break
        kept.append((cond, value))
    if not kept:
        return own(default)
    out = exp.Case()
    for cond, value in kept:
        out = out.when(own(cond), own(value), copy=False)
    return out.else_(own(default), copy=False)


def _never_null_list(e: exp.Expr) -> bool:
    """Whether the list ``e`` is never NULL, as written: a list literal (cast or not), or a
    CASE whose every branch is one."""
    if isinstance(e, exp.Paren | exp.Cast):
        return _never_null_list(e.this)
    if isinstance(e, exp.Array):
        return True
    if isinstance(e, exp.Case):
        default = e.args.get("default")
        branches = [w.args.get("true") for w in e.args.get("ifs") or ()]
        return default is not None and all(
            b is not None and _never_null_list(b) for b in [*branches, default]
        )
    return False


def _empty_list(e: exp.Expr | None) -> bool:
    while isinstance(e, exp.Paren | exp.Cast):
        e = e.this
    return isinstance(e, exp.Array) and not e.expressions


def guarded_concat(e: exp.Expr) -> exp.Expr:
    """``LIST_CONCAT(head, CASE WHEN c1 THEN x1 ELSE [] END, ...)`` as ``CASE WHEN c1 OR
    ... THEN <the same concat> ELSE head END``, where ``head`` is never NULL; else ``e`` as
    it is.  The same lists on every row (where no ``c`` holds each part after the head is
    empty), but a row where none holds, most rows, builds no list: concatenating an empty
    list to every decision's ``binding_caps`` was a tenth of the decisions' time at 10^6."""
    if not isinstance(e, exp.ArrayConcat):
        return e
    parts: list[exp.Expr] = []
    node: exp.Expr = e
    while isinstance(node, exp.ArrayConcat):
        parts[:0] = node.expressions
        node = node.this
    head = node
    guards: list[exp.Expr] = []
    for part in parts:
        if not isinstance(part, exp.Case) or not _empty_list(part.args.get("default")):
            return e
        guards += [w.this for w in part.args.get("ifs") or ()]
    if not guards or not _never_null_list(head):
        return e
    return case([(any_of(*(g.copy() for g in guards)), own(e))], head.copy())


def null_of(ty: t.Type) -> exp.Expr:
    return cast(exp.Null(), sql_type(ty))


def gate(pairs: Pairs, cond: exp.Expr) -> Pairs:
    if is_true(cond):
        return pairs
    return tuple((k, all_of(w, cond)) for k, w in pairs)


def merge(*groups: Pairs) -> Pairs:
    """Pairs with the same name joined by OR, sorted by name."""
    by: dict[str, list[exp.Expr]] = {}
    for group in groups:
        for k, w in group:
            by.setdefault(k, []).append(w)
    return tuple((k, any_of(*by[k])) for k in sorted(by))


def names_list(pairs: Pairs, keep: Callable[[str], bool] = lambda _: True) -> exp.Expr:
    """A VARCHAR[] of the names whose condition holds, in the pairs' (sorted) order."""
    parts = [
        exp.If(
            this=own(w),
            true=exp.Array(expressions=[exp.Literal.string(k)]),
            false=cast(exp.Array(expressions=[]), VARCHARS),
        )
        if not is_true(w)
        else exp.Array(expressions=[exp.Literal.string(k)])
        for k, w in pairs
        if keep(k)
    ]
    if not parts:
        return cast(exp.Array(expressions=[]), VARCHARS)
    if len(parts) == 1:
        return parts[0]
    return exp.ArrayConcat(this=parts[0], expressions=parts[1:])


# ---- literals --------------------------------------------------------------------------------


def literal(v: Value, ty: t.Type, what: str) -> exp.Expr:
    """A compile-time value as a SQL literal of its canonical type."""
    if isinstance(v, Unknown):
        return null_of(ty)
    if isinstance(v, bool):
        return exp.Boolean(this=v)
    if isinstance(v, Money):
        return cast(exp.Literal.number(v.fen), BIGINT)
    if isinstance(v, Foreign):  # money(C): BIGINT cents of its currency
        return cast(exp.Literal.number(v.cents), BIGINT)
    if isinstance(v, Duration):
        _, n = v.normalized()
        return cast(exp.Literal.number(_whole(n, what)), BIGINT)
    if isinstance(v, Decimal):
        return cast(exp.Literal.string(_decimal_text(v, what)), DECIMAL)
    if isinstance(v, dt.date):
        return cast(exp.Literal.string(v.isoformat()), DATE)
    if isinstance(v, str):
        return exp.Literal.string(v)
    if isinstance(v, frozenset | tuple):
        elem = ty.element or t.Type("text")
        items = sorted(v, key=repr) if isinstance(v, frozenset) else list(v)
        arr = exp.Array(expressions=[literal(i, elem, what) for i in items])
        return cast(arr, sql_type(ty))
    raise refuse("E600", f"{what}: the value {v!r} has no SQL form")


def _whole(n: Decimal, what: str) -> int:
    if n != n.to_integral_value():
        raise refuse("E601", f"{what}: a duration of {n} is not a whole number of its unit")
    return int(n)


def _decimal_text(v: Decimal, what: str) -> str:
    q = v.quantize(Decimal("1e-10"))
    if q != v or abs(q) >= Decimal(10) ** 28:
        raise refuse(
            "E601",
            f"{what}: the number {v} does not fit DECIMAL(38,10) exactly",
            hint="the batch path keeps numbers to 10 decimal places and 28 digits",
        )
    return format(q, "f")


def firm_id(entities: Iterable[str], ids: Iterable[exp.Expr]) -> exp.Expr:
    """The ``firm`` column of a subject whose path holds ``entities`` with the id columns
    ``ids``: the id of the entity named ``firm``, else NULL (another entity's id there, a
    venture org's, would be read as a firm's)."""
    found = next((i for e, i in zip(entities, ids, strict=True) if e == "firm"), None)
    return found.copy() if found is not None else cast(exp.Null(), VARCHAR)
