"""Bounds on the data being read (size, depth, alias expansion), checked in time and memory
proportional to the file; and reading without the cyclic garbage collector's pauses.

The bounds are documented in :mod:`policyrules.reading`; a fault raises :class:`Refused`,
which the reader turns into a located error.
"""

from __future__ import annotations

import gc
import os
import threading
from itertools import accumulate
from typing import Any

import attrs
import yaml

from .errors import Diagnostic, FactsError, quoted
from .runtime.money import non_ascii_digits

__all__ = [
    "Limits",
    "Refused",
    "check_depth",
    "check_json_depth",
    "json_skeleton",
    "measure_nodes",
    "paused_gc",
    "too_deep",
]


@attrs.frozen
class Limits:
    """Bounds on what one data file may hold.

    ``max_bytes`` (default 64 MiB) bounds the file's size, ``max_depth`` (default 100) how
    deeply its mappings and lists nest, ``max_nodes`` (default 1,000,000) how many values
    YAML aliases may expand the document to (a file may always hold as many values as it
    has bytes), ``max_items`` (default 1,000,000) how many items one list may hold.
    :meth:`from_env` reads ``POLICYRULES_MAX_INPUT_MB``, ``POLICYRULES_MAX_DEPTH`` and
    ``POLICYRULES_MAX_ITEMS``.
    """

    max_bytes: int = 64 * 2**20
    max_depth: int = 100
    max_nodes: int = 1_000_000
    max_items: int = 1_000_000

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by the environment variables where they are set."""
        out = cls()
        for var, field, scale in (
            ("POLICYRULES_MAX_INPUT_MB", "max_bytes", 2**20),
            ("POLICYRULES_MAX_DEPTH", "max_depth", 1),
            ("POLICYRULES_MAX_ITEMS", "max_items", 1),
        ):
            raw = os.environ.get(var)
            if raw is None:
                continue
            # ASCII digits only: int() also reads "１２", " 12" and "1_2" as 12
            if not _whole(raw):
                found = non_ascii_digits(raw)
                raise FactsError(
                    Diagnostic(
                        "E307",
                        f"{var}={quoted(raw)}: a whole number is expected"
                        + (f" ({found.what})" if found else ""),
                        # the text in ASCII, where that would be read
                        hint=found.hint if found and _whole(found.ascii) else None,
                    )
                )
            value = int(raw)
            if value <= 0:
                raise FactsError(Diagnostic("E307", f"{var}={raw!r}: must be above 0"))
            out = attrs.evolve(out, **{field: value * scale})
        return out


def _whole(text: str) -> bool:
    """Whether ``text`` is a whole number written with ASCII digits alone."""
    return text.isascii() and text.isdigit()


class Refused(Exception):
    """Refused by a bound: the code, the message, and where (a YAML node or a data path)."""

    def __init__(self, code: str, message: str, hint: str, where: yaml.Node | str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.where = code, message, hint, where


def too_deep(limits: Limits, where: yaml.Node | str) -> Refused:
    return Refused(
        "E308",
        f"the data nests more than {limits.max_depth} levels deep",
        "flatten the data, or raise the bound with --max-depth / POLICYRULES_MAX_DEPTH",
        where,
    )


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def measure_nodes(root: yaml.Node, limits: Limits, budget: int) -> None:
    """Refuse a node graph whose expansion (aliases followed) nests deeper than the bound,
    holds more than ``budget`` values, or contains itself; each node is measured once."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = _node_children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            container = not isinstance(node, yaml.ScalarNode)
            depth[key] = container + max((depth[id(k)] for k in kids), default=0)
            if depth[key] > limits.max_depth:
                raise too_deep(limits, node)
            if size[key] > budget:
                raise Refused(
                    "E309",
                    f"aliases expand the data to more than {budget:,} values",
                    "write the values out, or use fewer nested aliases",
                    node,
                )
            continue
        if key in size:
            continue
        if key in open_:
            raise Refused(
                "E309",
                "an alias refers to the value it is part of",
                "a value cannot contain itself",
                node,
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in kids)


def check_depth(data: Any, limits: Limits) -> None:
    """Refuse data (without shared parts) nested deeper than the bound: one pass, level by
    level, over the containers; the path of the fault is looked for only when there is one."""
    level = [data] if type(data) is dict or type(data) is list else []
    for _ in range(limits.max_depth):
        below: list[Any] = []
        for value in level:
            kids = value.values() if type(value) is dict else value
            below += [v for v in kids if type(v) is dict or type(v) is list]
        if not below:
            return
        level = below
    _find_too_deep(data, limits)


def _find_too_deep(data: Any, limits: Limits) -> None:
    """Raise the error for data nested deeper than the bound, at the path of the fault."""
    stack: list[tuple[Any, int, Any]] = [(data, 1, None)]
    while stack:
        entry = stack.pop()
        value, level, _ = entry
        if level > limits.max_depth:
            raise too_deep(limits, _path_of(entry))
        kids = value.values() if isinstance(value, dict) else value
        stack.extend((v, level + 1, entry) for v in kids if isinstance(v, dict | list))


def _path_of(entry: tuple[Any, int, Any]) -> str:
    """``firms[0].products`` for a container found by :func:`check_depth`."""
    parts: list[str] = []
    while entry[2] is not None:
        value, parent = entry[0], entry[2][0]
        if isinstance(parent, dict):
            key = next(k for k, v in parent.items() if v is value)
            parts.append(f".{key}")
        else:
            parts.append(f"[{next(i for i, v in enumerate(parent) if v is value)}]")
        entry = entry[2]
    return "".join(reversed(parts)).removeprefix(".")


