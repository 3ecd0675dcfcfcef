"""Ledgers as data: check earlier grants against a policy, read and write ledger files.

A ledger file (YAML or JSON) is interchange: ``ledger: [...]`` (or a bare list) of grants,
each a mapping ``{provision, <entity>: id ..., amount, year}``.  It is checked as strictly as
facts, and every error names the file, line and column:

* the provision must be an award of the policy (E321);
* the grant names the ids from the firm down, at least as deep as its provision's
  ``once per``, its caps' ``per`` and the caps of every pool it counts in are keyed
  (:mod:`policyrules.ledger_keys`): a grant that could never match a claim is refused,
  naming the missing key (E322);
* no unknown key, ids are text (E323); the amount is money, at least 0.00 元 (E324);
* the year is a whole number in 1..9999, and present when a yearly cap counts it (E325);
* no payment is listed twice: a grant above 0.00 元 with the same provision, path and year
  (E326).  A grant of 0.00 元 is accepted; it counts 0 toward caps and does not use up a
  one-time (一次性) award;
* a ``once per`` provision is not paid twice to the same key (E328, naming both grants with
  file and line; see :mod:`policyrules.ledger_check`, which also checks caps, E329).

An empty file or ``ledger: null`` is refused (E320): write ``ledger: []`` for no grants.
Beside ``ledger:`` a file may hold ``bases: [{provision, assumption, value}, ...]``, the
readings its grants were counted by (:mod:`policyrules.ledger_bases`; E320 for an entry
naming no award, assumption or value of the policy, E335 for two values of one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import yaml

from .convert import ValueRefused
from .convert_ids import convert_id
from .errors import (
    Diagnostic,
    FactsError,
    LedgerError,
    Span,
    did_you_mean,
    excerpt,
    quoted,
)
from .facts import convert_value, locate, read_data
from .ledger_bases import read_bases
from .ledger_check import (
    entitlement_years,
    exclusive_error,
    exclusive_twice,
    once_error,
    once_twice,
)
from .ledger_keys import GrantKeys, grant_keys  # (also importable from here, as before)
from .ledger_merge import merge_ledgers  # (also importable from here, as before)
from .ledger_span import YearSpan, span_error, year_spans
from .model import CheckedPolicy
from .reading import Limits, read_bytes
from .runtime.bases import BASIS_KEYS, Basis
from .runtime.ledger import Grant, GrantPath, Grants, Ledger
from .runtime.money import Money
from .types import MONEY, YEAR

__all__ = [
    "GrantKeys",
    "dump_ledger",
    "grant_keys",
    "merge_ledgers",
    "place_diagnostics",
    "read_ledger",
    "read_ledger_file",
]


class _Checker:
    def __init__(
        self,
        policy: CheckedPolicy,
        file: str | None = None,
        text: str | None = None,
        counted_by: tuple[Basis, ...] = (),
    ) -> None:
        self.policy = policy
        self.counted_by = counted_by  # the readings the grants were counted by (E352)
        self._spans: dict[str, YearSpan] | None = None
        self.keys = grant_keys(policy)
        self.file = file
        self.text = text
        self._places: dict[str, tuple[int, int, int]] | None = None
        self.diags: list[Diagnostic] = []
        # What a Grant value's checks took already (each only depends on itself): its ids,
        # and (provision, the entities of its path) whose keys are all there (E322, E323).
        self._ids_taken: set[str] = set()
        self._shapes_taken: set[tuple[str, ...]] = set()

    def places(self) -> dict[str, tuple[int, int, int]]:
        if self._places is None:
            self._places = locate(self.text) if self.text is not None else {}
        return self._places

    def error(
        self,
        code: str,
        at: str,
        message: str,
        hint: str | None,
        key: bool = False,
        shown: str | None = None,
    ) -> None:
        """Report at ``at`` (``key``: its key), named ``shown`` if given (a long key cut)."""
        named = at if shown is None else shown
        self.diags.append(Diagnostic(code, f"{named}: {message}" if at else message, hint=hint))
        self.diags[-1] = self.placed(self.diags[-1], at, key)

    def placed(self, d: Diagnostic, at: str, key: bool) -> Diagnostic:
        if self.file is None or self.text is None:
            return d
        places = self.places()
        where = (places.get(f"{at}#key") if key else None) or places.get(at)
        while where is None and at:
            at = at.rsplit(".", 1)[0] if "." in at else at.rsplit("[", 1)[0] if "[" in at else ""
            where = places.get(at)
        if where is None:
            where = (1, 1, 2)  # an empty file, or no place to point at: its start
        return attrs.evolve(d, span=Span(self.file, where[0], where[1], where[0], where[2]))

    def written(self, at: str, value: int) -> str:
        """An id the reader gave as a number, as it is written in the file (``0701``)."""
        where = self.places().get(at) if self.text is not None else None
        if where is not None and self.text is not None:
            line = self.text.splitlines()[where[0] - 1]
            shown = line[where[1] - 1 : where[2] - 1].strip()
            if shown:
                return shown
        return str(value)

    def ledger(self, raw: Any, where: str, bases: tuple[Basis, ...] = ()) -> Ledger:
        if isinstance(raw, Ledger | Grants):  # its bases, checked as a file's are (E320)
            said = [dict(zip(BASIS_KEYS, b, strict=True)) for b in raw.bases]
            raw, bases = tuple(raw), tuple(read_bases(self.policy, said, f"{where}.bases", self))
        self.counted_by += bases
        if raw is None:
            self.error(
                "E320",
                where,
                "null is not a list of grants",
                "write `ledger: []` for no earlier grants",
            )
            raise self.failed()
        if not isinstance(raw, Iterable) or isinstance(raw, str | bytes | Mapping):
            self.error("E320", where, "a list of grants", "e.g. `ledger: [{provision: ..., ...}]`")
            raise self.failed()
        grants: list[Grant] = []
        first: dict[tuple[str, GrantPath, int | None, str | None], str] = {}
        placed: list[tuple[Grant, str]] = []
        for i, entry in enumerate(raw):
            at = f"{where}[{i}]"
            grant = self.grant(entry, at)
            if grant is None:
                continue
            placed.append((grant, at))
            if grant.amount.fen:
                identity = grant.identity
                if identity in first:
                    self.error(
                        "E326",
                        at,
                        f"the grant {grant.describe()} is listed twice (also at {first[identity]})",
                        "a grant is recorded once; remove the copy",
                    )
                    continue
                first[identity] = at
            grants.append(grant)
        twice = once_twice(self.policy, placed) if placed else []  # none: nothing to pair
        spans = entitlement_years(self.policy) if twice else {}
        for a, at_a, b, at_b, _ in twice:
            for d in once_error([(a, self.where(at_a), b, self.where(at_b), _)], spans):
                self.diags.append(self.placed(d, at_b, False))
        for a, at_a, b, at_b, group in exclusive_twice(self.policy, placed) if placed else ():
            for d in exclusive_error([(a, self.where(at_a), b, self.where(at_b), group)]):
                self.diags.append(self.placed(d, at_b, False))
        if self.diags:
            raise self.failed()
        return Ledger.trusted(tuple(grants), bases)  # Grant values, each payment once (E326)

    def where(self, at: str) -> str:
        """``f.yaml:3`` for the entry at ``at`` when the file is known, else ``at``."""
        if self.file is None or self.text is None:
            return at
        span = self.placed(Diagnostic("E328", ""), at, False).span
        return f"{self.file}:{span.line}" if span is not None else at

    def failed(self) -> LedgerError:
        sources = {self.file: self.text} if self.file and self.text is not None else None
        return LedgerError(self.diags, sources=sources)

    def grant(self, entry: Any, at: str) -> Grant | None:
        if isinstance(entry, Grant):
            return self.known_grant(entry, at)
        if not isinstance(entry, Mapping):
            self.error("E320", at, "a grant is a mapping", "e.g. `{provision: ..., firm: ...}`")
            return None
        pid = entry.get("provision")
        keys = self.keys.get(pid) if isinstance(pid, str) else None
        if keys is None:
            self.unknown_provision(pid, f"{at}.provision" if "provision" in entry else at)
            return None
        chain = keys.chain
        extra = ("tier",) if keys.tiered else ()
        unknown = [k for k in entry if k not in ("provision", "amount", "year", *extra, *chain)]
        for k in unknown:
            self.error(
                "E323",
                f"{at}.{k}",
                f"unknown key {quoted(k)} in a grant of {pid}",
                did_you_mean(str(k), ["amount", "year", *chain])
                or f"a grant names: provision, {', '.join(chain)}, amount, year",
                key=True,
                shown=f"{at}.{excerpt(str(k))}",
            )
        path: list[tuple[str, str]] = []
        bad = bool(unknown)
        for e in chain:
            if e not in entry:
                continue
            v = entry[e]
            if isinstance(v, int) and not isinstance(v, bool):
                v = self.written(f"{at}.{e}", v)
            if not isinstance(v, str) or not v:
                self.error("E323", f"{at}.{e}", "an id is text", f'quote it: `{e}: "..."`')
                bad = True
            elif self.id_refused(v, f"{at}.{e}"):
                bad = True
            path.append((e, str(v)))
        bad = self.check_path(keys, [e for e, _ in path], at) or bad
        amount: Any = None
        if "amount" not in entry:
            self.error("E324", at, "no `amount`", 'say what was paid: `amount: "200万元"`')
            bad = True
        else:
            try:
                amount = convert_value(entry["amount"], MONEY, self.policy)
            except ValueError as exc:
                self.error("E324", f"{at}.amount", str(exc), 'e.g. `amount: "200万元"`')
                bad = True
        year = entry.get("year")
        if year is not None:
            try:  # as a facts file reads a year: 2026, "2026", "2026年", "2026年度"
                year = int(cast(Decimal, convert_value(year, YEAR, self.policy)))
            except ValueRefused as exc:
                self.error("E325", f"{at}.year", str(exc), exc.hint)
                bad = True
        bad = bad or not self.check_year(keys, year, at, "year" in entry)
        tier = entry.get("tier")
        if tier is not None and (not isinstance(tier, str) or not tier):
            self.error(
                "E323", f"{at}.tier", "a tier is its row's key as written", 'e.g. `tier: "5 亿元"`'
            )
            bad = True
        if bad:
            return None
        assert isinstance(amount, Money)
        made = Grant(keys.info.id, tuple(path), amount, year, tier=tier)
        return made if self.in_span(made, f"{at}.year") else None

    def id_refused(self, ident: str, at: str) -> bool:
        """E323 where the facts' reader would refuse the id (a grant of `P1 ` would never
        match the product `P1`); whether it did."""
        try:
            convert_id(ident)
        except ValueRefused as exc:
            self.error("E323", at, str(exc), exc.hint)
            return True
        return False

    def known_grant(self, g: Grant, at: str) -> Grant | None:
        keys = self.keys.get(g.provision)
        if keys is None:
            self.unknown_provision(g.provision, at)
            return None
        ids_taken = self._ids_taken
        for e, ident in g.path:  # each id checked once (the first refused is reported)
            if ident not in ids_taken:
                if self.id_refused(ident, f"{at}.{e}"):
                    return None
                if type(ident) is str:
                    ids_taken.add(ident)
        shape = (g.provision, *[e for e, _ in g.path])
        if shape in self._shapes_taken:  # its path's entities already passed below
            return g if self.check_year(keys, g.year, at, g.year is not None, g) else None
        entities = [e for e, _ in g.path]
        extra = [e for e in entities if e not in keys.chain]
        if extra:
            self.error(
                "E323",
                at,
                f"{g.describe()}: {quoted(extra[0])} is not the subject of {g.provision} "
                "or one of its owners",
                f"a grant's path runs {' > '.join(keys.chain)}",
            )
            return None
        if self.check_path(keys, entities, at):
            return None
        self._shapes_taken.add(shape)
        return g if self.check_year(keys, g.year, at, g.year is not None, g) else None

    def unknown_provision(self, pid: object, at: str) -> None:
        provisions = {p.id: p for p in self.policy.provisions()}
        info = provisions.get(pid) if isinstance(pid, str) else None
        if info is not None:
            self.error(
                "E321",
                at,
                f"{pid} is a {info.kind}, not an award: only awards make grants",
                "remove this entry; a ledger lists what awards paid",
            )
            return
        self.error(
            "E321",
            at,
            f"unknown provision {quoted(pid)}",
            did_you_mean(str(pid), [k for k in self.keys])
            or "name an award as `document/clause/name`",
        )

    def check_path(self, keys: GrantKeys, entities: list[str], at: str) -> bool:
        """Report the first key missing from the path (firm first); True if one is."""
        deepest = max((keys.chain.index(e) + 1 for e in entities), default=0)
        for e in keys.chain[: max(keys.need, deepest)]:
            if e in entities:
                continue
            why = keys.why.get(e) or f"the path runs {' > '.join(keys.chain)}"
            self.error(
                "E322",
                at,
                f"no `{e}`: {keys.info.id} is keyed by {why}; "
                "without it the grant could never match a claim",
                f"add `{e}: <its id>`; a grant of {keys.info.id} names "
                + ", ".join(keys.chain[: max(keys.need, deepest)]),
            )
            return True
        return False

    def check_year(
        self, keys: GrantKeys, year: Any, at: str, given: bool, made: Grant | None = None
    ) -> bool:
        """E325 for a year missing under a yearly cap or not read as a facts file reads
        one; E352 (``made``: the grant) for one its provision cannot have paid in."""
        where = f"{at}.year" if given else at
        if year is None:
            if keys.yearly:
                self.error(
                    "E325",
                    where,
                    f"no `year`: {keys.info.id} has a yearly cap or limit",
                    "say which year the grant counts in: `year: 2025`",
                )
                return False
            return True
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            self.error(
                "E325",
                where,
                f"a year is a whole number in 1..9999, not {quoted(year)}",
                "the year a yearly cap counts the grant in: `year: 2026`",
            )
            return False
        return made is None or self.in_span(made, where)

    def in_span(self, g: Grant, at: str) -> bool:
        """E352 where ``g``'s year cannot be one its provision paid in; whether it can."""
        if g.year is None:
            return True
        if self._spans is None:
            self._spans = year_spans(self.policy, self.counted_by)
        span = self._spans.get(g.provision)
        if span is None or span.holds(g.year):
            return True
        self.error("E352", at, *span_error(g, span))
        return False


