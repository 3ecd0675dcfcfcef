"""The steps of a limit per owner in SQL (``limit N per E [per year of D]``): the ledger's
places, the two windows of the closed form (:mod:`.limits`), the names the held places
need, and the refusal's line as the Chinese text says it.

From the award's ``<p>_e`` (amount and kind before the limit): ``<p>_l1`` (each claim's
class, year, ledger places ``lc`` and the first ledger names ``ln<i>``), ``<p>_l2`` (``sk``:
the places taken or held before it), ``<p>_l3`` (``lpc``: it takes one), ``<p>_l4`` (``tk``:
those taken before it, ``lrank``), ``<p>_l5`` (``lst``, :data:`.limits.LIMIT_STATES`),
``<p>_l6`` (``lw_mf_<i>``/``lw_mp_<i>``: the names held places need; ``cn<i>``: the first
claims that took places).  The stored step reads :func:`limit_overrides`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs
import sqlglot.expressions as exp

from ...model import CheckedPolicy, EntityInfo
from ...words import Words
from .awards import col, lit, num
from .limits import LIMIT_STATES, NAMED, LimitPlan
from .names import expand
from .plan import Step
from .rows import natural_sql, path_key_sql
from .sqlbits import (
    INTEGER,
    VARCHAR,
    Pairs,
    all_of,
    any_of,
    case,
    is_bool,
    is_null,
    negate,
    not_null,
)
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import status as status_code
from .trees import table

__all__ = ["LimitRows", "limit_note", "limit_overrides", "limit_steps", "waits"]


def _ids(ents: Sequence[EntityInfo], table_name: str | None = None) -> list[exp.Expr]:
    return [col(f"e_{e.name}", table_name) for e in ents]


def _frame(fn: exp.Expr, part: list[exp.Expr], order: list[exp.Ordered]) -> exp.Expr:
    """``fn`` over the claims before this one (in order) in ``part``."""
    return exp.Window(
        this=fn,
        partition_by=[p.copy() for p in part],
        order=exp.Order(expressions=[o.copy() for o in order]),
        spec=exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="1", end_side="PRECEDING"
        ),
    )


def _count_of(cond: exp.Expr, part: list[exp.Expr], order: list[exp.Ordered]) -> exp.Expr:
    """How many claims before this one in ``part`` ``cond`` held on."""
    counted = _frame(exp.Sum(this=case([(cond, num(1))], num(0))), part, order)
    return exp.Coalesce(this=counted, expressions=[num(0)])


def _any_of(cond: exp.Expr, part: list[exp.Expr], order: list[exp.Ordered]) -> exp.Expr:
    """Whether ``cond`` held on any claim before this one in ``part`` (never NULL)."""
    seen = _frame(exp.Max(this=case([(cond, num(1))], num(0))), part, order)
    return exp.EQ(this=exp.Coalesce(this=seen, expressions=[num(0)]), expression=num(1))


def _unknown_years(cond: exp.Expr, owner: list[exp.Expr], order: list[exp.Ordered]) -> exp.Expr:
    """How many claims of unknown year before this one of its owner ``cond`` held on,
    but for those the ledger paid first in this claim's year (their place is taken there,
    not held again: the claims of unknown year whose ``lk2`` is this claim's year)."""
    paid_here = all_of(cond.copy(), not_null(col("lk2")))
    return exp.Sub(
        this=_count_of(cond, owner, order),
        expression=_count_of(paid_here, [*owner, col("lk2")], order),
    )


def _ledger_places(pid: str, plan: LimitPlan, entities: Sequence[str]) -> tuple[exp.Expr, ...]:
    """The ledger's subjects paid under ``pid`` (a grant above 0.00 元, the year of their
    first payment ``fy``), and per owner (and that year) their count ``lc`` and the first
    names in natural order ``ln1`` …: two subqueries (by subject, by key)."""
    owner = [e.name for e in plan.owner]
    chain_cols = [n for n in entities if n in {*owner, plan.subject.name}]
    subject = exp.Coalesce(
        this=col(chain_cols[-1]), expressions=[col(n) for n in reversed(chain_cols[:-1])]
    )
    by_subject = (
        exp.select(
            *(_alias(col(n), f"k_{n}", True) for n in owner),
            _alias(subject, "k_s", True),
            _alias(exp.Min(this=col("year")), "fy", True),
        )
        .from_(exp.to_table("ledger", quoted=True), copy=False)
        .where(
            all_of(
                exp.EQ(this=col("provision"), expression=lit(pid)),
                exp.NEQ(this=col("amount"), expression=num(0)),
                *(not_null(col(n)) for n in owner),
            ),
            copy=False,
        )
        .group_by(*(col(n) for n in owner), subject.copy(), copy=False)
    )
    keys = [col(f"k_{n}") for n in owner] + ([col("fy")] if plan.by_year else [])
    ranked = exp.select(
        exp.Star(),
        _alias(
            exp.Window(
                this=exp.RowNumber(),
                partition_by=[k.copy() for k in keys],
                order=exp.Order(expressions=[exp.Ordered(this=natural_sql(col("k_s")))]),
            ),
            "rn",
            True,
        ),
    ).from_(exp.Subquery(this=by_subject.copy(), alias=exp.TableAlias(this="s")), copy=False)
    names = [
        _alias(
            exp.Max(
                this=case(
                    [(exp.EQ(this=col("rn"), expression=num(i)), col("k_s"))],
                    _cast(exp.Null(), VARCHAR),
                )
            ),
            f"ln{i}",
            True,
        )
        for i in range(1, NAMED + 1)
    ]
    by_key = (
        exp.select(
            *(_alias(col(f"k_{n}"), f"g_{n}", True) for n in owner),
            *([_alias(col("fy"), "g_y", True)] if plan.by_year else []),
            _alias(exp.Count(this=exp.Star()), "lc", True),
            *names,
        )
        .from_(exp.Subquery(this=ranked, alias=exp.TableAlias(this="r")), copy=False)
        .group_by(*keys, copy=False)
    )
    return by_subject, by_key


