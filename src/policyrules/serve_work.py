"""The evaluations of ``policyrules serve``: run in worker threads, within bounds, logged.

:class:`Evaluator` holds what every evaluation shares (the policy, its digest, the decision
log, the ledger store) and a pool of ``ServeLimits.workers`` threads.  A request's
evaluation is given to the pool and waited for at most ``ServeLimits.timeout`` seconds,
counted from when it was handed over:

- if no thread took it up in that time it is withdrawn: **503** (E713, the service is busy);
- if it is still running it is abandoned: **504** (E712).  A Python thread cannot be
  stopped, so it runs to its end and keeps its place in the pool until then (at most
  ``workers`` evaluations ever run at once), but it records nothing: before it writes its
  log entry (and, when committing, its grants, in the same transaction) it claims its
  :class:`Job`, and a job abandoned first refuses the claim, which rolls the transaction
  back.  Once claimed, the writing is waited for and answered, however late.

Writing takes turns: one writer of the decision log (and, committing, of the ledger store,
which another program may hold: ``policyrules ledger import``, another service).  An
evaluation waits for its turn at most ``ServeLimits.store_wait`` seconds (half of
``timeout`` unless set; always less), then is answered **503** (E332 for the store, E720
for the log), having recorded nothing: a store held elsewhere is reported as busy, before
the request's own time runs out (which would be a 504), and a writer waiting for it never
holds up the others' log rows for longer than that.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .api import Policy
from .errors import Diagnostic, LedgerError
from .explain import decision_json, decision_text
from .provenance import provenance
from .reading import Limits
from .result import Result
from .serve_answers import (  # (also importable from here, as before)
    LISTED,
    dumps,
    error_json,
    error_status,
    path_hider,
    serve_error,
)
from .serve_log import LOG_SCHEMA, DecisionLog, LogEntry
from .store import LedgerStore, StoreTransaction

__all__ = [
    "LISTED",
    "Abandoned",
    "Evaluator",
    "Job",
    "Options",
    "ServeLimits",
    "dumps",
    "error_json",
    "error_status",
    "path_hider",
    "serve_error",
    "turn_deadline",
]


def _half_the_timeout(limits: ServeLimits) -> float:
    return limits.timeout / 2


@attrs.frozen
class ServeLimits:
    """Bounds on one request: ``max_body_bytes`` (default 4 MiB; more is 413),
    ``max_depth`` (default 100 levels of nesting in the document), ``timeout`` (seconds,
    default 10: see the module), ``workers`` (default 4 evaluations at once),
    ``store_wait`` (seconds an evaluation waits for its turn to write to the log and the
    ledger store, then 503; default half of ``timeout``), ``header_timeout`` (seconds a
    connection may take to send a request's headers, then it is closed; default 10; kept by
    ``policyrules serve``'s uvicorn protocol, :mod:`policyrules.serve_protocol`: another
    ASGI server has its own), ``max_decisions`` (default 20,000: a larger answer is 422
    E728, before its JSON is made; some 3.3 KB of JSON a decision).

    :raises ValueError: if ``store_wait`` is not above 0 and below ``timeout`` (a store
        busy for the whole time would be answered 504, abandoned, not 503, busy)."""

    max_body_bytes: int = 4 * 2**20
    max_depth: int = 100
    timeout: float = 10.0
    workers: int = 4
    store_wait: float = attrs.field(default=attrs.Factory(_half_the_timeout, takes_self=True))
    header_timeout: float = 10.0
    max_decisions: int = 20_000

    @store_wait.validator
    def _below_timeout(self, attribute: Any, value: float) -> None:
        if not 0 < value < self.timeout:
            raise ValueError(f"store_wait={value!r}: above 0 and below timeout={self.timeout!r}")


@attrs.frozen
class Options:
    """A request's options, read from its query as the command line reads its flags."""

    as_of: Any = None
    parameters: dict[str, Any] = attrs.field(factory=dict)
    assumptions: dict[str, Any] = attrs.field(factory=dict)
    commit: bool = False
    all_earlier: bool = False
    #: For an explanation: the ids of the clauses whose decisions are answered.
    clauses: tuple[str, ...] = ()


class Abandoned(Exception):
    """The request was answered with 503/504 before its evaluation could record anything."""


