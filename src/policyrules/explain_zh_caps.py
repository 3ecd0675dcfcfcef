"""The caps' lines of a decision's Chinese text (:mod:`policyrules.explain_zh`), from
plain values: a cap in words, its account (scope) in words, and what a claim met at it
(earlier evaluations' use, the earlier claims of this one, the cut where it binds).

The texts rendered from the evaluator's rows (:mod:`policyrules.backends.python.texts_zh`)
say their caps with the same functions, so both say a cap alike, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from . import syntax as s
from .decisions import CapNote
from .explain_zh_memo import memo
from .model import ProvisionInfo
from .printer import print_cap
from .runtime.claim_log import Earlier
from .runtime.claim_texts import AT_MOST_ZH
from .runtime.money import Money, cn_text
from .words import Words

__all__ = [
    "BINDS_ZH",
    "EARLIER_ZH",
    "LAST_ZH",
    "SUM_ZH",
    "cap_bits_put_zh",
    "cap_bits_zh",
    "cap_head_said_zh",
    "cap_head_zh",
    "cap_line_zh",
    "cap_note_zh",
    "cap_said",
    "cap_said_zh",
    "cap_written",
    "limit_said_zh",
    "limit_zh",
    "scope_zh",
]

# The earlier claims' bit of a cap's line: its lead, what follows their count (the payments
# apart from it), and the last three's lead.
EARLIER_ZH, SUM_ZH, LAST_ZH = "本次结果中在先的申请：", " 笔，合计", "；最近 3 笔："
# A ledger's grants were paid: they count before this evaluation's claims, whatever the
# order the cap shares itself in among those claims (so an order assumption is not read as
# having ranked them).
USED_BEFORE_ZH = "（台账已记录，先于本次各项计入）"
# The cut's bit, before the amount before, the cut and the amount after.
BINDS_ZH = ("此上限起作用：", " 核减 ", "，为 ")

_SCOPE = re.compile(r"(\S+) (.+?)(?:, year (\d+))?")


def _scope(w: Words, scope: str) -> str:
    if scope == "this claim":
        return "本次申请"
    m = _SCOPE.fullmatch(scope)
    if m is None:
        return scope
    return scope_zh(w.entity(m[1]), m[2], m[3])


def scope_zh(entity: str, ident: str, year: int | str | None) -> str:
    """A cap's account in words from its parts (``entity``: the entity's title, as
    :meth:`~policyrules.words.Words.entity` says it; ``ident``: the id; ``year``: its year,
    or ``None``): ``企业 f1，2026年度``."""
    return f"{entity} {ident}" if year is None else f"{entity} {ident}，{year}年度"


def _cap_node(w: Words, p: ProvisionInfo | None, text: str) -> s.Cap | None:
    for cap in p.caps if p is not None else ():
        if print_cap(cap) == text:
            return cap
    return None


def cap_said(w: Words, p: ProvisionInfo | None, text: str) -> str:
    """A cap (as printed in the rule) in words, or as printed when the provision lacks it."""
    node = _cap_node(w, p, text)
    return w.cap(node, p.subject if p else None) if node is not None else text


def cap_written(w: Words, p: ProvisionInfo | None, cap: str) -> tuple[bool, int | None]:
    """Whether a cap of ``p`` (as printed) is known, and its limit in fen where it is written
    as an amount (``1000 万元``; ``None``: reckoned for each claim, a share of a fact or a
    parameter).  Its line says the limit it came to where that differs from the written
    amount (:func:`limit_said_zh`): always for a reckoned limit, and for an amount where an
    exception raised it."""

    def written() -> tuple[bool, int | None]:
        node = _cap_node(w, p, cap)
        if node is None:
            return False, None
        limit = node.limit
        if isinstance(limit, s.MoneyLit):
            try:
                return True, Money.of(limit.number, limit.unit).fen
            except ValueError:  # reported when checked (E226): said as reckoned
                return True, None
        return True, None

    return memo(w, ("written", p.id if p else None, cap), written)


def limit_said_zh(known: bool, written: int | None, limit: int | None) -> str:
    """What a cap's line says of the limit it came to (``limit``, fen; ``None``: not known):
    ``，即 600 万元`` where the cap is known and the limit is not its written amount."""
    if not known or limit is None or limit == written:
        return ""
    return limit_zh(cn_text(limit))


def limit_zh(limit: str) -> str:
    """What a reckoned cap's limit came to, after its account (``，即 600 万元``)."""
    return f"，即 {limit}"


