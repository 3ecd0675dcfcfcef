"""Which assumptions an ``and``/``or`` lists: only those of the operands its value rests on
(grammar/README.md, "Which assumptions a decision lists").  :func:`may_assume` says whether an
expression can read one; :func:`decided_by` wraps the closures of an ``and``/``or`` that can.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import syntax as s
from .model import CheckedPolicy
from .runtime.values import Value

__all__ = ["decided_by", "deciding", "may_assume"]

# A closure of an expression: the evaluation's Env (policyrules.exprs) -> its value.
_Fn = Callable[[Any], Any]


def may_assume(e: s.Expr, policy: CheckedPolicy, scope: str | None) -> bool:
    """Whether ``e`` can read an assumption: one it names, or the events-from assumption
    of an ``in force``."""
    if isinstance(e, s.InForce):
        return True
    if isinstance(e, s.Name):
        r = policy.resolve(e.parts, scope)
        if r is not None and r.kind == "define":
            info = policy.define(r.name)
            return info is not None and may_assume(info.expr, policy, scope)
        return r is not None and r.kind == "assumption"
    return any(may_assume(x, policy, scope) for x in s.operands(e))


def deciding(x: Value, y: Value, stop: bool, left: set[str], right: set[str]) -> set[str]:
    """The assumptions an ``and`` (``stop`` false) or ``or`` (true) of the values ``x`` and
    ``y`` rests on, given each side's (``left``, ``right``): a side equal to ``stop`` decides
    alone (both: the left, as the clause is written); else both sides'."""
    if x is stop:
        return left
    if y is stop:
        return right
    return left | right


def decided_by(fa: _Fn, fb: _Fn, join: Callable[[Value, Value], Value], stop: bool) -> _Fn:
    """``a and b`` (``stop`` false) or ``a or b`` (true), listing the assumptions only of
    the operands the value rests on: a side equal to ``stop`` decides alone (both: the
    left, as the clause is written); else (all ``not stop``, or unknown) both sides.  Both
    are still computed: their facts read and an undecided one raise as before."""

    def run(env: Any) -> Value:
        outer = env.used_assumptions
        left: set[str] = set()
        right: set[str] = set()
        env.used_assumptions = left
        try:
            x = fa(env)
            env.used_assumptions = right
            y = fb(env)
        except BaseException:
            outer |= left
            outer |= env.used_assumptions
            raise
        finally:
            env.used_assumptions = outer
        outer |= deciding(x, y, stop, left, right)
        return join(x, y)

    return run
