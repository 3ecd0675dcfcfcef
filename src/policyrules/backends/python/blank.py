"""The value of an expression's closure for a subject that lacks every fact it reads.

Where a generated function cannot compute a value (a fact is not given), the fast path
(:mod:`.fastpath`, :mod:`.fast_reserve`) computes it by the expression's closure through a
fresh :class:`~policyrules.exprs.Env`, as the general way does.  When the subject lacks
*every* fact the expression can read (:func:`~.codegen.fact_reads`), the closure reads
nothing of the subject but that absence: its value (an unknown one, most often) and the
assumptions it reads are those of any other such subject, so they are computed once an
evaluation and kept (``memo``, the evaluation's own: assumptions and parameters are
fixed within it).  A closure that is undecided is not kept: it is computed each time, and
raises :class:`~policyrules.runtime.values.Undecided` each time.  The same holds of a
provision's conditions together (:func:`conditions_once`: their outcome for a subject
lacking every fact any of them reads), of what an award's claim of unknown eligibility
holds in its caps (:mod:`.fast_reserve`: its amount, limits and years together) and of each
`order by` key (:mod:`.fast_keys`).  This is the common case of a registry run, where most
firms lack most measures' facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ...instances import Instance
from ...runtime.values import Value
from .codegen import FastProvision, Reads
from .compile import CompiledProvision, Env, Fn

__all__ = ["closure_value", "conditions_once", "lacks_all"]


def lacks_all(reads: Reads, inst: Instance) -> bool:
    """Whether the subject ``inst`` (or its owner) lacks every fact of ``reads``."""
    for entity, name, _ in reads:
        owner: Instance | None = inst
        while owner is not None and owner.entity != entity:
            owner = owner.parent
        if owner is not None and name in owner.values:
            return False
    return True


def closure_value(
    memo: dict[Any, tuple[Value, frozenset[str]]],
    env_of: Callable[[CompiledProvision, Instance | None], Env],
    cp: CompiledProvision,
    inst: Instance,
    slot: tuple[str, int],
    fn: Fn,
    facts: Reads | None,
    used: set[str],
) -> Value:
    """The value of ``cp``'s closure ``fn`` (its ``slot``: which expression) for ``inst``,
    the assumptions it reads added to ``used``; kept in ``memo`` when ``inst`` lacks every
    one of ``facts``.  :raises Undecided: as the closure does."""
    blank = facts is not None and lacks_all(facts, inst)
    if blank:
        hit = memo.get((cp.info.id, slot))
        if hit is not None:
            used |= hit[1]
            return hit[0]
    env = env_of(cp, inst)
    value = fn(env)
    read = env.used_assumptions
    if blank:
        memo[(cp.info.id, slot)] = (value, frozenset(read))
    used |= read
    return value


_T = TypeVar("_T")


def conditions_once(
    memo: dict[str, Any],
    fp: FastProvision,
    cp: CompiledProvision,
    inst: Instance,
    used: set[str],
    compute: Callable[[FastProvision, CompiledProvision, Instance, set[str]], _T],
) -> _T:
    """``compute(fp, cp, inst, used)``: the outcome of ``cp``'s conditions for ``inst``,
    the assumptions they read added to ``used``; where ``inst`` lacks every fact they read
    (``fp.conditions_facts``), it reads nothing of the subject but that absence, so the
    outcome and the assumptions read are kept in ``memo`` and found once an evaluation.
    An outcome not computed (``compute`` raises) is not kept."""
    facts = fp.conditions_facts
    if facts is None or not lacks_all(facts, inst):
        return compute(fp, cp, inst, used)
    hit = memo.get(cp.info.id)
    if hit is None:
        read: set[str] = set()
        hit = memo[cp.info.id] = (compute(fp, cp, inst, read), frozenset(read))
    used |= hit[1]
    made: _T = hit[0]
    return made
