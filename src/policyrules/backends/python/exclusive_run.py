"""The evaluator's hooks for exclusivity (issue 11 §6): a mixin of the run in
:mod:`policyrules.backends.python.evaluate`, reading the verdicts :mod:`.exclusive` planned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...decisions_exclusive import Exclusion
from ...model import CheckedPolicy
from ...result import Step
from ...runtime.money import Money
from ...runtime.values import Undecided
from .compile import CompiledProvision
from .exclusive import Claimed, Verdict, superseded_verdict

__all__ = ["ExclusiveHooks"]

Path = tuple[tuple[str, str], ...]


class ExclusiveHooks:
    """``verdicts``: by (provision id, path), from :func:`.exclusive.plan` (``None``: the
    policy has no exclusivity rule, and no hook does anything)."""

    checked: CheckedPolicy
    as_of: dt.date | None
    explain: bool
    verdicts: dict[Claimed, Verdict] | None = None

    def verdict(self, cp: CompiledProvision, path: Path) -> Verdict | None:
        if self.verdicts is None:
            return None
        info = cp.info
        found = superseded_verdict(self.checked, info.document, info.clause, self.as_of)
        return found or self.verdicts.get((info.id, path))

    def exclusive_gate(
        self,
        cp: CompiledProvision,
        path: Path,
        failed: list[str],
        missing: set[str],
        trace: list[Step],
    ) -> tuple[list[str], set[str]]:
        """Conditions as exclusivity leaves them: not eligible when another claim wins or
        a later document supersedes it; unknown (raises :class:`Undecided`) on a tie or an
        unknown day."""
        v = self.verdict(cp, path)
        if v is None:
            return failed, missing
        if v.undecided is not None:
            raise Undecided(v.undecided)
        if v.fail is not None and not failed:
            trace.append(Step("exclusive", v.fail, False))
            return [v.fail], set()
        return failed, missing

    def exclusive_bound(
        self,
        cp: CompiledProvision,
        path: Path,
        kind: str,
        amount_min: Money | None,
        trace: list[Step],
    ) -> tuple[str, Money | None]:
        """An exact amount or a range that another claim may still win over: at most."""
        v = self.verdict(cp, path)
        if v is None or v.bounded is None or kind not in ("exact", "range"):
            return kind, amount_min
        if self.explain:
            trace.append(Step("exclusive", f"{v.bounded}: at most, not exact", None))
        return "up_to", None

    def exclusive_extra(self, cp: CompiledProvision, path: Path) -> dict[str, Any]:
        """``{"exclusivity": Exclusion}`` for the decision, or nothing."""
        v = self.verdict(cp, path)
        note: Exclusion | None = v.note if v is not None else None
        return {"exclusivity": note} if note is not None else {}
