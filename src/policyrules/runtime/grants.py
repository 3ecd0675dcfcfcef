"""Grants: one grant made (:class:`Grant`), and a result's grants with the readings they
were counted by (:class:`Grants`, and its ``+``).

A grant names a provision, a path from the firm down, an amount of at least 0.00 元 and a
year in 1..9999 or none, however it is built (from a file, a store or in Python).  The
ledger that holds grants (:class:`~policyrules.runtime.ledger.Ledger`) is built on these:
:class:`Counted` is what both it and :class:`Grants` are, grants that know their readings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ..errors import Diagnostic, LedgerError
from .bases import Basis, to_bases
from .ids import id_fault
from .money import Money, yuan_digits

__all__ = ["Counted", "Grant", "GrantPath", "GrantRow", "Grants", "grant_error"]

GrantPath = tuple[tuple[str, str], ...]
# A grant as the evaluator keeps it until it is made: provision, path, amount (fen), year.
GrantRow = tuple[str, GrantPath, int, int | None]


def grant_error(message: str, hint: str | None = None) -> LedgerError:
    """E327: a grant, or a ledger's list of grants, malformed."""
    return LedgerError(Diagnostic("E327", message, hint=hint))


def _to_path(raw: Any) -> GrantPath:
    """((entity, id), ...) from any iterable of pairs; refused if it is not one, or if an id
    is not one the readers take (:func:`~policyrules.runtime.ids.id_fault`)."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise grant_error(f"a grant's path is a sequence of (entity, id) pairs, not {raw!r}")
    out = []
    for pair in raw:
        if isinstance(pair, str | bytes) or not isinstance(pair, Iterable):
            raise grant_error(f"a grant's path holds (entity, id) pairs, not {pair!r}")
        items = tuple(pair)
        if len(items) != 2 or not all(isinstance(x, str) and x for x in items):
            raise grant_error(
                f"a grant's path holds (entity, id) pairs of non-empty text, not {pair!r}",
                hint='e.g. (("firm", "f1"), ("product", "P1"))',
            )
        fault = id_fault(items[1])
        if fault is not None:  # E323, as a ledger's reader refuses it
            message = f"a grant's path: {items[0]}: {fault[0]}"
            raise LedgerError(Diagnostic("E323", message, hint=fault[1]))
        out.append((items[0], items[1]))
    return tuple(out)


@attrs.frozen
class Grant:
    """One grant made: ``provision`` (its id, ``doc/clause/name``) paid ``amount`` to the
    subject at ``path``, counted in ``year``.

    ``path`` is ((entity, id), ...) from the firm (the outermost owner) down to the subject,
    e.g. ``(("firm", "f1"), ("product", "P1"))``, each id as the readers take it (at most
    256 characters, no control or invisible character, no white space at either end);
    ``amount`` is :class:`Money` (integer fen), at least 0.00 元; ``year`` is the year a
    yearly cap counts it in (1..9999), or ``None``.

    :raises LedgerError: (E327) if any of these does not hold; E323 for an id, as a
        ledger's reader refuses it.
    """

    provision: str
    path: GrantPath = attrs.field(converter=_to_path)
    amount: Money
    year: int | None = None
    # The tier paid (a tier table's row key as written, ``5 亿元``), where the award reads
    # its table `highest_only`: each tier is paid at most once.
    tier: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.provision, str) or not self.provision:
            raise grant_error(f"a grant names its provision, not {self.provision!r}")
        if not self.path:
            raise grant_error(
                f"the grant under {self.provision} names no firm",
                hint="a grant's path starts at the firm: (('firm', 'f1'), ...)",
            )
        entities = [e for e, _ in self.path]
        if len(set(entities)) != len(entities):
            raise grant_error(f"the grant under {self.provision} names an entity twice: {entities}")
        if not isinstance(self.amount, Money):
            raise grant_error(
                f"the grant under {self.provision}: the amount is a Money, "
                f"not {type(self.amount).__name__}",
                hint='Money.of("200", "万元")',
            )
        if self.amount < Money.zero():
            raise grant_error(
                f"the grant under {self.provision} to {self.subject}: "
                f"the amount {self.amount} is below zero",
                hint="a grant pays 0.00 元 or more; record a refund as a correction, not a "
                "negative grant",
            )
        year = self.year
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise grant_error(
                f"the grant under {self.provision}: a year is a whole number, not {year!r}"
            )
        if year is not None and not 1 <= year <= 9999:
            raise grant_error(
                f"the grant under {self.provision}: the year {year} is not in 1..9999"
            )

    @classmethod
    def trusted(
        cls,
        provision: str,
        path: GrantPath,
        amount: Money,
        year: int | None,
        tier: str | None = None,
    ) -> Grant:
        """A grant the evaluator made itself, from values it checked (its ids as the facts'
        reader took them): built without the checks of ``__init__`` (the same value as
        ``Grant(provision, path, amount, year, tier=tier)``)."""
        g = cls.__new__(cls)
        _set(g, "provision", provision)
        _set(g, "path", path)
        _set(g, "amount", amount)
        _set(g, "year", year)
        _set(g, "tier", tier)
        return g

    @property
    def firm(self) -> str:
        """``entity:id`` of the firm (the first step of the path)."""
        return f"{self.path[0][0]}:{self.path[0][1]}"

    @property
    def subject(self) -> str:
        """The ids of the path joined by ``/``: ``f1/P1``."""
        return "/".join(ident for _, ident in self.path)

    @property
    def identity(self) -> tuple[str, GrantPath, int | None, str | None]:
        """(provision, path, year, tier): a ledger holds at most one payment (a grant above
        0.00 元) with this identity; the tier is None unless the grant names one."""
        return (self.provision, self.path, self.year, self.tier)

    def describe(self) -> str:
        """``jjxf_2025_50/3/launch_reward to firm f1, product P1, year 2026`` (for errors)."""
        where = ", ".join(f"{e} {i}" for e, i in self.path)
        return f"{self.provision} to {where}" + (
            f", year {self.year}" if self.year is not None else ""
        )

    def to_json(self) -> dict[str, object]:
        """``{"provision": ..., "firm": ..., "product": ..., "amount": "2000000.00",
        "year": 2026}``: the amount in 元 as text (exact), ids as text."""
        out: dict[str, object] = {"provision": self.provision}
        out.update(self.path)
        out["amount"] = yuan_digits(self.amount.fen)  # str(self.amount.yuan)
        if self.year is not None:
            out["year"] = self.year
        if self.tier is not None:
            out["tier"] = self.tier
        return out


_set = object.__setattr__


class Counted:
    """Grants that know the readings they were counted by (``bases``: (provision,
    assumption, value), sorted): a :class:`~policyrules.runtime.ledger.Ledger`, or a
    result's :class:`Grants`.  Handed on, they bring those readings along."""

    __slots__ = ()

    @property
    def bases(self) -> tuple[Basis, ...]:
        raise NotImplementedError  # pragma: no cover - each kind defines it

    def __iter__(self) -> Iterator[Grant]:
        raise NotImplementedError  # pragma: no cover - each kind defines it


