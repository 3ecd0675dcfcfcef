"""An earlier grant whose id is one of the facts' ids written as another number (E323 in the
one-by-one path and the store): a spreadsheet dropped firm 0701's zeros, and the grant to
``701`` would count against no claim of 0701, its one-time award paid again.

Measure 3 (京经信发〔2025〕50号 第3条) gives each product a one-time launch reward (一次性,
``once per product``) of up to 200 万元.  Product 007 of firm 0701 was paid 200 万元 in 2026:
read as a grant of 0701, the award is not paid again; read as another firm's, it would be
paid again (200 万元)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules import Grant, LedgerStore, Money
from policyrules.errors import LedgerError
from policyrules.ledger_ids import number_of
from policyrules.store_schema import FIRM_NUMBER
from support import BEIJING as POLICY
from support import WAN
from support import run_cli as run

LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _product(pid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "approved_on": "2026-03-02",
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": "200万元",
    }


def _facts(*firms: tuple[str, str], ledger: list[dict[str, Any]] | None = None) -> Any:
    out: dict[str, Any] = {"firms": [{"id": f, "products": [_product(p)]} for f, p in firms]}
    if ledger is not None:
        out["ledger"] = ledger
    return out


def _grant(firm: str, product: str) -> dict[str, Any]:
    return {
        "provision": LAUNCH,
        "firm": firm,
        "product": product,
        "amount": "200万元",
        "year": 2026,
    }


def _launch(result: policyrules.Result, subject: str) -> Money | None:
    """The launch reward of ``subject``: ``None`` where it is not eligible (paid before)."""
    (d,) = [d for d in result.decisions if d.provision == LAUNCH and d.subject == subject]
    assert (d.status == "eligible") == (d.amount is not None)
    return d.amount


@pytest.mark.parametrize(
    ("firm", "product", "entity", "held"),
    [
        ("701", "007", "firm", "0701"),
        ("701.0", "007", "firm", "0701"),
        ("0701", "7", "product", "007"),
    ],
)
def test_the_facts_own_grant_written_as_another_number_is_refused(
    beijing: policyrules.Policy, firm: str, product: str, entity: str, held: str
) -> None:
    facts = beijing.read_facts(_facts(("0701", "007"), ledger=[_grant(firm, product)]))
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, facts_file="f.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "E323"
    given_id = firm if entity == "firm" else product
    assert diag.message.startswith(f"f.yaml: ledger: {LAUNCH} to firm {firm}, product {product}")
    assert (
        f"{entity} {given_id!r} is in none of the facts, which have {entity} {held!r}: "
        "the same number written otherwise"
    ) in diag.message
    assert diag.hint is not None
    assert f"write the grant's id as the facts do, {held!r}" in diag.hint


def test_facts_that_lost_their_zeros_are_the_side_to_mend(beijing: policyrules.Policy) -> None:
    """The facts' firm is `701`, the ledger's grant `0701`: the facts are the spreadsheet's
    (it drops zeros), so the hint says to mend the facts, not to write the grant as they
    do (which would damage a store's right id)."""
    facts = beijing.read_facts(_facts(("701", "007"), ledger=[_grant("0701", "007")]))
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, facts_file="f.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "E323"
    assert diag.hint is not None
    assert "the facts' id '701' looks like the one a spreadsheet changed" in diag.hint
    assert "perhaps '0701', in the facts" in diag.hint
    assert "write the grant's id as the facts do" not in diag.hint


def test_the_grant_written_as_the_facts_write_it_is_counted(beijing: policyrules.Policy) -> None:
    """The same grant under 0701/007: the award was paid (一次性), not paid again."""
    facts = beijing.read_facts(_facts(("0701", "007"), ledger=[_grant("0701", "007")]))
    assert _launch(beijing.evaluate(facts), "0701/007") is None


def test_a_ledger_given_is_refused_each_time(beijing: policyrules.Policy) -> None:
    """A ledger value given again is not read again (its index is kept): still refused."""
    facts = beijing.read_facts(_facts(("0701", "007")))
    ledger = beijing.read_ledger([_grant("701", "007")])
    for _ in range(2):
        with pytest.raises(LedgerError) as info:
            beijing.evaluate(facts, ledger=ledger, ledger_file="L.yaml")
        assert info.value.diagnostics[0].code == "E323"
        assert info.value.diagnostics[0].message.startswith(f"L.yaml: {LAUNCH} to firm 701,")


def test_two_firms_the_facts_both_give_are_two_firms(beijing: policyrules.Policy) -> None:
    """Firms 701 and 0701 both in the facts: the grant is 701's (its 007 not paid again),
    and 0701's product 007 is paid its 200 万元."""
    facts = beijing.read_facts(_facts(("0701", "007"), ("701", "007")))
    result = beijing.evaluate(facts, ledger=[_grant("701", "007")])
    assert _launch(result, "701/007") is None
    assert _launch(result, "0701/007") == Money(200 * WAN)


def test_another_number_is_another_firm(beijing: policyrules.Policy) -> None:
    """A grant to 0702 (not in the facts, not 701 written otherwise) is an earlier grant
    like another: 0701's product is paid its 200 万元."""
    facts = beijing.read_facts(_facts(("0701", "007")))
    result = beijing.evaluate(facts, ledger=[_grant("702", "007"), _grant("f1", "7")])
    assert _launch(result, "0701/007") == Money(200 * WAN)


def test_a_product_id_of_a_firm_that_is_no_number(beijing: policyrules.Policy) -> None:
    facts = beijing.read_facts(_facts(("f1", "007")))
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, ledger=[_grant("f1", "7.0")])
    assert "product '7.0' is in none of the facts, which have product '007'" in str(info.value)


def test_a_store_holding_the_grant_under_another_number(
    beijing: policyrules.Policy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The store holds 200 万元 to 701/007 (imported from a spreadsheet's ledger).  A store
    is read by the facts' firms: the grant was not even read, and 0701/007 was paid 200 万元
    again.  Now it is read, and refused, by the API and by ``eval``; nothing is written."""
    db = tmp_path / "s.db"
    with LedgerStore.open(db, create=True) as store:
        store.append([Grant(LAUNCH, (("firm", "701"), ("product", "007")), Money(200 * WAN), 2026)])
    facts = beijing.read_facts(_facts(("0701", "007")))
    with LedgerStore.open(db, create=True) as store, pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, ledger=store, commit=True)
    assert info.value.diagnostics[0].code == "E323"
    assert info.value.diagnostics[0].message.startswith(f"{db}: grants: {LAUNCH} to firm 701,")
    f = tmp_path / "f.yaml"
    f.write_text(
        "firms:\n  - id: '0701'\n    products:\n      - id: '007'\n"
        "        approved_on: 2026-03-02\n"
        "        launch_routes: [national_priority_review]\n"
        '        launch_reward_decided: "200万元"\n',
        "utf-8",
    )
    code, _, err = run(capsys, "eval", POLICY, f, "--ledger", db)
    assert code == 2
    assert "error[E323]" in err
    assert "firm '701' is in none of the facts" in err
    with LedgerStore.open(db, create=True) as store:
        assert len(store.grants()) == 1


@given(st.text(alphabet="0123456789.ae٣", max_size=8))
def test_the_store_index_takes_an_id_for_the_number_number_of_does(ident: str) -> None:
    with sqlite3.connect(":memory:") as conn:
        sql = FIRM_NUMBER.replace("firm", "?")
        got = conn.execute(f"SELECT {sql}", [ident] * sql.count("?"))
        assert got.fetchone()[0] == number_of(ident)
    conn.close()
