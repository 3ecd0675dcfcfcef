"""Three-valued logic in explanations: the facts listed as deciding an outcome.

Random conditions (``and``/``or``/``not``/``if``/``in``/``known()``/comparisons), amounts and
caps over random facts, some of them missing:

(a) a settled decision (not eligible; eligible with an exact amount) lists no missing fact;
(b) an unknown decision lists a set of facts that settles it: giving exactly those facts any
    values of their types leaves the conditions no longer unknown; an award whose amount is
    only "up to" for want of facts becomes exact once they are given (or, through
    ``known()``, not eligible: settled either way).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policyrules import RuleCheckError
from policyrules import syntax as s
from policyrules.printer import print_module
from strategies import TYPED_HEADER, compile_text, money_exprs, three_valued_conditions

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "approved_on": st.dates(dt.date(2024, 6, 1), dt.date(2027, 6, 30)).map(dt.date.isoformat),
    "base": st.integers(0, 10**9).map(lambda fen: Decimal(fen).scaleb(-2)),
    "granted": st.integers(0, 10**9).map(lambda fen: Decimal(fen).scaleb(-2)),
    "ok": st.booleans(),
    "route": st.sampled_from(("ra", "rb", "rc")),
}

# Each fact given or missing.
_product = st.fixed_dictionaries({}, optional=_VALUES)


def _text(conditions: list[s.Expr], amount: s.Expr, cap: s.Expr | None) -> str:
    body: list[s.ProvisionStmt] = [s.Subject("product")]
    body += [s.Eligible(c) for c in conditions]
    body.append(s.Amount(amount))
    if cap is not None:
        body.append(s.Cap(cap, ("product",)))
    clause = s.Clause("1", "t", (s.Quote("q"),), (s.Provision("award", "a", None, tuple(body)),))
    return TYPED_HEADER + "\n" + print_module(s.Module((clause,)))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    st.lists(three_valued_conditions(), min_size=1, max_size=2),
    money_exprs(4),
    st.none() | money_exprs(3),
    _product,
    st.data(),
)
def test_missing_facts_are_exactly_a_settling_set(
    conditions: list[s.Expr],
    amount: s.Expr,
    cap: s.Expr | None,
    product: dict[str, Any],
    data: st.DataObject,
) -> None:
    """(a) settled: nothing listed; (b) unknown: the listed facts, given, settle it."""
    try:
        policy = compile_text(_text(conditions, amount, cap))
    except RuleCheckError:
        assume(False)
        raise

    d = policy.evaluate({"firms": [{"id": "f", "products": [{"id": "p", **product}]}]})
    [d] = d.decisions
    assert d.missing_parameters == ()
    for name in d.missing_facts:
        entity, fact = name.split(".", 1)
        assert entity == "product"
        assert fact in _VALUES
        assert fact not in product, f"{name} is given, yet listed as missing"
    if d.status == "not_eligible" or (d.status == "eligible" and d.amount_kind == "exact"):
        assert d.missing_facts == (), f"settled ({d.status}), yet lists {d.missing_facts}"
        return
    assert d.missing_facts, f"{d.status}/{d.amount_kind} but no fact would decide it"
    filled = dict(product)
    for name in d.missing_facts:
        fact = name.split(".", 1)[1]
        filled[fact] = data.draw(_VALUES[fact], label=fact)
    after = policy.evaluate({"firms": [{"id": "f", "products": [{"id": "p", **filled}]}]})
    [e] = after.decisions
    if d.status == "unknown":
        assert e.status != "unknown", f"given {d.missing_facts}, still unknown: {e.missing_facts}"
    else:
        assert d.status == "eligible"
        assert d.amount_kind in ("up_to", "unknown")
        # Settled either way: `not known(granted)` may turn false once granted is given.
        assert e.status == "not_eligible" or e.amount_kind == "exact", (
            f"given {d.missing_facts}, still {e.status}/{e.amount_kind}"
        )