# A JSON text reduced to its brackets, as ( and ), its colons and the quotes of its strings.
_KEEP = b'"[]{}:'
_BRACKETS_ONLY = bytes.maketrans(b"[]{}", b"()()")
_NOT_KEPT = bytes(b for b in range(256) if b not in _KEEP)
_STEP = [0] * 256
_STEP[ord("(")], _STEP[ord(")")] = 1, -1


def json_skeleton(raw: bytes) -> bytes:
    """What of the valid JSON text ``raw`` (UTF-8) lies outside its strings: its brackets,
    as ( and ), and its colons (one per key: value pair)."""
    if b"\\" in raw:  # escapes: drop escaped backslashes first, then escaped quotes
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Brackets, colons and quotes only; a quote pair with nothing left between goes, keeping
    # every bracket's count of quotes before it even (outside a string) or odd (inside).
    kept = raw.translate(_BRACKETS_ONLY, _NOT_KEPT).replace(b'""', b"")
    if b'"' in kept:
        kept = b"".join(kept.split(b'"')[::2])
    return kept


def check_json_depth(raw: bytes, data: Any, limits: Limits, skeleton: bytes | None = None) -> None:
    """:func:`check_depth` for ``data`` parsed from the valid JSON text ``raw`` (UTF-8), read
    from the text rather than walked value by value: how deeply its brackets outside strings
    nest is how deeply its data nests.  ``skeleton``: :func:`json_skeleton` of ``raw``, if
    at hand."""
    if limits.max_depth < 1:
        check_depth(data, limits)
        return
    kept = (json_skeleton(raw) if skeleton is None else skeleton).replace(b":", b"")
    # Peel the innermost (empty) containers, one level a round; what is left after a few
    # rounds (only where data nests deeper) is measured in one pass.
    rounds = min(8, limits.max_depth)
    for _ in range(rounds):
        if not kept:
            return
        kept = kept.replace(b"()", b"")
    if kept and (
        rounds == limits.max_depth
        or rounds + max(accumulate(map(_STEP.__getitem__, kept))) > limits.max_depth
    ):
        _find_too_deep(data, limits)


class paused_gc:  # lower case: used as the function it was, `with paused_gc():`
    """Run the block without the cyclic garbage collector, which would otherwise walk every
    value read so far many times over while a large file is read (reading makes no cycles;
    memory is still freed by reference counting).  Nests, and across threads: the collector
    is off while any thread is in such a block, and on again, if it was on before the first
    of them, once the last has left (a count under a lock: each block reading and setting
    the collector's state itself could leave it off for good, one thread's ``disable``
    coming after another's ``enable``).

    ``promote``: what the block makes is long-lived data (facts read for a run, a result
    and what is read of it).  After a large block (:data:`_PROMOTED` objects or more) it
    joins the oldest generation at once (``gc.freeze()`` then ``gc.unfreeze()``, unless the
    program keeps objects frozen itself), as surviving collections would have moved it,
    instead of being walked in full by the next young collection.  The blocks that promote
    make no reference cycle (``tests/unit/test_no_cycles.py``): a value let go is freed at
    once, not left for a full collection.  Not below that, as a rule: a promotion takes the
    program's own young objects along (and resets the young count), so a service answering
    small calls would leave its own cycles for full collections that might not come.  But
    in a program whose blocks grow that large (one of the last :data:`_CREDIT` made as many
    objects as the collector's first threshold, 700 by default), the first promoting block
    to start collects the young generations then, the program's cycles with them: a walk of
    what the program made since the last block, most often a few objects (its results are
    in the oldest generation).  The block's objects are then all the young ones, and go to
    the oldest generation as it ends, whatever their number: a result of 10^3 claims (some
    11,000 objects) is not walked by the next young collections.  A program answering
    small calls only never collects ahead (the young objects about would be its last
    answer, walked for nothing).

    A class rather than a generator (``contextlib``): entered once per evaluation, its
    cost is part of every call's."""

    __slots__ = ("_promote",)

    def __init__(self, *, promote: bool = False) -> None:
        self._promote = promote

    def __enter__(self) -> None:
        global _paused, _was_enabled, _fresh, _young
        # (outside the lock: a finalizer the collection runs may pause it again)
        swept = self._promote and _credit > 0 and not _paused
        if swept and gc.isenabled():
            gc.collect(1)
        with _pausing:
            if not _paused:
                _was_enabled = gc.isenabled()
                gc.disable()
                # (the older young generation empty still: no collection moved the
                # program's objects there meanwhile)
                young = gc.get_count()
                _fresh = swept and _was_enabled and young[1] == 0
                _young = young[0]
            _paused += 1

    def __exit__(self, *_: object) -> None:
        global _paused, _credit
        with _pausing:
            _paused -= 1
            if _paused or not _was_enabled:
                return
            if self._promote:
                young = gc.get_count()[0]
                if (_fresh or young >= _PROMOTED) and not gc.get_freeze_count():
                    gc.freeze()
                    gc.unfreeze()
                if young - _young >= (gc.get_threshold()[0] or _PROMOTED):  # (made here)
                    _credit = _CREDIT
                elif _fresh:
                    _credit -= 1
            gc.enable()


# The blocks in progress, in every thread, and whether the collector was on before the first.
_pausing = threading.Lock()
_paused = 0
_was_enabled = False
# Whether the young generations were collected as the first of them started: the objects
# in them now are those the blocks made.
_fresh = False
# How many more promoting blocks collect the young generations as they start, unless one
# makes as many objects as a young collection is due for (then _CREDIT again); the young
# count as the first block started.
_credit = 0
_young = 0

_PROMOTED = 10_000  # objects made in a paused block (a facts file of some 200 records)
_CREDIT = 4
