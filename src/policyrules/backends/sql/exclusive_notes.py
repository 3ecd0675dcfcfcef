"""What an exclusivity rule did to a claim, in the words of the Chinese decision texts.

The batch lists it in ``binding_caps`` after the caps, as the one-by-one path's Chinese text
says it (:func:`policyrules.explain_exclusive.exclusion_zh`): the templates of
:data:`~policyrules.explain_exclusive.EXCLUSION_ZH` filled in SQL from the other claim's
provision (named by its document's number, clause and title), amount and kind; the amount as
:func:`policyrules.runtime.money.cn_text` writes it (``1000 万元``, ``3 亿元``,
``12,345.67 元``).  A supersession's line is a constant (:func:`superseded_note`): whether it
applies is decided by the batch's ``as_of`` when compiling.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

import sqlglot.expressions as exp

from ...decisions_exclusive import Exclusion
from ...explain_exclusive import (
    EXCLUSION_ZH,
    other_zh,
    provision_zh,
    superseded_zh,
    undecided_key,
)
from ...model import CheckedPolicy
from ...model_exclusive import ExclusiveGroup, Supersession
from ...vocab import AMOUNT_PHRASES, EXCLUSIVE_RULES
from ...words import Words
from .awards import lit, num
from .sqlbits import VARCHAR, all_of, case, is_null, not_null
from .sqlbits import cast as _cast

__all__ = ["group_note", "ledger_note", "money_zh", "superseded_note"]

_YI, _WAN = 10**10, 10**6  # fen in 1 亿元, 1 万元
_GROUPS = 7  # BIGINT fen is below 10^19: at most 17 digits of 元, six commas


def _text(e: exp.Expr) -> exp.Expr:
    return _cast(e, VARCHAR)


def _concat(*parts: exp.Expr) -> exp.Expr:
    out = parts[0]
    for p in parts[1:]:
        out = exp.DPipe(this=out, expression=p)
    return out


def _div(e: exp.Expr, n: int) -> exp.Expr:
    return exp.IntDiv(this=e.copy(), expression=num(n))


def _mod(e: exp.Expr, n: int) -> exp.Expr:
    return exp.Paren(this=exp.Mod(this=e.copy(), expression=num(n)))


def _pad3(e: exp.Expr) -> exp.Expr:
    return exp.Pad(
        this=_text(e), expression=exp.Literal.number(3), fill_pattern=lit("0"), is_left=True
    )


def _grouped(yuan: exp.Expr) -> exp.Expr:
    """Whole 元 (not negative) with a comma every three digits: ``12,345``."""
    whens: list[tuple[exp.Expr, exp.Expr]] = []
    for n in range(1, _GROUPS):
        below = exp.LT(this=yuan.copy(), expression=num(1000**n))
        parts = [_text(_div(yuan, 1000 ** (n - 1)))]
        for k in range(n - 2, -1, -1):
            parts += [lit(","), _pad3(_mod(_div(yuan, 1000**k), 1000))]
        whens.append((below, _concat(*parts)))
    top = [_text(_div(yuan, 1000 ** (_GROUPS - 1)))]
    for k in range(_GROUPS - 2, -1, -1):
        top += [lit(","), _pad3(_mod(_div(yuan, 1000**k), 1000))]
    return case(whens, _concat(*top))


def money_zh(fen: exp.Expr) -> exp.Expr:
    """``cn_text`` of ``fen`` (BIGINT, not negative): whole 亿元, else whole 万元, else 元
    with its fen and thousands separators; 0 is ``0.00 元``."""
    cents = exp.Pad(
        this=_text(_mod(fen, 100)),
        expression=exp.Literal.number(2),
        fill_pattern=lit("0"),
        is_left=True,
    )
    nonzero = exp.NEQ(this=fen.copy(), expression=num(0))

    def whole(unit: int) -> exp.Expr:
        return exp.and_(nonzero.copy(), exp.EQ(this=_mod(fen, unit), expression=num(0)))

    return case(
        [
            (whole(_YI), _concat(_text(_div(fen, _YI)), lit(" 亿元"))),
            (whole(_WAN), _concat(_text(_div(fen, _WAN)), lit(" 万元"))),
        ],
        _concat(_grouped(_div(fen, 100)), lit("."), cents, lit(" 元")),
    )


def _amount_zh(fen: exp.Expr, kind: exp.Expr) -> exp.Expr:
    """The other claim's amount with its kind (``explain_exclusive._money``): a range's
    low end is not given, so it reads as an upper bound; no amount, 金额待定."""
    said = money_zh(fen)

    def phrase(k: str) -> exp.Expr:
        head, _, tail = AMOUNT_PHRASES[k].partition("{amount}")
        return _concat(lit(head), said.copy(), lit(tail))

    return case(
        [
            (is_null(fen), lit("金额待定")),
            (exp.EQ(this=kind.copy(), expression=lit("exact")), phrase("exact")),
            (exp.EQ(this=kind.copy(), expression=lit("unknown")), lit(AMOUNT_PHRASES["unknown"])),
            (
                exp.In(this=kind.copy(), expressions=[lit("up_to"), lit("range")]),
                phrase("up_to"),
            ),
        ],
        said.copy(),
    )


def _named(values: Mapping[str, str], key: exp.Expr) -> exp.Expr:
    """``values[key]`` for a provision id ``key`` (the id itself for another)."""
    return case(
        [(exp.EQ(this=key.copy(), expression=lit(k)), lit(v)) for k, v in values.items()],
        key.copy(),
    )


def _fill(template: str, values: Mapping[str, exp.Expr]) -> exp.Expr:
    parts: list[exp.Expr] = []
    for text, field, _, _ in string.Formatter().parse(template):
        if text:
            parts.append(lit(text))
        if field is not None:
            parts.append(values[field].copy())
    return _concat(*parts)


def _rule(g: ExclusiveGroup) -> str:
    rule = "keep listed" if g.keep == "listed" else "keep highest"
    rule += f" ties by {g.ties}" if g.ties else ""
    return EXCLUSIVE_RULES.get(rule, rule)


def _values(
    w: Words, g: ExclusiveGroup, other: exp.Expr, fen: exp.Expr, kind: exp.Expr
) -> dict[str, exp.Expr]:
    return {
        "rule": lit(_rule(g)),
        "other": _named({a: other_zh(w, a) for a in g.awards}, other),
        "title": _named({a: provision_zh(w, a) for a in g.awards}, other),
        "money": _amount_zh(fen, kind),
    }


def group_note(
    policy: CheckedPolicy,
    g: ExclusiveGroup,
    outcomes: Sequence[tuple[exp.Expr, str]],
    other: exp.Expr,
    fen: exp.Expr,
    kind: exp.Expr,
    eligible: exp.Expr,
) -> exp.Expr:
    """The line of the first outcome whose condition holds (``paid``, ``not_paid``, ``tie``,
    ``undecided``: :data:`EXCLUSION_ZH`), naming the other claim's provision ``other``, its
    amount ``fen`` and kind ``kind`` (columns); an ``undecided`` one says which side is
    settled (:func:`~policyrules.explain_exclusive.undecided_key`), by ``eligible`` (this
    claim's, a column) and the other's kind."""
    values = _values(Words.of(policy), g, other, fen, kind)

    def line(outcome: str) -> exp.Expr:
        if outcome != "undecided":
            return _fill(EXCLUSION_ZH[outcome], values)
        exact = all_of(not_null(fen.copy()), exp.EQ(this=kind.copy(), expression=lit("exact")))
        keys = [
            (all_of(exact.copy(), eligible.copy()), undecided_key(True, "exact")),
            (exact, undecided_key(False, "exact")),
            (eligible.copy(), undecided_key(True, None)),
        ]
        whens = [(cond, _fill(EXCLUSION_ZH[key], values)) for cond, key in keys]
        return case(whens, _fill(EXCLUSION_ZH[undecided_key(False, None)], values))

    whens = [(cond, line(outcome)) for cond, outcome in outcomes[:-1]]
    return case(whens, line(outcomes[-1][1]))


def ledger_note(
    policy: CheckedPolicy, g: ExclusiveGroup, other: exp.Expr, fen: exp.Expr
) -> exp.Expr:
    """The line of a claim an earlier grant under ``other`` (its amount ``fen``) excludes."""
    values = _values(Words.of(policy), g, other, fen, lit("exact"))
    return _fill(EXCLUSION_ZH["ledger"], values)


def superseded_note(policy: CheckedPolicy, sup: Supersession, unknown: bool) -> exp.Expr:
    """The line of a provision ``sup`` supersedes (``unknown``: no ``as_of``, E424)."""
    x = Exclusion("superseded", "supersedes", sup.by, since=sup.since)
    return lit(superseded_zh(Words.of(policy), x, unknown))
