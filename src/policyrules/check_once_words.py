"""W269: an award whose quote says 一次性 (a one-time award) and no ``once per`` says so.

「对…获批上市的医疗器械产品给予一次性资金奖励」 encoded without ``once per product`` pays the
product again at the next evaluation against the ledger: nothing in the rules remembers that it
was paid.  So an award whose quote (its own ``quote``, else its clause's) says 一次性 and that
holds no ``once per`` statement is warned at its name.  Where the text means a sum paid at once
that a subject may earn again (每年一次性拨付), a ``note`` of the award or its clause quoting
“一次性” is the author's reading and silences the warning.
"""

from __future__ import annotations

from . import syntax as s
from .check_reading import reading
from .errors import Diagnostic

__all__ = ["ONE_TIME", "once_warnings"]

ONE_TIME = "一次性"


def once_warnings(clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W269 for each award of ``clause`` (whose quote is ``quote``) said to be paid once
    (一次性) with no ``once per`` statement and no note quoting the word."""
    out = []
    for p in clause.provisions:
        if p.kind != "award" or any(isinstance(b, s.Once) for b in p.body):
            continue
        r = reading(clause, p, quote)
        if ONE_TIME not in r.quote or any(ONE_TIME in n for n in r.notes):
            continue
        out.append(
            Diagnostic(
                "W269",
                f"award {p.name}: its quote says “一次性” (paid once), and no `once per` "
                "statement says so: a subject paid before is paid again",
                p.name_span or p.span,
                hint="write `once per ENTITY` for what the text pays once (`once per product`, "
                "or its owner: `once per firm`); if “一次性” means a sum paid at once that may be "
                "earned again, say so in a `note` quoting “一次性”",
                severity="warning",
            )
        )
    return out
