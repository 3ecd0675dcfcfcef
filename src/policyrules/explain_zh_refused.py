"""Decisions not eligible as the whole Chinese text lists them: a line each, or one line
for the subjects of one provision refused alike (the same reasons, or the same test of
their kind failed), so that a firm's projects of other kinds do not fill the letter.
Below :mod:`policyrules.explain_zh`, which makes a :class:`RefusedZh` of a decision; the
rows of the evaluator make one without the decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .words import Words

__all__ = ["GROUP_SHOWN", "RefusedZh", "refused_lines_zh", "refused_said_zh"]


class RefusedZh(NamedTuple):
    """A decision not eligible as the whole Chinese text
    (:func:`~.explain_zh.explain_text_zh`) lists it, before escaping, made with or without
    the decision: its measure and title (:func:`~.explain_zh.titled_zh`), its subject in
    words (``None``: none), why (its reasons in words, joined), the test of its kind it
    failed as a group says it
    (:func:`~.explain_zh_reasons.kind_zh`; ``None``: none), its provision's id, and the
    same test with the subject's own value, as a group of one says it
    (:func:`~.explain_zh_reasons.kind_own_zh`; ``None``: its line says its reasons).  Its
    :meth:`line` alone, or one line for the subjects of a provision refused alike
    (:func:`refused_lines_zh`)."""

    titled: str
    subject: str | None
    why: str
    kind: str | None
    provision: str
    kind_own: str | None = None

    def line(self) -> str:
        """Its own line (:func:`refused_said_zh`)."""
        return refused_said_zh(self.titled, self.subject, self.why)


# Subjects named in a line of refusals alike; past this many, the first ones and a count.
GROUP_SHOWN = 5


def refused_lines_zh(w: Words, rows: Sequence[RefusedZh]) -> list[str]:
    """The lines of decisions not eligible (before escaping), in order: those of one
    provision refused alike, their subjects in one line at the place of the first: the same
    reasons, or failing the same test of their kind (``kind``, said once without each
    subject's value: ``firm-b/K1、firm-b/S1、firm-b/T1：项目类型不是本条所列的“…”``); past
    :data:`GROUP_SHOWN` subjects, the first ones and how many
    (``a、b、c、d、e 等 12 个项目``).  A subject alone failing such a test is a group of
    one, its own value beside it (``firm-c/F1：项目类型不是本条所列的“…”（项目类型：…）``);
    one refused otherwise, or for more reasons than that, keeps its own line, its reasons
    in full."""
    groups: dict[tuple[str, str, bool] | int, list[RefusedZh]] = {}
    for i, row in enumerate(rows):
        key: tuple[str, str, bool] | int = i
        if row.subject is not None:
            kind = row.kind
            key = (row.provision, row.why, False) if kind is None else (row.provision, kind, True)
        groups.setdefault(key, []).append(row)
    out = []
    for alike in groups.values():
        if len(alike) == 1:
            row = alike[0]
            if row.kind_own is None or row.subject is None:
                out.append(row.line())
            else:
                out.append(refused_said_zh(row.titled, row.subject, row.kind_own))
            continue
        first = alike[0]
        named = "、".join([r.subject for r in alike[:GROUP_SHOWN] if r.subject is not None])
        if len(alike) > GROUP_SHOWN:
            p = w.provisions.get(first.provision)
            who = w.entity(p.subject) if p is not None and p.subject else "对象"
            named += f" 等 {len(alike)} 个{who}"
        out.append(refused_said_zh(first.titled, named, first.kind or first.why))
    return out


def refused_said_zh(titled: str, subject: str | None, why: str) -> str:
    """The line of a decision not eligible: its provision's :func:`~.explain_zh.titled_zh`,
    its subject already in words (:func:`~.explain_zh.subject_zh`, or several joined;
    ``None``: none) and why."""
    who = f" —— {subject}" if subject is not None else ""
    return f"  {titled}{who}" + (f"：{why}" if why else "")
