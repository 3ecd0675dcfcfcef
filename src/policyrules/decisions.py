"""The values an evaluation decides: one :class:`Decision` per provision and subject, with its
trace (:class:`Step`), what each cap did to its claim (:class:`CapEvent`, with what its line
says beyond its limit as data: :class:`CapNote`) and a deadline's margin as data
(:class:`DeadlineMargin`): each language says them from their fields, the English text
(``CapEvent.note``, ``Decision.margin``) being their ``describe()``.  The data takes the
place of the text (a property): a slot more would cost each of the many values made on the
hot path of explanations its setting (:mod:`.backends.python.trusted`).

Below :mod:`policyrules.explain`, which turns them into text and JSON, and
:mod:`policyrules.result`, whose :class:`~policyrules.result.Result` bundles them (and
re-exports them, so ``policyrules.result.Decision`` still names the same class).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import attrs

from .decisions_exclusive import Exclusion
from .runtime.holds import Hold
from .runtime.ledger import NO_EARLIER, Earlier, as_earlier
from .runtime.money import Money, cn_text

__all__ = [
    "ENTITLEMENT_AHEAD",
    "ENTITLEMENT_CUT",
    "ENTITLEMENT_RAISED",
    "TRACE_SLOT",
    "AmountKind",
    "CapEvent",
    "CapNote",
    "DeadlineMargin",
    "Decision",
    "Payment",
    "Status",
    "Step",
    "defer_trace",
    "lead_steps",
    "trace_later",
]

ENTITLEMENT_CUT = "entitlement"
# By year k the first k shares of the entitlement computed now are due (分期拨付): a payment
# raised to settle what the earlier years were paid short of their shares (the entitlement
# rose since, or a year was paid less), or lowered by what they were paid ahead of them
# (``Payment.before``: its own share).
ENTITLEMENT_RAISED = "entitlement_raised"
ENTITLEMENT_AHEAD = "entitlement_ahead"
"""The :attr:`Payment.cap` of an instalment cut to what the entitlement leaves after the
schedule's other payments (the entitlement fell since they were paid): no cap of the rule."""


@attrs.frozen
class Step:
    """One step of the trace: ``ok`` is True (held), False (failed) or None (unknown/info)."""

    kind: str
    text: str
    ok: bool | None = None


@attrs.frozen
class CapNote:
    """What a cap's line says beyond its limit, as data (``CapEvent.detail``); ``kind``:

    * ``raised``: an exception (``cap X … unless C raise to Y``) raised the limit to
      ``high`` fen; ``conditions`` the conditions of the exceptions that hold, as written;
    * ``between``: an exception's condition is unknown: the limit is between ``low`` and
      ``high`` fen until ``conditions`` (those unknown, as written) are known;
    * ``unknown``: the limit cannot be computed: it needs the facts ``needs``
      (``entity.name``, sorted);
    * ``year_unknown``: the year the cap counts in needs the facts ``needs``: the claim
      may count in any year, and holds its amount in each.

    ``unless``: the places of ``conditions`` among the cap's exceptions (0: the first
    ``unless`` line), for a text that says them in words from the rule."""

    kind: str
    conditions: tuple[str, ...] = ()
    unless: tuple[int, ...] = ()
    needs: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None

    def describe(self) -> str:
        """The English note (``CapEvent.note``): ``raised to 1000 万元: major holds``."""
        if self.kind == "raised":
            assert self.high is not None
            return f"raised to {cn_text(self.high)}: {' and '.join(self.conditions)} holds"
        if self.kind == "between":
            assert self.low is not None
            assert self.high is not None
            waits = ", ".join(self.conditions)
            return f"between {cn_text(self.low)} and {cn_text(self.high)} until {waits} is known"
        needs = ", ".join(self.needs)
        if self.kind == "year_unknown":
            held = "it may count in any year: it holds its amount in each"
            return f"year unknown: needs {needs} ({held})"
        return f"cannot be computed: needs {needs}"


