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


# Three awards: no schedule, paid yearly (its amount and caps may read the year paid), paid
# in instalments (one entitlement: only its caps' `per year of` reads the year paid).
SCHEDULES = """document d "t"
  valid from 2026-01-01 to 2030-12-31

entity firm "企业"
  list firms
  fact applied_on: date "申报日期"
  fact yearly_rd: list of money "各年度研发投入"

clause 1 "t"
  quote "q"

  award lump "a"
    for each firm
    eligible when applied_on in force
    amount 10 万元

  award annual "b"
    for each firm
    eligible when applied_on in force
    amount 10% of this_year(yearly_rd)
    paid yearly for 3 years from applied_on

  award staged "c"
    for each firm
    eligible when applied_on in force
    amount 30 万元
    paid over 3 years from applied_on: 40%, 30%, 30% remainder last
"""
PAYMENTS = {"payment_year", "year_index", "this_year"}


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, str]:
    directory = tmp_path_factory.mktemp("schedules")
    path = directory / "t.rule"
    path.write_text(SCHEDULES, "utf-8")
    analysis = analyse(directory, {})
    assert analysis.policy is not None
    assert not [d for ds in analysis.diagnostics.values() for d in ds if d.severity == "error"]
    return analysis, str(path)


def _eligible_line(award: str) -> int:
    """The index of the ``eligible when`` line of ``award`` in :data:`SCHEDULES`."""
    lines = SCHEDULES.split("\n")
    return next(i for i, line in enumerate(lines) if line.startswith(f"  award {award} ")) + 2


def _payments_offered(scheduled: tuple[Analysis, str], award: str, typed: str) -> set[str]:
    """The payment built-ins offered at the end of ``typed``, a line written after the
    ``eligible when`` line of ``award``."""
    analysis, path = scheduled
    lines = SCHEDULES.split("\n")
    after = _eligible_line(award)
    text = "\n".join([*lines[: after + 1], typed, *lines[after + 1 :]])
    items = completions(analysis, path, text, after + 2, len(typed) + 1, (after + 1, 5))
    return {i.label for i in items if i.kind == "builtin"} & PAYMENTS


@pytest.mark.parametrize(
    ("award", "typed", "offered"),
    [
        # hCD's trial: all three were offered here, each an E291 once written
        ("lump", "    eligible when ", set()),
        ("lump", "    amount ", set()),
        ("lump", "    cap 5 万元 per firm per year of ", set()),
        # paid yearly: its amount and its caps, not its conditions or a cap's exception
        ("annual", "    eligible when ", set()),
        ("annual", "    eligible when known(applied_on) and ", set()),
        ("annual", "    amount 10% of ", PAYMENTS),
        ("annual", "    amount min(", PAYMENTS),
        ("annual", "    cap ", PAYMENTS),
        ("annual", "    cap 50 万元 per firm per year of ", {"payment_year"}),
        ("annual", "    cap 50 万元 per firm unless ", set()),
        ("annual", "    cap 50 万元 per firm per year of payment_year() unless known(", set()),
        ("annual", "    minimum ", set()),
        ("annual", "    order by ", set()),
        # in instalments: one entitlement, computed once; a cap counts by the year paid
        ("staged", "    amount ", set()),
        ("staged", "    cap ", set()),
        ("staged", "    cap 50 万元 per firm per year of ", {"payment_year"}),
    ],
)
def test_the_payment_functions_only_where_the_checker_allows_them(
    scheduled: tuple[Analysis, str], award: str, typed: str, offered: set[str]
) -> None:
    assert _payments_offered(scheduled, award, typed) == offered


def test_the_functions_offered_check_where_written(scheduled: tuple[Analysis, str]) -> None:
    """Each function offered, written there, passes the checker; each left out is E291 or
    E290 (the checker's own verdict on some of the cases above, beside the rule's copy)."""
    from policyrules.check import check_all
    from policyrules.parse import parse

    lines = SCHEDULES.split("\n")
    cases = {
        ("lump", "    eligible when ", "payment_year() >= 2026"): "E291",
        ("annual", "    eligible when ", "year_index() >= 1"): "E291",
        ("annual", "    cap ", "year_index() * 10 万元 per firm"): None,
        ("annual", "    cap 100 万元 per firm per year of ", "payment_year()"): None,
        ("staged", "    cap 100 万元 per firm per year of ", "payment_year()"): None,
        ("staged", "    cap 100 万元 per firm per year of ", "year_index()"): "E290",
        ("staged", "    cap ", "year_index() * 10 万元 per firm"): "E291",
    }
    for (award, typed, call), code in cases.items():
        after = _eligible_line(award)
        text = "\n".join([*lines[: after + 1], typed + call, *lines[after + 1 :]])
        _, found = check_all([parse(text, "t.rule")], texts={"t.rule": text})
        codes = {d.code for d in found if d.severity == "error"}
        assert (code in codes) if code else not codes, (award, typed + call, codes)
        offered = _payments_offered(scheduled, award, typed)
        assert (call.split("(")[0] in offered) == (code is None), (award, typed, offered)


def test_a_define_is_offered_them(scheduled: tuple[Analysis, str]) -> None:
    """A define is checked where it is used, not where it is written: all three."""
    analysis, path = scheduled
    lines = SCHEDULES.split("\n")
    typed = '  define paid_in "支付年度" = '
    at = lines.index('  quote "q"') + 1
    text = "\n".join([*lines[:at], typed, *lines[at:]])
    items = completions(analysis, path, text, at + 1, len(typed) + 1, (at, 3))
    assert {i.label for i in items if i.kind == "builtin"} >= PAYMENTS
