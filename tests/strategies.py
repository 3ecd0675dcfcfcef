"""Hypothesis strategies shared by the property tests.

Import them by module name (``from strategies import money``): ``tests/`` is on ``sys.path``
because it holds ``conftest.py``.  Calendar strategies stay inside 2005–2026, years whose
official holiday schedule is published, unless their name says otherwise.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

import policyrules
from policyrules import syntax as s
from policyrules.api import Policy
from policyrules.runtime.money import Money

__all__ = [
    "EVERY_TYPE_HEADER",
    "EXPR_TYPES",
    "FACTS_POLICY_TEXT",
    "FIRST_PUBLISHED",
    "LAST_PUBLISHED",
    "bool_exprs",
    "compile_text",
    "every_position_policies",
    "expressions",
    "extreme_facts",
    "extreme_firm",
    "facts_documents",
    "grant_ids",
    "json_number_spellings",
    "json_texts",
    "json_value_texts",
    "launch_claims",
    "modules",
    "money",
    "money_exprs",
    "names",
    "nonnegative_money",
    "product_grants",
    "published_dates",
    "rates",
    "shipped_launch_grants",
    "terminal_texts",
    "three_valued_conditions",
    "typed_exprs",
    "unpublished_dates",
    "within_caps",
    "workday_counts",
]

FIRST_PUBLISHED = date(2005, 1, 1)
"""The first day the calendar strategies draw (the package's data starts in 2004)."""
LAST_PUBLISHED = date(2026, 12, 31)
"""The last day of the last year with a published holiday schedule."""

_BIG_FEN = 10**15  # 10 万亿元


def money(min_fen: int = -_BIG_FEN, max_fen: int = _BIG_FEN) -> st.SearchStrategy[Money]:
    """Amounts between ``min_fen`` and ``max_fen``, often whole 元, 万元 or 亿元."""

    def scaled(size: int) -> st.SearchStrategy[Money]:
        low, high = -(-min_fen // size), max_fen // size
        return st.integers(low, high).map(lambda k: Money(k * size))

    return st.one_of(
        st.integers(min_fen, max_fen).map(Money),
        st.integers(-10_000, 10_000).filter(lambda f: min_fen <= f <= max_fen).map(Money),
        *(
            scaled(size)
            for size in (100, 1_000_000, 10_000_000_000)
            if min_fen // size < max_fen // size
        ),
    )


def nonnegative_money(max_fen: int = _BIG_FEN) -> st.SearchStrategy[Money]:
    """Amounts from zero to ``max_fen``."""
    return money(0, max_fen)


def rates(max_value: int = 2, max_places: int = 8) -> st.SearchStrategy[Decimal]:
    """Non-negative exact rates up to ``max_value`` with at most ``max_places`` decimal places."""
    return st.integers(0, max_places).flatmap(
        lambda places: st.integers(0, max_value * 10**places).map(
            lambda k: Decimal(f"{k}E-{places}")
        )
    )


def published_dates(
    min_value: date = FIRST_PUBLISHED, max_value: date = LAST_PUBLISHED
) -> st.SearchStrategy[date]:
    """Dates in 2005–2026, narrowed to ``[min_value, max_value]``."""
    return st.dates(max(min_value, FIRST_PUBLISHED), min(max_value, LAST_PUBLISHED))


def unpublished_dates(
    min_value: date = date(2027, 1, 1), max_value: date = date(2060, 12, 31)
) -> st.SearchStrategy[date]:
    """Dates after the last published year, for the WEEKENDS_ONLY assumption."""
    return st.dates(max(min_value, date(LAST_PUBLISHED.year + 1, 1, 1)), max_value)


def workday_counts(max_value: int = 150) -> st.SearchStrategy[int]:
    """Period lengths from 0 to ``max_value``; 150 working days is under 8 months."""
    return st.integers(0, max_value)


# ---- syntax trees --------------------------------------------------------------------------

# Made of q, z, k, x, j, digits and _ only: no keyword of the language can be spelt so.
names = st.from_regex(r"[qzkxj][qzkxj0-9_]{0,4}", fullmatch=True)
"""Names that are never keywords."""

_text = st.text(alphabet='ab 中文"\\#%', max_size=6)
_numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
_dates = st.dates(date(2000, 1, 1), date(2099, 12, 31))
_DURATIONS = ("日", "工作日", "周", "月", "年")


def _leaves() -> st.SearchStrategy[s.Expr]:
    return st.one_of(
        st.lists(names, min_size=1, max_size=2).map(lambda p: s.Name(tuple(p))),
        st.builds(
            s.MoneyLit,
            _numbers,
            st.sampled_from(("元", "万元", "亿元", "美元", "万欧元", "亿美元")),
        ),
        st.builds(s.RateLit, _numbers),
        st.builds(s.DurationLit, _numbers, st.sampled_from(_DURATIONS)),
        st.builds(s.NumberLit, _numbers),
        st.builds(s.DateLit, _dates),
        st.builds(s.BoolLit, st.booleans()),
        st.builds(s.StringLit, _text),
    )


def _extend(inner: st.SearchStrategy[s.Expr]) -> st.SearchStrategy[s.Expr]:
    small = st.lists(inner, max_size=3).map(tuple)
    return st.one_of(
        st.builds(s.SetLit, small),
        st.builds(s.Call, names, small),
        st.builds(s.BinOp, st.sampled_from(("+", "-", "×", "/")), inner, inner),
        st.builds(s.Of, inner, inner),
        st.builds(s.Compare, st.sampled_from(("<=", ">=", "!=", "=", "<", ">")), inner, inner),
        st.builds(s.And, inner, inner),
        st.builds(s.Or, inner, inner),
        st.builds(s.Not, inner),
        st.builds(s.Neg, inner),
        st.builds(s.InSet, inner, inner, st.booleans()),
        st.builds(s.InForce, inner),
        st.builds(s.IsNone, inner, st.booleans()),
        st.builds(s.Otherwise, inner, inner),
        st.builds(s.IfExpr, inner, inner, inner),
        st.builds(
            s.Progressive,
            inner,
            st.lists(st.builds(s.Band, st.none() | inner, inner), min_size=1, max_size=3).map(
                tuple
            ),
        ),
        st.builds(s.TableAt, names, inner),
        st.builds(s.Reaches, inner, names),
    )


expressions: st.SearchStrategy[s.Expr] = st.recursive(_leaves(), _extend, max_leaves=12)
"""Any expression the grammar can write, nested."""

_types: st.SearchStrategy[s.TypeRef] = st.recursive(
    st.one_of(
        st.one_of(names, st.sampled_from(_DURATIONS)).map(s.SimpleType),
        # `rate up to N%`: the printer must round-trip the bound.
        st.builds(s.SimpleType, st.just("rate"), st.integers(1, 10_000).map(Decimal)),
        # `money(USD)`, `exchange(EUR)`: the printer must round-trip the currency.
        st.builds(
            s.SimpleType,
            st.sampled_from(("money", "exchange")),
            currency=st.sampled_from(("USD", "EUR")),
        ),
    ),
    lambda inner: st.one_of(
        st.builds(s.SetType, inner),
        st.builds(s.ListType, inner),
        st.builds(s.TableType, inner, inner),
    ),
    max_leaves=3,
)
_opt_text = st.none() | _text
_labels = st.one_of(
    st.integers(0, 200).map(str),
    st.sampled_from(("一", "三", "十一")),
    _text,
)


def _tuple(elem: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(elem, max_size=max_size).map(tuple)


def _range_ends(draw: st.DrawFn) -> tuple[s.Expr, s.Expr, s.Expr | None]:
    """The ends of an amount range as the grammar reads them back: a rate range of a base
    has a rate literal first; a money range never a rate literal before an `of`."""
    if draw(st.booleans()):
        return (draw(st.builds(s.RateLit, _numbers)), draw(expressions), draw(expressions))
    low, high = draw(expressions), draw(expressions)
    if isinstance(low, s.RateLit) and isinstance(high, s.Of):
        low = s.NumberLit(low.number)
    return (low, high, None)


_amount_ranges = st.composite(
    lambda draw: s.AmountRange(*draw(st.composite(_range_ends)()), draw(st.none() | names))
)()

_provision_stmts = st.one_of(
    st.builds(s.Quote, _text),
    st.builds(s.Note, _text),
    st.builds(s.Subject, names, each=st.booleans()),
    st.builds(s.Eligible, expressions),
    st.builds(s.Amount, expressions),
    st.builds(s.AmountDecided, names),
    st.builds(s.Cap, expressions, _tuple(names), st.none() | expressions, st.none() | names),
    st.builds(s.Once, names),
    st.builds(s.OrderBy, st.lists(expressions, min_size=1, max_size=3).map(tuple)),
    st.builds(s.Due, expressions, expressions),
    st.builds(s.Done, expressions),
    st.builds(s.Require, expressions),
    st.builds(s.Consequence, _text),
    _amount_ranges,
    st.builds(s.AmountMinimum, expressions),
    st.builds(
        s.Rounding, st.sampled_from(("down", "half_up")), _numbers, st.sampled_from(("元", "万元"))
    ),
    st.builds(s.Tiers, names),
    st.builds(s.Quota, st.integers(0, 1000), names),
    # payments over time: instalments, yearly schedules, caps over a window or ever
    st.builds(
        s.Schedule,
        st.integers(0, 60),
        expressions,
        st.lists(st.builds(s.RateLit, _numbers), min_size=1, max_size=4).map(tuple),
        st.none() | names,
    ),
    st.builds(s.Schedule, st.integers(0, 60), expressions, yearly=st.just(True)),
    st.builds(s.Cap, expressions, _tuple(names), window=st.integers(0, 60)),
    st.builds(
        s.Cap, expressions, _tuple(names), window=st.integers(0, 60), from_first=st.just(True)
    ),
    st.builds(s.Cap, expressions, _tuple(names), ever=st.just(True)),
)
_provisions = st.builds(
    s.Provision,
    st.sampled_from(("award", "deadline", "target", "entitlement", "declaration")),
    names,
    _opt_text,
    _tuple(_provision_stmts, 5),
)
_table_rows = st.one_of(
    st.builds(s.TableRow, expressions, expressions, st.just(False)),
    st.builds(s.TableRow, names.map(lambda n: s.Name((n,))), expressions, st.just(True)),
)
_tables = st.builds(
    s.Table,
    names,
    _opt_text,
    _types,
    _types,
    st.lists(_table_rows, min_size=1, max_size=3).map(tuple),
)
_parameters = st.builds(s.Parameter, names, _types, st.none() | expressions, _opt_text)
_assumptions = st.builds(s.Assumption, names, _types, expressions, _text)
_defines = st.builds(s.Define, names, _opt_text, expressions)
_doc_stmts = st.one_of(
    st.builds(s.DocNumber, _text),
    st.builds(s.DocAgency, _text),
    st.builds(s.DocIssued, _dates),
    st.builds(s.DocValid, _dates, st.none() | _dates),
    st.builds(s.DocSource, _text),
    st.builds(s.Note, _text),
    st.builds(s.Supersedes, names, st.none() | _labels),
    st.builds(s.Prevails),
)
# exclusive / cumulative (issue 11 §6): two or more distinct award names
_award_lists = st.lists(names, min_size=2, max_size=4, unique=True).map(tuple)
_exclusivity = st.one_of(
    st.builds(s.Exclusive, _award_lists, names, st.just("highest"), st.none() | st.just("listed")),
    st.builds(s.Exclusive, _award_lists, names, st.just("listed"), st.none()),
    st.builds(s.Cumulative, _award_lists, _text),
)
_other_items = st.one_of(
    st.builds(s.Document, names, _text, _tuple(_doc_stmts, 4)),
    st.builds(s.Chapter, _labels, _text),
    st.builds(
        s.Clause,
        _labels,
        _opt_text,
        _tuple(
            st.one_of(
                st.builds(s.Quote, _text),
                st.builds(s.Note, _text),
                _parameters,
                _assumptions,
                _defines,
                _tables,
                _exclusivity,
            )
        ),
        _tuple(_provisions, 2),
    ),
    st.builds(
        s.Entity,
        names,
        _opt_text,
        _tuple(
            st.one_of(
                st.builds(s.EntityList, names, st.none() | names),
                st.builds(s.EntitySingle, names),
                st.builds(s.FactDecl, names, _types, _opt_text, st.booleans()),
            )
        ),
    ),
    st.builds(
        s.EnumDecl,
        names,
        _opt_text,
        st.lists(st.builds(s.EnumMember, names, _opt_text), min_size=1, max_size=3).map(tuple),
    ),
)


@st.composite
def modules(draw: st.DrawFn) -> s.Module:
    """A random syntax tree of one file.

    Top-level parameters, assumptions and defines come first: after a clause without provisions the
    language reads them as the clause's own (statements end where the next keyword begins).
    """
    head = draw(_tuple(st.one_of(_parameters, _assumptions, _defines, _tables), 2))
    rest = draw(_tuple(_other_items, 4))
    return s.Module((*head, *rest))


# ---- well-typed policies -------------------------------------------------------------------

TYPED_HEADER = """entity firm
  list firms

entity product
  list products of firm
  fact approved_on: date
  fact base: money
  fact granted: money
  fact ok: bool
  fact route: Route

enum Route { ra, rb, rc }

document d "测试"
  valid from 2025-01-01 to 2026-12-31
"""

_money_leaves = st.one_of(
    st.builds(s.MoneyLit, _numbers, st.sampled_from(("元", "万元", "亿元"))),
    st.sampled_from(("base", "granted")).map(lambda n: s.Name((n,))),
)


def money_exprs(max_leaves: int = 6) -> st.SearchStrategy[s.Expr]:
    """Expressions of type money over the facts of :data:`TYPED_HEADER`."""
    return st.recursive(
        _money_leaves,
        lambda inner: st.one_of(
            st.builds(s.Of, st.builds(s.RateLit, _numbers), inner),
            st.builds(s.BinOp, st.sampled_from(("+", "-")), inner, inner),
            st.builds(s.BinOp, st.just("×"), inner, st.builds(s.NumberLit, _numbers)),
            st.builds(s.IfExpr, bool_exprs(2), inner, inner),
            st.builds(
                s.Call,
                st.sampled_from(("min", "max")),
                st.lists(inner, min_size=1, max_size=3).map(tuple),
            ),
            st.builds(s.Neg, inner),
        ),
        max_leaves=max_leaves,
    )


def bool_exprs(max_leaves: int = 6) -> st.SearchStrategy[s.Expr]:
    """Conditions over the facts of :data:`TYPED_HEADER`."""
    members = st.sampled_from(("ra", "rb", "rc")).map(lambda m: s.Name((m,)))
    leaves = st.one_of(
        st.builds(s.BoolLit, st.booleans()),
        st.just(s.Name(("ok",))),
        st.just(s.InForce(s.Name(("approved_on",)))),
        st.builds(
            s.InSet, st.just(s.Name(("route",))), _tuple(members).map(s.SetLit), st.booleans()
        ),
        st.builds(
            s.Compare,
            st.sampled_from(("<=", ">=", "!=", "=", "<", ">")),
            _money_leaves,
            _money_leaves,
        ),
        st.builds(s.Call, st.just("known"), st.just((s.Name(("granted",)),))),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(s.And, inner, inner), st.builds(s.Or, inner, inner), st.builds(s.Not, inner)
        ),
        max_leaves=max_leaves,
    )


def three_valued_conditions(max_leaves: int = 8) -> st.SearchStrategy[s.Expr]:
    """Conditions over :data:`TYPED_HEADER` nesting ``and``/``or``/``not`` and ``if`` (an
    ``if`` whose condition and branches are conditions) around :func:`bool_exprs`."""
    return st.recursive(
        bool_exprs(2),
        lambda inner: st.one_of(
            st.builds(s.And, inner, inner),
            st.builds(s.Or, inner, inner),
            st.builds(s.Not, inner),
            st.builds(s.IfExpr, inner, inner, inner),
        ),
        max_leaves=max_leaves,
    )


def within_caps(policy: Policy, grants: Any) -> tuple[Any, ...]:
    """The grants, in order, that a ledger of ``policy`` can hold: each kept only if the
    ledger with it still pays no one-time award twice and exceeds no cap (E328, E329)."""
    from policyrules.errors import LedgerError
    from policyrules.ledger_check import check_caps, check_once
    from policyrules.runtime.ledger import Ledger

    kept: list[Any] = []
    for g in grants:
        trial = Ledger((*kept, g))
        try:
            check_once(policy.checked, ("ledger", trial))
            check_caps(policy.compiled, trial)
        except LedgerError:
            continue
        kept.append(g)
    return tuple(kept)


def compile_text(text: str, file: str = "t.rule") -> Policy:
    """Parse, check and compile one inline policy file (no document sources)."""
    checked = policyrules.check([policyrules.parse(text, file)], texts={file: text}, sources={})
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


_UNSAFE_CHARS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F)] + [
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
]