@attrs.frozen
class LimitRows:
    """What :func:`limit_steps` reads of an award's steps: its rows' ids (``chain``), the
    kinds of its order keys, the columns of lifted constants (``ref``), and what a claim
    that holds a place needs (``needs``: per list, ``mf`` and ``mp``, a list expression of
    the columns of ``<p>_e`` and ``lst``), expanded with ``lists``."""

    name: str
    chain: tuple[EntityInfo, ...]
    order_kinds: tuple[str, ...]
    ref: Callable[[str], exp.Expr]
    needs: Mapping[str, exp.Expr]
    lists: Mapping[str, Pairs]


def _state(name: str) -> exp.Expr:
    return num(LIMIT_STATES[name])


def _is_state(*names: str) -> exp.Expr:
    return exp.In(this=col("lst"), expressions=[_state(n) for n in names])


def _serving(rows: LimitRows) -> list[exp.Ordered]:
    """The claim order (``claims.claim_key``): each ``order by`` key, an unknown or
    undecided one first, text in natural order; then the path in natural order."""
    order: list[exp.Ordered] = []
    for j, kind in enumerate(rows.order_kinds):
        key: exp.Expr = case([(rows.ref(f"o{j}_un"), exp.Null())], col(f"o{j}"))
        if kind in ("text", "enum"):
            key = natural_sql(key)
        order.append(exp.Ordered(this=key, desc=False, nulls_first=True))
    order.append(exp.Ordered(this=path_key_sql(rows.chain), desc=False, nulls_first=False))
    return order


