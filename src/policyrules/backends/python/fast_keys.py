"""A claim's `order by` keys on plain values, for the fast path (:mod:`.fastpath`): all
at once by their generated function (``FastProvision.order_key``), else one by one, each by
its own or, where that cannot compute it (a fact not given), by its closure (:mod:`.blank`),
an unknown key ordered first (:mod:`.order_hold`).  A key whose facts the subject lacks
every one of (``FastProvision.order_facts``) is the same for every such subject of one
evaluation, with the assumptions it reads: found once and kept; a key the generated code
did not compute so is not tried again by the function of them all.
"""

from __future__ import annotations

from typing import Any

from ...instances import Instance
from ...runtime.order import natural_key
from ...runtime.values import Unknown
from .blank import closure_value, lacks_all
from .codegen import FastProvision, Slow
from .compile import CompiledProvision
from .fast_conditions import FastConditions

__all__ = ["FastKeys"]


class FastKeys(FastConditions):
    """The fast path's `order by` keys (a mixin of the evaluator, which supplies the state)."""

    # `order by` keys of subjects lacking their facts, by (provision id, index): the key,
    # the assumptions it read, whether its generated function did not compute it (Slow).
    _blank_keys: dict[tuple[str, int], tuple[Any, frozenset[str], bool]]

    def _order_keys(
        self, fp: FastProvision, cp: CompiledProvision, inst: Instance, used: set[str]
    ) -> tuple[tuple[int, Any], ...]:
        """The claim's `order by` keys as claim_key orders them, by the generated functions
        (all at once if they can be, else one by one: :meth:`_order_key`), the
        assumptions they read added to ``used``."""
        assert fp.order_key is not None
        pid = cp.info.id
        kept = self._blank_keys
        # Per key: whether the subject lacks every fact it can read (its key found once an
        # evaluation).  One such key the generated code does not compute: neither does
        # the function of them all (the same code, key after key), not tried.
        blank = [facts is not None and lacks_all(facts, inst) for facts in fp.order_facts]
        for n, hit in enumerate(blank):
            if hit and (got := kept.get((pid, n))) is not None and got[2]:
                break
        else:
            try:
                keys: tuple[tuple[int, Any], ...] = fp.order_key(
                    inst, used, self.assumptions, self.parameters
                )
                return keys
            except Slow:
                pass
        return tuple([self._order_key(fp, cp, n, inst, used, blank[n]) for n in range(len(blank))])

    def _order_key(
        self,
        fp: FastProvision,
        cp: CompiledProvision,
        n: int,
        inst: Instance,
        used: set[str],
        blank: bool,
    ) -> Any:
        """An `order by` key as claim_key orders it: unknown ones first (.order_hold).
        ``blank``: the subject lacks every fact it can read: found once an evaluation,
        with the assumptions it reads."""
        if not blank:
            return self._order_key_of(fp, cp, n, inst, used)[0]
        at = (cp.info.id, n)
        hit = self._blank_keys.get(at)
        if hit is None:
            read: set[str] = set()
            key, raised = self._order_key_of(fp, cp, n, inst, read)
            hit = self._blank_keys[at] = (key, frozenset(read), raised)
        used |= hit[1]
        return hit[0]

    def _order_key_of(
        self, fp: FastProvision, cp: CompiledProvision, n: int, inst: Instance, used: set[str]
    ) -> tuple[Any, bool]:
        """:meth:`_order_key`, computed; and whether its generated function raised Slow."""
        try:
            v = fp.order[n](inst, used, self.assumptions, self.parameters)
        except Slow:
            reads = fp.order_reads[n]
            if reads is not None and self._absent(reads, inst):
                return (-1, ()), True
            # as claim_key: a fresh Env, its assumptions kept
            facts = fp.order_facts[n]
            v = closure_value(self._blank, self.env, cp, inst, ("o", n), cp.order[n], facts, used)
            if isinstance(v, Unknown):
                return (-1, ()), True
            return (0, natural_key(v) if isinstance(v, str) else v), True
        return (0, natural_key(v) if isinstance(v, str) else v), False
