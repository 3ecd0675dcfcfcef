"""Exclusive groups in the SQL batch (issue 11 §6): which claim of a group is paid.

同一项目同时符合…的，按照就高原则给予支持，不重复支持, as the one-by-one path
(:mod:`policyrules.backends.python.exclusive`) does it: the awards of the groups (and those
sharing a pool with them) are compiled a first time (steps ``x<i>…``), each claim decided on
its own; from their stored decisions (``x<i>_f``) these steps say, claim by claim, what the
group does to it; then the awards are compiled again (the usual steps ``p<i>…``) reading the
verdict (:func:`verdict_join`): a loser is not eligible (it takes nothing from any cap and
makes no grant), a tie without ``ties by listed`` is unknown (E423), a claim that may still
lose is at most (``up_to``), never exact, and holds its amount as an uncertain claim.

Per group ``m`` (``among`` each award's own subject: one claim per award and record; or an
owner of it: several claims of one award per record, :mod:`.exclusive` says in what order):

``xg<m>_c``: the first pass's claims (record ids ``k_<entity>``, provision ``pr``, the
subject's path ``sk`` (:func:`.rows.join_key`), among an owner ``pk`` the path in natural
order, its place in the group ``gi`` and in the policy ``po``, status code, amount, kind)
with each one's least and most (``lo``, ``hi``) and certainty (``cer``: eligible), beside an
earlier grant in the ``ledger`` under another award of the group for the same record (``lp``,
``la``: per provision its largest); ``xg<m>_k``: one row per claim (the largest such grant,
the first by provision id of equals), ``live`` (not refused by its conditions, no such
grant); ``xg<m>_p``: each live claim beside each other live claim of its record, whether
the other surely comes first (``w``) or this one does (``b``), and over the claim's pairs
whether any does; ``xg<m>_v``: per claim, its verdict's level and note from the other the
one-by-one path names (the pair ranked first for that verdict, then by ``po`` and ``pk``
as it takes them).  ``xv``: one row per claim (``pr``, ``sk``) a group touched, the
strongest verdict of its groups (``xl``: 3 not paid, 2 tie, 1 at most, 0 paid) and its note
``xn``, the line the Chinese decision text says (:mod:`.exclusive_notes`), which the
decision lists last in ``binding_caps``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import sqlglot.expressions as exp

from ...model import CheckedPolicy, EntityInfo
from ...model_exclusive import ExclusiveGroup
from .awards import col, lit, num
from .exclusive_notes import group_note, ledger_note
from .plan import Step
from .rows import chain_of, join_key, path_key_sql
from .sqlbits import BIGINT, INTEGER, VARCHAR, all_of, any_of, case, is_null, negate, not_null
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import status as status_code
from .trees import table

__all__ = [
    "BOUNDED",
    "FAIL",
    "TIE",
    "UNDATED",
    "FirstPass",
    "verdict_join",
    "verdict_steps",
]

BOUNDED, TIE, FAIL = 1, 2, 3  # ``xl``; 0 paid; no row (the join's -1): untouched
UNDATED = 4  # a superseded provision with no ``as_of`` (E424): unknown, as a tie

VERDICTS = "xv"


@attrs.frozen
class FirstPass:
    """An award's first pass: provision ``pid``, its stored step ``step`` (``x<i>_f``),
    whether that step has ``amount_min`` (a bounded or raised award), its subject's chain
    (the firm first: the step's ``e_*`` columns)."""

    pid: str
    step: str
    ranged: bool
    chain: tuple[EntityInfo, ...]


def _int(n: int) -> exp.Expr:
    return _cast(exp.Literal.number(n), INTEGER)


def _null(ty: exp.DataType) -> exp.Expr:
    return _cast(exp.Null(), ty)


def _flag(cond: exp.Expr) -> exp.Expr:
    """1 where ``cond`` holds, else 0 (NULL too): a window's MAX says whether any does."""
    return case([(cond, _int(1))], _int(0))


def _over(
    fn: exp.Expr, part: Sequence[exp.Expr], order: list[exp.Ordered] | None = None
) -> exp.Expr:
    return exp.Window(
        this=fn,
        partition_by=[p.copy() for p in part],
        order=exp.Order(expressions=order) if order else None,
    )


def _yuan(fen: exp.Expr) -> exp.Expr:
    """``12000000.00 元`` from BIGINT fen (never negative here)."""
    whole = _cast(exp.IntDiv(this=fen.copy(), expression=num(100)), VARCHAR)
    cents = exp.Pad(
        this=_cast(exp.Mod(this=fen.copy(), expression=num(100)), VARCHAR),
        expression=exp.Literal.number(2),
        fill_pattern=lit("0"),
        is_left=True,
    )
    return _concat(whole, lit("."), cents, lit(" 元"))


def _concat(*parts: exp.Expr) -> exp.Expr:
    out = parts[0]
    for p in parts[1:]:
        out = exp.DPipe(this=out, expression=p)
    return out


def _rule(g: ExclusiveGroup) -> str:
    rule = "keep listed" if g.keep == "listed" else "keep highest"
    return rule + (f" ties by {g.ties}" if g.ties else "")


def _keys(chain: Sequence[EntityInfo]) -> list[str]:
    return [f"k_{e.name}" for e in chain]


def _on(a: str, b: str, keys: list[str]) -> exp.Expr:
    return all_of(*(exp.EQ(this=col(k, a), expression=col(k, b)) for k in keys))


def _claims(
    g: ExclusiveGroup, keys: list[str], first: dict[str, FirstPass], order: dict[str, int]
) -> exp.Expr:
    """The group's first-pass claims, one SELECT per award, their union: each claim named
    by its provision and its subject's path (``sk``); among an owner, ``pk`` the path in
    natural order (several claims of one award per record: as the one-by-one path takes
    them, by provision, then in its serving order, which is this with no ``order by``)."""
    parts: list[exp.Select] = []
    for gi, pid in enumerate(g.awards):
        fp = first.get(pid)
        if fp is None:  # a clause left out of the batch (its grants still count)
            continue
        ids = [_alias(col(f"e_{k[2:]}"), k, quoted=True) for k in keys]
        amin = col("amount_min") if fp.ranged else _null(BIGINT)
        owner = g.among != fp.chain[-1].name
        pk = path_key_sql(fp.chain) if owner else lit("")
        parts.append(
            exp.select(
                *ids,
                _alias(lit(pid), "pr", quoted=True),
                _alias(join_key(fp.chain), "sk", quoted=True),
                _alias(pk, "pk", quoted=True),
                _alias(_int(gi), "gi", quoted=True),
                _alias(_int(order[pid]), "po", quoted=True),
                _alias(col("st"), "st", quoted=True),
                _alias(col("amount"), "am", quoted=True),
                _alias(amin, "amn", quoted=True),
                _alias(col("amount_kind"), "ak", quoted=True),
            ).from_(table(fp.step), copy=False)
        )
    union: exp.Expr = parts[0]
    for q in parts[1:]:
        union = exp.Union(this=union, expression=q, distinct=False)
    return union


def _ledger(g: ExclusiveGroup, keys: list[str]) -> exp.Select:
    """The group's earlier grants per record and provision (the largest as its amount)."""
    names = [k[2:] for k in keys]
    conds: list[exp.Expr] = [
        exp.In(this=col("provision"), expressions=[lit(a) for a in g.awards]),
        *(not_null(col(n)) for n in names),
    ]
    return (
        exp.select(
            *(_alias(col(n), f"k_{n}", quoted=True) for n in names),
            _alias(col("provision"), "lp", quoted=True),
            _alias(_cast(exp.Max(this=col("amount")), BIGINT), "la", quoted=True),
        )
        .from_(table("ledger"), copy=False)
        .where(all_of(*conds), copy=False)
        .group_by(*(col(n) for n in names), col("provision"), copy=False)
    )


def _bounds_cols() -> list[exp.Expr]:
    """``_bounds`` of the one-by-one path: least and most (NULL: none), certain."""
    ok = exp.EQ(this=col("st"), expression=status_code("ok"))
    unknown = any_of(is_null(col("am")), exp.EQ(this=col("ak"), expression=lit("unknown")))
    lo = case(
        [
            (negate(ok), _null(BIGINT)),
            (unknown, num(0)),
            (exp.EQ(this=col("ak"), expression=lit("exact")), col("am")),
            (
                all_of(exp.EQ(this=col("ak"), expression=lit("range")), not_null(col("amn"))),
                col("amn"),
            ),
        ],
        num(0),
    )
    hi = case([(negate(ok.copy()), _null(BIGINT)), (unknown.copy(), _null(BIGINT))], col("am"))
    return [
        _alias(lo, "lo", quoted=True),
        _alias(hi, "hi", quoted=True),
        _alias(ok.copy(), "cer", quoted=True),
    ]


def _beats(a: str, b: str, ties: bool) -> exp.Expr:
    """Whether claim ``a`` surely comes before ``b`` under ``keep highest``."""
    lo, hi = col("lo", a), col("hi", b)
    above: exp.Expr = exp.GT(this=lo, expression=hi)
    if ties:
        same = all_of(
            exp.EQ(this=lo.copy(), expression=hi.copy()),
            exp.LT(this=col("gi", a), expression=col("gi", b)),
        )
        above = any_of(above, same)
    return all_of(col("cer", a), not_null(lo.copy()), not_null(hi.copy()), exp.Paren(this=above))


def _sub(q: exp.Expr, name: str) -> exp.Subquery:
    return exp.Subquery(this=q, alias=exp.TableAlias(this=exp.to_identifier(name, quoted=True)))


def _first_of(q: exp.Expr, part: Sequence[exp.Expr], order: list[exp.Ordered]) -> exp.Select:
    """The rows of ``q`` ranked first in each partition ``part`` by ``order``."""
    ranked = exp.select("*", _alias(_over(exp.RowNumber(), part, order), "rn_", quoted=True))
    source = _alias(q, "q_", quoted=True) if isinstance(q, exp.Table) else _sub(q, "q_")
    ranked = ranked.from_(source, copy=False)
    return (
        exp.select("*")
        .from_(_sub(ranked, "r_"), copy=False)
        .where(exp.EQ(this=col("rn_"), expression=exp.Literal.number(1)), copy=False)
    )


def _asc(e: exp.Expr) -> exp.Ordered:
    return exp.Ordered(this=e, desc=False, nulls_first=False)


def _group_steps(
    policy: CheckedPolicy,
    m: int,
    g: ExclusiveGroup,
    keys: list[str],
    first: dict[str, FirstPass],
    order: dict[str, int],
) -> list[Step]:
    c, k, p, v = (f"xg{m}_{x}" for x in "ckpv")
    ties = g.ties == "listed"
    joined = (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("c", quoted=True)),
            *_bounds_cols(),
            _alias(col("lp", "l"), "lp", quoted=True),
            _alias(col("la", "l"), "la", quoted=True),
        )
        .from_(_sub(_claims(g, keys, first, order), "c"), copy=False)
        .join(
            _sub(_ledger(g, keys), "l"),
            on=all_of(_on("c", "l", keys), exp.NEQ(this=col("lp", "l"), expression=col("pr", "c"))),
            join_type="left",
            copy=False,
        )
    )
    claim = [*(col(x) for x in keys), col("pr"), col("sk")]
    # an earlier grant under another award: the largest, the first by provision id of equals
    largest = exp.Ordered(this=col("la"), desc=True, nulls_first=False)
    once = _first_of(table(c), claim, [largest, _asc(col("lp"))])
    live = all_of(exp.NEQ(this=col("st"), expression=status_code("no")), is_null(col("lp")))
    once.set("expressions", [exp.Star(), _alias(live, "live", quoted=True)])
    # each live claim (a) beside each other live claim (b) of its record
    other = ("pr", "gi", "po", "pk", "st", "am", "ak", "lo", "hi", "cer")
    flags = {
        "ow": _beats("b", "a", ties),
        "mw": _beats("a", "b", ties),
        "bf": exp.LT(this=col("gi", "b"), expression=col("gi", "a")),
    }
    flags["sure"] = all_of(
        flags["bf"].copy(), exp.EQ(this=col("st", "b"), expression=status_code("ok"))
    )
    me = [col(x, "a") for x in (*keys, "pr", "sk")]
    cols: list[exp.Expr] = [
        *(
            _alias(col(x, "a"), x, quoted=True)
            for x in (*keys, "pr", "sk", "gi", "lo", "hi", "cer")
        ),
        *(_alias(col(x, "b"), f"o{x}", quoted=True) for x in other),
        *(_alias(f, n, quoted=True) for n, f in flags.items()),
    ]
    anyof = {"nw": flags["ow"], "nb": negate(flags["mw"]), "ns": flags["sure"], "nf": flags["bf"]}
    for n, f in anyof.items():
        cols.append(_alias(_over(exp.Max(this=_flag(f.copy())), me), n, quoted=True))
    pairs = (
        exp.select(*cols)
        .from_(_alias(table(k), "a", quoted=True), copy=False)
        .join(
            _alias(table(k), "b", quoted=True),
            on=all_of(
                _on("a", "b", keys),
                any_of(
                    exp.NEQ(this=col("pr", "a"), expression=col("pr", "b")),
                    exp.NEQ(this=col("sk", "a"), expression=col("sk", "b")),
                ),
            ),
            join_type="inner",
            copy=False,
        )
        .where(all_of(col("live", "a"), col("live", "b")), copy=False)
    )
    return [(c, joined), (k, once), (p, pairs), (v, _verdicts(policy, g, keys, p, k))]


