"""The common case of a claim, on plain ints, kept as a compact row.

Each claim of a provision that has generated functions
(:mod:`~policyrules.backends.python.codegen`) is first tried here: conditions, the one-time
check, the amount and the caps run on the subject's values and on integer fen, and the
decision is kept as a :data:`~policyrules.backends.python.rows.Row` (a tuple).  A claim
that cannot be decided so (an unknown amount or cap, a value that cannot be computed)
raises :class:`~policyrules.backends.python.codegen.Slow` before it changes any account,
and is then decided the general way (the evaluator's ``decide``).

A row becomes the :class:`~policyrules.decisions.Decision` the general way would have made
(same fields, fen for fen, the same explanation) only when the result's decisions are
looked at (:mod:`~policyrules.backends.python.rows`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs

from ...decisions import Decision, Step
from ...instances import Instance
from ...runtime.ledger import Accounts, ClaimLog, ScopeKey
from ...runtime.order import natural_key, natural_path_key
from ...runtime.values import Undecided, Value, year_number
from .blank import lacks_all
from .claims import Claim, claim_key, natural_step, natural_steps, path_of
from .codegen import FastProvision, Slow
from .compile import CompiledPolicy, CompiledProvision, Env
from .fast_keys import FastKeys
from .fast_reserve import Blank, Shape, cap_shape, reserve_fen
from .fused import FusedFn
from .fused_keys import ServedKeys
from .lean import LeanAward, untouched
from .order_hold import order_missing
from .reserve import hold_step
from .rows import CapRow, Path, Row, Rows
from .trusted import money

__all__ = ["FastClaims"]

_NONE: frozenset[str] = frozenset()

# A claim waiting for its turn: its key in the pool-wide order, the provision and its
# generated functions, the subject and its path, its Env if one was made, the assumptions
# its key read.
_Pending = tuple[Any, CompiledProvision, FastProvision | None, Instance, Path, Env | None, set[str]]


class FastClaims(FastKeys, Rows):
    """The fast path of the evaluator (a mixin): it supplies the state used here."""

    accounts: Accounts
    parameters: Mapping[str, Value]
    assumptions: Mapping[str, Value]
    grants: list[Any]
    policy: CompiledPolicy
    _shapes: dict[tuple[str, int], Shape]
    # Claims with an unknown `order by` key: the facts it needs (see .order_hold).
    order_unknown: dict[tuple[str, Path], frozenset[str]]
    # ... those keyed here: their facts found only if they are eligible (serve_one).
    unplaced: set[tuple[str, Path]]
    # Closures' values, and conditions' outcomes, for subjects lacking their facts (.blank).
    _blank: dict[Any, tuple[Value, frozenset[str]]]
    _blank_conditions: dict[str, Any]
    # ... and what an award's claim of unknown eligibility holds, by provision id
    # (.fast_reserve: None, not kept).
    _blank_reserve: dict[str, Blank | None]
    # With explanations: the fused functions' claims whose natural order steps are not yet
    # added (order_steps), as (provision, sort keys in serving order); the lock adding them.
    unordered: list[tuple[CompiledProvision, ServedKeys]]
    order_lock: threading.Lock

    def subjects(self, cp: CompiledProvision) -> list[Instance | None]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def decide(
        self, cp: CompiledProvision, inst: Instance | None, env: Env, path: Path | None = None
    ) -> Decision:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def conditions_only(
        self, fp: FastProvision, cp: CompiledProvision, subjects: list[Instance | None]
    ) -> list[Decision | Row]:
        """The decisions of a provision with conditions only, subjects in facts order."""
        out: list[Decision | Row] = []
        paths = self._paths
        facts, kept, pid = fp.conditions_facts, self._blank_conditions, cp.info.id
        for inst in subjects:
            assert inst is not None  # a provision with generated code has a subject
            path = paths.get(id(inst))
            if path is None:
                path = paths[id(inst)] = path_of(inst)
            if facts is not None and (hit := kept.get(pid)) is not None and lacks_all(facts, inst):
                # the outcome found once an evaluation for the subjects lacking every fact
                # the conditions read, as fast_conditions finds it (.blank.conditions_once)
                failed, missing = hit[0]
                status = "not_eligible" if failed else "unknown" if missing else "eligible"
                used = set(hit[1])
                out.append((cp, inst, path, status, None, None, (), 0, 0, missing, -1, None, used))
                continue
            try:
                out.append(self.fast_conditions(fp, cp, inst, path, set()))
                continue
            except Slow:
                pass
            # A fact not given: the conditions the general way (three-valued), still a row.
            env = self.env(cp, inst)
            try:
                failed, missing = self.conditions(cp, env, [])
            except Undecided:
                out.append(self.decide(cp, inst, self.env(cp, inst)))
                continue
            status = "not_eligible" if failed else "unknown" if missing else "eligible"
            used = env.used_assumptions
            gone = frozenset(missing)
            out.append((cp, inst, path, status, None, None, (), 0, 0, gone, -1, None, used))
        return out

    def serve_fast(
        self, group: Sequence[CompiledProvision], out: dict[str, list[Decision | Row]]
    ) -> None:
        """The claims of awards linked through shared pools, served in the pool-wide order
        (:func:`~policyrules.backends.python.claims.claim_key`), each the fast way if it
        can be, else the general way."""
        fast = self.policy.fast
        if len(group) == 1 and group[0].info.id in fast:
            rows = self._fused(group[0])
            if rows is not None:
                out[group[0].info.id].extend(rows)
                return
        pending: list[_Pending] = []
        for cp in group:
            rank = natural_key(cp.info.id)
            fp = fast.get(cp.info.id)
            for inst in self.subjects(cp):
                assert inst is not None  # an award has a subject
                path = path_of(inst)
                key, env, used = self.claim_key(cp, fp, inst, path, rank)
                pending.append((key, cp, fp, inst, path, env, used))
        pending.sort(key=_first)
        previous: Claim | None = None
        explain = self.explain
        for key, cp, fp, inst, path, env, used in pending:
            why = None
            if explain:
                claim = Claim(key, cp, inst, path, env)
                why = natural_step(previous, claim) if previous is not None else None
                previous = claim
            out[cp.info.id].append(self.serve_one(cp, fp, inst, path, env, used, why))

    def _fused(self, cp: CompiledProvision) -> list[Decision | Row] | None:
        """The claims of ``cp`` served by its fused function (:mod:`.fused`), handing it
        what it cannot do itself, or, without explanations, by its lean function
        (:mod:`.lean`) if that serves them; ``None`` if it has no fused function (a policy
        evolved without them) or it declined (serve them claim by claim)."""
        pid = cp.info.id
        fn: FusedFn | None = self.policy.fused.get(pid)
        if fn is None:
            return None
        subjects = self.subjects(cp)
        tables = self.accounts.tables()
        if not self.explain and (lean_fn := self.policy.lean.get(pid)) is not None:
            # The lean function's claims, kept as one LeanAward in the decisions and in the
            # grants (its rows and grants made when they are looked at).  It needs this
            # award's accounts untouched: nothing in them yet (the first award served), or
            # nothing of its pools.
            by, uidx, gidx, granted, pidx, paid = tables
            touched = by or by.any_year or granted or paid
            if not touched or untouched(tables, pid, self.accounts.pools_of(pid)):
                a, p = self.assumptions, self.parameters
                got = lean_fn(subjects, a, p, *tables)
                if got is not None:
                    block = LeanAward(pid, fn, (subjects, a, p, uidx, gidx, pidx), *got[:2])
                    self.grants.append(block)
                    return [block]  # type: ignore[list-item]
        # The fused function's keys and claims it cannot serve itself, by the general way.
        fp = self.policy.fast.get(pid)
        rank = natural_key(pid)

        def keyslow(inst: Instance, path: Path, n: int) -> tuple[Any, ...]:
            (keys, ids, _), env, used = self.claim_key(cp, fp, inst, path, rank)
            flat = [x for pair in keys for x in pair] + [k for _, k in ids]
            # A key unknown: not the fused code's to serve (an Env, or False: none made).
            later = env is None and (pid, path) in self.unplaced
            return (*flat, n, inst, path, used, False if later else env)

        def slow(
            inst: Instance, path: Path, used: set[str] | None, env: Env | bool | None
        ) -> Decision | Row:
            if used is None:  # the fused code read into the key's set: the key again
                _, env, used = self.claim_key(cp, fp, inst, path, rank)
            made = env if isinstance(env, Env) else None
            return self.serve_one(cp, fp, inst, path, made, used, None)

        got = fn(subjects, self.assumptions, self.parameters, *tables, self.grants, keyslow, slow)
        if got is None:
            return None
        rows: list[Decision | Row] = got[0]
        if self.explain and len(rows) > 1:
            # The steps saying natural order served a claim are found when the decisions
            # are made (order_steps): only a trace shows them, and a text without its
            # trace (decision_texts) does not need them.  The rows start the provision's.
            # The keys are made then from the fused function's columns (ServedKeys).
            self.unordered.append((cp, got[1]))
        return rows

    def order_steps(self, decisions: list[Any], starts: Mapping[str, int]) -> None:
        """With explanations: the step saying natural order served a claim
        (:func:`natural_step`), as serve_fast adds it, added to each row or decision of a
        fused function's claims in ``decisions`` (the evaluation's, each provision's from
        ``starts[id]`` on), from its sort keys; once (two threads: the second waits)."""
        with self.order_lock:
            pending = self.unordered
            while pending:
                cp, keys = pending[-1]
                base = starts[cp.info.id]
                # All found before any is put, and the provision let go of only then: an
                # error (or an interrupt) leaves its steps to the next reading, not lost.
                steps: list[tuple[int, Any]] = []
                for at, why in natural_steps(cp, keys.keys()):
                    row = decisions[base + at]
                    if isinstance(row, Decision):
                        if row.trace[:1] != (why,):  # (put already, if put was interrupted)
                            steps.append((base + at, attrs.evolve(row, trace=(why, *row.trace))))
                    else:  # a fused function's row has no lead of its own (None)
                        steps.append((base + at, cast(Row, (*row[:11], why, *row[12:]))))
                for at, made in steps:
                    decisions[at] = made
                pending.pop()

    def claim_key(
        self,
        cp: CompiledProvision,
        fp: FastProvision | None,
        inst: Instance,
        path: Path,
        rank: Any,
    ) -> tuple[Any, Env | None, set[str]]:
        """The claim's key in the pool-wide order (:func:`claim_key`) by the generated
        functions where they can, its Env if one was made, the assumptions the key read."""
        used: set[str] = set()
        if not cp.order:
            return ((), natural_path_key(path), rank), None, used
        try:
            if fp is None or fp.order_key is None:
                raise Slow
            keys = self._order_keys(fp, cp, inst, used)
            for k in keys:
                if k[0] < 0:
                    # served as early as it could be, uncertain (.order_hold): the facts
                    # it needs are found when it is served, if it is eligible (serve_one)
                    self.unplaced.add((cp.info.id, path))
                    break
            return (keys, natural_path_key(path), rank), None, used
        except Slow:
            env = self.env(cp, inst)
            key = claim_key(cp, path, rank, env)
            if any(k[0] < 0 for k in key[0]):
                # served as early as it could be, uncertain: the general way (.order_hold)
                self.order_unknown[(cp.info.id, path)] = order_missing(cp, env)
            return key, env, env.used_assumptions

    def serve_one(
        self,
        cp: CompiledProvision,
        fp: FastProvision | None,
        inst: Instance,
        path: Path,
        env: Env | None,
        used: set[str],
        why: Step | None,
    ) -> Decision | Row:
        """One claim in its turn: the fast way if it can be, else the general way."""
        at = (cp.info.id, path)
        later = self.unplaced
        if fp is not None:
            unplaced = at in later or at in self.order_unknown
            try:
                return self.fast_award(fp, cp, inst, path, set(used), why, unplaced)
            except Slow:
                pass
        if env is None:
            env = self.env(cp, inst)
            env.used_assumptions |= used
        if later and at in later and at not in self.order_unknown:
            self.order_unknown[at] = order_missing(cp, env)  # as claims.claim_key finds them
        row = self.decide(cp, inst, env, path)
        if why is not None:
            row = attrs.evolve(row, trace=(why, *row.trace))
        return row

    def fast_conditions(
        self, fp: FastProvision, cp: CompiledProvision, inst: Instance, path: Path, used: set[str]
    ) -> Row:
        """A provision that is neither an award nor a time limit: eligible or not.
        :raises Slow: a fact or parameter is not given."""
        failed, missing = self._conditions(fp, cp, inst, used)
        status = "not_eligible" if failed else "unknown" if missing else "eligible"
        return (cp, inst, path, status, None, None, (), 0, 0, missing, -1, None, used)

    def fast_award(
        self,
        fp: FastProvision,
        cp: CompiledProvision,
        inst: Instance,
        path: Path,
        used: set[str],
        why: Step | None = None,
        unplaced: bool = False,
    ) -> Row:
        """One claim of an award, on ints; the accounts and grants are updated as the
        general way does.  ``unplaced``: its place in the order is not known (.order_hold).
        :raises Slow: (before any account changes) a fact or parameter is not given, or an
        eligible claim is ``unplaced``."""
        a, p = self.assumptions, self.parameters
        info = cp.info
        facts = fp.conditions_facts
        if (
            facts is not None
            and (hit := self._blank_conditions.get(info.id)) is not None
            and lacks_all(facts, inst)
        ):
            failed, missing = hit[0]  # as _conditions finds it (.blank.conditions_once)
            used |= hit[1]
        else:
            failed, missing = self._conditions(fp, cp, inst, used)
        if failed:
            return (cp, inst, path, "not_eligible", None, None, (), 0, 0, _NONE, -1, why, used)
        shape = self._shapes.get((info.id, len(path)))
        if shape is None:
            shape = self._shapes[(info.id, len(path))] = cap_shape(cp, path)
        if missing:
            if any(cap.per for cap in cp.caps):
                # It holds its bound in the shared caps (.reserve); with explanations, its
                # trace says so, by a step kept for its decision (Rows.holds).
                fixed, blanks = self._blank, self._blank_reserve
                bound = reserve_fen(
                    fp, cp, inst, path, shape[0], self.accounts, a, p, self.env, fixed, blanks
                )
                if bound is not None and self.explain:
                    fen = bound[0]
                    self.holds[(info.id, path)] = hold_step(None if fen is None else money(fen))
            return (cp, inst, path, "unknown", None, None, (), 0, 0, missing, -1, why, used)
        if unplaced:
            raise Slow  # eligible, served as early as it could be: the general way (.award)
        accounts = self.accounts
        cap_ends, once_ends, paid_ends = shape
        for at, end in once_ends:
            if accounts.paid_before(info.id, path[:end]):
                return (cp, inst, path, "not_eligible", None, None, (), 0, 0, _NONE, at, why, used)
        assert fp.amount is not None
        requested = fp.amount(inst, used, a, p).fen
        if requested < 0:
            requested = 0  # an award pays nothing below zero
        before = accounts.granted_fen(info.id, path)
        if before:
            requested = max(requested - before, 0)
        running = lowest = requested
        rows: list[CapRow] = []
        keys: list[ScopeKey] = []
        logs: list[ClaimLog] = []
        year: int | None = None
        limits, years = fp.limits, fp.years
        for n, cap in enumerate(cp.caps):
            limit = limits[n](inst, used, a, p).fen
            if not cap.per:
                room = limit - before if limit > before else 0
                after = min(running, room)
                rows.append((cap, None, None, limit, before, None, 0, running, after))
                running, lowest = after, min(lowest, room)
                continue
            cap_year: int | None = None
            year_fn = years[n]
            if year_fn is not None:
                cap_year = year = year_number(year_fn(inst, used, a, p))
            scope = path[: cap_ends[n]]
            key = (cap.pool, scope, cap_year)
            used_fen, log = accounts.account_log(key)
            taken, pending, stop = log.certain, log.possible, len(log.subjects)
            room = limit - used_fen - taken
            after = running if running < room else (room if room > 0 else 0)
            rows.append((cap, scope, cap_year, limit, used_fen, log, stop, running, after))
            keys.append(key)
            logs.append(log)
            running = after
            room -= pending
            if room < lowest:
                lowest = room if room > 0 else 0
        amount = running
        kind = "exact" if lowest == amount else "up_to"
        if keys:
            subject = "/".join([i for _, i in path])
            exact = kind == "exact"
            held = None if exact else (info.id, "amount")
            if len(logs) == 1:
                logs[0].append(subject, amount, exact, held)
            elif len(logs) == 2:  # each account once, as the general way
                first, second = logs
                first.append(subject, amount, exact, held)
                if second is not first:
                    second.append(subject, amount, exact, held)
            else:
                for log in {id(log): log for log in logs}.values():
                    log.append(subject, amount, exact, held)
        if kind == "exact" and amount:
            # 0.00 元 is not a payment: no grant, and a one-time award stays open.
            for end in paid_ends:
                accounts.mark_paid(info.id, path[:end])
            self.grants.append((info.id, path, amount, year))
            accounts.grant_fen(info.id, path, amount)
        caps = tuple(rows)
        return (
            cp,
            inst,
            path,
            "eligible",
            amount,
            kind,
            caps,
            before,
            requested,
            _NONE,
            -1,
            why,
            used,
        )


def _first(item: tuple[Any, ...]) -> Any:
    return item[0]
