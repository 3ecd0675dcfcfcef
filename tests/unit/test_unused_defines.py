"""W258: a define no provision reads is checked nowhere, and says so; E203 names whose fact.

A define's names are typed where a provision reads it, in that provision's subject: one no
provision reads was never typed, so `define junk = in_key_park + 5 万元 + nosuchfact` and
`define selfref = selfref + 1 元` passed `check --strict`.  Each now warns.
"""

from __future__ import annotations

from tests.strategies import compile_text

HEAD = """document d "测试"
  valid from 2026-01-01

entity firm "企业"
  list firms
  fact rent: money "房租"

define half = 50% of rent
define capped = min(half, 100 万元)
define junk = rent + 5 万元 + nosuchfact
define selfref = selfref + 1 元

clause 1 "c"
  quote "q"
  award a
    for each firm
    amount capped
"""


def test_a_define_no_provision_reads_warns() -> None:
    policy = compile_text(HEAD)
    said = {d.message: d for d in policy.checked.warnings if d.code == "W258"}
    assert sorted(said) == [
        "define 'junk' is read by no provision: it is not checked",
        "define 'selfref' is read by no provision: it is not checked",
    ]  # half is read through capped, which the award reads
    junk = said["define 'junk' is read by no provision: it is not checked"]
    assert junk.span is not None
    assert junk.span.line == 10
    # 50% of 120 万元 = 60 万元, within 100 万元.
    (d,) = policy.evaluate({"firms": [{"id": "A", "rent": "120万元"}]}).decisions
    assert d.amount is not None
    assert d.amount.fen == 60_000_000


def test_a_fact_of_another_entity_is_named_where_it_is_declared() -> None:
    """A new author's trial: a firm's award reading a product's `sales` was told only
    "unknown fact 'sales'"; the hint now says whose fact it is."""
    import pytest

    from policyrules.errors import RuleCheckError

    text = HEAD.replace(
        "define half",
        'entity product "产品"\n  list products of firm\n  fact sales: money\n\ndefine half',
    ).replace("amount capped", "eligible when sales > 0 元\n    amount capped")
    with pytest.raises(RuleCheckError) as info:
        compile_text(text)
    (d,) = [d for d in info.value.diagnostics if d.code == "E203"]
    assert d.hint == (
        "sales is a fact of product; a provision `for each firm` reads the facts of firm and "
        "of the entities that own it"
    )
