"""Evaluate a compiled policy on facts and a ledger: pure, deterministic, traced.

Claims are served in their provisions' declared ``order by`` (then by the subject's path,
ids in natural order, then by provision id), across every provision linked to them through
shared pools, so a cap (per firm per year, per product...) is shared the same way whatever
order the files list the provisions in or the facts list the items in; the trace says who
was cut and why.  The caps of a claim apply in the order written, each with its own cut.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from ...bounds import paused_gc
from ...errors import CalendarError
from ...explain_zh_refused import RefusedZh
from ...facts import Facts, Instance
from ...model import CheckedPolicy
from ...result import Decision, Result, Step
from ...runtime.calendar import HOLIDAY_ASSUMPTION, WorkCalendar
from ...runtime.ledger import Accounts, Grant, Ledger, LedgerIndex
from ...runtime.money import Money
from ...runtime.values import Undecided, Value
from ...words import Words
from .assumed import listed_assumptions
from .award import Awards
from .claims import (
    path_of,
    scope_of,
)
from .compile import CompiledPolicy, CompiledProvision, Env
from .conditions import Conditions
from .decision import DecisionMaker
from .exclusive import Claimed, Verdict, first_pass_claims, plan
from .exclusive_run import ExclusiveHooks
from .fastpath import FastClaims
from .lean import LeanAward
from .limits import LimitSeat, Places, limit_check, take_place
from .memos import Learnt, Memo
from .once_hold import once_refused
from .reserve import reserve_unknown
from .rows import Row, grant_of
from .tiers import QuotaRanks, highest_only, quota_check, quota_ranks
from .timelimits import TimeLimits

__all__ = ["Undecided", "evaluate", "index_ledger", "ledger_pools"]

_NO_NAMES: frozenset[str] = frozenset()
_ROWS = frozenset({tuple})  # the type of a fast path's row
_LAST = itemgetter(-1)  # a row's assumptions read


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
    parameters_given: Collection[str] = (),
) -> Result:
    """Every decision of ``policy`` for ``facts``; nothing outside the arguments is read.

    ``as_of`` is the day the evaluation speaks for: a deadline with no completion date is
    overdue (``not_met``) once it has passed, pending before.  No clock is read.  With
    ``explain`` false the decisions carry no trace, reasons, facts read or parameter values
    (none is built); every status, amount, missing fact, cap and grant is the same.
    ``index``: :func:`index_ledger` of ``policy`` and ``ledger``, if the caller keeps one.
    ``parameters_given``: the names of ``parameters`` the caller set (the others are the
    policy's defaults), which each decision names (``Decision.parameters_set``)."""
    given = frozenset(parameters_given) if parameters_given else _NO_NAMES
    pools = policy.pools
    index = index if index is not None else LedgerIndex(ledger, pools)
    verdicts = None
    if policy.exclusive:
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
            given,
        )
        verdicts = first.exclusivity_plan(ledger)
    accounts = Accounts(index, pools)
    run = _Run(
        policy, facts, accounts, parameters, assumptions, calendar, as_of, explain, verdicts, given
    )
    decisions: list[Decision | Row] = []
    starts: dict[str, int] = {}  # where each provision's decisions start
    # Without the cyclic collector, which would walk every decision made so far again and
    # again (about 40% of the time of 10^4 claims): decisions, caps and accounts hold no
    # cycles and are freed by reference counting; the few an undecided condition makes (an
    # exception kept with its frame) wait for the next collection.  What survives (rows,
    # decisions, accounts) joins the oldest generation, as the result lives on.
    with paused_gc(promote=True):
        served = run.serve_awards()
        for cp in policy.provisions:
            starts[cp.info.id] = len(decisions)
            decisions.extend(served[cp.info.id] if cp.info.id in served else run.provision(cp))
    names, lean = _read(decisions)  # lean: a lean award's claims among them (unfold)
    if run.assumed_years:
        listed = [*listed_assumptions(policy, names, assumptions)]
        listed.append((HOLIDAY_ASSUMPTION, calendar.describe(run.assumed_years)))
        said_assumed = tuple(sorted(listed))
    else:
        said_assumed = listed_assumptions(policy, names, assumptions)
    grants = run.grants

    # Rows the fast path kept become decisions only now, when they are looked at; the
    # grants apart, and the texts (English, Chinese) without the decisions where they can.
    def made() -> tuple[Decision, ...]:
        with paused_gc(promote=True):
            run.order_steps(decisions, starts)  # (under its lock: another thread may be at it)
            materialise = run.materialise
            if not lean:
                return tuple([d if isinstance(d, Decision) else materialise(d) for d in decisions])
            # A lean award's rows, made by its replay, are all rows (the fused function run
            # without a general way: .lean._never): each made at once, in one list.
            out: list[Decision] = []
            for d in decisions:
                if isinstance(d, LeanAward):
                    out += [materialise(r) for r in d.replay()[0]]
                else:
                    out.append(d if isinstance(d, Decision) else materialise(d))
            return tuple(out)

    def granted() -> tuple[Grant, ...]:
        with paused_gc(promote=True):  # the result's grants live as long as it does
            if not lean:
                return tuple([grant_of(g) for g in grants])
            made: list[Grant] = []
            for g in grants:
                if isinstance(g, LeanAward):
                    made += g.grants()  # (from its record, each path made once per owner)
                else:
                    made.append(grant_of(g))
            return tuple(made)

    def grant_rows() -> list[Any]:  # each a Grant or its row, for the whole texts
        return list(unfold(1))

    def said(full: bool) -> list[Decision | str]:
        with paused_gc(promote=True):
            return run.said_en(unfold(0), full)

    def said_zh(words: Words) -> list[Decision | str | RefusedZh]:
        with paused_gc(promote=True):
            return run.said_zh(unfold(0), words)

    def unfold(which: int) -> Iterable[Any]:
        # A lean award's claims (.lean): its rows, made by one replay, or its grant rows,
        # from its own record; where none is among them (with explanations on, none is),
        # the lists themselves.
        if not lean:
            return grants if which else decisions
        return _unfolded(grants if which else decisions, which)

    if not run.explain:  # every row is made into its decision to be said: made once, kept
        return Result.deferred(made, granted, said_assumed)
    return Result.deferred(
        made, granted, said_assumed, texts=said, texts_zh=said_zh, grant_rows=grant_rows
    )


