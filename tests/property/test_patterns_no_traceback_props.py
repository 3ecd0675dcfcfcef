"""No traceback from the amount constructs of ``policies/patterns`` on any facts (issue 9).

The illustrative policy holds one clause per construct: a rate within a range decided by a
fact, a money range, a minimum, steps, progressive bands, a rational rate with a rounding, a
division, tier tables (thresholds, levels, a quota, readings through the ledger), another
currency with its exchange rate, caps with exceptions, facts that may be stated none.
Facts are drawn per declared type: missing, none (where the type allows it), zero, the
policy's own boundaries and one unit either side, values beyond them; the open parameters
given or not, an exchange rate of zero included, a ledger of earlier grants or none.  Each
evaluation must give every decision, or refuse with the project's own error
(:class:`~policyrules.PolicyRulesError`), and its explanations (text, Chinese text, JSON)
must render: never another exception.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import policyrules
from policyrules import Policy, PolicyRulesError
from policyrules.explain import explain_text, result_json
from policyrules.explain_zh import explain_text_zh
from policyrules.model import EntityInfo, FactInfo

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"

# Money at the patterns' boundaries (1000 万, 5000 万, 100 万, the band limits...), a fen
# either side, zero (the reader refuses money below zero, E303).
_YUAN = (
    "0 元",
    "0.01 元",
    "1 元",
    "99.99 元",
    "100 元",
    "20万元",
    "49,999,999.99 元",
    "5000万元",
    "9,999,999.99 元",
    "1000万元",
    "10,000,000.01 元",
    "1000万元",
    "1100万元",
    "1199万元",
    "2亿元",
    "1亿元",
    "999999亿元",
)
_RATES = ("0%", "9.99%", "10%", "20%", "30%", "30.01%", "100%")
_DATES = ("2025-12-31", "2026-01-01", "2026-06-30", "2028-12-31", "2029-01-01", "0001-01-01")
_COUNTS = (0, 1, 2, 3, 10, 11, 999999)
_YEARS = (1, 2025, 2026, 2027, 9999)


def _values(f: FactInfo, enums: dict[str, tuple[str, ...]]) -> st.SearchStrategy[Any]:
    """What a fact of ``f``'s type may hold in a facts file, at and around the edges."""
    typ = f.type
    kind = typ.kind
    if kind == "bool":
        out: st.SearchStrategy[Any] = st.booleans()
    elif kind == "money":
        if typ.unit and typ.unit not in ("元", "CNY"):
            out = st.sampled_from(("0 美元", "999,999.99 美元", "100万美元", "1亿美元"))
        else:
            out = st.sampled_from(_YUAN)
    elif kind == "rate":
        out = st.sampled_from(_RATES)
    elif kind == "date":
        out = st.sampled_from(_DATES)
    elif kind == "year":
        out = st.sampled_from(_YEARS)
    elif kind == "number":
        out = st.sampled_from(_COUNTS)
    elif kind == "enum" and typ.name in enums:
        out = st.sampled_from(enums[typ.name])
    elif kind == "list" and typ.element is not None and typ.element.kind == "money":
        # a yearly list (贴息: the interest paid each year): empty, short or one per year
        out = st.lists(st.sampled_from(_YUAN), max_size=4)
    else:
        pytest.fail(f"no strategy for the fact {f.entity}.{f.name}: {typ.describe()}")
    if typ.nullable:
        out = out | st.just("none")
    return out


def _item(ent: EntityInfo, enums: dict[str, tuple[str, ...]]) -> st.SearchStrategy[dict[str, Any]]:
    """One item of ``ent``: each fact present (drawn by :func:`_values`) or missing."""
    facts = [f for f in ent.facts if f.name != "id"]
    return st.fixed_dictionaries({}, optional={f.name: _values(f, enums) for f in facts})


_LOADED: list[Policy] = []


def _policy() -> Policy:
    if not _LOADED:
        _LOADED.append(policyrules.load(PATTERNS))
    return _LOADED[0]


def _facts(policy: Policy) -> st.SearchStrategy[dict[str, Any]]:
    checked = policy.checked
    enums = {e.name: e.member_names for e in checked.enums}
    firm = next(e for e in checked.entities if e.name == "firm")
    project = next(e for e in checked.entities if e.name == "project")
    projects = st.lists(_item(project, enums), max_size=3).map(
        lambda ps: [{"id": f"P{n}", **p} for n, p in enumerate(ps, start=1)]
    )
    firms = st.lists(st.tuples(_item(firm, enums), projects), min_size=1, max_size=2).map(
        lambda fs: [{"id": f"F{n}", **f, "projects": ps} for n, (f, ps) in enumerate(fs, 1)]
    )
    # A grant carries the keys its provision is counted by: the firm, and the project for
    # an award per project.
    awards = [(p.id, p.subject) for p in checked.provisions() if p.kind == "award"]
    grant = st.tuples(
        st.sampled_from(awards),
        st.sampled_from(("0 元", "50万元", "100万元")),
        st.sampled_from((2026, 2027)),
    ).map(
        lambda g: {
            "provision": g[0][0],
            "firm": "F1",
            **({"project": "P1"} if g[0][1] == "project" else {}),
            "amount": g[1],
            "year": g[2],
        }
    )
    parameters = st.fixed_dictionaries(
        {},
        optional={
            "usd_cny": st.sampled_from(
                (
                    {"rate": "7.1234", "date": "2026-01-05"},
                    {"rate": "0", "date": "2026-01-05"},
                )
            ),
            "benchmark_amounts": st.sampled_from(
                ({"grade_one": "100万元"}, {"grade_one": "0 元", "grade_two": "-1 元"})
            ),
        },
    )
    return st.fixed_dictionaries(
        {"firms": firms}, optional={"ledger": st.lists(grant, max_size=2), "parameters": parameters}
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_pattern_constructs_never_raise_a_traceback(data: st.DataObject) -> None:
    """Every decision comes back (or the project's own error names the bad input), and the
    explanations render."""
    policy = _policy()
    facts = data.draw(_facts(policy))
    try:
        result = policy.evaluate(facts)
    except PolicyRulesError as err:
        event(f"refused: {str(err)[:90]}")
        return  # a located refusal of the input (a grant naming an unknown tier...)
    event("evaluated")
    for d in result.decisions:
        assert d.status in {"eligible", "not_eligible", "unknown", "met", "not_met", "pending"}
        if d.amount is not None and d.amount_min is not None:
            assert d.amount_min <= d.amount, d
    explain_text(result)
    explain_text_zh(result)
    json.dumps(result_json(result))
    quiet = policy.evaluate(facts, explain=False)
    assert [(d.status, d.amount, d.amount_kind) for d in quiet.decisions] == [
        (d.status, d.amount, d.amount_kind) for d in result.decisions
    ]