def _is(name: str) -> exp.Expr:
    return exp.EQ(this=col(name), expression=_int(1))


def _verdicts(
    policy: CheckedPolicy, g: ExclusiveGroup, keys: list[str], p: str, k: str
) -> exp.Expr:
    """Per claim of pairs ``p``: the level and the note of the other the one-by-one path
    names (``_highest``, ``_listed``); the claims ``k`` an earlier grant excludes."""
    zero = _cast(exp.Literal.number(0), BIGINT)

    def big(e: exp.Expr) -> exp.Expr:
        return _cast(e, BIGINT)

    def neg(e: exp.Expr) -> exp.Expr:
        return exp.Neg(this=exp.Coalesce(this=e, expressions=[zero.copy()]))

    if g.keep == "listed":
        # not paid: the first listed sure one before it; at most: the first (in the
        # policy's order) listed before it; paid: the first other
        sorts = [
            case(
                [
                    (_is("ns"), big(_flag(negate(col("sure"))))),
                    (_is("nf"), big(_flag(negate(col("bf"))))),
                ],
                zero.copy(),
            ),
            case([(_is("ns"), big(col("ogi")))], big(col("opo"))),
            zero.copy(),
        ]
        level = case([(_is("ns"), _int(FAIL)), (_is("nf"), _int(BOUNDED))], _int(0))
    else:
        tie = all_of(
            col("cer"),
            col("ocer"),
            exp.EQ(this=col("lo"), expression=col("hi")),
            exp.EQ(this=col("lo"), expression=col("olo")),
            exp.EQ(this=col("olo"), expression=col("ohi")),
        )
        # not paid: the winner of the largest least, the first listed of equals; paid: the
        # other of the largest most, the first in the policy's order; else the first open
        none_open = exp.EQ(this=col("nb"), expression=_int(0))
        sorts = [
            case(
                [(_is("nw"), big(_flag(negate(col("ow"))))), (none_open, neg(col("ohi")))],
                big(_flag(col("mw"))),
            ),
            case([(_is("nw"), neg(col("olo")))], big(col("opo"))),
            case([(_is("nw"), big(col("ogi")))], zero.copy()),
        ]
        whens = [(_is("nw"), _int(FAIL)), (none_open.copy(), _int(0))]
        if g.ties != "listed":
            whens.append((exp.EQ(this=_flag(tie), expression=_int(1)), _int(TIE)))
        level = case(whens, _int(BOUNDED))
    part = [*(col(x) for x in keys), col("pr"), col("sk")]
    # then, of one provision's claims, the first as the one-by-one path takes them
    picked = _first_of(table(p), part, [*(_asc(s) for s in sorts), _asc(col("opk"))])
    picked.set("expressions", [exp.Star(), _alias(level, "xl", quoted=True)])
    fail, tie, bounded = (exp.EQ(this=col("xl"), expression=_int(x)) for x in (FAIL, TIE, BOUNDED))
    outcomes = [(fail, "not_paid"), (tie, "tie"), (bounded, "undecided"), (exp.true(), "paid")]
    note = group_note(policy, g, outcomes, col("opr"), col("oam"), col("oak"), col("cer"))
    ids = [col(x) for x in keys]
    decided = exp.select(
        *ids, col("pr"), col("sk"), col("xl"), _alias(note, "xn", quoted=True)
    ).from_(_sub(picked, "v_"), copy=False)
    excluded = (
        exp.select(
            *(i.copy() for i in ids),
            col("pr"),
            col("sk"),
            _alias(_int(FAIL), "xl", quoted=True),
            _alias(ledger_note(policy, g, col("lp"), col("la")), "xn", quoted=True),
        )
        .from_(table(k), copy=False)
        .where(not_null(col("lp")), copy=False)
    )
    return exp.Union(this=decided, expression=excluded, distinct=False)


