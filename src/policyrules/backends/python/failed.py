"""A claim a condition refused, explained without the general way's bookkeeping.

With explanations, :meth:`~policyrules.backends.python.rows.Rows.materialise` makes a row
the fast path did not pay the general way: a new Env, the conditions run with their
traced bookkeeping (:meth:`~policyrules.backends.python.conditions.Conditions.conditions`),
then the evaluator's ``decision`` with its merges of missing facts, its sorts and its
attrs copy.  For the frequent case among them, a claim some condition held false (no fact
missing, nothing undecided, no define noted), the steps are one of two per condition
(held or not: made once per provision and shared, a :class:`~policyrules.decisions.Step`
is immutable) and the decision's fixed fields are the provision's: made here directly,
field for field the general way's.  Anything else (a condition unknown or undecided, a
define's line, no condition false: a one-time rule or an exclusive group refused it)
returns ``None`` and keeps the general way.

Where the facts a provision's conditions read do not depend on their values, two claims
with the same values of those facts (and the same assumptions read before) are refused
for the same reasons, having read the same facts: :func:`refusal_key` is what the texts
of a claim refused can depend on, so an evaluation reasons each key once (and the compiled
policy keeps what it said for the next evaluation on the defaults: ``.rows_said``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from decimal import Decimal
from typing import Any

from ...decisions import Decision, Step
from ...instances import Instance
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown
from .compile import CompiledProvision, Condition, Env
from .rows_caps import fact_texts
from .trusted import decision

__all__ = ["Refusals", "condition_steps", "failed_decision", "failed_reasons", "refusal_key"]

# A provision's condition steps: for each condition, its step when it held and when not.
Marks = tuple[tuple[Step, Step], ...]


def condition_steps(cp: CompiledProvision) -> Marks:
    """Each condition's two steps, as ``Conditions.conditions`` writes them."""
    return tuple(
        (Step("condition", c.text, True), Step("condition", c.text, False)) for c in cp.conditions
    )


# What a refused claim's text says beyond its subject, by its refusal_key: its reasons and
# its text's lines after the head (texts.refused_body); None: the general way says it.
Refusals = dict[tuple[Any, ...], tuple[list[str], str] | None]

_ABSENT = object()
# The kinds of value a key holds as they are: equal values of one kind are written alike.
_AS_IS = frozenset({Money, bool, dt.date, str})
_TEXT = frozenset({str})  # the type of each item of a set keyed (text)


def refusal_key(
    facts: tuple[tuple[str, str], ...], inst: Instance, used: set[str]
) -> tuple[Any, ...] | None:
    """All that the reasons, facts read and assumptions of a claim of ``inst`` refused by
    a condition can depend on in one evaluation, where its conditions read ``facts``
    (``(entity, name)``, whatever their values: ``explained.condition_facts``) and the
    claim read the assumptions ``used`` before: ``used``, and each fact's value as an Env
    of ``inst`` reads it, with its kind.  Claims of equal keys have equal texts but for
    the subject.  A number is keyed by its digits (``1.0`` equals ``1``, its text does
    not); ``None`` where a value is of a kind not keyed (a duration, a set of other than
    text, stated none): the claim is said on its own."""
    key: list[Any] = [frozenset(used)]
    # The claim's own facts (most) read from it; the chain of its owners made only for
    # an owner's fact, or where an owner is of its own entity (chain() keeps the outermost).
    own, parent = inst.entity, inst.parent
    alone = parent is None or (parent.parent is None and parent.entity != own)
    chain: dict[str, Instance] | None = None
    holder: Instance | None
    for entity, name in facts:
        if alone and entity == own:
            holder = inst
        else:
            if chain is None:
                chain = inst.chain()
            holder = chain.get(entity)
            if holder is None:
                key.append(_ABSENT)
                continue
        value = holder.id if name == "id" else holder.values.get(name, _ABSENT)
        kind = type(value)
        if kind in _AS_IS or value is _ABSENT:  # (most)
            pass
        elif kind is Decimal:
            value = str(value)
        elif kind is not frozenset or not set(map(type, value)) <= _TEXT:
            return None
        key += (kind, value)
    return tuple(key)


def failed_reasons(
    cp: CompiledProvision,
    env: Env,
    row: tuple[Any, ...],
    marks: Marks,
    why_not: Callable[[Condition, Env, list[str]], str],
) -> tuple[list[str], list[Step]] | None:
    """The reasons the not eligible ``row`` of ``cp`` was refused and the trace's steps,
    its conditions run in ``env`` (a new Env of its subject, the row's assumptions in it);
    ``None`` where the general way must make its decision (see the module's docstring)."""
    trace: list[Step] = [] if row[11] is None else [row[11]]
    failed: list[str] = []
    reads = env.reads
    # Only the first false condition's assumptions are the row's (Conditions.conditions).
    outer, first = env.used_assumptions, None
    try:
        for cond, (held, refused) in zip(cp.conditions, marks, strict=True):
            before = len(reads)
            mine: set[str] = set()
            env.used_assumptions = mine
            value = cond.fn(env)
            if isinstance(value, Unknown) or env.notes:
                return None
            if value:
                trace.append(held)
            else:
                trace.append(refused)
                failed.append(why_not(cond, env, list(reads)[before:]))
                first = mine if first is None else first
    except Undecided:
        return None
    finally:
        env.used_assumptions = outer
    if first is None:
        return None
    outer |= first
    return failed, trace


def failed_decision(
    cp: CompiledProvision,
    env: Env,
    row: tuple[Any, ...],
    marks: Marks,
    why_not: Callable[[Condition, Env, list[str]], str],
    static: dict[str, Any],
    rates: Container[str],
    assumed_of: Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    params: tuple[tuple[str, str], ...],
) -> Decision | None:
    """The decision of the not eligible ``row`` of ``cp`` (``env``: a new Env of its
    subject, the row's assumptions in it), its conditions run in ``env``; ``None`` where
    the general way must make it (see the module's docstring)."""
    found = failed_reasons(cp, env, row, marks, why_not)
    if found is None:
        return None
    failed, trace = found
    return decision(
        static,
        "/".join([i for _, i in row[2]]),
        row[3],
        None,
        None,
        tuple(failed),
        (),
        None,
        fact_texts(env.reads, rates),
        assumed_of(env.used_assumptions, False),
        params,
        tuple(trace),
    )
