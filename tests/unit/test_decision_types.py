"""A decision's status and amount kind are ``Literal`` types exported from the package, so
a misspelt status is a type error in user code (issue 10, hCG: both were plain ``str``)."""

from __future__ import annotations

import typing
from pathlib import Path

import attrs

import policyrules
from policyrules import AmountKind, Decision, Status
from policyrules.vocab import AMOUNT_KINDS, STATUSES, STATUSES_OF_KIND

ROOT = Path(__file__).resolve().parents[2]


def test_the_literals_are_every_status_and_kind_the_words_name() -> None:
    """Each status and amount kind the text has words for is one of the Literal's, and no
    other: the types say what the evaluator gives."""
    of_kinds = {s for words in STATUSES_OF_KIND.values() for s in words}
    assert set(typing.get_args(Status)) == set(STATUSES) | of_kinds
    assert set(typing.get_args(AmountKind)) == set(AMOUNT_KINDS)


def test_decision_fields_are_typed_by_them() -> None:
    """``Decision.status`` is a :data:`Status`, ``amount_kind`` an :data:`AmountKind` or
    None, as exported from ``policyrules``."""
    hints = typing.get_type_hints(Decision)
    assert hints["status"] == Status
    assert hints["amount_kind"] == AmountKind | None
    assert {"Status", "AmountKind"} <= set(policyrules.__all__)
    assert {f.name for f in attrs.fields(Decision)} >= {"status", "amount_kind"}


def test_every_decision_of_the_examples_has_a_status_of_the_literal() -> None:
    """What the evaluator gives is within the types (a cast where rows become decisions)."""
    policy = policyrules.load(ROOT / "policies" / "beijing_2025")
    for firm in ("firm-a.yaml", "drugmaker-d.yaml"):
        for d in policy.evaluate(policy.load_facts(ROOT / "examples" / firm)).decisions:
            assert d.status in typing.get_args(Status)
            assert d.amount_kind is None or d.amount_kind in typing.get_args(AmountKind)