def limit_steps(plan: LimitPlan, rows: LimitRows, pid: str, entities: Sequence[str]) -> list[Step]:
    """The steps ``<p>_l1`` … ``<p>_l4`` from ``<p>_e``: the limit's state of each claim
    ``lst`` (:data:`LIMIT_STATES`), ``lw_mf_<i>``/``lw_mp_<i>`` (the names the claims
    holding places before it need), ``tk`` (places taken) and the names of who took them."""
    name, n = rows.name, num(plan.count)
    owner = _ids(plan.owner)
    subject = col(f"e_{plan.subject.name}")
    by_subject, by_key = _ledger_places(pid, plan, entities)
    st0, st = col("st0"), col("st")
    reach = any_of(
        exp.EQ(this=st0, expression=status_code("unknown")),
        all_of(exp.EQ(this=st0.copy(), expression=status_code("ok")), negate(col("paid"))),
    )
    cols: list[exp.Expr] = [exp.Column(this=exp.Star(), table=exp.to_identifier("c", True))]
    year: exp.Expr = _cast(exp.Null(), INTEGER)
    on_subject = [
        exp.EQ(this=col(f"k_{e.name}", "s"), expression=col(f"e_{e.name}", "c")) for e in plan.owner
    ]
    on_subject.append(exp.EQ(this=col("k_s", "s"), expression=col(f"e_{plan.subject.name}", "c")))
    on_key = [
        exp.EQ(this=col(f"g_{e.name}", "k"), expression=col(f"e_{e.name}", "c")) for e in plan.owner
    ]
    no_year: exp.Expr = exp.false()
    undecided: exp.Expr = exp.false()
    if plan.by_year:
        y = col("ly", "c")
        year = _cast(y if plan.year_kind == "year" else exp.Year(this=y), INTEGER)
        undecided = all_of(reach.copy(), rows.ref("ly_un"))
        no_year = all_of(reach.copy(), negate(rows.ref("ly_un")), is_null(col("ly", "c")))
        on_key.append(exp.EQ(this=col("g_y", "k"), expression=year.copy()))
    paid = all_of(
        exp.EQ(this=st.copy(), expression=status_code("ok")),
        exp.EQ(this=col("amount_kind"), expression=lit("exact")),
        exp.NEQ(this=col("amount"), expression=num(0)),
    )
    may_be = any_of(
        exp.In(this=st.copy(), expressions=[status_code("unknown"), status_code("undecided")]),
        all_of(
            exp.EQ(this=st.copy(), expression=status_code("ok")),
            any_of(is_null(col("amount")), exp.NEQ(this=col("amount"), expression=num(0))),
        ),
    )
    dated = all_of(reach.copy(), negate(no_year.copy()), negate(undecided.copy()))
    cols += [
        _alias(is_bool(reach, True), "lreach", True),
        _alias(year, "lyr", True),
        _alias(is_bool(no_year, True), "lyn", True),
        _alias(undecided, "lyu", True),
        _alias(exp.GT(this=col("before", "c"), expression=num(0)), "lbp", True),
        # paid before by the ledger in the year it counts in (its place taken there)
        _alias(
            is_bool(exp.EQ(this=col("fy", "s"), expression=year.copy()), True)
            if plan.by_year
            else not_null(col("k_s", "s")),
            "linl",
            True,
        ),
        # the year a claim of unknown year was first paid in by the ledger, where its
        # place is taken already (as any claim's of that year): its other years' key
        _alias(case([(no_year.copy(), col("fy", "s"))], year.copy()), "lk2", True),
        _alias(exp.Coalesce(this=col("lc", "k"), expressions=[num(0)]), "lc", True),
        *(_alias(col(f"ln{i}", "k"), f"ln{i}", True) for i in range(1, NAMED + 1)),
        _alias(is_bool(all_of(dated.copy(), paid.copy()), True), "lpaid", True),
        _alias(is_bool(all_of(dated, negate(paid.copy()), may_be), True), "lmay", True),
    ]
    first = (
        exp.select(*cols)
        .from_(_alias(table(f"{name}_e"), "c", True), copy=False)
        .join(
            exp.Subquery(this=by_subject, alias=exp.TableAlias(this=exp.to_identifier("s"))),
            on=all_of(*on_subject),
            join_type="left",
            copy=False,
        )
        .join(
            exp.Subquery(this=by_key, alias=exp.TableAlias(this=exp.to_identifier("k"))),
            on=all_of(*on_key),
            join_type="left",
            copy=False,
        )
    )
    order = _serving(rows)
    part = [*owner, col("lyr")]
    own = all_of(any_of(col("lpaid"), col("lmay")), negate(col("linl")))
    before = exp.Add(this=col("lc"), expression=_count_of(own, part, order))
    if plan.by_year:  # a claim of unknown year holds a place in every year of its owner
        before = exp.Add(this=before, expression=_unknown_years(col("lyn"), owner, order))
    second = exp.select(exp.Star(), _alias(before, "sk", True)).from_(
        table(f"{name}_l1"), copy=False
    )
    within = any_of(exp.LT(this=col("sk"), expression=n.copy()), col("lbp"))
    took = all_of(col("lpaid"), negate(col("linl")), within)
    third = exp.select(exp.Star(), _alias(took, "lpc", True)).from_(table(f"{name}_l2"), copy=False)
    taken = exp.Add(this=col("lc"), expression=_count_of(col("lpc"), part, order))
    lst = case(
        [
            (negate(col("lreach")), _state("within")),
            (col("lyu"), _state("undecided")),
            (col("lyn"), _state("no_year")),
            (col("lbp"), _state("within")),
            (exp.GTE(this=col("tk"), expression=n.copy()), _state("refused")),
            (exp.GTE(this=col("sk"), expression=n.copy()), _state("held_out")),
        ],
        _state("within"),
    )
    fourth = exp.select(
        exp.Star(),
        _alias(taken, "tk", True),
        _alias(
            exp.Add(this=_count_of(col("lpc"), part, order), expression=num(1)),
            "lrank",
            True,
        ),
    ).from_(table(f"{name}_l3"), copy=False)
    fifth = exp.select(exp.Star(), _alias(lst, "lst", True)).from_(table(f"{name}_l4"), copy=False)
    held = all_of(
        col("lreach"),
        negate(col("linl")),
        any_of(_is_state("held_out", "no_year"), all_of(_is_state("within"), col("lmay"))),
    )
    last: list[exp.Expr] = [exp.Star()]
    for x in ("mf", "mp"):
        for i, (_, cond) in enumerate(expand(rows.needs[x], rows.lists)):
            wait = _any_of(all_of(held.copy(), cond.copy()), part, order)
            if plan.by_year:
                unknown_year = all_of(held.copy(), col("lyn"), cond.copy())
                held_years = _unknown_years(unknown_year, owner, order)
                wait = any_of(wait, exp.GT(this=held_years, expression=num(0)))
            last.append(_alias(wait, f"lw_{x}_{i}", True))
    for i in range(1, NAMED + 1):
        at = all_of(col("lpc"), exp.EQ(this=col("lrank"), expression=num(i)))
        name_i = exp.Max(this=case([(at, subject.copy())], _cast(exp.Null(), VARCHAR)))
        last.append(
            _alias(exp.Window(this=name_i, partition_by=[p.copy() for p in part]), f"cn{i}", True)
        )
    sixth = exp.select(*last).from_(table(f"{name}_l5"), copy=False)
    return [
        (f"{name}_l1", first),
        (f"{name}_l2", second),
        (f"{name}_l3", third),
        (f"{name}_l4", fourth),
        (f"{name}_l5", fifth),
        (f"{name}_l6", sixth),
    ]


