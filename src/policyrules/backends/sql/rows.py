"""One provision's rows: the subject table joined to its owners, with every expression.

:func:`rows_step` builds the first step of a provision: one row per subject (a product with
its firm's columns beside it), its path and subject text, the status its conditions give,
and for each expression the provision uses its value, the facts it misses, the assumptions
it reads and whether it is undecided — as columns, so later steps (ledger joins, windows)
need no expression of the policy again.

Also here: natural order of ids as a SQL sort key (:func:`natural_sql`, the same order as
:func:`policyrules.runtime.order.natural_key`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from ...runtime.order import natural_key
from .exprs import ExprCompiler, SqlValue
from .names import flag_columns
from .sqlbits import (
    VARCHAR,
    Pairs,
    all_of,
    any_of,
    case,
    firm_id,
    gate,
    is_bool,
    is_null,
    merge,
    negate,
    status,
)
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .trees import join, nodes, table

__all__ = [
    "Rows",
    "chain_of",
    "conjuncts",
    "join_key",
    "natural_keys",
    "natural_literal",
    "natural_of",
    "natural_sql",
    "path_cols",
    "path_key_sql",
    "rows_step",
]


_LEVEL, _DIGITS, _TEXT = "\x01", "\x02", "\x03"


def chain_of(policy: CheckedPolicy, subject: str | None) -> tuple[EntityInfo, ...]:
    """The subject's entity and its owners, the firm (outermost) first."""
    return tuple(reversed(policy.chain(subject)))


def path_cols(chain: Iterable[EntityInfo]) -> list[str]:
    """The path's id columns of a provision's rows: ``e_firm``, ``e_product``."""
    return [f"e_{e.name}" for e in chain]


def decided_used(conds: list[SqlValue], und: list[exp.Expr]) -> Pairs:
    """The assumptions of the conditions ``conds`` (an `and`; ``und``: each one's undecided
    flag) a decision lists: refused, only the first false one's; else every one's (as
    ``Conditions.conditions`` of the Python back end)."""
    false = [
        all_of(is_bool(c.value, False), negate(u.copy())) for c, u in zip(conds, und, strict=True)
    ]
    groups = []
    for j, c in enumerate(conds):
        when = [negate(f.copy()) for f in false[:j]]  # no earlier one false
        if j + 1 < len(conds):  # this one false, or no later one
            when.append(any_of(false[j].copy(), negate(any_of(*false[j + 1 :]))))
        groups.append(gate(c.used, all_of(*when)) if when else c.used)
    return merge(*groups)


def conjuncts(e: s.Expr) -> list[s.Expr]:
    if isinstance(e, s.And):
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def natural_literal(text: str) -> str:
    """The sort key of ``text`` in natural order as a string compared by code point:
    digit runs as (marker, digit count, digits without leading zeros, the run as written),
    other runs as (marker, the run); as :func:`natural_sql` computes it in SQL."""
    out = []
    for kind, count, digits, run in natural_key(text):
        if kind == 0:
            out.append(f"{_DIGITS}{count:010d}{digits}{run}")
        else:
            out.append(f"{_TEXT}{run}")
    return "".join(out)


@functools.cache
def _digits() -> tuple[str, str, str]:
    """The decimal digits of every script, as :func:`natural_key` counts them (Python's
    ``\\d``: Unicode's Nd) beyond ASCII, the ASCII digit of each, and a regular expression
    class of them all, ASCII's included (each script's ten are consecutive code points).
    Unicode encodes them in planes 0 and 1 only (a test scans every plane)."""
    found = re.findall(r"\d", "".join(map(chr, range(0x20000))))
    other = "".join(c for c in found if not c.isascii())
    ascii_of = "".join(str(unicodedata.decimal(c)) for c in other)
    zeros = [c for c in found if unicodedata.decimal(c) == 0]
    return other, ascii_of, "".join(f"{z}-{chr(ord(z) + 9)}" for z in zeros)


def natural_sql(text: exp.Expr) -> exp.Expr:
    """:func:`natural_literal` in SQL: digit runs of any script (full-width ``１２`` is
    12), each compared by its digits' values as ASCII, then as written."""
    other, ascii_of, digits_class = _digits()
    run = exp.to_identifier("r")
    ref = exp.column("r")
    # Translated only when it holds another script's digit: DuckDB builds translate()'s map
    # of 650 characters anew for each call (12x the time of a whole batch, every run).
    ascii_run = case(
        [(exp.RegexpLike(this=ref.copy(), expression=exp.Literal.string("^[0-9]+$")), ref.copy())],
        exp.Translate(
            this=ref.copy(), from_=exp.Literal.string(other), to=exp.Literal.string(ascii_of)
        ),
    )
    stripped = exp.func("ltrim", ascii_run, exp.Literal.string("0"))
    digits = exp.DPipe(
        this=exp.DPipe(
            this=exp.DPipe(
                this=exp.Literal.string(_DIGITS),
                expression=exp.func(
                    "lpad",
                    _cast(exp.func("length", stripped.copy()), VARCHAR),
                    exp.Literal.number(10),
                    exp.Literal.string("0"),
                ),
            ),
            expression=stripped,
        ),
        expression=ref.copy(),
    )
    other_run = exp.DPipe(this=exp.Literal.string(_TEXT), expression=ref.copy())
    is_digits = exp.RegexpLike(this=ref.copy(), expression=exp.Literal.string(f"^[{digits_class}]"))
    body = exp.If(this=is_digits, true=digits, false=other_run)
    pattern = f"[{digits_class}]+|[^{digits_class}]+"
    runs = exp.RegexpExtractAll(this=text.copy(), expression=exp.Literal.string(pattern))
    mapped = exp.Transform(this=runs, expression=exp.Lambda(this=body, expressions=[run]))
    return exp.ArrayToString(this=mapped, expression=exp.Literal.string(""))