def terminal_texts() -> st.SearchStrategy[str]:
    """Text as other people's files hold it: any character, with controls (C0, DEL, C1),
    bidi controls and line separators drawn often."""
    return st.lists(st.one_of(st.characters(), st.sampled_from(_UNSAFE_CHARS))).map("".join)


grant_ids = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,5}", fullmatch=True),
    # Ids that YAML 1.1 or a careless reader would turn into numbers, booleans or dates.
    st.sampled_from(("0701", "12:30", "1e3", "0x10", "true", "null", "2026-01-01", "1_000")),
    # inner spaces are text; at either end an id is refused (E303, E323, E624)
    st.text(alphabet="甲乙丙丁 ", min_size=1, max_size=4).filter(lambda s: s == s.strip() != ""),
)
"""Entity ids as text, including text that looks like another YAML type."""


@st.composite
def product_grants(draw: st.DrawFn, provision: str, max_size: int = 6) -> tuple[Any, ...]:
    """Grants of ``provision`` to (firm, product) paths, each payment's identity unique."""
    from policyrules import Grant

    rows = draw(
        st.lists(
            st.tuples(grant_ids, grant_ids, nonnegative_money(10**12), st.integers(2020, 2030)),
            max_size=max_size,
            unique_by=lambda r: (r[0], r[1], r[3]),
        )
    )
    return tuple(Grant(provision, (("firm", f), ("product", p)), m, y) for f, p, m, y in rows)


