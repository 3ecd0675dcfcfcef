"""The output columns of the SQL back end: one decision row per provision × subject.

``decisions``: provision, kind, subject ('firm-a/A1'), firm (the id of the subject's firm:
the entity named ``firm`` on its path, else NULL: a venture org's or an institution's own
decisions name no firm), status, amount (BIGINT fen), amount_min (BIGINT fen: the lower bound of
a ``range``, else NULL), amount_kind, binding_caps, missing_facts,
missing_parameters, assumptions (VARCHAR[], the last three sorted).

``binding_caps`` ends, for an ``up_to`` amount the earlier open claims of its shared cap held
down (their room below the amount), with the cap as printed, :data:`HELD_MARK` and the fen
they hold (``cap 300 万元 per firm … 暂占 3000000000``); :mod:`policyrules.batch_columns`
says it in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlglot.expressions as exp

from ...model import EntityInfo, ProvisionInfo
from .names import expand, names_out
from .sqlbits import BIGINT, VARCHAR, Pairs, case, firm_id, guarded_concat, own
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import empty_names as _empty
from .sqlbits import status as status_code

__all__ = ["DECISION_COLUMNS", "HELD_MARK", "decision_row", "sorted_list", "when_status"]


DECISION_COLUMNS = (
    "provision",
    "kind",
    "subject",
    "firm",
    "status",
    "amount",
    "amount_min",
    "amount_kind",
    "binding_caps",
    "missing_facts",
    "missing_parameters",
    "assumptions",
)


HELD_MARK = " 暂占 "
"""Between a shared cap's printed text and the fen the earlier open claims hold of it, in
``binding_caps`` (see the module)."""


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def sorted_list(*parts: exp.Expr) -> exp.Expr:
    """The names of ``parts`` (VARCHAR[] each) sorted, each once."""
    joined = (
        parts[0] if len(parts) == 1 else exp.ArrayConcat(this=parts[0], expressions=list(parts[1:]))
    )
    return exp.ArraySort(this=exp.ArrayDistinct(this=joined))


def when_status(status: str, then: exp.Expr) -> exp.Expr:
    return case([(exp.EQ(this=_col("st"), expression=status_code(status)), then)], _empty())


def decision_row(
    p: ProvisionInfo,
    fields: Mapping[str, exp.Expr],
    lists: Mapping[str, Pairs],
    chain: Sequence[EntityInfo] = (),
) -> list[exp.Expr]:
    """The decision columns in order; ``fields`` gives status and whatever is not empty;
    with ``chain`` (the subject's entities) subject and firm come from the ids ``e_*``.
    The three lists of names are written with :func:`.names.names_out` from what their
    expressions hold (``lists``: the names of the rows' list columns, see :mod:`.names`)."""
    defaults: dict[str, exp.Expr] = {
        "provision": exp.Literal.string(p.id),
        "kind": exp.Literal.string(p.kind),
        "subject": _col("subject"),
        "firm": _col("firm"),
        "amount": _cast(exp.Null(), BIGINT),
        "amount_min": _cast(exp.Null(), BIGINT),
        "amount_kind": _cast(exp.Null(), VARCHAR),
        "binding_caps": _empty(),
        "missing_facts": _empty(),
        "missing_parameters": _empty(),
        "assumptions": _empty(),
    }
    if chain:  # the subject's text from the path's ids ``e_*``, written here only
        ids = [_col(f"e_{e.name}") for e in chain]
        subject: exp.Expr = ids[0]
        for i in ids[1:]:
            subject = exp.DPipe(
                this=exp.DPipe(this=subject, expression=exp.Literal.string("/")), expression=i
            )
        defaults["subject"] = subject
        defaults["firm"] = firm_id([e.name for e in chain], ids)
    defaults.update(fields)
    defaults["binding_caps"] = guarded_concat(defaults["binding_caps"])
    for c in _NAME_LISTS:
        defaults[c] = names_out(expand(defaults[c], lists))
    return [_alias(own(defaults[c]), c, quoted=True) for c in DECISION_COLUMNS]


_NAME_LISTS = ("missing_facts", "missing_parameters", "assumptions")
