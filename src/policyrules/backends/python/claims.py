"""Serving claims: the pool-wide order, natural order of ids, and each cap's own cut.

Claims of awards linked through shared pools are served in one order (:func:`claim_key`);
where natural order of ids decided it against plain text order the trace says so
(:func:`natural_step`).  The caps of one claim apply in the order written, and each
binding cap's cut is the amount before it minus the amount after it (:func:`apply_caps`).
"""

from __future__ import annotations

from typing import Any

import attrs

from ...decisions import CapNote
from ...facts import Instance
from ...printer import print_expr
from ...result import CapEvent, Step
from ...runtime.ledger import NO_EARLIER, Accounts, Earlier, ScopeKey
from ...runtime.money import Money
from ...runtime.order import NaturalKey, natural_key, natural_path_key
from ...runtime.values import Unknown, format_value, year_number
from .compile import CompiledProvision, Env
from .exceptions import CapLimit

__all__ = [
    "CapRow",
    "Capped",
    "Claim",
    "apply_caps",
    "cap_events_of",
    "cap_line",
    "claim_key",
    "describe_scope",
    "least",
    "natural_step",
    "natural_steps",
    "path_of",
    "scope_of",
]


# (the `order by` keys, the subject's path, the provision id): see claim_key.
_Key = tuple[tuple[tuple[int, Any], ...], tuple[tuple[str, NaturalKey], ...], NaturalKey]


@attrs.frozen
class Claim:
    """One subject's claim under one award: where it is served (``key``), what it is."""

    key: _Key
    cp: CompiledProvision
    inst: Instance | None
    path: tuple[tuple[str, str], ...]
    env: Env | None = attrs.field(eq=False)


def claim_key(
    cp: CompiledProvision, path: tuple[tuple[str, str], ...], rank: NaturalKey, env: Env
) -> _Key:
    """Where a claim is served in its pool: by the `order by` keys position by position
    (an unknown key first among the claims whose earlier keys are equal: as early as the
    claim could be, see :mod:`.order_hold`; text, ids included, in natural order), then
    by the subject's path
    from the firm down (ids in natural order), then by provision id (``rank``).  The check
    (E233) makes the keys of one pool's provisions comparable; no key depends on file or
    facts order."""
    keys: list[tuple[int, Any]] = []
    if not cp.order:
        return ((), natural_path_key(path), rank)
    # A fresh Env: ordering reads facts that need not appear among the decision's facts,
    # but an assumption that chose the order is reported with the decision.
    scratch = env.scratch()
    for fn in cp.order:
        v = fn(scratch)
        if isinstance(v, Unknown):
            keys.append((-1, ()))  # as early as it could be (.order_hold)
        else:
            keys.append((0, natural_key(v) if isinstance(v, str) else v))
    env.used_assumptions |= scratch.used_assumptions
    return (tuple(keys), natural_path_key(path), rank)


def natural_step(before: Claim, this: Claim) -> Step | None:
    """A trace step when natural order, not plain text order, put ``before`` first among
    claims of one firm: the first position where the two keys differ is text whose
    order as numbers differs from its order as text (product 9 before product 10)."""
    if not before.path or before.path[0] != this.path[0]:
        return None  # claims of different firms never share a pool key
    (keys_a, path_a, rank_a), (keys_b, path_b, rank_b) = before.key, this.key
    for i, ((known_a, a), (known_b, b)) in enumerate(zip(keys_a, keys_b, strict=True)):
        if known_a == known_b and a == b:
            continue
        if known_a != known_b:
            return None  # an unknown key goes first: no text order decided it
        return _text_step(before, this.cp.info.order[i], a, b)
    for (ea, a), (eb, b) in zip(path_a, path_b, strict=False):
        if ea == eb and a == b:
            continue
        return _text_step(before, f"{ea} id", a, b) if ea == eb else None
    if len(path_a) != len(path_b):
        return None  # an owner's claim comes before its own entities' claims
    return _text_step(before, "provision", rank_a, rank_b) if rank_a != rank_b else None


def natural_steps(cp: CompiledProvision, keys: list[tuple[Any, ...]]) -> list[tuple[int, Step]]:
    """The :func:`natural_step` of each claim after the first, by position, from the
    fused function's flat sort keys in serving order (``keys``: the `order by` keys as
    ``known, value`` pairs, then the path's ids, a count, the subject, its path and two
    more); only the claims that have one.  A claim's :class:`Claim` is made only where
    :func:`natural_step` can find a step, and once: for a claim after one of the same
    firm (claims of different firms never share a pool key)."""
    n2, rank = 2 * len(cp.order), natural_key(cp.info.id)

    def claim(x: tuple[Any, ...]) -> Claim:
        pairs = tuple(zip(x[:n2:2], x[1:n2:2], strict=True))
        return Claim((pairs, natural_path_key(x[-3]), rank), cp, x[-4], x[-3], None)

    out: list[tuple[int, Step]] = []
    made = None  # the Claim of the claim before, if made
    for at in range(1, len(keys)):
        a, b = keys[at - 1], keys[at]
        if not a[-3] or a[-3][0] != b[-3][0] or _quiet(a, b, n2):
            made = None
            continue
        before = made if made is not None else claim(a)
        made = claim(b)
        why = natural_step(before, made)
        if why is not None:
            out.append((at, why))
    return out


