"""``limit N per E [per year of D]`` (单个企业每年奖励人数不超过 N 人) in the general evaluator.

* Claims are served in the award's claim order (``order by``, the order in which they
  share a cap): the first N subjects of an owner (and year of ``D``) that are paid take
  its places; a later subject is not eligible, its reason naming the limit and the
  subjects that took the places (the first few of them, as a cap names earlier claims).
* A claim that may still be paid (unknown, or an ``up to`` amount) holds a place as an
  undecided claim holds room in a cap: a later subject that only such places keep out is
  unknown, needing what they need, never refused nor exact.  A claim whose year is unknown
  holds a place in every year of its owner.  A payment of 0.00 元 takes no place.
* The ledger's payments under the award (above 0.00 元) take a place of their owner in the
  year of the subject's first payment, the instalments of one entitlement one place; a
  subject paid before keeps its own place (its later instalments are never refused).
  The text counts a subject in the year of ``D``; a ledger row does not carry ``D``, so
  the first payment's year stands for it (the same where the award pays in ``D``'s year;
  an award paid at once with no yearly cap makes its grant in ``D``'s year, and a ledger
  row of it needs a year, E325: docs/patterns/counts.md).
* ``once per`` is unchanged: it is checked before the limit.

The fast path and the generated code leave such awards to the general way
(:func:`policyrules.backends.python.codegen.fast_provision` refuses them).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ...check_limits import limit_of
from ...exprs import Env, Fn, compile_expr
from ...model import CheckedPolicy, ProvisionInfo
from ...printer import print_expr
from ...result import Step
from ...runtime.ledger import Accounts, GrantPath
from ...runtime.money import Money
from ...runtime.order import natural_key
from ...runtime.values import Undecided, Unknown, year_number

__all__ = ["LimitSeat", "Places", "limit_check", "take_place"]

_NAMED = 5  # the subjects a refusal names at most (then "and k more")

_Scope = tuple[str, GrantPath]  # (provision, owner's path)
_Key = tuple[str, GrantPath, int | None]  # ... and the year (None: every year together)


@attrs.define
class Places:
    """The places of every limit in one evaluation: the subjects paid (``taken``) and
    those that may be (``held``, with the facts they need), by provision, owner and year;
    the ledger's subjects by the same keys, found once per provision."""

    taken: dict[_Key, dict[str, None]] = attrs.Factory(dict)
    held: dict[_Key, dict[str, frozenset[str]]] = attrs.Factory(dict)
    any_year: dict[_Scope, dict[str, frozenset[str]]] = attrs.Factory(dict)
    ledger: dict[str, dict[_Key, dict[str, None]]] = attrs.Factory(dict)
    years: dict[str, Fn] = attrs.Factory(dict)


@attrs.frozen
class LimitSeat:
    """What the limit decided of one claim: ``failed`` (not eligible: why), ``missing``
    (unknown: what it needs), and the key its place is counted under (``year`` None with
    ``any_year``: its year unknown)."""

    key: _Key
    failed: str | None = None
    missing: frozenset[str] = frozenset()
    any_year: bool = False
    undecided: str | None = None  # kept out only by undecided claims that need no fact


def ledger_places(
    pid: str, per: str, by_year: bool, accounts: Accounts
) -> dict[_Key, dict[str, None]]:
    """The subjects the ledger paid under ``pid`` (a grant above 0.00 元), by owner and
    the year of their first payment (``None`` when the limit counts every year), each
    owner's in natural order of their ids."""
    first: dict[GrantPath, int | None] = {}
    for g in accounts.ledger_grants():
        if g.provision != pid or not g.amount.fen:
            continue
        was = first.get(g.path, g.year)
        first[g.path] = g.year if was is None else was if g.year is None else min(was, g.year)
    out: dict[_Key, dict[str, None]] = {}
    for path, year in first.items():
        depth = next((i for i, (e, _) in enumerate(path) if e == per), None)
        if depth is None:
            continue
        key = (pid, path[: depth + 1], year if by_year else None)
        out.setdefault(key, {})[path[-1][1]] = None
    # in natural order, not the ledger's (a registry's table has none): the batch names
    # the same subjects first (backends/sql/limits.py)
    return {k: dict.fromkeys(sorted(v, key=natural_key)) for k, v in out.items()}