def shipped_launch_grants() -> st.SearchStrategy[list[Any]]:
    """Up to four earlier grants of the shipped policy's launch reward
    (``jjxf_2025_50/3/launch_reward``), one per (firm, product) of ``firm-0..2`` and
    ``P0..P2``: 0 to 250 万元 each, in 2025-2027."""
    from policyrules import Grant, Money

    return st.lists(
        st.tuples(
            st.integers(0, 2), st.integers(0, 2), st.integers(0, 250), st.integers(2025, 2027)
        ),
        max_size=4,
        unique_by=lambda g: (g[0], g[1]),
    ).map(
        lambda rows: [
            Grant(
                "jjxf_2025_50/3/launch_reward",
                (("firm", f"firm-{f}"), ("product", f"P{p}")),
                Money(wan * 1_000_000),  # 1 万元 = 1,000,000 fen
                year,
            )
            for f, p, wan, year in rows
        ]
    )


@st.composite
def launch_claims(draw: st.DrawFn) -> tuple[dict[str, Any], list[Any]]:
    """Facts of device measure 3 (京经信发〔2025〕50号 第3条: 200 万元 per product, 1000 万元
    per firm and year, by approval day) that make its caps bind: up to 3 firms of up to 8
    products asking 0-600 万元 over 2025-10..2027-12 (few days, so ties on the day), each
    fact missing at random, ids whose natural order differs from their text order; and
    earlier grants of measure 3 to the same firms and products (keep them
    :func:`within_caps`)."""
    from policyrules import Grant

    provision = "jjxf_2025_50/3/launch_reward"
    days = st.sampled_from([date(2025, 10, 1), date(2025, 12, 1), date(2026, 3, 2)])
    days = days | st.sampled_from([date(2026, 3, 9), date(2026, 12, 31), date(2027, 6, 1)])
    firms: list[dict[str, Any]] = []
    for f in range(draw(st.integers(1, 3))):
        products: list[dict[str, Any]] = []
        for n in draw(st.lists(st.integers(1, 12), unique=True, max_size=8)):
            item: dict[str, Any] = {"id": f"P{n}"}
            fields = {
                "approved_on": days.map(date.isoformat),
                "launch_routes": st.sampled_from(([], ["national_priority_review"])),
                "other_national_project": st.booleans(),
                "launch_reward_decided": st.integers(0, 600).map(lambda w: f"{w} 万元"),
            }
            for name, values in fields.items():
                if draw(st.integers(0, 9)):  # missing one time in ten
                    item[name] = draw(values)
            products.append(item)
        firms.append({"id": f"f{f}", "products": products})
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(1, 12), st.integers(0, 200)),
            max_size=4,
            unique_by=lambda r: (r[0], r[1]),
        )
    )
    year = draw(st.sampled_from((2025, 2026, 2027)))
    grants = [
        Grant(provision, (("firm", f"f{f}"), ("product", f"P{n}")), Money(w * 1_000_000), year)
        for f, n, w in rows
    ]
    return {"firms": firms}, grants


