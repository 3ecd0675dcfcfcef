"""No traceback, ever, from an expression that ``check`` accepted (issue 9, §7).

Random well-typed expressions of every type (money, rate, number, date, durations in each
unit, bool, enums, text, lists and sets; every operator and built-in, ``if``,
``and``/``or``/``not``, ``in``, ``of``, ``known()``, ``year()``, ``in force``) are put in
every position of a small policy: an ``eligible when`` condition, an award's amount, a cap's
limit and year, an ``order by`` key, a deadline's period, start and completion, a target.
The policy is checked, compiled and evaluated on random facts with extreme values.  Every
decision must come back; one that cannot be decided is ``unknown`` and says why.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from policyrules import FactsError, RuleCheckError
from policyrules.explain import explain_text, result_json
from strategies import compile_text, every_position_policies, extreme_facts

_STATUSES = {"eligible", "not_eligible", "unknown", "met", "not_met", "pending"}


@given(
    every_position_policies(),
    extreme_facts,
    st.sampled_from((None, "2025-06-01", "9999-12-31")),
    st.sampled_from(({}, {"pr": "30%"}, {"pm": "0 元", "pn": "-2"})),
    st.sampled_from(("error", "weekends_only", "statutory_projection")),
)
def test_well_typed_expressions_never_raise(
    text: str,
    facts: dict[str, Any],
    as_of: str | None,
    parameters: dict[str, str],
    holidays: str,
) -> None:
    """check accepts (or refuses a constant with E241–E243); then every decision comes back."""
    try:
        policy = compile_text(text)
    except RuleCheckError as err:
        refused = err
    else:
        refused = None
    if refused is not None:
        codes = {d.code for d in refused.diagnostics}
        assert codes <= {"E241", "E242", "E243"}, str(refused)
        event("check refused a constant (E241-E243)")
        return
    try:
        result = policy.evaluate(
            facts,
            parameters=parameters,
            # Dates run from 0001 to 9999: most years have no published holiday schedule.
            assumptions={"holiday_schedule": holidays},
            as_of=as_of,
        )
    except FactsError as err:  # a date fact after as_of is no fact yet on that day (E353)
        refused = err
    else:
        refused = None
    if refused is not None:
        assert as_of is not None, str(refused)
        assert {d.code for d in refused.diagnostics} == {"E353"}, str(refused)
        event("a date after as_of refused (E353)")
        return
    assert len(result.decisions) == 4 * len(facts["firms"])
    for d in result.decisions:
        assert d.status in _STATUSES
        if d.status == "unknown":
            assert d.reasons or d.missing_facts or d.missing_parameters
        for reason in d.reasons:
            assert "Traceback" not in reason
    explain_text(result, verbose=True)
    result_json(result)
    event("evaluated")
