"""``eval`` and ``explain`` on one firm of a registry: what they read in place of a facts file.

A directory of tables or a DuckDB file given where a facts file goes is a registry, of which
``--firm`` names the firms (:meth:`policyrules.Policy.registry_facts`: the batch's reading).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .api import Policy
from .errors import Diagnostic, PolicyRulesError
from .instances import Facts
from .reading import Limits

__all__ = ["facts_or_registry"]


def facts_or_registry(policy: Policy, args: argparse.Namespace, limits: Limits | None) -> Facts:
    """``args.facts``: a facts file, or a registry (a directory of tables, a DuckDB file) of
    which ``--firm`` names the firms (:meth:`Policy.registry_facts`)."""
    firms = list(getattr(args, "firm", None) or [])
    path = Path(str(args.facts))
    if args.facts != "-" and (path.is_dir() or _duckdb_file(path)):
        return policy.registry_facts(path, firms)
    if firms:
        raise PolicyRulesError(
            Diagnostic(
                "E635",
                f"--firm names a firm of a registry, but {args.facts} is a facts file",
                hint="give the registry (a directory of tables or a DuckDB file), or drop --firm",
            )
        )
    return policy.load_facts(args.facts, limits)


def _duckdb_file(path: Path) -> bool:
    if not path.is_file():
        return False
    from .tables_find import looks_like_duckdb  # DuckDB is loaded only for a registry

    try:
        with path.open("rb") as f:
            return looks_like_duckdb(f.read(16))
    except OSError:
        return False  # the facts reader says why
