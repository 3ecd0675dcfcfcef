"""W270 and W272: an award's amount that takes the quote's rate wrongly.

- W270: the amount pays a money fact whole (``amount total_investment``, ``100% of
  total_investment``, ``total_investment × 1``, or ``amount decided total_investment``) and the
  quote pays a rate of it: 「按照项目总投资的10%给予支持」 pays a tenth, the encoding the whole
  investment up to the ceiling.  A bare fact is warned where the quote states any rate (a
  percentage other than 100 %, under a ceiling word or not, or 比例: 一定比例, 按比例); the
  agency's decided amount (``amount decided FACT``) only where the rate is fixed (a percentage
  under no ceiling word), or where its fact is the base of a rate cap of the award
  (``cap 50% of total_investment``): 「不超过总投资额的 50%」 leaves the amount to the agency.
  A define the amount names is opened (``define base = total_investment``: ``amount base``
  pays the investment whole too).  The shares of the award's schedule are no rate of it
  (「分两年拨付（60%、40%）」).  A ``note`` of the clause or award naming the fact is the
  author's reading and silences it.
- W272: a rate multiplied into one product of the amount more times than the quote states
  it: ``20% of (20% of equipment_investment)`` pays 4 % where the text says 20 %.  A rate
  parameter counts as its default where that is a literal (``support_rate = 20%`` is 20 %),
  else by its name, stated once by the quote's rate words (一定比例).  A ``note`` stating the
  rate (or naming the parameter) silences it.

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
from .model import CheckedPolicy
from .printer import print_expr
from .quote_figures import Figure, figures, listed_ceiling_word

__all__ = ["RATE_WORDS", "rate_warnings"]

# Words by which a text pays a share of a base without writing the percentage.
RATE_WORDS = re.compile(r"一定(?:的)?比例|按(?:照)?(?:[^，。；,;]{0,20}?)?比例")
_WHOLE = Decimal(100)
_BREAK = re.compile(r"[，。；,;！？!?\n]")


def rate_warnings(
    clause: s.Clause, quote: str, facts: Set[str], policy: CheckedPolicy | None = None
) -> list[Diagnostic]:
    """W270 and W272 for the awards of ``clause`` (whose quote is ``quote``); ``facts`` are
    the names of the facts its provisions read; ``policy`` (where given) opens the defines
    an amount names (W270) and gives the rate parameters' defaults (W272)."""
    out: list[Diagnostic] = []
    for p in clause.provisions:
        if p.kind != "award":
            continue
        r = reading(clause, p, quote)
        for st in p.body:
            paid = _whole_fact(st, facts, policy)
            if paid is not None:
                out.extend(_w270(p, st, *paid, r))
            if isinstance(st, s.Amount):
                out.extend(_w272(st.expr, r, policy))
    return out


def _whole_fact(
    st: s.Stmt, facts: Set[str], policy: CheckedPolicy | None
) -> tuple[str, Span | None] | None:
    """The fact ``st`` pays whole and where it is written, if it is such an amount."""
    if isinstance(st, s.AmountDecided):
        return st.fact, st.span
    if not isinstance(st, s.Amount):
        return None
    name = _paid_whole(st.expr, facts, policy, frozenset())
    return (name, st.expr.span) if name is not None else None


def _paid_whole(
    e: s.Expr, facts: Set[str], policy: CheckedPolicy | None, seen: frozenset[str]
) -> str | None:
    """The fact ``e`` pays whole (``F``, ``100% of F``, ``F × 1``), a define ``e`` names
    opened (``define base = total_investment``: ``amount base`` pays it whole too)."""
    match e:
        case s.Of(rate=one, base=s.Name() as inner) if _one(one):
            pass
        case s.BinOp(op="×", left=s.Name() as inner, right=one) if _one(one):
            pass
        case s.BinOp(op="×", left=one, right=s.Name() as inner) if _one(one):
            pass
        case s.Name() as inner:
            pass
        case _:
            return None
    if len(inner.parts) != 1:
        return None
    name = inner.parts[0]
    if name in facts:
        return name
    d = policy.define(name) if policy is not None and name not in seen else None
    return _paid_whole(d.expr, facts, policy, seen | {name}) if d is not None else None


