"""Grants handed on in Python keep the reading they were counted by (issue 9 §3).

Policy: 京经信发〔2025〕50号 第3条 launch_reward (创新医疗器械获批上市一次性奖励): once per
product, 200 万元 per product, 1000 万元 per firm per year of approval, or with
``annual_cap_year=decision`` of the funding decision (单个企业年度奖励不超过 1000 万元).

Firm f1: run 1 products P1-P5, run 2 P6-P10, each approved in 2026 and decided 200 万元 in
2027.  By one reading all ten fall in one year: 1000 − 5 × 200 = 0 is left for P6-P10, and
the firm is owed 1000 万元 in all.  Grants counted by decision (year 2027) read by a run
under approval (year 2026) fall in the other year's account: 2000 万元 in all, the fault.
Each route below lost the reading before; each now keeps it or is refused (E335).
1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, Ledger, LedgerError, LedgerStore, Money
from policyrules.ledger_io import read_ledger_file
from support import BEIJING as POLICY
from support import LAUNCH_APPROVAL as APPROVAL
from support import LAUNCH_DECISION as DECISION
from support import LAUNCH_REWARD as REWARD
from support import WAN, launch_products

YEAR = "annual_cap_year"
DEC = {YEAR: "decision"}
AS_OF = "2027-12-31"
LATER = dt.date(2028, 1, 10)  # a day after AS_OF: its 2027 grants are not ahead (E428)
KEYS = ("provision", "assumption", "value")


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _facts(first: int) -> dict[str, Any]:
    """f1's products P<first>..P<first+4>: approved 2026-03-02, 200 万元 decided 2027-02-15."""
    return {"firms": [{"id": "f1", "products": launch_products(first)}]}


def _paid(result: policyrules.Result) -> int:
    """The fen the launch rewards of ``result`` pay."""
    return sum(g.amount.fen for g in result.grants if g.provision == REWARD)


def _code(err: pytest.ExceptionInfo[LedgerError]) -> str:
    return err.value.diagnostics[0].code


def _by_decision(beijing: policyrules.Policy) -> policyrules.Result:
    """Run 1 by decision: P1-P5 counted in 2027, 5 × 200 = 1000 万元."""
    result = beijing.evaluate(_facts(1), ledger=[], assumptions=DEC, as_of=AS_OF)
    assert _paid(result) == 1000 * WAN
    assert {g.year for g in result.grants if g.provision == REWARD} == {2027}
    return result


# F6: store.grants(), the docs' `earlier = store.grants()`, keeps the store's readings.