def cap_line_zh(
    w: Words,
    p: ProvisionInfo | None,
    cap: str,
    scope: str,
    used: str | None,
    earlier: Earlier,
    binds: tuple[str, ...] | None,
    account: tuple[str, str, int | None] | None = None,
    limit: int | None = None,
) -> str:
    """A cap's line of a decision's Chinese text, from the parts of its
    :class:`~policyrules.decisions.CapEvent` with no note: the cap as printed in the rule
    (``cap``), the account's scope as the evaluator says it (``firm f1, year 2026``), what
    earlier evaluations used of it (its text; ``None``: nothing), the earlier claims of
    this one, and where it binds the texts of the amount before, the cut and after (``()``
    where the claim's request is not known; ``None``: it does not bind); ``account``: the
    account's parts, if known (:func:`cap_head_zh`); ``limit``: the limit in fen, said
    where it is not the cap's written amount (:func:`cap_written`): ``上限：不超过总投资额的
    30%（本次申请），即 600 万元``."""
    line = cap_head_zh(w, p, cap, scope, account) + limit_said_zh(*cap_written(w, p, cap), limit)
    return line + "".join(cap_bits_zh(used, earlier, binds))


def cap_note_zh(w: Words, p: ProvisionInfo | None, cap: str, note: CapNote) -> str:
    """What a cap's line (:func:`cap_line_zh`, of a cap of ``p`` as printed) says after its
    account, from its :class:`~policyrules.decisions.CapNote`: a limit an exception raised
    (``，即 1000 万元（经认定的特别重大项目，上限提高）``), one between two until a condition
    is known, one that needs facts (``：无法计算，尚缺投资额``), a year that needs them."""
    if note.kind == "raised" and note.high is not None:
        holds = "、".join(_unless_zh(w, p, cap, note))
        return f"{limit_zh(cn_text(note.high))}（{holds}，上限提高）"
    if note.kind == "between" and note.low is not None and note.high is not None:
        waits = "、".join(_unless_zh(w, p, cap, note))
        low, high = cn_text(note.low), cn_text(note.high)
        return f"：介于 {low} 与 {high} 之间，待确定：{waits}"
    needs = "、".join(w.fact_title(f) for f in note.needs)
    if note.kind == "year_unknown":
        return f"：所属年度未知，尚缺{needs}；可能计入任何年度，在各年度预留本次金额"
    return f"：无法计算，尚缺{needs}"


def _unless_zh(w: Words, p: ProvisionInfo | None, cap: str, note: CapNote) -> list[str]:
    """The conditions a note names, in words (``major``: 经认定的特别重大项目), each the
    condition of the cap's exception at its place; as written where ``p`` has no such cap."""
    node = _cap_node(w, p, cap)
    scope = p.subject if p is not None else None
    out = []
    for i, text in zip(note.unless, note.conditions, strict=True):
        if node is None or i >= len(node.exceptions):
            out.append(text)
            continue
        said = partial(w.expr, node.exceptions[i].condition, scope)
        out.append(memo(w, ("unless", p.id if p else None, cap, i), said))
    return out


def cap_head_zh(
    w: Words,
    p: ProvisionInfo | None,
    cap: str,
    scope: str,
    account: tuple[str, str, int | None] | None = None,
) -> str:
    """A cap's line up to what the claim met (:func:`cap_line_zh`): the cap in words and
    its account: ``上限：单个企业每个年度……不超过 1000 万元（企业 f1，2026年度）``.  The
    account is said from its parts (``account``: entity, id, year) where they are given,
    else read back from ``scope`` (an id ending ``, year 2026`` would read as a year)."""
    if account is not None:
        entity, ident, year = account
        said = scope_zh(memo(w, ("entity", entity), lambda: w.entity(entity)), ident, year)
    else:
        said = memo(w, ("scope", scope), lambda: _scope(w, scope))
    return cap_head_said_zh(cap_said_zh(w, p, cap), said)