def waits(rows: LimitRows, x: str) -> Pairs:
    """The names the claims holding places before a claim need (list ``x``), as flags of
    step ``<p>_l6``."""
    return tuple(
        (k, col(f"lw_{x}_{i}")) for i, (k, _) in enumerate(expand(rows.needs[x], rows.lists))
    )


def limit_note(plan: LimitPlan, words: Words) -> exp.Expr:
    """The line of a claim the limit refuses, as its Chinese text says it
    (``explain_zh_reasons.refused_reason_zh``): ``每个企业每年奖励不超过 5 个高层次人才：企业
    F1 2026 年度已有 5 个高层次人才获得奖励（T1、…），名额已满``."""
    owner, who = words.entity(plan.limit.per), words.entity(plan.subject.name)
    each = "每年" if plan.by_year else ""

    def text(e: exp.Expr) -> exp.Expr:
        return _cast(e, VARCHAR)

    when: exp.Expr = (
        exp.DPipe(this=text(col("lyr")), expression=lit(" 年度")) if plan.by_year else lit("累计")
    )
    parts: list[exp.Expr] = []
    for i in range(1, NAMED + 1):
        ledger = exp.GTE(this=col("lc"), expression=num(i))
        parts.append(case([(ledger, exp.DPipe(this=lit("、"), expression=col(f"ln{i}")))], lit("")))
    for j in range(1, NAMED + 1):
        shown = all_of(
            exp.GTE(this=exp.Sub(this=col("tk"), expression=col("lc")), expression=num(j)),
            exp.LTE(this=exp.Add(this=col("lc"), expression=num(j)), expression=num(NAMED)),
        )
        parts.append(case([(shown, exp.DPipe(this=lit("、"), expression=col(f"cn{j}")))], lit("")))
    names: exp.Expr = _concat(parts)
    more = case(
        [
            (
                exp.GT(this=col("tk"), expression=num(NAMED)),
                _concat([lit(" 等 "), text(col("tk")), lit(" 个")]),
            )
        ],
        lit(""),
    )
    return _concat(
        [
            lit(f"每个{owner}{each}奖励不超过 {plan.count} 个{who}：{owner} "),
            col(f"e_{plan.limit.per}"),
            lit(" "),
            when,
            lit("已有 "),
            text(col("tk")),
            lit(f" 个{who}获得奖励（"),
            exp.Substring(this=names, start=exp.Literal.number(2)),
            more,
            lit("），名额已满"),
        ]
    )


def _concat(parts: Sequence[exp.Expr]) -> exp.Expr:
    out = parts[0]
    for p in parts[1:]:
        out = exp.DPipe(this=out, expression=p)
    return out


def limit_overrides(plan: LimitPlan, policy: CheckedPolicy) -> dict[str, exp.Expr]:
    """The stored step's columns the limit decides, from ``<p>_l6``: ``st`` (not eligible
    when refused, unknown when held out or of unknown year), ``amount`` and
    ``amount_kind`` (none then), ``lnote`` (the refusal's line)."""
    lst = col("lst")
    decided = exp.NEQ(this=lst, expression=_state("within"))
    st = case(
        [
            (exp.EQ(this=lst.copy(), expression=_state("refused")), status_code("no")),
            (decided.copy(), status_code("unknown")),
        ],
        col("st"),
    )
    refused = exp.EQ(this=lst.copy(), expression=_state("refused"))
    return {
        "st": st,
        "amount": case([(decided.copy(), _cast(exp.Null(), "BIGINT"))], col("amount")),
        "amount_kind": case([(decided.copy(), _cast(exp.Null(), VARCHAR))], col("amount_kind")),
        "lnote": case([(refused, limit_note(plan, Words.of(policy)))], _cast(exp.Null(), VARCHAR)),
    }
