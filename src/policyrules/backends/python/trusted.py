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

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any

import attrs

from ...decisions import TRACE_SLOT, CapEvent, Decision, Step, trace_later
from ...runtime.grants import Grant, GrantPath
from ...runtime.money import Money

__all__ = [
    "EVENT_SLOTS",
    "Slots",
    "decision",
    "deferred",
    "grant",
    "grants",
    "money",
    "slots_of",
    "step",
    "with_subject",
]

_new = object.__new__
_each: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend  # runs it out


def _slot(cls: type, name: str) -> Callable[[Any, Any], None]:
    setter: Callable[[Any, Any], None] = cls.__dict__[name].__set__
    return setter


_FEN = _slot(Money, "fen")


def money(fen: int) -> Money:
    """``Money(fen)`` for an int the evaluator computed."""
    m: Money = _new(Money)
    _FEN(m, fen)
    return m


_PROVISION, _PATH, _AMOUNT, _YEAR, _TIER = (
    _slot(Grant, n) for n in ("provision", "path", "amount", "year", "tier")
)


def grant(provision: str, path: GrantPath, fen: int, year: int | None) -> Grant:
    """``Grant(provision, path, Money(fen), year)`` of a grant row the evaluator made
    (:data:`~policyrules.runtime.grants.GrantRow`): its path of ids as the facts' reader
    took them, ``fen`` at least 0, ``year`` a cap's year or ``None``; no tier."""
    g: Grant = _new(Grant)
    _PROVISION(g, provision)
    _PATH(g, path)
    _AMOUNT(g, money(fen))
    _YEAR(g, year)
    _TIER(g, None)
    return g


def grants(
    provision: str, paths: Sequence[GrantPath], fens: Sequence[int], years: Sequence[int | None]
) -> list[Grant]:
    """``[grant(provision, p, f, y) for p, f, y in zip(paths, fens, years)]``: the grants of
    one provision's rows, given as columns of the same length.  Each field is set for every
    grant by one C-level ``map`` (no bytecode per grant and field)."""
    n = len(paths)
    if len(fens) != n or len(years) != n:
        raise ValueError(f"columns of {n}, {len(fens)} and {len(years)} grants")
    amounts = list(map(_new, repeat(Money, n)))
    _each(map(_FEN, amounts, fens))
    made: list[Grant] = list(map(_new, repeat(Grant, n)))
    _each(map(_PROVISION, made, repeat(provision)))
    _each(map(_PATH, made, paths))
    _each(map(_AMOUNT, made, amounts))
    _each(map(_YEAR, made, years))
    _each(map(_TIER, made, repeat(None)))
    return made


_KIND, _TEXT, _OK = (_slot(Step, n) for n in ("kind", "text", "ok"))


def step(kind: str, text: str, ok: bool | None) -> Step:
    """``Step(kind, text, ok)``."""
    s: Step = _new(Step)
    _KIND(s, kind)
    _TEXT(s, text)
    _OK(s, ok)
    return s


# The setters of a CapEvent's slots, in the order of its fields (``cap`` to ``account``),
# for a caller that sets them itself (.rows_caps.cap_events_row): checked here.
EVENT_SLOTS = tuple(_slot(CapEvent, a.name) for a in attrs.fields(CapEvent))
assert [a.name for a in attrs.fields(CapEvent)] == [
    "cap", "scope", "limit", "used_before", "requested", "granted", "binding", "earlier",
    "detail", "before", "after", "account",
]  # fmt: skip


# The fields :func:`decision` sets from its arguments; every other field of a Decision
# takes its default (checked here: a constant, not a factory, so sharing it is what
# ``__init__`` does too).
_GIVEN: tuple[str, ...] = ("provision", "kind", "document", "document_number", "clause")
_GIVEN += ("title", "quote", "clause_quote", "subject", "status", "amount", "amount_kind")
_GIVEN += ("reasons", "caps", "granted_before", "facts", "assumptions", "parameters", "trace")
_GIVEN += ("parameters_set",)
_SET = {a.name: _slot(Decision, a.name) for a in attrs.fields(Decision)}
_DEFAULTS = tuple((_SET[a.name], a.default) for a in attrs.fields(Decision) if a.name not in _GIVEN)
assert all(not isinstance(d, attrs.Factory) for _, d in _DEFAULTS)  # type: ignore[arg-type]
_D_PROVISION, _D_KIND, _D_DOC, _D_NUMBER, _D_CLAUSE, _D_TITLE, _D_QUOTE, _D_CQUOTE = (
    _SET[name] for name in _GIVEN[:8]
)
_D_SUBJECT, _D_STATUS, _D_AMOUNT, _D_AMOUNT_KIND, _D_REASONS, _D_CAPS, _D_BEFORE = (
    _SET[name] for name in _GIVEN[8:15]
)
_D_FACTS, _D_ASSUMPTIONS, _D_PARAMETERS, _D_TRACE, _D_PSET = (_SET[name] for name in _GIVEN[15:])
_D_TRACE = TRACE_SLOT.__set__  # the slot itself, below the property (decisions.TRACE_SLOT)
# The others, each with its default, set one by one (not in a loop: every decision made
# sets them); a field added to Decision breaks this unpacking, not a decision silently.
(
    (_S0, _V0), (_S1, _V1), (_S2, _V2), (_S3, _V3), (_S4, _V4), (_S5, _V5),
    (_S6, _V6), (_S7, _V7), (_S8, _V8), (_S9, _V9), (_S10, _V10),
) = _DEFAULTS  # fmt: skip


