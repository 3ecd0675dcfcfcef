"""Completion where the checker accepts only some names: after ``per`` the subject and its
owners (E207; a ``limit``'s owners only), after an unknown name's ``in`` or ``=`` no enum's
members, after a bare ``in`` only the sets and lists.  A small policy written here, looked
up through the analysis functions (lines and columns from 1)."""

from __future__ import annotations

import pytest

from policyrules.lsp.analysis import Analysis, analyse
from policyrules.lsp.completion import completions

# product belongs to firm; project is a sibling of product, not one of its owners.
POLICY = """document d "t"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms
  fact name: text "名称"
  fact firm_routes: list of Route "各产品路径"

entity product "产品"
  list products of firm
  fact routes: set of Route "路径"
  fact kind: Kind "类别"
  fact approved_on: date "获批日期"

entity project "项目"
  list projects of firm

enum Route "路径" {
  fast,
  slow,
}

enum Kind "类别" {
  device,
  drug,
}

assumption open_routes: set of Route = {fast} "r"

clause 1 "t"
  quote "q"

  award a "a"
    for each product
    eligible when fast in routes
    amount 1 万元
    cap 10 万元 per product
"""
LAST = "    cap 10 万元 per product"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, str]:
    directory = tmp_path_factory.mktemp("policy")
    path = directory / "t.rule"
    path.write_text(POLICY, "utf-8")
    analysis = analyse(directory, {})
    assert analysis.policy is not None
    assert not [d for ds in analysis.diagnostics.values() for d in ds if d.severity == "error"]
    return analysis, str(path)


def _offered(analysed: tuple[Analysis, str], typed: str, kind: str | None = None) -> set[str]:
    """The labels offered (of ``kind``; but keywords) at the end of ``typed``, a line after
    the cap."""
    analysis, path = analysed
    text = POLICY.replace(LAST, f"{LAST}\n{typed}")
    line = POLICY.split("\n").index(LAST) + 2
    items = completions(analysis, path, text, line, len(typed) + 1, (line - 1, len(LAST)))
    return {i.label for i in items if i.kind == kind or (kind is None and i.kind != "keyword")}


def test_after_a_caps_per_only_the_subject_and_its_owners(
    analysed: tuple[Analysis, str],
) -> None:
    """Not project, an entity of the policy but not product's owner (E207)."""
    assert _offered(analysed, "    cap 5 万元 per ", "entity") == {"product", "firm"}
    assert _offered(analysed, "    once per ", "entity") == {"product", "firm"}
    # `per year of D` stays on offer.
    assert "year" in _offered(analysed, "    cap 5 万元 per firm per ", "keyword")
    # A limit counts the subjects of an owner: not the subject itself.
    assert _offered(analysed, "    limit 3 per ", "entity") == {"firm"}
    # `for each` names the subject: any entity.
    assert _offered(analysed, "    for each ", "entity") == {"product", "firm", "project"}


def test_after_an_unknown_names_in_no_enums_members(analysed: tuple[Analysis, str]) -> None:
    """`nope in ` offered Route's and Kind's members mixed; now none of either."""
    members = {"fast", "slow", "device", "drug"}
    for typed in ("    eligible when nope in ", "    eligible when nope = "):
        assert not _offered(analysed, typed) & members, typed
    # In a set literal after an unknown name, which enum is meant is not known either.
    assert not _offered(analysed, "    eligible when nope in {") & members
    # A known name's enum still gives its own members, and only those.
    assert _offered(analysed, "    eligible when kind = ", "member") == {"device", "drug"}


def test_after_a_bare_in_the_sets_and_lists(analysed: tuple[Analysis, str]) -> None:
    """The set- and list-valued facts in scope and assumptions, not the date or the enum."""
    for typed in ("    eligible when nope in ", "    eligible when approved_on not in "):
        assert _offered(analysed, typed) == {"routes", "firm_routes", "open_routes"}, typed
    assert "force" in _offered(analysed, "    eligible when approved_on in ", "keyword")
