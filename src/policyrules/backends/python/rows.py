"""Decisions kept as compact rows, made into :class:`~policyrules.decisions.Decision` values
only when they are looked at.

The fast path (:mod:`~policyrules.backends.python.fastpath`) keeps each decision it makes
as a :data:`Row`: plain values, amounts in fen, no :class:`~policyrules.runtime.money.Money`,
no trace.  :meth:`Rows.materialise` makes from a row the very decision the general way
(the evaluator's ``decide``) makes: without explanations from the row alone; with them,
the row gives what depended on the order of claims (the accounts each cap saw, a one-time
award already paid, the step saying natural order served it) and the rest is computed
again, by the same closures the general way runs, from the facts (which do not change): the
condition steps and reasons, the facts read, the amount and its steps.  A paid award's
conditions held, so their steps are made once per provision and the facts they read are
read directly where their syntax fixes which (:mod:`.explained`); where the amount's and
the caps' reads are fixed for the whole evaluation too, its decision is made from a plan
learnt once per provision, without running their closures again (:mod:`.paid`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Set
from operator import itemgetter
from typing import Any, cast

import attrs

from ...decisions import CapEvent, Decision, Status, Step
from ...facts import Facts
from ...instances import Instance
from ...model import CheckedPolicy, ClauseInfo, DocumentInfo, ProvisionInfo
from ...runtime.ledger import Accounts, Grant, GrantRow
from ...runtime.money import Money, cn_text
from ...runtime.values import format_value
from .blank_rows import BLANK
from .compile import CompiledPolicy, CompiledProvision, Condition, Env
from .explained import Held, condition_facts, held_steps, steps_held
from .failed import Marks, condition_steps, failed_decision
from .once_hold import once_refused
from .paid import PaidPlan, paid_decision, paid_plan
from .rows_caps import (
    CapRow,
    Path,
    cap_events_row,
    cap_lines_row,
    fact_texts,
    money_of,
)
from .rows_said import Said
from .trusted import Slots, decision, grant, slots_of, with_subject

__all__ = [
    "CapRow",
    "GrantRow",
    "Path",
    "Row",
    "Rows",
    "cap_events",
    "cap_steps",
    "fact_texts",
    "grant_of",
    "money_of",
]

# A decision: the provision, the subject and its path, the status, the amount (fen; None
# unless an eligible award) and its kind, the caps, the fen granted before, the amount
# requested (fen, after the entitlement), the facts and parameters missing, the index of
# the one-time rule that refused it (-1: none; BLANK: a blank subject's, made from its
# provision's kept decision, .blank_rows), the step saying natural order served it
# (explanations only), the assumptions used (last: the evaluator reads them there; a
# fused award's rows share one frozen set for those read alike, .fused_keys).
Row = tuple[
    CompiledProvision,
    Instance,
    Path,
    str,
    int | None,
    str | None,
    tuple[CapRow, ...],
    int,
    int,
    frozenset[str],
    int,
    Step | None,
    Set[str],
]


_ID = itemgetter(1)  # a path's (entity, id) pair -> the id
_UNSET: Any = object()  # (typed Any: a plan looked up and not there, told apart from None)


def grant_of(row: GrantRow | Grant) -> Grant:
    """The :class:`Grant` of a grant row (a grant is returned as it is)."""
    if isinstance(row, Grant):
        return row
    provision, path, fen, year = row
    return grant(provision, path, fen, year)


def cap_events(caps: tuple[CapRow, ...], requested: int, amount: int) -> tuple[CapEvent, ...]:
    """The :class:`CapEvent` of each cap row: as ``apply_caps`` makes them."""
    return cap_events_row(caps, requested, amount)


def cap_steps(
    caps: tuple[CapRow, ...], requested: int, amount: int
) -> tuple[tuple[CapEvent, ...], list[Step]]:
    """:func:`cap_events` and the trace step of each (``cap_line`` of the event), the
    texts written from the rows' fen."""
    steps: list[Step] = []
    events = cap_events_row(caps, requested, amount)
    cap_lines_row(caps, steps)
    return events, steps


