"""``eval`` and ``explain`` on one firm of a registry: what they read in place of a facts file.

A directory of tables or a DuckDB file given where a facts file goes is a registry, of which
``--firm`` names the firms (:meth:`policyrules.Policy.registry_facts`: the batch's reading).
The registry's single records (``reports``) come along, for the firms' provisions that
read them; the decisions on them (an agency's targets) are not the firms', so ``eval``
shows them only with ``--records`` (:func:`firms_own`) and otherwise says how many it
left out: the batch writes them for the whole registry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .api import Policy
from .errors import Diagnostic, PolicyRulesError
from .instances import Facts
from .reading import Limits
from .registry_facts import FIRM
from .result import Result
from .terminal import printable

__all__ = ["add_records_option", "facts_or_registry", "firms_own"]


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


def firms_own(policy: Policy, args: argparse.Namespace, result: Result) -> Result:
    """``result`` as ``eval REGISTRY --firm F`` shows it: the decisions on the firms'
    subjects, without those on the registry's single records (unless ``--records``),
    which a note on stderr counts.  The grants are the evaluation's, all of them."""
    firms = list(getattr(args, "firm", None) or [])
    if not firms or getattr(args, "records", False):
        return result
    checked = policy.checked
    wide = {
        p.id: p.subject
        for p in checked.provisions()
        if FIRM not in (e.name for e in checked.chain(p.subject))
    }
    kept = tuple(d for d in result.decisions if d.provision not in wide)
    left = len(result.decisions) - len(kept)
    if not left:
        return result
    records = sorted({str(wide[d.provision]) for d in result.decisions if d.provision in wide})
    n = "1 decision" if left == 1 else f"{left} decisions"
    whose = ", ".join(firms)
    sys.stderr.write(
        printable(
            f"note: {n} on the registry's single records ({', '.join(records)}: the "
            f"agency's, not firm {whose}'s) not shown; add --records to show them "
            "(policyrules batch gives them for the whole registry)\n",
            keep="\n",
        )
    )
    return Result(kept, tuple(result.grants), result.assumptions).with_words(policy.words)


def add_records_option(parser: argparse.ArgumentParser) -> None:
    """``eval``'s ``--records`` (:func:`firms_own`)."""
    parser.add_argument(
        "--records",
        action="store_true",
        help="with a registry and --firm: also show the decisions on the registry's single "
        "records (reports: an agency's targets, not the firm's)",
    )


def _duckdb_file(path: Path) -> bool:
    if not path.is_file():
        return False
    from .tables_find import looks_like_duckdb  # DuckDB is loaded only for a registry

    try:
        with path.open("rb") as f:
            return looks_like_duckdb(f.read(16))
    except OSError:
        return False  # the facts reader says why
