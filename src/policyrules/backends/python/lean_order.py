"""The serving order of a lean function's claims (:mod:`.lean`), keyed once, as plain ints.

A lean function keeps each part of its claims' sort key (every `order by` key, then the
path's ids) as a column, one item per claim, in facts order.  :func:`served_order` ranks
each column's distinct values (ids in natural order,
:func:`~policyrules.runtime.order.natural_key`; other values as Python orders them), folds
the ranks into one int per claim (the first column most significant) and sorts the claims
by it, ties in facts order (the sort is stable).  That is the order of the tuple of the
parts then the claim's number, which the fused function sorts by, without making a tuple
per claim or comparing dates, ids and tuples when claims tie on a part: the cost per
claim stays flat as claims grow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise, repeat
from operator import add, itemgetter, mul, sub
from typing import Any

from ...runtime.order import natural_key

__all__ = ["SMALL", "by_ranks", "by_tuples", "distinct_paths", "served_order"]

# An id's text after a prefix without a decimal digit: ASCII digits without a leading zero.
# Ids made only of one such prefix and such digits order as the digits' numbers do.
_NUMBER = "(?:0|[1-9][0-9]*)"
_PREFIX = re.compile(r"\D*")


def distinct_paths(columns: Sequence[list[str]], n: int) -> bool:
    """Whether the ``n`` paths whose ids at each level are ``columns`` are all different."""
    if len(set(columns[-1])) == n:  # the last ids alone differ (one firm's products)
        return True
    return len(set(zip(*columns, strict=True))) == n


# Up to this many claims the parts are compared as tuples: ranking columns costs more than
# it saves on a few claims (one firm's, a call of a service answering firm by firm).
SMALL = 32


def served_order(
    columns: Iterable[tuple[list[Any], bool]],
    chosen: list[int] | None,
    paths: Sequence[list[str]] | None = None,
) -> Any:
    """The positions in ``chosen`` (claim numbers from 0, ascending; ``None``: every claim)
    in serving order: by the columns (``(values, ids)``: ``ids`` when the values are ids in
    natural order), then by claim number.  Returns positions into ``chosen``, or ``None``
    when a column's values do not sort (the fused function, sorting tuples, decides then)
    or, ``paths`` given (the ids of every claim's path, a list a level), two claims' paths
    are the same (:func:`distinct_paths`)."""
    parts = list(columns)
    n = len(parts[0][0])
    if chosen is not None and len(chosen) == n:
        chosen = None  # every claim (picked, the same values)
    if n <= SMALL:
        if paths is not None and not distinct_paths(paths, n):
            return None
        return by_tuples(parts, chosen)
    return by_ranks(parts, chosen, paths)


def by_tuples(columns: Sequence[tuple[list[Any], bool]], chosen: list[int] | None) -> Any:
    """:func:`served_order` as comparing each claim's tuple of parts (ids by their natural
    key), ties in claim order, would give it: the claims sorted by the first part, and
    only those that tie on it by the next (:func:`_by_parts`), so that a part no two claims
    reach (ids after distinct days) is neither keyed nor compared."""
    try:
        return _by_parts(range(len(columns[0][0])) if chosen is None else chosen, columns)
    except (TypeError, ArithmeticError):
        return None


def _by_parts(at: Sequence[int], parts: Sequence[tuple[list[Any], bool]]) -> list[int]:
    """The positions in ``at`` (claim numbers, ascending; a ``range`` only of them all) in
    the order of the claims' values in ``parts`` (``(values, ids)``: a value per claim),
    the first part first, then by claim.  A part where all of them are equal orders
    nothing; where some are, those are ordered by the parts after it, as a comparison of
    the claims' tuples passes a part only where the two are equal."""
    if len(at) < 2:
        return list(range(len(at)))
    pick = None if isinstance(at, range) else itemgetter(*at)
    for k, (values, ids) in enumerate(parts):
        mine = values if pick is None else list(pick(values))  # (two claims or more)
        try:
            kinds = len(set(mine))
        except TypeError:  # not hashable: only all equal or not is known
            kinds = 1 if mine.count(mine[0]) == len(mine) else 0
        if kinds == 1:
            continue
        keys = list(map(natural_key, mine)) if ids else mine
        order = sorted(range(len(mine)), key=keys.__getitem__)  # stable: ties by claim
        rest = parts[k + 1 :]
        if kinds == len(mine) or not rest:
            return order
        out: list[int] = []
        run = [order[0]]
        for a, b in pairwise(order):  # each run of ties ordered by the parts after
            if keys[b] != keys[a]:
                out += _run(run, at, rest)
                run = []
            run.append(b)
        return out + _run(run, at, rest)
    return list(range(len(at)))


