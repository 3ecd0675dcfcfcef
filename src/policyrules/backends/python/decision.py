"""The decision of one claim and its texts: a mixin of the run in
:mod:`policyrules.backends.python.evaluate`, which supplies the state read here.

:meth:`DecisionMaker.decision` makes a :class:`~policyrules.decisions.Decision` from what the
evaluator found (status, failed conditions, missing facts, trace); the parameters' and the
assumptions' texts it shows are made once per evaluation and kept.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any, cast

from ...decisions import Status
from ...facts import Instance
from ...model import ClauseInfo, DocumentInfo, ProvisionInfo
from ...result import Decision, Step
from ...runtime.calendar import HOLIDAY_ASSUMPTION, WorkCalendar
from ...runtime.values import Value, format_value
from .compile import CompiledProvision, Env
from .rows import fact_texts

__all__ = ["DecisionMaker"]


class DecisionMaker:
    """Decisions and their texts (a mixin of the evaluator, which supplies the state)."""

    explain: bool
    clauses: Mapping[str, ClauseInfo]
    documents: Mapping[str, DocumentInfo]
    rate_facts: Container[str]
    parameters: Mapping[str, Value]
    parameters_given: frozenset[str]
    assumptions: Mapping[str, Value]
    calendar: WorkCalendar
    _params: dict[str, tuple[tuple[str, str], ...]]
    _params_set: dict[str, tuple[str, ...]]
    _assumed: dict[frozenset[str], tuple[tuple[str, str], ...]]
    _assumption_texts: dict[str, str]

    def decision(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        status: str,
        failed: list[str],
        missing: set[str],
        trace: list[Step],
        extra: dict[str, Any],
        counts_days: bool = False,
    ) -> Decision:
        info = cp.info
        path = extra.pop("path")
        missing = missing | set(extra.pop("missing", set()))
        clause = self.clauses[info.clause]
        doc = self.documents.get(info.document)
        facts: tuple[tuple[str, str], ...] = ()
        params: tuple[tuple[str, str], ...] = ()
        if self.explain:
            facts = fact_texts(env.reads, self.rate_facts)
            params = self._parameter_texts(info)
        else:
            # Without explanations no step is kept but one that changes what the amount
            # means: a higher tier paid in full, the lower tiers paid before not deducted
            # (highest_only), which the text must not say deducted.
            failed, trace = [], [st for st in trace if st.kind == "tiers" and st.ok is None]
        return Decision(
            provision=info.id,
            kind=info.kind,
            document=info.document,
            document_number=doc.number if doc else None,
            clause=info.clause,
            title=info.title or clause.title,
            subject="/".join(i for _, i in path) if inst else None,
            status=cast(Status, status),  # the evaluator's statuses are the Literal's
            reasons=tuple(failed),
            missing_facts=tuple(sorted(m for m in missing if not m.startswith("parameter "))),
            missing_parameters=tuple(
                sorted(m.removeprefix("parameter ") for m in missing if m.startswith("parameter "))
            ),
            facts=facts,
            assumptions=self._assumed_texts(env.used_assumptions, counts_days),
            parameters=params,
            parameters_set=self._parameters_set(info),
            quote=info.quote,
            clause_quote=clause.quote,
            encouraged=info.encouraged,
            trace=tuple(trace),
            **extra,
        )

    def _parameter_texts(self, info: ProvisionInfo) -> tuple[tuple[str, str], ...]:
        """The provision's parameters as its decisions show them (the same for every
        decision of one evaluation: made once)."""
        texts = self._params.get(info.id)
        if texts is None:
            texts = self._params[info.id] = tuple(
                (
                    p,
                    format_value(self.parameters[p], rate=True)
                    if p in self.parameters
                    else "unset",
                )
                for p in info.parameters
            )
        return texts

    def _parameters_set(self, info: ProvisionInfo) -> tuple[str, ...]:
        """The provision's parameters the caller set (``parameters_given``), in its order, as
        its decisions name them beside their texts (none without explanations: nor are
        the texts); made once per evaluation."""
        if not self.explain:
            return ()
        names = self._params_set.get(info.id)
        if names is None:
            given = self.parameters_given
            names = self._params_set[info.id] = tuple(p for p in info.parameters if p in given)
        return names

    def _assumed_texts(self, used: set[str], counts_days: bool) -> tuple[tuple[str, str], ...]:
        """The assumptions a decision used, sorted, with their values' texts (one tuple
        per set of names; the holiday assumption, when days were counted, is its own)."""
        if counts_days:
            listed = [(a, self._assumption_text(a)) for a in used]
            return tuple(sorted(listed + self._calendar_assumption()))
        key = frozenset(used)
        texts = self._assumed.get(key)
        if texts is None:
            texts = self._assumed[key] = tuple(sorted((a, self._assumption_text(a)) for a in used))
        return texts

    def _assumption_text(self, name: str) -> str:
        text = self._assumption_texts.get(name)
        if text is None:
            text = self._assumption_texts[name] = format_value(self.assumptions[name])
        return text

    def _calendar_assumption(self) -> list[tuple[str, str]]:
        """The holiday assumption, when this decision counted days in an unpublished year."""
        years = self.calendar.assumed
        return [(HOLIDAY_ASSUMPTION, self.calendar.describe(years))] if years else []