def read_ledger(
    policy: CheckedPolicy,
    raw: Any,
    where: str = "ledger",
    *,
    file: str | None = None,
    text: str | None = None,
    counted_by: tuple[Basis, ...] = (),
) -> Ledger:
    """Check earlier grants against ``policy``: ``raw`` is a :class:`Ledger` or a list of
    :class:`Grant` values and mappings (as from YAML/JSON, amounts in 元 or as written).

    With ``file`` and ``text`` (the file's source) each error points at its line and column.
    ``counted_by``: the readings the grants were counted by, beside a :class:`Ledger`'s own
    (a store's, whose grants come without them), for the years they can count in (E352).

    :raises LedgerError: every fault found (E320-E326, E328, E352), each located when it
        can be.
    """
    return _Checker(policy, file, text, counted_by).ledger(raw, where)


def read_ledger_file(
    policy: CheckedPolicy,
    path: str | Path,
    limits: Limits | None = None,
    *,
    raw: bytes | None = None,
) -> tuple[Ledger, str]:
    """Read and check a YAML/JSON ledger file: ``ledger: [...]`` (and ``bases: [...]``, the
    readings its grants were counted by, :mod:`policyrules.ledger_bases`) or a bare list of
    grants.

    Returns the ledger and the file's text (as read, to detect a later change).  The file
    is read once (``raw``: its bytes, if the caller has read them).

    :raises FactsError: the file cannot be read or parsed (E301, E302).
    :raises LedgerError: an empty file, ``ledger: null``, other top-level keys, a bad
        ``bases`` entry (E320; E335 for two values of one), or any grant fault
        (E321-E326), located in the file.
    """
    raw = read_bytes(path, limits) if raw is None else raw  # once: it may be a pipe
    try:
        text, data = read_data(path, limits, raw=raw)
    except FactsError:
        try:
            blank = not raw.decode("utf-8-sig").strip()
        except UnicodeDecodeError:
            blank = False
        if not blank:
            raise
        text, data = "", None
    checker = _Checker(policy, str(path), text)
    if data is None:
        checker.error(
            "E320",
            "",
            "empty ledger file",
            "write `ledger: []` for no earlier grants",
        )
        raise checker.failed()
    if isinstance(data, Mapping):
        for k in data:
            if k not in ("ledger", "bases"):
                checker.error(
                    "E320",
                    str(k),
                    "a ledger file holds only `ledger:` and `bases:`",
                    did_you_mean(str(k), ["ledger", "bases"]) or "write `ledger: [...]`",
                    key=True,
                )
        if "ledger" not in data:
            checker.error("E320", "", "no `ledger:` in a ledger file", "write `ledger: [...]`")
        bases = read_bases(policy, data["bases"], "bases", checker) if "bases" in data else []
        if checker.diags:
            raise checker.failed()
        return checker.ledger(data["ledger"], "ledger", tuple(bases)), text
    return checker.ledger(data, ""), text


