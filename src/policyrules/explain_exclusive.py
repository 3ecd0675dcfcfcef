"""Exclusivity in the explanations (issue 11 §6), in Chinese.

One line per decision an exclusive group or a supersession touched (:func:`exclusion_zh`),
built from :class:`policyrules.decisions_exclusive.Exclusion`: which award won and how much,
which may still win, which tie is undecided, which document supersedes this one and from
when; the English line is :meth:`~policyrules.decisions_exclusive.Exclusion.describe`.
:func:`refused_zh` says in Chinese why a claim was not paid (the evaluator writes English).
"""

from __future__ import annotations

import re

from .decisions import Decision
from .decisions_exclusive import Exclusion
from .runtime.values import format_value
from .vocab import EXCLUSIVE_RULES, amount_words, heading_zh, label_zh, quoted
from .words import Words, date_zh

__all__ = [
    "EXCLUSION_ZH",
    "exclusion_zh",
    "other_zh",
    "provision_zh",
    "refused_zh",
    "superseded_zh",
    "undecided_key",
]


def _title(w: Words, provision: str | None) -> str:
    if provision is None:
        return ""
    p = w.provisions.get(provision)
    title = (p.title if p is not None else None) or provision.rsplit("/", 1)[-1]
    doc, clause = provision.split("/")[:2]
    info = w.checked.document(doc)
    # The document by its number, else by its title (《…》), its identifier only without one.
    if info is not None and info.number:
        where = heading_zh(info.number, clause)
    elif info is not None and info.title:
        where = f"《{info.title}》{label_zh(clause)}"
    else:
        where = heading_zh(doc, clause)
    return f"{where}{quoted(title)}"


def provision_zh(w: Words, provision: str) -> str:
    """A provision as the letter names it: its document's number, clause and title
    (京经信发〔2025〕50号 第3条“…”)."""
    return _title(w, provision)


def _money(x: Exclusion) -> str:
    if x.other_amount is None:
        return "金额待定"
    return amount_words(x.other_kind, format_value(x.other_amount))


def _gap(name: str) -> str:
    """A space before a name that begins with a Latin letter or digit, as Chinese typesetting
    puts one (不低于 d 第1条…, not 不低于d 第1条…)."""
    return f" {name}" if name[:1].isascii() and name[:1].isalnum() else name


EXCLUSION_ZH = {
    "paid": "不重复支持（{rule}）：本项支持金额不低于{other}（{money}），按本项支持",
    "ledger": "不重复支持（{rule}）：同一对象此前已按{other}获得 {money}，本项不再支持",
    "not_paid": "不重复支持（{rule}）：同一对象按{other}支持（{money}），本项不予支持",
    "tie": "不重复支持（{rule}）：与{other}金额相同（{money}），文本未规定如何取舍，待定（E423）",
    "undecided": "不重复支持（{rule}）：{title}尚未确定（{money}），"
    "可能按该项支持，本项金额只是上限",
    "undecided_both": "不重复支持（{rule}）：本项与{title}均尚未确定（该项{money}），"
    "可能按该项支持",
    "undecided_open": "不重复支持（{rule}）：{title}为 {money}，本项尚未确定："
    "本项金额高于该项时按本项支持，否则按该项支持",
    "undecided_which": "不重复支持（{rule}）：{title}为 {money}，"
    "同组尚不能确定由哪一申请获得支持，本项金额只是上限",
}
"""What a group did to a claim, by outcome (``ledger``: not paid, for an earlier grant):
``{rule}`` in words, ``{other}`` the other provision named (:func:`provision_zh`, a space
before a Latin start), ``{title}`` named with no space, ``{money}`` its amount in words.
An ``undecided`` claim says which side is settled (:func:`undecided_key`): the other not
(this claim eligible: ``undecided``; nor this one: ``undecided_both``), or the other, its
amount exact, and not this one (``undecided_open``; hCD's trial read 「…尚未确定（100 万元
（确定金额））」, "not settled" beside "exact"), or both, with a claim still open in the
group (``undecided_which``: equal claims of one award, which no tie rule orders).  The SQL
batch fills the same (``backends/sql/exclusive_notes.py``)."""


def undecided_key(eligible: bool, other_kind: str | None) -> str:
    """The :data:`EXCLUSION_ZH` key of an ``undecided`` claim: ``eligible``, whether this
    claim is eligible (its amount then at most); ``other_kind``, the other's amount kind
    (``None``: the other is not decided, and carries no amount).

    >>> undecided_key(True, None), undecided_key(False, "up_to"), undecided_key(False, "exact")
    ('undecided', 'undecided_both', 'undecided_open')
    >>> undecided_key(True, "exact")
    'undecided_which'
    """
    if other_kind == "exact":
        return "undecided_which" if eligible else "undecided_open"
    return "undecided" if eligible else "undecided_both"


def other_zh(w: Words, provision: str) -> str:
    """The other provision as :data:`EXCLUSION_ZH`'s ``{other}`` names it."""
    return _gap(_title(w, provision))


def superseded_zh(w: Words, x: Exclusion, unknown: bool) -> str:
    """The line of a provision a later document supersedes (``unknown``: the day of the
    evaluation is not given)."""
    doc = w.checked.document(x.clause)
    name = f"《{doc.title}》" if doc is not None else x.clause
    day = date_zh(x.since) if x.since is not None else "施行之日"
    if unknown:
        return f"以此为准：本条自{day}起由{name}替代；评估日期未给出，无法判断是否仍适用（E424）"
    return f"以此为准：本条自{day}起由{name}替代，不再执行"


def exclusion_zh(w: Words, d: Decision) -> str | None:
    """``不重复支持（按照就高原则）：…`` for ``d``, or ``None`` if no rule touched it."""
    x = d.exclusivity
    if x is None:
        return None
    if x.outcome == "superseded":
        return superseded_zh(w, x, d.status == "unknown")
    outcome = "ledger" if x.outcome == "not_paid" and x.ledger else x.outcome
    if outcome == "undecided":
        known = x.other_kind if x.other_amount is not None else None
        outcome = undecided_key(d.status == "eligible", known)
    title = _title(w, x.other)
    return EXCLUSION_ZH[outcome].format(
        rule=EXCLUSIVE_RULES.get(x.rule, x.rule), other=_gap(title), title=title, money=_money(x)
    )


_NOT_PAID = re.compile(r"not paid \(exclusive, [^)]*\): .*")
_SUPERSEDED = re.compile(r"superseded by \S+ from \S+ \(以此为准\)")


def refused_zh(w: Words, d: Decision, reason: str) -> str | None:
    """A not-paid or superseded reason of ``d`` in Chinese, or ``None`` for another reason."""
    if _NOT_PAID.fullmatch(reason) or _SUPERSEDED.fullmatch(reason):
        return exclusion_zh(w, d)
    return None
