"""Exclusivity in the SQL batch (issue 11 §6): what is compiled, and what is refused by name.

An ``exclusive`` group whose ``among`` entity is every award's own subject (同一项目: one
claim of each award per record) is compiled (:mod:`.exclusive_verdicts`): a first pass
decides the claims on their own, a window says which is paid, and the awards are compiled
again with the losers not eligible.  Among an owner of the subject (among firm, of product
awards) a record holds several claims of one award: they are taken as the one-by-one path
takes them, by provision, then by the subject's path in natural order (the serving order of
an award with no ``order by``; an award with one is refused, below).

An award a later document supersedes (以此为准) is compiled with a verdict fixed by the
batch's ``as_of`` (:func:`superseded_verdict`, as the one-by-one path's
``superseded_verdict``): not eligible from the later document's first day, untouched before
it, unknown (E424) with no ``as_of``; in both passes, before any group's verdict.

Refused with E618, located at the statement that makes it so (the ``exclusive`` line, or the
``supersedes`` line of the later document), naming the provision: a group among an owner
holding an award served in an ``order by`` order (its claims are taken in the keys' order,
an unknown one first), and a provision other than an award (an entitlement, a deadline, a
target) a later document supersedes.  Evaluate those subjects one by one
(``policy.evaluate``); never delete the statement to get a batch through (a record would be
paid under every award).
"""

from __future__ import annotations

import datetime as dt

import sqlglot.expressions as exp

from ...errors import Diagnostic
from ...model import CheckedPolicy, ProvisionInfo
from .exclusive_notes import superseded_note
from .exclusive_verdicts import FAIL, UNDATED
from .plan import ONE_BY_ONE, BatchCompileError

__all__ = ["refuse_exclusive", "superseded_verdict"]

_HINT = (
    f"{ONE_BY_ONE}, which applies the statement; never delete it to get the batch through: "
    "without it a record is paid under every award of the group, or under the superseded rule"
)


def refuse_exclusive(policy: CheckedPolicy, p: ProvisionInfo) -> None:
    """:raises BatchCompileError: (E618) if ``p`` is an award of an exclusive group among
    an owner of its subject where an award of the group with several claims a record is
    served in an ``order by`` order, or a provision other than an award a later document
    supersedes."""
    ex = policy.exclusivity
    infos = {x.id: x for x in policy.provisions()}
    for g in ex.groups:
        ordered = [
            a for a in g.awards if a in infos and infos[a].subject != g.among and infos[a].order
        ]
        if p.id in g.awards and p.subject != g.among and ordered:
            what = f"the exclusive group `{', '.join(a.rsplit('/', 1)[-1] for a in g.awards)}`"
            raise BatchCompileError(
                Diagnostic(
                    "E618",
                    f"{p.id}: {what} (keep {g.keep}) among {g.among}, an owner of its "
                    f"subject {p.subject}, cannot be compiled to SQL yet (only among the "
                    "awards' own subject, or among an owner where no award of the group "
                    "is served in an `order by` order)",
                    g.span,
                    hint=_HINT,
                )
            )
    sup = ex.superseded(p.document, p.clause)
    if sup is not None and p.kind != "award":
        raise BatchCompileError(
            Diagnostic(
                "E618",
                f"{p.id}: superseded by {sup.by} from {sup.since}: the supersession cannot "
                f"be compiled to SQL yet",
                sup.span,
                hint=_HINT,
            )
        )


def superseded_verdict(
    policy: CheckedPolicy, p: ProvisionInfo, as_of: dt.date | None
) -> tuple[int, exp.Expr] | None:
    """The verdict level (``exv``) and line (``exn``) of award ``p`` if a later document
    supersedes it as of ``as_of``: not eligible from its first day on (:data:`FAIL`),
    unknown with no day (:data:`UNDATED`, E424); ``None`` if none does, or not yet."""
    sup = policy.exclusivity.superseded(p.document, p.clause)
    if sup is None or (as_of is not None and as_of < sup.since):
        return None
    return (UNDATED if as_of is None else FAIL), superseded_note(policy, sup, as_of is None)
