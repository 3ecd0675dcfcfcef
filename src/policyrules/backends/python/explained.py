"""A paid award's row explained without running its conditions' closures again.

:meth:`~policyrules.backends.python.rows.Rows.materialise` explains a row by running the
provision's closures again (the facts they read, the steps and reasons they give).  For the
frequent case, an award the fast path paid (an amount, nothing missing, no one-time rule
refusing it), the conditions all held, so their steps are the same for every such claim
(each condition's text, held; then each one-time rule's): made once per provision here
(:func:`steps_held`).  What still differs from claim to claim is which facts they read and
their values.  Where every condition is made only of constructs whose closures compute
all their operands (no ``if``, ``otherwise``, call or define: :func:`condition_facts`), the
facts read are the same for every claim and are read directly, by the same
:meth:`~policyrules.exprs.Env.fact` the closures call; otherwise the conditions' closures
run as the general way runs them, without its bookkeeping, and any that does not give
exactly ``True``, raises or notes a define's line sends the caller the general way
(:func:`held_steps`).  Either way the decision is the same, field for field, text for text.
"""

from __future__ import annotations

from ... import syntax as s
from ...decisions import Step
from ...model import CheckedPolicy
from ...runtime.values import Undecided
from .compile import CompiledProvision, Env

__all__ = ["Held", "condition_facts", "held_steps", "steps_held"]

# The steps of a claim whose conditions held, and the facts its conditions read (None:
# not known before they run).
Held = tuple[tuple[Step, ...], tuple[tuple[str, str], ...] | None]

# Expressions whose closures (policyrules.exprs.compile_expr) compute every operand, so
# read the same facts whatever the values; a name is checked on its own (not a define).
_ALL_OPERANDS: frozenset[type[s.Node]] = frozenset(
    {s.MoneyLit, s.RateLit, s.DurationLit, s.NumberLit, s.DateLit, s.BoolLit, s.StringLit}
    | {s.SetLit, s.BinOp, s.Of, s.Compare, s.IsNone, s.And, s.Or, s.Not, s.Neg, s.InSet}
    | {s.InForce, s.Name}
)
_NAMES = frozenset({"fact", "parameter", "assumption", "member"})


def steps_held(cp: CompiledProvision) -> tuple[Step, ...]:
    """The steps of a claim of ``cp`` whose conditions all held and which no one-time rule
    refused: each condition's text, held, then each one-time rule's, as
    ``Conditions.conditions`` and ``Rows._explained`` write them."""
    steps = [Step("condition", cond.text, True) for cond in cp.conditions]
    steps += [Step("once", f"once per {o.entity}: not granted before", True) for o in cp.info.once]
    return tuple(steps)


def condition_facts(
    cp: CompiledProvision, policy: CheckedPolicy
) -> tuple[tuple[str, str], ...] | None:
    """The facts ``(entity, name)`` the conditions of ``cp`` read, whatever their values;
    ``None`` when a condition holds a construct that reads some operands only for some
    values (``if``, ``otherwise``, a call such as ``known()``) or a define (which notes
    its value in the trace)."""
    found: dict[tuple[str, str], None] = {}
    for cond in cp.conditions:
        stack: list[s.Node] = [cond.expr]
        while stack:
            node = stack.pop()
            if type(node) not in _ALL_OPERANDS:
                return None
            if isinstance(node, s.Name):
                r = policy.resolve(node.parts, cp.info.subject)
                if r is None or r.kind not in _NAMES:
                    return None
                if r.kind == "fact":
                    found[(r.entity or "", r.name)] = None
                continue
            stack.extend(s.children(node))
    return tuple(found)


def held_steps(cp: CompiledProvision, env: Env, held: Held) -> list[Step] | None:
    """The trace of a paid claim of ``cp`` so far (a new list), once the facts its
    conditions read are read in ``env``: directly when ``held`` knows them, else by
    running the conditions; ``None`` when one of those gives anything but ``True``,
    raises :class:`Undecided`, or notes a define's line (the general way then writes
    more, or other, steps)."""
    steps, facts = held
    if facts is not None:  # a paid row's conditions held: their reads are all that is left
        fact = env.fact
        for entity, name in facts:
            fact(entity, name)
        return list(steps)
    try:
        for cond in cp.conditions:
            if cond.fn(env) is not True:
                return None
    except Undecided:
        return None
    if env.notes:
        return None
    return list(steps)