def test_store_grants_carry_the_stores_readings(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        beijing.evaluate(
            _facts(1), ledger=store, commit=True, assumptions=DEC, as_of=AS_OF, today=LATER
        )
        assert DECISION in store.bases()
        earlier = store.grants()
        assert earlier.bases == store.bases()
        assert store.grants(firms=["f1"]).bases == store.bases()
    with pytest.raises(LedgerError) as err:  # by approval the five would fall in 2026
        beijing.evaluate(_facts(6), ledger=earlier, as_of=AS_OF)
    assert _code(err) == "E335"
    # by decision, as they were counted: 1000 − 5 × 200 = 0 left in 2027
    assert _paid(beijing.evaluate(_facts(6), ledger=earlier, assumptions=DEC, as_of=AS_OF)) == 0


# F7a: BatchResult.grants_ledger() writes the readings its grants were counted by.


def test_a_batchs_ledger_text_says_its_reading(beijing: policyrules.Policy, tmp_path: Path) -> None:
    reg = tmp_path / "reg"
    reg.mkdir()
    (reg / "firms.csv").write_text("id\nf1\n", "utf-8")
    rows = "".join(
        f'P{i},f1,2026-03-02,"[""national_priority_review""]",200万元,2027-02-15\n'
        for i in range(1, 6)
    )
    head = "id,firm_id,approved_on,launch_routes,launch_reward_decided,launch_reward_decided_on\n"
    (reg / "products.csv").write_text(head + rows, "utf-8")
    batch = beijing.evaluate_batch(reg, ledger=[], assumptions=DEC, as_of=AS_OF)
    try:
        text = batch.grants_ledger()
    finally:
        batch.close()
    data = json.loads(text)
    assert [g["year"] for g in data["ledger"]] == [2027] * 5  # by decision
    assert {"provision": REWARD, "assumption": YEAR, "value": "decision"} in data["bases"]
    path = tmp_path / "L.json"
    path.write_text(text, "utf-8")
    ledger = read_ledger_file(beijing.checked, path)[0]
    assert DECISION in ledger.bases
    with pytest.raises(LedgerError) as err:  # approval would read 2027's grants as 2026's
        beijing.evaluate(_facts(6), ledger=ledger, as_of=AS_OF)
    assert _code(err) == "E335"
    assert _paid(beijing.evaluate(_facts(6), ledger=ledger, assumptions=DEC, as_of=AS_OF)) == 0


# F7b: LedgerStore.append(grants, bases=...) checks and records the reading.


def test_append_checks_and_records_bases(beijing: policyrules.Policy, tmp_path: Path) -> None:
    by_decision = _by_decision(beijing)
    with LedgerStore.open(tmp_path / "a.db", create=True) as store:  # counted by approval: 2026
        beijing.evaluate(_facts(6), ledger=store, commit=True, as_of=AS_OF)
        assert APPROVAL in store.bases()
        before = store.grants().grants
        for bases in ([DECISION], [dict(zip(KEYS, DECISION, strict=True))]):
            with pytest.raises(LedgerError) as err:
                store.append(by_decision.grants, bases=bases)
            assert _code(err) == "E335"
        with pytest.raises(LedgerError) as err:  # the result's own readings
            store.append(by_decision.ledger())
        assert _code(err) == "E335"
        assert store.grants().grants == before  # nothing written
    with LedgerStore.open(tmp_path / "b.db", create=True) as store:
        assert store.append(by_decision.grants, bases=[DECISION]) is not None
        assert DECISION in store.bases()
        with pytest.raises(LedgerError) as err:  # the store holds it to decision now
            beijing.evaluate(_facts(6), ledger=store, as_of=AS_OF)
        assert _code(err) == "E335"
        assert _paid(beijing.evaluate(_facts(6), ledger=store, assumptions=DEC, as_of=AS_OF)) == 0
    with LedgerStore.open(tmp_path / "c.db", create=True) as store:
        with pytest.raises(LedgerError) as err:
            store.append(by_decision.grants, bases=[("d/1/a", "x")])
        assert _code(err) == "E327"
        assert not store.grants().grants
        store.append(by_decision.ledger())  # a result's ledger brings its readings
        assert DECISION in store.bases()


# F8: a Ledger value's bases, in either form, are read as a ledger file's are.


def test_a_mapping_basis_is_read_as_the_file_form() -> None:
    mapping = {"provision": REWARD, "assumption": YEAR, "value": "decision"}
    assert Ledger(bases=[mapping]).bases == (DECISION,)  # not the triple of its keys
    for bad in (
        {"provision": REWARD, "assumption": YEAR},
        {**mapping, "note": "x"},
        {**mapping, "value": 2027},
        {**mapping, "provision": ""},
    ):
        with pytest.raises(LedgerError) as err:
            Ledger(bases=[bad])
        assert _code(err) == "E327"
    with pytest.raises(LedgerError) as err:
        Ledger(bases=[mapping, APPROVAL])
    assert _code(err) == "E335"


@pytest.mark.parametrize(
    ("basis", "named"),
    [
        ((REWARD, "annual_cap_yr", "decision"), "annual_cap_yr"),
        ((REWARD + " ", YEAR, "decision"), REWARD + " "),
        ((REWARD, YEAR, "Decision"), "Decision"),
        (("nope/1/a", YEAR, "decision"), "nope/1/a"),
    ],
)
def test_a_ledger_values_bases_are_checked_against_the_policy(
    beijing: policyrules.Policy, basis: tuple[str, str, str], named: str
) -> None:
    """Before, each was kept as said: the grants counted by decision were read by a default
    run as counted by approval (1000 万元 more in 2026), or refused as another reading."""
    # the grants bare (a tuple): a result's grants would bring their own bases as well
    ledger = Ledger(tuple(_by_decision(beijing).grants), bases=[basis])
    for _ in range(2):  # the api memoises reading a Ledger value: still refused again
        with pytest.raises(LedgerError) as err:
            beijing.evaluate(_facts(6), ledger=ledger, as_of=AS_OF)
        (d,) = err.value.diagnostics
        assert d.code == "E320"
        assert repr(named) in d.message or f'"{named}"' in d.message
        assert "bases[0]" in d.message
    with pytest.raises(LedgerError) as err:
        beijing.read_ledger(ledger)
    assert _code(err) == "E320"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a/1/x", "b/2/y"]),
            st.sampled_from(["n", "m"]),
            st.sampled_from(["u", "v"]),
        ),
        max_size=6,
    ),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_either_form_of_a_basis_is_the_same_basis(
    triples: list[tuple[str, str, str]], as_mapping: list[bool]
) -> None:
    """Any mix of triples and mappings is the ledger of the triples: the same bases, or the
    same refusal (two values of one key: E335)."""
    mixed = [
        dict(zip(KEYS, t, strict=True)) if m else t
        for t, m in zip(triples, as_mapping, strict=False)
    ]
    outcomes = []
    for raw in (triples, mixed):
        try:
            outcomes.append(Ledger(bases=raw).bases)
        except LedgerError as exc:
            outcomes.append(exc.diagnostics[0].code)
    assert outcomes[0] == outcomes[1]
    values = {(p, n): set() for p, n, _ in triples}
    for p, n, v in triples:
        values[(p, n)].add(v)
    if any(len(v) > 1 for v in values.values()):
        assert outcomes[0] == "E335"
    else:
        assert outcomes[0] == tuple(sorted(set(triples)))


# F4/F5: a result hands on its reading; with_grants merges readings.


