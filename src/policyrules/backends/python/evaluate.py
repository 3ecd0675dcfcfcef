"""Evaluate a compiled policy on facts and a ledger: pure, deterministic, traced.

Claims are served in their provisions' declared ``order by`` (then by the subject's path,
ids in natural order, then by provision id), across every provision linked to them through
shared pools, so a cap (per firm per year, per product...) is shared the same way whatever
order the files list the provisions in or the facts list the items in; the trace says who
was cut and why.  The caps of a claim apply in the order written, each with its own cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ...bounds import paused_gc
from ...check_pools import pool_components
from ...errors import CalendarError
from ...facts import Facts, Instance
from ...model import CheckedPolicy
from ...result import Decision, Result, Step
from ...runtime.calendar import HOLIDAY_ASSUMPTION, WorkCalendar
from ...runtime.ledger import Accounts, Grant, Ledger, LedgerIndex, ScopeKey
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, Value, format_value
from .amounts import interval
from .claims import (
    apply_caps,
    cap_line,
    path_of,
    scope_of,
)
from .compile import CompiledPolicy, CompiledProvision, Env
from .conditions import Conditions
from .decision import DecisionMaker
from .exclusive import Claimed, Verdict, first_pass_claims, plan
from .exclusive_run import ExclusiveHooks
from .fastpath import FastClaims
from .instalments import scheduled_award
from .lean import LeanAward
from .once_hold import hold_once, once_holder, once_step
from .order_hold import hold_step, pool_members, shares_pool
from .reserve import reserve_unknown
from .rows import Row, grant_of
from .tiers import QuotaRanks, highest_only, quota_check, quota_ranks, tier_steps
from .timelimits import TimeLimits

__all__ = ["Undecided", "evaluate", "index_ledger", "ledger_pools"]


def evaluate(
    policy: CompiledPolicy,
    facts: Facts,
    *,
    ledger: Ledger,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
    calendar: WorkCalendar,
    as_of: dt.date | None = None,
    explain: bool = True,
    index: LedgerIndex | None = None,
) -> Result:
    """Every decision of ``policy`` for ``facts``; nothing outside the arguments is read.

    ``as_of`` is the day the evaluation speaks for: a deadline with no completion date is
    overdue (``not_met``) once it has passed, pending before.  No clock is read.  With
    ``explain`` false the decisions carry no trace, reasons, facts read or parameter values
    (none is built); every status, amount, missing fact, cap and grant is the same.
    ``index``: :func:`index_ledger` of ``policy`` and ``ledger``, if the caller keeps one."""
    pools = ledger_pools(policy)
    index = index if index is not None else LedgerIndex(ledger, pools)
    verdicts = None
    if policy.checked.exclusivity:
        # 不重复支持 / 以此为准: each claim decided on its own first, then again (.exclusive)
        first = _Run(
            policy,
            facts,
            Accounts(index, pools),
            parameters,
            assumptions,
            calendar,
            as_of,
            False,
            {},
        )
        verdicts = first.exclusivity_plan(ledger)
    accounts = Accounts(index, pools)
    run = _Run(policy, facts, accounts, parameters, assumptions, calendar, as_of, explain, verdicts)
    decisions: list[Decision | Row] = []
    # Without the cyclic collector, which would walk every decision made so far again and
    # again (about 40% of the time of 10^4 claims): decisions, caps and accounts hold no
    # cycles and are freed by reference counting; the few an undecided condition makes (an
    # exception kept with its frame) wait for the next collection.  What survives (rows,
    # decisions, accounts) joins the oldest generation, as the result lives on.
    with paused_gc(promote=True):
        served = run.serve_awards()
        for cp in policy.provisions:
            decisions.extend(served[cp.info.id] if cp.info.id in served else run.provision(cp))
    names: set[str] = set()
    for d in decisions:
        if isinstance(d, Decision):
            names.update(a for a, _ in d.assumptions)
        elif isinstance(d, LeanAward):
            names |= d.used
        else:
            names |= d[-1]
    used = sorted(names - {HOLIDAY_ASSUMPTION})
    listed = [(a, format_value(assumptions[a])) for a in used]
    if run.assumed_years:
        listed.append((HOLIDAY_ASSUMPTION, calendar.describe(run.assumed_years)))
    grants = run.grants

    def make() -> tuple[tuple[Decision, ...], tuple[Grant, ...]]:
        # Rows the fast path kept become decisions only now, when they are looked at.
        with paused_gc(promote=True):
            return (
                tuple(d if isinstance(d, Decision) else run.materialise(d) for d in unfold(0)),
                tuple(grant_of(g) for g in unfold(1)),
            )

    def unfold(which: int) -> Iterator[Any]:
        # A lean award's claims (.lean): its rows or grant rows, made by one replay.
        for d in grants if which else decisions:
            if isinstance(d, LeanAward):
                yield from d.replay()[which]
            else:
                yield d

    return Result.deferred(make, tuple(sorted(listed)))


def ledger_pools(policy: CompiledPolicy) -> dict[str, set[str]]:
    """provision id -> the cap pools its grants count in (its own, and any shared)."""
    return {cp.info.id: {cap.pool for cap in cp.caps} | {cp.info.id} for cp in policy.provisions}


def index_ledger(policy: CompiledPolicy, ledger: Ledger) -> LedgerIndex:
    """The earlier grants of ``ledger`` summed for ``policy``'s caps, once for many runs."""
    return LedgerIndex(ledger, ledger_pools(policy))