@attrs.frozen
class DeadlineMargin:
    """A deadline's margin as data (``Decision.deadline_margin``); ``kind``:

    * ``early``, ``late``: done ``days`` before or after its last day;
    * ``overdue``: not done, ``days`` past its last day on ``on`` (the day judged on);
    * ``last_day``: done on its last day;
    * ``pending``: not done, not yet due on ``on`` (``last_day``: that day is the last);
    * ``in_time``: done on ``on``, in time under any holiday schedule.

    ``days`` are counted in ``unit``: ``工作日`` for a working-day period, else ``日``, and in
    ``日`` where the working days could not be counted.  ``gap``: the calendar's message
    (English) saying why the working days were not counted (``early``, ``late``,
    ``overdue``) or, with ``any_schedule`` (``pending``, ``in_time``), which schedule is
    missing; ``unpublished``: the year whose holiday schedule is not published, where the
    gap is that (``None``: another gap, or none)."""

    kind: str
    days: int | None = None
    unit: str = "日"
    on: dt.date | None = None
    last_day: bool = False
    any_schedule: bool = False
    gap: str | None = None
    unpublished: int | None = None

    def days_en(self) -> str:
        """The distance in English: ``513 日``, ``13 工作日``, ``20 日 (working days not
        counted: …)``."""
        said = f"{self.days} {self.unit}"
        return f"{said} (working days not counted: {self.gap})" if self.gap else said

    def describe(self) -> str:
        """The English margin (``Decision.margin``): ``3 工作日 early``, ``not done; 513 日
        overdue as of 2027-06-01``, ``on the last day``...."""
        kind = self.kind
        if kind in ("early", "late"):
            return f"{self.days_en()} {kind}"
        if kind == "overdue":
            return f"not done; {self.days_en()} overdue as of {self.on}"
        if kind == "last_day":
            return "on the last day"
        if kind == "in_time":
            return f"done {self.on}: in time under any holiday schedule ({self.gap})"
        if self.any_schedule:
            return f"not done; not yet due on {self.on} under any holiday schedule ({self.gap})"
        return f"not done; not yet due as of {self.on}{' (the last day)' if self.last_day else ''}"


@attrs.frozen
class CapEvent:
    """How one cap treated one claim.

    The caps of a provision apply in the order they are written: ``before`` is the amount
    as the earlier caps left it (the requested amount at the first cap; ``None`` when only
    ceilings are known), ``after`` the amount once this cap is applied (``None`` when its
    limit is unknown).  ``requested`` is the claim's amount, ``granted`` the final one.
    ``earlier`` is the (subject, amount) of each claim earlier in this evaluation that drew
    on the cap's account: a view of the running account, not a copy (given as pairs, it is
    made one).  ``account`` is that account's last step and year, ``(entity, id, year)``
    (``scope`` shown in words: ``firm f1, year 2026``), for a text that says them apart
    (``None``: the claim itself, or not given).  ``detail`` is what the line says beyond
    the limit (an exception raised it, a fact it needs) as data (:class:`CapNote`), which
    each language says; ``note`` the same in English."""

    cap: str
    scope: str
    limit: Money | None
    used_before: Money
    requested: Money | None
    granted: Money | None
    binding: bool
    earlier: Earlier = attrs.field(default=NO_EARLIER, converter=as_earlier)
    detail: CapNote | None = None
    before: Money | None = None
    after: Money | None = None
    account: tuple[str, str, int | None] | None = None

    @property
    def note(self) -> str | None:
        """What the cap's line says beyond its limit, in English (``raised to 1000 万元: major
        holds``): ``detail.describe()``; ``None``: nothing."""
        detail = self.detail
        return detail.describe() if detail is not None else None

    @property
    def cut(self) -> Money:
        """What this cap took off the claim, in fen: ``before - after`` when it bound
        (requested 300 万元, ``cap 200 万元 per product`` then a yearly cap with 150 万元 left:
        100 万元 and 50 万元); nothing otherwise."""
        return Money(self.cut_fen)

    @property
    def cut_fen(self) -> int:
        """:attr:`cut` in fen, without making the :class:`Money`."""
        before, after = self.before, self.after
        if not self.binding or before is None or after is None:
            return 0
        return before.fen - after.fen


