"""The readings a ledger's grants were counted by: (provision, assumption, value) triples.

A grant's year (which yearly cap account it is in) can depend on an assumption
(``annual_cap_year = approval``): the same grants counted under another value would fall in
other accounts, and a cap could be paid twice.  A ledger therefore records, for each
provision with grants, the value of each assumption its decisions used (``bases``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import Diagnostic, LedgerError

__all__ = ["BASIS_KEYS", "NOT_KEYING", "Basis", "to_bases", "two_values"]

# (provision id, assumption name, the value's text as a result shows it: ``approval``)
Basis = tuple[str, str, str]

# Assumptions that are not policy readings but how to count days; they do not key grants.
NOT_KEYING = frozenset({"holiday_schedule"})

# A basis as a ledger file writes it: ``{provision, assumption, value}``.
BASIS_KEYS = ("provision", "assumption", "value")


def two_values(provision: str, name: str, was: str, now: str, where: str = "") -> LedgerError:
    """E335: one provision's grants said to be counted by two values of one assumption."""
    at = f"{where}: " if where else ""
    return LedgerError(
        Diagnostic(
            "E335",
            f"{at}the grants of {provision} are said to be counted with {name} = {was} "
            f"and with {name} = {now}; one ledger's grants are counted by one reading",
            hint="keep the ledgers of the two readings apart, or correct the wrong entry",
        )
    )


def to_bases(raw: Iterable[Any]) -> tuple[Basis, ...]:
    """``raw`` as sorted, distinct (provision, assumption, value) triples of non-empty text.
    An entry is such a triple, or a mapping with exactly the keys ``provision``,
    ``assumption`` and ``value`` (a ledger file's form), each non-empty text.

    :raises LedgerError: E327 for an entry that is neither; E335 for two values of one
        assumption under one provision.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise _bad(f"a ledger's bases are (provision, assumption, value) triples, not {raw!r}")
    out: dict[tuple[str, str], str] = {}
    for item in raw:
        triple = _triple(item)
        if len(triple) != 3 or not all(isinstance(x, str) and x for x in triple):
            raise _bad(
                f"a ledger's basis is (provision, assumption, value) or a mapping of these three "
                f"keys, each non-empty text, "
                f"not {item!r}",
                hint='e.g. ("jjxf_2025_50/3/launch_reward", "annual_cap_year", "approval")',
            )
        provision, name, value = triple
        was = out.setdefault((provision, name), value)
        if was != value:
            raise two_values(provision, name, min(was, value), max(was, value))
    return tuple(sorted((p, n, v) for (p, n), v in out.items()))


def _triple(item: Any) -> tuple[Any, ...]:
    """The three parts of one entry, or ``()`` for a shape that is not a basis (a mapping
    iterates over its keys: only its values, under the three keys, are the basis)."""
    if isinstance(item, Mapping):
        return tuple(item[k] for k in BASIS_KEYS) if set(item) == set(BASIS_KEYS) else ()
    if isinstance(item, str | bytes) or not isinstance(item, Iterable):
        return ()
    return tuple(item)


def _bad(message: str, hint: str | None = None) -> LedgerError:
    return LedgerError(Diagnostic("E327", message, hint=hint))
