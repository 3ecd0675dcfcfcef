"""A claim's conditions on plain values, for the fast path (:mod:`.fastpath`): each
condition by its generated function, a strict one that reads a fact or parameter not
given unknown, any other by its closure (:mod:`.blank`); the outcome for the subjects
lacking every fact the conditions read found once an evaluation
(:func:`~.blank.conditions_once`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...instances import Instance
from ...runtime.values import Undecided, Unknown, Value
from .blank import closure_value, conditions_once, lacks_all
from .codegen import FastProvision, Reads, Slow
from .compile import CompiledProvision, Env

__all__ = ["FastConditions"]

_NONE: frozenset[str] = frozenset()
# Where the generated conditions read their assumptions when all are computed at once:
# which count is known from their values (FastProvision.condition_assumed); never read.
_SINK: set[str] = set()


class FastConditions:
    """The fast path's conditions (a mixin of the evaluator, which supplies the state)."""

    explain: bool
    parameters: Mapping[str, Value]
    assumptions: Mapping[str, Value]
    # Closures' values, and conditions' outcomes, for subjects lacking their facts (.blank).
    _blank: dict[Any, tuple[Value, frozenset[str]]]
    _blank_conditions: dict[str, Any]

    def env(self, cp: CompiledProvision, inst: Instance | None) -> Env:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _conditions(
        self, fp: FastProvision, cp: CompiledProvision, inst: Instance, used: set[str]
    ) -> tuple[bool, frozenset[str]]:
        """Whether a condition is false, else the facts and parameters that would decide
        the unknown ones (none: all hold).  Every condition is computed, as the general way
        does (each may read assumptions); one that reads a fact or parameter not given is
        unknown, missing them if it is strict, else it is computed by its closure.
        :raises Slow: a closure is undecided (the general way says why)."""
        if fp.conditions_facts is None:
            return self._conditions_of(fp, cp, inst, used)
        return conditions_once(self._blank_conditions, fp, cp, inst, used, self._conditions_of)

    def _conditions_of(
        self,
        fp: FastProvision,
        cp: CompiledProvision,
        inst: Instance,
        used: set[str],
    ) -> tuple[bool, frozenset[str]]:
        a, p = self.assumptions, self.parameters
        if fp.all_conditions is not None:
            try:
                values = fp.all_conditions(inst, _SINK, a, p)
            except Slow:
                pass  # one by one: an unknown one may yet be decided by a false one
            else:
                # the conditions are an `and`: refused, the first false one's assumptions
                for n, value in enumerate(values):
                    if not value:
                        used |= fp.condition_assumed[n]
                        return True, _NONE
                used |= fp.conditions_assumed
                return False, _NONE
        return self._each_condition(fp, cp, inst, used)

    def _each_condition(
        self,
        fp: FastProvision,
        cp: CompiledProvision,
        inst: Instance,
        used: set[str],
    ) -> tuple[bool, frozenset[str]]:
        """:meth:`_conditions` one condition at a time."""
        a, p = self.assumptions, self.parameters
        failed = False
        missing: frozenset[str] = _NONE
        closed = False  # with explanations, a closure computed
        # Each condition's assumptions apart: refused, the first false one's only.
        assumed: list[set[str]] = []
        first: set[str] | None = None
        for n, f in enumerate(fp.conditions):
            mine: set[str] = set()
            assumed.append(mine)
            try:
                if not f(inst, mine, a, p):
                    failed = True
                    first = mine if first is None else first
                continue
            except Slow:
                reads = fp.condition_reads[n]
                gone = self._absent(reads, inst) if reads is not None else _NONE
            if gone:
                missing |= gone
                continue
            # Not strict: this condition's closure, three-valued.  What the generated code
            # read before it stopped, the closure reads too.  With explanations the row's
            # decision would compute it again: the claim goes the general way at once,
            # unless its subject lacks every fact the conditions read (found once an
            # evaluation, .blank) and the outcome is unknown (checked below).
            if self.explain:
                facts_all = fp.conditions_facts
                if facts_all is None or not lacks_all(facts_all, inst):
                    raise Slow
                closed = True
            try:
                fn, facts = cp.conditions[n].fn, fp.condition_facts[n]
                value = closure_value(self._blank, self.env, cp, inst, ("c", n), fn, facts, mine)
            except Undecided:
                raise Slow from None
            if isinstance(value, Unknown):
                missing |= value.missing
            elif not value:
                failed = True
                first = mine if first is None else first
        if closed and (failed or not missing):
            # decided by a closure: the texts of its row would not say it as the general
            # way does (they read the conditions' facts as given), so the general way
            raise Slow
        if first is None:
            used.update(*assumed)
        else:
            used |= first
        # A false condition settles the decision: no missing fact could change it.
        return failed, _NONE if failed else missing

    def _absent(self, reads: Reads, inst: Instance) -> frozenset[str]:
        """Which of the facts and parameters ``reads`` are not given (their names as an
        unknown value names them)."""
        out: set[str] = set()
        for entity, name, key in reads:
            if not entity:
                if name not in self.parameters:
                    out.add(key)
                continue
            owner: Instance | None = inst
            while owner is not None and owner.entity != entity:
                owner = owner.parent
            if owner is None or (name != "id" and name not in owner.values):
                out.add(key)
        return frozenset(out)