def _run(run: list[int], at: Sequence[int], parts: Sequence[tuple[list[Any], bool]]) -> list[int]:
    """The positions ``run`` (into ``at``, tied so far) ordered by ``parts``."""
    if len(run) == 1:
        return run
    inner = _by_parts([at[r] for r in run], parts)
    return [run[p] for p in inner]


def by_ranks(
    columns: Iterable[tuple[list[Any], bool]],
    chosen: list[int] | None,
    paths: Sequence[list[str]] | None = None,
) -> Any:
    """:func:`served_order` by ranking each column's distinct values and folding the ranks
    into one int a claim: no tuple made or compared, the cost per claim flat as claims
    grow.  Each distinct value's rank is scaled once (by the bounds of the columns after
    it), so a claim's key is a look-up per column and a sum.  The part of the key the
    ``paths``' columns give (each of them among ``columns``) is found for every claim:
    two paths are the same exactly when their parts are (ranks in mixed radix)."""
    ranked: list[tuple[list[Any], list[Any], list[int], int]] = []
    for values, ids in columns:
        got = _ranks(values, ids)
        if got is None:
            return None
        ranked.append((values, *got))
    n = len(ranked[0][0])
    if paths is not None and not all(any(q is r[0] for r in ranked) for q in paths):
        if not distinct_paths(paths, n):  # a level not among the columns (none is)
            return None
        paths = None
    pick = None if chosen is None or len(chosen) < 2 else itemgetter(*chosen)
    keys: list[int] | None = None  # the other columns' part, of the chosen claims
    whole: list[int] | None = None  # the paths' part, of every claim
    scale = 1  # the product of the bounds of the columns after this one
    for values, distinct, ranks, bound in reversed(ranked):
        scaled = ranks if scale == 1 else map(mul, ranks, repeat(scale))
        rank = dict(zip(distinct, scaled, strict=True))
        scale *= bound
        if paths is not None and any(q is values for q in paths):
            mine = map(rank.__getitem__, values)
            whole = list(mine) if whole is None else list(map(add, whole, mine))
        elif pick is not None or chosen is None:
            mine = map(rank.__getitem__, values if pick is None else pick(values))
            keys = list(mine) if keys is None else list(map(add, keys, mine))
    if whole is not None:
        if len(set(whole)) != n:
            return None
        if pick is not None or chosen is None:
            part: Sequence[int] = whole if pick is None else pick(whole)
            keys = list(part) if keys is None else list(map(add, keys, part))
    if chosen is not None and len(chosen) < 2:
        return list(range(len(chosen)))
    assert keys is not None  # a path has at least one level
    return sorted(range(len(keys)), key=keys.__getitem__)


def _ranks(values: list[Any], ids: bool) -> tuple[list[Any], list[int], int] | None:
    """The distinct values, the rank of each (or any int that orders them as their ranks
    do) and a bound above them; ``None`` if they do not sort.  Equal values (``1`` and
    ``Decimal("1.0")``) are one value: they share a rank, as they tie."""
    try:
        distinct = list(set(values))
        if not ids and (days := _days(distinct, len(values))) is not None:
            return distinct, *days
        if ids and (numbers := _numbered(distinct)) is not None:
            return distinct, numbers, max(numbers, default=0) + 1
        ordered = sorted(distinct, key=natural_key) if ids else sorted(distinct)
    except (TypeError, ArithmeticError):
        return None
    return ordered, list(range(len(ordered))), len(ordered)


def _days(distinct: list[Any], claims: int) -> tuple[list[int], int] | None:
    """When every one of the ``distinct`` values of ``claims`` values is a date (not a
    datetime), each one's day counted from the earliest (days order as these numbers do),
    and a bound above them, if the days span no more than a few per claim: no sort of
    dates."""
    if not distinct or set(map(type, distinct)) != {dt.date}:
        return None
    days = list(map(dt.date.toordinal, distinct))
    first = min(days)
    bound = max(days) - first + 1
    if bound > 4 * claims + 1024:  # a sparse span: ranks keep the sort's keys small
        return None
    return list(map(sub, days, repeat(first))), bound


def _numbered(ids: list[str]) -> list[int] | None:
    """When every id is one prefix then a number (``P1`` … ``P10000``), the numbers: in
    natural order such ids order as their numbers do, and two differ exactly when their
    numbers do (no leading zero), so each is its own rank: no sort or natural key per
    id.  ``None`` otherwise."""
    if not ids:
        return None
    first = ids[0]
    prefix = _PREFIX.match(first)
    assert prefix is not None  # \D* matches the empty text
    cut = prefix.end()
    text = "\n".join(ids) + "\n"
    pattern = f"(?:{re.escape(first[:cut])}{_NUMBER}\n)*"
    # an id holding a line feed would split into two lines: counted out
    if text.count("\n") != len(ids) or re.fullmatch(pattern, text) is None:
        return None
    try:
        return list(map(int, map(itemgetter(slice(cut, None)), ids)))
    except ValueError:  # more digits than int() converts: the general way
        return None
