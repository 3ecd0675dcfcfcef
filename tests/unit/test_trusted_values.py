"""The evaluator's constructors without checks (``backends/python/trusted.py``) make values
equal, field for field, to the ones ``__init__`` makes, and know every field of the classes
they fill: a field added to ``Money``, ``Step``, ``CapEvent`` or ``Grant`` fails here until
``trusted.py`` sets it too."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyrules.backends.python import trusted
from policyrules.decisions import CapEvent, Step
from policyrules.runtime.grants import Grant
from policyrules.runtime.money import Money

FEN = st.integers(min_value=-(10**15), max_value=10**15)


def test_the_fields_trusted_fills_are_all_the_fields() -> None:
    assert [f.name for f in attrs.fields(Money)] == ["fen"]
    assert [f.name for f in attrs.fields(Step)] == ["kind", "text", "ok"]
    assert [f.name for f in attrs.fields(Grant)] == ["provision", "path", "amount", "year", "tier"]
    assert [f.name for f in attrs.fields(CapEvent)] == [
        "cap", "scope", "limit", "used_before", "requested", "granted", "binding",
        "earlier", "detail", "before", "after", "account",
    ]  # fmt: skip


@given(FEN)
def test_money_equals_the_checked_constructor(fen: int) -> None:
    made = trusted.money(fen)
    assert made == Money(fen)
    assert made.fen == fen
    assert hash(made) == hash(Money(fen))


@given(st.integers(0, 10**15), st.sampled_from([None, 1, 2026, 9999]))
def test_grant_equals_the_checked_constructor(fen: int, year: int | None) -> None:
    path = (("firm", "f1"), ("product", "P1"))
    made = trusted.grant("d/3/award", path, fen, year)
    assert made == Grant("d/3/award", path, Money(fen), year)
    assert (made.path, made.amount.fen, made.year, made.tier) == (path, fen, year, None)
    assert hash(made) == hash(Grant("d/3/award", path, Money(fen), year))


@given(
    st.lists(st.tuples(st.integers(1, 3), st.integers(0, 10**15), st.sampled_from([None, 2026])))
)
def test_grants_equal_the_checked_constructor(rows: list[tuple[int, int, int | None]]) -> None:
    written = [((("firm", "f1"), ("product", f"P{n}")), fen, year) for n, fen, year in rows]
    paths, fens, years = [r[0] for r in written], [r[1] for r in written], [r[2] for r in written]
    made = trusted.grants("d/3/award", paths, fens, years)
    assert made == [Grant("d/3/award", p, Money(fen), year) for p, fen, year in written]
    assert [(g.path, g.amount.fen, g.year, g.tier) for g in made] == [
        (p, fen, year, None) for p, fen, year in written
    ]


def test_grants_refuse_columns_of_different_lengths() -> None:
    path = (("firm", "f1"), ("product", "P1"))
    with pytest.raises(ValueError, match="columns of 1, 2 and 1 grants"):
        trusted.grants("d/3/award", [path], [1, 2], [None])
    with pytest.raises(ValueError, match="columns of 1, 1 and 0 grants"):
        trusted.grants("d/3/award", [path], [1], [])


@given(st.text(max_size=5), st.text(max_size=20), st.sampled_from([True, False, None]))
def test_step_equals_the_checked_constructor(kind: str, text: str, ok: bool | None) -> None:
    assert trusted.step(kind, text, ok) == Step(kind, text, ok)
