"""Finding a clause by the label a reader types: the forms the tool itself prints.

``3``, ``第3条`` and ``jjxf_2025_50/3`` name 京经信发〔2025〕50号's third measure;
``(十九)``, ``（十九）`` (full-width brackets, as the document prints them) and ``十九`` name
京医保发〔2025〕5号's nineteenth; a document's number or name may stand before the label
(``京经信发〔2025〕50号 第3条``; ``京医保发〔2025〕5号（十九）`` as the texts print it, or with a
space).  A provision's id, as JSON prints it (``jjxf_2025_50/3/launch_reward``), names its
clause.  Arabic and Chinese numerals of one number name the same article (``第一条`` and
``一`` a clause labelled ``1``); where two documents have that article, a spelling in one
document's own numbering (``3`` or ``第3条`` for a clause labelled ``3``, ``(三)`` or
``（三）`` for one labelled ``(三)``) names that one, and any other (``三``, ``第三条``) is
refused as ambiguous (E735), naming both.  When nothing matches, the closest labels, ids and
titles (by :mod:`difflib`, and titles that contain the words typed) are offered, not every
clause.

>>> normal("第3条"), normal("（十九）"), normal("(十九)"), normal(" 十九 ")
('3', '十九', '十九', '十九')
>>> same("一", "1"), same("十九", "19"), same("3", "三"), same("3", "(三)"), same("附件", "附件")
(True, True, True, False, True)
"""

from __future__ import annotations

import difflib
from typing import Any

from .errors import Diagnostic, PolicyRulesError
from .model import CheckedPolicy, ClauseInfo
from .quote_figures import chinese_number
from .vocab import label_en

__all__ = ["clause_json", "find_clauses", "normal", "same", "shown_label"]

_BRACKETS = str.maketrans({"（": "(", "）": ")"})


def normal(label: str) -> str:
    """A label without 第…条 or brackets, half-width: the form the labels are compared in."""
    text = label.strip().translate(_BRACKETS)
    if text.startswith("第") and text.endswith("条") and len(text) > 2:
        text = text[1:-1].strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


_CN_NUMERALS = frozenset("零〇一二三四五六七八九十百两")


def _number(label: str) -> int | None:
    """The number a normal label writes, in Arabic or Chinese numerals, or None."""
    if label.isascii() and label.isdigit():
        return int(label)
    if label and set(label) <= _CN_NUMERALS:
        return chinese_number(label)
    return None


def same(typed: str, label: str) -> bool:
    """Whether normal label ``typed`` names normal ``label``: the same text, or the same
    number in Arabic or Chinese numerals (``一`` and ``1``)."""
    if typed == label:
        return True
    n = _number(typed)
    return n is not None and n == _number(label)


def _own_spelling(typed: str, cl: ClauseInfo) -> bool:
    """Whether ``typed`` is ``cl``'s label in its document's own numbering: as the
    ``.rule`` file writes it or as the tool prints it (``3``, ``第3条``; ``(三)``, ``（三）``)."""
    written = typed.strip().translate(_BRACKETS)
    return written in {cl.label.translate(_BRACKETS), shown_label(cl.label).translate(_BRACKETS)}


def shown_label(label: str) -> str:
    """A measure as the tool prints it (:func:`~policyrules.vocab.label_en`): 第3条 for 3,
    第一条 for 一, (十九) as it stands."""
    return label_en(label)


def _names(policy: CheckedPolicy, cl: ClauseInfo) -> set[str]:
    doc = policy.document(cl.document)
    return {cl.document, *((doc.number,) if doc and doc.number else ())}


_LISTING = "`policyrules coverage POLICY` lists every measure"


def find_clauses(
    policy: CheckedPolicy, wanted: str, *, listing: str = _LISTING
) -> list[ClauseInfo]:
    """The clauses ``wanted`` names (an id, or a label in any form above, after an optional
    document number or name and a space).  ``policyrules explain`` and the service's
    ``/v1/clauses/{clause}`` and ``/v1/explain?clause=`` find them so.

    :raises PolicyRulesError: E400 when none does; the hint names the closest clauses, or
        when none is close says ``listing`` (where every clause is listed).
        E735 when a name run into a label reads as clauses of two documents (``d12`` with
        documents ``d`` and ``d1``: ``d`` 12, or ``d1`` 2; the hint gives both spellings
        that are not ambiguous, ``d 12``, the id ``d/12``), or when an article two
        documents have is written in neither's own numbering (``三``: 第3条 or （三）).
    """
    text = wanted.strip()
    exact = [cl for cl in policy.clauses if text in (cl.id, cl.label)]
    if exact:
        return exact
    owning = [cl for cl in policy.clauses if any(p.id == text for p in cl.provisions)]
    if owning:  # a provision's id, as the decisions' JSON prints it
        return owning
    doc, _, rest = text.rpartition(" ")
    typed = rest if doc else text
    label = normal(typed)
    found = [
        cl
        for cl in policy.clauses
        if same(label, normal(cl.label)) and (not doc or doc.strip() in _names(policy, cl))
    ]
    if len({cl.document for cl in found}) > 1:  # 三: 京经信发 第3条, or 京医保发（三）
        own = [cl for cl in found if _own_spelling(typed, cl)]
        if len({cl.document for cl in own}) != 1:
            raise PolicyRulesError(_two_articles(policy, wanted, found))
        found = own
    if not found:  # 京医保发〔2025〕5号（十九）: a number before a bracket, no space between
        found = [
            cl
            for cl in policy.clauses
            for name in _names(policy, cl)
            if text.startswith(name) and same(normal(text[len(name) :]), normal(cl.label))
        ]
        if len({cl.document for cl in found}) > 1:  # d12: d's 12, or d1's 2
            raise PolicyRulesError(_ambiguous(policy, wanted, found))
    if found:
        return found
    raise PolicyRulesError(
        Diagnostic("E400", f"no clause {wanted!r}", hint=_suggest(policy, label or text, listing))
    )


