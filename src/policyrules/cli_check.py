"""``policyrules check POLICY --batch``: what ``policyrules batch`` would refuse to compile.

An author learns it before any registry exists: the batch's plan is compiled (no table is
read) and every construct the SQL back end does not compile is printed as ``check`` prints
its diagnostics (file:line:col, the line with a caret, the hint), sorted by file and line,
and the exit status is that of errors found (1); or it says that every provision compiles.
"""

from __future__ import annotations

import argparse
import sys

from .api import Policy
from .backends.sql import BatchCompileError
from .terminal import printable

__all__ = ["add_batch_option", "check_batch"]


def add_batch_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--batch",
        action="store_true",
        help="also compile the batch's plan (no registry read) and list every construct "
        "policyrules batch would refuse (exit 1 if any)",
    )


def check_batch(policy: Policy) -> bool:
    """Print what the batch refuses of ``policy`` (on stderr) or that it refuses nothing
    (on stdout); whether it refuses something."""
    try:
        policy.check_batch()
    except BatchCompileError as exc:
        n = len(exc.diagnostics)
        sys.stderr.write(printable(exc.render(), keep="\n") + "\n")
        sys.stderr.write(
            f"\nbatch: {n} construct{'s' if n != 1 else ''} not compiled to SQL; "
            "`policyrules batch` refuses this policy\n"
        )
        return True
    provisions = [p for p in policy.checked.provisions() if p.kind != "declaration"]
    sys.stdout.write(
        f"batch: every provision compiles to SQL ({len(provisions)} provision(s), "
        "declarations aside)\n"
    )
    return False
