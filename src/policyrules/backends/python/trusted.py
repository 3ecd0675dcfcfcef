"""Values the evaluator made from values already of the right types, built without the
checks and converters of their ``__init__``.

A frozen attrs class sets each field through a bound ``object.__setattr__`` and runs its
converters and validators: right for a value a user builds, a cost on the hot path of
explanations, which makes several :class:`~policyrules.decisions.Step`,
:class:`~policyrules.decisions.CapEvent` and :class:`~policyrules.runtime.money.Money`
per claim from ints and strings it computed itself.  Here each field is set by its slot's
own descriptor, the fastest way CPython has to fill a slotted instance.  The values are
equal, field for field, to the ones ``__init__`` makes from the same arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ...decisions import CapEvent, Step
from ...runtime.ledger import Earlier
from ...runtime.money import Money

__all__ = ["cap_event", "money", "step"]

_new = object.__new__


def _slot(cls: type, name: str) -> Callable[[Any, Any], None]:
    setter: Callable[[Any, Any], None] = cls.__dict__[name].__set__
    return setter


_FEN = _slot(Money, "fen")


def money(fen: int) -> Money:
    """``Money(fen)`` for an int the evaluator computed."""
    m: Money = _new(Money)
    _FEN(m, fen)
    return m


_KIND, _TEXT, _OK = (_slot(Step, n) for n in ("kind", "text", "ok"))


def step(kind: str, text: str, ok: bool | None) -> Step:
    """``Step(kind, text, ok)``."""
    s: Step = _new(Step)
    _KIND(s, kind)
    _TEXT(s, text)
    _OK(s, ok)
    return s


_EVENT = tuple(_slot(CapEvent, a.name) for a in attrs.fields(CapEvent))


def cap_event(
    cap: str,
    scope: str,
    limit: Money,
    used_before: Money,
    requested: Money,
    granted: Money,
    binding: bool,
    earlier: Earlier,
    before: Money,
    after: Money,
) -> CapEvent:
    """A :class:`CapEvent` with no note, ``earlier`` already an :class:`Earlier` (the
    converter of ``__init__`` would return it as it is)."""
    ev: CapEvent = _new(CapEvent)
    s = _EVENT
    s[0](ev, cap)
    s[1](ev, scope)
    s[2](ev, limit)
    s[3](ev, used_before)
    s[4](ev, requested)
    s[5](ev, granted)
    s[6](ev, binding)
    s[7](ev, earlier)
    s[8](ev, None)
    s[9](ev, before)
    s[10](ev, after)
    return ev