def _one(e: s.Expr) -> bool:
    """``100%`` or ``1``: a factor that pays its base whole."""
    return isinstance(e, s.RateLit | s.NumberLit) and e.number == (
        _WHOLE if isinstance(e, s.RateLit) else 1
    )


def _w270(
    p: s.Provision, st: s.Stmt, fact: str, span: Span | None, r: Reading
) -> Iterator[Diagnostic]:
    stated = figures(r.quote)
    # 分两年拨付（60%、40%）: the schedule's shares split what is paid, no rate of the fact
    shares = {
        x.number
        for st_ in p.body
        if isinstance(st_, s.Schedule)
        for x in st_.shares
        if isinstance(x, s.RateLit)
    }
    rates = [g for g in stated if g.kind == "rate" and g.value not in ({_WHOLE} | shares)]
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


def _w272(amount: s.Expr, r: Reading, policy: CheckedPolicy | None) -> Iterator[Diagnostic]:
    stated: Counter[Decimal | str] = Counter(g.value for g in figures(r.quote) if g.kind == "rate")
    noted = {g.value for n in r.notes for g in figures(n) if g.kind == "rate"}
    for rates in _products(amount, policy):
        seen: Counter[Decimal | str] = Counter()
        for node, key in rates:
            seen[key] += 1
            words = RATE_WORDS.search(r.quote) if isinstance(key, str) else None
            n = stated[key] if not isinstance(key, str) else 1 if words else 0
            if seen[key] == n + 1 and n and key != _WHOLE:
                if key in noted or (isinstance(key, str) and any(key in x for x in r.notes)):
                    continue
                shown = print_expr(node)
                if words is not None:
                    said_words = words[0]
                else:
                    said = next(g for g in figures(r.quote) if g.value == key)
                    said_words = _words(r.quote, said)
                yield Diagnostic(
                    "W272",
                    f"`amount {print_expr(amount)}` takes {shown} {_times(n + 1)} in one "
                    f"product, and the quote states it {_times(n)}: “{said_words}”",
                    node.span,
                    hint=f"take the rate once (`{shown} of BASE`); where the text takes "
                    f"{shown} of a share already taken, say so in a `note` of the clause or "
                    f"award stating {shown}",
                    severity="warning",
                )


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _products(
    e: s.Node, policy: CheckedPolicy | None
) -> Iterator[list[tuple[s.Expr, Decimal | str]]]:
    """The rates of each product of ``e`` (``R of B``, ``A × B``, nested), one list a
    product, each with its value: a literal's, a rate parameter's default where it is a
    literal, else the parameter's name (一定比例: stated once by the rate's words); a branch
    of ``if`` or a term of a sum is a product of its own."""
    if isinstance(e, s.Of) or (isinstance(e, s.BinOp) and e.op == "×"):
        factors = list(_factors(e))
        yield [(f, k) for f in factors if (k := _rate_key(f, policy)) is not None]
        for f in factors:
            for child in s.children(f):
                yield from _products(child, policy)
        return
    for child in s.children(e):
        yield from _products(child, policy)


def _rate_key(f: s.Expr, policy: CheckedPolicy | None) -> Decimal | str | None:
    if isinstance(f, s.RateLit):
        return f.number
    if policy is None or not isinstance(f, s.Name) or len(f.parts) != 1:
        return None
    param = policy.parameter(f.parts[0])
    if param is None or param.type.kind != "rate":
        return None
    return param.default.number if isinstance(param.default, s.RateLit) else param.name


def _factors(e: s.Expr) -> Iterator[s.Expr]:
    match e:
        case s.Of(rate=a, base=b) | s.BinOp(op="×", left=a, right=b):
            yield from _factors(a)
            yield from _factors(b)
        case _:
            yield e
