"""Closures for two constructs of :mod:`policyrules.exprs`: a ``define`` read by name, and
``progressive`` bands (超额累进: 不超过 1000 万元的部分按 10%，超过 1000 万元的部分按 5%).

Both note a line for the trace in the evaluation's environment (``env.notes``): a define its
value where it was read (``qualified_route（…）: true``), a band the part of the base inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from . import syntax as s
from .model import DefineInfo
from .printer import print_band, print_expr
from .runtime.money import Money
from .runtime.values import Undecided, Unknown, format_value, missing_of

__all__ = ["compile_define", "compile_progressive"]


class _Env(Protocol):
    notes: list[str]


_Fn = Callable[[Any], Any]
_Compute = Callable[[s.Expr, Callable[..., Any], list[Any]], Any]


def compile_define(info: DefineInfo, body: _Fn) -> _Fn:
    """The closure of a name that is a define: ``body`` (its expression compiled where it is
    used), its value noted as ``name（title）: value``."""
    label = info.name + (f"（{info.title}）" if info.title else "")

    def run(env: _Env) -> Any:
        value = body(env)
        shown = "unknown" if isinstance(value, Unknown) else format_value(value)
        env.notes.append(f"{label}: {shown}")
        return value

    return run


def compile_progressive(
    e: s.Progressive,
    base: _Fn,
    limits: list[_Fn | None],
    rates: list[_Fn],
    compute: _Compute,
) -> _Fn:
    """``progressive BASE band up to L1 pays R1 … [band above pays Rn]``: each rate applies to the
    part of BASE above the previous limit and up to its own; the exact products are summed
    and rounded down to the fen once.  Without ``band above`` nothing is paid on the part
    above the last limit.  A base below zero pays nothing; limits that do not rise make the
    decision unknown (E417)."""

    # Each band's lower bound as written (the previous band's limit), for its trace line.
    lowers = (None, *(band.limit for band in e.bands[:-1]))

    def run(env: _Env) -> Any:
        b = base(env)
        lims = [f(env) if f is not None else None for f in limits]
        rs = [r(env) for r in rates]
        unknown = missing_of(b, *lims, *rs)
        if unknown is not None:
            return unknown
        lines: list[str] = []

        def total(*_: Any) -> Money:
            below = Money.zero()
            exact = Fraction(0)
            for band, lower, top, rate in zip(e.bands, lowers, lims, rs, strict=True):
                if top is not None and top <= below:
                    raise Undecided(
                        f"E417: {print_expr(e)}: the band limit {format_value(top)} is not "
                        f"above {format_value(below)}"
                    )
                upper = b if top is None else min(b, top)
                part = max(upper - below, Money.zero())
                share = Fraction(part.fen) * Fraction(rate)
                exact += share
                lines.append(
                    f"{print_band(band, lower)}: {format_value(part)} × "
                    f"{format_value(rate, rate=True)}"
                    f" = {_fen_text(share)}"
                )
                if top is not None:
                    below = top
            fen = int(exact)  # toward zero: exact ≥ 0
            lines.append(f"progressive total {_fen_text(exact)}, rounded down to {Money(fen)}")
            return Money(fen)

        result = compute(e, total, [])
        env.notes.extend(lines)
        return result

    return run


def _fen_text(fen: Fraction) -> str:
    """An exact amount in fen, as 元 with its fen part (``12,345.675 元`` stays exact)."""
    if fen.denominator == 1:
        return str(Money(int(fen)))
    whole = Money(int(fen))
    rest = Decimal(fen.numerator % fen.denominator) / Decimal(fen.denominator)
    return f"{whole} + {format_value(rest)} fen"
