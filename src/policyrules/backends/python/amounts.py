"""An award's amount as an interval: a range the agency decides within, a minimum, a declared
rounding (``amount 10% to 30% of base decided r``, ``minimum 50 万元``, ``rounding down to
1 元``).

:func:`compile_bounds` builds, for a provision that has one of these, a :class:`Bounds`
whose :meth:`Bounds.requested` gives the claim's lower and upper bound before the
entitlement and the caps: ``(low, high, missing)``.  The evaluator then cuts both bounds by
the caps (a ceiling still binds: a minimum above a cap is cut to it) and reports the result
as ``exact`` (both bounds equal), ``range`` (at least ``amount_min``, at most ``amount``) or
``up_to`` (a lower bound of zero).  Such provisions are always evaluated the general way
(never by the generated fast path); the SQL batch computes them too (backends/sql/bounds.py).
"""

from __future__ import annotations

import attrs

from ... import syntax as s
from ...exprs import Env, Fn, compile_expr
from ...model import CheckedPolicy, ProvisionInfo
from ...printer import print_expr, print_range
from ...result import Step
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, Value, format_value, missing_of

__all__ = ["Bounds", "compile_bounds", "interval"]


@attrs.frozen
class Bounds:
    """The compiled amount statements of one award (see the module).  ``main`` is the
    amount's own closure (the expression, the decided fact or the range's decided fact)."""

    main: Fn
    decided: Fn | None = None  # a range's decided rate or amount
    low: Fn | None = None  # a range's low end (a rate of ``base``, or money)
    high: Fn | None = None
    base: Fn | None = None
    range_text: str | None = None
    minimum: Fn | None = None
    minimum_text: str | None = None
    unit: Money | None = None  # rounding down to a multiple of it
    unit_text: str | None = None

    def requested(
        self, env: Env, trace: list[Step] | None
    ) -> tuple[Money | None, Money | Unknown, frozenset[str]]:
        """``(low, high, missing)``: the claim's bounds before the entitlement and the caps.

        ``low`` is ``None`` where nothing sets one (the amount is exact or only capped);
        ``high`` an :class:`Unknown` where no upper bound is known before the caps;
        ``missing`` the facts and parameters that would make the amount exact.

        :raises Undecided: E416, a decided rate or amount outside the range."""
        note = trace.append if trace is not None else None
        missing: set[str] = set()
        low: Money | None
        high: Money | Unknown
        if self.low is None:
            value = self.main(env)
            if isinstance(value, Money):
                low, high = value, value
            else:
                low, high = None, value
                missing |= value.missing
        else:
            low, high = self._range(env, trace, missing)
        if self.unit is not None:
            low = _round(low, self.unit) if low is not None else None
            if isinstance(high, Money):
                rounded = _round(high, self.unit)
                if note and rounded != high:
                    note(Step("rounding", f"{self.unit_text}: {_m(high)} → {_m(rounded)}", None))
                high = rounded
        if self.minimum is not None:
            floor = self.minimum(env)
            if isinstance(floor, Unknown):
                missing |= floor.missing
            else:
                raised = low is not None and low < floor
                if note and (low is None or raised):
                    was = "no lower bound" if low is None else format_value(low)
                    note(Step("minimum", f"{self.minimum_text}: {was} raised to {_m(floor)}", None))
                low = floor if low is None else max(low, floor)
                if isinstance(high, Money):
                    high = max(high, floor)
        return low, high, frozenset(missing)

    def _range(
        self, env: Env, trace: list[Step] | None, missing: set[str]
    ) -> tuple[Money | None, Money | Unknown]:
        assert self.low is not None
        assert self.high is not None
        lo, hi = self.low(env), self.high(env)
        base = self.base(env) if self.base is not None else None
        decided = self.decided(env) if self.decided is not None else Unknown(frozenset())
        unknown = missing_of(lo, hi, base)
        if not isinstance(decided, Unknown):
            if isinstance(base, Unknown):  # a decided rate of a base not known: unknown
                missing |= base.missing
                return None, base
            if unknown is None and not lo <= decided <= hi:
                shown = format_value(decided, rate=self.base is not None)
                raise Undecided(
                    f"E416: the decided {shown} is outside {self.range_text}",
                    hint="the agency decides within the range the text sets: check the fact",
                )
            amount = _apply(decided, base)
            if trace is not None:
                trace.append(
                    Step("amount", f"decided within {self.range_text}: {_m(amount)}", None)
                )
            return amount, amount
        missing |= decided.missing
        if unknown is not None:
            missing |= unknown.missing
            return None, unknown
        low, high = _apply(lo, base), _apply(hi, base)
        if trace is not None:
            needs = f" (needs {', '.join(sorted(decided.missing))})" if decided.missing else ""
            text = f"{self.range_text}: {_m(low)} to {_m(high)}{needs}"
            trace.append(Step("amount", text, None))
        return low, high


