"""The facts reader's fast path: well-formed facts read a column at a time.

A column is one fact across every instance of an entity in the file (every product's
``approved_on``), read a stretch of :data:`_STRETCH` records at a time: a stretch's records
stay in the processor's cache while all their keys are read (the columns of a large file,
each read whole, would each fetch every record from memory again).  Its converter
(:mod:`policyrules.converters`) is chosen once; in each stretch, a column the converter
would return unchanged (text, enum members, booleans) is checked as a whole and kept;
otherwise, when the column's values are all text, all numerals of one kind, all JSON
integers, or all lists of one such kind, each distinct value is converted once, when first
met, and handed out again by lookup (the values are immutable, so sharing them is exact);
a column of mostly distinct amounts of money in one unit is read all at once
(:func:`policyrules.converters.columnar`).  Ids, duplicate ids and unknown keys are
checked a column at a time too.  An entity's keys are gathered from its first records;
the keys only later records hold are found by counting: fewer entries read than the
records hold.

Each record's mapping becomes its instance's values: a copy of it, or (``owned``: records
parsed for this read alone, as from a JSON file) the mapping itself, with its id and its
children's blocks taken out and its facts converted in place, so the file's order of keys
is kept either way.

All or nothing: at the first thing that would be an error, or that this path does not read
itself, it raises :class:`Doubt` (or lets the converter's ``ValueRefused`` through), and
:func:`policyrules.facts.read_facts` reads the data again from the start by the exact rules,
which find every error, in order and in place (records changed in place are parsed again
first).  When it finishes, it has built exactly what the exact walk builds: the same
instances with the same values (in the file's order of keys), ids, paths and parents, in
the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, count, islice, repeat
from operator import add, is_, is_not, not_, setitem
from typing import Any, NamedTuple

from .convert_ids import MAX_ID_LENGTH
from .convert_patterns import LOOKALIKE
from .converters import Columnar, Converter, Keeps, ListConverter, id_converter
from .instances import Facts, Instance, many_instances
from .model import CheckedPolicy, EntityInfo
from .reading import JsonNumeral, YamlNumeral, spelled
from .runtime.values import Value

__all__ = ["Doubt", "Shape", "Tally", "read_columns"]

Shape = tuple[
    dict[str, EntityInfo],
    dict[str, Converter],
    dict[str, Keeps],
    list[str],
    frozenset[str],
    dict[str, Columnar],
]
"""Of an entity: its child entities by key, a converter per fact read as a fact (not ``id``,
not a child's key), for some of those facts a test of whether the converter keeps a column
unchanged, the names known in it (for suggestions), every key allowed in it, and for some
facts a reader of a whole column of text."""


class Doubt(Exception):
    """Something the fast path leaves to the exact reader."""


class Tally:
    """What :func:`read_columns` saw of the data it read, added to what it holds already:
    ``entries``, how many entries the records' mappings hold in all; ``depth``, how deeply
    the data's mappings and lists nest (the facts file's mapping being level 1), as far as
    the records and their values reach."""

    __slots__ = ("depth", "entries")

    def __init__(self, entries: int = 0, depth: int = 0) -> None:
        self.entries = entries
        self.depth = depth

    def reach(self, level: int) -> None:
        if level > self.depth:
            self.depth = level


class _Absent:
    """A key not written in a record."""


# Types whose equal values read alike: a column all of one of them is converted once per
# distinct value.  Text and each kind of numeral stay apart ("1e3" reads differently).
_PLAIN = frozenset({str, JsonNumeral, YamlNumeral, bool})
_DICT = frozenset({dict})
_STR = frozenset({str})
_LIST = frozenset({list})
_INT = frozenset({int})
_KEYED = _PLAIN | _INT  # also ints: equal ints read alike too
_ABSENT = _Absent()
_BLOCK = 2**64  # see _unique
_SAMPLE = 64  # records whose keys are gathered first (see _entity)
_STRETCH = 1024  # records read at a time (see _keys)
_NONE = type(None)


class _Walk(NamedTuple):
    shape: Callable[[EntityInfo], Shape]
    out: dict[str, tuple[Instance, ...]]  # the instances of each entity
    tally: Tally
    owned: bool  # the records may be changed in place
    spell: bool  # ints are JSON integers, read as their spelling


def read_columns(
    policy: CheckedPolicy,
    data: dict[Any, Any],
    shape: Callable[[EntityInfo], Shape],
    top_keys: Sequence[str],
    tally: Tally | None = None,
    *,
    owned: bool = False,
    spell: bool = False,
) -> Facts:
    """The facts in ``data`` (a facts file's mapping), as the exact reader reads them;
    :class:`Doubt` or ``ValueRefused`` where it would report an error, or might.  To
    ``tally``, if given, it adds what it saw (when it succeeds, no value in the records
    holds a mapping: no fact reads one).  It does not apply the depth bound: a caller that
    reads a file checks ``tally.depth``.

    ``owned``: the records (the mappings under the entities' keys, at every level) were
    made for this call and are shared with nothing, not even each other: they become the
    instances' values, changed in place, whether the call succeeds or not.  Otherwise
    ``data`` is left as it is.

    ``spell``: ``data`` is from :func:`~policyrules.reading.read_json_unchecked`, its ints
    JSON integers: each is read as the ``JsonNumeral`` of its spelling, as the rule reads
    it (``ValueError`` for one too long to spell).  Otherwise an int is a Python int."""
    roots = {e.key: e for e in policy.entities if e.parent is None}
    if not data.keys() <= {*roots, *top_keys}:
        raise Doubt
    out: dict[str, tuple[Instance, ...]] = {e.name: () for e in policy.entities}
    walk = _Walk(shape, out, Tally() if tally is None else tally, owned, spell)
    walk.tally.reach(1)
    for key, ent in roots.items():
        if key not in data:
            continue
        raw = data[key]
        if ent.single:
            _entity(ent, [raw], [None], [key], [], walk, 2)
        elif type(raw) is list:
            walk.tally.reach(2)
            paths = [f"{key}[{i}]" for i in range(len(raw))]
            _entity(ent, raw, repeat(None), paths, [], walk, 3)
        else:
            raise Doubt
    extra = {k: data[k] for k in top_keys if k in data}
    return Facts(out, spelled(extra) if spell else extra, read_ids=out)


def _entity(
    ent: EntityInfo,
    items: list[Any],
    parents: Iterable[Instance | None],
    paths: list[str],
    owners: list[int],
    walk: _Walk,
    level: int,
) -> None:
    """The instances of ``ent`` written as ``items`` (in the file's order), each under its
    parent, at its path and nesting ``level``; ``owners``: for a list entity under a
    parent, which block each item is in, as a multiple of :data:`_BLOCK` (ids are unique
    within a block; none given: one block)."""
    # The keys of the first records (all of them, if few), and the entries of all: the keys
    # the rest hold besides are found when fewer entries than these have been read.
    sample = items[:_SAMPLE]
    if not set(map(type, sample)) <= _DICT:
        raise Doubt
    if items:
        walk.tally.reach(level)
    keys = set().union(*sample) - {"id"}
    entries = total = 0
    blocks: dict[str, tuple[EntityInfo, list[Any]]] = {}
    records: list[dict[str, Any]] = []
    made: list[Instance] = []
    ups = iter(parents)
    every: list[str] = []
    told: set[object] = set()  # see _unique
    for start in range(0, len(items), _STRETCH):  # see the module's docstring
        part = items[start : start + _STRETCH]
        if not set(map(type, part)) <= _DICT:
            raise Doubt
        total += sum(map(len, part))
        if not walk.owned:
            part = list(map(dict.copy, part))
        # The records' entries are counted key by key as each is taken out or read: a list
        # entity's every record has an id (a missing one is refused), a single one's may not.
        if ent.single:
            entries += sum(["id" in item for item in part])
            ids = [item.pop("id", ent.name) for item in part]
        else:
            ids = list(map(dict.pop, part, repeat("id"), repeat(None)))
            entries += len(ids)
        ids = _ids(ids)
        if not ent.single:
            told.update(_told_apart(ids, owners[start : start + len(part)]))
        entries += _keys(keys, part, (ent, blocks, walk, level))
        at = paths[start : start + len(part)]
        made += many_instances(ent.name, ids, part, islice(ups, len(part)), at)
        records += part
        every += ids
    if not ent.single:
        _unique(every, owners, told)
    if entries < total:
        rest = set().union(*records) - keys  # (ids and blocks taken out; facts read in place)
        entries += _keys(rest, records, (ent, blocks, walk, level))
    if entries != total:
        raise Doubt  # (never: each entry is counted once)
    walk.tally.entries += entries
    walk.out[ent.name] = tuple(made)
    for key, (child, block) in blocks.items():
        _children(child, key, made, block, walk, level)


def _keys(
    keys: set[str],
    items: list[dict[str, Any]],
    at: tuple[EntityInfo, dict[str, tuple[EntityInfo, list[Any]]], _Walk, int],
) -> int:
    """Read ``keys`` (not ``id``) in the records ``items`` of the entity at ``at`` (with
    the blocks of children, by key, to add to, the walk and the records' nesting level):
    each child's block taken out, each fact converted in place.  How many entries that
    read; :class:`Doubt` for a key not allowed."""
    ent, blocks, walk, level = at
    children, facts, keeps, _, allowed, columnars = walk.shape(ent)
    if not keys <= allowed:
        raise Doubt
    entries = 0
    kids = [
        (key, blocks.setdefault(key, (child, []))[1])
        for key in keys
        if (child := children.get(key)) is not None
    ]
    read = [
        (key, (facts[key], keeps.get(key), columnars.get(key)))
        for key in keys - children.keys() - {"id"}
    ]
    for start in range(0, len(items), _STRETCH):  # see the module's docstring
        part = items[start : start + _STRETCH]
        for key, block in kids:
            given = list(map(dict.pop, part, repeat(key), repeat(_ABSENT)))
            entries += len(given) - sum(map(is_, given, repeat(_ABSENT)))
            block += given
        for key, readers in read:
            entries += _column(part, key, readers, walk, level)
    return entries


_LOOKALIKE = re.compile(f"[{LOOKALIKE}]")


def _unspaced(ids: list[str]) -> bool:
    """Whether no id in ``ids`` (printable text, so no line break) is empty or has a space
    at either end: each id a line, no line is empty or begins or ends with a space."""
    lines = "\n" + "\n".join(ids) + "\n"
    return not ids or ("\n\n" not in lines and "\n " not in lines and " \n" not in lines)


def _ids(ids: list[Any]) -> list[str]:
    """The ids as read, each as ``id_converter`` reads it."""
    # Printable text without a LOOKALIKE character (a full-width form, another script's digit,
    # ①, a Cyrillic Р...), not blank, with no space at either end and not too long, is an id
    # (ID_PATTERN:
    # Python's printable characters hold no control character, no invisible one (category
    # Cf) and no white space but " "; the LOOKALIKE ones are printable, searched for beyond
    # ASCII); the rest is read one by one.
    joined = "".join(ids) if set(map(type, ids)) <= _STR else None
    if (
        joined is not None
        and joined.isprintable()
        and (joined.isascii() or _LOOKALIKE.search(joined) is None)
        and _unspaced(ids)
        and max(map(len, ids), default=0) <= MAX_ID_LENGTH
    ):
        return ids
    return list(map(id_converter, ids))


def _told_apart(ids: list[str], owners: list[int]) -> Iterable[object]:
    """What tells ``ids`` apart within their blocks (``owners``: each id's block number
    times :data:`_BLOCK`; none given: one block): equal for two ids only if they may be
    the same id in one block."""
    if not owners:
        return ids
    # A block's number times 2**64 plus an id's hash (-2**63 <= hash < 2**63) is distinct
    # for distinct (block, hash) pairs; equal for equal hashes, or an id used twice.
    return map(add, owners, map(hash, ids))


def _unique(ids: list[str], owners: list[int], told: set[object]) -> None:
    """:class:`Doubt` if an id is used twice in one block (``owners`` as for
    :func:`_told_apart`; ``told``: the set of what that gave for all ``ids``): all told
    apart, the ids are unique in their blocks; otherwise the pairs of block and id are
    compared themselves."""
    if len(told) < len(ids) and (not owners or len(set(zip(owners, ids, strict=True))) < len(ids)):
        raise Doubt


def _column(
    items: list[dict[str, Any]],
    key: str,
    readers: tuple[Converter, Keeps | None, Columnar | None],
    walk: _Walk,
    level: int,
) -> int:
    """Convert fact ``key`` in every record of ``items`` (at nesting ``level``) that holds
    it, by its ``readers`` (from the entity's :data:`Shape`); a written but empty value
    (``None``) is dropped, as a fact not given.  How many records hold it."""
    read, keeps, whole = readers
    column = list(map(dict.get, items, repeat(key), repeat(_ABSENT)))
    kinds = set(map(type, column))
    if _Absent in kinds:
        given = list(map(is_not, column, repeat(_ABSENT)))
        items, column = list(compress(items, given)), list(compress(column, given))
        kinds.discard(_Absent)
    held = len(column)
    if _NONE in kinds:
        empty = list(map(is_, column, repeat(None)))
        list(map(dict.pop, compress(items, empty), repeat(key)))
        given = list(map(not_, empty))
        items, column = list(compress(items, given)), list(compress(column, given))
        kinds.discard(_NONE)
    inner: set[type] = set()  # the types of the items of the column's lists
    if list in kinds:
        lists = column if len(kinds) == 1 else [v for v in column if type(v) is list]
        inner = set(map(type, chain.from_iterable(lists)))
        nested = list in inner or dict in inner
        walk.tally.reach(level + (_nesting(lists) if nested else 1))
        if walk.spell and kinds == _LIST and inner == _INT:  # lists of JSON integers
            read = _spelled_items(read)
        elif walk.spell and (nested or int in inner or int in kinds):
            column = list(map(spelled, column))
            kinds = set(map(type, column))
            inner = set(map(type, chain.from_iterable(v for v in column if type(v) is list)))
    elif walk.spell and int in kinds:
        if kinds == _INT:  # JSON integers alone: each distinct one spelled and read once
            converted = _convert(column, _spelled(read), kinds, inner, None)
            list(map(setitem, items, repeat(key), converted))
            return held
        column = list(map(spelled, column))
        kinds = set(map(type, column))
    if keeps is not None and keeps(column, kinds):
        return held
    list(map(setitem, items, repeat(key), _convert(column, read, kinds, inner, whole)))
    return held


def _spelled(read: Converter) -> Converter:
    """``read`` of the ``JsonNumeral`` of an int's spelling."""

    def read_int(v: int) -> Value:
        return read(JsonNumeral(v))

    return read_int


def _spelled_items(read: Converter) -> Converter:
    """``read`` of a list of ints as the list of their spellings' ``JsonNumeral`` (a long
    list of money or numbers: the ints read at once, as their spellings would be)."""
    direct = read.of_json_ints if isinstance(read, ListConverter) else None

    def read_ints(v: list[int]) -> Value:
        made = None if direct is None else direct(v)
        return read(list(map(JsonNumeral, v))) if made is None else made

    return read_ints


def _convert(
    column: list[Any],
    read: Converter,
    kinds: set[type],
    inner: set[type],
    whole: Columnar | None,
) -> Iterable[Value]:
    """``column`` (values of the types ``kinds``; ``inner``: the types of its lists' items)
    converted by ``read`` (or ``whole``, for many distinct texts), one by one (a
    ``ValueRefused`` or ``ValueError`` comes when its value is reached)."""
    if len(kinds) == 1:
        (kind,) = kinds
        if kind in _KEYED:
            sample = column[:_SAMPLE]
            if 2 * len(set(sample)) > len(sample):  # mostly distinct: each read
                made = whole(column) if whole is not None and kind is str else None
                return map(read, column) if made is None else made
            return map(_Table(read).__getitem__, column)
        if kind is list and len(inner) <= 1 and inner <= _KEYED:
            return map(_Table(_of_tuple(read)).__getitem__, map(tuple, column))
    return map(read, column)


class _Table(dict[Any, Value]):
    """Values converted by ``read``, by raw value, each converted when first met (equal
    raw values of one type read alike)."""

    __slots__ = ("read",)

    def __init__(self, read: Converter) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, raw: Any) -> Value:
        value = self[raw] = self.read(raw)
        return value


def _of_tuple(read: Converter) -> Converter:
    """``read`` of a tuple's items as a list."""

    def read_tuple(items: tuple[Any, ...]) -> Value:
        return read(list(items))

    return read_tuple


def _nesting(lists: list[list[Any]]) -> int:
    """How deeply ``lists`` (values of facts) nest: 1 if none holds a list or a mapping."""
    depth, level = 1, list[Any](lists)
    while True:
        kinds = set(map(type, chain.from_iterable(level)))
        if list not in kinds and dict not in kinds:
            return depth
        depth += 1
        level = [v for v in chain.from_iterable(level) if type(v) is list or type(v) is dict]
        level = [v.values() if type(v) is dict else v for v in level]


def _children(
    child: EntityInfo,
    key: str,
    made: list[Instance],
    blocks: list[Any],
    walk: _Walk,
    level: int,
) -> None:
    """The instances of ``child`` written under ``key`` in each of ``made`` (``blocks``:
    what each wrote there, :data:`_ABSENT` if nothing), in order; ``level``: the nesting
    level of ``made``'s records."""
    given = list(map(is_not, blocks, repeat(_ABSENT)))
    blocks, owners = list(compress(blocks, given)), list(compress(made, given))
    prefixes = [f"{inst.path}.{key}" for inst in owners]
    if child.single:
        _entity(child, blocks, owners, prefixes, [], walk, level + 1)
        return
    if not set(map(type, blocks)) <= _LIST:
        raise Doubt
    if blocks:
        walk.tally.reach(level + 1)
    sizes = list(map(len, blocks))
    at = chain.from_iterable(map(repeat, prefixes, sizes))
    brackets = [f"[{i}]" for i in range(max(sizes, default=0))]
    paths = list(map(add, at, chain.from_iterable(map(brackets.__getitem__, map(slice, sizes)))))
    parents = list(chain.from_iterable(map(repeat, owners, sizes)))
    block_of = list(chain.from_iterable(map(repeat, count(0, _BLOCK), sizes)))
    _entity(child, list(chain.from_iterable(blocks)), parents, paths, block_of, walk, level + 2)
