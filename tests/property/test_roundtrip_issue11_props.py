"""Round trip (print → parse) of the two late constructs of issue 11 in any surroundings:
``prevails over earlier`` in a document's header and ``cap … over N years from first
grant`` on an award paid over time.  :func:`strategies.modules` can draw both; here every
example holds both, placed after a random module."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from policyrules import syntax as s
from policyrules.parse import parse
from policyrules.printer import print_module
from strategies import expressions, modules, names


@st.composite
def _with_both(draw: st.DrawFn) -> s.Module:
    head = draw(modules())
    issued = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
    doc_name, award, owner = draw(names), draw(names), draw(names)
    document = s.Document(doc_name, "以此为准", (s.DocIssued(issued), s.Prevails()))
    cap = s.Cap(
        draw(expressions),
        tuple(draw(st.lists(names, max_size=2))),
        window=draw(st.integers(0, 60)),
        from_first=True,
    )
    schedule = s.Schedule(draw(st.integers(0, 60)), draw(expressions), yearly=True)
    provision = s.Provision("award", award, None, (s.Subject(owner, each=True), cap, schedule))
    clause = s.Clause("1", None, (s.Quote("q"),), (provision,))
    return s.Module((*head.items, document, clause))


@given(_with_both())
def test_prevails_and_first_grant_windows_round_trip(tree: s.Module) -> None:
    """The tree printed and parsed again is the same tree, and printing is idempotent."""
    text = print_module(tree)
    assert "prevails over earlier" in text
    assert "years from first grant" in text
    assert parse(text) == tree
    assert print_module(parse(text)) == text
