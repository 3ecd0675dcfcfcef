"""The parser's transformer: lark's tree into the frozen syntax nodes (:mod:`policyrules.syntax`).

One method per grammar rule or alias, each building its node with the span lark gives it;
the exclusivity statements come from the mixin :class:`~policyrules.parse_exclusive.ExclusiveRules`.
Used by :func:`policyrules.parse.parse`, which owns the parser, its errors and the comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lark import Token, Transformer, v_args

from . import syntax as s
from .errors import Diagnostic, RuleSyntaxError, Span
from .parse_exclusive import ExclusiveRules, anchored_window

__all__ = ["ToSyntax"]


def _span(file: str, meta: Any) -> Span:
    if getattr(meta, "empty", False):
        return Span(file, 1, 1, 1, 1)
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_span(file: str, tok: Token) -> Span:
    return Span(file, tok.line or 1, tok.column or 1, tok.end_line or 1, tok.end_column or 1)


_ESCAPE = re.compile(r'\\(["\\])')


def _string(tok: Token) -> str:
    return _ESCAPE.sub(r"\1", str(tok)[1:-1])


def _opt_string(tok: Token | None) -> str | None:
    return None if tok is None else _string(tok)


def _label(tok: Token) -> str:
    return _string(tok) if tok.type == "STRING" else str(tok)


def _node(cls: type[Any]) -> Callable[..., Any]:
    """A transformer method that builds ``cls`` from its children, with a span."""

    def build(self: ToSyntax, meta: Any, children: list[Any]) -> Any:
        return cls(*children, span=_span(self.file, meta))

    return build


@v_args(meta=True)
class ToSyntax(ExclusiveRules, Transformer[Token, Any]):
    """lark tree -> syntax nodes.  One method per grammar rule or alias."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def _sp(self, meta: Any) -> Span:
        return _span(self.file, meta)

    def _at(self, tok: Token) -> Span:
        return _tok_span(self.file, tok)

    def start(self, meta: Any, items: list[Any]) -> s.Module:
        return s.Module(tuple(items), span=self._sp(meta))

    # documents
    def document(self, meta: Any, c: list[Any]) -> s.Document:
        return s.Document(
            str(c[0]), _string(c[1]), tuple(c[2:]), span=self._sp(meta), name_span=self._at(c[0])
        )

    def doc_number(self, meta: Any, c: list[Any]) -> s.DocNumber:
        return s.DocNumber(_string(c[0]), span=self._sp(meta))

    def doc_agency(self, meta: Any, c: list[Any]) -> s.DocAgency:
        return s.DocAgency(_string(c[0]), span=self._sp(meta))

    def doc_issued(self, meta: Any, c: list[Any]) -> s.DocIssued:
        return s.DocIssued(self._date(c[0]), span=self._sp(meta))

    def doc_valid(self, meta: Any, c: list[Any]) -> s.DocValid:
        end = self._date(c[1]) if len(c) > 1 and c[1] is not None else None
        return s.DocValid(self._date(c[0]), end, span=self._sp(meta))

    def doc_events(self, meta: Any, c: list[Any]) -> s.DocEvents:
        return s.DocEvents(str(c[0]), span=self._sp(meta))

    def doc_measures(self, meta: Any, c: list[Any]) -> s.DocMeasures:
        return s.DocMeasures(int(Decimal(str(c[0]))), span=self._sp(meta))

    def twin(self, meta: Any, c: list[Any]) -> s.Twin:
        return s.Twin(str(c[0]), _label(c[1]), span=self._sp(meta))

    def doc_source(self, meta: Any, c: list[Any]) -> s.DocSource:
        return s.DocSource(_string(c[0]), span=self._sp(meta), path_span=_tok_span(self.file, c[0]))

    def chapter(self, meta: Any, c: list[Any]) -> s.Chapter:
        return s.Chapter(_label(c[0]), _string(c[1]), span=self._sp(meta))

    def clause(self, meta: Any, c: list[Any]) -> s.Clause:
        label, title, *rest = c
        body = tuple(x for x in rest if not isinstance(x, s.Provision))
        provisions = tuple(x for x in rest if isinstance(x, s.Provision))
        return s.Clause(
            _label(label),
            _opt_string(title),
            body,
            provisions,
            span=self._sp(meta),
            name_span=self._at(label),
        )

    def provision(self, meta: Any, c: list[Any]) -> s.Provision:
        kind, name, title, *body = c
        return s.Provision(
            str(kind),
            str(name),
            _opt_string(title),
            tuple(body),
            span=self._sp(meta),
            name_span=self._at(name),
        )

    def quote(self, meta: Any, c: list[Any]) -> s.Quote:
        return s.Quote(_string(c[0]), span=self._sp(meta))

    def note(self, meta: Any, c: list[Any]) -> s.Note:
        return s.Note(_string(c[0]), span=self._sp(meta))

    def subject(self, meta: Any, c: list[Any]) -> s.Subject:
        return s.Subject(str(c[1]), each=c[0] is not None, span=self._sp(meta))

    eligible = _node(s.Eligible)
    amount = _node(s.Amount)
    due = _node(s.Due)
    done = _node(s.Done)
    require = _node(s.Require)

    def order_by(self, meta: Any, c: list[Any]) -> s.OrderBy:
        return s.OrderBy(tuple(c), span=self._sp(meta))

    def amount_range(self, meta: Any, c: list[Any]) -> s.AmountRange:
        low, high, decided = c
        fact = str(decided) if decided is not None else None
        # `10% to 30% of base` reads as a rate range of a base: the `of` binds the high rate.
        if isinstance(low, s.RateLit) and isinstance(high, s.Of):
            return s.AmountRange(low, high.rate, high.base, fact, span=self._sp(meta))
        return s.AmountRange(low, high, None, fact, span=self._sp(meta))

    minimum = _node(s.AmountMinimum)

    def rounding(self, meta: Any, c: list[Any]) -> s.Rounding:
        return s.Rounding(str(c[0]), Decimal(str(c[1])), str(c[2]), span=self._sp(meta))

    def define(self, meta: Any, c: list[Any]) -> s.Define:
        name, title, expr = c
        return s.Define(
            str(name), _opt_string(title), expr, span=self._sp(meta), name_span=self._at(name)
        )

    def amount_decided(self, meta: Any, c: list[Any]) -> s.AmountDecided:
        return s.AmountDecided(str(c[0]), span=self._sp(meta))

    def cap(self, meta: Any, c: list[Any]) -> s.Cap:
        limit, *mods = c
        per = tuple(v for k, v in mods if k == "per")
        year = next((v for k, v in mods if k == "year"), None)
        pool = next((v for k, v in mods if k == "shared"), None)
        shared, at = (str(pool), self._at(pool)) if pool is not None else (None, None)
        unless = tuple(v for k, v in mods if k == "unless")
        window = next((v for k, v in mods if k == "window"), None)
        ever = any(k == "ever" for k, _ in mods)
        first = any(k == "anchored" for k, _ in mods)
        window = next((v for k, v in mods if k == "anchored"), window)
        sp = self._sp(meta)
        return s.Cap(limit, per, year, shared, unless, window, ever, first, span=sp, name_span=at)

    def cap_over(self, meta: Any, c: list[Any]) -> tuple[str, int]:
        return ("window", int(Decimal(str(c[0]))))

    def cap_over_from(self, meta: Any, c: list[Any]) -> tuple[str, int]:
        return ("anchored", anchored_window(c, self._at))

    def cap_ever(self, meta: Any, c: list[Any]) -> tuple[str, bool]:
        return ("ever", True)

    def paid_over(self, meta: Any, c: list[Any]) -> s.Schedule:
        years, start, *shares, rest = c
        at = self._at(rest) if rest is not None else None
        return s.Schedule(
            int(Decimal(str(years))),
            start,
            tuple(shares),
            str(rest) if rest is not None else None,
            span=self._sp(meta),
            remainder_span=at,
        )

    def paid_yearly(self, meta: Any, c: list[Any]) -> s.Schedule:
        return s.Schedule(int(Decimal(str(c[0]))), c[1], yearly=True, span=self._sp(meta))

    def cap_unless(self, meta: Any, c: list[Any]) -> tuple[str, s.CapException]:
        return ("unless", s.CapException(c[0], c[1], span=self._sp(meta)))

    def cap_per(self, meta: Any, c: list[Any]) -> tuple[str, str]:
        return ("per", str(c[0]))

    def cap_year(self, meta: Any, c: list[Any]) -> tuple[str, s.Expr]:
        return ("year", c[0])

    def cap_shared(self, meta: Any, c: list[Any]) -> tuple[str, Token]:
        return ("shared", c[0])

    def once(self, meta: Any, c: list[Any]) -> s.Once:
        return s.Once(str(c[0]), span=self._sp(meta))

    def tiers(self, meta: Any, c: list[Any]) -> s.Tiers:
        return s.Tiers(str(c[0]), span=self._sp(meta), name_span=self._at(c[0]))

    def quota(self, meta: Any, c: list[Any]) -> s.Quota:
        return s.Quota(
            int(Decimal(str(c[0]))), str(c[1]), span=self._sp(meta), name_span=self._at(c[1])
        )

    def limit(self, meta: Any, c: list[Any]) -> s.Limit:
        n, (_, per), *year = c
        count: int | str = int(Decimal(str(n))) if n.type == "NUMBER" else str(n)
        year_of = year[0][1] if year else None
        return s.Limit(count, per, year_of, span=self._sp(meta), name_span=self._at(n))

    def table(self, meta: Any, c: list[Any]) -> s.Table:
        name, title, key, value, *rows = c
        return s.Table(
            str(name),
            _opt_string(title),
            key,
            value,
            tuple(rows),
            span=self._sp(meta),
            name_span=self._at(name),
        )

    def table_from(self, meta: Any, c: list[Any]) -> s.TableRow:
        return s.TableRow(c[0], c[1], span=self._sp(meta))

    def table_when(self, meta: Any, c: list[Any]) -> s.TableRow:
        member = s.Name((str(c[0]),), span=self._at(c[0]))
        return s.TableRow(member, c[1], True, span=self._sp(meta))

    def table_at(self, meta: Any, c: list[Any]) -> s.TableAt:
        return s.TableAt(str(c[0]), c[1], span=self._sp(meta), name_span=self._at(c[0]))

    def reaches(self, meta: Any, c: list[Any]) -> s.Reaches:
        return s.Reaches(c[0], str(c[1]), span=self._sp(meta), name_span=self._at(c[1]))

    def consequence(self, meta: Any, c: list[Any]) -> s.Consequence:
        return s.Consequence(_string(c[0]), span=self._sp(meta))

    def encouraged(self, meta: Any, c: list[Any]) -> s.Encouraged:
        return s.Encouraged(span=self._sp(meta))

    # declarations
    def entity(self, meta: Any, c: list[Any]) -> s.Entity:
        return s.Entity(
            str(c[0]),
            _opt_string(c[1]),
            tuple(c[2:]),
            span=self._sp(meta),
            name_span=self._at(c[0]),
        )

    def entity_list(self, meta: Any, c: list[Any]) -> s.EntityList:
        parent = str(c[1]) if len(c) > 1 and c[1] is not None else None
        return s.EntityList(str(c[0]), parent, span=self._sp(meta), name_span=self._at(c[0]))

    def entity_single(self, meta: Any, c: list[Any]) -> s.EntitySingle:
        return s.EntitySingle(str(c[0]), span=self._sp(meta), name_span=self._at(c[0]))

    def fact_decl(self, meta: Any, c: list[Any]) -> s.FactDecl:
        return s.FactDecl(
            str(c[0]),
            c[1],
            _opt_string(c[3]),
            c[2] is not None,
            span=self._sp(meta),
            name_span=self._at(c[0]),
        )

    def or_none(self, meta: Any, c: list[Any]) -> bool:
        return True

    def is_none(self, meta: Any, c: list[Any]) -> s.IsNone:
        return s.IsNone(c[0], False, span=self._sp(meta))

    def is_not_none(self, meta: Any, c: list[Any]) -> s.IsNone:
        return s.IsNone(c[0], True, span=self._sp(meta))

    def otherwise_(self, meta: Any, c: list[Any]) -> s.Otherwise:
        return s.Otherwise(c[0], c[1], span=self._sp(meta))

    def enum_decl(self, meta: Any, c: list[Any]) -> s.EnumDecl:
        members = tuple(m for m in c[2:] if isinstance(m, s.EnumMember))
        return s.EnumDecl(
            str(c[0]), _opt_string(c[1]), members, span=self._sp(meta), name_span=self._at(c[0])
        )

    def enum_member(self, meta: Any, c: list[Any]) -> s.EnumMember:
        return s.EnumMember(
            str(c[0]), _opt_string(c[1]), span=self._sp(meta), name_span=self._at(c[0])
        )

    def parameter(self, meta: Any, c: list[Any]) -> s.Parameter:
        name, typ, default, title = c
        return s.Parameter(
            str(name),
            typ,
            default,
            _opt_string(title),
            span=self._sp(meta),
            name_span=self._at(name),
        )

    def assumption(self, meta: Any, c: list[Any]) -> s.Assumption:
        name, typ, default, why = c
        return s.Assumption(
            str(name), typ, default, _string(why), span=self._sp(meta), name_span=self._at(name)
        )

    def simple_type(self, meta: Any, c: list[Any]) -> s.SimpleType:
        return s.SimpleType(str(c[0]), span=self._sp(meta))

    def bounded_type(self, meta: Any, c: list[Any]) -> s.SimpleType:
        return s.SimpleType(str(c[0]), Decimal(str(c[1])), span=self._sp(meta))

    def currency_type(self, meta: Any, c: list[Any]) -> s.SimpleType:
        return s.SimpleType(str(c[0]), currency=str(c[1]), span=self._sp(meta))

    set_type = _node(s.SetType)
    table_type = _node(s.TableType)
    list_type = _node(s.ListType)

    # expressions
    def if_expr(self, meta: Any, c: list[Any]) -> s.IfExpr:
        return s.IfExpr(c[0], c[1], c[2], span=self._sp(meta))

    or_ = _node(s.Or)
    and_ = _node(s.And)
    not_ = _node(s.Not)
    neg = _node(s.Neg)
    in_force = _node(s.InForce)
    of = _node(s.Of)

    def compare(self, meta: Any, c: list[Any]) -> s.Compare:
        op = {"≤": "<=", "≥": ">=", "≠": "!="}.get(str(c[1]), str(c[1]))
        return s.Compare(op, c[0], c[2], span=self._sp(meta))

    def in_set(self, meta: Any, c: list[Any]) -> s.InSet:
        return s.InSet(c[0], c[1], False, span=self._sp(meta))

    def not_in_set(self, meta: Any, c: list[Any]) -> s.InSet:
        return s.InSet(c[0], c[1], True, span=self._sp(meta))

    def progressive(self, meta: Any, c: list[Any]) -> s.Progressive:
        return s.Progressive(c[0], tuple(c[1:]), span=self._sp(meta))

    def band_up_to(self, meta: Any, c: list[Any]) -> s.Band:
        return s.Band(c[0], c[1], span=self._sp(meta))

    def band_above(self, meta: Any, c: list[Any]) -> s.Band:
        return s.Band(None, c[0], span=self._sp(meta))

    def binop(self, meta: Any, c: list[Any]) -> s.BinOp:
        op = {"*": "×", "÷": "/"}.get(str(c[1]), str(c[1]))
        return s.BinOp(op, c[0], c[2], span=self._sp(meta))

    def call(self, meta: Any, c: list[Any]) -> s.Call:
        args = tuple(a for a in c[1:] if a is not None)
        return s.Call(str(c[0]), args, span=self._sp(meta))

    def set_lit(self, meta: Any, c: list[Any]) -> s.SetLit:
        return s.SetLit(tuple(a for a in c if a is not None), span=self._sp(meta))

    def name(self, meta: Any, c: list[Any]) -> s.Name:
        return s.Name(tuple(str(t) for t in c), span=self._sp(meta))

    def money_lit(self, meta: Any, c: list[Any]) -> s.MoneyLit:
        return s.MoneyLit(Decimal(str(c[0])), str(c[1]), span=self._sp(meta))

    def rate_lit(self, meta: Any, c: list[Any]) -> s.RateLit:
        return s.RateLit(Decimal(str(c[0])), span=self._sp(meta))

    def duration_lit(self, meta: Any, c: list[Any]) -> s.DurationLit:
        return s.DurationLit(Decimal(str(c[0])), str(c[1]), span=self._sp(meta))

    def number_lit(self, meta: Any, c: list[Any]) -> s.NumberLit:
        return s.NumberLit(Decimal(str(c[0])), span=self._sp(meta))

    def date_lit(self, meta: Any, c: list[Any]) -> s.DateLit:
        return s.DateLit(self._date(c[0]), span=self._sp(meta))

    def true_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(True, span=self._sp(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(False, span=self._sp(meta))

    def string_lit(self, meta: Any, c: list[Any]) -> s.StringLit:
        return s.StringLit(_string(c[0]), span=self._sp(meta))

    def _date(self, tok: Token) -> dt.date:
        try:
            return dt.date.fromisoformat(str(tok))
        except ValueError:
            raise RuleSyntaxError(
                Diagnostic(
                    "E110",
                    f"not a date: {tok}",
                    _tok_span(self.file, tok),
                    hint="write a real calendar date as YYYY-MM-DD",
                )
            ) from None