def _read(decisions: list[Any]) -> tuple[set[str], bool]:
    """The assumptions ``decisions`` read (each a decision, a row, a lean award), and
    whether a lean award is among them."""
    if _ROWS.issuperset(map(type, decisions)):  # rows only (the most): one union of them all
        return set().union(*map(_LAST, decisions)), False
    names: set[str] = set()
    lean = False
    for d in decisions:
        if type(d) is tuple:  # a row: its assumptions read, last
            names |= d[-1]
        elif isinstance(d, Decision):
            names.update(a for a, _ in d.assumptions)
        elif isinstance(d, LeanAward):
            names |= d.used
            lean = True
        else:
            names |= d[-1]
    return names, lean


def _unfolded(items: list[Any], which: int) -> Iterator[Any]:
    """``items`` with each lean award's rows (``which`` 0) or grant rows (1) in its place
    (its grant rows made without a replay: :meth:`.lean.LeanAward.grant_rows`)."""
    for d in items:
        if isinstance(d, LeanAward):
            yield from (d.grant_rows() if which else d.replay()[0])
        else:
            yield d


def ledger_pools(policy: CompiledPolicy) -> Mapping[str, frozenset[str]]:
    """provision id -> the cap pools its grants count in (its own, and any shared)."""
    return policy.pools


def index_ledger(policy: CompiledPolicy, ledger: Ledger) -> LedgerIndex:
    """The earlier grants of ``ledger`` summed for ``policy``'s caps, once for many runs."""
    return LedgerIndex(ledger, policy.pools)