def _quiet(a: tuple[Any, ...], b: tuple[Any, ...], n2: int) -> bool:
    """Whether :func:`natural_step` finds no step between the flat keys ``a`` and ``b``
    of two claims of one firm under one provision (``n2``: twice the `order by` keys, each
    a ``known, value`` pair; ``[-3]``: the path), without making their :class:`Claim`: the
    first key where they differ is known for one only, or not text, or text whose plain
    order agrees; or, all keys equal, the first id where their paths differ is in plain
    order too (natural keys keep each run's text: joined, they are the text)."""
    for k in range(0, n2, 2):
        if a[k] != b[k]:
            return True
        x, y = a[k + 1], b[k + 1]
        if x != y:
            if not isinstance(x, tuple) or not isinstance(y, tuple):
                return True
            return "".join([r[3] for r in x]) <= "".join([r[3] for r in y])
    for (ea, ia), (eb, ib) in zip(a[-3], b[-3], strict=False):
        if ia != ib or ea != eb:
            return bool(ea != eb or ia <= ib)
    return True  # an owner before its entities', or one subject: one provision, one rank


def _text_step(before: Claim, where: Any, a: Any, b: Any) -> Step | None:
    """The step, if ``a`` and ``b`` are text (natural keys) whose plain text order differs."""
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return None  # decided by a date, a number or money
    text_a, text_b = "".join(r[3] for r in a), "".join(r[3] for r in b)
    if text_a <= text_b:
        return None  # plain text order agrees
    subject = "/".join(i for _, i in before.path)
    label = where if isinstance(where, str) else print_expr(where)
    return Step(
        "order",
        f"served after {subject} ({before.cp.info.id}): {label} {text_a} comes before "
        f"{text_b} in natural order (digit runs compare as numbers)",
        None,
    )


