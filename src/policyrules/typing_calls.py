"""The types of the built-in functions' calls: ``min``/``max``, ``sum``/``count`` of a list,
``floor``/``ceil``, ``year``, ``convert``, ``known``, ``this_year`` and the payment years.

:class:`CallTyping` is a part of :class:`~policyrules.typing_rules.ExprTyper`, which
provides ``report``, ``type_of`` and ``value_of``; errors E204, E216, E262 and E291 are
reported through ``report``, and a call's type is :data:`types.ANY` after one.
"""

from __future__ import annotations

from collections.abc import Callable

from . import syntax as s
from . import types as t
from .currencies import convert_type
from .errors import Span, did_you_mean
from .typing_base import BUILTINS, Usage, unit_hint

__all__ = ["CallTyping", "Report"]

Report = Callable[[str, str, "Span | None", "str | None"], None]


class CallTyping:
    """The typing of a call to a built-in function; the host class types its arguments."""

    report: Report

    def type_of(self, e: s.Expr, usage: Usage) -> t.Type:
        raise NotImplementedError

    def value_of(self, e: s.Expr, usage: Usage, what: str) -> t.Type:
        raise NotImplementedError

    def _call(self, e: s.Call, usage: Usage) -> t.Type:
        if e.func not in BUILTINS:
            self.report(
                "E216",
                f"unknown function '{e.func}'",
                e.span,
                did_you_mean(e.func, BUILTINS) or f"known: {', '.join(sorted(BUILTINS))}",
            )
            return t.ANY
        lo, hi = BUILTINS[e.func]
        if len(e.args) < lo or (hi is not None and len(e.args) > hi):
            self.report(
                "E216",
                f"{e.func}() takes {lo if hi == lo else f'at least {lo}'} "
                f"argument{'s' if lo != 1 else ''}, not {len(e.args)}",
                e.span,
                None,
            )
            return t.ANY
        if e.func == "convert":
            args = [self.value_of(a, usage, "convert()") for a in e.args]
            return convert_type(args, e.span, self.report)
        if e.func == "known":
            self.type_of(e.args[0], usage)
            return t.BOOL
        if e.func in ("payment_year", "year_index"):
            return t.YEAR if e.func == "payment_year" else t.NUMBER
        if e.func == "this_year":  # 各年度实际支付的利息: the list's entry for the year paid
            got = self.type_of(e.args[0], usage)
            if got.kind != "list" and got != t.ANY:
                hint = "declare the yearly facts `fact interest_paid: list of money`"
                self.report("E291", f"this_year() takes a list, not {got.describe()}", e.span, hint)
                return t.ANY
            return got.element or t.ANY
        args = [self.value_of(a, usage, f"{e.func}()") for a in e.args]
        if e.func in ("floor", "ceil"):
            if args[0].kind not in ("number", "rate", "any"):
                self.report(
                    "E262",
                    f"{e.func}() takes a number or a share, not {args[0].describe()}",
                    e.span,
                    "count whole steps of a number: `floor((revenue - 1000 万元) / 100 万元)`",
                )
            return t.NUMBER
        if e.func == "year":
            if args[0] not in (t.DATE, t.ANY):
                self.report("E204", f"year() takes a date, not {args[0].describe()}", e.span, None)
            return t.NUMBER
        if e.func in ("min", "max"):
            if len(args) == 1 and args[0].kind in ("list", "set"):
                return self._ordered(e, args[0].element or t.ANY)
            first = next((a for a in args if a != t.ANY), t.ANY)
            for a, arg in zip(args, e.args, strict=True):
                if not t.comparable(a, first):
                    self.report(
                        "E204",
                        f"{e.func}() mixes {first.describe()} and {a.describe()}",
                        arg.span,
                        unit_hint(first, a),
                    )
                    return t.ANY
            return self._ordered(e, first)
        lst = args[0]
        if lst.kind not in ("list", "set", "any"):
            self.report("E204", f"{e.func}() takes a list, not {lst.describe()}", e.span, None)
            return t.ANY
        if e.func == "count":
            return t.NUMBER
        elem = lst.element or t.ANY
        if elem.kind not in ("money", "number", "rate", "duration", "any"):
            self.report("E204", f"{e.func}() needs numbers, not {elem.describe()}", e.span, None)
            return t.ANY
        return elem

    def _ordered(self, e: s.Call, got: t.Type) -> t.Type:
        """``got`` if min/max can order it (as ``<`` can), else E204 and ANY."""
        if got.kind in ("bool", "enum", "set", "list", "text"):
            self.report(
                "E204",
                f"{e.func}() does not order {got.describe()}",
                e.span,
                f"{e.func}() takes numbers, amounts, rates, dates or durations",
            )
            return t.ANY
        return got
