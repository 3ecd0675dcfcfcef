"""The library's front door: load a policy once, evaluate facts many times.

>>> import policyrules
>>> policy = policyrules.load("policies/beijing_2025")
>>> result = policy.evaluate({"firms": [{"id": "f", "products": [{"id": "p"}]}]})
>>> reward = next(d for d in result.decisions if d.provision.endswith("/launch_reward"))
>>> reward.status, reward.missing_facts
('unknown', ('product.approved_on', 'product.launch_routes', 'product.other_national_project'))
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from . import facts_dated
from .api_batch import BatchEntry
from .api_grants import LedgerEntry
from .api_ledger import LedgerMemo
from .api_values import (
    PlainCall,
    as_of_date,
    call_values,
    check_ids,
    holiday_choice,
    read_values,
)
from .backends.python.compile import CompiledCap, CompiledPolicy, compile_policy
from .backends.python.evaluate import evaluate
from .bounds import paused_gc
from .check import check
from .errors import Diagnostic, FactsError, FactsTypeError, LedgerError
from .facts import Facts, read_facts, read_facts_source, schema
from .facts_dated import later_in_facts, refuse_later
from .ledger_bases import OtherReading, bases_of, check_readings, may_differ, readings_of
from .ledger_ids import check_numbers, number_index
from .ledger_io import place_diagnostics, read_ledger
from .ledger_record import record_run
from .ledger_span import stated_bases
from .ledger_years import check_years, noting, year_keyed
from .model import CheckedPolicy
from .parse import parse
from .reading import Limits
from .result import Result
from .rule_files import document_sources, read_rule_files
from .runtime.bases import Basis
from .runtime.calendar import HOLIDAY_ASSUMPTION, Unpublished, WorkCalendar
from .runtime.ledger import Grant, Ledger, LedgerIndex
from .runtime.values import Value
from .sources import MAX_SOURCE_BYTES
from .store import LedgerStore, StoreTransaction, firms_of
from .words import Words

# document_sources and read_rule_files (from rule_files) for cli, provenance and the lsp.
__all__ = ["HOLIDAY_ASSUMPTION", "Policy", "document_sources", "load", "read_rule_files"]

_NO_GRANTS = Ledger()  # facts without a `ledger:` (a Ledger never changes)


def load(path: str | Path, *, max_source_bytes: int = MAX_SOURCE_BYTES) -> Policy:
    """Parse, check and compile the policy in ``path`` (a directory of ``.rule`` files).

    A document's ``source`` file must lie inside the policy directory (the directory of
    ``path`` when it is one file) and hold at most ``max_source_bytes`` bytes of UTF-8;
    anything else is a :class:`~policyrules.errors.RuleCheckError` at the ``source`` line."""
    texts = read_rule_files(path)
    modules = [parse(text, file) for file, text in texts.items()]
    base = Path(path) if Path(path).is_dir() else Path(path).parent
    sources, refused = document_sources(modules, base, max_source_bytes)
    checked = check(modules, texts=texts, sources=sources, source_problems=refused)
    return Policy(checked, compile_policy(checked), Path(path), texts=MappingProxyType(texts))


def _kind(ledger: object) -> str:
    """What was given as the ledger, for E354: ``not a list``, ``not a Ledger``, ``but
    none was given``."""
    return "but none was given" if ledger is None else f"not a {type(ledger).__name__}"


@functools.lru_cache(maxsize=4)
def _unpickled(
    texts: tuple[tuple[str, str], ...], sources: tuple[tuple[str, str], ...], path: Path
) -> Policy:
    """A pickled :class:`Policy` made again from the texts :func:`load` read (no file is
    read now): parsed, checked and compiled as then.  A process pool sends the policy with
    every task (``pool.map(policy.evaluate, ...)``): a process keeps the last few it made,
    so each compiles a policy once."""
    rules = dict(texts)
    modules = [parse(text, file) for file, text in rules.items()]
    checked = check(modules, texts=rules, sources=dict(sources))
    return Policy(checked, compile_policy(checked), path, texts=MappingProxyType(rules))


def _recompiled(checked: CheckedPolicy, path: Path) -> Policy:
    """A pickled :class:`Policy` built from a checked policy without its texts."""
    return Policy(checked, compile_policy(checked), path)


@attrs.frozen
class Policy(BatchEntry, LedgerEntry):
    """A loaded policy: checked, compiled, ready to evaluate facts (one by one here; a
    registry at once: :meth:`evaluate_batch`, of ``api_batch``)."""

    checked: CheckedPolicy
    compiled: CompiledPolicy
    path: Path
    # The .rule files' texts by file name, as load() read them: what a pickle carries (None:
    # built from a checked policy, which a pickle then carries whole).  Read, never changed.
    texts: Mapping[str, str] | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)
    # The titles the Chinese text names things by (Result.explain(lang="zh")).
    words: Words = attrs.field(init=False, eq=False, repr=False)
    # The one-time awards whose grants carry a year, with the cap that gives it (E349).
    _keyed: dict[str, CompiledCap] = attrs.field(init=False, eq=False, repr=False)
    # The ledger values given, read, checked and summed once (api_ledger).
    _ledgers: LedgerMemo = attrs.field(init=False, eq=False, repr=False)

    # What a call given no parameters and no assumptions reads (api_values.PlainCall).
    _plain: PlainCall = attrs.field(init=False, eq=False, repr=False)

    @words.default
    def _words(self) -> Words:
        return Words.of(self.checked)

    @_keyed.default
    def _year_keyed(self) -> dict[str, CompiledCap]:
        return year_keyed(self.compiled)

    @_plain.default
    def _plain_call(self) -> PlainCall:
        return PlainCall(self.compiled)

    @_ledgers.default
    def _ledger_memo(self) -> LedgerMemo:
        return LedgerMemo(self.checked, self.compiled, self._keyed)

    def __reduce__(self) -> tuple[Callable[..., Policy], tuple[Any, ...]]:
        """Pickled (a process pool's workers), a policy carries the texts it was made from:
        its ``.rule`` files' and its documents' ``source`` texts, and its ``path`` as given
        (a name only: nothing is read from disk, wherever and whenever it is unpickled).
        Unpickling parses, checks and compiles them again; a policy built from a checked
        policy without :attr:`texts` carries that checked policy and is compiled again."""
        if self.texts is None:
            return _recompiled, (self.checked, self.path)
        sources = tuple(self.checked.sources.items())
        return _unpickled, (tuple(self.texts.items()), sources, self.path)

    def __copy__(self) -> Policy:
        return self  # immutable: its memos only remember what it computed

    def __deepcopy__(self, memo: dict[int, Any]) -> Policy:
        return self

    def _no_grants(
        self, params: Mapping[str, Value], assume: Mapping[str, Value]
    ) -> tuple[Ledger, LedgerIndex | None]:
        return self._ledgers.whole((("the facts' ledger", _NO_GRANTS),), params, assume)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a facts file for this policy."""
        return schema(self.checked)

    def read_facts(self, data: Any, file: str = "<facts>") -> Facts:
        """Check raw facts (a dict as from YAML/JSON) against the policy."""
        return read_facts(self.checked, data, file)

    def load_facts(
        self, path: str | Path, limits: Limits | None = None, *, raw: bytes | None = None
    ) -> Facts:
        """Read and check a YAML or JSON facts file; errors point into the file.

        The file is read by the rule of :mod:`policyrules.reading`, within ``limits`` (by
        default 64 MiB and 100 levels of nesting, or ``POLICYRULES_MAX_INPUT_MB`` /
        ``POLICYRULES_MAX_DEPTH``).  ``raw``: the document's bytes, if at hand (an HTTP
        request's body): ``path`` then only names it.  Raises :class:`FactsError` (E301-E319)."""
        with paused_gc(promote=True):  # reading makes no cycles: see policyrules.bounds
            source, facts = read_facts_source(self.checked, path, limits, raw=raw)
        # The file's own ledger, parameters and assumptions are checked now, while we know
        # where each entry is, rather than later in evaluate() without a place to point at.
        # (The text, to place an error, is decoded only if there may be one.)
        if "ledger" in facts.extra:
            stated = facts.extra.get("assumptions")
            counted = stated_bases(self.checked, stated if isinstance(stated, Mapping) else {})
            ledger = facts.extra["ledger"]
            read_ledger(self.checked, ledger, file=str(path), text=source(), counted_by=counted)
        try:
            self._extra(facts.extra)
        except FactsError as exc:
            text = source()
            placed = place_diagnostics(exc.diagnostics, str(path), text)
            raise FactsError(placed, sources={str(path): text}) from None
        return facts

    def _extra(self, extra: Mapping[str, Any]) -> None:
        self._values(extra.get("parameters") or {}, "parameters")
        chosen = dict(extra.get("assumptions") or {})
        self._holiday(chosen.pop(HOLIDAY_ASSUMPTION, "error"))
        self._values(chosen, "assumptions")
        self._as_of(extra.get("as_of"))

    def evaluate(
        self,
        facts: Facts | Mapping[str, Any],
        *,
        ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
        commit: bool = False,
        parameters: Mapping[str, Any] | None = None,
        assumptions: Mapping[str, Any] | None = None,
        as_of: dt.date | str | None = None,
        note: str = "",
        facts_file: str | None = None,
        explain: bool = True,
        on_commit: Callable[[StoreTransaction, Result], None] | None = None,
        ledger_file: str | None = None,
        on_other_reading: Callable[[OtherReading], None] | None = None,
        record_ahead: bool = False,
        today: dt.date | None = None,
    ) -> Result:
        """Evaluate ``facts``.

        ``ledger`` holds the grants made before: a :class:`Ledger`, a list of :class:`Grant`
        values or mappings (``{provision, firm, product, amount, year}``, amounts in 元 or as
        written, e.g. ``"200万元"``), or a :class:`LedgerStore`.  ``parameters`` sets open
        values (一定比例...); ``assumptions`` overrides named readings, and
        ``holiday_schedule`` (``error``, ``statutory_projection``, ``weekends_only``) says how
        to count days in a year whose holiday schedule is not published: without it such a
        decision is unknown (E501).  ``as_of`` is the day the result speaks for (a deadline
        with no completion date is overdue after it); a date fact later than it is refused
        (E353: not yet a fact on that day; without ``as_of`` each date is taken as given).
        A facts file's own ``as_of``, ``ledger``, ``parameters`` and ``assumptions`` apply;
        arguments win; the facts file's grants and ``ledger`` together are the earlier
        grants (``ledger=[]`` adds none, takes none away: for none, read facts without it).
        Values are read as in a facts file (:mod:`policyrules.reading`): a rate is ``"30%"``
        (not ``Decimal("0.3")``), a date ``"YYYY-MM-DD"`` or a ``datetime.date``;
        :class:`FactsError` (E304, E305, E310-E314) otherwise.

        Pure (the same arguments always give the same result) unless ``ledger`` is a store
        and ``commit`` is true: then the store's grants are read and this result's grants
        (``Result.grants``) appended in one transaction, under ``note``; a concurrent
        evaluation against the same store waits and then sees them.  With a store and
        ``commit=False`` the store is only read.  When committing, the facts' own earlier
        grants not yet in the store are appended in the same transaction, in a batch noted
        ``imported from <facts_file>``.  The same grant given by several routes counts once.
        ``on_commit(txn, result)`` is called in that transaction before any grant is
        appended, for a record of the caller's own (the HTTP service's decision log): if it
        or anything after it raises, neither its record nor a grant is written.  A commit
        for an ``as_of`` after ``today`` (the machine's date unless given) granting a year
        after today's is refused (E428) unless ``record_ahead=True`` says it is meant.

        ``explain=False`` computes the awards without their explanations: each decision's
        ``trace``, ``reasons``, ``facts``, ``parameters`` and ``parameters_set`` are left
        empty and no text of them is built; statuses, amounts (exact / up to / unknown),
        missing facts and parameters, caps, assumptions and grants are the same as with
        ``explain=True``.

        A ledger that is not a store says which readings its grants were counted by
        (``Ledger.bases``; none said: each assumption's default; a facts file's own grants
        go with its own ``assumptions``).  A run whose decisions use
        another value of an assumption for a provision the ledger holds grants of is refused
        (E335): it would count the same grants in other accounts.  ``ledger_file`` names
        the ledger (its file) in that error, ``facts_file`` the facts (their ``ledger:``).
        A what-if that records nothing (:func:`policyrules.diff.what_if`) passes
        ``on_other_reading``: each such finding (an
        :class:`~policyrules.ledger_bases.OtherReading`) is given to it instead, and the
        grants are read in the accounts they were counted in; not with ``commit``.

        :raises LedgerError: a bad earlier grant (E320-E327); a grant to one of the facts'
            ids written as another number, ``701`` for ``0701`` (E323,
            ``policyrules.ledger_ids``: a store is read for them too); one grant with two amounts
            (E326); a one-time award paid twice (E328) or a cap already exceeded (E329) in
            the earlier grants; a grant already in the store (E331: nothing is written); a
            busy store (E332); an assumption whose value differs from the one the store's
            (or the ledger's, the facts' own ``ledger:``'s, or by default) grants of a
            provision were keyed by (E335, also without ``commit``); an earlier grant of a
            one-time award recorded in another year than these facts give its subject
            (E349, ``policyrules.ledger_years``: after E335, not for a provision
            ``on_other_reading`` took); with ``commit``, an award paid over time evaluated
            without ``as_of`` (E427: the years due cannot be told; nothing is written); an
            ``as_of`` after ``today`` (default: the machine's date) and a grant of a year
            after today's (E428: it would be recorded as paid now) unless ``record_ahead``.
        :raises FactsError: bad facts, parameters or assumptions; a date after ``as_of`` (E353).
        :raises FactsTypeError: (also a ``TypeError``) E354, ``commit=True`` without a
            :class:`~policyrules.store.LedgerStore` as the ledger, or with
            ``on_other_reading``: before anything is evaluated.
        """
        if commit and not isinstance(ledger, LedgerStore):  # before anything is evaluated
            raise FactsTypeError(
                Diagnostic(
                    "E354",
                    f"commit=True needs a LedgerStore as the ledger, {_kind(ledger)}: "
                    "only a store records grants",
                    hint="make one once, by `policyrules ledger init grants.db` or "
                    'policyrules.LedgerStore.open("grants.db", create=True), and pass '
                    'ledger=policyrules.LedgerStore.open("grants.db"); or leave commit out '
                    "to evaluate without recording any grant",
                )
            )
        if commit and on_other_reading is not None:
            raise FactsTypeError(
                Diagnostic(
                    "E354",
                    "on_other_reading is for a run that records nothing, not with commit=True",
                    hint="leave commit out to read grants counted by another reading; a "
                    "store records only runs that read its grants as they were counted",
                )
            )
        if not isinstance(facts, Facts):
            facts = self.read_facts(facts)
        else:
            check_ids(facts)
        extra = facts.extra
        alone = not extra and ledger is None and as_of is None and not commit
        if alone and not parameters and not assumptions:  # (one firm a call: nothing else)
            return self._plain_run(facts, explain)
        own = self.facts_ledger(facts)
        plain = self._plain
        params, assume, calendar, named = call_values(
            self.checked, plain, extra, parameters, assumptions
        )
        on = as_of if as_of is not None else extra.get("as_of")
        day = self._as_of(on) if on is not None else None
        if day is not None:  # E353: a date after the day the result speaks for
            refuse_later(self.checked, later_in_facts(self.checked, facts, day), day)
        if ledger is None and not own.grants and not commit:
            # No earlier grant: no reading to compare (E335), no year (E349).
            if params is plain.parameters and assume is plain.assumptions:
                earlier = plain.no_grants(self._no_grants)
            else:
                earlier = self._ledgers.whole((("the facts' ledger", own),), params, assume)
            return self._run(facts, earlier, params, assume, calendar, day, explain, named)
        # The facts' own grants were counted by the facts' own readings (own.bases; recorded
        # with them when imported into a store): an argument overriding them is refused.
        skip: set[str] = set()  # provisions a what-if reads in another reading's accounts
        sink = noting(on_other_reading, skip)
        defaults = self.compiled.assumption_defaults

        def used(result: Result, granted: Iterable[str]) -> list[Basis]:
            # The readings this run uses: its decisions', and, for each provision a ledger
            # holds grants of, the values its text reads (a pool partner's grants are keyed
            # by them though the run decides no claim of that provision).
            read = readings_of(self.checked, assume, granted)
            return sorted({*bases_of(result.decisions), *read})

        def check_own(result: Result) -> None:
            if own.grants and may_differ(own, assume, defaults):  # else nothing to find
                where = f"{facts_file}: ledger" if facts_file else "the facts' ledger"
                mine = used(result, {g.provision for g in own})
                check_readings(
                    own, mine, defaults, where, sink, "facts", facts_file=facts_file or None
                )

        own_where = f"{facts_file}: ledger" if facts_file else "the facts' ledger"

        def run(earlier: tuple[Ledger, LedgerIndex | None]) -> Result:
            return self._run(facts, earlier, params, assume, calendar, day, explain, named)

        def whole(*parts: tuple[str, Ledger]) -> tuple[Ledger, LedgerIndex | None]:
            return self._ledgers.whole(parts, params, assume)

        def years(*parts: tuple[str, Ledger]) -> None:
            # E349, after E335: grants read in the accounts of another reading are not
            # compared with this run's years (a what-if lists them instead)
            index = self._ledgers.year_index(parts)
            if index:  # else no grant to compare
                check_years(self.compiled, facts, index, params, assume, skip, self._keyed)

        def numbers(*parts: tuple[str, Ledger]) -> None:
            # E323: a grant to `701` where the facts' firm is `0701` would count against
            # no claim of it
            check_numbers(facts, self._ledgers.number_index(parts))

        if isinstance(ledger, LedgerStore):
            with ledger.transaction(write=commit, note=note) as txn:
                # the only grants it can read, with those of its firms' ids written as
                # another number (E323 refuses them)
                mine = txn.grants(firms_of(facts, own))
                where = f"{ledger.path}: grants"
                stored = read_ledger(self.checked, mine, where, counted_by=txn.bases())
                grants = [(g, where) for g in stored] + [(g, own_where) for g in own]
                check_numbers(facts, number_index(grants))
                result = run(whole((str(ledger.path), stored), ("the facts' ledger", own)))
                # E335: keyed by another reading, the store's record or, for any firm's
                # grants it records none for, the defaults
                if may_differ(Ledger((), bases=txn.bases()), assume, defaults):
                    txn.check_bases(used(result, txn.provisions()), sink, defaults)
                check_own(result)
                years((str(ledger.path), stored), (own_where, own))
                if commit:
                    record_run(
                        self.checked,
                        txn,
                        result,
                        own,
                        stored,
                        source=facts_file or "the facts given",
                        own_readings=lambda: {**defaults, **self._stated(facts)},
                        defaults=defaults,
                        on_commit=on_commit,
                        ahead=(day, today or facts_dated.machine_today(), record_ahead),
                    )
            return result
        if ledger is None:
            numbers((own_where, own))
            result = run(whole(("the facts' ledger", own)))
            check_own(result)
            years((own_where, own))
            return result
        if isinstance(ledger, str | Path):  # (a name is no list of grants: say which it is)
            raise LedgerError(
                Diagnostic(
                    "E320",
                    f"ledger: {str(ledger)!r} is a file's name, not grants",
                    hint="a store: `ledger=LedgerStore.open(path)`; a YAML or JSON ledger "
                    "file: `ledger=policy.load_ledger(path)`",
                )
            )
        given = self._ledgers.read(ledger)
        numbers((own_where, own), (ledger_file or "the ledger given", given))
        result = run(whole(("the facts' ledger", own), (ledger_file or "the ledger given", given)))
        check_own(result)
        # E335: the given ledger's grants were counted by another reading (its bases, or the
        # defaults).  The facts' own grants are read with the facts' own assumptions.
        if may_differ(given, assume, defaults):  # else nothing to find: decisions left unmade
            where = ledger_file or "the ledger given"
            check_readings(given, used(result, {g.provision for g in given}), defaults, where, sink)
        years((own_where, own), (ledger_file or "the ledger given", given))
        return result

    def _plain_run(self, facts: Facts, explain: bool) -> Result:
        """:meth:`_run` of facts given nothing beside them (no ``ledger:``, ``parameters:``,
        ``assumptions:`` or ``as_of``) and no argument: the defaults, no earlier grant."""
        plain = self._plain
        earlier = plain.no_grants(self._no_grants)
        return evaluate(
            self.compiled,
            facts,
            ledger=earlier[0],
            index=earlier[1],
            parameters=plain.parameters,
            assumptions=plain.assumptions,
            calendar=plain.calendar,
            explain=explain,
        ).with_words(self.words)

    def _run(
        self,
        facts: Facts,
        earlier: tuple[Ledger, LedgerIndex | None],
        params: Mapping[str, Value],
        assume: Mapping[str, Value],
        calendar: WorkCalendar,
        day: dt.date | None,
        explain: bool,
        named: Collection[str] = (),
    ) -> Result:
        return evaluate(
            self.compiled,
            facts,
            ledger=earlier[0],
            index=earlier[1],
            parameters=params,
            assumptions=assume,
            calendar=calendar,
            as_of=day,
            explain=explain,
            parameters_given=named,
        ).with_words(self.words)

    # The arguments beside the facts, read as a facts file reads them (api_values).
    def _as_of(self, value: Any) -> dt.date | None:
        return as_of_date(self.checked, value)

    def _holiday(self, value: Any) -> Unpublished:
        return holiday_choice(value)

    def _values(self, raw: Mapping[str, Any], what: str) -> dict[str, Value]:
        return read_values(self.checked, raw, what)
