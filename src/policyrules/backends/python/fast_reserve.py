"""What a claim of unknown eligibility holds in its shared caps, on integer fen.

The fast path's (:mod:`.fastpath`) form of :func:`.reserve.reserve_unknown` for the claims
it serves: the amount the claim would get were it eligible now, computed by the generated
functions of its provision (:class:`~.codegen.FastProvision`: the amount, each cap's
limit and year) where they can, by the closures through a fresh
:class:`~policyrules.exprs.Env` where they cannot (a fact not given), its caps applied in
the order written as :func:`.claims.apply_caps` applies them, and held as pending in
every account they draw on, or in every year of a yearly cap whose year is unknown.  The
accounts end as the general way leaves them, entry for entry; the bound held is returned
(with explanations the evaluator keeps the step saying it: :func:`.reserve.hold_step`).
For a subject lacking every fact the amount and the caps read
(``FastProvision.reserve_facts``) these values are those of any such subject: read once an
evaluation (:data:`Blank`), only the accounts' arithmetic done claim by claim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...instances import Instance
from ...runtime.ledger import Accounts, ScopeKey
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, Value, year_number
from .blank import closure_value, lacks_all
from .claims import scope_of
from .codegen import FastFn, FastProvision, Reads, Slow
from .compile import CompiledProvision, Env, Fn
from .rows import Path

__all__ = ["Blank", "Shape", "cap_shape", "reserve_fen"]

# See cap_shape.
Shape = tuple[list[int], list[tuple[int, int]], list[int]]
# What a claim's bound is made of, for a subject lacking every fact they read
# (FastProvision.reserve_facts): its amount in fen (None: not known), each cap's limit in
# fen (None: unbounded) and, of a cap counted per subject, whether its year is known and
# the year (None: the cap has none; the item None for a cap not counted per subject).
Blank = tuple[int | None, tuple[int | None, ...], tuple[tuple[bool, int | None] | None, ...]]


def reserve_fen(
    fp: FastProvision,
    cp: CompiledProvision,
    inst: Instance,
    path: Path,
    ends: list[int],  # cap_shape's first
    accounts: Accounts,
    a: Mapping[str, Any],
    p: Mapping[str, Any],
    env_of: Callable[[CompiledProvision, Instance | None], Env],
    memo: dict[Any, tuple[Value, frozenset[str]]],
    blanks: dict[str, Blank | None],
) -> tuple[int | None] | None:
    """Hold, in its shared caps, the bound of the claim of ``cp`` at ``path`` whose
    eligibility is unknown, as :func:`.reserve.reserve_unknown` holds it (``ends``: where
    each cap's scope ends in the path; ``env_of``: the evaluator's Env of a subject;
    ``memo``: the evaluation's closure values of subjects lacking their facts, .blank;
    ``blanks``: the evaluation's :data:`Blank` of each provision, by id).
    Returns ``(fen,)``, the bound held (``None``: nothing bounds it), or ``None`` where it
    holds nothing (``reserve_unknown`` returns no step).

    :raises Slow: before any account changes, for a claim this does not serve (a
        one-time award, a schedule, bounds, a cap's limit that is not an amount)."""
    if cp.info.once or cp.schedule is not None or cp.bounds is not None or cp.amount is None:
        raise Slow  # the general way (.reserve, .once_hold, .instalments)
    if fp.amount is None:
        raise Slow
    known: Blank | None = None
    reads: _Reads | None = None
    facts = fp.reserve_facts
    if facts is not None and lacks_all(facts, inst):
        # Its amount, limits and years are those of any claim lacking their facts: read
        # once an evaluation.  Undecided or not served (Slow): read claim by claim, as
        # before (the reads interleaved with the accounts' as ever), never kept.
        pid = cp.info.id
        known = blanks.get(pid)
        if known is None and pid not in blanks:
            reads = _Reads(inst, a, p, cp, env_of, memo)
            try:
                known = _blank_values(fp, cp, reads)
            except (Undecided, Slow):
                known = None
            blanks[pid] = known
    if known is None and reads is None:
        reads = _Reads(inst, a, p, cp, env_of, memo)
    try:
        if known is not None:
            fen = known[0]
        else:
            assert reads is not None
            fen = reads.amount(fp.amount, cp.amount, fp.amount_facts, ("a", 0))
            if fen is not None and fen < 0:
                fen = 0  # an award pays nothing below zero
        before = accounts.granted_fen(cp.info.id, path)
        if fen is not None and before:
            fen = fen - before if fen > before else 0
        running = fen
        keys: dict[ScopeKey, None] = {}
        any_year: dict[tuple[str, Path], None] = {}
        years = fp.years
        for n, cap in enumerate(cp.caps):
            if known is not None:
                limit = known[1][n]
                known_year = known[2][n]
            else:
                assert reads is not None
                year_fn = years[n]
                if (year_fn is None) != (cap.year is None):
                    raise Slow  # (generated code and closures out of step: the general way)
                limit = reads.amount(fp.limits[n], cap.limit, fp.limit_facts[n], ("l", n), True)
                known_year = None
                if cap.per:
                    known_year = reads.year(year_fn, cap.year, fp.year_facts[n], ("y", n))
            if limit is None:  # unbounded by it, it still holds room others share
                if cap.per:
                    scope = path[: ends[n]]
                    assert known_year is not None
                    if known_year[0]:
                        keys[(cap.pool, scope, known_year[1])] = None
                    else:
                        any_year[(cap.pool, scope)] = None
                continue
            if not cap.per:
                room = limit - before if limit > before else 0
                running = room if running is None or room < running else running
                continue
            assert known_year is not None
            if not known_year[0]:  # at most: a year of its scope may hold nothing yet
                room = limit if limit > 0 else 0
                running = room if running is None or room < running else running
                any_year[(cap.pool, path[: ends[n]])] = None
                continue
            key = (cap.pool, path[: ends[n]], known_year[1])
            used, taken, _ = accounts.account_fen(key)
            keys[key] = None
            room = limit - used - taken
            if room < 0:
                room = 0
            running = room if running is None or room < running else running
    except Undecided:
        return None  # undecided even if eligible: as an eligible claim, it holds nothing
    if not (keys or any_year) or running == 0:
        return None
    subject = "/".join([i for _, i in path])
    held = (cp.info.id, "eligibility")
    for key in keys:
        if running is None:  # nothing bounds it: it may take all
            accounts.hold_open(key, subject, held)
        else:
            accounts.account_log(key)[1].append(subject, running, False, held)
    for pool, scope in any_year:  # its year unknown too: in every year
        accounts.hold_any_year_fen(pool, scope, subject, running, held)
    return (running,)


def _blank_values(fp: FastProvision, cp: CompiledProvision, reads: _Reads) -> Blank:
    """What :func:`reserve_fen` reads of a claim, read in its order (its amount, then
    each cap's limit and, of a cap counted per subject, its year), before any account.
    :raises Undecided, Slow: as those reads do."""
    assert fp.amount is not None
    assert cp.amount is not None
    fen = reads.amount(fp.amount, cp.amount, fp.amount_facts, ("a", 0))
    if fen is not None and fen < 0:
        fen = 0  # an award pays nothing below zero
    limits: list[int | None] = []
    years: list[tuple[bool, int | None] | None] = []
    for n, cap in enumerate(cp.caps):
        year_fn = fp.years[n]
        if (year_fn is None) != (cap.year is None):
            raise Slow
        limits.append(reads.amount(fp.limits[n], cap.limit, fp.limit_facts[n], ("l", n), True))
        year = reads.year(year_fn, cap.year, fp.year_facts[n], ("y", n)) if cap.per else None
        years.append(year)
    return fen, tuple(limits), tuple(years)


class _Reads:
    """A claim's values by its generated functions, else by the closures through a fresh
    Env (.blank); the assumptions read are not the decision's (as the general way reads
    them through a scratch Env)."""

    __slots__ = ("a", "cp", "env_of", "inst", "memo", "p", "used")

    def __init__(
        self,
        inst: Instance,
        a: Mapping[str, Any],
        p: Mapping[str, Any],
        cp: CompiledProvision,
        env_of: Callable[[CompiledProvision, Instance | None], Env],
        memo: dict[Any, tuple[Value, frozenset[str]]],
    ) -> None:
        self.inst, self.a, self.p, self.cp, self.env_of = inst, a, p, cp, env_of
        self.memo = memo
        self.used: set[str] = set()

    def _closure(self, fn: Fn, facts: Reads | None, slot: tuple[str, int]) -> Value:
        return closure_value(self.memo, self.env_of, self.cp, self.inst, slot, fn, facts, self.used)

    def amount(
        self,
        fast: FastFn,
        slow: Fn,
        facts: Reads | None,
        slot: tuple[str, int],
        strict: bool = False,
    ) -> int | None:
        """An amount in fen; ``None`` when not known (or, unless ``strict``, not an
        amount).  :raises Slow: ``strict`` and neither (a cap's exception's limits)."""
        try:
            fen: int = fast(self.inst, self.used, self.a, self.p).fen
            return fen
        except Slow:
            value = self._closure(slow, facts, slot)
        if isinstance(value, Money):
            return value.fen
        if strict and not isinstance(value, Unknown):
            raise Slow
        return None

    def year(
        self, fast: FastFn | None, slow: Fn | None, facts: Reads | None, slot: tuple[str, int]
    ) -> tuple[bool, int | None]:
        """Whether a cap's year is known, and the year (``None`` for a cap with none)."""
        if fast is None or slow is None:
            return True, None
        try:
            return True, year_number(fast(self.inst, self.used, self.a, self.p))
        except Slow:
            value = self._closure(slow, facts, slot)
        return (False, None) if isinstance(value, Unknown) else (True, year_number(value))


def cap_shape(cp: CompiledProvision, path: Path) -> Shape:
    """Where the scope of each cap ends in a path of this length (``scope_of``); (its
    index, where its scope ends) of each one-time rule whose entity is on the path (the
    ones checked); where the scope of each one-time rule ends (the ones marked paid, as
    the general way marks them).  A path's entities follow from its length, as each entity
    has one owner."""
    caps = [len(scope_of(path, cap.per)) for cap in cp.caps]
    entities = {e for e, _ in path}
    ends = [len(scope_of(path, (o.entity,))) for o in cp.info.once]
    once = [(n, ends[n]) for n, o in enumerate(cp.info.once) if o.entity in entities]
    return caps, once, ends
