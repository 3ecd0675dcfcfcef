"""Exclusivity in the SQL batch (issue 11 §6): what is compiled, and what is refused by name.

An ``exclusive`` group whose ``among`` entity is every award's own subject (同一项目: one
claim of each award per record) is compiled (:mod:`.exclusive_verdicts`): a first pass
decides the claims on their own, a window says which is paid, and the awards are compiled
again with the losers not eligible.  A group among an owner of the subject (several claims
of one award compete, in the order of the facts) and a provision a later document supersedes
(it depends on the day of the evaluation) are refused with E618, located at the statement
that makes it so (the ``exclusive`` line, or the ``supersedes`` line of the later document),
naming the provision.  Evaluate those subjects one by one (``policy.evaluate``); never
delete the statement to get a batch through (a record would be paid under every award).
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
    """:raises BatchCompileError: (E618) if ``p`` is an award of an exclusive group among
    an owner of its subject, or a provision a later document supersedes."""
    ex = policy.exclusivity
    for g in ex.groups:
        if p.id in g.awards and p.subject != g.among:
            what = f"the exclusive group `{', '.join(a.rsplit('/', 1)[-1] for a in g.awards)}`"
            raise BatchCompileError(
                Diagnostic(
                    "E618",
                    f"{p.id}: {what} (keep {g.keep}) among {g.among}, an owner of its "
                    f"subject {p.subject}, cannot be compiled to SQL yet (only among the "
                    "awards' own subject)",
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
