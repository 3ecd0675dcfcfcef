"""Tier tables, their two readings and quotas, in the general evaluator.

* The trace names the row a ``T[x]`` found: ``scale_tiers[revenue] = 6.00 亿元: row
  `from 5 亿元 give 200 万元```.
* ``tiers by R`` with R = ``top_up`` (晋档补差) is the entitlement rule every award has:
  what the subject was granted before under the provision counts against the tier's
  amount.  With R = ``highest_only`` each tier is paid at most once and in full: the
  ledger's grants name the tier they paid (``tier``); a tier at or below one paid before
  is not paid again (not eligible); a grant that names no tier makes the decision unknown
  (E419).
* ``quota N ranked by F`` (择优支持不超过 N 个): rank ≤ N is eligible, a higher rank not; an
  unknown rank leaves the decision unknown until ranked.  A subject of the same ranking
  whose rank is not known may be ranked better than any other, so a rank is within the
  quota only if it stays within when every unranked subject is counted ahead of it.

The fast path and the generated code leave these to this module
(:func:`policyrules.backends.python.codegen.fast_provision` refuses them).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import attrs

from ...check_tables import quota_of, tier_read, tier_reading_of
from ...exprs import Env, compile_expr, table_rows
from ...instances import Instance, QuotaRivals
from ...model import CheckedPolicy, ProvisionInfo, tier_of
from ...printer import print_expr
from ...result import Step
from ...runtime.ledger import Accounts, GrantPath
from ...runtime.values import Undecided, Unknown, format_value

__all__ = [
    "HighestOnly",
    "QuotaRanks",
    "highest_only",
    "quota_check",
    "quota_ranks",
    "tier_steps",
]


def tier_steps(p: ProvisionInfo, policy: CheckedPolicy, env: Env) -> list[Step]:
    """A trace step per ``T[x]`` of the amount: the key and the row it falls in."""
    at = tier_read(p)
    if at is None:
        return []
    scratch = env.scratch()
    key = compile_expr(at.key, policy, p.subject)(scratch)
    rows = table_rows(policy, at.table, scratch)
    if isinstance(key, Unknown) or isinstance(rows, Unknown):
        return []
    table = policy.table(at.table)
    by_member = table.enum if table is not None else _member_keyed(policy, at.table)
    i = tier_of(rows, key, by_member)
    if i is None:
        return []
    row = rows[i]
    word = "when" if by_member else "from"
    title = f" ({table.title})" if table is not None and table.title else ""
    text = (
        f"{print_expr(at)} = {format_value(key)}: row `{word} {row.text} give "
        f"{format_value(row.value)}`{title}"
    )
    return [Step("tier", text, None)]


def _member_keyed(policy: CheckedPolicy, name: str) -> bool:
    p = policy.parameter(name)
    return p is not None and p.type.key is not None and p.type.key.kind == "enum"


@attrs.frozen
class HighestOnly:
    """The ``highest_only`` reading applied to one claim: the tier it would pay (as written),
    and the reason it is not paid (a tier at or above it was paid before), if so."""

    tier: str
    failed: str | None


def highest_only(
    p: ProvisionInfo, policy: CheckedPolicy, env: Env, accounts: Accounts, path: GrantPath
) -> HighestOnly | None:
    """None unless ``p`` reads its table ``highest_only``; else the tier and whether it was
    paid already.

    :raises Undecided: (E419) a ledger grant under ``p`` to this subject names no tier, or
        a tier that is not a row of the table."""
    st = tier_reading_of(p)
    at = tier_read(p)
    if st is None or at is None or env.assumption(st.assumption) != "highest_only":
        return None
    scratch = env.scratch()
    key = compile_expr(at.key, policy, p.subject)(scratch)
    rows = table_rows(policy, at.table, scratch)
    if isinstance(key, Unknown) or isinstance(rows, Unknown):
        return None  # the amount is unknown too, and says why
    table = policy.table(at.table)
    by_member = table.enum if table is not None else _member_keyed(policy, at.table)
    i = tier_of(rows, key, by_member)
    if i is None:
        return None
    texts = [r.text for r in rows]
    subject = "/".join(ident for _, ident in path)
    paid: list[int] = []
    for tier in accounts.tiers_paid(p.id, path):
        if tier is None or tier not in texts:
            what = "names no tier" if tier is None else f"names tier {tier!r}, not a row"
            raise Undecided(
                f"E419: a ledger grant under {p.id} to {subject} {what} of {at.table}",
                hint=f"`{st.assumption}` = highest_only pays each tier once: record the tier "
                f'of each grant (`tier: "{texts[0]}"`; rows: {", ".join(texts)})',
            )
        paid.append(texts.index(tier))
    failed = None
    if paid and max(paid) >= i:
        top = texts[max(paid)]
        failed = (
            f"tiers by {st.assumption} (highest_only): tier {top} was already paid to "
            f"{subject}; tier {texts[i]} is not above it"
        )
    return HighestOnly(texts[i], failed)


@attrs.frozen
class QuotaRanks:
    """The ranking of one quota in one evaluation: each known rank of its subjects with how
    many have it, and how many of its subjects have no rank yet (each of them may turn out
    ranked first)."""

    ranks: tuple[tuple[Decimal, int], ...] = ()
    unranked: int = 0


def quota_ranks(
    p: ProvisionInfo,
    policy: CheckedPolicy,
    subjects: list[Instance],
    rivals: QuotaRivals | None = None,
) -> QuotaRanks:
    """The ranks given to the subjects of ``p``'s quota in one evaluation (the batch ranked
    together): each subject's rank fact where it is known, and the count of subjects whose
    rank fact is missing; with ``rivals``, the quota's subjects the facts do not hold (the
    rest of a registry one firm of which is evaluated) ranked with them."""
    q = quota_of(p)
    r = policy.resolve((q.rank,), p.subject) if q is not None else None
    if q is None or r is None or r.entity is None:
        return QuotaRanks()
    counts: Counter[Decimal] = Counter()
    unranked = 0
    for inst in subjects:
        owner = inst.chain().get(r.entity)
        if owner is None:
            continue
        value = owner.values.get(q.rank)
        if isinstance(value, Decimal):
            counts[value] += 1
        elif value is None:
            unranked += 1
    if rivals is not None:
        for rank, n in rivals.ranks:
            counts[rank] += n
        unranked += rivals.unranked
    return QuotaRanks(tuple(sorted(counts.items())), unranked)


def quota_check(
    p: ProvisionInfo,
    policy: CheckedPolicy,
    env: Env,
    trace: list[Step] | None,
    ranking: QuotaRanks,
) -> tuple[str | None, set[str], str | None]:
    """``quota N ranked by F``: (the reason it fails, or None; the facts it still needs; the
    reason it is undecided, or None).  ``ranks`` are the ranks of every subject of the
    evaluation (:func:`quota_ranks`): a rank r ≤ N wins if the subjects ranked r or better
    number at most N; when they are more than N while those ranked better are fewer than N,
    a tie at the boundary leaves it undecided (E418), never a silent pick.  A win that the
    subjects not yet ranked could take away (counted ahead of it, they would push it past
    N) is unknown, needing their rank fact: never an exact award that a missing fact could
    undo."""
    q = quota_of(p)
    if q is None:
        return None, set(), None
    r = policy.resolve((q.rank,), p.subject)
    assert r is not None
    assert r.entity is not None  # the checker resolved it (E275)
    rank = env.fact(r.entity, q.rank)
    if isinstance(rank, Unknown):
        if trace is not None:
            needs = ", ".join(sorted(rank.missing))
            text = f"quota {q.count}: unknown until ranked (needs {needs})"
            trace.append(Step("quota", text, None))
        return None, set(rank.missing), None
    assert isinstance(rank, Decimal)
    ranks = ranking.ranks
    better = sum(n for x, n in ranks if x < rank)
    tied = sum(n for x, n in ranks if x == rank)
    head = f"quota {q.count} ranked by {q.rank}: rank {format_value(rank)}"
    if rank <= q.count and better < q.count < better + tied:
        why = f"{head} is tied with {tied - 1} other(s) at the boundary of the first {q.count}"
        return None, set(), f"E418: {why}; the agency's ranking must break the tie"
    ok = rank <= q.count and better + tied <= q.count
    if ok and better + tied + ranking.unranked > q.count:
        # Each subject with no rank yet may be ranked ahead of this one.
        needs = f"{r.entity}.{q.rank}"
        if trace is not None:
            text = (
                f"{head} is within the first {q.count} unless the {ranking.unranked} "
                f"subject(s) not yet ranked come before it (needs their {needs})"
            )
            trace.append(Step("quota", text, None))
        return None, {needs}, None
    if ok:
        text = f"{head} is within the first {q.count}"
    elif rank <= q.count:
        text = f"{head} is below the first {q.count} ({better} ranked better)"
    else:
        text = f"{head} is below the first {q.count}"
    if trace is not None:
        trace.append(Step("quota", text, ok))
    return (None if ok else text), set(), None
