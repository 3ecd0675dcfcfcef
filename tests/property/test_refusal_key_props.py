"""The key of a refused claim (backends/python/failed.py ``refusal_key``) reads each fact
where the chain of the claim's owners holds it (``Instance.chain``: by entity, the
outermost of an entity met twice), whether or not it looks the chain up: over random
chains of owners, entities repeated among them, facts read of any of them or none."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from policyrules.backends.python import failed
from policyrules.backends.python.failed import refusal_key
from policyrules.instances import Instance

_ENTITIES = ("firm", "product", "project")
_ABSENT = failed._ABSENT  # (a fact missing, or an owner of no such entity)


def _reference(facts: tuple[tuple[str, str], ...], inst: Instance, used: set[str]) -> Any:
    """The key as the chain says it, the values kept as they are (all of the kinds keyed
    as they are here)."""
    chain = inst.chain()
    key: list[Any] = [frozenset(used)]
    for entity, name in facts:
        holder = chain.get(entity)
        if holder is None:
            key.append(_ABSENT)
            continue
        value = holder.id if name == "id" else holder.values.get(name, _ABSENT)
        key += (type(value), value)
    return key


@st.composite
def _chains(draw: st.DrawFn) -> Instance:
    inst: Instance | None = None
    for depth in range(draw(st.integers(1, 4))):
        entity = draw(st.sampled_from(_ENTITIES))
        values = draw(st.dictionaries(st.sampled_from(("a", "b")), st.booleans(), max_size=2))
        inst = Instance(entity, f"{entity}-{depth}", values, inst, f"{entity}s[{depth}]")
    assert inst is not None
    return inst


@given(
    _chains(),
    st.lists(st.tuples(st.sampled_from(_ENTITIES), st.sampled_from(("a", "b", "id")))),
    st.sets(st.sampled_from(("x", "y"))),
)
def test_a_refusal_key_reads_each_fact_where_the_chain_holds_it(
    inst: Instance, facts: list[tuple[str, str]], used: set[str]
) -> None:
    key = refusal_key(tuple(facts), inst, used)
    assert key == tuple(_reference(tuple(facts), inst, used))