def path_of(inst: Instance | None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    while inst is not None:
        out.append((inst.entity, inst.id))
        inst = inst.parent
    return tuple(reversed(out))


def scope_of(
    path: tuple[tuple[str, str], ...], per: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    depth = max((i for i, (entity, _) in enumerate(path) if entity in per), default=0)
    return path[: depth + 1]


def describe_scope(scope: tuple[tuple[str, str], ...], year: int | None) -> str:
    entity, ident = scope[-1]
    return f"{entity} {ident}" + (f", year {year}" if year is not None else "")


def least(a: Money | None, b: Money) -> Money:
    return b if a is None else min(a, b)


# One cap applied to one claim: the cap, its scope as shown, its limit (None: unknown), what
# the ledger used of it, the earlier claims on it, a note, the amount before and after it.
CapRow = tuple[
    str, str, Money | None, Money, Earlier, CapNote | None, Money | None, Money | None, Any
]
"""One cap of a claim as its event says it: the cap as written, its account as shown, its
limit (``None``: unknown), what the account held before, this evaluation's earlier claims on
it, a note, the amount before and after it, and the account's (entity, id, year) or
``None`` (:attr:`CapEvent.account`)."""


@attrs.frozen
class Capped:
    """A claim's amount after its caps: ``amount`` the upper bound (earlier undecided
    claims counted as nothing), ``lowest`` the amount if each of them were paid its bound;
    the caps' events, the accounts the claim draws on, the year it counts in, and the
    facts an unknown limit or year needs."""

    amount: Money | None
    lowest: Money | None
    caps: tuple[CapEvent, ...]
    keys: tuple[ScopeKey, ...]
    year: int | None
    missing: frozenset[str]
    ranged: frozenset[str] = frozenset()  # what a cap's exception that may apply needs
    # (pool, scope) of each yearly cap whose year is unknown: the claim may count in any
    # year of it, so it holds its bound in every one (Accounts.hold_any_year)
    any_year: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


def apply_caps(
    cp: CompiledProvision,
    env: Env,
    path: tuple[tuple[str, str], ...],
    requested: Money | None,
    before: Money,
    accounts: Accounts,
) -> Capped:
    """The caps apply in the order they are written: each takes the amount before it to
    the least of that and its remaining room, its cut the difference.  A cap without
    ``per`` counts what the subject was granted ``before`` under the provision; one with
    ``per`` counts its account (the ledger's grants, this evaluation's claims) in O(1)."""
    zero = Money.zero()
    running: Money | None = requested
    lowest: Money | None = requested
    rows: list[CapRow] = []
    keys: list[ScopeKey] = []
    missing: set[str] = set()
    year: int | None = None
    ranged: set[str] = set()
    any_year: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for cap in cp.caps:
        limit = cap.limit(env)
        if isinstance(limit, Unknown):
            missing |= limit.missing
            note = CapNote("unknown", needs=tuple(sorted(limit.missing)))
            rows.append((cap.text, "this claim", None, zero, NO_EARLIER, note, None, None, None))
            if cap.per:  # unbounded by it, it may still take room others share: it holds
                scope = scope_of(path, cap.per)
                when = cap.year(env) if cap.year is not None else None
                if isinstance(when, Unknown):
                    missing |= when.missing
                    any_year.append((cap.pool, scope))
                else:
                    keys.append((cap.pool, scope, None if when is None else year_number(when)))
            continue
        said: CapNote | None = None
        low = limit  # an exception that may apply: the upper bound by its high limit,
        if isinstance(limit, CapLimit):  # the lower bound by its low one
            missing |= limit.missing
            ranged |= limit.missing
            said, low, limit = limit.note, limit.low, limit.high
        # A limit below zero leaves no room; it never gives room back to a pool.
        if not cap.per:
            room = max(limit - before, zero)
            after = least(running, room)
            rows.append(
                (cap.text, "this claim", limit, before, NO_EARLIER, said, running, after, None)
            )
            running, lowest = after, least(lowest, max(low - before, zero))
            continue
        cap_year: int | None = None
        if cap.year is not None:
            when = cap.year(env)
            if isinstance(when, Unknown):
                missing |= when.missing
                note = CapNote("year_unknown", needs=tuple(sorted(when.missing)))
                room = max(limit, zero)  # at most: a year of its scope may hold nothing yet
                after = least(running, room)
                rows.append(
                    (cap.text, "this claim", limit, zero, NO_EARLIER, note, running, after, None)
                )
                running, lowest = after, least(lowest, max(low, zero))
                any_year.append((cap.pool, scope_of(path, cap.per)))
                continue
            cap_year = year = year_number(when)
        scope = scope_of(path, cap.per)
        key = (cap.pool, scope, cap_year)
        used, taken, pending, earlier = accounts.account(key)
        earlier = earlier.under(cap.ceiling)
        keys.append(key)
        room = max(limit - Money(used + taken), zero)
        after = least(running, room)
        shown = describe_scope(scope, cap_year)
        account = (*scope[-1], cap_year)
        rows.append((cap.text, shown, limit, Money(used), earlier, said, running, after, account))
        running = after
        lowest = least(lowest, max(low - Money(used + taken + pending), zero))
    return Capped(
        running,
        lowest,
        cap_events_of(rows, requested, running),
        tuple(dict.fromkeys(keys)),
        year,
        frozenset(missing),
        frozenset(ranged),
        tuple(dict.fromkeys(any_year)),
    )


def cap_events_of(
    rows: list[CapRow], requested: Money | None, amount: Money | None, *, bound_binds: bool = True
) -> tuple[CapEvent, ...]:
    """The events of ``rows`` for a claim asking ``requested`` and granted ``amount``: a cap
    binds when it lowers the amount before it; its cut is that difference.  With no
    requested amount (only ceilings), the cap that set the final bound binds, uncut, where
    ``bound_binds`` (a claim paid at once; an instalment award's entitlement has no bound
    to say, so none binds)."""
    out: list[CapEvent] = []
    for cap, scope, limit, used, earlier, note, before, after, account in rows:
        if requested is not None:
            binding = before is not None and after is not None and after < before
        else:
            binding = bound_binds and after is not None and after == amount and before != after
        out.append(
            CapEvent(
                cap=cap,
                scope=scope,
                limit=limit,
                used_before=used,
                requested=requested,
                granted=amount,
                binding=binding,
                earlier=earlier,
                detail=note,
                before=before,
                after=after,
                account=account,
            )
        )
    return tuple(out)


def cap_line(ev: CapEvent) -> str:
    parts = [f"cap {ev.cap} ({ev.scope})"]
    if ev.detail is not None:
        parts.append(ev.detail.describe())
    if ev.limit is not None:
        parts.append(f"limit {format_value(ev.limit)}")
        if ev.used_before:
            parts.append(f"already used {format_value(ev.used_before)}")
        if ev.earlier:
            parts.append("earlier claims in this evaluation: " + ev.earlier.describe())
    if ev.binding:
        if ev.requested is not None:
            parts.append(
                f"binds: cut {format_value(ev.cut)} "
                f"({format_value(ev.before)} to {format_value(ev.after)})"
            )
        else:
            parts.append("binds")
    return "; ".join(parts)
