"""W270 and W272: an award's amount that takes the quote's rate wrongly.

- W270: the amount pays a money fact whole (``amount total_investment``, ``100% of
  total_investment``, ``total_investment × 1``, or ``amount decided total_investment``) and the
  quote pays a rate of it: 「按照项目总投资的10%给予支持」 pays a tenth, the encoding the whole
  investment up to the ceiling.  A bare fact is warned where the quote states any rate (a
  percentage other than 100 %, under a ceiling word or not, or 比例: 一定比例, 按比例); the
  agency's decided amount (``amount decided FACT``) only where the rate is fixed (a percentage
  under no ceiling word), or where its fact is the base of a rate cap of the award
  (``cap 50% of total_investment``): 「不超过总投资额的 50%」 leaves the amount to the agency.
  A ``note`` of the clause or award naming the fact is the author's reading and silences it.
- W272: a rate literal multiplied into one product of the amount more times than the quote
  states it: ``20% of (20% of equipment_investment)`` pays 4 % where the text says 20 %.  A
  ``note`` stating the rate silences it.

The quote is the award's own ``quote``, else its clause's (:func:`policyrules.check_reading
.reading`).  Rates compare by value across spellings (``20%`` is 「百分之二十」).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Set
from decimal import Decimal

from . import syntax as s
from .check_reading import Reading, reading
from .errors import Diagnostic, Span
from .printer import print_expr
from .quote_figures import Figure, figures, listed_ceiling_word

__all__ = ["RATE_WORDS", "rate_warnings"]

# Words by which a text pays a share of a base without writing the percentage.
RATE_WORDS = re.compile(r"一定(?:的)?比例|按(?:照)?(?:[^，。；,;]{0,20}?)?比例")
_WHOLE = Decimal(100)
_BREAK = re.compile(r"[，。；,;！？!?\n]")


def rate_warnings(clause: s.Clause, quote: str, facts: Set[str]) -> list[Diagnostic]:
    """W270 and W272 for the awards of ``clause`` (whose quote is ``quote``); ``facts`` are
    the names of the facts its provisions read."""
    out: list[Diagnostic] = []
    for p in clause.provisions:
        if p.kind != "award":
            continue
        r = reading(clause, p, quote)
        for st in p.body:
            paid = _whole_fact(st, facts)
            if paid is not None:
                out.extend(_w270(p, st, *paid, r))
            if isinstance(st, s.Amount):
                out.extend(_w272(st.expr, r))
    return out


def _whole_fact(st: s.Stmt, facts: Set[str]) -> tuple[str, Span | None] | None:
    """The fact ``st`` pays whole and where it is written, if it is such an amount."""
    if isinstance(st, s.AmountDecided):
        return st.fact, st.span
    if not isinstance(st, s.Amount):
        return None
    e = st.expr
    match e:
        case s.Of(rate=one, base=s.Name(parts=(name,))) if _one(one):
            pass
        case s.BinOp(op="×", left=s.Name(parts=(name,)), right=one) if _one(one):
            pass
        case s.BinOp(op="×", left=one, right=s.Name(parts=(name,))) if _one(one):
            pass
        case s.Name(parts=(name,)):
            pass
        case _:
            return None
    return (name, e.span) if name in facts else None


def _one(e: s.Expr) -> bool:
    """``100%`` or ``1``: a factor that pays its base whole."""
    return isinstance(e, s.RateLit | s.NumberLit) and e.number == (
        _WHOLE if isinstance(e, s.RateLit) else 1
    )


def _w270(
    p: s.Provision, st: s.Stmt, fact: str, span: Span | None, r: Reading
) -> Iterator[Diagnostic]:
    stated = figures(r.quote)
    rates = [g for g in stated if g.kind == "rate" and g.value != _WHOLE]
    fixed = [g for g in rates if listed_ceiling_word(r.quote, g, stated) is None]
    words = RATE_WORDS.search(r.quote)
    decided = isinstance(st, s.AmountDecided)
    if decided:
        said = fixed or [g for g in rates if fact in _rate_cap_bases(p, g)]
    else:
        said = fixed or rates
    if (not said and (decided or words is None)) or any(fact in n for n in r.notes):
        return
    shown = f"amount decided {fact}" if decided else f"amount {print_expr(_expr(st))}"
    if said:
        rate = print_expr(s.RateLit(said[0].value.normalize()))
        words_said = _words(r.quote, said[0])
    else:
        assert words is not None
        rate, words_said = "RATE", words[0]
    instead = f"`amount {rate} of {fact}` where {fact} is the money the text takes it of"
    if decided:
        instead += " (a rate the text fixes is no decision; `amount decided` is for a text "
        instead += f"that gives ceilings only, as 不超过…的{rate}: `cap {rate} of BASE`)"
    yield Diagnostic(
        "W270",
        f"`{shown}` pays {fact} whole, and the quote pays a rate of it: “{words_said}”",
        span,
        hint=f"write {instead}; where the text pays {fact} whole, say so in a `note` of the "
        f"clause or award naming {fact}",
        severity="warning",
    )


def _expr(st: s.Stmt) -> s.Expr:
    assert isinstance(st, s.Amount)
    return st.expr


def _rate_cap_bases(p: s.Provision, rate: Figure) -> set[str]:
    """The facts a cap of ``p`` takes ``rate`` of (``cap 50% of total_investment``)."""
    out: set[str] = set()
    for cap in (b for b in p.body if isinstance(b, s.Cap)):
        match cap.limit:
            case s.Of(rate=s.RateLit(number=n), base=s.Name(parts=(name,))) if n == rate.value:
                out.add(name)
    return out


def _words(text: str, f: Figure) -> str:
    """The words of ``text`` from the start of ``f``'s phrase to the end of ``f``:
    「按照项目总投资的10%」."""
    start = max((m.end() for m in _BREAK.finditer(text, 0, f.start)), default=0)
    return text[start : f.start + len(f.text)].strip()


def _w272(amount: s.Expr, r: Reading) -> Iterator[Diagnostic]:
    stated = Counter(g.value for g in figures(r.quote) if g.kind == "rate")
    noted = {g.value for n in r.notes for g in figures(n) if g.kind == "rate"}
    for rates in _products(amount):
        seen: Counter[Decimal] = Counter()
        for lit in rates:
            seen[lit.number] += 1
            n = stated[lit.number]
            if seen[lit.number] == n + 1 and n and lit.number != _WHOLE:
                if lit.number in noted:
                    continue
                shown = print_expr(lit)
                said = next(g for g in figures(r.quote) if g.value == lit.number)
                yield Diagnostic(
                    "W272",
                    f"`amount {print_expr(amount)}` takes {shown} {_times(n + 1)} in one "
                    f"product, and the quote states it {_times(n)}: “{_words(r.quote, said)}”",
                    lit.span,
                    hint=f"take the rate once (`{shown} of BASE`); where the text takes "
                    f"{shown} of a share already taken, say so in a `note` of the clause or "
                    f"award stating {shown}",
                    severity="warning",
                )


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _products(e: s.Node) -> Iterator[list[s.RateLit]]:
    """The rate literals of each product of ``e`` (``R of B``, ``A × B``, nested), one
    list a product; a branch of ``if`` or a term of a sum is a product of its own."""
    if isinstance(e, s.Of) or (isinstance(e, s.BinOp) and e.op == "×"):
        factors = list(_factors(e))
        yield [f for f in factors if isinstance(f, s.RateLit)]
        for f in factors:
            for child in s.children(f):
                yield from _products(child)
        return
    for child in s.children(e):
        yield from _products(child)


def _factors(e: s.Expr) -> Iterator[s.Expr]:
    match e:
        case s.Of(rate=a, base=b) | s.BinOp(op="×", left=a, right=b):
            yield from _factors(a)
            yield from _factors(b)
        case _:
            yield e
