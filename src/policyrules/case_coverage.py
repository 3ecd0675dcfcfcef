"""What the worked cases exercise (``policyrules test --coverage``, as ``opa test --coverage``).

Counted from the evaluator's own trace (:class:`~policyrules.decisions.Step`) and cap events
of the decisions the cases assert, never by instrumenting the evaluator again: per
provision, how many asserted decisions it had; per condition (each conjunct of an
``eligible when`` line, in the trace's order) how often it was true, false and unknown; per
cap how often it bound, did not bind, or had an unknown limit; and which outcomes
(*branches*: eligible / not eligible / unknown, met / not met / pending) the cases reached
of those the provision can reach.  A decision the evaluator makes but no case asserts is not
counted: coverage is what the cases test.

Per exclusive group (``exclusive A, B among E keep …``, 就高不重复), how often the asserted
decisions of its awards saw it decide (one claim paid over another, or refused for an
earlier grant), tie (E423, ``keep highest`` without ``ties by listed``) or stay undecided (a
claim not yet known): a group no case saw deciding is untested, as a condition never false.

The branches of an ``if … then … else`` inside an expression are not counted: the trace does
not record which arm was taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .api import Policy
from .backends.python.compile import CompiledProvision
from .cases_run import CaseResult
from .terminal import printable

__all__ = [
    "CapCount",
    "ConditionCount",
    "GroupCoverage",
    "ProvisionCoverage",
    "case_coverage",
    "case_coverage_json",
    "case_coverage_text",
    "exclusive_coverage",
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


@attrs.frozen
class GroupCoverage:
    """One exclusive group: its clause, awards (ids), ``among`` entity and rule as written
    (``keep highest``), how many asserted decisions it touched, the outcomes reached
    (``decided``: a claim won or lost; ``tie``; ``undecided``) of those it can reach."""

    clause: str
    awards: tuple[str, ...]
    among: str
    rule: str
    decisions: int
    outcomes: tuple[tuple[str, int], ...]
    reachable: tuple[str, ...]

    @property
    def untested_outcomes(self) -> tuple[str, ...]:
        seen = {s for s, n in self.outcomes if n}
        return tuple(s for s in self.reachable if s not in seen)


# An exclusion's outcome (decisions_exclusive.OUTCOMES) as the group's coverage counts it.
_GROUP_OUTCOMES = {"paid": "decided", "not_paid": "decided", "tie": "tie", "undecided": "undecided"}


def exclusive_coverage(policy: Policy, results: Iterable[CaseResult]) -> list[GroupCoverage]:
    """One row per exclusive group of ``policy``, in policy order, counting the decisions
    of its awards the cases in ``results`` assert that the group touched."""
    rows = []
    for g in policy.checked.exclusivity.groups:
        counts = dict.fromkeys(("decided", "tie", "undecided"), 0)
        for r in results:
            seen: set[tuple[str, str | None]] = set()
            for d in r.decisions:
                x = d.exclusivity
                if (d.provision, d.subject) in seen or d.provision not in g.awards or x is None:
                    continue
                seen.add((d.provision, d.subject))
                if x.clause == g.clause and x.outcome in _GROUP_OUTCOMES:
                    counts[_GROUP_OUTCOMES[x.outcome]] += 1
        # equal amounts are a tie only under `keep highest` without `ties by listed`
        ties = g.keep == "highest" and g.ties is None
        reachable = ("decided", *(("tie",) if ties else ()), "undecided")
        rule = f"keep {g.keep}" + (f" ties by {g.ties}" if g.ties else "")
        rows.append(
            GroupCoverage(
                g.clause,
                g.awards,
                g.among,
                rule,
                sum(counts.values()),
                tuple((k, n) for k, n in counts.items() if k in reachable or n),
                reachable,
            )
        )
    return rows


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


def _totals(
    rows: list[ProvisionCoverage], groups: Sequence[GroupCoverage] = ()
) -> dict[str, tuple[int, int]]:
    """(covered, total) of provisions, conditions, caps and outcomes; of exclusive groups
    (seen deciding), when the policy has any."""
    decided = sum(1 for g in groups if "decided" not in g.untested_outcomes)
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
    } | ({"exclusive_groups": (decided, len(groups))} if groups else {})


def _percent(done: int, total: int) -> str:
    # Integer arithmetic, rounded down: 199/200 shows 99%, never 100%.
    return f"{done * 100 // total}%" if total else "—"


def _group_lines(g: GroupCoverage, all_rows: bool) -> list[str]:
    """A group's untested outcomes (and its counts, with ``all_rows``), or nothing."""
    names = ", ".join(a.rsplit("/", 1)[-1] for a in g.awards)
    gaps = [] if g.decisions else ["no case asserts a decision the group touched"]
    if g.decisions:
        said = {
            "decided": "decided: no case has one claim win over another",
            "tie": "tie: no case has equal amounts with no tie rule (E423)",
            "undecided": "undecided: no case has a claim not yet known beside another",
        }
        gaps += [f"outcome never reached: {said[o]}" for o in g.untested_outcomes]
    if not gaps and not all_rows:
        return []
    head = f"exclusive {names} among {g.among} {g.rule} (clause {g.clause}, "
    lines = [head + f"{g.decisions} asserted decision(s))", *(f"  · {x}" for x in gaps)]
    if all_rows:
        lines.append("  outcomes: " + ", ".join(f"{s} {n}" for s, n in g.outcomes))
    return lines


def case_coverage_text(
    rows: list[ProvisionCoverage],
    *,
    all_rows: bool = False,
    groups: Sequence[GroupCoverage] = (),
) -> str:
    """Per provision, then per exclusive group, what the cases left untested (every one
    with ``all_rows``), then the totals: ``conditions: 40/52 seen true and false (76%)``."""
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
    for g in groups:
        lines.extend(_group_lines(g, all_rows))
    if lines:
        lines.append("")
    what = {
        "provisions": "with an asserted decision",
        "conditions": "seen true and false",
        "caps": "bound at least once",
        "outcomes": "reached",
        "exclusive_groups": "seen deciding (one claim paid over another)",
    }
    for name, (done, total) in _totals(rows, groups).items():
        shown = name.replace("_", " ")
        lines.append(f"{shown}: {done}/{total} {what[name]} ({_percent(done, total)})")
    return "\n".join(printable(line) for line in lines) + "\n"


def case_coverage_json(
    rows: list[ProvisionCoverage], groups: Sequence[GroupCoverage] = ()
) -> dict[str, Any]:
    """The same as JSON-ready data: ``provisions`` (each with its conditions, caps,
    outcomes and untested outcomes), ``exclusive_groups`` (each with its outcomes and
    untested outcomes) and ``totals`` (``{covered, total}`` by kind)."""
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
        "exclusive_groups": [
            {
                "clause": g.clause,
                "awards": list(g.awards),
                "among": g.among,
                "rule": g.rule,
                "decisions": g.decisions,
                "outcomes": dict(g.outcomes),
                "untested_outcomes": list(g.untested_outcomes),
            }
            for g in groups
        ],
        "totals": {k: {"covered": a, "total": b} for k, (a, b) in _totals(rows, groups).items()},
    }