def limit_check(
    p: ProvisionInfo,
    policy: CheckedPolicy,
    env: Env,
    path: GrantPath,
    accounts: Accounts,
    places: Places,
    trace: list[Step] | None,
) -> LimitSeat | None:
    """The limit of ``p`` for the claim at ``path``, served now; ``None`` when ``p`` has
    none.

    :raises Undecided: N a parameter that is no whole number of at least 1 (E278)."""
    lim = limit_of(p)
    if lim is None:
        return None
    scope = path[: next(i for i, (e, _) in enumerate(path) if e == lim.per) + 1]
    owner = f"{lim.per} {scope[-1][1]}"
    if isinstance(lim.count, str):
        n = env.parameter(lim.count)
        if isinstance(n, Unknown):
            return LimitSeat((p.id, scope, None), missing=n.missing, any_year=True)
        if not isinstance(n, Decimal) or n != n.to_integral_value() or n < 1:
            raise Undecided(f"E278: `limit {lim.count}` is {n}: at least one whole subject")
        count = int(n)
    else:
        count = lim.count
    year: int | None = None
    if lim.year_of is not None:
        fn = places.years.get(p.id)
        if fn is None:
            fn = places.years[p.id] = compile_expr(lim.year_of, policy, p.subject)
        when = fn(env)
        if isinstance(when, Unknown):
            if trace is not None:
                needs = ", ".join(sorted(when.missing))
                text = f"limit {count} per {lim.per}: year unknown (needs {needs})"
                trace.append(Step("limit", text, None))
            return LimitSeat((p.id, scope, None), missing=when.missing, any_year=True)
        year = year_number(when)
    key = (p.id, scope, year)
    head = f"limit {count} per {lim.per}"
    head += f" per year of {print_expr(lim.year_of)}" if lim.year_of is not None else ""
    when_paid = f" in {year}" if year is not None else ""
    subject = path[-1][1]
    kind = path[-1][0]
    if accounts.granted_to(p.id, path) > Money.zero():
        if trace is not None:
            trace.append(Step("limit", f"{head}: {subject} was paid before: its place", True))
        return LimitSeat(key)
    if p.id not in places.ledger:
        places.ledger[p.id] = ledger_places(p.id, lim.per, year is not None, accounts)
    taken = dict(places.ledger[p.id].get(key, {}))
    taken.update(places.taken.get(key, {}))
    taken.pop(subject, None)
    held = {**places.any_year.get((p.id, scope), {}), **places.held.get(key, {})}
    for s in taken:
        held.pop(s, None)
    held.pop(subject, None)
    if len(taken) >= count:
        names = list(taken)
        shown = ", ".join(names[:_NAMED]) + (
            f" and {len(names) - _NAMED} more" if len(names) > _NAMED else ""
        )
        text = f"{head}: {owner} has {len(names)} paid{when_paid} ({kind} {shown}); no place left"
        if trace is not None:
            trace.append(Step("limit", text, False))
        return LimitSeat(key, failed=text)
    if len(taken) + len(held) >= count:
        waits = frozenset[str]().union(*held.values())
        who = ", ".join(list(held)[:_NAMED])
        text = (
            f"{head}: {owner} has {len(taken)} paid{when_paid} and {len(held)} that may be "
            f"({kind} {who}); {subject} is within unless they are paid"
        )
        if not waits:
            return LimitSeat(key, undecided=text)
        if trace is not None:
            trace.append(Step("limit", f"{text} (needs {', '.join(sorted(waits))})", None))
        return LimitSeat(key, missing=waits)
    if trace is not None:
        text = f"{head}: {owner} has {len(taken)} paid{when_paid}; {subject} is within"
        trace.append(Step("limit", text, True))
    return LimitSeat(key)


def take_place(
    places: Places,
    seat: LimitSeat,
    subject: str,
    paid: bool,
    may_be: bool,
    missing: frozenset[str],
) -> None:
    """Count the claim of ``subject`` in its limit's places, once decided: ``paid`` (an
    exact payment above 0.00 元) takes a place, ``may_be`` (unknown, or ``up to``) holds
    one, needing ``missing``; anything else takes none."""
    if paid:
        places.taken.setdefault(seat.key, {})[subject] = None
    elif may_be and seat.any_year:
        places.any_year.setdefault(seat.key[:2], {})[subject] = missing
    elif may_be:
        places.held.setdefault(seat.key, {})[subject] = missing
