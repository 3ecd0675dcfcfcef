"""What a checked facts file holds: instances (a firm, a product, a project) with their facts.

Built by :mod:`policyrules.facts` (and its fast path :mod:`policyrules.columns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .runtime.values import Value

__all__ = ["Facts", "Instance"]


@attrs.frozen
class Instance:
    """One firm, product or project: its id, its facts, and whose it is."""

    entity: str
    id: str
    values: Mapping[str, Value]
    parent: Instance | None
    path: str

    def chain(self) -> dict[str, Instance]:
        out: dict[str, Instance] = {}
        inst: Instance | None = self
        while inst is not None:
            out[inst.entity] = inst
            inst = inst.parent
        return out

    @property
    def firm_key(self) -> str:
        """The id of the outermost owner: claims that share a firm-year cap share it."""
        inst = self
        while inst.parent is not None:
            inst = inst.parent
        return f"{inst.entity}:{inst.id}"


@attrs.frozen
class Facts:
    """Checked facts: instances per entity, plus raw ledger / parameter / assumption data."""

    instances: Mapping[str, tuple[Instance, ...]]
    extra: Mapping[str, Any] = attrs.field(factory=dict)
