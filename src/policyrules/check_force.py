"""W273: a provision of a dated document that pays claims of any date.

「本政策自发布之日起实施」 is written ``valid from D`` on the document and ``eligible when
approved_on in force`` on each award (both shipped policies, the guide's table of idioms).  A
new user dropped the condition: ``check --strict`` passed, and a product approved in 2019 was
paid under a document in force from 2026-03-01.  So a provision (award, entitlement, deadline)
of a document with ``valid from`` that reads a date of its claim (a date fact of its subject
or an owner: its year's cap, its order, its due date) must relate some date of the claim to
the document's force in a condition (its own or a define's it names): ``D in force``, or
``D`` (``year(D)``) compared with a constant (``approved_on >= 2026-03-01``, a date
assumption).  Whether events before the issue date count is the author's reading (an ``events
from`` assumption moves ``in force``'s first day); a ``note`` of the document, the clause or
the provision about the force (a word of :data:`FORCE_WORDS`) says why none does, and
silences it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import syntax as s
from .errors import Diagnostic
from .model import CheckedPolicy, DocumentInfo

__all__ = ["FORCE_WORDS", "force_warnings"]

# The provisions W273 looks at, and what each does to a claim of any date (its message).
_DOES = {
    "award": "is paid",
    "entitlement": "is granted",
    "deadline": "is held to the deadline (met or not met)",
}

FORCE_WORDS: tuple[tuple[str, str], ...] = (
    ("in force", "the encoding's own words: `eligible when D in force` explained"),
    ("施行", "自…起施行, 施行之日, 本措施施行后 (policies/patterns/time.rule 第一条)"),
    ("起实施", "自发布之日起实施 (京经信发〔2025〕50号's closing words)"),
    ("实施之日", "自实施之日起"),
    ("起执行", "自…起执行: 施行's other spelling"),
    ("有效期", "有效期至 2028 年 12 月 31 日, 在本政策有效期内"),
    ("生效", "自…生效"),
    ("发布之日", "自发布之日起"),
    ("发布前", "发布前已…的"),
    ("印发之日", "自印发之日起 (a 通知 dated by its issue)"),
    ("印发后", "本文印发后完成的"),
    ("印发之后", "是否须在本文印发之后完成 (京医保发〔2025〕5号's note)"),
    ("印发前", "印发前已…的"),
    ("追溯", "追溯至 2024 年, 此前的事项不追溯"),
    ("溯及", "不溯及既往"),
)
"""The words by which a ``note`` speaks of the document's force (the author's reading of
which claims it covers), each with where such words are written: a note holding one
silences W273.  A word of another sense is left out: 实施 alone is also 实施细则 (the rules
to come), 执行 alone also 认真贯彻执行."""
_ABOUT_FORCE = re.compile("|".join(re.escape(w) for w, _ in FORCE_WORDS))


def force_warnings(policy: CheckedPolicy, doc: DocumentInfo, clause: s.Clause) -> list[Diagnostic]:
    """W273 for each provision of ``clause`` (of ``doc``) that reads a date of its claim and
    relates none to the document's force."""
    if doc.valid_from is None or any(_ABOUT_FORCE.search(n) for n in doc.notes):
        return []
    clause_notes = [b.text for b in clause.body if isinstance(b, s.Note)]
    out: list[Diagnostic] = []
    for p in clause.provisions:
        subject = next((b.entity for b in p.body if isinstance(b, s.Subject)), None)
        if p.kind not in _DOES or subject is None:
            continue
        notes = clause_notes + [b.text for b in p.body if isinstance(b, s.Note)]
        if any(_ABOUT_FORCE.search(n) for n in notes):
            continue
        read = [
            n
            for b in p.body
            if not isinstance(b, s.Quote | s.Note)
            for n in _nodes(b, policy)
            if _date_fact(policy, subject, n)
        ]
        conditions = [n for b in p.body if isinstance(b, s.Eligible) for n in _nodes(b, policy)]
        if read and not any(_relates(policy, subject, n) for n in conditions):
            out.append(_w273(p, doc, read[0]))
    return out


def _nodes(
    node: s.Node, policy: CheckedPolicy, seen: frozenset[str] = frozenset()
) -> Iterator[s.Node]:
    """``node`` and everything under it, a define it names included (once)."""
    yield node
    if isinstance(node, s.Name) and len(node.parts) == 1 and node.dotted not in seen:
        d = policy.define(node.dotted)
        if d is not None:
            yield from _nodes(d.expr, policy, seen | {node.dotted})
    for child in s.children(node):
        yield from _nodes(child, policy, seen)


def _date_fact(policy: CheckedPolicy, subject: str, n: s.Node) -> bool:
    if not isinstance(n, s.Name):
        return False
    r = policy.resolve(n.parts, subject)
    return r is not None and r.kind == "fact" and r.type.kind == "date"


def _relates(policy: CheckedPolicy, subject: str, n: s.Node) -> bool:
    """Whether ``n`` ties a date of the claim to a fixed time: ``D in force``, or a
    comparison of an expression reading a date fact with one reading no fact."""
    if isinstance(n, s.InForce):
        return True
    if not isinstance(n, s.Compare):
        return False
    sides = [list(_nodes(x, policy)) for x in (n.left, n.right)]
    dated = [any(_date_fact(policy, subject, x) for x in side) for side in sides]
    factless = [not any(_is_fact(policy, subject, x) for x in side) for side in sides]
    return (dated[0] and factless[1]) or (dated[1] and factless[0])


def _is_fact(policy: CheckedPolicy, subject: str, n: s.Node) -> bool:
    if not isinstance(n, s.Name):
        return False
    r = policy.resolve(n.parts, subject)
    return r is not None and r.kind == "fact"


def _w273(p: s.Provision, doc: DocumentInfo, date: s.Node) -> Diagnostic:
    assert isinstance(date, s.Name)
    name = date.dotted
    until = f" to {doc.valid_to}" if doc.valid_to else ""
    shown = doc.number or doc.name
    return Diagnostic(
        "W273",
        f"{p.kind} {p.name} reads the claim's date {name}, but no condition relates a date of "
        f"the claim to the force of {shown} (valid from {doc.valid_from}{until}): a claim "
        f"of any date, before the document too, {_DOES[p.kind]}",
        p.name_span or p.span,
        hint=f"write `eligible when {name} in force` (「自发布之日起实施」; an `events from` "
        "assumption on the document moves the first day where earlier events may count); "
        "where the text covers claims of any date, say why in a `note` of the clause or "
        "provision about its force (施行, 有效期, 追溯)",
        severity="warning",
    )