# DecisionMaker first: its decision and texts stand above the stubs of Rows (under FastClaims).
class _Run(DecisionMaker, Conditions, TimeLimits, FastClaims, ExclusiveHooks):
    def __init__(
        self,
        policy: CompiledPolicy,
        facts: Facts,
        accounts: Accounts,
        parameters: Mapping[str, Value],
        assumptions: Mapping[str, Value],
        calendar: WorkCalendar,
        as_of: dt.date | None,
        explain: bool = True,
        verdicts: dict[Claimed, Verdict] | None = None,
    ) -> None:
        self.verdicts = verdicts
        self.policy = policy
        self.checked: CheckedPolicy = policy.checked
        self.facts = facts
        self.accounts = accounts
        self.parameters = parameters
        self.assumptions = assumptions
        # Each decision gets its own tracked copy: the unpublished years it assumed are its own.
        self.base_calendar = calendar
        self.calendar = calendar.tracked()
        self.assumed_years: set[int] = set()
        self.grants: list[Any] = []  # Grant, or a grant row of the fast path
        self.as_of = as_of
        self.explain = explain
        self._assumption_texts: dict[str, str] = {}
        self._ranks: dict[str, QuotaRanks] = {}
        self._known: dict[str, bool] = {}
        self._shapes = {}
        self.order_unknown = {}
        self._members: dict[str, int] | None = None
        self._static = {}
        self._params: dict[str, tuple[tuple[str, str], ...]] = {}
        self._assumed = {}
        self._held = {}
        self._paid = {}
        self._marks = {}
        self.clauses = {c.id: c for c in self.checked.clauses}
        self.documents = {d.name: d for d in self.checked.documents}
        self.rate_facts = {
            f"{e.name}.{f.name}"
            for e in self.checked.entities
            for f in e.facts
            if f.type.kind == "rate"
        }

    def env(self, cp: CompiledProvision, inst: Instance | None) -> Env:
        doc = self.documents.get(cp.info.document)
        return Env(inst.chain() if inst else {}, self.parameters, self.assumptions, doc)

    def subjects(self, cp: CompiledProvision) -> list[Instance | None]:
        subject = cp.info.subject
        return list(self.facts.instances.get(subject, ())) if subject else [None]

    def provision(self, cp: CompiledProvision) -> list[Decision | Row]:
        """The decisions of a provision that is not an award, subjects in facts order."""
        kind = cp.info.kind
        if kind == "declaration":
            return []
        # With explanations a row would be computed again when made into a decision: only
        # awards, whose accounts the row keeps, gain from the fast path then.
        fast = None if self.explain or kind in _TIMED else self.policy.fast.get(cp.info.id)
        if fast is None:
            return [self.decide(cp, inst, self.env(cp, inst)) for inst in self.subjects(cp)]
        return self.conditions_only(fast, cp, self.subjects(cp))

    def serve_awards(self) -> dict[str, list[Decision | Row]]:
        """Every award's decisions, by provision id, each list in the provision's own order.

        The claims of all the awards linked through shared pools are served in one
        pool-wide order (:func:`claim_key`), so which claim a pool cuts never depends on
        the order of the provisions in the files or of the items in the facts."""
        awards = [cp for cp in self.policy.provisions if cp.info.kind == "award"]
        by_id = {cp.info.id: cp for cp in awards}
        out: dict[str, list[Decision | Row]] = {cp.info.id: [] for cp in awards}
        for group in pool_components([cp.info for cp in awards]):
            self.serve_fast([by_id[info.id] for info in group], out)
        return out

    def decide(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        path: tuple[tuple[str, str], ...] | None = None,
    ) -> Decision:
        path = path_of(inst) if path is None else path
        trace: list[Step] = []
        kind = cp.info.kind
        # Only deadlines and targets count days: they get a calendar that notes assumed years.
        counts_days = kind in ("deadline", "target")
        if counts_days:
            self.calendar = self.base_calendar.tracked()
        extra: dict[str, Any] = {}
        missing: set[str] = set()
        try:
            failed, missing = self.conditions(cp, env, trace)
            failed, missing = self.exclusive_gate(cp, path, failed, missing, trace)
            if kind == "award" and not failed:
                # 择优支持不超过 N 个: a rank below the quota fails like a condition.
                shown = trace if self.explain else None
                no, wait, tie = quota_check(cp.info, self.checked, env, shown, self.ranks(cp))
                if tie:
                    raise Undecided(tie)
                failed, missing = ([no], set()) if no else (failed, missing | wait)
            if kind == "award" and not failed and not missing:
                failed = self.once(cp, inst, trace, path)
            if kind == "award" and not failed and not missing:
                top = highest_only(cp.info, self.checked, env, self.accounts, path)
                if top is not None and top.failed:
                    trace.append(Step("tiers", top.failed, False))
                    failed = [top.failed]
            if failed:
                status = "not_eligible"
            elif missing:
                status = "unknown"
                held = reserve_unknown(cp, env, path, self.accounts) if kind == "award" else None
                if held is not None and self.explain:
                    trace.append(held)
            elif kind == "award":
                status, extra = "eligible", self.award(cp, inst, env, trace, path)
            elif kind == "deadline":
                status, extra = self.deadline(cp, env, trace)
            elif kind == "target":
                status, extra = self.target(cp, env, trace)
            else:
                status = "eligible"
                extra = {"consequence": cp.info.consequence}
                if self.explain:
                    trace.append(Step("consequence", cp.info.consequence or "", True))
        except (Undecided, CalendarError) as exc:
            why = _calendar_gap(exc) if isinstance(exc, CalendarError) else exc
            status, extra = "unknown", {}
            failed = [why.reason + (f" ({why.hint})" if why.hint else "")]
            trace.append(Step("undecided", failed[0], None))
        if counts_days and self.calendar.assumed:
            trace.append(Step("calendar", self.calendar.note(self.calendar.assumed), None))
            self.assumed_years |= self.calendar.assumed
        extra["path"] = path
        extra.update(self.exclusive_extra(cp, path))
        return self.decision(cp, inst, env, status, failed, missing, trace, extra, counts_days)

    def exclusivity_plan(self, ledger: Ledger) -> dict[Claimed, Verdict]:
        """Decide the awards of every exclusive group on their own; what :func:`plan` makes
        of them (this run is the first pass: no explanations, supersession applied)."""
        bound = self.checked.exclusivity.bound()
        served = self.serve_awards()
        paths = {}
        decisions = []
        for cp in self.policy.provisions:
            if cp.info.id in bound:
                decisions.extend(served[cp.info.id])
                for inst in self.subjects(cp):
                    path = path_of(inst)
                    paths[(cp.info.id, "/".join(i for _, i in path))] = path
        return plan(self.checked, first_pass_claims(decisions, paths), ledger)

    def ranks(self, cp: CompiledProvision) -> QuotaRanks:
        """The ranks of every subject of ``cp``'s quota in this evaluation, found once."""
        if cp.info.id not in self._ranks:
            found = [i for i in self.subjects(cp) if i is not None]
            self._ranks[cp.info.id] = quota_ranks(cp.info, self.checked, found)
        return self._ranks[cp.info.id]

    def once(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        trace: list[Step],
        path: tuple[tuple[str, str], ...],
    ) -> list[str]:
        if inst is None:
            return []
        chain = inst.chain()
        for o in cp.info.once:
            owner = chain.get(o.entity)
            if cp.schedule is not None and self.accounts.granted_to(cp.info.id, path):
                continue  # 一次性, paid over time: its own later years are not a second award
            if owner is not None and self.accounts.paid_before(
                cp.info.id, scope_of(path, (o.entity,))
            ):
                text = (
                    f"once per {o.entity} (一次性): {o.entity} {owner.id} was already "
                    f"granted under {cp.info.id}"
                )
                trace.append(Step("once", text, False))
                return [text]
            if self.explain:
                trace.append(Step("once", f"once per {o.entity}: not granted before", True))
        return []

    # ---- awards --------------------------------------------------------------------------

    def award(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        trace: list[Step],
        path: tuple[tuple[str, str], ...],
    ) -> dict[str, Any]:
        assert inst is not None
        if cp.schedule is not None:  # paid over time: a grant per year (.instalments)
            return scheduled_award(self, cp, env, trace, path)
        assert cp.amount is not None
        explain = self.explain
        low: Money | None = None
        noted = len(env.notes)
        if cp.bounds is not None:  # a range, a minimum, a rounding: bounds before the caps
            low, value, needed = cp.bounds.requested(env, trace if explain else None)
            missing: set[str] = set(needed)
        else:
            value = cp.amount(env)
            missing = set(value.missing) if isinstance(value, Unknown) else set()
        requested = value if isinstance(value, Money) else None
        if explain:  # the defines and progressive bands the amount read
            trace.extend(Step("amount", n, None) for n in dict.fromkeys(env.notes[noted:]))
        if explain and cp.bounds is None:
            what = "decided amount" if cp.info.decided else "amount"
            needs = f" (needs {', '.join(sorted(missing))})" if missing else ""
            trace.append(Step("amount", f"{what}: {format_value(value)}{needs}", None))
            trace.extend(tier_steps(cp.info, self.checked, env))
        if requested is not None and requested < Money.zero():
            # An award pays nothing below zero: a negative grant would give its pools back.
            trace.append(Step("amount", f"{format_value(requested)} is below zero: 0.00 元", None))
            requested = Money.zero()
        if low is not None and low < Money.zero():
            low = Money.zero()
        # The amount is the subject's entitlement under this provision: what it was granted
        # before (any year) counts against it, and against its per-claim caps.
        before = self.accounts.granted_to(cp.info.id, path)
        top = highest_only(cp.info, self.checked, env, self.accounts, path)
        if top is not None and before:
            # highest_only: a higher tier is paid in full, the tiers paid before aside.
            trace.append(
                Step(
                    "tiers",
                    f"highest_only: tier {top.tier} paid in full, "
                    f"{format_value(before)} granted before under lower tiers",
                    None,
                )
            )
        elif before:
            text = f"already granted {format_value(before)} under this provision"
            if requested is not None:
                rest = max(requested - before, Money.zero())
                text += (
                    f": pays the rest {format_value(rest)} "
                    f"({format_value(requested)} − {format_value(before)}, at least 0.00 元)"
                )
                requested = rest
            trace.append(Step("entitlement", text, None))
            if low is not None:
                low = max(low - before, Money.zero())
        capped = apply_caps(cp, env, path, requested, before, self.accounts)
        missing |= capped.missing
        unplaced = self.order_held(cp, path, None if capped.any_year else capped.keys)
        if unplaced is not None:  # its place in the order unknown: as early as it could be
            trace.append(hold_step(unplaced, capped.amount))
        amount = capped.amount
        amount_min = None
        untrimmed: set[str] | None = None
        if amount is None:
            kind = "unknown"
        elif low is not None or (capped.ranged and requested is not None):
            # a range, or a cap whose exception may apply (its limit between two amounts)
            floor = low if low is not None else requested
            assert floor is not None
            # What only moves a cap between its limits does not keep an amount both limits
            # give from being exact.
            bounds = (amount, capped.lowest, capped.missing - capped.ranged)
            untrimmed = missing
            kind, amount_min, missing = interval(floor, bounds, missing, trace if explain else None)
        else:
            exact = requested is not None and not missing and capped.lowest == amount
            kind = "exact" if exact else "up_to"
        own_kind = kind
        bounded = cp.bounds is not None or any(c.exceptions for c in cp.info.caps)
        if unplaced is not None and amount is not None and (amount or not bounded):
            # Only a bound: its earliest place's amount.  (A bounded award cut to 0.00 元
            # there is 0.00 元 wherever it is served: its own kind stands; as the SQL.)
            kind, amount_min = "up_to", None
            # Every fact its amount read is listed, as the SQL window lists them for such a
            # claim, even one an interval closed at its earliest place left out (listing
            # more, never fewer; a finer list needs the window's own kind before the hold).
            missing = untrimmed | unplaced if untrimmed is not None else missing | unplaced
        settled = kind
        kind, amount_min = self.exclusive_bound(cp, path, kind, amount_min, trace)
        rival = kind != settled  # an exclusive group's rival may still win (就高)
        once_by = once_holder(cp, path, self.accounts)
        if once_by is not None and kind in ("exact", "range") and amount:
            # 一次性 per an owner an earlier undecided claim of it may take: at most this.
            kind, amount_min = "up_to", None
            trace.append(once_step(once_by))
        caps = capped.caps
        if explain:
            trace.extend(Step("cap", cap_line(ev), not ev.binding) for ev in caps)
        subject = "/".join(i for _, i in path)
        # Why an undecided claim holds its bound, in its caps and its one-time award alike
        # (runtime/holds.py): its own amount unsettled; exact wherever it is served, only its
        # place unknown; exact, but a rival of its exclusive group (就高) may still win, or an
        # earlier claim may take its one-time award; else its amount is not settled.
        why = (
            "order"
            if own_kind == "exact" and unplaced is not None
            else "exclusive"
            if own_kind == "exact" and rival
            else "once"
            if own_kind == "exact" and once_by is not None
            else "amount"
        )
        if amount is not None and capped.keys:
            held = None if kind == "exact" else (cp.info.id, why)
            for key in capped.keys:
                self.accounts.add(key, subject, amount, certain=kind == "exact", held=held)
        if amount is None and capped.keys:
            # Nothing bounds it (its amount and its caps' limits unknown): it may take all.
            for key in capped.keys:
                self.accounts.hold_open(key, subject, (cp.info.id, "amount"))
        if capped.any_year:
            # Its year unknown: it may count in any year, and holds its bound in each.
            for pool, scope in capped.any_year:
                self.accounts.hold_any_year(pool, scope, subject, amount, (cp.info.id, "year"))
        if kind != "exact" and (amount is None or amount):
            hold_once(cp, path, self.accounts, amount, why)
        if kind == "exact" and amount:
            # 0.00 元 is not a payment: no grant, and a one-time award stays open.
            for o in cp.info.once:
                self.accounts.mark_paid(cp.info.id, scope_of(path, (o.entity,)))
            tier = top.tier if top is not None else None
            self.grants.append(Grant(cp.info.id, path, amount, capped.year, tier=tier))
            self.accounts.grant(cp.info.id, path, amount)
        if explain:
            label = {"exact": "award", "up_to": "award up to", "unknown": "award unknown"}
            if kind == "range":
                text = f"award at least {format_value(amount_min)}, at most {format_value(amount)}"
            else:
                text = f"{label[kind]}: {format_value(amount)}"
            trace.append(Step("result", text, None))
        if missing:
            # The conditions too: once an amount's fact is given, a `known()` in them may turn.
            fns = [c.fn for c in cp.conditions]
            fns += [cp.amount, *(c.limit for c in cp.caps), *(c.year for c in cp.caps if c.year)]
            missing = self.settle(cp, env, fns, missing)
        extra: dict[str, Any] = {
            "amount": amount,
            "amount_kind": kind,
            "caps": caps,
            "missing": missing,
        }
        if once_by is not None and kind == "up_to":
            extra["held_by"] = (once_by,)
        if amount_min is not None:
            extra["amount_min"] = amount_min
        return {**extra, "granted_before": before or None}

    def order_held(
        self,
        cp: CompiledProvision,
        path: tuple[tuple[str, str], ...],
        keys: tuple[ScopeKey, ...] | None,
    ) -> frozenset[str] | None:
        """The missing order facts of a claim served at its earliest place in a pool it
        shares with other claims (.order_hold; empty for a key that cannot be computed);
        ``None`` for every other claim.  ``keys``: the accounts it drew on (``None``: any
        its `per` caps may draw on, for a payment schedule)."""
        held = self.order_unknown.get((cp.info.id, path)) if self.order_unknown else None
        if held is None or keys == ():
            return None
        if self._members is None:
            self._members = pool_members(self.policy)
        return held if shares_pool(cp, path, self._members, keys) else None


_TIMED = ("award", "deadline", "target")


def _calendar_gap(exc: CalendarError) -> Undecided:
    """A year with no schedule (E501), or none projected (E502): this decision is unknown."""
    d = exc.diagnostics[0]
    return Undecided(f"{d.code}: {d.message}", hint=d.hint)
