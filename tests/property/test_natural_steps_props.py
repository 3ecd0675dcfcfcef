"""``claims.natural_steps`` (the natural-order steps of a fused award's claims, found from
their flat sort keys, a :class:`Claim` made only for a claim served after one of the same
firm, once) gives the steps the loop it replaced gave: a :class:`Claim` for every claim and
:func:`natural_step` of each pair of neighbours."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policyrules.backends.python.claims import Claim, natural_step, natural_steps
from policyrules.runtime.order import natural_key, natural_path_key

# Ids where text order and natural order disagree (P9 < P10 only as numbers), and repeat.
_IDS = st.sampled_from(["P9", "P10", "P1", "P01", "A2", "A10", "x", "Q"])
# One key position holds one kind of value, as the checker requires: a date (few days,
# so ties are frequent), text (its natural key) or a number.
_AT = (
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
    _IDS.map(natural_key),
    st.integers(0, 2),
)


@st.composite
def _keys(draw: Any, n_order: int) -> list[tuple[Any, ...]]:
    """Flat sort keys as the fused function makes them: the `order by` keys as ``known,
    value`` pairs (unknown: ``-1, ()``), the path's ids' natural keys, a count, the
    subject, its path, its assumptions and its Env (``None``)."""
    out = []
    for n in range(draw(st.integers(0, 12))):
        flat: list[Any] = []
        for k in range(n_order):
            if draw(st.booleans()) and draw(st.booleans()):
                flat += [-1, ()]
            else:
                flat += [0, draw(_AT[k % 3])]
        # a product's or a project's claim, or the firm's own (an owner before its own)
        firm = ("firm", draw(st.sampled_from(["f1", "f2"])))
        below = draw(st.sampled_from([(), ("product",), ("project",)]))
        path = (firm, *[(entity, draw(_IDS)) for entity in below])
        flat += [natural_key(i) for _, i in path]
        out.append((*flat, n, SimpleNamespace(id=path[-1][1]), path, set(), None))
    return sorted(out, key=lambda t: (t[: 2 * n_order], natural_path_key(t[-3])))


def _old(cp: Any, keys: list[tuple[Any, ...]]) -> list[tuple[int, Any]]:
    """The loop the fast path ran before (now ``FastClaims.order_steps``): a Claim for
    every claim."""
    n, rank = len(cp.order), natural_key(cp.info.id)
    previous = None
    out = []
    for at, key in enumerate(keys):
        inst, path = key[-4], key[-3]
        pairs = tuple(zip(key[: 2 * n : 2], key[1 : 2 * n : 2], strict=True))
        claim = Claim((pairs, natural_path_key(path), rank), cp, inst, path, None)
        why = natural_step(previous, claim) if previous is not None else None
        previous = claim
        if why is not None:
            out.append((at, why))
    return out


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3).flatmap(lambda n: st.tuples(st.just(n), _keys(n))))
def test_natural_steps_as_every_claim_compared(case: tuple[int, list[tuple[Any, ...]]]) -> None:
    n_order, keys = case
    order = tuple(f"key{k}" for k in range(n_order))
    cp: Any = SimpleNamespace(order=order, info=SimpleNamespace(id="d/1/a", order=order))
    assert natural_steps(cp, keys) == _old(cp, keys)


def test_a_text_key_decided_by_natural_order_gives_its_step() -> None:
    """Two claims of one firm on the same day, ids P9 and P10 as the `order by` key:
    P9 is served first (9 < 10), while as text "P10" < "P9": the step says so."""
    cp: Any = SimpleNamespace(order=("id",), info=SimpleNamespace(id="d/1/a", order=("id",)))
    keys = []
    for n, ident in enumerate(["P9", "P10"]):
        path = (("firm", "f1"), ("product", ident))
        keys.append((0, natural_key(ident), natural_key("f1"), natural_key(ident), n, None, path))
        keys[-1] += (set(), None)
    got = natural_steps(cp, keys)
    assert [at for at, _ in got] == [1]
    assert "P9 comes before P10 in natural order" in got[0][1].text


def test_no_claim_is_made_where_no_step_can_be_found(monkeypatch: Any) -> None:
    """Claims of one firm on one day whose ids' plain order agrees with natural order (A1
    .. A9; a product before a project (A9, A10); the firm's own claim before its
    product's; the same text key, different ids; another day; a day unknown) give no
    step, and :func:`natural_steps`
    sees it from their flat keys without making a :class:`Claim` (the one big firm of the
    benchmark ties on the day for most of its 10^4 claims)."""
    import policyrules.backends.python.claims as claims

    def refuse(*_: Any) -> None:
        raise AssertionError("a Claim made where no step can be found")

    monkeypatch.setattr(claims, "Claim", refuse)
    order = ("day", "name")
    cp: Any = SimpleNamespace(order=order, info=SimpleNamespace(id="d/1/a", order=order))
    day = dt.date(2026, 1, 2)
    paths: list[tuple[tuple[str, str], ...]] = [(("firm", "f1"),)]
    paths += [(("firm", "f1"), ("product", f"A{k}")) for k in range(1, 10)]
    paths += [(("firm", "f1"), ("project", "A10"))]  # entities differ: no step
    keys = []
    for n, path in enumerate(paths):
        flat = (0, day, 0, natural_key("same"), *[natural_key(i) for _, i in path])
        keys.append((*flat, n, SimpleNamespace(id=path[-1][1]), path, set(), None))
    keys.append((0, day, 0, natural_key("x2"), natural_key("f1"), 99, None, paths[0], set(), None))
    # then a later day (a date decides), then a day unknown (known for one only)
    later = (0, dt.date(2026, 1, 3), 0, natural_key("x1"), natural_key("f1"))
    keys.append((*later, 100, None, paths[0], set(), None))
    unknown = (-1, (), 0, natural_key("x1"), natural_key("f1"))
    keys.append((*unknown, 101, None, paths[0], set(), None))
    assert natural_steps(cp, keys) == []
