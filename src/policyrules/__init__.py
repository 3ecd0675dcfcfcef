"""policyrules: rules-as-code for Chinese industrial policy.

Parse ``.rule`` files, check names, types and units, compile once, evaluate facts many times,
and explain every decision with the clause's own words::

    policy = policyrules.load("policies/beijing_2025")      # parse + check + compile
    result = policy.evaluate(facts, ledger=earlier_grants)   # pure
    print(result.explain())                                  # or result.to_json()
"""

from __future__ import annotations

from .api import Policy, load
from .backends.python.compile import compile_policy
from .check import check
from .decisions import AmountKind, Status
from .errors import (
    CalendarError,
    Diagnostic,
    EvaluationError,
    FactsError,
    LedgerError,
    PolicyNotFoundError,
    PolicyRulesError,
    RuleCheckError,
    RuleSyntaxError,
    Span,
    TableError,
)
from .parse import parse
from .printer import print_module
from .result import Decision, Result
from .runtime.ledger import Grant, Ledger
from .runtime.money import Money
from .store import LedgerStore

__all__ = [
    "AmountKind",
    "CalendarError",
    "Decision",
    "Diagnostic",
    "EvaluationError",
    "FactsError",
    "Grant",
    "Ledger",
    "LedgerError",
    "LedgerStore",
    "Money",
    "Policy",
    "PolicyNotFoundError",
    "PolicyRulesError",
    "Result",
    "RuleCheckError",
    "RuleSyntaxError",
    "Span",
    "Status",
    "TableError",
    "check",
    "compile_policy",
    "load",
    "parse",
    "print_module",
]

__version__ = "0.1.0"