def natural_keys(ent: EntityInfo) -> exp.Select:
    """One row, one BOOLEAN column ``same``: whether every id of ``ent``'s table has its
    ASCII digits in the same places (``P00`` ... ``P19``, ``F000123``: the usual registry).
    Then text order is natural order (same-length runs compare alike either way), and
    :func:`natural_of` takes the id itself as its key: short keys sort fast, and no id is
    parsed.  Counted over the distinct ids (few where ids repeat across firms), and
    cross-joined to the rows that need a key: no join by id."""
    ids = (
        exp.select(_alias(exp.column("id", quoted=True), "nk_id", quoted=True))
        .distinct(copy=False)
        .from_(table(ent.key), copy=False)
    )
    digits = exp.Literal.string("0123456789")
    mask = exp.Translate(
        this=exp.column("nk_id", quoted=True), from_=digits, to=exp.Literal.string("0" * 10)
    )
    same = exp.LTE(
        this=exp.Count(this=exp.Distinct(expressions=[mask])), expression=exp.Literal.number(1)
    )
    return exp.select(_alias(same, "same", quoted=True)).from_(
        exp.Subquery(this=ids, alias=exp.TableAlias(this=exp.to_identifier("i"))), copy=False
    )


def natural_of(ref: exp.Expr, keys: str) -> exp.Expr:
    """The natural key of the id ``ref``, given the one-row :func:`natural_keys` table
    ``keys`` cross-joined to its rows: the id itself when every id has one shape, else
    :func:`natural_sql` of it (the same order either way)."""
    same = exp.column("same", table=keys, quoted=True)
    return exp.Case(ifs=[exp.If(this=same, true=ref.copy())], default=natural_sql(ref))


def path_key_sql(chain: tuple[EntityInfo, ...], keys: Mapping[str, str] | None = None) -> exp.Expr:
    """The subject's path (columns ``e_<entity>`` of a provision's rows) in natural order,
    as ``natural_path_key``: per level the entity name then its id's natural key, a shorter
    path first.  ``keys`` names, per entity, a cross-joined :func:`natural_keys` table
    (:func:`natural_of`: the id itself when every id has one shape)."""
    parts: list[exp.Expr] = []
    if not chain:
        return exp.Literal.string("")
    for ent in chain:
        parts.append(exp.Literal.string(ent.name + _LEVEL))
        if keys is not None and ent.name in keys:
            parts.append(natural_of(exp.column(f"e_{ent.name}", quoted=True), keys[ent.name]))
        else:
            parts.append(natural_sql(exp.column(f"e_{ent.name}", quoted=True)))
        parts.append(exp.Literal.string(_LEVEL))
    out = parts[0]
    for p in parts[1:]:
        out = exp.DPipe(this=out, expression=p)
    return out


def join_key(chain: tuple[EntityInfo, ...], table: str | None = None) -> exp.Expr:
    """The path's ids in one text (ids hold no control character): a claim's key in a
    pool's window, to join its room back."""
    out: exp.Expr = exp.column(f"e_{chain[0].name}", table=table, quoted=True)
    for ent in chain[1:]:
        sep = exp.DPipe(this=out, expression=exp.Literal.string(_LEVEL))
        out = exp.DPipe(this=sep, expression=exp.column(f"e_{ent.name}", table=table, quoted=True))
    return out


@attrs.frozen
class Rows:
    """The first step of a provision and what later steps read from it."""

    name: str
    select: exp.Select
    chain: tuple[EntityInfo, ...]
    lists: dict[str, Pairs] = attrs.field(factory=dict)