# DecisionMaker first: its decision and texts stand above the stubs of Rows (under FastClaims).
class _Run(DecisionMaker, Awards, Conditions, TimeLimits, FastClaims, ExclusiveHooks):
    # What the evaluation works out as it goes, each made when first read (Memo); their
    # types are those the mixins reading them declare.
    _assumption_texts: Learnt[dict[str, str]] = Learnt(dict)
    _ranks: Memo[dict[str, QuotaRanks]] = Memo(dict)
    places: Memo[Places] = Memo(Places)
    _shapes: Memo[dict[Any, Any]] = Memo(dict)
    order_unknown: Memo[dict[Any, Any]] = Memo(dict)
    unplaced: Memo[set[Any]] = Memo(set)
    _blank: Memo[dict[Any, Any]] = Memo(dict)
    _blank_conditions: Memo[dict[Any, Any]] = Memo(dict)
    _blank_reserve: Memo[dict[Any, Any]] = Memo(dict)
    _blank_keys: Memo[dict[Any, Any]] = Memo(dict)
    _paths: Memo[dict[Any, Any]] = Memo(dict)
    _blank_decided: Memo[dict[Any, Any]] = Memo(dict)
    _blank_said: Memo[dict[Any, Any]] = Memo(dict)
    _blank_unknown: Memo[dict[Any, Any]] = Memo(dict)
    holds: Memo[dict[Any, Any]] = Memo(dict)
    _static: Memo[dict[Any, Any]] = Memo(dict)
    _params: Memo[dict[str, tuple[tuple[str, str], ...]]] = Memo(dict)
    _params_set: Memo[dict[str, tuple[str, ...]]] = Memo(dict)
    _assumed: Learnt[dict[Any, Any]] = Learnt(dict)
    _unpaid: Memo[dict[Any, Any]] = Memo(dict)
    _held: Memo[dict[Any, Any]] = Memo(dict)
    _paid: Memo[dict[Any, Any]] = Memo(dict)
    _marks: Memo[dict[Any, Any]] = Memo(dict)
    _fixed: Memo[dict[Any, Any]] = Memo(dict)
    _said: Memo[dict[Any, Any]] = Memo(dict)
    _refused: Learnt[dict[Any, Any]] = Learnt(dict)
    _refused_zh: Learnt[dict[Any, Any]] = Learnt(dict)
    _titled_zh: Learnt[dict[Any, Any]] = Learnt(dict)
    _paid_zh: Learnt[dict[Any, Any]] = Learnt(dict)
    _last_paid_zh: Learnt[list[Any]] = Learnt(lambda: [None])
    _outside: Memo[dict[Any, Any]] = Memo(dict)
    _last_assumed: Learnt[list[Any]] = Learnt(lambda: [None])
    # ... and set when found (None: not yet).
    _members: dict[str, int] | None = None
    _printable: bool | None = None

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
        parameters_given: frozenset[str] = frozenset(),
    ) -> None:
        self.verdicts = verdicts
        self.policy = policy
        self.checked: CheckedPolicy = policy.checked
        self.facts = facts
        self.accounts = accounts
        self.parameters = parameters
        self.parameters_given = parameters_given
        self.assumptions = assumptions
        # Each decision that counts days gets its own tracked copy (decide): the unpublished
        # years it assumed are its own.  Nothing else counts days or reads them.
        self.base_calendar = calendar
        self.calendar = calendar
        self.assumed_years: set[int] = set()
        self.grants: list[Any] = []  # Grant, or a grant row of the fast path
        self.as_of = as_of
        self.explain = explain
        self.unordered = []
        self.order_lock = threading.Lock()
        # Worked out once per policy, read-only (CompiledPolicy).
        self.clauses = policy.clauses
        self.documents = policy.documents
        self.rate_facts = policy.rate_facts

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
        # awards, whose accounts the row keeps, gain from the fast path then, and the
        # subjects lacking every fact the conditions read (one decision kept: .blank_rows).
        fast = None if self.explain or kind in _TIMED else self.policy.fast.get(cp.info.id)
        if fast is None:
            if self.explain and kind not in _TIMED:
                made = self.blank_provision(cp)
                if made is not None:
                    return made
            return [self.decide(cp, inst, self.env(cp, inst)) for inst in self.subjects(cp)]
        return self.conditions_only(fast, cp, self.subjects(cp))

    def serve_awards(self) -> dict[str, list[Decision | Row]]:
        """Every award's decisions, by provision id, each list in the provision's own order.

        The claims of all the awards linked through shared pools are served in one
        pool-wide order (:func:`claim_key`), so which claim a pool cuts never depends on
        the order of the provisions in the files or of the items in the facts."""
        groups = self.policy.award_groups
        out: dict[str, list[Decision | Row]] = {cp.info.id: [] for g in groups for cp in g}
        for group in groups:
            self.serve_fast(group, out)
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
        seat: LimitSeat | None = None
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
            if kind == "award" and not failed and cp.info.limited:
                # 单个企业每年奖励人数不超过 N 人: the owner's places, in the claim order
                shown = trace if self.explain else None
                seat = limit_check(
                    cp.info, self.checked, env, path, self.accounts, self.places, shown
                )
                if seat is not None and seat.undecided:
                    raise Undecided(seat.undecided)
                if seat is not None and seat.failed:
                    failed = [seat.failed]
                elif seat is not None:
                    missing = missing | seat.missing
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
                seat_year = seat.key[2] if seat is not None else None
                status, extra = "eligible", self.award(cp, inst, env, trace, path, seat_year)
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
        if seat is not None and seat.failed is None:
            got, sure = extra.get("amount"), extra.get("amount_kind") == "exact"
            paid = status == "eligible" and sure and bool(got)
            # an amount up to 0.00 元 is never paid (``got != 0`` held for every Money)
            may_be = status == "unknown" or (
                status == "eligible" and not sure and got != Money.zero()
            )
            needs = frozenset(missing | extra.get("missing", set()))
            take_place(self.places, seat, path[-1][1], paid, may_be, needs)
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
            rivals = self.facts.rivals.get(cp.info.id)
            self._ranks[cp.info.id] = quota_ranks(cp.info, self.checked, found, rivals)
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
                text = once_refused(cp, o.entity, owner.id, self.accounts, path)
                trace.append(Step("once", text, False))
                return [text]
            if self.explain:
                trace.append(Step("once", f"once per {o.entity}: not granted before", True))
        return []


_TIMED = ("award", "deadline", "target")


def _calendar_gap(exc: CalendarError) -> Undecided:
    """A year with no schedule (E501), or none projected (E502): this decision is unknown."""
    d = exc.diagnostics[0]
    return Undecided(f"{d.code}: {d.message}", hint=d.hint)
