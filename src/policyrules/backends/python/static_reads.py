"""What an expression reads, known before it runs: the facts and parameters of a strict
expression (:func:`strict_reads`: the generated code's condition is unknown exactly when
one of them is not given) and every fact an expression can read (:func:`fact_reads`).
"""

from __future__ import annotations

from ... import syntax as s
from ...exprs import constant
from ...exprs_years import PAYMENT_FUNCS
from ...model import CheckedPolicy, DocumentInfo

__all__ = ["Reads", "fact_reads", "strict_reads"]

# (entity, fact, missing name) of each fact, ("", parameter, missing name) of each parameter
Reads = tuple[tuple[str, str, str], ...]


def strict_reads(
    e: s.Expr, policy: CheckedPolicy, scope: str, doc: DocumentInfo | None
) -> Reads | None:
    """The facts and parameters ``e`` reads, when ``e`` is strict: its closure computes
    every operand and is unknown exactly when one of them is, missing all the facts and
    parameters not given (comparisons, ``not``, ``in`` a set, ``in force`` of a document
    whose events do not count from an assumption, names and literals: no ``and``/``or``/
    ``if``, no arithmetic, no assumption).  ``None`` for any other expression."""
    out: list[tuple[str, str, str]] = []

    def walk(x: s.Expr) -> bool:
        match x:
            case s.Name(parts=parts):
                r = policy.resolve(parts, scope)
                if r is None or r.kind in ("assumption", "define"):
                    return False
                if r.kind == "fact":
                    out.append((r.entity or "", r.name, f"{r.entity}.{r.name}"))
                elif r.kind == "parameter":
                    out.append(("", r.name, f"parameter {r.name}"))
                return True
            case s.InForce(operand=a):
                return (doc is None or doc.events_from is None) and walk(a)
            case s.InSet(element=a, container=s.SetLit(items=items)):
                # True as soon as a known item matches: strict only with constant items.
                return walk(a) and all(walk(i) and not _reads(i) for i in items)
            case s.Compare() | s.Not() | s.InSet() | s.SetLit():
                return all(walk(c) for c in s.children(x) if isinstance(c, s.Expr))
            case s.MoneyLit() | s.RateLit() | s.NumberLit() | s.DateLit() | s.BoolLit():
                return True
            case s.StringLit() | s.DurationLit():
                return True
        return False

    def _reads(x: s.Expr) -> bool:
        return not constant(x, policy, scope)

    return tuple(out) if walk(e) else None


def fact_reads(e: s.Expr, policy: CheckedPolicy, scope: str) -> Reads | None:
    """Every fact ``e`` can read (through defines too), as :func:`strict_reads` lists
    them; ``None`` when it reads a subject's id (always given), a payment's year, or a name
    that does not resolve.  When each of them is absent for a subject, the closure of
    ``e`` reads nothing of the subject but their absence: its value, and the assumptions
    it reads, are the same for every such subject of one evaluation."""
    out: dict[tuple[str, str, str], None] = {}
    stack: list[s.Node] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, s.Call) and x.func in PAYMENT_FUNCS:
            return None
        if isinstance(x, s.Name):
            r = policy.resolve(x.parts, scope)
            if r is None or (r.kind == "fact" and r.name == "id"):
                return None
            if r.kind == "fact":
                out[(r.entity or "", r.name, f"{r.entity}.{r.name}")] = None
            elif r.kind == "define":
                info = policy.define(r.name)
                if info is None:
                    return None
                stack.append(info.expr)
            continue
        stack.extend(s.children(x))
    return tuple(out)
