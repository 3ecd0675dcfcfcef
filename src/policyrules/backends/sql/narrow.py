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


def narrow(stored: exp.Select, readers: Sequence[exp.Select], flags: Iterable[str]) -> None:
    """Rewrite, in place, the stored step ``stored`` (a SELECT of plain columns, and
    aliases left as they are) and the SELECTs ``readers`` that read it (and nothing else)
    so that the columns read only as yes or no are stored as bits and a text read only in
    ``= 'literal'`` / ``<> 'literal'`` comparisons as a code.  ``flags`` names the
    columns known to be BOOLEAN and never NULL (each read as it is)."""
    flagged = set(flags)
    plain = [e.name for e in stored.expressions if isinstance(e, exp.Column)]
    refs: dict[str, list[exp.Column]] = {n: [] for n in plain}
    for reader in readers:
        for ref in reader.find_all(exp.Column):
            if not ref.table and ref.name in refs:
                refs[ref.name].append(ref)
    bits: list[exp.Expr] = []  # the yes-or-no value of each bit, in order
    codes: dict[str, list[str]] = {}
    kept: list[str] = []
    for name in plain:
        seen = [_context(r) for r in refs[name]]
        kinds = {k for k, _ in seen}
        if not seen:
            kept.append(name)  # read by none: left as it was (the year, an id)
        elif name in flagged:
            for ref in refs[name]:
                ref.replace(_bit(f"fl{len(bits) // _BITS}", len(bits) % _BITS))
            bits.append(exp.column(name, quoted=True))
        elif kinds == {"null"}:
            for _, node in seen:
                node.replace(_bit(f"fl{len(bits) // _BITS}", len(bits) % _BITS))
            bits.append(exp.Is(this=exp.column(name, quoted=True), expression=exp.Null()))
        elif kinds == {"eq"}:
            texts = sorted({str(lit.this) for _, lit in seen})
            for _, lit in seen:
                lit.replace(exp.Literal.number(texts.index(str(lit.this))))
            codes[name] = texts
            kept.append(name)
        else:
            kept.append(name)
    if not bits and not codes:
        return
    out: list[exp.Expr] = []
    for e in stored.expressions:
        if not isinstance(e, exp.Column):
            out.append(e)
        elif e.name in codes:
            out.append(_alias(_code(e.name, codes[e.name]), e.name, quoted=True))
        elif e.name in kept:
            out.append(e)
    for j in range(0, len(bits), _BITS):
        terms = [
            exp.If(this=b, true=exp.Literal.number(1 << (i % _BITS)))
            for i, b in enumerate(bits[j : j + _BITS])
        ]
        summed: exp.Expr = exp.Case(ifs=[terms[0]], default=exp.Literal.number(0))
        for t in terms[1:]:
            summed = exp.Add(
                this=summed, expression=exp.Case(ifs=[t], default=exp.Literal.number(0))
            )
        out.append(_alias(summed, f"fl{j // _BITS}", quoted=True))
    stored.set("expressions", out)


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
