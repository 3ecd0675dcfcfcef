"""The syntax tree, exclusivity and supersession (issue 11 §6).

``exclusive A, B among E keep highest [ties by listed]`` / ``keep listed`` (同一项目不重复支持,
按照就高原则), ``cumulative A, B "reason"`` (可叠加享受) and, in a document's header,
``supersedes DOC [LABEL]`` (此前发布的有关规定与本文不一致的，以此为准).  Re-exported by
:mod:`policyrules.syntax`; a clause body or a document header holds them beside the
statements of :mod:`policyrules.syntax_stmts`.
"""

from __future__ import annotations

import attrs

from .syntax_stmts import Stmt

__all__ = ["KEEP_RULES", "TIE_RULES", "Cumulative", "Exclusive", "Prevails", "Supersedes"]

# `keep highest`: the claim with the highest amount is paid (就高); `keep listed`: the first
# award listed whose claim is eligible is paid (a named order of preference).
KEEP_RULES = ("highest", "listed")
# `ties by listed`: equal amounts go to the award listed first.
TIE_RULES = ("listed",)


@attrs.frozen
class Exclusive(Stmt):
    """``exclusive A, B among E keep highest [ties by listed]`` or ``… keep listed``.

    ``awards``: two or more award names; ``among``: the entity whose one record (one project,
    one product, one firm) may be paid under only one of them; ``keep``: ``highest`` or
    ``listed``; ``ties``: ``listed`` or ``None`` (a tie is then unknown, E423)."""

    awards: tuple[str, ...]
    among: str
    keep: str
    ties: str | None = None


@attrs.frozen
class Cumulative(Stmt):
    """``cumulative A, B "reason"``: the awards may be paid together (可叠加), and why
    (the text's words, or the named assumption it rests on)."""

    awards: tuple[str, ...]
    reason: str


@attrs.frozen
class Supersedes(Stmt):
    """``supersedes DOC [LABEL]`` in a document's header: from this document's ``valid from``
    date, DOC (or only its clause LABEL) is no longer applied."""

    document: str
    label: str | None = None


@attrs.frozen
class Prevails(Stmt):
    """``prevails over earlier`` in a document's header: 此前发布的有关规定与本文不一致的，以此为准,
    naming no document.  It replaces nothing by itself (it cannot say which provisions
    conflict); the checker lists the provisions of earlier documents that pay for the same
    thing (W263), to be settled by ``supersedes``, ``exclusive`` or ``cumulative``."""