class Job:
    """One evaluation's claim to be answered (see the module)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "waiting"  # -> running -> claimed, or -> abandoned
        self.made = time.monotonic()  # when the request's time began to run

    def start(self) -> None:
        with self._lock:
            if self._state == "abandoned":
                raise Abandoned
            self._state = "running"

    def claim(self) -> None:
        """Called before anything is written; raises :class:`Abandoned` if too late."""
        with self._lock:
            if self._state == "abandoned":
                raise Abandoned
            self._state = "claimed"

    def abandon(self) -> bool:
        """Give up on the job unless it has claimed; whether it was given up."""
        with self._lock:
            if self._state == "claimed":
                return False
            self._state = "abandoned"
            return True


class Evaluator:
    """Evaluates request bodies against ``policy`` in a pool of threads (see the module).

    ``log``: where every evaluation is recorded (``None``: nowhere); ``ledger``: a ledger
    store the evaluations read their earlier grants from and, with ``commit``, record their
    grants in; ``import_ledgers``: a committed document's own earlier grants (``ledger:``)
    are recorded in the store too (else such a document is refused, E722)."""

    def __init__(
        self,
        policy: Policy,
        *,
        digest: tuple[str, int],
        log: DecisionLog | None,
        ledger: Path | None,
        limits: ServeLimits,
        import_ledgers: bool = False,
    ) -> None:
        self.policy = policy
        self.import_ledgers = import_ledgers
        self.digest = digest
        self.log = log
        self.ledger = ledger
        self.limits = limits
        self.reading = Limits(max_bytes=limits.max_body_bytes, max_depth=limits.max_depth)
        self.pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=limits.workers, thread_name_prefix="policyrules-eval"
        )
        # An idle connection to the store, held while the service runs: closing the last
        # connection to a file in WAL mode copies the WAL into it and deletes it, waiting
        # for the disk, and each evaluation's own connection would otherwise be the last.
        self._held = None if ledger is None else LedgerStore.open(ledger, create=False)

    def submit(
        self, raw: bytes, name: str, options: Options, entry_id: str, job: Job
    ) -> concurrent.futures.Future[bytes]:
        """Hand the evaluation of the document ``raw`` (named ``name``: ``request.json`` or
        ``request.yaml``) to the pool; its future gives the answer's JSON text (serialised
        in the thread too, off the event loop)."""
        return self.pool.submit(self._run, raw, name, options, entry_id, job)

    def _run(self, raw: bytes, name: str, options: Options, entry_id: str, job: Job) -> bytes:
        job.start()
        policy = self.policy
        facts = policy.load_facts(name, self.reading, raw=raw)
        prov = provenance(
            policy,
            digest=self.digest,
            extra=facts.extra,
            as_of=options.as_of,
            parameters=options.parameters,
            assumptions=options.assumptions,
        )
        kwargs: dict[str, Any] = {
            "as_of": options.as_of,
            "parameters": options.parameters,
            "assumptions": options.assumptions,
        }

        def entry(result: Result, ledger: str | None = None) -> LogEntry:
            return LogEntry.of(entry_id, result, raw=raw, provenance=prov, ledger=ledger)

        if options.commit:
            if self.ledger is None:
                raise serve_error(
                    "E716",
                    "commit=1 records grants in a ledger store, and this service has none",
                    hint="start the service with --ledger STORE, or leave out commit",
                )
            if facts.extra.get("ledger") and not self.import_ledgers:
                # The store is the record of what was paid; a request's own earlier grants
                # would be imported into it (as `eval --ledger STORE` imports a facts file's),
                # for any firm the caller names: another firm's award used up, or blocked.
                raise serve_error(
                    "E722",
                    "commit=1 records grants in the store, and this document brings earlier "
                    "grants of its own (ledger:): the service records only the grants it makes",
                    hint="leave out ledger: (the store's grants are counted), or send the "
                    "document without commit to see what it would pay; grants made elsewhere "
                    "go into the store by `policyrules ledger import` (or start the service "
                    "with --import-ledgers, for callers trusted to record them)",
                )
            log, store_path = self.log, self.ledger

            def record(txn: StoreTransaction, result: Result) -> None:
                self._bounded(result, options)  # (refused before anything is recorded)
                job.claim()
                if log is not None:
                    DecisionLog.append_in(txn, entry(result, str(store_path)))

            until = turn_deadline(job.made, time.monotonic(), self.limits)  # then 503
            with self._writer(until), self._store(until) as store:
                if log is not None:
                    log.refuse_gone()  # (ATTACH would make a new file there)
                    store.attach(log.path, LOG_SCHEMA)
                try:
                    result = policy.evaluate(
                        facts,
                        ledger=store,
                        commit=True,
                        note=f"serve {entry_id}",
                        facts_file=f"request {entry_id}",
                        on_commit=record,
                        **kwargs,
                    )
                except LedgerError as exc:
                    # the store's or the attached log's lock: said of the file held
                    if exc.code == "E332" and log is not None:
                        raise log.held_elsewhere() or exc from None
                    raise
        else:
            if self.ledger is not None:
                with self._store() as store:
                    result = policy.evaluate(facts, ledger=store, **kwargs)
            else:
                result = policy.evaluate(facts, **kwargs)
            # Written before the claim, so that within the timeout: a large answer (a
            # document of thousands of products answers ~100 MB) is a 504, not a late 200.
            self._bounded(result, options)
            answer = dumps(self._answer(result, options, prov))
            job.claim()
            if self.log is not None:
                wait = _left(turn_deadline(job.made, time.monotonic(), self.limits))
                self.log.append(entry(result), wait=wait)
            return answer
        # (committed: the grants are recorded, so the answer is waited for however late)
        return dumps(self._answer(result, options, prov))

    def _bounded(self, result: Result, options: Options) -> None:
        """E728 if the answer would hold more than ``max_decisions`` decisions: known before
        its JSON is made (a 4 MB document of many subjects answered ~500 MB)."""
        picked = options.clauses
        n = sum(d.clause in picked for d in result.decisions) if picked else len(result.decisions)
        if n > self.limits.max_decisions:
            raise serve_error(
                "E728",
                f"the answer would hold {n:,} decisions (some {n * 3.3 / 1000:,.0f} MB of "
                f"JSON), more than the limit of {self.limits.max_decisions:,}",
                hint="send fewer subjects a request (split the document's firms, products "
                "...), ask /v1/explain for one clause, or start the service with a larger "
                "--max-decisions",
            )

    def _answer(self, result: Result, options: Options, prov: dict[str, Any]) -> dict[str, Any]:
        # As `eval --json` prints it: the English keys and the Chinese text (text_zh) beside;
        # for /v1/explain, only its clause's (the whole was made, then dropped).
        if not options.clauses:
            data = result.to_json(all_earlier=options.all_earlier)
        else:
            picked = [d for d in result.decisions if d.clause in options.clauses]
            data = {
                "decisions": [
                    {
                        **decision_json(d, all_earlier=options.all_earlier),
                        "text": decision_text(d, verbose=True),
                    }
                    for d in picked
                ]
            }
        data["provenance"] = prov
        return data

    @contextlib.contextmanager
    def _writer(self, until: float) -> Iterator[None]:
        """The log's turn to write (held through a commit: the log is written in the
        store's transaction), waited for until ``until`` (``time.monotonic()``); E332."""
        if self.log is None:
            yield
            return
        if not self.log.writer.acquire(timeout=_left(until)):
            raise LedgerError(
                Diagnostic(
                    "E332",
                    f"the ledger store is busy: no turn to write to it within "
                    f"{self.limits.store_wait:g} s",
                    hint="other evaluations are writing to it; try again in a moment",
                )
            )
        try:
            yield
        finally:
            self.log.writer.release()

    def _store(self, until: float | None = None) -> LedgerStore:
        """The store, opened to wait for another writer until ``until`` at most (else
        ``store_wait``): then E332."""
        assert self.ledger is not None
        wait = self.limits.store_wait if until is None else _left(until)
        return LedgerStore.open(self.ledger, create=False, timeout=wait)

    def close(self) -> None:
        """Stop taking evaluations; those waiting are dropped, running ones end on their own.
        The connections held open are closed (the store's; the log's after its write in
        progress, if any: a later one opens another)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self._held is not None:
            self._held.close()
            self._held = None
        if self.log is not None:
            with self.log.writer:
                self.log.close_connection()


def turn_deadline(made: float, now: float, limits: ServeLimits) -> float:
    """Until when (``time.monotonic()``) an evaluation whose request came at ``made`` waits
    now for its turn to write: ``store_wait`` from now, but never past nine tenths of the
    request's ``timeout`` from ``made`` (a request that queued for a worker is answered 503,
    busy, not 504, abandoned, when the store or the log is held)."""
    return min(now + limits.store_wait, made + limits.timeout * 0.9)


def _left(until: float) -> float:
    """Seconds from now until ``until`` (``time.monotonic()``), never below 0."""
    return max(0.0, until - time.monotonic())