class Grants(tuple[Grant, ...], Counted):
    """A result's grants (:attr:`policyrules.Result.grants`): a tuple of :class:`Grant`
    that also knows the readings they were counted by (:attr:`bases`, made from the
    result's decisions when first asked).  Handed on as earlier grants (``ledger=
    result.grants``, ``Ledger(…)``, ``with_grants``, ``LedgerStore.append``, ``+``) they
    keep those readings, so a later run under another reading is refused (E335) rather
    than counting them in other accounts (issue 9 §3)."""

    _readings: Callable[[], Iterable[Basis]] | None
    _bases: tuple[Basis, ...] | None

    def __new__(cls, grants: Iterable[Grant], readings: Callable[[], Iterable[Basis]]) -> Grants:
        self = super().__new__(cls, grants)
        self._readings = readings
        self._bases = None
        return self

    @property
    def bases(self) -> tuple[Basis, ...]:
        """(provision, assumption, value) for each provision granted, as ``Ledger.bases``."""
        if self._bases is None:
            assert self._readings is not None
            self._bases = to_bases(self._readings())
            self._readings = None  # the result is no longer needed
        return self._bases

    def __reduce__(self) -> tuple[Any, ...]:
        return (_grants, (tuple(self), self.bases))

    # ``+`` keeps the readings of both sides (E335 if they differ); see :func:`_added`.
    def __add__(self, other: Any) -> Grants:
        return _added(self, other) if isinstance(other, tuple | Counted) else NotImplemented

    def __radd__(self, other: Any) -> Grants:
        return _added(other, self) if isinstance(other, tuple | Counted) else NotImplemented


def _added(left: Iterable[Grant], right: Iterable[Grant]) -> Grants:
    """``left + right`` as :class:`Grants` with the bases of both (E335 if they differ).
    Grants in a plain tuple carry no reading (taken as the defaults): of a provision the
    other side has a reading for, they are refused (E335) rather than labelled with it."""
    bases = to_bases(b for x in (left, right) if isinstance(x, Counted) for b in x.bases)
    read = {p: (n, v) for p, n, v in bases}
    for side in (x for x in (left, right) if not isinstance(x, Counted)):
        for g in side:
            if isinstance(g, Grant) and g.provision in read:
                name, value = read[g.provision]
                raise LedgerError(
                    Diagnostic(
                        "E335",
                        f"the grant {g.describe()} carries no reading (it is taken as counted "
                        f"by the defaults); the grants it is added to were counted with "
                        f"{name} = {value}",
                        hint="say how it was counted: Ledger(grants, bases=[...]), or keep "
                        "the two apart",
                    )
                )
    return _grants((*left, *right), bases)


def _grants(grants: tuple[Grant, ...], bases: tuple[Basis, ...]) -> Grants:
    return Grants(grants, lambda: bases)
