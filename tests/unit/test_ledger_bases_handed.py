"""A result's readings survive ``Ledger(result.grants)`` and ``+`` (issue 9 §3, F6).

Policy: 京经信发〔2025〕50号 第3条 launch_reward (创新医疗器械获批上市一次性奖励): 200 万元
per product, once; 单个企业年度奖励不超过 1000 万元, the year being that of approval by
default, or with ``annual_cap_year=decision`` that of the funding decision.

Firm f1, products X1–X8, each approved 2026-03-02 and decided 200 万元 on 2027-01-15.
Run 1 by decision pays X1–X3: 3 × 200 = 600 万元, counted in 2027.  Run 2 for X4–X8:
- by decision, with run 1's grants counted: 1000 − 600 = 400 万元 left in 2027: X4 200,
  X5 200, X6–X8 0;
- by approval, run 1's grants (2027) fall in no account of 2026: X4–X8 get 5 × 200 = 1000
  万元, 1600 万元 for one firm's products all approved in 2026 (the fault).  Handed on with
  their reading, run 2 by approval is refused (E335).
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Ledger, LedgerError, Money
from policyrules.runtime.ledger import Grants
from support import BEIJING as POLICY
from support import LAUNCH_APPROVAL as APPROVAL
from support import LAUNCH_DECISION as DECISION
from support import LAUNCH_REWARD as REWARD
from support import WAN

YEAR = "annual_cap_year"
DEC = {YEAR: "decision"}
AS_OF = "2027-12-31"


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _facts(first: int, last: int) -> dict[str, Any]:
    """f1's products X<first>..X<last>: approved 2026-03-02, 200 万元 decided 2027-01-15."""
    products = [
        {
            "id": f"X{i}",
            "approved_on": "2026-03-02",
            "launch_routes": ["national_priority_review"],
            "launch_reward_decided": "200万元",
            "launch_reward_decided_on": "2027-01-15",
        }
        for i in range(first, last + 1)
    ]
    return {"firms": [{"id": "f1", "products": products}]}


def _paid(result: policyrules.Result) -> dict[str, int]:
    """Fen paid per product claiming the launch reward (0: no grant)."""
    fen = {g.path[-1][1]: g.amount.fen for g in result.grants if g.provision == REWARD}
    claimed = {d.subject.rsplit("/", 1)[-1] for d in result.decisions if d.provision == REWARD}
    return {p: fen.get(p, 0) for p in claimed}


def _code(err: pytest.ExceptionInfo[LedgerError]) -> str:
    return err.value.diagnostics[0].code


@pytest.fixture(scope="module")
def first(beijing: policyrules.Policy) -> policyrules.Result:
    """Run 1 by decision: X1–X3, 3 × 200 = 600 万元 in 2027."""
    result = beijing.evaluate(_facts(1, 3), ledger=[], assumptions=DEC, as_of=AS_OF)
    assert _paid(result) == {f"X{i}": 200 * WAN for i in (1, 2, 3)}
    assert {g.year for g in result.grants} == {2027}
    assert DECISION in result.grants.bases
    return result


def test_a_ledger_of_a_results_grants_keeps_their_reading(
    beijing: policyrules.Policy, first: policyrules.Result
) -> None:
    ledger = Ledger(first.grants)
    assert ledger.bases == first.grants.bases
    with pytest.raises(LedgerError) as err:  # by approval: 1000 万元 more in 2026
        beijing.evaluate(_facts(4, 8), ledger=ledger, as_of=AS_OF)
    assert _code(err) == "E335"
    # by decision: 1000 − 600 = 400 万元 left in 2027: X4 200, X5 200, X6–X8 0
    paid = _paid(beijing.evaluate(_facts(4, 8), ledger=ledger, assumptions=DEC, as_of=AS_OF))
    assert paid == {"X4": 200 * WAN, "X5": 200 * WAN, "X6": 0, "X7": 0, "X8": 0}
    # a Ledger of a Ledger keeps them too; bases= given as well are merged with them
    assert Ledger(ledger).bases == ledger.bases
    assert DECISION in Ledger(first.grants, bases=[DECISION]).bases
    for given_ in (first.grants, ledger):
        with pytest.raises(LedgerError) as err:  # one provision's assumption, two values
            Ledger(given_, bases=[APPROVAL])
        assert _code(err) == "E335"