def _m(m: Money) -> str:
    return m.format_cn()


def _apply(x: Value, base: Value) -> Money:
    """A rate of ``base`` rounded down to the fen, or ``x`` itself (money)."""
    if base is None:
        assert isinstance(x, Money)
        return x
    assert isinstance(base, Money)
    return base.times(x)


def _round(m: Money, unit: Money) -> Money:
    """Down (toward zero) to a multiple of ``unit``."""
    fen = abs(m.fen) - abs(m.fen) % unit.fen
    return Money(fen if m.fen >= 0 else -fen)


def compile_bounds(p: ProvisionInfo, policy: CheckedPolicy, main: Fn | None) -> Bounds | None:
    """The :class:`Bounds` of award ``p``, or ``None`` when it has no range, minimum or
    rounding (its amount is then computed as before, fast path included)."""
    if not p.bounded:
        return None

    def c(e: s.Expr) -> Fn:
        return compile_expr(e, policy, p.subject)

    r = p.range
    fields: dict[str, object] = {}
    if r is not None:
        high = c(r.high)
        decided = c(s.Name((r.decided,))) if r.decided else None
        main = decided or high
        fields.update(
            decided=decided,
            low=c(r.low),
            high=high,
            base=c(r.base) if r.base is not None else None,
            range_text=f"amount {print_range(attrs.evolve(r, decided=None))}",
        )
    assert main is not None
    if p.minimum is not None:
        fields.update(
            minimum=c(p.minimum.expr), minimum_text=f"minimum {print_expr(p.minimum.expr)}"
        )
    if p.rounding is not None:
        rd = p.rounding
        unit = Money.of(rd.number, rd.unit)
        text = f"rounding down to {print_expr(s.MoneyLit(rd.number, rd.unit))}"
        fields.update(unit=unit, unit_text=text)
    return Bounds(main, **fields)  # type: ignore[arg-type]


def interval(
    low: Money,
    capped: tuple[Money, Money | None, frozenset[str]],
    missing: set[str],
    trace: list[Step] | None,
) -> tuple[str, Money | None, set[str]]:
    """The kind of a bounded claim after its caps, its lower bound and what is missing.

    The caps cut the lower bound as they cut the upper one (``capped.amount``): to the least
    room, counting earlier claims of this evaluation at their upper bound.  ``capped``: the
    upper bound after the caps, that least room (``None``: no cap), the facts the caps need.
    Both bounds equal: ``exact`` (whatever is decided, this is paid); a lower bound of zero:
    ``up_to``; else ``range`` with the lower bound."""
    amount, lowest, cap_missing = capped
    floor = min(low, lowest if lowest is not None else amount, amount)
    if trace is not None and floor < low:
        trace.append(
            Step("minimum", f"the lower bound {_m(low)} is cut to {_m(floor)} by the caps", None)
        )
    if floor == amount and not cap_missing:
        return "exact", None, set()
    if not floor:
        return "up_to", None, missing
    return "range", floor, missing
