"""A limit per owner in the SQL batch (``limit N per E``): refused by name (E650).

``limit N per E [per year of D]`` (单个企业每年奖励人数不超过 N 人) counts the subjects an
owner's claims paid before in the serving order, undecided claims holding places: not
compiled to SQL yet.  The batch refuses the policy at compile time, located at the
statement, rather than pay every subject.
"""

from __future__ import annotations

from ...check_limits import limit_of
from ...errors import Diagnostic
from ...model import ProvisionInfo
from .plan import BatchCompileError

__all__ = ["refuse_limit"]


def refuse_limit(p: ProvisionInfo) -> None:
    """:raises BatchCompileError: (E650) if ``p`` limits how many subjects it pays per
    owner."""
    lim = limit_of(p)
    if lim is not None:
        raise BatchCompileError(
            Diagnostic(
                "E650",
                f"{p.id}: `limit {lim.count} per {lim.per}` (at most {lim.count} subjects "
                "paid per owner) cannot be compiled to SQL yet",
                lim.span,
                hint="evaluate this policy one firm at a time (policy.evaluate, policyrules "
                "eval): every firm's claims are counted in it",
            )
        )