def decision(
    static: dict[str, Any],
    subject: str,
    status: str,
    amount: Money | None,
    amount_kind: str | None,
    reasons: tuple[str, ...],
    caps: tuple[CapEvent, ...],
    granted_before: Money | None,
    facts: tuple[tuple[str, str], ...],
    assumptions: tuple[tuple[str, str], ...],
    parameters: tuple[tuple[str, str], ...],
    trace: tuple[Step, ...],
) -> Decision:
    """``Decision(subject=subject, ..., **static)`` (``static``: a provision's fixed
    fields, ``provision`` to ``clause_quote`` and ``parameters_set``), every other field at
    its default: the fields of a decision the evaluator made from values of the right types
    (a Decision has no converter or validator)."""
    d: Decision = _new(Decision)
    _D_PROVISION(d, static["provision"])
    _D_KIND(d, static["kind"])
    _D_DOC(d, static["document"])
    _D_NUMBER(d, static["document_number"])
    _D_CLAUSE(d, static["clause"])
    _D_TITLE(d, static["title"])
    _D_QUOTE(d, static["quote"])
    _D_CQUOTE(d, static["clause_quote"])
    _D_SUBJECT(d, subject)
    _D_STATUS(d, status)
    _D_AMOUNT(d, amount)
    _D_AMOUNT_KIND(d, amount_kind)
    _D_REASONS(d, reasons)
    _D_CAPS(d, caps)
    _D_BEFORE(d, granted_before)
    _D_FACTS(d, facts)
    _D_ASSUMPTIONS(d, assumptions)
    _D_PARAMETERS(d, parameters)
    _D_TRACE(d, trace)
    _D_PSET(d, static["parameters_set"])
    _S0(d, _V0)
    _S1(d, _V1)
    _S2(d, _V2)
    _S3(d, _V3)
    _S4(d, _V4)
    _S5(d, _V5)
    _S6(d, _V6)
    _S7(d, _V7)
    _S8(d, _V8)
    _S9(d, _V9)
    _S10(d, _V10)
    return d


def deferred(
    static: dict[str, Any],
    subject: str,
    status: str,
    amount: Money | None,
    amount_kind: str | None,
    caps: tuple[CapEvent, ...],
    granted_before: Money | None,
    facts: tuple[tuple[str, str], ...],
    assumptions: tuple[tuple[str, str], ...],
    parameters: tuple[tuple[str, str], ...],
    lead: tuple[Step, ...],
    later: Callable[[], tuple[Step, ...]],
) -> Decision:
    """:func:`decision` with no reasons, its trace made by ``later()`` when first read
    (as :func:`~policyrules.decisions.defer_trace` gives it one, its slot set here at
    once: :func:`~policyrules.decisions.trace_later`; ``lead``: the trace's first steps)."""
    trace = trace_later(lead, later)
    return decision(
        static, subject, status, amount, amount_kind, (), caps, granted_before, facts,
        assumptions, parameters, trace,
    )  # fmt: skip


# Every slot of a Decision (its trace's own, below the property) but the subject's, for a
# copy of one slot by slot (:func:`with_subject`).
_SLOTS = tuple(
    (TRACE_SLOT if n == "trace" else Decision.__dict__[n])
    for n in Decision.__dict__["__slots__"]
    if n not in ("subject", "__weakref__")
)
assert all(type(s).__name__ == "member_descriptor" for s in _SLOTS)

# A decision's slots but its subject's, each as (its setter, its value): :func:`slots_of`.
Slots = tuple[tuple[Callable[[Any, Any], None], Any], ...]


def slots_of(d: Decision) -> Slots:
    """``d``'s fields but the subject, to be copied into others (:func:`with_subject`)."""
    return tuple([(s.__set__, s.__get__(d)) for s in _SLOTS])


def with_subject(slots: Slots, subject: str, trace: tuple[Step, ...] | None = None) -> Decision:
    """``attrs.evolve(d, subject=subject)`` of the decision ``d`` whose :func:`slots_of`
    are ``slots``, without ``__init__``: every other field the very value of ``d``'s
    (but ``trace``, if given)."""
    made: Decision = _new(Decision)
    for put, value in slots:
        put(made, value)
    _D_SUBJECT(made, subject)
    if trace is not None:
        _D_TRACE(made, trace)
    return made
