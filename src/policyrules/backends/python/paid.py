"""A paid award's decision made from a plan fixed once per provision and evaluation.

:mod:`.explained` makes the condition steps of a paid row (an amount, nothing missing, no
one-time rule refusing it) once per provision and reads its conditions' facts directly.
The amount's and the caps' closures were still run again for every claim, only to learn
the facts they read.  Where the amount and the caps are made of constructs whose closures
compute every operand, and each ``if`` among them decides on parameters, assumptions and
literals only (``year of if annual_cap_year = approval then approved_on else ...``:
fixed for a whole evaluation, so the branch taken is the same for every claim), the facts
they read are the same for every claim: learnt once, on the first paid claim, by running
the closures in a scratch :class:`~policyrules.exprs.Env`, then read directly for each
claim by the same :meth:`~policyrules.exprs.Env.fact` the closures call.  An amount that
is one fact (``amount decided launch_reward_decided``) is that fact's value; any other
amount's closure still runs (its value is per claim).  Anything else (a define, which
notes its value in the trace; a call; ``otherwise``; a cap's exception; a range or a
minimum; a payment schedule) keeps the general way of :mod:`.rows`.  The decision is the
same, field for field, text for text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from functools import partial
from operator import itemgetter
from typing import Any

import attrs

from ... import syntax as s
from ...decisions import Decision, Step
from ...instances import Instance
from ...model import CheckedPolicy
from ...runtime.money import Money, cn_text
from ...runtime.values import Undecided, Unknown, Value, date_text, format_value
from .compile import CompiledProvision, Env
from .explained import _ALL_OPERANDS, _NAMES, condition_facts, steps_held
from .rows_caps import cap_events_row, cap_lines_row, fact_texts, money_of, rare_text
from .trusted import deferred, step

__all__ = ["PaidPlan", "fixed_reads", "paid_decision", "paid_facts", "paid_plan", "shown_facts"]

_ABSENT = object()
_ID = itemgetter(1)  # a path's (entity, id) pair -> the id
_RUN_FIXED = frozenset({"parameter", "assumption", "member"})


@attrs.frozen
class PaidPlan:
    """What every paid claim of one provision shares in one evaluation: its decisions'
    fixed fields, the steps of its conditions and one-time rules, the facts its
    conditions, amount and caps read ``(entity, name)``, the assumptions the amount and
    caps read, the key of the fact that is the amount (``None``: the amount's closure
    runs), and the amount step's label."""

    static: dict[str, Any] = attrs.field(eq=False)
    steps: tuple[Step, ...]
    reads: tuple[tuple[str, str], ...]
    assumed: frozenset[str]
    amount_fact: str | None
    what: str
    # ``reads`` sorted by their key (``entity.name``) as a decision lists its facts, each
    # with its entity, name and whether it is a rate: the facts' texts made in one pass
    shown: tuple[tuple[str, str, str, bool], ...] = ()


def _fixed(e: s.Node, policy: CheckedPolicy, scope: str | None, *, run_only: bool) -> bool:
    """Whether ``e`` reads the same facts whatever their values: only constructs whose
    closures compute every operand, and ``if`` on parameters, assumptions and literals
    (``run_only``: names of facts refused too, as an ``if``'s condition must be)."""
    stack: list[s.Node] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, s.IfExpr):
            if not _fixed(node.cond, policy, scope, run_only=True):
                return False
            stack += [node.then, node.else_]
            continue
        if type(node) not in _ALL_OPERANDS:
            return False
        if isinstance(node, s.Name):
            r = policy.resolve(node.parts, scope)
            kinds = _RUN_FIXED if run_only else _NAMES
            if r is None or r.kind not in kinds:
                return False
            continue
        if run_only and isinstance(node, s.InForce):
            return False  # reads the subject's date
        stack.extend(s.children(node))
    return True


def fixed_reads(cp: CompiledProvision, policy: CheckedPolicy) -> bool:
    """Whether the amount and the caps of ``cp`` read the same facts for every claim of
    one evaluation (see the module's docstring)."""
    info = cp.info
    if (
        cp.bounds is not None
        or cp.schedule is not None
        or (info.amount is None and not info.decided)
    ):
        return False
    scope = info.subject
    exprs: list[s.Node] = [info.amount.expr] if info.amount is not None else []
    for cap in info.caps:
        if cap.exceptions:
            return False
        exprs.append(cap.limit)
        if cap.year_of is not None:
            exprs.append(cap.year_of)
    return all(_fixed(e, policy, scope, run_only=False) for e in exprs)


def paid_plan(
    cp: CompiledProvision,
    policy: CheckedPolicy,
    env: Env,
    static: dict[str, Any],
    rates: Container[str] = frozenset(),
) -> PaidPlan | None:
    """The plan of ``cp``'s paid claims, learnt from one of them (``env``: its own, not
    read yet; ``rates``: the facts that are rates); ``None`` where the general way must
    make them."""
    facts = condition_facts(cp, policy)
    if facts is None or not fixed_reads(cp, policy):
        return None
    assert cp.amount is not None
    scratch = env.scratch()
    try:
        cp.amount(scratch)
        for cap in cp.caps:  # read as apply_caps reads them
            cap.limit(scratch)
            if cap.per and cap.year is not None:
                cap.year(scratch)
    except Undecided:
        return None
    if scratch.notes:
        return None
    reads = dict.fromkeys(facts)
    for read in scratch.reads:
        entity, name = read.split(".", 1)
        reads[(entity, name)] = None
    info = cp.info
    node = info.amount.expr if info.amount is not None else None
    if node is None and info.decided is not None:
        node = s.Name((info.decided.fact,))
    key: str | None = None
    if isinstance(node, s.Name):
        r = policy.resolve(node.parts, info.subject)
        if r is not None and r.kind == "fact":
            key = f"{r.entity or ''}.{r.name}"
    if key is not None and key not in scratch.reads:
        key = None  # not read as the closure reads it: the closure runs
    return PaidPlan(
        static,
        steps_held(cp),
        tuple(reads),
        frozenset(scratch.used_assumptions),
        key,
        "decided amount" if info.decided else "amount",
        tuple(sorted((f"{e}.{n}", e, n, f"{e}.{n}" in rates) for e, n in reads)),
    )


