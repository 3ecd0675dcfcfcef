"""``trusted.decision`` (a paid or refused claim's Decision filled through its slots, the
fields it is not given at their defaults) makes the value ``Decision(...)`` makes from the
same arguments: equal, field for field, with the same hash and repr, and it pickles back
to an equal value.  ``trusted.deferred`` (a paid claim's Decision whose trace is made when
first read) is that same value in every way a caller can see, and makes its trace once,
only when it is read."""

from __future__ import annotations

import copy
import pickle

import attrs
from hypothesis import given
from hypothesis import strategies as st

from policyrules.backends.python.trusted import decision, deferred
from policyrules.decisions import CapEvent, Decision, Step, lead_steps
from policyrules.runtime.money import Money

_TEXT = st.text(max_size=8)
_MAYBE = st.none() | _TEXT
_MONEY = st.none() | st.integers(-(10**12), 10**12).map(Money)
_PAIRS = st.lists(st.tuples(_TEXT, _TEXT), max_size=3).map(tuple)
_STEPS = st.lists(st.builds(Step, _TEXT, _TEXT, st.sampled_from([True, False, None])), max_size=3)
_CAPS = st.lists(
    st.builds(CapEvent, _TEXT, _TEXT, _MONEY, st.just(Money(0)), _MONEY, _MONEY, st.booleans()),
    max_size=2,
)


_STATIC = st.fixed_dictionaries(
    {
        "provision": _TEXT,
        "kind": _TEXT,
        "document": _TEXT,
        "document_number": _MAYBE,
        "clause": _TEXT,
        "title": _MAYBE,
        "quote": _MAYBE,
        "clause_quote": _MAYBE,
        "parameters_set": st.lists(_TEXT, max_size=2).map(tuple),
    }
)


@given(
    static=_STATIC,
    subject=_TEXT,
    status=_TEXT,
    amount=_MONEY,
    amount_kind=_MAYBE,
    reasons=st.lists(_TEXT, max_size=3).map(tuple),
    caps=_CAPS.map(tuple),
    granted_before=_MONEY,
    facts=_PAIRS,
    assumptions=_PAIRS,
    parameters=_PAIRS,
    trace=_STEPS.map(tuple),
)
def test_trusted_decision_is_the_attrs_one(
    static: dict[str, str | None],
    subject: str,
    status: str,
    amount: Money | None,
    amount_kind: str | None,
    reasons: tuple[str, ...],
    caps: tuple[CapEvent, ...],
    granted_before: Money | None,
    facts: tuple[tuple[str, str], ...],
    assumptions: tuple[tuple[str, str], ...],
    parameters: tuple[tuple[str, str], ...],
    trace: tuple[Step, ...],
) -> None:
    args = (amount, amount_kind, reasons, caps, granted_before, facts, assumptions, parameters)
    made = decision(static, subject, status, *args, trace)
    expected = Decision(
        subject=subject,
        status=status,
        amount=amount,
        amount_kind=amount_kind,
        reasons=reasons,
        caps=caps,
        granted_before=granted_before,
        facts=facts,
        assumptions=assumptions,
        parameters=parameters,
        trace=trace,
        **static,  # type: ignore[arg-type]
    )
    assert made == expected
    for field in attrs.fields(Decision):  # identity where equality could hide a type
        assert type(getattr(made, field.name)) is type(getattr(expected, field.name))
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert pickle.loads(pickle.dumps(made)) == expected


@given(
    static=_STATIC,
    subject=_TEXT,
    status=_TEXT,
    amount=_MONEY,
    caps=_CAPS.map(tuple),
    granted_before=_MONEY,
    facts=_PAIRS,
    lead=_STEPS.map(tuple),
    rest=_STEPS.map(tuple),
    read_first=st.sampled_from(
        ["trace", "eq", "reflected", "hash", "repr", "pickle", "copy", "deepcopy"]
    ),
)
def test_a_deferred_decision_is_the_decision_with_its_trace(
    static: dict[str, str | None],
    subject: str,
    status: str,
    amount: Money | None,
    caps: tuple[CapEvent, ...],
    granted_before: Money | None,
    facts: tuple[tuple[str, str], ...],
    lead: tuple[Step, ...],
    rest: tuple[Step, ...],
    read_first: str,
) -> None:
    calls: list[int] = []

    def later() -> tuple[Step, ...]:
        calls.append(1)
        return lead + rest

    made = deferred(
        static, subject, status, amount, "exact", caps, granted_before, facts, (), (), lead, later
    )
    expected = Decision(
        subject=subject,
        status=status,
        amount=amount,
        amount_kind="exact",
        caps=caps,
        granted_before=granted_before,
        facts=facts,
        trace=lead + rest,
        **static,  # type: ignore[arg-type]
    )
    assert type(made) is Decision
    assert lead_steps(made) == lead  # the first steps, the rest not made
    assert made.amount == amount
    assert made.caps == caps
    assert calls == []
    # whichever way it is first looked at, it is the Decision with that trace
    if read_first == "trace":
        assert made.trace == expected.trace
    elif read_first == "eq":
        assert made == expected
    elif read_first == "reflected":
        assert expected == made
    elif read_first == "hash":
        assert hash(made) == hash(expected)
    elif read_first == "repr":
        assert repr(made) == repr(expected)
    elif read_first == "pickle":
        back = pickle.loads(pickle.dumps(made))
        assert back == expected
    elif read_first == "copy":
        assert copy.copy(made) == expected
    else:
        assert copy.deepcopy(made) == expected
    assert calls == [1]  # made once, on first read, and kept
    assert made == expected
    assert expected == made
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert made.trace == expected.trace
    assert lead_steps(made) == made.trace
    assert calls == [1]
    other = attrs.evolve(made, status=status + "x")  # attrs' __init__ sets the trace
    assert other.trace == expected.trace
    assert other != expected
    assert attrs.evolve(made) == expected
