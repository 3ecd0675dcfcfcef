"""The JSON Schema of a facts file says what its ``ledger:`` takes, as the ledger's reader
does (:mod:`policyrules.ledger_io`): it said only "an object with provision and amount",
so an editor passed a grant naming no product of 京经信发〔2025〕50号 第3条 (E322), a
misspelt key (E323), an id with white space at its end (E323), a year of 0 (E325), or no
year where the firm's yearly cap counts the grant (E325), each refused only when read.

Each entry is checked both ways: the schema and the reader accept it, or both refuse it.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

import policyrules
from policyrules import LedgerError
from support import BEIJING as POLICY
from support import LAUNCH_REWARD as REWARD

# launch_reward: keyed by firm and product (once per product, cap per product), its firm's
# cap 1000 万元 a year: a grant names both ids and its year.
GOOD = {"provision": REWARD, "firm": "f1", "product": "P1", "amount": "200万元", "year": 2026}

REFUSED = [
    pytest.param({k: v for k, v in GOOD.items() if k != "product"}, id="no product (E322)"),
    pytest.param({k: v for k, v in GOOD.items() if k != "year"}, id="no year (E325)"),
    pytest.param({**GOOD, "year": 0}, id="year 0 (E325)"),
    pytest.param({**GOOD, "year": 10000}, id="year 10000 (E325)"),
    pytest.param({**GOOD, "prodcut": "P2"}, id="misspelt key (E323)"),
    pytest.param({**GOOD, "product": "P1 "}, id="id ending in a space (E323)"),
    pytest.param({**GOOD, "product": "x" * 257}, id="id of 257 characters (E323)"),
    pytest.param({**GOOD, "tier": "5 亿元"}, id="a tier of an award without tiers (E323)"),
    pytest.param({**GOOD, "provision": "jjxf_2025_50/3/nothing"}, id="no such award (E321)"),
    pytest.param({**GOOD, "amount": "-1元"}, id="amount below zero (E324)"),
    pytest.param({k: v for k, v in GOOD.items() if k != "amount"}, id="no amount (E324)"),
    pytest.param({**GOOD, "project": "X1"}, id="another award's key (E323)"),
]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _schema_takes(policy: policyrules.Policy, grant: dict[str, Any]) -> bool:
    try:
        jsonschema.validate({"ledger": [grant]}, policy.schema())
    except jsonschema.ValidationError:
        return False
    return True


def _reader_takes(policy: policyrules.Policy, grant: dict[str, Any]) -> bool:
    try:
        policy.read_ledger([grant])
    except LedgerError:
        return False
    return True


def test_a_whole_grant_passes_both(policy: policyrules.Policy) -> None:
    assert _reader_takes(policy, GOOD)
    assert _schema_takes(policy, GOOD)
    # a grant of an award keyed by its firm alone (第5条 equipment_promotion: once per firm)
    # names no project, and needs no year: no yearly cap counts it
    firm_only = {"provision": "jjxf_2025_50/5/equipment_promotion", "firm": "f1"}
    firm_only["amount"] = "100万元"
    assert _reader_takes(policy, firm_only)
    assert _schema_takes(policy, firm_only)


@pytest.mark.parametrize("grant", REFUSED)
def test_a_grant_the_reader_refuses_the_schema_refuses(
    policy: policyrules.Policy, grant: dict[str, Any]
) -> None:
    assert not _reader_takes(policy, grant)
    assert not _schema_takes(policy, grant)