class Rows(Said):
    """Rows made into decisions (a mixin of the evaluator, which supplies the rest), and
    said without them where they can be (:class:`~.rows_said.Said`)."""

    explain: bool
    clauses: Mapping[str, ClauseInfo]
    documents: Mapping[str, DocumentInfo]
    _static: dict[str, dict[str, Any]]  # the fields of a provision's decisions
    _assumed: dict[frozenset[str], tuple[tuple[str, str], ...]]
    # Without explanations, the decision of each outcome of a row without an amount
    # (provision, status, facts missing, assumptions read), but its subject (:meth:`materialise`)
    _unpaid: dict[tuple[str, str, frozenset[str], frozenset[str]], Slots]
    _held: dict[str, Held]  # a provision's steps when its conditions held, and their reads
    _paid: dict[str, PaidPlan | None]  # a provision's plan of paid claims (.paid)
    _marks: dict[str, Marks]  # a provision's condition steps, held and not (.failed)
    facts: Facts
    checked: CheckedPolicy
    policy: CompiledPolicy
    parameters: Mapping[str, Any]
    parameters_given: frozenset[str]
    assumptions: Mapping[str, Any]

    rate_facts: Container[str]
    accounts: Accounts  # (the evaluator's: what a one-time award granted before)

    def _assumption_text(self, name: str) -> str:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _assumed_texts(self, used: set[str], counts_days: bool) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _parameter_texts(self, info: ProvisionInfo) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _parameters_set(self, info: ProvisionInfo) -> tuple[str, ...]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _provision_fields(self, cp: CompiledProvision) -> dict[str, Any]:
        """The fields every decision of ``cp`` shares, made once an evaluation."""
        info = cp.info
        static = self._static.get(info.id)
        if static is not None:
            return static
        clause = self.clauses[info.clause]
        doc = self.documents.get(info.document)
        static = self._static[info.id] = {
            "provision": info.id,
            "kind": info.kind,
            "document": info.document,
            "document_number": doc.number if doc else None,
            "clause": info.clause,
            "title": info.title or clause.title,
            "quote": info.quote,
            "clause_quote": clause.quote,
            "encouraged": info.encouraged,
            "parameters_set": self._parameters_set(info),
        }
        return static

    def env(self, cp: CompiledProvision, inst: Instance | None) -> Env:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def conditions(
        self, cp: CompiledProvision, env: Env, trace: list[Step]
    ) -> tuple[list[str], set[str]]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def why_not(self, cond: Condition, env: Env, seen: list[str]) -> str:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def decision(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        status: str,
        failed: list[str],
        missing: set[str],
        trace: list[Step],
        extra: dict[str, Any],
        counts_days: bool = False,
    ) -> Decision:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def materialise(self, row: Row) -> Decision:
        """The :class:`Decision` the general way makes for this row's claim."""
        if self.explain:
            return self._explained(row)
        cp, _, path, status, amount, kind, caps, before, requested, missing, _, _, used = row
        info = cp.info
        static = self._static.get(info.id) or self._provision_fields(cp)
        key = frozenset(used)
        assumed = self._assumed.get(key)
        if assumed is None:
            assumed = tuple(sorted((n, self._assumption_text(n)) for n in used))
            self._assumed[key] = assumed
        subject = "/".join(map(_ID, path))
        if amount is not None and not missing:  # the frequent case: through the slots
            events = cap_events_row(caps, requested, amount)
            granted = events[-1].granted if events else money_of(amount)
            before_m = money_of(before) if before else None
            return decision(
                static, subject, status, granted, kind, (), events, before_m, (), assumed, (), ()
            )
        if amount is None and not missing and status != "eligible":
            return decision(static, subject, status, None, None, (), (), None, (), assumed, (), ())
        if amount is None:
            # Without an amount, the decision reads nothing of the claim but its provision,
            # status, facts missing and assumptions: made once for each such outcome (most
            # subjects of a registry run lack most measures' facts), copied with its subject.
            outcome = (info.id, status, frozenset(missing), key)
            kept = self._unpaid.get(outcome)
            if kept is None:
                made = self._unpaid_decision(static, status, missing, assumed, info.consequence)
                kept = self._unpaid[outcome] = slots_of(made)
            return with_subject(kept, subject)
        events = cap_events(caps, requested, amount)
        extra: dict[str, Any] = {
            "amount": events[-1].granted if events else money_of(amount),
            "amount_kind": kind,
            "caps": events,
            "granted_before": money_of(before) if before else None,
        }
        if missing:
            extra["missing_facts"], extra["missing_parameters"] = _missing_lists(missing)
        # (the evaluator's statuses are the Literal's: cast here, not checked per row)
        return Decision(
            subject=subject, status=cast(Status, status), assumptions=assumed, **static, **extra
        )

    @staticmethod
    def _unpaid_decision(
        static: dict[str, Any],
        status: str,
        missing: Set[str],
        assumed: tuple[tuple[str, str], ...],
        consequence: str | None,
    ) -> Decision:
        """Without explanations, the decision of a row without an amount, its subject
        ``None`` (:meth:`materialise` copies it with each subject's)."""
        extra: dict[str, Any] = {}
        if status == "eligible":
            extra = {"consequence": consequence}
        if missing:
            extra["missing_facts"], extra["missing_parameters"] = _missing_lists(missing)
        return Decision(
            subject=None, status=cast(Status, status), assumptions=assumed, **static, **extra
        )

    def _explained(self, row: Row) -> Decision:
        """With explanations: the steps that depended on the order of claims come from
        the row; the conditions and the amount are computed again (the facts read, the
        reasons and their steps), in the order the general way computes them."""
        cp, status, amount, once_at, why = row[0], row[3], row[4], row[10], row[11]
        if once_at == BLANK:
            return self.blank_decision(row)
        if amount is not None and once_at < 0 and not row[9]:
            made = self._explained_paid(row)
            if made is not None:
                return made
        elif status == "not_eligible" and once_at < 0 and not row[9]:
            made = self._explained_failed(row)
            if made is not None:
                return made
        elif status == "unknown" and cp.info.kind == "award":
            made = self.blank_unknown(row)  # a subject lacking the conditions' facts
            if made is not None:
                return made
        d = self.again(row, True)
        return attrs.evolve(d, trace=(why, *d.trace)) if why is not None else d

    def again(self, row: Row, hold: bool) -> Decision:
        """The decision of ``row``, its conditions and amount computed again, without the
        step saying natural order served it (``hold``: with the one saying what a claim of
        unknown eligibility holds, if it holds any)."""
        cp, inst, path, status, amount = row[:5]
        once_at, used = row[10], row[12]
        info = cp.info
        env = self.env(cp, inst)
        env.used_assumptions |= used
        trace: list[Step] = []
        failed, missing = self.conditions(cp, env, trace)
        extra: dict[str, Any] = {}
        if info.kind == "award" and not failed and not missing:
            for n, o in enumerate(info.once):
                if n == once_at:
                    owner = next(i for e, i in path if e == o.entity)
                    text = once_refused(cp, o.entity, owner, self.accounts, path)
                    trace.append(Step("once", text, False))
                    failed = [text]
                    break
                trace.append(Step("once", f"once per {o.entity}: not granted before", True))
        if amount is not None:
            extra = self._award_steps(cp, env, trace, row)
        elif status == "unknown":
            if hold and (held := self.holds.get((info.id, path))) is not None:
                trace.append(held)  # as the general way's reserve_unknown
        elif status == "eligible":
            extra = {"consequence": info.consequence}
            trace.append(Step("consequence", info.consequence or "", True))
        extra["path"] = path
        return self.decision(cp, inst, env, status, failed, missing, trace, extra)

    def _explained_failed(self, row: Row) -> Decision | None:
        """A claim a condition refused, made by :mod:`.failed`; ``None``: the general way."""
        cp, inst = row[0], row[1]
        info = cp.info
        static = self._provision_fields(cp)
        marks = self._marks.get(info.id)
        if marks is None:
            marks = self._marks[info.id] = condition_steps(cp)
        env = self.env(cp, inst)
        env.used_assumptions |= row[12]
        return failed_decision(
            cp,
            env,
            row,
            marks,
            self.why_not,
            static,
            self.rate_facts,
            self._assumed_texts,
            self._parameter_texts(info),
        )

    def _learnt(self) -> dict[tuple[str, str], Any] | None:
        """The policy's memo of what evaluations learn of a provision once
        (``CompiledPolicy.learnt``) when this one is on the policy's defaults themselves
        (no parameter or assumption given); ``None`` otherwise: the run learns alone."""
        policy = self.policy
        if (
            self.parameters is policy.parameter_defaults
            and self.assumptions is policy.assumption_defaults
            and not self.parameters_given
        ):
            return policy.learnt
        return None

    def _paid_plan(self, cp: CompiledProvision, inst: Instance) -> PaidPlan | None:
        """The plan of ``cp``'s paid claims (:mod:`.paid`), learnt from the claim of
        ``inst`` the first time (or kept from an evaluation on the same defaults);
        ``None``: the general way makes them."""
        info = cp.info
        if info.id in self._paid:
            return self._paid[info.id]
        learnt = self._learnt()
        plan = learnt.get(("paid", info.id)) if learnt is not None else None
        if plan is None:
            static = self._provision_fields(cp)
            plan = paid_plan(cp, self.checked, self.env(cp, inst), static, self.rate_facts)
            # Not kept when none: learnt from one claim, a plan may be refused for that
            # claim alone (undecided), and the next evaluation learns again.
            if learnt is not None and plan is not None:
                learnt[("paid", info.id)] = plan
        self._paid[info.id] = plan
        return plan

    def _explained_paid(self, row: Row) -> Decision | None:
        """A paid award's decision, its conditions' and one-time rules' steps made once
        per provision (:mod:`.explained`); ``None``: take the general way."""
        cp, inst = row[0], row[1]
        info = cp.info
        plan = self._paid.get(info.id, _UNSET)
        if plan is _UNSET:
            plan = self._paid_plan(cp, inst)
        if plan is not None:
            made = paid_decision(
                plan,
                cp,
                inst,
                self.env,
                row,
                self.rate_facts,
                self._assumed_texts,
                self._parameter_texts(info),
            )
            if made is not None:
                return made
        static = self._provision_fields(cp)
        env = self.env(cp, inst)
        held = self._held.get(cp.info.id)
        if held is None:
            # what no parameter or assumption changes: kept by the policy for every run
            learnt = self.policy.learnt
            held = learnt.get(("held", cp.info.id))
            if held is None:
                held = learnt[("held", cp.info.id)] = (
                    steps_held(cp),
                    condition_facts(cp, self.checked),
                )
            self._held[cp.info.id] = held
        env.used_assumptions |= row[12]
        trace = held_steps(cp, env, held)
        if trace is None:
            return None
        if row[11] is not None:
            trace.insert(0, row[11])
        extra = self._award_steps(cp, env, trace, row)
        del extra["missing"]  # none: the evaluator's `decision`, for this case, field for field
        return Decision(
            subject="/".join([i for _, i in row[2]]),
            status=cast(Status, row[3]),
            facts=fact_texts(env.reads, self.rate_facts),
            assumptions=self._assumed_texts(env.used_assumptions, False),
            parameters=self._parameter_texts(info),
            trace=tuple(trace),
            **static,
            **extra,
        )

    def _award_steps(
        self, cp: CompiledProvision, env: Env, trace: list[Step], row: Row
    ) -> dict[str, Any]:
        """The steps of an eligible award, as the evaluator's ``award`` writes them."""
        amount, kind, caps, before, requested = row[4], row[5], row[6], row[7], row[8]
        assert cp.amount is not None
        assert amount is not None
        noted = len(env.notes)
        value = cp.amount(env)
        # the defines and steps the amount read, as the evaluator's `award` shows them
        trace.extend(Step("amount", n, None) for n in dict.fromkeys(env.notes[noted:]))
        what = "decided amount" if cp.info.decided else "amount"
        trace.append(Step("amount", f"{what}: {format_value(value)}", None))
        asked = value
        if isinstance(value, Money) and value.fen < 0:
            trace.append(Step("amount", f"{format_value(value)} is below zero: 0.00 元", None))
            asked = Money.zero()
        if before:
            b, rest = money_of(before), money_of(requested)
            trace.append(
                Step(
                    "entitlement",
                    f"already granted {format_value(b)} under this provision: pays the rest "
                    f"{format_value(rest)} ({format_value(asked)} − {format_value(b)}, "
                    "at least 0.00 元)",
                    None,
                )
            )
        for cap in cp.caps:  # read as apply_caps reads them: the facts read are shown
            cap.limit(env)
            if cap.per and cap.year is not None:
                cap.year(env)
        events, steps = cap_steps(caps, requested, amount)
        trace.extend(steps)
        label = "award" if kind == "exact" else "award up to"
        trace.append(Step("result", f"{label}: {cn_text(amount)}", None))
        return {
            "amount": money_of(amount),
            "amount_kind": kind,
            "caps": events,
            "missing": set(),
            "granted_before": money_of(before) if before else None,
        }


def _missing_lists(missing: Set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A row's facts and parameters missing (``parameter <name>`` for a parameter) as a
    decision lists them: the facts, then the parameters' names, each sorted."""
    facts = sorted(m for m in missing if not m.startswith("parameter "))
    params = sorted(m[10:] for m in missing if m.startswith("parameter "))
    return tuple(facts), tuple(params)