# ---- well-typed expressions of every type, and facts with extreme values -------------------

EVERY_TYPE_HEADER = """entity firm
  list firms
  fact m1: money
  fact m2: money
  fact r1: rate
  fact n1: number
  fact n2: number
  fact d1: date
  fact d2: date
  fact b1: bool
  fact t_day: 日
  fact t_wd: 工作日
  fact t_week: 周
  fact t_month: 月
  fact t_year: 年
  fact e1: Kind
  fact t1: text
  fact ms: list of money
  fact ns: list of number
  fact rs: list of rate
  fact dates: list of date
  fact days: list of 日
  fact wds: list of 工作日
  fact months: list of 月
  fact kinds: set of Kind

enum Kind { ka, kb, kc }

parameter pm: money = 100 万元
parameter pr: rate
parameter pn: number = 3
parameter pd: 日 = 10 日
"""
"""Entities, an enum and parameters with a fact of every type the language has."""

_FORTY_NINES = "9" * 40
_DURATION_UNITS = ("日", "工作日", "周", "月", "年")
# The types an expression can have, as keys of :func:`typed_exprs`.
EXPR_TYPES = (
    "money",
    "rate",
    "number",
    "date",
    "bool",
    "kind",
    "text",
    *(f"dur:{u}" for u in _DURATION_UNITS),
)
_LEAVES: dict[str, tuple[str, ...]] = {
    "money": (
        "0 元",
        "0.01 元",
        "5 元",
        "100 万元",
        "2.5 亿元",
        "9" * 36 + " 元",
        "m1",
        "m2",
        "pm",
    ),
    "rate": ("0%", "30%", "100%", "250%", "0.001%", "r1", "pr"),
    "number": ("0", "1", "2.5", _FORTY_NINES, "n1", "n2", "pn"),
    "date": ("0001-01-01", "9999-12-31", "2025-06-01", "d1", "d2"),
    "bool": ("true", "false", "b1"),
    "kind": ("ka", "kb", "Kind.kc", "e1"),
    "text": ('""', '"甲"', '"FDA"', "t1"),
    "dur:日": ("0 日", "1 日", "30 日", "9" * 39 + " 日", "t_day", "pd"),
    "dur:工作日": ("0 工作日", "5 工作日", "t_wd"),
    "dur:周": ("0 周", "2 周", "t_week"),
    "dur:月": ("0 月", "1 月", "t_month"),
    "dur:年": ("0 年", "1 年", "t_year"),
}
# A list or set fact of each element type, for min/max/sum/average/count and `in`.
_LISTS = {
    "money": "ms",
    "number": "ns",
    "rate": "rs",
    "date": "dates",
    "dur:日": "days",
    "dur:工作日": "wds",
    "dur:月": "months",
    "kind": "kinds",
}
_ORDERED = ("money", "rate", "number", "date", *(f"dur:{u}" for u in _DURATION_UNITS))
_SAME_DIMENSION = {"dur:日": "dur:周", "dur:周": "dur:日", "dur:月": "dur:年", "dur:年": "dur:月"}