def dump_ledger(ledger: Ledger, fmt: str = "json") -> str:
    """The ledger as a file's text, ``{"ledger": [...]}`` in JSON (``fmt="json"``) or YAML
    (``"yaml"``), amounts in 元 as exact text, ids quoted so they read back as written;
    ``"bases": [{provision, assumption, value}, ...]`` beside it when the ledger has any."""
    data: dict[str, object] = {"ledger": [g.to_json() for g in ledger]}
    if ledger.bases:
        data["bases"] = [{"provision": p, "assumption": n, "value": v} for p, n, v in ledger.bases]
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if fmt != "json":
        raise FactsError(Diagnostic("E320", f"unknown ledger format {fmt!r}", hint="json or yaml"))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def place_diagnostics(diags: Iterable[Diagnostic], file: str, text: str) -> list[Diagnostic]:
    """Give diagnostics whose message starts with a path (``parameters.rate: ...``) the
    span of that path in the file: an unknown name (E304) at its key, anything else at its
    value.  Positions are located only here, when there is an error to report."""
    places = locate(text)
    out = []
    for d in diags:
        path = d.message.split(": ", 1)[0]
        key = places.get(f"{path}#key") if d.code == "E304" else None
        where = key or places.get(path) or places.get(path.rsplit(".", 1)[0])
        if d.span is None and where is not None:
            d = attrs.evolve(d, span=Span(file, where[0], where[1], where[0], where[2]))
        out.append(d)
    return out
