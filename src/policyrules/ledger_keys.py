"""What a grant of each award must name: the keys its ``once per`` and its caps count by.

A grant names the ids from the firm down to its subject.  It must go at least as deep as
the entities its provision's ``once per``, its caps' ``per`` and the caps of every pool it
counts in are keyed by; else it could never match a claim, and is refused (E322, by
:mod:`policyrules.ledger_io` for a ledger file and :mod:`policyrules.tables_ledger` for a
registry's ledger table).  A yearly cap needs the grant's year (E325).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .model import CheckedPolicy, ProvisionInfo

__all__ = ["GrantKeys", "grant_keys"]


@attrs.frozen
class GrantKeys:
    """What a grant of one provision must name: ``chain`` is the entities from the firm down
    to the subject; the first ``need`` of them are required, ``why`` says what keys each;
    ``yearly``: a yearly cap counts it (its year required); ``tiered``: the award pays by
    tiers (``tiers by``), and a grant names the tier paid."""

    info: ProvisionInfo
    chain: tuple[str, ...]
    need: int
    why: Mapping[str, str]
    yearly: bool
    tiered: bool = False


# grant_keys of the policies last asked about, by identity (the policy kept, so an id found
# is the policy's own): every read of a ledger asks, once per call of an evaluation.
_KEYS: dict[int, tuple[CheckedPolicy, Mapping[str, GrantKeys]]] = {}
_KEYS_MAX = 16


def grant_keys(policy: CheckedPolicy) -> Mapping[str, GrantKeys]:
    """For every award of ``policy``, by provision id, the keys a grant of it must carry
    (worked out once per policy; read-only)."""
    kept = _KEYS.get(id(policy))
    if kept is not None and kept[0] is policy:
        return kept[1]
    if len(_KEYS) >= _KEYS_MAX:
        _KEYS.clear()
    keys = MappingProxyType(_grant_keys(policy))
    _KEYS[id(policy)] = (policy, keys)
    return keys


def _grant_keys(policy: CheckedPolicy) -> dict[str, GrantKeys]:
    awards = [p for p in policy.provisions() if p.kind == "award"]
    pools: dict[str, list[tuple[ProvisionInfo, Any]]] = {}
    for p in awards:
        for cap in p.caps:
            pools.setdefault(cap.shared or p.id, []).append((p, cap))
    out: dict[str, GrantKeys] = {}
    for p in awards:
        chain = tuple(e.name for e in reversed(policy.chain(p.subject)))
        why: dict[str, str] = {}
        yearly = False
        for o in p.once:
            why.setdefault(o.entity, f"once per {o.entity}")
        for name in dict.fromkeys(cap.shared or p.id for cap in p.caps):
            for owner, cap in pools[name]:
                where = "its cap" if owner is p else f"the cap of {owner.id} (shared {name})"
                for e in cap.per:
                    why.setdefault(e, f"{where} per {e}")
                yearly = yearly or cap.year_of is not None
        depth = max((chain.index(e) + 1 for e in why if e in chain), default=1)
        if chain:
            # said after "keyed by": the head of the path, a firm or (an institution's
            # awards) another entity, is named by every grant
            why.setdefault(chain[0], f"its {chain[0]}, the first id of its path")
        # a limit per year of D counts a ledger subject in its grant's year (limits.py)
        yearly = yearly or (p.limit is not None and p.limit.year_of is not None)
        tiered = p.tiers is not None
        out[p.id] = GrantKeys(p, chain, max(depth, 1), why, yearly, tiered)
    return out