@functools.cache
def typed_exprs(kind: str, depth: int = 3) -> st.SearchStrategy[str]:
    """Well-typed expressions of type ``kind`` (see :data:`EXPR_TYPES`) over
    :data:`EVERY_TYPE_HEADER`, fully parenthesised, using every operator and built-in."""
    leaf = st.sampled_from(_LEAVES[kind])
    if depth <= 0:
        return leaf

    def sub(k: str) -> st.SearchStrategy[str]:
        return typed_exprs(k, depth - 1)

    options: list[st.SearchStrategy[str]] = [
        leaf,
        st.builds("(if {} then {} else {})".format, sub("bool"), sub(kind), sub(kind)),
    ]
    if kind in _ORDERED:
        many = st.lists(sub(kind), min_size=1, max_size=3).map(", ".join)
        options.append(st.builds("{}({})".format, st.sampled_from(("min", "max")), many))
        if kind in _LISTS:
            options.append(
                st.builds("{}({})".format, st.sampled_from(("min", "max")), st.just(_LISTS[kind]))
            )
    if kind in ("money", "rate", "number") or kind.startswith("dur:"):
        same = _SAME_DIMENSION.get(kind, kind) if kind in ("dur:日", "dur:月") else kind
        options += [
            st.builds("({} {} {})".format, sub(kind), st.sampled_from("+-"), sub(same)),
            st.builds("(-{})".format, sub(kind)),
        ]
        if kind in _LISTS:
            options.append(
                st.builds(
                    "{}({})".format, st.sampled_from(("sum", "average")), st.just(_LISTS[kind])
                )
            )
    if kind == "money":
        options += [
            st.builds("({} × {})".format, sub("money"), sub("number")),
            st.builds("({} * {})".format, sub("rate"), sub("money")),
            st.builds("({} of {})".format, sub("rate"), sub("money")),
            st.builds("sum({{{}, {}}})".format, sub("money"), sub("money")),
        ]
    if kind == "rate":
        options.append(st.builds("({} × {})".format, sub("rate"), sub("rate")))
    if kind == "number":
        options += [
            st.builds("({} × {})".format, sub("number"), sub("number")),
            st.builds("({} × {})".format, sub("rate"), sub("number")),
            st.builds("({} of {})".format, sub("rate"), sub("number")),
            st.builds("year({})".format, sub("date")),
            st.builds("count({})".format, st.sampled_from(sorted(_LISTS.values()))),
        ]
    if kind.startswith("dur:"):
        options += [
            st.builds("({} × {})".format, sub(kind), sub("number")),
            st.builds("({} × {})".format, sub("number"), sub(kind)),
        ]
    if kind == "bool":
        options += [
            st.sampled_from(_ORDERED).flatmap(
                lambda k: st.builds(
                    "({} {} {})".format,
                    typed_exprs(k, depth - 1),
                    st.sampled_from(("=", "!=", "<", "<=", ">", ">=", "≤", "≥", "≠")),
                    typed_exprs(_SAME_DIMENSION.get(k, k), depth - 1),
                )
            ),
            st.builds("({} {} {})".format, sub("kind"), st.sampled_from(("=", "!=")), sub("kind")),
            st.builds("({} = {})".format, sub("bool"), sub("bool")),
            st.builds("({} {} {})".format, sub("text"), st.sampled_from(("=", "!=")), sub("text")),
            st.builds('({} in {{"甲", t1}})'.format, sub("text")),
            st.builds(
                "({} {} {})".format, sub("bool"), st.sampled_from(("and", "or")), sub("bool")
            ),
            st.builds("(not {})".format, sub("bool")),
            st.builds(
                "({} {} {})".format,
                sub("kind"),
                st.sampled_from(("in", "not in")),
                st.sampled_from(("kinds", "{ka, kb}", "{}")),
            ),
            st.sampled_from(("money", "date", "dur:日", "number")).flatmap(
                lambda k: st.builds(
                    "({} in {})".format, typed_exprs(k, depth - 1), st.just(_LISTS[k])
                )
            ),
            st.builds("({} in {{5 元, m1}})".format, sub("money")),
            st.builds("({} in force)".format, sub("date")),
            st.sampled_from(EXPR_TYPES).flatmap(
                lambda k: typed_exprs(k, depth - 1).map("known({})".format)
            ),
        ]
    return st.one_of(*options)


def _extreme_value(kind: str) -> st.SearchStrategy[Any]:
    """A facts-file value of ``kind``: ordinary ones and the extremes the reader accepts."""
    if kind == "money":
        return st.sampled_from(("0 元", "0.01 元", "30 万元", "9" * 36 + " 元"))
    if kind == "rate":
        return st.sampled_from(("0%", "30%", "100%", "0.0001%"))
    if kind == "number":
        return st.sampled_from(("0", "-1", "2.5", "0.000001", _FORTY_NINES, "-" + _FORTY_NINES))
    if kind == "date":
        return st.sampled_from(("0001-01-01", "9999-12-31", "2025-06-01", "2026-12-31"))
    if kind == "bool":
        return st.booleans()
    if kind == "kind":
        return st.sampled_from(("ka", "kb", "kc"))
    if kind == "text":
        return st.sampled_from(("", "甲", "FDA"))
    # A duration: never negative; a whole number (a period) or not (an average's).
    return st.sampled_from((0, 1, 30, Decimal("1.5"), 10**39 - 1))


_FACT_KINDS = {
    "m1": "money",
    "m2": "money",
    "r1": "rate",
    "n1": "number",
    "n2": "number",
    "d1": "date",
    "d2": "date",
    "b1": "bool",
    "t_day": "dur",
    "t_wd": "dur",
    "t_week": "dur",
    "t_month": "dur",
    "t_year": "dur",
    "e1": "kind",
    "t1": "text",
}