def shown_facts(
    inst: Instance, shown: tuple[tuple[str, str, str, bool], ...], want: str
) -> tuple[tuple[tuple[str, str], ...], Value | None]:
    """The facts of ``shown`` read from the subject ``inst`` as
    :meth:`Env.fact <policyrules.exprs.Env.fact>` records them in ``Env.reads`` (the
    values of an Env made for the subject, without the Env), with their texts as
    :func:`~.rows_caps.fact_texts` writes them (``shown`` is sorted), and the value of
    the fact ``want`` (``None``: not read)."""
    chain: dict[str, Instance] = {}
    at: Instance | None = inst
    while at is not None:  # Instance.chain(), inline
        chain[at.entity] = at
        at = at.parent
    out: list[tuple[str, str]] = []
    found: Value | None = None
    for key, entity, name, rate in shown:
        holder = chain.get(entity)
        if holder is None:
            continue  # Env.fact records nothing then
        value: Any = holder.id if name == "id" else holder.values.get(name, _ABSENT)
        if value is _ABSENT:
            value = Unknown(frozenset({key}))
        if key == want:
            found = value
        kind = type(value)
        if kind is Money:
            out.append((key, cn_text(value.fen)))
        elif kind is dt.date:
            out.append((key, date_text(value)))
        elif kind is bool:
            out.append((key, "true" if value else "false"))
        else:
            out.append((key, rare_text(value, rate)))
    return tuple(out), found


def paid_facts(
    plan: PaidPlan,
    cp: CompiledProvision,
    inst: Instance,
    env_of: Callable[[CompiledProvision, Instance], Env],
    row: tuple[Any, ...],
    rates: Container[str],
) -> tuple[tuple[tuple[str, str], ...], set[str], Value] | None:
    """The facts the paid ``row`` of ``cp`` read for ``inst`` with their texts, the
    assumptions it used and the amount's value (see :func:`paid_decision`); ``None``:
    the general way makes it (the amount's closure noted a line)."""
    used = row[12] | plan.assumed
    if plan.amount_fact is not None:
        facts, value = shown_facts(inst, plan.shown, plan.amount_fact)
        if value is None:
            return None
        return facts, used, value
    env = env_of(cp, inst)
    env.used_assumptions |= used
    fact = env.fact
    for entity, name in plan.reads:
        fact(entity, name)
    assert cp.amount is not None
    value = cp.amount(env)
    if env.notes:
        return None
    return fact_texts(env.reads, rates), env.used_assumptions, value


def paid_decision(
    plan: PaidPlan,
    cp: CompiledProvision,
    inst: Instance,
    env_of: Callable[[CompiledProvision, Instance], Env],
    row: tuple[Any, ...],
    rates: Container[str],
    assumed_of: Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    params: tuple[tuple[str, str], ...],
) -> Decision | None:
    """The decision of the paid ``row`` of ``cp`` for ``inst`` (``env_of(cp, inst)``: a
    new Env of its subject, made only where the amount's closure runs); ``rates`` names the facts
    that are rates, ``assumed_of(used, False)`` gives the assumptions' texts, ``params``
    the parameters'.  ``None``: the general way makes it (the amount's closure noted a
    line)."""
    read = paid_facts(plan, cp, inst, env_of, row, rates)
    if read is None:
        return None
    facts, used, value = read
    amount, kind, caps, before, requested = row[4], row[5], row[6], row[7], row[8]
    lead = () if row[11] is None else (row[11],)
    later = partial(_trace, plan, lead, value, caps, amount, kind, before, requested)
    events = cap_events_row(caps, requested, amount)
    return deferred(
        plan.static,
        "/".join(map(_ID, row[2])),
        row[3],
        events[-1].granted if events else money_of(amount),
        kind,
        events,
        money_of(before) if before else None,
        facts,
        assumed_of(used, False),
        params,
        lead,
        later,
    )


def _trace(
    plan: PaidPlan,
    lead: tuple[Step, ...],
    value: Value,
    caps: Any,
    amount: int,
    kind: str,
    before: int,
    requested: int,
) -> tuple[Step, ...]:
    """The trace of a paid decision, as the general way writes it: made when first read."""
    trace = [*lead, *plan.steps]
    if type(value) is Money:
        said = cn_text(value.fen)
        below = value.fen < 0
    else:
        said = format_value(value)
        below = isinstance(value, Money) and value.fen < 0
    trace.append(step("amount", f"{plan.what}: {said}", None))
    asked = said
    if below:
        trace.append(step("amount", f"{said} is below zero: 0.00 元", None))
        asked = "0.00 元"
    if before:
        trace.append(
            step(
                "entitlement",
                f"already granted {cn_text(before)} under this provision: pays the rest "
                f"{cn_text(requested)} ({asked} − {cn_text(before)}, at least 0.00 元)",
                None,
            )
        )
    cap_lines_row(caps, trace)  # (the decision's events are made)
    label = "award" if kind == "exact" else "award up to"
    trace.append(step("result", f"{label}: {cn_text(amount)}", None))
    return tuple(trace)