def _ambiguous(policy: CheckedPolicy, wanted: str, found: list[ClauseInfo]) -> Diagnostic:
    """E735: a document's name run into a label that reads as another document's."""
    readings = list(dict.fromkeys(found))
    shown = " or ".join(
        f"{_document(policy, cl)} {shown_label(cl.label)} ({cl.id})" for cl in readings
    )
    apart = ", ".join(f"`{cl.document} {cl.label}`" for cl in readings)
    ids = ", ".join(f"`{cl.id}`" for cl in readings)
    return Diagnostic(
        "E735",
        f"clause {wanted!r} reads {len(readings)} ways: {shown}",
        hint=f"write the document and the label apart ({apart}) or the clause's id ({ids})",
    )


def _two_articles(policy: CheckedPolicy, wanted: str, found: list[ClauseInfo]) -> Diagnostic:
    """E735: an article two documents have, in neither's own numbering (``三``, ``第三条``
    for 京经信发 第3条 and 京医保发（三）): never one chosen silently."""
    shown = " or ".join(
        f"{_document(policy, cl)} {shown_label(cl.label)} {cl.title or ''}".rstrip() + f" ({cl.id})"
        for cl in found
    )
    spelt = ", ".join(f"`{_document(policy, cl)} {shown_label(cl.label)}`" for cl in found)
    return Diagnostic(
        "E735",
        f"clause {wanted!r} is an article of {len({cl.document for cl in found})} "
        f"documents: {shown}",
        hint=f"name the document before the label ({spelt}), write the label in its "
        "document's own numbering, or give the clause's id",
    )


def _document(policy: CheckedPolicy, cl: ClauseInfo) -> str:
    doc = policy.document(cl.document)
    return doc.number if doc and doc.number else cl.document


def _suggest(policy: CheckedPolicy, typed: str, listing: str) -> str:
    def show(cl: ClauseInfo) -> str:
        shown = f"{_document(policy, cl)} {shown_label(cl.label)} {cl.title or ''}"
        return shown.rstrip() + f" ({cl.id})"

    by_label = {normal(cl.label): cl for cl in policy.clauses}
    by_id = {cl.id: cl for cl in policy.clauses}
    close = [
        *(by_label[k] for k in difflib.get_close_matches(typed, by_label, n=3, cutoff=0.6)),
        *(by_id[k] for k in difflib.get_close_matches(typed, by_id, n=3, cutoff=0.6)),
        *(cl for cl in policy.clauses if typed and cl.title and typed in cl.title),
    ]
    chosen = list(dict.fromkeys(close))[:3]
    if not chosen:
        return f"no label is close; {listing}"
    return "did you mean " + "; or ".join(show(cl) for cl in chosen) + "?"


def clause_json(policy: CheckedPolicy, cl: ClauseInfo) -> dict[str, Any]:
    """What ``explain`` prints of a clause, as JSON-ready data: its document (number and
    name), label, title, chapter, verbatim quote, notes, parameters (each with whether it
    is set) and provisions (kind, id, title, facts, parameters, assumptions)."""
    doc = policy.document(cl.document)
    return {
        "id": cl.id,
        "document": cl.document,
        "document_number": doc.number if doc else None,
        "label": cl.label,
        "title": cl.title,
        "chapter": list(cl.chapter) if cl.chapter else None,
        "quote": cl.quote,
        "notes": list(cl.notes),
        "parameters": [
            {"name": name, "set": bool(p is not None and p.default is not None)}
            for name, p in ((n, policy.parameter(n)) for n in cl.parameters)
        ],
        "provisions": [
            {
                "kind": p.kind,
                "id": p.id,
                "title": p.title,
                "facts": list(p.facts),
                "parameters": list(p.parameters),
                "assumptions": list(p.assumptions),
            }
            for p in cl.provisions
        ],
    }
