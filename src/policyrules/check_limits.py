"""The checks of ``limit N per E [per year of D]`` (单个企业每年奖励人数不超过 N 人).

A limit counts the subjects an award pays per owner: N is a whole number of at least 1,
written or a number parameter (E278); ``per`` names the subject's owner (E207, as a cap's
``per``); the year is picked by a date (E205, as a cap's).  What later stages read of a
provision's limit is :func:`limit_of`.
"""

from __future__ import annotations

from collections.abc import Callable

from . import syntax as s
from . import types as t
from .errors import Span, did_you_mean
from .model import CheckedPolicy, ProvisionInfo
from .typing_rules import ExprTyper, Usage

__all__ = ["check_limit", "limit_of"]

_Report = Callable[[str, str, Span | None, str | None], None]


def check_limit(
    typer: ExprTyper,
    usage: Usage,
    base: CheckedPolicy,
    subject: str | None,
    st: s.Limit,
    report: _Report,
) -> None:
    """E278 (N), E207 (``per``), E205 (the year's date) of one ``limit`` statement."""
    if isinstance(st.count, int):
        if st.count < 1:
            report("E278", f"a limit of {st.count}: at least one subject", st.span, None)
    else:
        r = base.resolve((st.count,), subject)
        if r is None or r.kind != "parameter" or r.type != t.NUMBER:
            names = [n for n in base.names_in_scope(subject) if n != st.count]
            report(
                "E278",
                f"`limit {st.count}`: not a whole number nor a number parameter",
                st.name_span or st.span,
                did_you_mean(st.count, names) or "write the count: `limit 5 per firm`",
            )
        else:
            usage.parameters.add(r.name)
    chain = [e.name for e in base.chain(subject)]
    owners = chain[1:]  # the subject's owners: a limit per the subject itself limits nothing
    if st.per not in owners:
        report(
            "E207",
            f"'{st.per}' is not an owner of {subject or 'the subject'}: a limit counts the "
            "subjects of an owner",
            st.span,
            f"use one of: {', '.join(owners)}" if owners else "add `for each ...` of an owner",
        )
    if st.year_of is not None:
        got = typer.value_of(st.year_of, usage, "the date that picks the year")
        if got not in (t.DATE, t.YEAR, t.ANY):
            report(
                "E205",
                f"the date that picks the year must be date (or year), not {got.describe()}",
                st.year_of.span,
                None,
            )


def limit_of(p: ProvisionInfo) -> s.Limit | None:
    """The ``limit`` statement of ``p``, if it has one."""
    return p.limit
