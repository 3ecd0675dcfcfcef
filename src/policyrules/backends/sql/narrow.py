"""A narrower stored award: flags packed into integers, a text compared only with literals
as a small code.

An award's one stored step (``<p>_f``, see :mod:`.award_steps`) holds what its two readers,
the decisions and the grants, read.  Most of its columns are read only as yes or no: the
flags of the lists of names and of the binding caps (BOOLEAN, never NULL), and a column
only asked whether it is NULL (a cap's limit); the status ``st`` is only compared with
literals ('ok', 'no' ...).  Storing each as a column of its own costs more than computing
them again from a packed form: :func:`narrow` stores the yes-or-no values as bits of
INTEGER columns ``fl<j>`` (30 bits each) and ``st`` as a small INTEGER code, and rewrites
the readers to read them there.  The outputs are the same, value for value (a NULL code
stays NULL; a text no reader names gets a code no reader compares with).

Under a window that carries its award's rows (:mod:`.pools`), the flags the rows step
already has are packed there (``fe<j>``, the first bits of ``fl<j>``): a window sorts every
column it carries, and eight flags cost it eight columns where one INTEGER costs one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlglot.expressions as exp

from .sqlbits import alias as _alias

__all__ = ["narrow"]

_BITS = 30  # per INTEGER column: 2**29 is the largest bit, every sum stays below 2**30


def _context(ref: exp.Column) -> tuple[str, exp.Expr]:
    """How a reader reads column ``ref``: ``("null", the IS NULL node)``, ``("eq", the
    string literal it is compared with)`` or ``("raw", ref)``."""
    parent = ref.parent
    if (
        isinstance(parent, exp.Is)
        and parent.this is ref
        and isinstance(parent.expression, exp.Null)
    ):
        return "null", parent
    if isinstance(parent, exp.EQ | exp.NEQ):
        other = parent.expression if parent.this is ref else parent.this
        if isinstance(other, exp.Literal) and other.is_string:
            return "eq", other
    return "raw", ref


def _bit(packed: str, bit: int) -> exp.Expr:
    value = exp.BitwiseAnd(
        this=exp.column(packed, quoted=True), expression=exp.Literal.number(1 << bit)
    )
    return exp.Paren(this=exp.NEQ(this=exp.Paren(this=value), expression=exp.Literal.number(0)))


def narrow(
    stored: exp.Select,
    readers: Sequence[exp.Select],
    flags: Iterable[str],
    early: Iterable[str] = (),
) -> list[exp.Expr]:
    """Rewrite, in place, the stored step ``stored`` (a SELECT of plain columns, and
    aliases left as they are) and the SELECTs ``readers`` that read it (and nothing else)
    so that the columns read only as yes or no are stored as bits and a text read only in
    ``= 'literal'`` / ``<> 'literal'`` comparisons as a code.  ``flags`` names the
    columns known to be BOOLEAN and never NULL (each read as it is).

    ``early`` names columns an earlier step has (the award's rows, before its pool's
    window): their bits come first, and each ``fl<j>`` adds to the bits computed after
    them a column ``fe<j>`` of theirs, summed already.  Returned: those ``fe<j>`` (aliased
    expressions), for the caller to add to that step, so that the steps between carry one
    INTEGER instead of a column per flag (a window sorts every column it carries)."""
    flagged, before = set(flags), set(early)
    plain = [e.name for e in stored.expressions if isinstance(e, exp.Column)]
    refs: dict[str, list[exp.Column]] = {n: [] for n in plain}
    for reader in readers:
        for ref in reader.find_all(exp.Column):
            if not ref.table and ref.name in refs:
                refs[ref.name].append(ref)
    todo: list[tuple[str, exp.Expr, list[exp.Expr]]] = []  # (column, its bit, nodes read)
    codes: dict[str, list[str]] = {}
    kept: list[str] = []
    for name in plain:
        seen = [_context(r) for r in refs[name]]
        kinds = {k for k, _ in seen}
        if not seen:
            kept.append(name)  # read by none: left as it was (the year, an id)
        elif name in flagged:
            todo.append((name, exp.column(name, quoted=True), list(refs[name])))
        elif kinds == {"null"}:
            value = exp.Is(this=exp.column(name, quoted=True), expression=exp.Null())
            todo.append((name, value, [node for _, node in seen]))
        elif kinds == {"eq"}:
            texts = sorted({str(lit.this) for _, lit in seen})
            for _, lit in seen:
                lit.replace(exp.Literal.number(texts.index(str(lit.this))))
            codes[name] = texts
            kept.append(name)
        else:
            kept.append(name)
    if not todo and not codes:
        return []
    todo.sort(key=lambda t: t[0] not in before)  # stable: the earlier step's bits first
    for i, (_, _, nodes) in enumerate(todo):
        for node in nodes:
            node.replace(_bit(f"fl{i // _BITS}", i % _BITS))
    first = sum(1 for name, _, _ in todo if name in before)
    out: list[exp.Expr] = []
    for e in stored.expressions:
        if not isinstance(e, exp.Column):
            out.append(e)
        elif e.name in codes:
            out.append(_alias(_code(e.name, codes[e.name]), e.name, quoted=True))
        elif e.name in kept:
            out.append(e)
    packed: list[exp.Expr] = []
    for j in range(0, len(todo), _BITS):
        group = range(j, min(j + _BITS, len(todo)))
        ahead = [i for i in group if i < first]
        terms = [_sum(todo, [i for i in group if i >= first])] if len(ahead) < len(group) else []
        if ahead:
            packed.append(_alias(_sum(todo, ahead), f"fe{j // _BITS}", quoted=True))
            terms.insert(0, exp.column(f"fe{j // _BITS}", quoted=True))
        total = terms[0] if len(terms) == 1 else exp.Add(this=terms[0], expression=terms[1])
        out.append(_alias(total, f"fl{j // _BITS}", quoted=True))
    stored.set("expressions", out)
    return packed


def _sum(todo: list[tuple[str, exp.Expr, list[exp.Expr]]], bits: list[int]) -> exp.Expr:
    """The INTEGER whose bit ``i % 30`` is set where the value of bit ``i`` of ``todo`` is
    true, for each ``i`` of ``bits``."""
    terms = [
        exp.Case(
            ifs=[exp.If(this=todo[i][1].copy(), true=exp.Literal.number(1 << (i % _BITS)))],
            default=exp.Literal.number(0),
        )
        for i in bits
    ]
    summed: exp.Expr = terms[0]
    for t in terms[1:]:
        summed = exp.Add(this=summed, expression=t)
    return summed


def _code(name: str, texts: list[str]) -> exp.Expr:
    """The code of column ``name``'s text: its place in ``texts``, ``len(texts)`` for any
    other text, NULL for NULL."""
    ref = exp.column(name, quoted=True)
    ifs = [exp.If(this=exp.Is(this=ref, expression=exp.Null()), true=exp.Null())]
    ifs += [
        exp.If(
            this=exp.EQ(this=ref.copy(), expression=exp.Literal.string(t)),
            true=exp.Literal.number(i),
        )
        for i, t in enumerate(texts)
    ]
    return exp.Case(ifs=ifs, default=exp.Literal.number(len(texts)))
