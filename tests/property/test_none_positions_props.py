"""A fact that may be none, in any place an expression stands: refused when checked, or
decided on both paths alike; never a traceback.

Each example is one award (or deadline) built from a statement pattern whose places take a
plain fact, a fact declared `T or none`, the same with `otherwise`, or a literal; three
firms state each fact that may be none as none, give a value, or leave it out.  The policy
must be refused with the project's own error (E282 where a value that may be none stands
where a value is needed) or evaluate, its texts render, and, where the batch compiles it,
the DuckDB batch give the same decisions (``tests.both_paths``).  Before E282 covered them,
a cap's `per year of`, a schedule's `from`, ranges, `progressive`, a table's key, `convert()`
and a quota's rank each stopped the evaluation with an AssertionError or a TypeError.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text
from tests.unit.test_none_needs_value import TABLE_RATE_FIRM

from policyrules import PolicyRulesError
from policyrules.explain import explain_text, result_json
from policyrules.explain_zh import explain_text_zh

HEAD = (
    TABLE_RATE_FIRM
    + """  fact m0: money
  fact m: money or none
  fact d0: date
  fact d: date or none
  fact r0: rate
  fact r: rate or none
  fact n0: number
  fact n: number or none
  fact u0: money(USD)
  fact u: money(USD) or none

document t "测试"
  valid from 2025-01-01 to 2027-12-31

clause 1
  quote "q"
"""
)

# What each kind of place may hold: the plain fact, the fact that may be none, that fact
# with `otherwise`, a literal.
PLACES = {
    "M": ("m0", "m", "(m otherwise 0 元)", "50 万元"),
    "D": ("d0", "d", "(d otherwise 2025-06-01)", "2025-06-01"),
    "R": ("r0", "r", "(r otherwise 10%)", "20%"),
    "N": ("n0", "n", "(n otherwise 1)", "3"),
    "U": ("u0", "u", "(u otherwise 0 美元)", "1 万美元"),
    "F": ("n0", "n"),  # a quota's rank: a fact's name
}

AWARD = "  award z\n    for each firm\n"
PATTERNS = (
    AWARD + "    amount {M}",
    AWARD + "    amount {R} of {M}",
    AWARD + "    amount {M}\n    cap {M} per firm",
    AWARD + "    amount {M}\n    cap 10 万元 per firm per year of {D}",
    AWARD + "    amount {R} to 30% of {M}",
    AWARD + "    amount {M} to 300 万元",
    AWARD + "    amount progressive {M} band up to {M} pays {R} band above pays 5%",
    AWARD + "    eligible when {M} reaches scale\n    amount scale[{M}]",
    AWARD + "    amount 10 万元\n    paid over 2 years from {D}: 60%, 40% remainder first",
    AWARD + "    eligible when {D} in force and year({D}) >= 2025\n    amount 1 万元",
    AWARD + "    eligible when {M} > 5 万元 and {N} >= 2\n    amount 1 万元",
    AWARD + "    amount 1 万元\n    order by {D}\n    cap 2 万元 per firm",
    AWARD + "    amount min({M}, 5 万元)",
    AWARD + "    amount 1 万元\n    minimum {M}",
    AWARD + "    amount 2% of convert({U}, usd)",
    AWARD + "    quota 2 ranked by {F}\n    amount 1 万元",
    "  deadline z\n    for each firm\n    due 60 工作日 after {D}\n    done {D}",
)

VALUES = {
    "m0": "120 万元",
    "m": "80 万元",
    "d0": "2025-03-03",
    "d": "2026-02-02",
    "r0": "15%",
    "r": "25%",
    "n0": "2",
    "n": "1",
    "u0": "2 万美元",
    "u": "3 万美元",
}
NULLABLE = ("m", "d", "r", "n", "u")


@st.composite
def _policy_text(draw: st.DrawFn) -> str:
    pattern = draw(st.sampled_from(PATTERNS))
    text = pattern
    for kind, choices in PLACES.items():
        while "{" + kind + "}" in text:
            text = text.replace("{" + kind + "}", draw(st.sampled_from(choices)), 1)
    return HEAD + text + "\n"


def _firm(ident: str) -> st.SearchStrategy[dict[str, Any]]:
    plain = {k: v for k, v in VALUES.items() if k not in NULLABLE}
    maybe = {k: st.sampled_from([VALUES[k], "none"]) for k in NULLABLE}
    return st.fixed_dictionaries(
        {"id": st.just(ident), **{k: st.just(v) for k, v in plain.items()}}, optional=maybe
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_policy_text(), st.tuples(_firm("A"), _firm("B"), _firm("C")))
def test_a_fact_that_may_be_none_is_refused_or_decided_alike(
    text: str, firms: tuple[dict[str, Any], ...]
) -> None:
    try:
        policy = compile_text(text)
    except PolicyRulesError as e:
        event(f"refused: {sorted({d.code for d in getattr(e, 'diagnostics', [])})}")
        return
    event("checked")
    data = {"firms": list(firms)}
    parameters = {"usd": {"rate": "7.1", "date": "2025-01-05"}}
    result = policy.evaluate(data, parameters=parameters)
    explain_text(result)
    explain_text_zh(result, policy.words)
    result_json(result)
    if "convert(" in text:
        return  # the batch of tests.both_paths gives no parameters
    try:
        decisions_both_ways(policy, policy.read_facts(data))
    except PolicyRulesError as e:  # a construct the batch does not compile (E6xx)
        event(f"batch: {type(e).__name__}")
    else:
        event("both paths alike")
