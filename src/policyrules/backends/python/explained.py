"""A paid award's row explained without the general way's condition steps.

:meth:`~policyrules.backends.python.rows.Rows.materialise` explains a row by running the
provision's closures again (the facts they read, the steps and reasons they give).  For the
frequent case, an award the fast path paid (an amount, nothing missing, no one-time rule
refusing it), the conditions all held: their steps are the same for every such claim
(each condition's text, held) and are made once per provision here; the conditions are
still run, for the facts they read (which facts depends on values only through ``if``,
``otherwise`` or ``known()``, so they are read the general way), but with none of the
general way's bookkeeping.  Whenever a condition does not give exactly ``True``, raises, or
a define notes a line, :func:`held_steps` says so and the caller takes the general way:
the decision is the same, field for field, text for text.
"""

from __future__ import annotations

from ...decisions import Step
from ...runtime.values import Undecided
from .compile import CompiledProvision, Env

__all__ = ["held_steps", "steps_held"]


def steps_held(cp: CompiledProvision) -> tuple[Step, ...]:
    """The steps of a claim of ``cp`` whose conditions all held and which no one-time rule
    refused: each condition's text, held, then each one-time rule's, as
    ``Conditions.conditions`` and ``Rows._explained`` write them."""
    steps = [Step("condition", cond.text, True) for cond in cp.conditions]
    steps += [Step("once", f"once per {o.entity}: not granted before", True) for o in cp.info.once]
    return tuple(steps)


def held_steps(cp: CompiledProvision, env: Env, steps: tuple[Step, ...]) -> list[Step] | None:
    """``steps`` (:func:`steps_held` of ``cp``) as a new trace, once each condition of
    ``cp`` has run on ``env`` (recording the facts it reads) and given ``True``; ``None``
    when one gives anything else, raises :class:`Undecided`, or notes a define's line
    (the general way then writes more, or other, steps)."""
    try:
        for cond in cp.conditions:
            if cond.fn(env) is not True:
                return None
    except Undecided:
        return None
    if env.notes:
        return None
    return list(steps)