def test_a_results_ledger_hands_on_its_reading(beijing: policyrules.Policy) -> None:
    by_decision = _by_decision(beijing)
    mine = by_decision.ledger()
    assert mine.grants == by_decision.grants
    assert DECISION in mine.bases
    assert {p for p, _, _ in mine.bases} <= {g.provision for g in mine.grants}
    handed = Ledger().with_grants(mine)
    assert handed.bases == mine.bases
    with pytest.raises(LedgerError) as err:  # approval would pay P6-P10 again in 2026
        beijing.evaluate(_facts(6), ledger=handed, as_of=AS_OF)
    assert _code(err) == "E335"
    # by decision: 1000 − 5 × 200 = 0 left in 2027, the firm owed 1000 万元 in all
    assert _paid(beijing.evaluate(_facts(6), ledger=handed, assumptions=DEC, as_of=AS_OF)) == 0
    # the explicit form, and two readings for one key refused
    assert DECISION in Ledger().with_grants(by_decision.grants, bases=[DECISION]).bases
    for more, bases in ((mine, ()), (by_decision.grants, [DECISION])):
        with pytest.raises(LedgerError) as err:
            Ledger(bases=[APPROVAL]).with_grants(more, bases=bases)
        assert _code(err) == "E335"


def test_a_result_without_grants_hands_on_no_reading(beijing: policyrules.Policy) -> None:
    grant = Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money.of(200, "万元"), 2027)
    result = beijing.evaluate(_facts(1), ledger=Ledger((grant,), bases=[DECISION]),
                              assumptions=DEC, as_of=AS_OF)  # fmt: skip
    # P1 is paid already (once per product); P2-P5 get 4 × 200 = 800 万元
    assert _paid(result) == 800 * WAN
    assert DECISION in result.ledger().bases
    empty = beijing.evaluate({"firms": [{"id": "f9", "products": []}]}, ledger=[], as_of=AS_OF)
    assert empty.ledger() == Ledger()


# A result's grants handed on bare (`ledger=result.grants`, `with_grants`, `append`) keep
# the reading they were counted by: `Result.grants` is a tuple that knows it.


def test_a_results_bare_grants_keep_their_reading(
    beijing: policyrules.Policy, tmp_path: Path
) -> None:
    """Run 1 by decision (P1–P5 in 2027).  Run 2 by approval would put P6–P10 in 2026,
    where nothing of run 1 counts: 5 × 200 = 1000 万元 more, 2000 in all (before: paid).
    Handed on bare, every route refuses it; by decision P6–P10 get 1000 − 5 × 200 = 0."""
    first = _by_decision(beijing)
    assert DECISION in first.grants.bases
    for earlier in (first.grants, Ledger().with_grants(first.grants)):
        with pytest.raises(LedgerError) as err:
            beijing.evaluate(_facts(6), ledger=earlier, as_of=AS_OF)
        assert _code(err) == "E335"
        assert _paid(beijing.evaluate(_facts(6), ledger=earlier, assumptions=DEC, as_of=AS_OF)) == 0
    with LedgerStore.open(tmp_path / "s.db", create=True) as store:
        store.append(first.grants)
        assert DECISION in store.bases()
        with pytest.raises(LedgerError) as err:
            beijing.evaluate(_facts(6), ledger=store, as_of=AS_OF)
        assert _code(err) == "E335"


def test_a_results_grants_are_still_a_tuple(beijing: policyrules.Policy) -> None:
    first = _by_decision(beijing)
    assert isinstance(first.grants, tuple)
    assert first.grants == tuple(first.grants)
    again = pickle.loads(pickle.dumps(first))
    assert again == first
    assert again.grants.bases == first.grants.bases
    empty = beijing.evaluate({"firms": [{"id": "f0"}]})
    assert empty.grants == ()
    assert empty.grants.bases == ()


def test_a_pickled_result_says_its_text_in_the_same_words(beijing: policyrules.Policy) -> None:
    """A new user's trial: unpickled, a result said `上限：200 万元 per product` where the
    result itself said `上限：单个医疗器械产品不超过 200 万元` (its words were not kept); a
    result pickled without them (before) still reads."""
    first = _by_decision(beijing)
    again = pickle.loads(pickle.dumps(first))
    assert again.explain() == first.explain()
    assert "单个医疗器械产品不超过 200 万元" in again.explain()
    assert again.to_json() == first.to_json()
    old = policyrules.Result.__new__(policyrules.Result)
    old.__setstate__(first.__getstate__()[:3])
    assert old == first


@pytest.mark.parametrize("name", ["g.db", Path("grants.yaml")])
def test_a_file_name_given_as_the_ledger_says_how_to_open_it(name: Any) -> None:
    """`evaluate(facts, ledger="g.db")` is E320 naming it a file's name and the two ways to
    give it (a store opened, a ledger file loaded), where it said only "a list of grants"."""
    policy = policyrules.load(POLICY)
    with pytest.raises(LedgerError) as info:
        policy.evaluate({"firms": []}, ledger=name)
    assert info.value.code == "E320"
    assert f"ledger: {str(name)!r} is a file's name, not grants" in str(info.value)
    assert info.value.hint is not None
    assert "LedgerStore.open(path)" in info.value.hint
    assert "policy.load_ledger(path)" in info.value.hint
