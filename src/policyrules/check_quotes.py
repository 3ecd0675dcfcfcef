"""The warnings that read a clause's rules against its quote, in the order reported.

W212 (a figure the quote does not state), W218 (a period in another unit), W266 and W267 (a
constant amount the text does not fix), W269 (一次性 with no ``once per``), W270 and W272 (a
rate taken wrongly), W271 (a ceiling written nowhere), W274 (a cap on another entity or
year than its ceiling's words) and W273 (a dated document's provision
that pays claims of any date: its notes, not its quote); each module says what it reads.
"""

from __future__ import annotations

from collections.abc import Set

from . import syntax as s
from .check_cap_words import cap_word_warnings
from .check_ceiling_caps import unwritten_ceilings
from .check_ceilings import ceiling_warnings
from .check_figures import figure_warnings
from .check_force import force_warnings
from .check_once_words import once_warnings
from .check_periods import period_warnings
from .check_rates import rate_warnings
from .errors import Diagnostic
from .model import CheckedPolicy, DocumentInfo

__all__ = ["quote_warnings"]


def quote_warnings(
    clause: s.Clause, quote: str, facts: Set[str], policy: CheckedPolicy, doc: DocumentInfo
) -> list[Diagnostic]:
    """Every quote-reading warning of ``clause`` (of ``doc``, in ``policy``), whose quote is
    ``quote``; ``facts`` are the names of the facts its provisions read."""
    return [
        *figure_warnings(clause, quote),
        *period_warnings(clause, quote),
        *ceiling_warnings(clause, quote),
        *once_warnings(clause, quote),
        *rate_warnings(clause, quote, facts, policy),
        *unwritten_ceilings(clause, quote),
        *cap_word_warnings(policy, clause, quote),
        *force_warnings(policy, doc, clause),
    ]
