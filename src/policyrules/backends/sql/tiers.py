"""Refusals of the tier constructs the SQL batch does not compile yet, each located.

* E612 — a tier table read (``T[x]``, ``x reaches T``), or a tier reading (``tiers by``:
  ``highest_only`` needs the tier of each grant);
* E613 — an amount in another currency (美元, 欧元), a dated exchange rate, ``convert()``;
* E614 — a quota (``quota N ranked by F``).

The batch refuses such a policy before anything runs; ``policy.evaluate`` computes them.
"""

from __future__ import annotations

from ... import syntax as s
from ...errors import Diagnostic
from ...model import CheckedPolicy, ProvisionInfo
from ...printer import print_expr
from ...runtime.currency import UNITS
from .plan import BatchCompileError

__all__ = ["refuse_currency", "refuse_tiers"]

_HINT = "evaluate this policy one by one (policy.evaluate)"


def refuse_tiers(p: ProvisionInfo) -> None:
    """:raises BatchCompileError: (E612-E614) if ``p`` uses a tier table, a tier reading
    or a quota, naming the construct, the provision and where it is written."""
    for st in p.node.body:
        if isinstance(st, s.Tiers):
            raise _refuse("E612", p, f"the tier reading `tiers by {st.assumption}`", st)
        if isinstance(st, s.Quota):
            raise _refuse("E614", p, f"the quota `quota {st.count} ranked by {st.rank}`", st)
    stack: list[s.Node] = [p.node]
    while stack:
        node = stack.pop()
        if isinstance(node, s.TableAt | s.Reaches):
            raise _refuse("E612", p, f"the tier table read `{print_expr(node)}`", node)
        stack.extend(reversed(s.children(node)))


def refuse_currency(p: ProvisionInfo, policy: CheckedPolicy) -> None:
    """:raises BatchCompileError: (E613) if ``p`` reads an amount in another currency or an
    exchange rate, or converts one, naming what and where."""
    stack: list[s.Node] = [p.node]
    while stack:
        node = stack.pop()
        what = None
        if isinstance(node, s.MoneyLit) and node.unit in UNITS:
            what = f"the amount in another currency `{print_expr(node)}`"
        elif isinstance(node, s.Call) and node.func == "convert":
            what = f"the conversion `{print_expr(node)}`"
        elif isinstance(node, s.Name):
            r = policy.resolve(node.parts, p.subject)
            if r is not None and r.type.kind in ("money", "exchange") and r.type.unit:
                what = f"`{node.dotted}` ({r.type.describe()})"
        if what is not None:
            raise _refuse("E613", p, what, node)
        stack.extend(reversed(s.children(node)))


def _refuse(code: str, p: ProvisionInfo, what: str, node: s.Node) -> BatchCompileError:
    return BatchCompileError(
        Diagnostic(code, f"{p.id}: {what} cannot be compiled to SQL yet", node.span, hint=_HINT)
    )