@attrs.frozen
class Payment:
    """One year of an award paid over time (``paid …``): the ``index``-th payment (1..N),
    in calendar ``year``; ``status`` ``paid`` (a grant of the ledger, its amount), ``due``
    (granted by this evaluation: its year has come, or no ``as_of`` was given) or ``future``
    (its year is after ``as_of``: computed, not granted); ``amount`` ``None`` while a fact
    it needs is missing; ``share`` the instalment's rate as written (``40%``); ``cap`` the
    cap that cut it (its text) and ``before`` the amount before that cap.

    ``held_by`` names the earlier claims not settled that hold room the payment needs (the
    last 3 of each account); ``hold_count`` is how many there are in all, as a claim paid at
    once says it (``6 in all; the last 3 shown``, 共 6 笔).  Each claim counts once however
    many accounts it holds room in: under ``over 3 years`` a schedule paying in two of the
    window's years is one claim, and under a cap over all years (``per firm ever``) a
    schedule holding each of its payments there is one.  The schedule's own earlier payments
    held in such an account (or in an earlier year of its window) are not counted: they are
    room the award itself took, not an earlier claim's, and ``held_by`` does not name them
    either (:func:`~policyrules.runtime.claim_holds.count_held`)."""

    year: int
    index: int
    status: str
    amount: Money | None
    share: str | None = None
    cap: str | None = None  # the cap that cut it, as written, or ENTITLEMENT_CUT
    before: Money | None = None  # its amount before that cap
    # False when no ``as_of`` was given: the year is shown as due, a forecast; recording
    # it in a ledger is refused (E427, :mod:`policyrules.ledger_dated`).
    dated: bool = True
    # True when the year is due but nothing is granted: the amount is unknown or only a
    # bound (a fact or a cap's limit missing, or a claim of an exclusive group that may lose).
    held: bool = False
    # The earlier claims not settled that hold room this payment needs in a cap of its
    # year (it is then at most): named in the explanation (policyrules.explain_holds).
    held_by: tuple[Hold, ...] = ()
    # How many such claims there are in all, each once (0: none; see above).
    hold_count: int = 0
    # The views of the accounts where they hold it (a decision counts the claims holding
    # its payments' room over all of them, each once: explain_holds.holds_of); not data
    # of the payment, so neither compared nor shown.
    held_in: tuple[Earlier, ...] = attrs.field(default=(), eq=False, repr=False)


Status = Literal["eligible", "not_eligible", "unknown", "met", "not_met", "pending"]
"""A decision's status: an award's or an entitlement's ``eligible``, ``not_eligible`` or
``unknown``; a deadline's or a target's ``met``, ``not_met``, ``pending`` or ``unknown``
(``d.status == "eligable"`` is a type error under mypy)."""

AmountKind = Literal["exact", "range", "up_to", "unknown"]
"""What an award's amount is: ``exact``; a ``range`` (``amount_min`` to ``amount``);
``up_to`` a bound (the text fixes only ceilings, or leaves a rate open); ``unknown``."""