def test_grants_added_keep_both_readings(
    beijing: policyrules.Policy, first: policyrules.Result
) -> None:
    """X1–X3 (run 1) + X4, X5 by decision (run 2 with run 1's grants: 400 万元 left, see
    above): 1000 万元 in 2027, all of f1's 2027 cap; a third run by decision pays 0."""
    second = beijing.evaluate(_facts(4, 5), ledger=first.grants, assumptions=DEC, as_of=AS_OF)
    both = first.grants + second.grants
    assert isinstance(both, Grants)
    assert tuple(both) == (*first.grants, *second.grants)
    assert DECISION in both.bases
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(_facts(6, 8), ledger=both, as_of=AS_OF)
    assert _code(err) == "E335"
    with pytest.raises(LedgerError) as err:
        beijing.evaluate(_facts(6, 8), ledger=Ledger(both), as_of=AS_OF)
    assert _code(err) == "E335"
    third = beijing.evaluate(_facts(6, 8), ledger=both, assumptions=DEC, as_of=AS_OF)
    assert _paid(third) == {"X6": 0, "X7": 0, "X8": 0}  # 1000 − 5 × 200 = 0 left
    # a Ledger added keeps its reading as well
    assert (first.grants + Ledger(second.grants)).bases == both.bases


def test_two_readings_added_are_refused(
    beijing: policyrules.Policy, first: policyrules.Result
) -> None:
    by_approval = beijing.evaluate(_facts(4, 5), ledger=[], as_of=AS_OF)
    assert APPROVAL in by_approval.grants.bases
    for a, b in ((first.grants, by_approval.grants), (by_approval.grants, first.grants)):
        with pytest.raises(LedgerError) as err:
            a + b
        assert _code(err) == "E335"
    with pytest.raises(LedgerError) as err:
        first.grants + Ledger(by_approval.grants)
    assert _code(err) == "E335"


def test_bare_grants_added_are_taken_as_the_defaults(
    beijing: policyrules.Policy, first: policyrules.Result
) -> None:
    """Bare grants (a plain tuple) carry no reading: added to grants with a reading for
    their provision they are refused (E335) rather than labelled with it; of a provision
    without a reading they are added, and the reading kept."""
    bare = (Grant(REWARD, (("firm", "f1"), ("product", "X9")), Money.of(200, "万元"), 2026),)
    for added in (lambda: first.grants + bare, lambda: bare + first.grants):
        with pytest.raises(LedgerError) as err:
            added()
        assert _code(err) == "E335"
    other = Grant("other/1/award", (("firm", "f2"),), Money.of(1, "元"), None)
    for both in (first.grants + (other,), (other,) + first.grants):  # noqa: RUF005
        assert isinstance(both, Grants)
        assert both.bases == first.grants.bases
        assert set(both) == {*first.grants, other}
    assert first.grants + () == first.grants  # noqa: RUF005
    # a plain list of a result's grants carries no reading (docs/api.md): the defaults
    assert Ledger(list(first.grants)).bases == ()


@given(st.lists(st.sampled_from(["approval", "decision"]), min_size=1, max_size=4))
def test_adding_grants_keeps_or_refuses_their_readings(values: list[str]) -> None:
    """Any sum of readings of one provision: kept if they agree, else E335."""
    grant = Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money.of(200, "万元"), 2026)
    parts = [Grants(() if i else (grant,), lambda v=v: [(REWARD, YEAR, v)])
             for i, v in enumerate(values)]  # fmt: skip
    if len(set(values)) == 1:
        total = _sum(parts)
        assert total.bases == ((REWARD, YEAR, values[0]),)
        assert Ledger(total).bases == total.bases
        assert list(total) == [grant]
    else:
        with pytest.raises(LedgerError) as err:
            _sum(parts)
        assert _code(err) == "E335"


def _sum(parts: list[Grants]) -> Grants:
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total
