"""The caps of an award as the batch plans them (:class:`.awards.CapPlan`), and the
refusals of caps and ``once per`` statements whose rooms the batch cannot compute: E604 (a
claim under two caps shared with other claims), E619 (a shared cap whose limit differs
between its claims), E605 (``once per`` an owner of the subject), all at once, each at its
statement.
"""

from __future__ import annotations

from ... import syntax as s
from ...errors import Diagnostic
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from ...printer import print_cap
from .awards import CapPlan
from .plan import ONE_BY_ONE, BatchCompileError
from .rows import chain_of

__all__ = ["award_caps", "cap_plans"]


def award_caps(
    policy: CheckedPolicy, p: ProvisionInfo, members: dict[str, set[str]]
) -> tuple[CapPlan, ...]:
    """The caps of award ``p``.

    :raises BatchCompileError: with every refusal of them at once (E604 if more than one
        is shared with other claims, E619 per shared cap whose limit differs between its
        claims, E605 per ``once per`` an owner of the subject), each at its statement."""
    out = cap_plans(policy, p, members)
    found = [d for c in out if c.shared for d in _common_limit(policy, p, c)]
    shared = [c for c in out if c.shared]
    if len(shared) > 1:
        found.append(
            Diagnostic(
                "E604",
                f"{p.id}: a claim under two caps shared with other claims "
                f"({', '.join(c.text for c in shared)}) cannot be computed in SQL",
                shared[1].cap.span,
                hint=ONE_BY_ONE,
            )
        )
    names = [e.name for e in chain_of(policy, p.subject)]
    for o in p.once:
        if names and o.entity != names[-1]:
            found.append(
                Diagnostic(
                    "E605",
                    f"{p.id}: once per {o.entity} for claims of each {names[-1]} depends on "
                    "the order of claims and cannot be computed in SQL",
                    o.span,
                    hint=ONE_BY_ONE,
                )
            )
    if found:
        raise BatchCompileError(found)
    return out


def cap_plans(
    policy: CheckedPolicy, p: ProvisionInfo, members: dict[str, set[str]]
) -> tuple[CapPlan, ...]:
    """The caps of award ``p`` as :func:`award_caps` plans them, refusing nothing (the
    compiler tries the rest of a refused award's steps with them, to name their refusals
    too)."""
    chain = chain_of(policy, p.subject)
    names = [e.name for e in chain]
    out = []
    for i, cap in enumerate(p.caps):
        pool = cap.shared or p.id
        scope: tuple[EntityInfo, ...] = ()
        shared = False
        if cap.per:
            depth = max((k for k, n in enumerate(names) if n in cap.per), default=0)
            scope = chain[: depth + 1]
            shared = depth < len(chain) - 1 or len(members.get(pool, {p.id})) > 1
        out.append(CapPlan(i, cap, print_cap(cap), scope, pool, shared))
    return tuple(out)


def _common_limit(policy: CheckedPolicy, p: ProvisionInfo, c: CapPlan) -> list[Diagnostic]:
    """E619 unless the limit of shared cap ``c`` (its exceptions too) is one for all the
    claims of a partition: it reads no fact of an entity below the cap's scope.  The
    window's closed form fills one room in order (:func:`window_steps`); the one-by-one
    path gives each claim its own limit against what the others took."""
    inside = {e.name for e in c.scope}
    exceptions = (e for x in c.cap.exceptions for e in (x.limit, x.condition))
    todo: list[s.Node] = [c.cap.limit, *exceptions]
    seen: set[str] = set()
    below: set[str] = set()
    while todo:  # the names it reads, the defines' too (they resolve where they are used)
        node = todo.pop()
        if isinstance(node, s.Name):
            r = policy.resolve(node.parts, p.subject)
            if r is not None and r.kind == "fact" and r.entity not in inside:
                below.add(f"{r.entity}.{r.name}")
            elif r is not None and r.kind == "define" and r.name not in seen:
                seen.add(r.name)
                d = policy.define(r.name)
                todo += [d.expr] if d is not None else []
        todo += s.children(node)
    if not below:
        return []
    owner = c.scope[-1].name if c.scope else "pool"
    return [
        Diagnostic(
            "E619",
            f"{p.id}: the limit of cap {c.text} reads {', '.join(sorted(below))}, a fact of "
            f"each claim, not of the {owner} the cap is shared by: a limit that differs "
            "between the claims of one pool cannot be computed in SQL",
            c.cap.span,
            hint=f"{ONE_BY_ONE}; or state the limit by facts of the cap's owner",
        )
    ]
