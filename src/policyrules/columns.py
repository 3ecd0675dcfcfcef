"""The facts reader's fast path: well-formed facts read a column at a time.

A column is one fact across every instance of an entity in the file (every product's
``approved_on``).  Its converter (:mod:`policyrules.converters`) is chosen once; when the
column's values are all text, all numerals of one kind, all booleans, or all lists of one
such kind, each distinct value is converted once and handed out again by lookup (the values
are immutable, so sharing them is exact).  Ids, duplicate ids and unknown keys are checked
a column at a time too.

All or nothing: at the first thing that would be an error, or that this path does not read
itself, it raises :class:`Doubt` (or lets the converter's ``ValueRefused`` through), and
:func:`policyrules.facts.read_facts` reads the data again from the start by the exact rules,
which find every error, in order and in place.  When it finishes, it has built exactly what
the exact walk builds: the same instances with the same values (in the file's order of
keys), ids, paths and parents, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, count, repeat
from operator import add, is_, is_not, itemgetter, setitem
from typing import Any, NamedTuple

from .converters import Converter, id_converter
from .instances import Facts, Instance, many_instances
from .model import CheckedPolicy, EntityInfo
from .reading import JsonNumeral, YamlNumeral
from .runtime.values import Value

__all__ = ["Doubt", "Shape", "read_columns"]

Shape = tuple[dict[str, EntityInfo], dict[str, Converter], list[str], frozenset[str]]
"""Of an entity: its child entities by key, a converter per fact read as a fact (not ``id``,
not a child's key), the names known in it (for suggestions), and every key allowed in it."""


class Doubt(Exception):
    """Something the fast path leaves to the exact reader."""


# Types whose equal values read alike: a column all of one of them is converted once per
# distinct value.  Text and each kind of numeral stay apart ("1e3" reads differently).
_PLAIN = frozenset({str, JsonNumeral, YamlNumeral, bool})
_DICT = frozenset({dict})
_STR = frozenset({str})
_LIST = frozenset({list})
_ABSENT = object()
_NONE = type(None)
_ORDERS = 8  # orders of keys read a row at a time; items in more are read by columns


class _Walk(NamedTuple):
    shape: Callable[[EntityInfo], Shape]
    out: dict[str, tuple[Instance, ...]]  # the instances of each entity
    sizes: list[int]  # the number of entries in the records read, entity by entity


def read_columns(
    policy: CheckedPolicy,
    data: dict[Any, Any],
    shape: Callable[[EntityInfo], Shape],
    top_keys: Sequence[str],
    sizes: list[int] | None = None,
) -> Facts:
    """The facts in ``data`` (a facts file's mapping), as the exact reader reads them;
    :class:`Doubt` or ``ValueRefused`` where it would report an error, or might.  To
    ``sizes``, if given, it adds the number of entries of the records read, entity by
    entity (when it succeeds, no value in them holds a mapping: no fact reads one)."""
    roots = {e.key: e for e in policy.entities if e.parent is None}
    if not data.keys() <= {*roots, *top_keys}:
        raise Doubt
    out: dict[str, tuple[Instance, ...]] = {e.name: () for e in policy.entities}
    walk = _Walk(shape, out, [] if sizes is None else sizes)
    for key, ent in roots.items():
        if key not in data:
            continue
        raw = data[key]
        if ent.single:
            _entity(ent, [raw], [None], [key], [], walk)
        elif type(raw) is list:
            paths = [f"{key}[{i}]" for i in range(len(raw))]
            _entity(ent, raw, repeat(None), paths, [0] * len(raw), walk)
        else:
            raise Doubt
    return Facts(out, {k: data[k] for k in top_keys if k in data})


def _entity(
    ent: EntityInfo,
    items: list[Any],
    parents: Iterable[Instance | None],
    paths: list[str],
    owners: list[int],
    walk: _Walk,
) -> None:
    """The instances of ``ent`` written as ``items`` (in the file's order), each under its
    parent, at its path; ``owners``: for a list entity, which block each item is in (ids
    are unique within a block)."""
    children, facts, _, allowed = walk.shape(ent)
    if not set(map(type, items)) <= _DICT:
        raise Doubt
    walk.sizes.append(sum(map(len, items)))
    orders = list(map(tuple, items))  # the keys of each item, in order
    distinct = set(orders)
    keys = set(chain.from_iterable(distinct))
    if not keys <= allowed:
        raise Doubt
    ids = _ids(ent, items)
    if not ent.single and len(set(zip(owners, ids, strict=True))) < len(ids):
        raise Doubt  # an id used twice in one block
    if len(distinct) <= _ORDERS:
        values = _by_rows(items, facts, orders, distinct)
    else:
        values = _by_columns(items, keys, facts)
    made = many_instances(ent.name, ids, values, parents, paths)
    walk.out[ent.name] = tuple(made)
    for key, child in children.items():
        if key in keys:
            _children(child, key, made, items, walk)


def _ids(ent: EntityInfo, items: list[dict[Any, Any]]) -> list[str]:
    ids = list(map(dict.get, items, repeat("id"), repeat(ent.name if ent.single else None)))
    # Printable text besides spaces is an id (ID_PATTERN: Python's printable characters hold
    # no control character and no white space but " "); the rest is read one by one.
    if (
        set(map(type, ids)) <= _STR
        and "".join(ids).isprintable()
        and all(map(str.strip, ids, repeat(" ")))
    ):
        return ids
    return list(map(id_converter, ids))


def _by_columns(
    items: list[dict[Any, Any]], keys: set[Any], facts: dict[str, Converter]
) -> list[dict[str, Value]]:
    """The values of each item: its copy, the facts converted a column at a time."""
    values: list[dict[str, Value]] = list(map(dict.copy, items))  # the file's order of keys
    for key in keys:
        read = facts.get(key)
        if read is None:  # the id, or a child's block
            list(map(dict.pop, values, repeat(key), repeat(None)))
        else:
            _column(values, key, read)
    return values


def _by_rows(
    items: list[dict[Any, Any]],
    facts: dict[str, Converter],
    orders: list[tuple[Any, ...]],
    distinct: set[tuple[Any, ...]],
) -> list[dict[str, Value]]:
    """The values of each item, the items writing their keys in one of a few ``distinct``
    orders (as exports do): the items of each order read together, a column at a time."""
    if len(distinct) == 1:
        return _rows(items, [k for k in orders[0] if k in facts], facts)
    values: list[dict[str, Value]] = [{}] * len(items)
    for order in distinct:
        at = [i for i, o in enumerate(orders) if o == order]
        rows = _rows(list(map(items.__getitem__, at)), [k for k in order if k in facts], facts)
        list(map(values.__setitem__, at, rows))
    return values


def _rows(
    items: list[dict[Any, Any]], names: list[str], facts: dict[str, Converter]
) -> list[dict[str, Value]]:
    """The values of items that all hold the facts ``names``, in this order."""
    if not names:
        return [{} for _ in items]
    columns = [list(map(itemgetter(name), items)) for name in names]
    kinds = [set(map(type, column)) for column in columns]
    converted = list(map(_convert, columns, map(facts.__getitem__, names), kinds))
    values = list(map(dict.copy, repeat(dict.fromkeys(names), len(items))))
    for name, column in zip(names, converted, strict=True):
        list(map(setitem, values, repeat(name), column))
    for name, column, kind in zip(names, columns, kinds, strict=True):
        if _NONE in kind:  # written but empty: not given
            list(map(dict.pop, compress(values, map(is_, column, repeat(None))), repeat(name)))
    return values


def _column(values: list[dict[str, Value]], key: str, read: Converter) -> None:
    """Convert fact ``key`` in every instance's values that holds it; a written but empty
    value (``None``) is dropped, as a fact not given."""
    column = list(map(dict.get, values, repeat(key)))
    kinds = set(map(type, column))
    list(map(setitem, values, repeat(key), _convert(column, read, kinds)))
    if _NONE in kinds:
        list(map(dict.pop, compress(values, map(is_, column, repeat(None))), repeat(key)))


def _convert(column: Sequence[Any], read: Converter, kinds: set[type]) -> list[Value | None]:
    """``column`` converted (its values of the types ``kinds``), ``None`` (not given) left
    as it is."""
    if _NONE in kinds:
        given = list(map(is_not, column, repeat(None)))
        converted = iter(_convert(list(compress(column, given)), read, kinds - {_NONE}))
        return [next(converted) if g else None for g in given]
    if len(kinds) == 1:
        (kind,) = kinds
        if kind in _PLAIN:
            table = {v: read(v) for v in set(column)}
            return list(map(table.__getitem__, column))
        if kind is list:
            inner = set(map(type, chain.from_iterable(column)))
            if len(inner) <= 1 and inner <= _PLAIN:
                keys = list(map(tuple, column))
                tables = {k: read(list(k)) for k in set(keys)}
                return list(map(tables.__getitem__, keys))
    return list(map(read, column))


def _children(
    child: EntityInfo,
    key: str,
    made: list[Instance],
    items: list[dict[Any, Any]],
    walk: _Walk,
) -> None:
    """The instances of ``child`` written under ``key`` in each of ``made``, in order."""
    blocks = list(map(dict.get, items, repeat(key), repeat(_ABSENT)))
    given = list(map(is_not, blocks, repeat(_ABSENT)))
    blocks, owners = list(compress(blocks, given)), list(compress(made, given))
    prefixes = [f"{inst.path}.{key}" for inst in owners]
    if child.single:
        _entity(child, blocks, owners, prefixes, [], walk)
        return
    if not set(map(type, blocks)) <= _LIST:
        raise Doubt
    sizes = list(map(len, blocks))
    at = chain.from_iterable(map(repeat, prefixes, sizes))
    brackets = [f"[{i}]" for i in range(max(sizes, default=0))]
    paths = list(map(add, at, chain.from_iterable(map(brackets.__getitem__, map(slice, sizes)))))
    parents = list(chain.from_iterable(map(repeat, owners, sizes)))
    block_of = list(chain.from_iterable(map(repeat, count(), sizes)))
    _entity(child, list(chain.from_iterable(blocks)), parents, paths, block_of, walk)