def cap_said_zh(w: Words, p: ProvisionInfo | None, cap: str) -> str:
    """A cap of ``p`` (as printed in the rule) in words, made once per words object."""
    return memo(w, ("cap", p.id if p else None, cap), lambda: cap_said(w, p, cap))


def cap_head_said_zh(cap: str, scope: str) -> str:
    """:func:`cap_head_zh` of a cap and its account already in words."""
    return f"上限：{cap}（{scope}）"


def cap_bits_zh(used: str | None, earlier: Earlier, binds: tuple[str, ...] | None) -> list[str]:
    """What a claim met at a cap, as the pieces of its line after the account
    (:func:`cap_bits_put_zh`: none where it met nothing)."""
    out: list[str] = []
    if earlier:
        count, total, last = earlier.claim_count(), earlier.total.fen, earlier.last_texts()
        at_most, bound = earlier.total_at_most(), earlier.bounded()
        cap_bits_put_zh(out, used, count, total, last, at_most, bound, binds, len(earlier))
    else:
        cap_bits_put_zh(out, used, 0, 0, (), False, None, binds)
    return out


def cap_bits_put_zh(
    out: list[str],
    used: str | None,
    count: int,
    total: int,
    last: Sequence[str],
    at_most: bool,
    bound: int | None,
    binds: tuple[str, ...] | None,
    entries: int = 0,
) -> None:
    """What a claim met at a cap, put at the end of ``out`` as the pieces of its line after
    the account (a paid claim's text from its row puts them among its own pieces, not in
    lists apart first): ``：`` and each bit, apart by ``；``; nothing where it met nothing.
    The bits: what earlier evaluations used (``used``: its text); the earlier claims on
    the cap's account, ``count`` of them (``0``: none), ``total`` fen in all
    (``at_most``: an upper bound, an undecided claim among them), ``last``: the last
    three's texts (:meth:`~.runtime.claim_log.ClaimLog.texts`), ``bound``: the cap's limit
    in fen where it, not the sum of the claims' bounds, bounds the total
    (:meth:`~.runtime.claim_log.ClaimLog.bounded`): ``合计至多 150 万元（各笔上限之和为
    160 万元，受本上限约束）``; where the cap binds the amount before, the cut and after
    (``binds``; ``()``: the claim's request not known); ``entries``: the payments the
    earlier claims are, said where more than the claims (a schedule's each, in an account
    over all years; ``last`` then names each claim once,
    :meth:`~.runtime.claim_log.ClaimLog.claim_texts`): ``共 7 笔（分 21 期拨付）``."""
    sep = "："  # (the first bit's separator)
    if used is not None:
        out += (sep, "此前已获 ", used, USED_BEFORE_ZH)
        sep = "；"
    if count:
        shown = "、".join(last)
        many = SUM_ZH if entries <= count else f" 笔（分 {entries} 期拨付），合计"
        if count <= 3:
            out += (sep, EARLIER_ZH, shown)
        elif bound is not None:
            out += (sep, EARLIER_ZH, "共 ", str(count), many, AT_MOST_ZH,
                    cn_text(bound), "（各笔上限之和为 ", cn_text(total), "，受本上限约束）",
                    LAST_ZH, shown)  # fmt: skip
        else:
            said = AT_MOST_ZH if at_most else " "
            out += (sep, EARLIER_ZH, "共 ", str(count), many, said, cn_text(total),
                    LAST_ZH, shown)  # fmt: skip
        sep = "；"
    if binds is not None:
        if binds:
            before, cut, after = binds
            out += (sep, BINDS_ZH[0], before, BINDS_ZH[1], cut, BINDS_ZH[2], after)
        else:
            out += (sep, "此上限起作用：它是最低的上限")
