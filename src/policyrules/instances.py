"""What a checked facts file holds: instances (a firm, a product, a project) with their facts.

Built by :mod:`policyrules.facts` (and its fast path :mod:`policyrules.columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import repeat
from typing import Any

import attrs

from .runtime.values import Value

__all__ = ["Facts", "Instance", "QuotaRivals", "many_instances", "unlisted_owners"]


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
class QuotaRivals:
    """The subjects of one quota (``quota N ranked by F``, 择优支持不超过 N 个) that these facts
    do not hold but that rank with theirs: another firm's projects when one firm of a
    registry is evaluated (``eval REGISTRY --firm ID``), which the batch ranks together.
    ``ranks``: each known rank with how many of them have it, ascending; ``unranked``: how
    many have no rank yet."""

    ranks: tuple[tuple[Decimal, int], ...] = ()
    unranked: int = 0


@attrs.frozen
class Facts:
    """Checked facts: instances per entity, plus raw ledger / parameter / assumption data.

    ``rivals``: by provision id, a quota's subjects outside these facts that rank with
    theirs (:class:`QuotaRivals`); empty for a facts file, which holds every subject."""

    instances: Mapping[str, tuple[Instance, ...]]
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    rivals: Mapping[str, QuotaRivals] = attrs.field(factory=dict, kw_only=True)
    # The instances as a reader made them, every id checked as it was read: while
    # ``instances`` is still that very mapping, checking the ids again finds nothing
    # (``api_values.check_ids``).  Not part of the value.
    read_ids: Mapping[str, tuple[Instance, ...]] | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True
    )

    def ids(self) -> set[str]:
        """Every id a subject's path can hold: the listed instances' and, for facts not
        as a reader made them, their unlisted owners' (:func:`unlisted_owners`; a reader
        lists every owner)."""
        listed = self.instances
        ids = {inst.id for insts in listed.values() for inst in insts}
        if self.read_ids is not listed:
            ids.update(owner.id for owner in unlisted_owners(listed))
        return ids


# Instance has neither validators nor converters, so its __init__ only sets the five slots:
# set here directly, a slot at a time over many instances, the same objects come out.
assert all(f.validator is None and f.converter is None for f in attrs.fields(Instance))
assert not hasattr(Instance, "__attrs_post_init__")
_SLOTS = [Instance.__dict__[f.name].__set__ for f in attrs.fields(Instance)]


def many_instances(
    entity: str,
    ids: list[str],
    values: Iterable[Mapping[str, Value]],
    parents: Iterable[Instance | None],
    paths: Iterable[str],
) -> list[Instance]:
    """``[Instance(entity, id, values, parent, path), ...]`` for each id, built in bulk."""
    made: list[Instance] = list(map(object.__new__, repeat(Instance, len(ids))))
    set_entity, set_id, set_values, set_parent, set_path = _SLOTS
    for setter, column in (
        (set_entity, repeat(entity)),
        (set_id, ids),
        (set_values, values),
        (set_parent, parents),
        (set_path, paths),
    ):
        list(map(setter, made, column))
    return made


def unlisted_owners(instances: Mapping[str, tuple[Instance, ...]]) -> list[Instance]:
    """The owners of the listed ``instances`` (their parents, theirs, ...) that are not
    listed themselves, each once: none for facts a reader made (it lists every owner);
    facts built in Python may give a product a firm they do not list, whose id a path,
    a subject and a grant still hold."""
    seen = {id(inst) for insts in instances.values() for inst in insts}
    out: list[Instance] = []
    for insts in instances.values():
        for inst in insts:
            at = inst.parent
            while at is not None and id(at) not in seen:
                seen.add(id(at))
                out.append(at)
                at = at.parent
    return out