def _from_chain(
    policy: CheckedPolicy, chain: tuple[EntityInfo, ...], cols: list[exp.Expr]
) -> exp.Select:
    """FROM the subject's table, each owner's joined by its id.  The outermost owner's
    table is not joined when ``cols`` read nothing of it but its id: the id is its
    child's ``<owner>_id`` (the reader has checked every such id names a row, E626, and
    each id is used once, E625), so the join would change no row and cost a hash join."""
    subject = chain[-1]
    q = exp.select().from_(_alias(table(subject.key), subject.name, quoted=True), copy=False)
    top = chain[0].name
    if len(chain) > 1 and not any(
        c.table == top and c.name != "id" for e in cols for c in nodes(e, exp.Column)
    ):
        for e in cols:
            for c in list(nodes(e, exp.Column)):
                if c.table == top:
                    c.replace(exp.column(f"{top}_id", table=chain[1].name, quoted=True))
        chain = chain[1:]
    for child, parent in zip(reversed(chain[1:]), reversed(chain[:-1]), strict=True):
        on = exp.EQ(
            this=exp.column("id", table=parent.name, quoted=True),
            expression=exp.column(f"{parent.name}_id", table=child.name, quoted=True),
        )
        q = q.join(
            join(_alias(table(parent.key), parent.name, quoted=True), "LEFT", on), copy=False
        )
    return q


def _lists(prefix: str, v: SqlValue, q: list[exp.Expr], lists: dict[str, Pairs]) -> None:
    """Columns ``<prefix>`` (the value) and ``<prefix>_un`` (undecided), and the flags of
    the lists ``<prefix>_mf`` (missing facts), ``<prefix>_mp`` (missing parameters),
    ``<prefix>_as`` (assumptions) into ``lists`` (see :mod:`.names`)."""
    missing = gate(v.missing, is_null(v.value))
    q.append(_alias(v.value.copy(), prefix, quoted=True))
    _missing_cols(prefix, missing, q, lists)
    lists[f"{prefix}_as"] = flag_columns(f"{prefix}_as", v.used, q)
    und = v.undecided if v.undecided is not None else exp.Boolean(this=False)
    q.append(_alias(und.copy(), f"{prefix}_un", quoted=True))


def _missing_cols(prefix: str, missing: Pairs, q: list[exp.Expr], lists: dict[str, Pairs]) -> None:
    facts = tuple((k, w) for k, w in missing if not k.startswith("parameter "))
    params = tuple(
        (k.removeprefix("parameter "), w) for k, w in missing if k.startswith("parameter ")
    )
    lists[f"{prefix}_mf"] = flag_columns(f"{prefix}_mf", facts, q)
    lists[f"{prefix}_mp"] = flag_columns(f"{prefix}_mp", params, q)


def rows_step(
    name: str,
    policy: CheckedPolicy,
    p: ProvisionInfo,
    ec: ExprCompiler,
    values: Mapping[str, s.Expr | SqlValue],
) -> Rows:
    """The rows of provision ``p``: path columns, ``subject``, ``firm``; the
    conditions as ``st0`` (the INTEGER code, ``sqlbits.STATUS``, of ok, no, undecided or
    unknown) with ``c_mf``/``c_mp``/``c_as``; and each expression of ``values`` by its
    name (see :func:`_lists`), or each value already compiled."""
    chain = chain_of(policy, p.subject)
    cols: list[exp.Expr] = []
    for ent in chain:
        cols.append(
            _alias(exp.column("id", table=ent.name, quoted=True), f"e_{ent.name}", quoted=True)
        )
    ids = [exp.column("id", table=ent.name, quoted=True) for ent in chain]
    subject: exp.Expr = ids[0]
    for i in ids[1:]:
        subject = exp.DPipe(
            this=exp.DPipe(this=subject, expression=exp.Literal.string("/")), expression=i
        )
    cols.append(_alias(subject, "subject", quoted=True))
    cols.append(_alias(firm_id([e.name for e in chain], ids), "firm", quoted=True))
    # Conditions: all are computed; a false one decides; an undecided one (E412-E414) makes
    # the decision unknown unless another is false; else an unknown one makes it unknown.
    conds = [ec.compile(part) for line in p.eligible for part in conjuncts(line.condition)]
    und = [c.undecided if c.undecided is not None else exp.Boolean(this=False) for c in conds]
    failed = (
        any_of(
            *(
                all_of(is_bool(c.value, False), negate(u.copy()))
                for c, u in zip(conds, und, strict=True)
            )
        )
        if conds
        else exp.Boolean(this=False)
    )
    undecided = any_of(*und) if conds else exp.Boolean(this=False)
    unknown = any_of(*(is_null(c.value) for c in conds)) if conds else exp.Boolean(this=False)
    st0 = case(
        [
            (failed, status("no")),
            (undecided, status("undecided")),
            (unknown, status("unknown")),
        ],
        status("ok"),
    )
    cols.append(_alias(st0, "st0", quoted=True))
    missing = merge(
        *(
            gate(c.missing, all_of(is_null(c.value), negate(u.copy())))
            for c, u in zip(conds, und, strict=True)
        )
    )
    lists: dict[str, Pairs] = {}
    _missing_cols("c", missing, cols, lists)
    lists["c_as"] = flag_columns("c_as", decided_used(conds, und), cols)
    for key, expr in values.items():
        _lists(key, expr if isinstance(expr, SqlValue) else ec.compile(expr), cols, lists)
    q = _from_chain(policy, chain, cols).select(*cols, copy=False)
    return Rows(name, q, chain, lists)
