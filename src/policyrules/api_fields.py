"""The fields of a loaded policy that its entries read: :class:`PolicyFields`, the base of
:class:`~policyrules.api_batch.BatchEntry` and :class:`~policyrules.api_grants.LedgerEntry`.

Each entry holds methods of :class:`policyrules.Policy` apart from it (the policy imports
them, never the reverse); the fields they read are declared here once, as stubs the
policy's own fields stand above.
"""

from __future__ import annotations

from collections.abc import Mapping

from .api_ledger import LedgerMemo
from .backends.python.compile import CompiledCap, CompiledPolicy
from .model import CheckedPolicy

__all__ = ["PolicyFields"]


class PolicyFields:
    """The checked and compiled policy and what is built of them once, as an entry of
    :class:`policyrules.Policy` reads them: a base of each entry, whose stubs the Policy's
    fields stand above."""

    __slots__ = ()

    @property
    def checked(self) -> CheckedPolicy:
        raise NotImplementedError  # pragma: no cover - the Policy's field

    @property
    def compiled(self) -> CompiledPolicy:
        raise NotImplementedError  # pragma: no cover - the Policy's field

    @property
    def texts(self) -> Mapping[str, str] | None:
        raise NotImplementedError  # pragma: no cover - the Policy's field (the .rule texts)

    @property
    def _keyed(self) -> Mapping[str, CompiledCap]:
        raise NotImplementedError  # pragma: no cover - the Policy's field (year_keyed)

    @property
    def _ledgers(self) -> LedgerMemo:
        raise NotImplementedError  # pragma: no cover - the Policy's field (api_ledger)
