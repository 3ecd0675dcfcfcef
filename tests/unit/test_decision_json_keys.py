"""The keys of a decision's JSON (``Result.to_json``, ``eval --format json``, the service's
answer) come in one stable order, the optional ones in their places: a reader diffing two
answers, or a script reading them in order, sees the same layout from one release to the
next (the order was fixed by the dict literal before ``decision_json`` was written for speed).
"""

from __future__ import annotations

import datetime as dt

import attrs

from policyrules.decisions import CapEvent, Decision, Payment, Step
from policyrules.explain import decision_json
from policyrules.runtime.holds import Hold
from policyrules.runtime.money import Money

_HEAD = [
    "provision", "kind", "document", "document_number", "clause", "title", "subject",
    "status", "amount", "amount_kind",
]  # fmt: skip
_MIDDLE = [
    "reasons", "missing_facts", "missing_parameters", "granted_before", "caps", "facts",
    "parameters", "assumptions", "due", "done", "margin", "consequence",
]  # fmt: skip
_TAIL = ["quote", "clause_text", "trace", "exclusivity"]
_CAP = [
    "cap", "scope", "limit", "used_before", "earlier", "earlier_count", "earlier_claims",
    "earlier_total", "held", "held_count", "requested", "granted", "binding", "before",
    "after", "cut", "note",
]  # fmt: skip


def _decision(**extra: object) -> Decision:
    extra = {"amount_kind": "exact", **extra}
    cap = CapEvent(
        cap="cap 200 万元 per product",
        scope="product",
        limit=Money.of("200", "万元"),
        used_before=Money.zero(),
        requested=Money.of("300", "万元"),
        granted=Money.of("200", "万元"),
        binding=True,
        before=Money.of("300", "万元"),
        after=Money.of("200", "万元"),
    )
    return Decision(
        provision="doc/3/award",
        kind="award",
        document="某文件",
        document_number="京X发〔2025〕1号",
        clause="doc/3",
        title="奖励",
        subject="f1/P1",
        status="eligible",
        amount=Money.of("200", "万元"),
        caps=(cap,),
        due=dt.date(2026, 3, 2),
        quote="给予不超过200万元奖励",
        trace=(Step("condition", "approved", True),),
        **extra,  # type: ignore[arg-type]
    )


def test_the_keys_of_a_plain_decision_in_order() -> None:
    data = decision_json(_decision())
    assert list(data) == _HEAD + _MIDDLE + _TAIL
    assert list(data["caps"][0]) == _CAP
    # The cut said from the amounts before and after the binding cap: 300 - 200 = 100 万元.
    assert data["caps"][0]["cut"] == "1000000.00"
    assert data["clause"] == "3"
    assert data["due"] == "2026-03-02"


def test_the_optional_keys_in_their_places() -> None:
    hold = Hold("f1/P0", "doc/3/award", "eligibility", Money.of("50", "万元"))
    payment = Payment(year=2026, index=1, status="due", amount=Money.of("100", "万元"))
    d = _decision(
        amount_kind="range",
        amount_min=Money.of("100", "万元"),
        schedule=(payment,),
        encouraged=True,
        held_by=(hold,),
    )
    data = decision_json(d)
    optional = ["amount_min", "schedule"]
    assert list(data) == _HEAD + optional + _MIDDLE + ["encouraged"] + _TAIL + ["held_by"]
    assert data["amount_min"] == "1000000.00"
    assert data["held_by"] == [
        {
            "subject": "f1/P0",
            "provision": "doc/3/award",
            "why": "eligibility",
            "amount": "500000.00",
        }
    ]


def test_a_cap_that_did_not_bind_cut_nothing() -> None:
    # As CapEvent.cut says: what a cap took off is before - after where it bound, nothing
    # otherwise (here a later cap's amounts, 300 and 200 万元, on a cap that did not bind).
    d = _decision()
    unbound = attrs.evolve(
        d.caps[0],
        cap="cap 1000 万元 per firm per year",
        scope="firm",
        limit=Money.of("1000", "万元"),
        binding=False,
    )
    data = decision_json(attrs.evolve(d, caps=(unbound,)))
    assert data["caps"][0]["cut"] == "0.00"
    assert unbound.cut == Money.zero()