def verdict_steps(policy: CheckedPolicy, first: Sequence[FirstPass]) -> list[Step]:
    """The steps of every group's verdicts and ``xv`` (see the module), from the first
    pass's awards ``first`` (the awards of the groups the batch compiles)."""
    by_id = {fp.pid: fp for fp in first}
    order = {p.id: i for i, p in enumerate(policy.provisions())}
    groups = [g for g in policy.exclusivity.groups if any(a in by_id for a in g.awards)]
    steps: list[Step] = []
    parts: list[exp.Select] = []
    for m, g in enumerate(groups):
        keys = _keys(chain_of(policy, g.among))
        steps += _group_steps(policy, m, g, keys, by_id, order)
        parts.append(
            exp.select(
                col("pr"), col("sk"), col("xl"), col("xn"), _alias(_int(m), "gm", quoted=True)
            ).from_(table(f"xg{m}_v"), copy=False)
        )
    union: exp.Expr = parts[0]
    for q in parts[1:]:
        union = exp.Union(this=union, expression=q, distinct=False)
    strongest = [exp.Ordered(this=col("xl"), desc=True, nulls_first=False), _asc(col("gm"))]
    best = _first_of(union, [col("pr"), col("sk")], strongest)
    best.set("expressions", [col("pr"), col("sk"), col("xl"), col("xn")])
    steps.append((VERDICTS, best))
    return steps


def verdict_join(
    pid: str, chain: Sequence[EntityInfo]
) -> tuple[exp.Expr, exp.Expr, list[exp.Expr]]:
    """What an award's rows (alias ``r``, ids ``e_*``) join to read their verdict: the
    subquery (alias ``xj``), the join's condition, the columns ``exv`` (the level, -1 where
    no group touched the claim) and ``exn`` (the note, or NULL)."""
    sub = (
        exp.select(col("sk"), col("xl"), col("xn"))
        .from_(table(VERDICTS), copy=False)
        .where(exp.EQ(this=col("pr"), expression=lit(pid)), copy=False)
    )
    on = exp.EQ(this=col("sk", "xj"), expression=join_key(tuple(chain), "r"))
    cols = [
        _alias(exp.Coalesce(this=col("xl", "xj"), expressions=[_int(-1)]), "exv", quoted=True),
        _alias(col("xn", "xj"), "exn", quoted=True),
    ]
    return _sub(sub, "xj"), on, cols
