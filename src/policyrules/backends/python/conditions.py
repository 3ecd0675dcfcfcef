"""The conditions of a provision in the general (traced) way: each condition's value, why
a false one does not hold, and which missing facts would settle an unknown decision.

Mixed into the evaluator (:mod:`policyrules.backends.python.evaluate`), which supplies
whether to explain and the per-evaluation cache of which provisions call ``known()``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...result import Step
from ...runtime.values import NoneValue, Undecided, Unknown, format_value
from .compile import CompiledPolicy, CompiledProvision, Condition, Env, Fn

__all__ = ["Conditions"]


class Conditions:
    """A provision's conditions, evaluated and explained (a mixin of the evaluator)."""

    explain: bool
    policy: CompiledPolicy
    # what a claim outside a document's days is outside of, by document and first day
    _outside: dict[tuple[str, Any], str]

    def conditions(
        self, cp: CompiledProvision, env: Env, trace: list[Step]
    ) -> tuple[list[str], set[str]]:
        failed: list[str] = []
        missing: set[str] = set()
        undecided: list[Undecided] = []
        explain = self.explain
        # The conditions are an `and`: refused, only the first false one's assumptions are
        # listed (the others did not decide); else every one's (docs/language.md).
        outer, first = env.used_assumptions, None
        assumed: list[set[str]] = []
        for cond in cp.conditions:
            # reads only grow, by insertion: the keys a condition read first come after these
            before = len(env.reads) if explain else None
            noted = len(env.notes)
            mine: set[str] = set()
            env.used_assumptions = mine
            assumed.append(mine)
            try:
                value = cond.fn(env)
            except Undecided as why:  # like an unknown: a false condition still decides
                undecided.append(why)
                if explain:
                    trace.append(Step("condition", f"{cond.text}: {why.reason}", None))
                continue
            if explain and len(env.notes) > noted:  # the defines it read, with their values
                trace.extend(Step("define", n, None) for n in dict.fromkeys(env.notes[noted:]))
            if isinstance(value, Unknown):
                missing |= value.missing
                if explain:
                    needs = ", ".join(sorted(value.missing))
                    trace.append(Step("condition", f"{cond.text}: unknown (needs {needs})", None))
            elif before is None:
                if not value:
                    failed.append(cond.text)  # not shown: reasons are explanations
            else:
                trace.append(Step("condition", cond.text, bool(value)))
                if not value:
                    seen = list(env.reads)[before:]
                    failed.append(self.why_not(cond, env, seen))
            if first is None and not isinstance(value, Unknown) and not value:
                first = mine
        env.used_assumptions = outer
        if first is None:
            outer.update(*assumed)
        else:
            outer |= first
        if undecided and not failed:
            raise undecided[0]
        # A false condition settles the decision: no missing fact could change it.
        if failed or not missing:
            return failed, set()
        return failed, self.settle(cp, env, [c.fn for c in cp.conditions], missing)

    def settle(self, cp: CompiledProvision, env: Env, fns: list[Fn], missing: set[str]) -> set[str]:
        """A set of facts that, given any values, settles every one of ``fns``: ``missing``
        and, until nothing more appears, the facts an unknown value still needs once those
        are taken as given (``known(x)`` then true for them: a guard such as
        ``not known(x) or ok`` waits on ``ok`` once ``x`` is given).  Run only for a
        decision that is unknown, or an amount that is only "up to"; without ``known()`` in
        the provision, that set is ``missing`` itself."""
        if cp.info.id not in self.policy.calls_known:
            return missing
        present = frozenset(missing)
        while True:
            more: set[str] = set()
            scratch = attrs.evolve(env.scratch(), present=present)
            for fn in fns:
                value = fn(scratch)
                if isinstance(value, Unknown):
                    more |= value.missing
            if more <= present:
                return set(present)
            present |= more

    def why_not(self, cond: Condition, env: Env, seen: list[str]) -> str:
        if cond.operand is not None and env.document is not None:
            doc = env.document
            value = cond.operand(env)
            if isinstance(value, NoneValue):  # stated none: nothing happened to be in force
                # (the start is not read: `in force` of none reads no assumption)
                return f"{cond.text} does not hold ({format_value(value)})"
            start = env.assumption(doc.events_from) if doc.events_from else doc.valid_from
            key = (doc.name, start)
            where = self._outside.get(key)
            if where is None:  # the same for every claim refused by the document's days
                span = f"{format_value(start)} – {doc.valid_to or 'open'}"
                where = f"the validity of {doc.number or doc.name} ({span})"
                if doc.events_from:
                    where += f"; events count from {doc.events_from}"
                self._outside[key] = where
            return f"{cond.text}: {format_value(value)} is outside {where}"
        shown = ", ".join(f"{k.split('.', 1)[-1]} = {format_value(env.reads[k])}" for k in seen)
        return f"{cond.text} does not hold" + (f" ({shown})" if shown else "")