@attrs.frozen
class Decision:
    """What a provision says about one subject (a product, a project, a report...)."""

    provision: str
    kind: str
    document: str
    document_number: str | None
    clause: str
    title: str | None
    subject: str | None
    status: Status
    amount: Money | None = None
    amount_kind: AmountKind | None = None
    reasons: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    missing_parameters: tuple[str, ...] = ()
    caps: tuple[CapEvent, ...] = ()
    # What the provision granted this subject before (any year): counted against the amount.
    granted_before: Money | None = None
    facts: tuple[tuple[str, str], ...] = ()
    assumptions: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    due: dt.date | None = None
    done: dt.date | None = None
    # The margin of a deadline (as data) or a target (its text); read as ``margin``, its
    # English text, and ``deadline_margin``, a deadline's data.
    _margin: DeadlineMargin | str | None = None
    consequence: str | None = None
    # A deadline or target the document encourages (鼓励…), not requires: its status as
    # any other's, said as an encouragement (`encouraged`).
    encouraged: bool = False
    quote: str | None = None
    clause_quote: str | None = None
    trace: tuple[Step, ...] = ()
    # The lower bound when ``amount_kind`` is ``range`` (至少 amount_min，至多 amount); else None.
    amount_min: Money | None = None
    # An award paid over time: each year's payment, in year order (see Payment).
    schedule: tuple[Payment, ...] = ()
    # What an exclusive group or a supersession did to it (issue 11 §6); None if nothing.
    exclusivity: Exclusion | None = None
    # earlier undecided claims that make this one at most, besides its caps' and payments'
    # (a one-time award an earlier claim of the owner may take: 一次性)
    held_by: tuple[Hold, ...] = ()
    # The names among ``parameters`` the caller set (``--set``, ``parameters=``, a facts
    # file's ``parameters:``), in their order; the others are the encoding's defaults.
    parameters_set: tuple[str, ...] = ()

    @property
    def clause_label(self) -> str:
        return self.clause.rsplit("/", 1)[-1]

    @property
    def margin(self) -> str | None:
        """How a deadline or a target was met or missed, in English: ``3 工作日 early``,
        ``89.9% against 90%: margin -0.1 percentage points`` (a deadline's:
        ``deadline_margin.describe()``); ``None``: none."""
        m = self._margin
        return m.describe() if isinstance(m, DeadlineMargin) else m

    @property
    def deadline_margin(self) -> DeadlineMargin | None:
        """A deadline's margin as data (:class:`DeadlineMargin`); ``None`` for none, or a
        target's (said by its text only)."""
        m = self._margin
        return m if isinstance(m, DeadlineMargin) else None


# A decision's trace may be made when first read (issue 10 §1: the explanation's detail made
# on demand from the record the evaluator kept, not for every decision: a text without
# ``--trace`` reads none of it).  The slot then holds a _Later, and ``Decision.trace`` is a
# property over the slot that makes the trace on first read and keeps it.  Every reader
# (attrs' eq, hash, repr, pickling, evolve, asdict) reads the field through the property,
# so such a decision is, in every way a caller can see, the Decision with that trace; and
# it stays one class (a second class would make the interpreter's attribute caches miss
# wherever both are read).
_TRACE = Decision.__dict__["trace"]


class _Later:
    """A trace not made yet: its first steps (known at once) and how to make it all."""

    __slots__ = ("lead", "make")

    def __init__(self, lead: tuple[Step, ...], make: Callable[[], tuple[Step, ...]]) -> None:
        self.lead = lead
        self.make = make


def _trace(d: Decision) -> tuple[Step, ...]:
    value = _TRACE.__get__(d)
    if type(value) is _Later:
        value = value.make()
        _TRACE.__set__(d, value)
    made: tuple[Step, ...] = value
    return made


def _set_trace(d: Decision, value: tuple[Step, ...]) -> None:
    _TRACE.__set__(d, value)


type.__setattr__(Decision, "trace", property(_trace, _set_trace, doc="The steps of the decision."))


def defer_trace(d: Decision, lead: tuple[Step, ...], make: Callable[[], tuple[Step, ...]]) -> None:
    """Give ``d`` (just made by the evaluator, not yet handed out) a trace made by
    ``make()`` when first read; ``lead`` are its first steps, known at once."""
    _TRACE.__set__(d, _Later(lead, make))


# The slot the trace is kept in, below the property: the evaluator, which fills a new
# decision's slots one by one (backends/python/trusted), sets it directly (a trace, or what
# :func:`trace_later` returns), not through the property's setter.
TRACE_SLOT = _TRACE


def trace_later(lead: tuple[Step, ...], make: Callable[[], tuple[Step, ...]]) -> Any:
    """What :func:`defer_trace` puts in the trace's slot (:data:`TRACE_SLOT`): for a
    decision just made, not yet handed out, whose slots its maker sets itself."""
    return _Later(lead, make)


def lead_steps(d: Decision) -> tuple[Step, ...]:
    """The first steps of ``d``'s trace, without making a deferred one (the whole trace
    once made): enough to find a step that, when present, comes first (``order_hold``)."""
    value = _TRACE.__get__(d)
    return value.lead if type(value) is _Later else value
