"""What the worked cases exercise (``policyrules test --coverage``, as ``opa test --coverage``).

Counted from the evaluator's own trace (:class:`~policyrules.decisions.Step`) and cap events
of the decisions the cases assert, never by instrumenting the evaluator again: per
provision, how many asserted decisions it had; per condition (each conjunct of an
``eligible when`` line, in the trace's order) how often it was true, false and unknown; per
cap how often it bound, did not bind, or had an unknown limit; and which outcomes
(*branches*: eligible / not eligible / unknown, met / not met / pending) the cases reached
of those the provision can reach.  A decision the evaluator makes but no case asserts is not
counted: coverage is what the cases test.

The branches of an ``if … then … else`` inside an expression are not counted: the trace does
not record which arm was taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .api import Policy
from .backends.python.compile import CompiledProvision
from .cases_run import CaseResult
from .terminal import printable

__all__ = [
    "CapCount",
    "ConditionCount",
    "ProvisionCoverage",
    "case_coverage",
    "case_coverage_json",
    "case_coverage_text",
]


@attrs.frozen
class ConditionCount:
    """One condition of a provision and how often the asserted decisions found it true,
    false and unknown (a missing fact, or an undecided value)."""

    text: str
    true: int = 0
    false: int = 0
    unknown: int = 0

    @property
    def covered(self) -> bool:
        """Seen both true and false."""
        return self.true > 0 and self.false > 0


@attrs.frozen
class CapCount:
    """One cap of a provision: how often it bound, did not, or had an unknown limit."""

    text: str
    bound: int = 0
    not_bound: int = 0
    unknown: int = 0

    @property
    def covered(self) -> bool:
        """Bound at least once."""
        return self.bound > 0


@attrs.frozen
class ProvisionCoverage:
    """One provision: the asserted decisions, its conditions and caps, and the outcomes
    reached (``outcomes``: status -> count) of those it can reach (``reachable``)."""

    id: str
    kind: str
    decisions: int
    conditions: tuple[ConditionCount, ...]
    caps: tuple[CapCount, ...]
    outcomes: tuple[tuple[str, int], ...]
    reachable: tuple[str, ...]

    @property
    def untested_outcomes(self) -> tuple[str, ...]:
        seen = {s for s, n in self.outcomes if n}
        return tuple(s for s in self.reachable if s not in seen)


def _reachable(cp: CompiledProvision) -> tuple[str, ...]:
    """The statuses a provision can give: not eligible only with a condition or a one-time
    rule, unknown with a condition or an amount or a deadline that can lack a fact."""
    info = cp.info
    out = []
    if info.kind in ("award", "entitlement"):
        out.append("eligible")
    if cp.conditions or info.once:
        out.append("not_eligible")
    if info.kind == "deadline":
        out += ["met", "not_met", "pending"]
    if info.kind == "target":
        out += ["met", "not_met"]
    if info.kind != "declaration":
        out.append("unknown")
    return tuple(out)


def case_coverage(policy: Policy, results: Iterable[CaseResult]) -> list[ProvisionCoverage]:
    """One row per provision of ``policy`` (declarations aside), in policy order, counting
    the decisions the cases in ``results`` assert."""
    by_id: dict[str, list[Any]] = {}
    for r in results:
        seen: set[tuple[str, str | None]] = set()
        for d in r.decisions:
            if (d.provision, d.subject) not in seen:  # a decision asserted twice counts once
                seen.add((d.provision, d.subject))
                by_id.setdefault(d.provision, []).append(d)
    out = []
    for cp in policy.compiled.provisions:
        if cp.info.kind == "declaration":
            continue
        decisions = by_id.get(cp.info.id, [])
        conds = [[0, 0, 0] for _ in cp.conditions]  # true, false, unknown
        caps = {c.text: [0, 0, 0] for c in cp.caps}
        outcomes: dict[str, int] = {}
        for d in decisions:
            outcomes[d.status] = outcomes.get(d.status, 0) + 1
            steps = [s for s in d.trace if s.kind == "condition"]
            # The evaluator traces every condition once, in the provision's order.
            for count, step in zip(conds, steps, strict=False):
                count[0 if step.ok is True else 1 if step.ok is False else 2] += 1
            for ev in d.caps:
                if ev.cap in caps:
                    caps[ev.cap][0 if ev.binding else 2 if ev.limit is None else 1] += 1
        reachable = _reachable(cp)
        out.append(
            ProvisionCoverage(
                cp.info.id,
                cp.info.kind,
                len(decisions),
                tuple(
                    ConditionCount(c.text, *n) for c, n in zip(cp.conditions, conds, strict=True)
                ),
                tuple(CapCount(t, *n) for t, n in caps.items()),
                tuple((s, outcomes.get(s, 0)) for s in dict.fromkeys([*reachable, *outcomes])),
                reachable,
            )
        )
    return out


def _totals(rows: list[ProvisionCoverage]) -> dict[str, tuple[int, int]]:
    """(covered, total) of provisions, conditions, caps and outcomes."""
    return {
        "provisions": (sum(1 for r in rows if r.decisions), len(rows)),
        "conditions": (
            sum(1 for r in rows for c in r.conditions if c.covered),
            sum(len(r.conditions) for r in rows),
        ),
        "caps": (sum(1 for r in rows for c in r.caps if c.covered), sum(len(r.caps) for r in rows)),
        "outcomes": (
            sum(len(r.reachable) - len(r.untested_outcomes) for r in rows),
            sum(len(r.reachable) for r in rows),
        ),
    }


def _percent(done: int, total: int) -> str:
    # Integer arithmetic, rounded down: 199/200 shows 99%, never 100%.
    return f"{done * 100 // total}%" if total else "—"


def case_coverage_text(rows: list[ProvisionCoverage], *, all_rows: bool = False) -> str:
    """Per provision what the cases left untested (every provision with ``all_rows``), then
    the totals: ``conditions: 40/52 seen true and false (76%)``."""
    lines: list[str] = []
    for r in rows:
        gaps = [] if r.decisions else ["no case asserts a decision of it"]
        if r.decisions:
            gaps += [
                f"condition never {'true' if not c.true else 'false'}"
                f"{' nor false' if not c.true and not c.false else ''}: {c.text}"
                for c in r.conditions
                if not c.covered
            ]
            gaps += [f"cap never binds: {c.text}" for c in r.caps if not c.covered]
            gaps += [f"outcome never reached: {s}" for s in r.untested_outcomes]
        if gaps or all_rows:
            lines.append(f"{r.id} ({r.kind}, {r.decisions} asserted decision(s))")
            lines.extend(f"  · {g}" for g in gaps)
            if all_rows:
                lines.extend(
                    f"  {c.text}: true {c.true}, false {c.false}, unknown {c.unknown}"
                    for c in r.conditions
                )
                lines.extend(
                    f"  cap {c.text}: bound {c.bound}, not bound {c.not_bound}, unknown {c.unknown}"
                    for c in r.caps
                )
                lines.append("  outcomes: " + ", ".join(f"{s} {n}" for s, n in r.outcomes))
    if lines:
        lines.append("")
    what = {
        "provisions": "with an asserted decision",
        "conditions": "seen true and false",
        "caps": "bound at least once",
        "outcomes": "reached",
    }
    for name, (done, total) in _totals(rows).items():
        lines.append(f"{name}: {done}/{total} {what[name]} ({_percent(done, total)})")
    return "\n".join(printable(line) for line in lines) + "\n"


def case_coverage_json(rows: list[ProvisionCoverage]) -> dict[str, Any]:
    """The same as JSON-ready data: ``provisions`` (each with its conditions, caps,
    outcomes and untested outcomes) and ``totals`` (``{covered, total}`` by kind)."""
    return {
        "provisions": [
            {
                "id": r.id,
                "kind": r.kind,
                "decisions": r.decisions,
                "conditions": [attrs.asdict(c) | {"covered": c.covered} for c in r.conditions],
                "caps": [attrs.asdict(c) | {"covered": c.covered} for c in r.caps],
                "outcomes": dict(r.outcomes),
                "untested_outcomes": list(r.untested_outcomes),
            }
            for r in rows
        ],
        "totals": {k: {"covered": a, "total": b} for k, (a, b) in _totals(rows).items()},
    }
