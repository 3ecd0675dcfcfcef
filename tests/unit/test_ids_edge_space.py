"""An id with white space at its start or end is refused wherever ids are read.

A new user's trial: ids compare exactly, so `P1 ` (a spreadsheet's trailing space) beside
`P1` was a second product, and the one-time launch reward of 京经信发〔2025〕50号 第3条 was
paid again (likewise `firm-a ` a second firm with a fresh 1000 万元 yearly cap).  Such an
id is now refused with its text and a hint: in a facts document (read or built in Python,
E303), in a registry table (E624), in a ledger file and in a registry's ledger table (E323),
and by the facts' JSON Schema.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

import policyrules
from policyrules.errors import FactsError, LedgerError, TableError
from support import batch_refusal, launch_firm

POLICY = Path(__file__).resolve().parents[2] / "policies" / "beijing_2025"
LAUNCH = "jjxf_2025_50/3/launch_reward"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.mark.parametrize("ident", ["P1 ", " P1", "P1\u3000", "\u00a0P1"])
def test_a_facts_id_with_space_at_an_end_is_refused(policy: policyrules.Policy, ident: str) -> None:
    with pytest.raises(FactsError) as info:
        policy.evaluate(launch_firm(ident))
    (d,) = info.value.diagnostics
    assert d.code == "E303"
    assert f"an id has white space at its start or end: {ident!r}" in d.message
    assert d.hint == (
        f"write 'P1': ids compare exactly, and {ident!r} beside 'P1' would be two items, each paid"
    )


def test_the_one_time_award_is_not_paid_again_under_a_spaced_id(
    policy: policyrules.Policy,
) -> None:
    """P1 is paid 200 万元 (its decided amount, within the 200 万元 per product); the same
    product sent again as `P1 ` is refused rather than paid a second time."""
    first = policy.evaluate(launch_firm("P1"))
    assert [g.amount.fen for g in first.grants] == [200_000_000]
    with pytest.raises(FactsError):
        policy.evaluate(launch_firm("P1 "), ledger=first.ledger())
    with pytest.raises(FactsError):
        policy.evaluate(launch_firm("P1", firm="firm-a "), ledger=first.ledger())


def test_the_schema_refuses_it_too(policy: policyrules.Policy) -> None:
    schema = policy.schema()
    jsonschema.validate(launch_firm("P 1"), schema)  # a space within is text
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(launch_firm("P1 "), schema)


def test_a_registry_id_with_space_at_an_end_is_e624(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        "id,firm_id,approved_on\nP1,firm-a,2026-03-02\nP1 ,firm-a,2026-03-02\n", encoding="utf-8"
    )
    d = batch_refusal(policy, tmp_path, TableError)
    assert d.code == "E624"
    assert d.message.endswith(
        'products.csv: row 2, column id: an id has white space at its start or end: "P1 "'
    )


def test_a_ledger_file_id_with_space_at_an_end_is_e323(policy: policyrules.Policy) -> None:
    grant = {"provision": LAUNCH, "firm": "firm-a", "product": "P1 ", "amount": "200万元",
             "year": 2026}  # fmt: skip
    with pytest.raises(LedgerError) as info:
        policy.read_ledger([grant])
    (d,) = info.value.diagnostics
    assert d.code == "E323"
    assert "an id has white space at its start or end: 'P1 '" in d.message


def test_a_registry_ledger_id_with_space_at_an_end_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text("id\nfirm-a\n", encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        f"provision,firm,product,amount,year\n{LAUNCH},firm-a ,P1,200万元,2026\n", encoding="utf-8"
    )
    d = batch_refusal(policy, tmp_path, LedgerError)
    assert d.code == "E323"
    assert d.message.endswith(
        "ledger.csv: row 1, column firm: an id has white space at its start or end: 'firm-a '"
    )


def test_a_grant_built_in_python_with_a_spaced_id_is_e323(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """A review: grants given as `Grant` values skipped the id check that mappings had, so
    `Policy.record` (and `evaluate(ledger=[Grant(...)])`) took `P1 `.  `Grant(...)` now
    refuses it itself (E323); one made without the checks (`Grant.trusted`) is still refused
    where a ledger is read."""
    from policyrules import Grant, LedgerStore, Money

    path = (("firm", "firm-a"), ("product", "P1 "))
    with pytest.raises(LedgerError) as built:
        Grant(LAUNCH, path, Money.parse("200万元"), 2026)
    assert built.value.diagnostics[0].code == "E323"
    grant = Grant.trusted(LAUNCH, path, Money.parse("200万元"), 2026)
    with pytest.raises(LedgerError) as info:
        policy.read_ledger([grant])
    assert info.value.diagnostics[0].code == "E323"
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        with pytest.raises(LedgerError):
            policy.record(store, [grant])
        assert list(store.grants()) == []
