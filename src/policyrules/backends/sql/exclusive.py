"""Exclusivity in the SQL batch (issue 11 §6): refused by name, never skipped.

An award of an ``exclusive`` group is paid or not according to the other awards' decisions
for the same record (and the ledger), and a provision a later document supersedes depends on
the day of the evaluation; the batch does not compute either yet, so compiling a policy
that holds one is refused with E618, located at the statement that makes it so (the
``exclusive`` line, or the ``supersedes`` line of the later document), naming the provision.
Leave the clause out of the batch, or evaluate one by one (``policy.evaluate``).
"""

from __future__ import annotations

from ...errors import Diagnostic
from ...model import CheckedPolicy, ProvisionInfo
from .plan import BatchCompileError

__all__ = ["refuse_exclusive"]

_HINT = (
    "evaluate these subjects one by one (policyrules eval, or policy.evaluate), which applies "
    "the statement; never delete it to get the batch through: without it a record is paid "
    "under every award of the group, or under the superseded rule"
)


def refuse_exclusive(policy: CheckedPolicy, p: ProvisionInfo) -> None:
    """:raises BatchCompileError: (E618) if ``p`` is an award of an exclusive group or a
    provision a later document supersedes."""
    ex = policy.exclusivity
    for g in ex.groups:
        if p.id in g.awards:
            what = f"the exclusive group `{', '.join(a.rsplit('/', 1)[-1] for a in g.awards)}`"
            raise BatchCompileError(
                Diagnostic(
                    "E618",
                    f"{p.id}: {what} (keep {g.keep}) cannot be compiled to SQL yet",
                    g.span,
                    hint=_HINT,
                )
            )
    sup = ex.superseded(p.document, p.clause)
    if sup is not None:
        raise BatchCompileError(
            Diagnostic(
                "E618",
                f"{p.id}: superseded by {sup.by} from {sup.since}: the supersession cannot "
                f"be compiled to SQL yet",
                sup.span,
                hint=_HINT,
            )
        )
