"""A fact, parameter or assumption never has an enum member's name (E244, issue 9 audit):
with `enum Kind {listed, other}` and `fact other: Kind`, `eligible when kind = other` used to
pass `check` and compare with the fact, silently."""

from __future__ import annotations

import pytest

from strategies import compile_text
from support import diagnostics as _diagnostics

_ENUM = "enum Kind { listed, other }\n"
_USE = (
    'document d "t"\n  valid from 2000-01-01\nclause 1\n  quote "q"\n'
    '  entitlement e\n    for each firm\n    eligible when kind = other\n    consequence "c"\n'
)
# One template per kind of declaration; {w} is its name.  Each is valid with a plain name.
_DECLS = {
    "fact": "entity firm\n  list firms\n  fact kind: Kind\n  fact {w}: Kind\n",
    "parameter": "entity firm\n  list firms\n  fact kind: Kind\nparameter {w}: Kind = listed\n",
    "assumption": (
        'entity firm\n  list firms\n  fact kind: Kind\nassumption {w}: Kind = listed "r"\n'
    ),
}


@pytest.mark.parametrize("what", sorted(_DECLS))
@pytest.mark.parametrize("name", ["listed", "other"])
def test_a_declaration_named_as_a_member_is_e244(what: str, name: str) -> None:
    """For each kind of declaration and each member: E244 exactly at the declared name, with
    a hint to rename it that names the qualified member `Kind.NAME`."""
    text = _ENUM + _DECLS[what].format(w=name) + _USE
    # (`parameter listed: Kind = listed` also gets E217: its default names itself.)
    found = _diagnostics(text)
    assert found[0].code == "E244"
    (d,) = [d for d in found if d.code == "E244"]
    assert d.span is not None
    line = text.splitlines()[d.span.line - 1]
    assert line[d.span.col - 1 : d.span.end_col - 1] == name
    assert d.hint is not None
    assert f"Kind.{name}" in d.hint
    assert "rename" in d.hint


@pytest.mark.parametrize("what", sorted(_DECLS))
def test_a_plain_name_is_accepted(what: str) -> None:
    """The same declarations under a name no member has check cleanly."""
    assert _diagnostics(_ENUM + _DECLS[what].format(w="chosen") + _USE) == []


def test_the_issue_example_compares_with_the_member_once_renamed() -> None:
    """Renamed (`other_kind`), `kind = other` is the member: a firm of kind `other` is
    eligible whatever `other_kind` says."""
    text = _ENUM + _DECLS["fact"].format(w="other_kind") + _USE
    policy = compile_text(text)
    facts = policy.read_facts({"firms": [{"id": "f", "kind": "other", "other_kind": "listed"}]})
    (d,) = policy.evaluate(facts).decisions
    assert d.status == "eligible"
