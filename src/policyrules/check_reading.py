"""What a provision's rules are read against: its quote and the author's notes.

A provision's quote is its own ``quote`` where it has one, else its clause's; its notes are
the clause's and its own (a note is the author's reading, and silences a warning that the
reading answers).  The checker's quote-reading warnings (W218, W266, W267, W269, W270-W272, W274)
all read a provision through :func:`reading`, a clause's own items (defines, tables) through
:func:`clause_reading`.
"""

from __future__ import annotations

import attrs

from . import syntax as s

__all__ = ["Reading", "clause_reading", "reading"]


@attrs.frozen
class Reading:
    """The text a provision (or a clause's own item) is read against: ``quote``, and the
    ``notes`` that state the author's reading of it, the clause's first."""

    quote: str
    notes: tuple[str, ...]


def clause_reading(clause: s.Clause, quote: str) -> Reading:
    """The clause's quote and its notes."""
    return Reading(quote, _notes(clause.body))


def reading(clause: s.Clause, p: s.Provision, quote: str) -> Reading:
    """The quote of ``p`` (its own, else ``quote``, the clause's) and the notes of the
    clause and of ``p``.

    >>> from policyrules import parse
    >>> m = parse('clause 1 "t"\\n  quote "a"\\n  note "n"\\n\\n  award x\\n    for each f\\n'
    ...           '    quote "b"\\n    note "m"\\n\\n  award y\\n    for each f\\n', "t.rule")
    >>> c = m.items[0]
    >>> reading(c, c.provisions[0], "a"), reading(c, c.provisions[1], "a")
    (Reading(quote='b', notes=('n', 'm')), Reading(quote='a', notes=('n',)))
    """
    own = [b.text for b in p.body if isinstance(b, s.Quote)]
    return Reading(own[0] if own else quote, _notes(clause.body) + _notes(p.body))


def _notes(body: tuple[s.Stmt, ...]) -> tuple[str, ...]:
    return tuple(b.text for b in body if isinstance(b, s.Note))
