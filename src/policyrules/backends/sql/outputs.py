"""The output columns of the SQL back end: one decision row per provision × subject.

``decisions``: provision, kind, subject ('firm-a/A1'), firm (the id of the path's first,
outermost entity), status, amount (BIGINT fen), amount_kind, binding_caps, missing_facts,
missing_parameters, assumptions (VARCHAR[], the last three sorted).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot.expressions as exp

from ...model import ProvisionInfo
from .sqlbits import BIGINT, VARCHAR, case, own
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import empty_names as _empty

__all__ = ["DECISION_COLUMNS", "decision_row", "sorted_list", "when_status"]


DECISION_COLUMNS = (
    "provision",
    "kind",
    "subject",
    "firm",
    "status",
    "amount",
    "amount_kind",
    "binding_caps",
    "missing_facts",
    "missing_parameters",
    "assumptions",
)


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def sorted_list(*parts: exp.Expr) -> exp.Expr:
    """The names of ``parts`` (VARCHAR[] each) sorted, each once."""
    joined = (
        parts[0] if len(parts) == 1 else exp.ArrayConcat(this=parts[0], expressions=list(parts[1:]))
    )
    return exp.ArraySort(this=exp.ArrayDistinct(this=joined))


def when_status(status: str, then: exp.Expr) -> exp.Expr:
    return case([(exp.EQ(this=_col("st"), expression=exp.Literal.string(status)), then)], _empty())


def decision_row(p: ProvisionInfo, fields: Mapping[str, exp.Expr]) -> list[exp.Expr]:
    """The decision columns in order; ``fields`` gives status and whatever is not empty."""
    defaults: dict[str, exp.Expr] = {
        "provision": exp.Literal.string(p.id),
        "kind": exp.Literal.string(p.kind),
        "subject": _col("subject"),
        "firm": _col("firm"),
        "amount": _cast(exp.Null(), BIGINT),
        "amount_kind": _cast(exp.Null(), VARCHAR),
        "binding_caps": _empty(),
        "missing_facts": _empty(),
        "missing_parameters": _empty(),
        "assumptions": _empty(),
    }
    defaults.update(fields)
    return [_alias(own(defaults[c]), c, quoted=True) for c in DECISION_COLUMNS]