@st.composite
def extreme_firm(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    """One firm of :data:`EVERY_TYPE_HEADER`: each fact present or missing at random, with
    extreme values (0, negative and 40-digit numbers, 0001-01-01, 9999-12-31, empty lists)."""
    firm: dict[str, Any] = {"id": ident}
    for name, kind in _FACT_KINDS.items():
        if draw(st.booleans()):
            firm[name] = draw(_extreme_value(kind))
    for kind, name in _LISTS.items():
        if draw(st.booleans()):
            elem = "dur" if kind.startswith("dur:") else kind
            firm[name] = draw(st.lists(_extreme_value(elem), max_size=3))
    return firm


_EVERY_POSITION_BODY = """
document d "测试"
  valid from 2025-01-01 to 2026-12-31

clause 1 "条"
  quote "q"

  award a
    for each firm
    eligible when {eligible}
    amount {amount}
    cap {cap} per firm per year of {year}
    order by {order}

  deadline dl
    for each firm
    eligible when {eligible2}
    due {period} after {start}
    done {done}

  target tg
    for each firm
    require {require}

  entitlement en
    for each firm
    eligible when {eligible3}
    consequence "c"
"""


@st.composite
def every_position_policies(draw: st.DrawFn) -> str:
    """A small policy over :data:`EVERY_TYPE_HEADER` with a random well-typed expression
    (:func:`typed_exprs`) in every position: conditions, an award's amount, a cap's limit
    and year, an ``order by`` key, a deadline, a target, an entitlement."""
    unit = draw(st.sampled_from(("日", "工作日", "周", "月", "年")))
    order = draw(st.sampled_from(("money", "number", "date", "rate", "text")))
    return EVERY_TYPE_HEADER + _EVERY_POSITION_BODY.format(
        eligible=draw(typed_exprs("bool")),
        amount=draw(typed_exprs("money")),
        cap=draw(typed_exprs("money")),
        year=draw(typed_exprs("date", 2)),
        order=draw(typed_exprs(order, 2)),
        eligible2=draw(typed_exprs("bool", 2)),
        period=draw(typed_exprs(f"dur:{unit}")),
        start=draw(typed_exprs("date", 2)),
        done=draw(typed_exprs("date", 2)),
        require=draw(typed_exprs("bool")),
        eligible3=draw(typed_exprs("bool", 2)),
    )


# Facts of 1 to 3 firms of EVERY_TYPE_HEADER (extreme_firm).
extreme_facts = (
    st.integers(1, 3)
    .flatmap(lambda n: st.tuples(*(extreme_firm(f"f{i}") for i in range(n))))
    .map(lambda firms: {"firms": list(firms)})
)


# ---- values in data files: valid and near-miss, as JSON text -----------------------------

_VALUE_CHARS = "0123456789.,%-+ eE:_Wx万元亿日工作T\n"


def _json_number_texts() -> st.SearchStrategy[str]:
    """JSON numbers as written: signs, fractions, exponents (all valid JSON), with at most
    14 significant digits: a JSON Schema validator sees a number as a binary float, so a
    longer one (``1.00000000000000001``) reaches it rounded, and no schema can tell."""
    return st.from_regex(
        r"-?(0|[1-9][0-9]{0,9})(\.[0-9]{1,4})?([eE][+-]?[0-9]{1,2})?", fullmatch=True
    )


# Values of each kind of fact: well-formed, and near misses.
_FACT_VALUES: dict[str, tuple[list[Any], list[Any]]] = {
    "id": (["f1", "f2", "P1", "产品 1", 701], ["", " ", "a\x01", "\u3000", True, ["x"], None]),
    "money": (
        [0, 10, "200万元", "12.5 元", "3000万元", "25元", "7亿元", "100万", "1 万元", "0万元"],
        ["1e3", "-1", "x", 1.5, True, [1], "0100万元", "１２万元", "万元", "5 万 元", "none"],
    ),
    "money_or_none": (["none", "200万元", "3000万元", 10], ["None", "无", "x", True]),
    "date": (["2026-05-01", "2025-12-31"], ["2026-13-01", "20260501", 5]),
    "rate": (["30%", "12.5%"], ["120%", "30", 0.3]),
    "set": ([["FDA"], ["FDA", "CE"], []], [["XX"], "FDA", [1], [["FDA"]]]),
    "enum": (["FDA", "CE"], ["fda", 1]),
    "bool": ([True, False], ["yes", 1]),
    "text": (["x", 5, "0701"], [[1], True]),
    "number": ([12.5, 2025, "12.5"], ["1e3", "x", [2025]]),
    "list": ([[2024, 2025], [], [1, 1]], [[1, "x"], "1", [[1]]]),
}
_FIRM = {"m": "money", "d": "date", "r": "rate", "s": "set", "e": "enum", "b": "bool"}
_FIRM |= {"t": "text", "n": "number", "o": "money_or_none"}


@st.composite
def facts_documents(draw: st.DrawFn) -> Any:
    """Facts files for the policy ``FACTS_POLICY_TEXT``: firms with products, a single
    ``reports`` record, other top-level sections.  Some are well-formed (``null`` values,
    facts in any order); others have near misses at a drawn rate: bad values, missing or
    repeated ids, unknown keys, records that are not mappings, blocks that are not lists."""
    noise = draw(st.sampled_from([0, 0, 1, 10]))  # in 100ths

    def odd() -> bool:
        return draw(st.integers(0, 99)) < noise

    def record(kinds: dict[str, str], children: dict[str, Any]) -> Any:
        if odd() and odd():
            return draw(st.sampled_from([None, [], "x"]))
        names = ["id", *kinds, "other"]
        kept = [n for n in names if (odd() if n == "other" else n == "id" or draw(st.booleans()))]
        if "id" in kept and odd():
            kept.remove("id")
        out = {}
        for name in draw(st.permutations(kept)):
            good, bad = _FACT_VALUES[kinds.get(name, "id" if name == "id" else "text")]
            # a fact written but empty (null) is well-formed: not given
            bad = bad if odd() else [] if name == "id" or draw(st.integers(0, 9)) else [None]
            out[name] = draw(st.sampled_from(bad or good))
        for key, block in children.items():
            if draw(st.booleans()):
                out[key] = block()
        return out

    def products() -> Any:
        if odd():
            return draw(st.sampled_from([None, {"id": "P1"}]))
        n = draw(st.integers(0, 3))
        return [record({"m": "money", "l": "list", "d": "date"}, {}) for _ in range(n)]

    doc: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        n = draw(st.integers(0, 4))
        firms = [record(_FIRM, {"products": products}) for _ in range(n)]
        doc["firms"] = draw(st.sampled_from([None, "x"])) if odd() else firms
    if draw(st.booleans()):
        doc["reports"] = record({"n": "number", "l": "list"}, {})
    if draw(st.booleans()):
        doc["ledger"] = []
    if draw(st.integers(0, 3)) == 0:
        doc["assumptions"] = draw(st.sampled_from([{}, {"a": 1, "b": [{"c": 2}, []]}]))
    if odd():
        doc["bogus"] = 1
    return doc


FACTS_POLICY_TEXT = """entity firm "企业"
  list firms
  fact m: money "x"
  fact d: date "x"
  fact r: rate "x"
  fact s: set of Authority "x"
  fact e: Authority "x"
  fact b: bool "x"
  fact t: text "x"
  fact n: number "x"
  fact o: money or none "x"
entity product "产品"
  list products of firm
  fact m: money "x"
  fact l: list of number "x"
  fact d: date "x"
entity reports "报告"
  single reports
  fact n: number "x"
  fact l: list of number "x"
enum Authority { FDA, CE }
"""
"""The policy of :func:`facts_documents`."""


def json_value_texts(kind: str) -> st.SearchStrategy[str]:
    """JSON text of one value for a fact of ``kind`` (money, rate, rate300, number, date,
    duration, bool, text, enum, id): well-formed values of the kind and near misses
    (other types, leading zeros, missing units or %, ISO forms other than YYYY-MM-DD...)."""
    near: list[st.SearchStrategy[Any]] = [
        st.text(_VALUE_CHARS, max_size=12),
        st.sampled_from(["", "0", "00", "010", "1e3", "-0", "NaN", "30", "0.3", "true"]),
        st.booleans(),
        st.none(),
        st.lists(st.integers(0, 3), max_size=2),
    ]
    good: list[st.SearchStrategy[Any]] = {
        "money": [
            st.integers(-5, 10**38),
            st.from_regex(
                r"(0|[1-9][0-9]{0,38}|[1-9][0-9]{0,2}(,[0-9]{3}){1,13})"
                r"(\.[0-9]{1,12})? ?(元|万元|亿元|万|亿)?",
                fullmatch=True,
            ),
        ],
        "rate": [st.from_regex(r"-?(0|[0-9]{1,4})(\.[0-9]{1,3})?%\n?", fullmatch=True)],
        "rate300": [st.from_regex(r"(0|[1-9][0-9]{0,3})(\.[0-9]{1,3})?%", fullmatch=True)],
        "number": [
            st.integers(-(10**41), 10**41),
            st.from_regex(r"-?[0-9]{1,42}(\.[0-9]{0,3})?\n?", fullmatch=True),
        ],
        "date": [
            st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
            st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{2}(T00:00)?\n?", fullmatch=True),
            st.sampled_from(["20260501", "2026-W18-5", "2026-05-01T00:00", "2026-123"]),
        ],
        "duration": [
            st.integers(-3, 10**41),
            st.from_regex(r"-?(0|[0-9]{1,3})(\.[0-9])? ?(工作日|日)", fullmatch=True),
        ],
        "bool": [st.booleans()],
        "text": [st.text(max_size=5)],
        "enum": [st.sampled_from(["FDA", "CE", "PMDA", "fda", "FD"])],
        "id": [
            st.text(max_size=5),
            st.integers(),
            # empty, whitespace-only and control-character ids: refused by both
            st.text(" \t\n\x00\x1b\x7f\x85\xa0\u2028\u3000\ufeffP", max_size=4),
        ],
    }[kind]
    values = st.one_of(*good, *near).map(lambda v: json.dumps(v, ensure_ascii=False))
    return st.one_of(values, _json_number_texts())


# Numbers whose spelling a decoder could lose: trailing zeros, exponents, minus zero,
# integers beyond 64 bits, floats beyond a double's range.
_NUMBER_SPELLINGS = st.one_of(
    st.sampled_from(
        [
            *("1.10", "1e2", "1E+2", "1e-3", "-0", "-0.0", "0", "-0e0", "12345678901234567890"),
            *("-9223372036854775809", "18446744073709551616", "1.5e400", "2025", "10"),
        ]
    ),
    st.from_regex(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
)


def json_number_spellings() -> st.SearchStrategy[str]:
    """JSON numbers spelled as a decoder could misread them (see above), all valid JSON."""
    return _NUMBER_SPELLINGS


_WHITE = st.sampled_from(["", "", " ", "\n", "\t ", "\r\n  "])


def _string_text(value: str, escape: bool) -> str:
    """``value`` as a JSON string: escaped to ASCII (``\\u`` escapes, surrogate pairs) or
    not, and ``/`` sometimes written ``\\/``."""
    text = json.dumps(value, ensure_ascii=escape)
    return text.replace("/", "\\/") if escape else text


@st.composite
def json_texts(draw: st.DrawFn, max_leaves: int = 12) -> str:
    """JSON documents as text: nested lists and objects of numbers spelled in many ways
    (see ``json_number_spellings``), strings with escapes (quotes, backslashes, control
    characters, non-BMP characters as surrogate pairs), booleans and null, white space
    between tokens.  Every one is valid JSON with no key written twice."""
    strings = st.builds(_string_text, st.text(max_size=6), st.booleans())
    scalars = st.one_of(
        json_number_spellings(), strings, st.sampled_from(["true", "false", "null"])
    )

    def wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        items = st.lists(inner, max_size=4)
        pairs = st.dictionaries(st.text(max_size=4), inner, max_size=4)
        return st.one_of(
            st.builds(lambda xs, w: "[" + w + (w + "," + w).join(xs) + w + "]", items, _WHITE),
            st.builds(
                lambda kv, w, e: (
                    "{"
                    + ",".join(f"{w}{_string_text(k, e)}{w}:{w}{v}" for k, v in kv.items())
                    + w
                    + "}"
                ),
                pairs,
                _WHITE,
                st.booleans(),
            ),
        )

    return draw(_WHITE) + draw(st.recursive(scalars, wrap, max_leaves=max_leaves)) + draw(_WHITE)


# ---- registries for the batch (SQL) path: firms, products, projects, a ledger ----------------

_BATCH_DAYS = st.dates(date(2025, 10, 1), date(2026, 12, 31))
_LAUNCH = "jjxf_2025_50/3/launch_reward"


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _fen_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}元"


_BATCH_MONEY = st.one_of(  # up to 300 万元 to the fen, often round sums that fill a cap
    st.integers(0, 300 * 10**6), st.sampled_from([0, 50, 150, 200, 250]).map(lambda w: w * 10**6)
).map(_fen_text)


@st.composite
def batch_registries(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Raw facts of several firms (products and projects across 2025-2026, facts missing at
    random, ids that natural order sorts differently from text) and a ledger of earlier
    launch rewards that pays each product once and keeps to both caps of measure 3."""
    firms: list[dict[str, Any]] = []
    ledger: list[dict[str, Any]] = []
    routes = ["miit_jiebang_guashuai", "national_special_review", "beijing_priority_review"]
    for f in range(draw(st.integers(1, 3))):
        firm_id = f"firm-{f}"
        firm: dict[str, Any] = {"id": firm_id}
        if draw(st.booleans()):
            firm["rd_reward_applied_on"] = draw(_BATCH_DAYS).isoformat()
            firm["rd_investment_year"] = draw(st.sampled_from([2024, 2025, 2026]))
            firm["new_approval_years"] = draw(
                st.lists(st.sampled_from([2022, 2023, 2024, 2025]), max_size=2)
            )
            firm["promotion_scale_outstanding"] = draw(_maybe(st.booleans()))
            firm["prior_year_rd_investment"] = draw(_maybe(_BATCH_MONEY))
        products = []
        ids = draw(
            st.lists(
                st.sampled_from(["P1", "P2", "P9", "P10", "p10", "A07", "A7"]),
                max_size=5,
                unique=True,
            )
        )
        for pid in ids:
            prod: dict[str, Any] = {"id": pid}
            for key, strategy in (
                ("approved_on", _BATCH_DAYS.map(date.isoformat)),
                ("launch_routes", st.lists(st.sampled_from(routes), max_size=2, unique=True)),
                ("other_national_project", st.booleans()),
                ("launch_reward_decided", _BATCH_MONEY),
                ("launch_reward_decided_on", _BATCH_DAYS.map(date.isoformat)),
                # `Authority or none`: "none" states no overseas approval (issue 11 §9)
                ("overseas_authority", st.sampled_from(["FDA", "CE", "other", "none"])),
                ("overseas_approved_on", _BATCH_DAYS.map(date.isoformat)),
                ("overseas_sales", st.booleans()),
                ("registration_cost", _BATCH_MONEY),
                ("clinically_urgent", st.booleans()),
            ):
                value = draw(_maybe(strategy))
                if value is not None:
                    prod[key] = value
            products.append(prod)
        firm["products"] = products
        projects = []
        for j in range(draw(st.integers(0, 2))):
            proj: dict[str, Any] = {"id": f"J{j}"}
            proj["kind"] = draw(st.sampled_from(["common_platform", "park", "smart_factory"]))
            for key, strategy in (
                ("applied_on", _BATCH_DAYS.map(date.isoformat)),
                ("engineering_investment", _BATCH_MONEY.map(lambda m: m.replace("元", "万元"))),
                ("total_investment", _BATCH_MONEY),
                ("support_decided", _BATCH_MONEY),
            ):
                value = draw(_maybe(strategy))
                if value is not None:
                    proj[key] = value
            projects.append(proj)
        firm["projects"] = projects
        firms.append(firm)
        # Earlier launch rewards of this firm: products listed or not, one payment each,
        # each at most 200 万元 and at most 1000 万元 a year in all.
        spent: dict[int, int] = {}
        for pid in draw(
            st.lists(st.sampled_from(["P1", "P9", "P10", "X1", "X2"]), max_size=3, unique=True)
        ):
            year = draw(st.sampled_from([2025, 2026]))
            fen = draw(st.integers(0, 200 * 10**6))
            if spent.get(year, 0) + fen > 1000 * 10**6:
                continue
            spent[year] = spent.get(year, 0) + fen
            ledger.append(
                {
                    "provision": _LAUNCH,
                    "firm": firm_id,
                    "product": pid,
                    "amount": _fen_text(fen),
                    "year": year,
                }
            )
        medicine = {
            "drugs": (
                "D",
                {
                    "class1_innovative": st.booleans(),
                    "approved_on": _BATCH_DAYS.map(date.isoformat),
                    "listed_on": _BATCH_DAYS.map(date.isoformat),
                    "nda_submitted_on": _BATCH_DAYS.map(date.isoformat),
                },
            ),
            "pilot_applications": (
                "PA",
                {
                    "application_kind": st.sampled_from(
                        ["clinical_trial_application", "supplementary_application"]
                    ),
                    "in_pilot": st.booleans(),
                    "submitted_on": _BATCH_DAYS.map(date.isoformat),
                    "approved_on": _BATCH_DAYS.map(date.isoformat),
                    "reviewed_on": _BATCH_DAYS.map(date.isoformat),
                },
            ),
            "trial_projects": (
                "T",
                {
                    "startup_began_on": _BATCH_DAYS.map(date.isoformat),
                    "started_on": _BATCH_DAYS.map(date.isoformat),
                },
            ),
        }
        for key, (prefix, fields) in medicine.items():
            items = []
            for k in range(draw(st.integers(0, 2))):
                item: dict[str, Any] = {"id": f"{prefix}{k}"}
                for name, strategy in fields.items():
                    value = draw(_maybe(strategy))
                    if value is not None:
                        item[name] = value
                items.append(item)
            firm[key] = items
    facts: dict[str, Any] = {"firms": firms}
    if draw(st.booleans()):
        days = st.lists(st.integers(0, 120), max_size=4)
        facts["reports"] = {
            "passive_inspection_days": draw(days),
            "active_inspection_days": draw(days),
        }
    return facts, ledger


# ---- facts for any checked policy, each fact given or missing ------------------------------


def _fact_value(typ: Any, policy: Any) -> st.SearchStrategy[Any]:
    """A value of ``typ`` as a facts file writes it (money as 元 text, a rate with %)."""
    from policyrules.convert import NONE_WORD, enum_members

    if typ.nullable:  # `T or none`: stated none now and then
        some = _fact_value(attrs.evolve(typ, nullable=False), policy)
        return st.one_of(some, st.just(NONE_WORD))
    kind = typ.kind
    if kind == "money" and typ.unit:  # money(USD): in cents of its currency, e.g. 美元
        from policyrules.runtime.currency import CURRENCIES

        unit = CURRENCIES.get(typ.unit, typ.unit)
        cents = st.one_of(st.sampled_from((0, 100_000_000)), st.integers(0, 300_000_000))
        return cents.map(lambda c: f"{c // 100}.{c % 100:02d} {unit}")
    if kind == "year":
        return st.integers(2024, 2028)
    if kind == "money":
        wan = 1_000_000  # fen in 1 万元
        return st.one_of(
            st.sampled_from((0, 50 * wan, 200 * wan, 600 * wan)), st.integers(0, 3000 * wan)
        ).map(lambda fen: f"{fen // 100}.{fen % 100:02d} 元")
    if kind == "rate":
        return st.integers(0, typ.bound or 100).map(lambda n: f"{n}%")
    if kind == "number":
        return st.integers(2022, 2029)  # years, counts, shares: small whole numbers
    if kind == "date":
        return st.dates(date(2024, 6, 1), date(2029, 6, 30)).map(date.isoformat)
    if kind == "bool":
        return st.booleans()
    if kind == "duration":
        return st.integers(0, 200)
    if kind == "enum":
        return st.sampled_from(enum_members(policy, typ.name))
    if kind in ("set", "list"):
        inner = _fact_value(typ.element, policy)
        return st.lists(inner, max_size=3, unique=kind == "set")
    return st.sampled_from(("甲", "FDA", "其他"))


@st.composite
def policy_facts(draw: st.DrawFn, policy: Any, max_items: int = 3) -> dict[str, Any]:
    """Facts for every entity of the checked ``policy``: up to ``max_items`` of each listed
    entity under each owner (single entities once), every fact given or missing at random."""

    def entity(ent: Any, ident: str) -> dict[str, Any]:
        item: dict[str, Any] = {} if ent.single else {"id": ident}
        for f in ent.facts:
            if f.name != "id" and draw(st.booleans()):
                item[f.name] = draw(_fact_value(f.type, policy))
        for child in policy.entities:
            if child.parent == ent.name:
                n = draw(st.integers(0, max_items))
                item[child.key] = [entity(child, f"{child.name[0].upper()}{i}") for i in range(n)]
        return item

    out: dict[str, Any] = {}
    for ent in policy.entities:
        if ent.parent is None:
            if ent.single:
                out[ent.key] = entity(ent, ent.name)
            else:
                n = draw(st.integers(0, max_items))
                out[ent.key] = [entity(ent, f"{ent.name}-{i}") for i in range(n)]
    return out


def agreeing(policy: Policy, facts: Any, grants: Any) -> Any:
    """``grants`` (a ledger, or a list of grants) without the grants of a one-time award
    with a yearly cap recorded in another year than ``facts`` give their subject: a run
    refuses such a ledger (E349, policyrules.ledger_years), so a property about what a run
    pays is given a ledger its facts do not contradict.  Dropping grants never makes a
    ledger pay twice or exceed a cap."""
    from policyrules.facts import Facts
    from policyrules.ledger_years import year_index, year_keyed, years_differ
    from policyrules.runtime.ledger import Ledger

    read = policy.read_ledger(grants)
    seen = facts if isinstance(facts, Facts) else policy.read_facts(facts)
    index = year_index(year_keyed(policy.compiled), ((g, "") for g in read))
    params, assume = policy.compiled.parameter_defaults, policy.compiled.assumption_defaults
    wrong = {g for g, *_ in years_differ(policy.compiled, seen, index, params, assume)}
    if not wrong:
        return grants
    return Ledger(tuple(g for g in read if g not in wrong), bases=read.bases)
