"""A pytest plugin: a policy's worked cases as test items, so ``pytest`` runs them.

Registered through the ``pytest11`` entry point: installing policyrules is enough.  Every
``*.yaml``/``*.yml`` file in a directory named ``cases`` whose parent directory holds
``.rule`` files (``mypolicy/cases/*.yaml`` next to ``mypolicy/*.rule``) is collected when
pytest walks it; each case is one item, run by :func:`policyrules.cases_run.run_case`, and
a failure shows the runner's own text, expected beside computed.  A policy that does not
load, or a malformed case file, is a collection error with the located diagnostics; a fault
inside one case (a bad expectation) fails that case's item alone, with its diagnostics.

The ini option ``policyrules_cases = false`` turns collection off (this project sets it: its
own cases run through ``tests/policies/test_cases.py``, so they are never collected twice).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .api import Policy, load
from .cases import WorkedCase, load_case_file
from .cases_run import CaseResult, failure_text, run_case
from .errors import PolicyRulesError

__all__ = ["CaseFailed", "CaseItem", "CasesFile", "pytest_addoption", "pytest_collect_file"]

_POLICIES = pytest.StashKey[dict[Path, Policy]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "policyrules_cases",
        "collect the worked cases (POLICY/cases/*.yaml next to .rule files) as test items",
        type="bool",
        default=True,
    )


def _is_case_file(path: Path) -> bool:
    return (
        path.suffix in (".yaml", ".yml")
        and path.parent.name == "cases"
        and any(path.parent.parent.glob("*.rule"))
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.getini("policyrules_cases") and _is_case_file(file_path):
        found: CasesFile = CasesFile.from_parent(parent, path=file_path)
        return found
    return None


class CaseFailed(Exception):
    """A case whose computed decisions differ from what it expects."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.id)
        self.result = result


class CasesFile(pytest.File):
    """A case file: one :class:`CaseItem` per case, against the policy of its directory."""

    def policy(self) -> Policy:
        directory = self.path.parent.parent.resolve()
        cache = self.config.stash.setdefault(_POLICIES, {})
        if directory not in cache:
            cache[directory] = load(directory)
        return cache[directory]

    def collect(self) -> Any:
        try:
            policy = self.policy()
            case_file = load_case_file(self.path, policy.checked, keep_faulty=True)
        except PolicyRulesError as exc:
            raise self.CollectError(exc.render()) from None
        for case in case_file.cases:
            yield CaseItem.from_parent(self, name=case.name, policy=policy, case=case)


class CaseItem(pytest.Item):
    """One worked case."""

    def __init__(self, *, policy: Policy, case: WorkedCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy
        self.case = case

    def runtest(self) -> None:
        result = run_case(self.policy, self.case)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailed):
            return failure_text(excinfo.value.result)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case {self.case.name}"
