"""Compile a checked policy into evaluators: Python closures built once, run many times.

The closures of expressions come from :mod:`policyrules.exprs`; this module groups them by
provision (conditions, amount, caps, order, period) for the evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ... import syntax as s
from ...check_pools import pool_components
from ...exprs import Env, Fn, compile_expr
from ...model import CheckedPolicy, ClauseInfo, DocumentInfo, ProvisionInfo
from ...printer import print_cap, print_expr, print_schedule
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, Value, format_value
from ...typing_rules import ExprTyper, Usage
from .amounts import Bounds, compile_bounds
from .codegen import FastProvision, fast_provision
from .exceptions import cap_limit
from .fused import fused_award, policy_known
from .lean import lean_award
from .schedule import CompiledSchedule, compile_schedule

__all__ = [
    "CompiledCap",
    "CompiledPolicy",
    "CompiledProvision",
    "Condition",
    "Env",
    "Fn",
    "compile_expr",
    "compile_policy",
]


@attrs.frozen
class Condition:
    """One conjunct of an ``eligible when`` line, with its text for the trace."""

    text: str
    fn: Fn
    expr: s.Expr
    operand: Fn | None = None  # for `d in force`: the date, to say which date was outside


@attrs.frozen
class CompiledCap:
    text: str
    limit: Fn
    per: tuple[str, ...]
    year: Fn | None
    pool: str
    # The limit in fen where it is written as an amount and no exception raises it: every
    # claim of an account of the cap is cut against it (a shared pool's caps write one
    # limit, E231, and take no exception, E286); None: reckoned per claim, or raised.
    ceiling: int | None = None


@attrs.frozen
class CompiledProvision:
    info: ProvisionInfo
    conditions: tuple[Condition, ...]
    amount: Fn | None
    caps: tuple[CompiledCap, ...]
    order: tuple[Fn, ...]
    due: tuple[Fn, Fn] | None
    done: Fn | None
    require: Condition | None
    # A target's comparison (op, left, right) and whether it compares rates (said as 89.9%).
    margin: tuple[str, Fn, Fn, bool] | None
    # A range, a minimum or a declared rounding (see .amounts); the general way only.
    bounds: Bounds | None = None
    # Paid over time (see .schedule, .instalments); the general way only.
    schedule: CompiledSchedule | None = None


@attrs.frozen
class CompiledPolicy:
    """A checked policy plus its evaluators and the defaults of its open values; ``fast``
    holds, by provision id, the generated functions of the provisions that have them
    (:mod:`~policyrules.backends.python.codegen`)."""

    checked: CheckedPolicy
    provisions: tuple[CompiledProvision, ...]
    parameter_defaults: Mapping[str, Value]
    assumption_defaults: Mapping[str, Value]
    fast: Mapping[str, FastProvision] = attrs.field(factory=dict)
    # By award id: the one function serving all its claims (.fused), where it has one.
    fused: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    # By fused award id: its lean function, for evaluations without explanations (.lean).
    lean: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    # What every evaluation looks up and no facts change, worked out once from the fields
    # above (again by attrs.evolve) and shared read-only by every evaluation (.evaluate):
    # by provision id, the cap pools its grants count in (its own, and any shared) ...
    pools: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)
    # ... the awards linked through shared pools, group by group (check_pools), in order ...
    award_groups: tuple[tuple[CompiledProvision, ...], ...] = attrs.field(
        init=False, eq=False, repr=False
    )
    # ... the clauses by id, the documents by name, and the facts that are rates
    # (``product.subsidy_rate``), for the decisions' fields and texts.
    clauses: Mapping[str, ClauseInfo] = attrs.field(init=False, eq=False, repr=False)
    documents: Mapping[str, DocumentInfo] = attrs.field(init=False, eq=False, repr=False)
    rate_facts: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    # ... whether the policy has exclusive groups or supersessions (.exclusive) ...
    exclusive: bool = attrs.field(init=False, eq=False, repr=False)
    # ... the provisions that call ``known()`` anywhere (.conditions.settle) ...
    calls_known: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    # ... and each assumption's default as a result lists it (format_value).
    default_texts: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    # The assumptions a result lists when all are the defaults, by the names its decisions
    # read (.evaluate): each tuple made whole, then kept; a few kept.
    listed: dict[frozenset[str], tuple[tuple[str, str], ...]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )
    # What an evaluation learns of a provision once to explain its claims (.rows,
    # .rows_said: a paid plan, its lines, its conditions' steps, the refusals said),
    # kept for the next evaluation, by (what, provision id): what parameters or
    # assumptions change, only for evaluations on the defaults themselves.  Each entry
    # written whole, never changed (the refusals: added to, bounded).
    learnt: dict[tuple[str, str], Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    @pools.default
    def _pools(self) -> Mapping[str, frozenset[str]]:
        return MappingProxyType(
            {
                cp.info.id: frozenset({cap.pool for cap in cp.caps} | {cp.info.id})
                for cp in self.provisions
            }
        )

    @award_groups.default
    def _award_groups(self) -> tuple[tuple[CompiledProvision, ...], ...]:
        awards = {cp.info.id: cp for cp in self.provisions if cp.info.kind == "award"}
        groups = pool_components([cp.info for cp in awards.values()])
        return tuple(tuple(awards[info.id] for info in group) for group in groups)

    @clauses.default
    def _clauses(self) -> Mapping[str, ClauseInfo]:
        return MappingProxyType({c.id: c for c in self.checked.clauses})

    @documents.default
    def _documents(self) -> Mapping[str, DocumentInfo]:
        return MappingProxyType({d.name: d for d in self.checked.documents})

    @exclusive.default
    def _exclusive(self) -> bool:
        return bool(self.checked.exclusivity)

    @calls_known.default
    def _calls_known(self) -> frozenset[str]:
        return frozenset(cp.info.id for cp in self.provisions if _calls_known(cp.info.node))

    @default_texts.default
    def _default_texts(self) -> Mapping[str, str]:
        return MappingProxyType({n: format_value(v) for n, v in self.assumption_defaults.items()})

    @rate_facts.default
    def _rate_facts(self) -> frozenset[str]:
        return frozenset(
            f"{e.name}.{f.name}"
            for e in self.checked.entities
            for f in e.facts
            if f.type.kind == "rate"
        )


def compile_policy(policy: CheckedPolicy) -> CompiledPolicy:
    """Build the evaluators of every provision of a checked policy."""
    constants = Env({}, {}, {}, None)
    params = {
        p.name: compile_expr(p.default, policy, None)(constants)
        for p in policy.parameters
        if p.default is not None
    }
    assumptions = {
        a.name: compile_expr(a.default, policy, None)(constants) for a in policy.assumptions
    }
    infos = policy.provisions()
    # Claims an exclusivity rule may change are served the general way (.exclusive_run), as
    # are those of a one-time award per an owner an earlier claim may hold (.once_hold).
    slow = _exclusive_ids(policy) | {
        p.id for p in infos if any(o.entity != p.subject for o in p.once)
    }
    fast = {
        p.id: f for p in infos if p.id not in slow and (f := fast_provision(p, policy)) is not None
    }
    provisions = tuple(_provision(p, policy) for p in infos)
    # Here, not on first use: generated source runs when the policy is compiled, never
    # while facts are evaluated.
    fused: dict[str, Any] = {}
    lean: dict[str, Any] = {}
    if policy_known(policy):
        for cp in provisions:
            if cp.info.id in fast and (fn := fused_award(cp, policy)) is not None:
                fused[cp.info.id] = fn
                if (lean_fn := lean_award(cp, policy)) is not None:
                    lean[cp.info.id] = lean_fn
    return CompiledPolicy(policy, provisions, params, assumptions, fast, fused, lean)


def _exclusive_ids(policy: CheckedPolicy) -> frozenset[str]:
    """Members of exclusive groups and provisions a later document supersedes."""
    ex = policy.exclusivity
    gone = {p.id for p in policy.provisions() if ex.superseded(p.document, p.clause)}
    return ex.bound() | gone


def _conjuncts(e: s.Expr) -> list[s.Expr]:
    if isinstance(e, s.And):
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _provision(p: ProvisionInfo, policy: CheckedPolicy) -> CompiledProvision:
    def c(e: s.Expr) -> Fn:
        return compile_expr(e, policy, p.subject)

    conditions = tuple(
        Condition(
            print_expr(part),
            c(part),
            part,
            c(part.operand) if isinstance(part, s.InForce) else None,
        )
        for line in p.eligible
        for part in _conjuncts(line.condition)
    )
    amount: Fn | None = None
    if p.amount is not None:
        amount = c(p.amount.expr)
    elif p.decided is not None:
        amount = c(s.Name((p.decided.fact,)))
    bounds = compile_bounds(p, policy, amount)
    if bounds is not None:
        amount = bounds.main
    caps = tuple(
        CompiledCap(
            print_cap(cap),
            cap_limit(cap, c),
            cap.per,
            c(cap.year_of) if cap.year_of is not None else None,
            cap.shared or p.id,
            _ceiling(cap),
        )
        for cap in p.caps
    )
    require = margin = None
    if p.require is not None:
        cond = p.require.condition
        require = Condition(print_expr(cond), c(cond), cond)
        if isinstance(cond, s.Compare) and cond.op in ("<=", "<", ">=", ">"):
            typer = ExprTyper(policy, p.subject, None, lambda *_: None)
            rate = typer.type_of(cond.left, Usage()).kind == "rate"
            margin = (cond.op, c(cond.left), c(cond.right), rate)
    return CompiledProvision(
        info=p,
        conditions=conditions,
        amount=amount,
        caps=caps,
        order=tuple(_ordering(c(k)) for k in p.order),
        due=(c(p.due.period), c(p.due.start)) if p.due else None,
        done=c(p.done.date) if p.done else None,
        require=require,
        margin=margin,
        bounds=bounds,
        schedule=compile_schedule(p, c, print_schedule, policy),
    )


def _ordering(fn: Fn) -> Fn:
    """An `order by` key that cannot be computed sorts as an unknown one does: first, its
    claim held at that earliest place (.order_hold)."""

    def run(env: Env) -> Value:
        try:
            return fn(env)
        except Undecided:
            return Unknown(frozenset())

    return run


def _ceiling(cap: s.Cap) -> int | None:
    """:attr:`CompiledCap.ceiling` of ``cap``."""
    if cap.exceptions or not isinstance(cap.limit, s.MoneyLit):
        return None
    try:
        return Money.of(cap.limit.number, cap.limit.unit).fen
    except ValueError:  # a unit not in 元 (converted per claim), or refused when checked
        return None


def _calls_known(node: s.Node) -> bool:
    """Whether ``known()`` is called anywhere under ``node``."""
    stack: list[s.Node] = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, s.Call) and node.func == "known":
            return True
        stack.extend(s.children(node))
    return False
