"""What a fused function (:mod:`.fused`) keeps of its claims beside their rows: the
assumptions each read, as a bit mask over the award's own table (:class:`Masks`), and the
claims' sort keys, as its columns (:class:`ServedKeys`).

A claim of a fused award reads the same few assumptions as every other (those its `order by`
keys, conditions and caps' years name): the fused function keeps them as an ``int``, one
bit an assumption, set as each is read (no set made and added to a claim), and its row
holds the assumptions as the one frozen set of that mask (:meth:`Masks.__missing__`, made
once an award), which every claim read so shares: what reads the row (its decision, its
text, a refusal's key) takes a frozen set as it took a set, and hashes it once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from ...runtime.order import natural_key

__all__ = ["Masks", "ServedKeys"]


class Masks(dict[int, frozenset[str]]):
    """The assumptions of a fused award's claims as bit masks: ``bits`` gives each name
    its bit (those its generated code reads given as it is written, any other the general
    way reads for a claim's key on first meeting it); ``masks[mask]`` is the frozen set of
    the names of ``mask``, made on first asking and kept (at most one per set of the
    award's assumptions a claim reads together: few).  Threads share it with the compiled
    policy: a bit is given under a lock, a set is written whole, the same whoever writes
    it."""

    def __init__(self) -> None:
        super().__init__()
        self.bits: dict[str, int] = {}
        self._lock = threading.Lock()

    def bit(self, name: str) -> int:
        """The bit of the assumption ``name``, given on first asking."""
        got = self.bits.get(name)
        if got is None:
            with self._lock:
                got = self.bits.setdefault(name, 1 << len(self.bits))
        return got

    def of(self, names: Iterable[str]) -> int:
        """The mask of ``names`` (a claim's assumptions read the general way)."""
        mask = 0
        for name in names:
            mask |= self.bit(name)
        return mask

    def __missing__(self, mask: int) -> frozenset[str]:
        names = frozenset([name for name, bit in list(self.bits.items()) if mask & bit])
        self[mask] = names
        return names


class ServedKeys:
    """The sort keys of a fused function's claims, kept as its columns: the order it served
    them in (:func:`~.lean_order.served_order`, or :meth:`sorted`) and, on demand, each
    claim's flat key as the general way makes it (:meth:`flat`), which
    :func:`~.claims.natural_steps` reads (only a trace shows its steps)."""

    __slots__ = (
        "_general",
        "_ids",
        "_insts",
        "_masks",
        "_odd",
        "_parts",
        "_paths",
        "_used",
        "order",
    )

    def __init__(
        self,
        parts: tuple[tuple[list[Any], int], ...],
        ids: tuple[list[str], ...],
        insts: list[Any],
        paths: list[Any],
        used: list[int],
        odd: dict[int, tuple[Any, ...]],
        masks: Masks,
    ) -> None:
        self._parts = parts  # each `order by` key's values, and whether they are ids
        self._ids = ids  # each level's ids, the outermost first
        self._insts, self._paths, self._used = insts, paths, used  # (used: masks)
        self._masks = masks
        # The claims keyed the general way: their keys without their Env, and the
        # assumptions their keys read and their Env (None: keyed by generated code), let go
        # of once served (general).
        self._odd = {e: (*x[:-1], None) for e, x in odd.items()} if odd else {}
        self._general = {e: x[-2:] for e, x in odd.items()} if odd else {}
        self.order: list[int] = []  # positions in facts order, in serving order

    def flat(self, e: int) -> tuple[Any, ...]:
        """The flat key of the claim at position ``e`` (facts order, from 0): the `order
        by` keys as ``0, value`` pairs (text in natural order), the path's ids in natural
        order, the claim's number (from 1), the subject, its path, the assumptions its key
        read and ``None``."""
        odd = self._odd.get(e)
        if odd is not None:
            return odd
        key: list[Any] = []
        for values, ident in self._parts:
            key += (0, natural_key(values[e]) if ident else values[e])
        key += [natural_key(ids[e]) for ids in self._ids]
        used = self._masks[self._used[e]]
        return (*key, e + 1, self._insts[e], self._paths[e], used, None)

    def general(self, e: int) -> tuple[set[str], Any]:
        """The assumptions the key of the claim at position ``e``, keyed the general way,
        read, and its Env if one was made (``None``: keyed by generated code); once."""
        used, env = self._general.pop(e)
        return used, env

    def sorted(self, n: int) -> list[int]:
        """The positions of the ``n`` claims in the order of their flat keys (as tuples;
        the claims' numbers differ, so no two tie)."""
        return sorted(range(n), key=lambda e: self.flat(e)[:-4])

    def keys(self) -> list[tuple[Any, ...]]:
        """The flat keys in serving order: :meth:`flat` of each, made in one loop."""
        odd, parts, ids = self._odd, self._parts, self._ids
        insts, paths, used, masks = self._insts, self._paths, self._used, self._masks
        out = []
        for e in self.order:
            got = odd.get(e) if odd else None
            if got is None:
                key: list[Any] = []
                for values, ident in parts:
                    key += (0, natural_key(values[e]) if ident else values[e])
                for level in ids:
                    key.append(natural_key(level[e]))
                got = (*key, e + 1, insts[e], paths[e], masks[used[e]], None)
            out.append(got)
        return out
