"""W274: a cap whose entity or year is not the one its ceiling's words name.

京经信发〔2026〕9号 says 「单个产品不超过 300 万元,单个企业年度奖励不超过 800 万元」.  A new user
wrote ``cap 800 万元 per product per year of approved_on``: every figure is the text's, so no
other warning spoke, and a firm with four products was paid 4 × 300 = 1,200 万元 where the
text allows 800 万元; swapping the two caps' entities passed as well.  So the words before a
money ceiling of an award's quote (from the sentence's last break or the figure before, as
:func:`policyrules.quote_figures.ceiling_word` reads them: 单个产品, 每家企业, 单个企业年度, 每年
…) are read for

- the entities they name: an entity of the award's subject chain whose title (``entity
  product "医疗器械产品"``), or its last two characters (产品), the words contain;
- a year: 年度, 每年, 当年, 年均 (上一年度 and 上年度 name a fact's year, not the cap's);

and compared with the award's caps of that figure: its ``per`` entities (none: the subject's
own claim) and its ``per year of``: the named entities in any order, or those of them down
to the one nearest the subject (单个企业单个项目 is ``per project`` as well as ``per firm per
project``: an owner above the nearest adds nothing).  A cap of the figure whose entities are
not those named, or that is yearly where the words name no year or not where they do, is a
warning at the cap (the first of the figure, where none matches).  A ceiling no cap writes
is W271's; words that name no entity of the chain are not read.  A ``note`` of the clause
or award stating the figure (the author's reading of whose ceiling it is) silences it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import syntax as s
from .check_reading import reading
from .errors import Diagnostic
from .model import CheckedPolicy
from .printer import print_expr
from .quote_figures import Figure, figures, listed_ceiling_word

__all__ = ["cap_word_warnings"]

_MULT = {"万": Decimal(10**4), "亿": Decimal(10**8)}
_BREAK = re.compile(r"[，。；,;！？!?\n]")
_YEAR = re.compile(r"年度|每年|当年|年均")
_FACT_YEAR = re.compile(r"上一?年度|近[一二三四五两\d]+年")


def cap_word_warnings(policy: CheckedPolicy, clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W274 for each cap of an award of ``clause`` (whose quote is ``quote``) whose entities
    or year are not those its ceiling's words name."""
    out: list[Diagnostic] = []
    for p in clause.provisions:
        subject = next((b.entity for b in p.body if isinstance(b, s.Subject)), None)
        caps = [b for b in p.body if isinstance(b, s.Cap)]
        if p.kind != "award" or subject is None or not caps:
            continue
        r = reading(clause, p, quote)
        said = {(f.value, f.currency) for n in r.notes for f in figures(n)}
        titles = _titles(policy, subject)
        stated = figures(r.quote)
        for f in stated:
            if f.kind != "money" or (f.value, f.currency) in said:
                continue
            if listed_ceiling_word(r.quote, f, stated) is None:
                continue
            mine = [c for c in caps if _money(c.limit) == (f.value, f.currency)]
            words, shown = _words(r.quote, f, stated)
            named = {e for e, ws in titles.items() if any(w in words for w in ws)}
            yearly = _YEAR.search(_FACT_YEAR.sub("", words)) is not None
            if not mine or not named:
                continue
            chain = [e.name for e in policy.chain(subject)]
            if not any(_fits(c, named, yearly, subject, chain) for c in mine):
                date = next((print_expr(c.year_of) for c in caps if c.year_of), "DATE")
                w = _w274(p, mine[0], f, shown, named, yearly, titles, subject, date)
                out.append(w)
    return out


def _titles(policy: CheckedPolicy, subject: str) -> dict[str, tuple[str, ...]]:
    """The words that name each entity of ``subject``'s chain: its title and the title's
    last two characters (医疗器械产品: 产品)."""
    out: dict[str, tuple[str, ...]] = {}
    for e in policy.chain(subject):
        if e.title:
            out[e.name] = tuple(dict.fromkeys((e.title, e.title[-2:])))
    return out


def _words(text: str, f: Figure, stated: list[Figure]) -> tuple[str, str]:
    """The words between the sentence's last break (or the figure before) and ``f``, and
    the same with ``f`` as the quote writes them."""
    start = max((m.end() for m in _BREAK.finditer(text, 0, f.start)), default=0)
    for g in stated:
        if g.start + len(g.text) <= f.start:
            start = max(start, g.start + len(g.text))
    return text[start : f.start].strip(), text[start : f.start + len(f.text)].strip()


def _money(e: s.Expr) -> tuple[Decimal, str] | None:
    if not isinstance(e, s.MoneyLit):
        return None
    mult = _MULT.get(e.unit[:1])
    return (e.number * mult, e.unit[1:]) if mult else (e.number, e.unit)


def _per(c: s.Cap, subject: str) -> set[str]:
    return set(c.per) or {subject}


def _same_scope(per: set[str], named: set[str], chain: list[str]) -> bool:
    """Whether a cap ``per`` these entities counts what the words naming ``named`` do: the
    two sets in any order, or a part of the named ones holding the one nearest the subject
    (单个企业单个项目 is ``per project``, ``per firm per project`` or, of a project's
    claim, no ``per``: a project has one firm, so its firm adds nothing)."""
    if per == named:
        return True
    near = [e for e in chain if e in named]
    return per <= named and bool(near) and near[0] in per


def _fits(c: s.Cap, named: set[str], yearly: bool, subject: str, chain: list[str]) -> bool:
    if not _same_scope(_per(c, subject), named, chain):
        return False
    if c.window is not None or c.ever:
        return not yearly
    return (c.year_of is not None) == yearly


def _w274(
    p: s.Provision,
    c: s.Cap,
    f: Figure,
    words: str,
    named: set[str],
    yearly: bool,
    titles: dict[str, tuple[str, ...]],
    subject: str,
    date: str,
) -> Diagnostic:
    shown = print_expr(c.limit)
    said = ", ".join(f"{e} ({titles[e][0]})" for e in sorted(named))
    per = " ".join(f"per {e}" for e in sorted(named))
    year = f" per year of {date}" if yearly else ""
    written = " ".join(f"per {e}" for e in c.per) or f"this {subject}'s claim"
    written += " per year" if c.year_of is not None else ""
    return Diagnostic(
        "W274",
        f"award {p.name}: `cap {shown}` is {written}, but the quote's ceiling "
        f"“{words}” is per {said}{' per year' if yearly else ''}",
        c.span,
        hint=f"write `cap {shown} {per}{year}` as the text words it; where the text means "
        f"this cap, say so in a `note` of the clause or award stating {f.text}",
        severity="warning",
    )
