"""``prevails over earlier`` (此前发布的有关规定与本文不一致的，以此为准, naming no document).

The sentence says a later document wins where it conflicts with earlier rules, but names
neither the rules nor the conflicts: it cannot replace a provision by itself.  The checker
therefore does the one honest thing: it lists the provisions of the other loaded documents,
earlier than this one (a first day before this one's, or none given), that pay for the same
thing as one of its own (:func:`~.check_exclusive.overlaps`) with nothing said between them,
as warning W263 in place of W290.  ``supersedes DOC [LABEL]``, ``exclusive`` or
``cumulative`` settle each.  Errors: E263 (written twice in one header), E264 (the document
has no first day: neither ``valid from`` nor ``issued``, so nothing is known to be earlier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import syntax as s
from .errors import Diagnostic, Span
from .model import CheckedPolicy, ProvisionInfo

__all__ = ["prevailing_documents", "prevails_between", "prevails_warning"]

Report = Callable[[str, str, Span | None, str | None], None]


def prevailing_documents(
    base: CheckedPolicy, modules: Sequence[s.Module], error: Report
) -> tuple[str, ...]:
    """The names of the documents whose header says ``prevails over earlier``."""
    out: list[str] = []
    for m in modules:
        for doc in (i for i in m.items if isinstance(i, s.Document)):
            said = [x for x in doc.body if isinstance(x, s.Prevails)]
            if not said:
                continue
            if len(said) > 1:
                error("E263", "`prevails over earlier` is written twice", said[1].span, "keep one")
            info = base.document(doc.name)
            if info is None:
                continue
            if info.valid_from is None and info.issued is None:
                error(
                    "E264",
                    f"{doc.name} prevails over earlier rules but has no first day",
                    said[0].span,
                    "give it `valid from DATE` (or `issued DATE`): earlier means before it",
                )
                continue
            out.append(doc.name)
    return tuple(out)


def prevails_warning(
    base: CheckedPolicy,
    p: ProvisionInfo,
    q: ProvisionInfo,
    prevailing: tuple[str, ...],
    facts: list[str],
    span: Span | None,
) -> Diagnostic | None:
    """W263 for two awards that pay for the same thing (out of ``facts``) when one's document
    prevails over earlier rules and the other's is earlier; ``None`` otherwise."""
    for new, old in ((p, q), (q, p)):
        if not _over(base, new.document, old.document, prevailing):
            continue
        was = base.document(old.document)
        start = (was.valid_from or was.issued) if was is not None else None
        when = f"from {start}" if start is not None else "no first day given"
        return Diagnostic(
            "W263",
            f"{new.document} prevails over earlier rules (以此为准) without naming them, and "
            f"{old.name} of {old.document} ({when}) pays, like {new.name}, for each "
            f"{new.subject} out of {', '.join(facts)}",
            span,
            hint=(
                "以此为准 cannot pick provisions by itself: if the text replaces the earlier "
                f"one, write `supersedes {old.document} {old.clause.rsplit('/', 1)[-1]}` in "
                f"{new.document}'s header; if only one is paid, `exclusive {new.name}, "
                f"{old.name} among {new.subject} keep listed`; if both are, `cumulative "
                f'{new.name}, {old.name} "the words that say so"`'
            ),
            severity="warning",
        )
    return None


def prevails_between(base: CheckedPolicy, a: str, b: str, prevailing: tuple[str, ...]) -> bool:
    """Whether :func:`prevails_warning` warns of two awards of documents ``a`` and ``b``
    (either way round): it depends on their documents alone."""
    return _over(base, a, b, prevailing) or _over(base, b, a, prevailing)


def _over(base: CheckedPolicy, new: str, old: str, prevailing: tuple[str, ...]) -> bool:
    """Document ``new`` prevails over earlier rules and ``old`` is another one, with a first
    day before ``new``'s or none given."""
    if new not in prevailing or old == new:
        return False
    by, was = base.document(new), base.document(old)
    assert by is not None
    since = by.valid_from or by.issued
    start = (was.valid_from or was.issued) if was is not None else None
    return start is None or since is None or start < since
