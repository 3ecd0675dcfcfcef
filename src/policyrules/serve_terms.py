"""The errors of ``policyrules serve`` in its own terms, not the command line's.

The diagnostics are the command line's (one reader, one evaluator), whose hints name its
flags: ``run with --assume annual_cap_year=approval``, ``give --as-of YYYY-MM-DD``.  A
client of the service gives those as the request's ``assumptions:`` (or the query's
``assume=``), ``as_of``; and what only whoever runs the service can do (re-key its ledger
store by ``policyrules ledger export``/``import``) is said to be the operator's.  An E349
names the cap whose year differs by its rule text (``… per firm per year of if
annual_cap_year = approval then approved_on else …``): the service names the clause, the
route that shows it, and the facts the year is read from in words.
:func:`in_service_terms` rewrites one diagnostic; the command line's own texts are not
touched (the rewriting is the service's, at its answer).

The rules match the phrases the diagnostics are written with (``ledger_other``,
``ledger_years``, ``ledger_dated``, ``facts_dated``, ``api_values``); tests/unit/
test_serve_terms.py makes each error over HTTP and checks no flag is left.
"""

from __future__ import annotations

import re

import attrs

from .errors import Diagnostic

__all__ = ["STORE", "in_service_terms"]

#: How an answer names the service's ledger store (its path is the server's own).
STORE = "the service's ledger store"

_VALUE = r"[^\s,;)`]+"

_E349_CAP = re.compile(
    r"\(by the cap (?P<cap>.+? per year) of (?P<year>.+?)\); "
    r"(?=the one-time award is not paid again)"
)
_CHOICE = re.compile(r"if (?P<name>\w+) = (?P<value>\w+) then (?P<then>\w+) else (?P<other>\w+)")
_E349_HINT = re.compile(
    r"^if the facts are right, correct the grant's year in the ledger \(a store: .*?; a "
    r"ledger file: edit it\); else correct the facts$"
)

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"\brun with --assume (?P<name>\w+)=(?P<value>{_VALUE})"),
        r"send `assumptions: {\g<name>: \g<value>}` in the document (or the query "
        r"`assume=\g<name>=\g<value>`)",
    ),
    (
        re.compile(rf"--(?P<flag>set|assume) (?P<name>\w+)=(?P<value>{_VALUE})"),
        r"the query `\g<flag>=\g<name>=\g<value>`",
    ),
    (
        re.compile(
            r"--as-of YYYY-MM-DD on the command line, as_of= to Policy\.evaluate \(or "
            r"as_of: in the facts\)"
        ),
        "`as_of: YYYY-MM-DD` in the document (or the query `as_of=YYYY-MM-DD`)",
    ),
    (  # E428: the service records no grant ahead of its year
        re.compile(r"^a dry run shows them \(.*?\); give the day of the payment run as .*$"),
        "the same request without commit=1 shows them; give the day of the payment run as "
        "`as_of` (the service records no grant before its year)",
    ),
    (re.compile(r"as --as-of \(as_of in the facts, the API or the service\)"), "as `as_of`"),
    (
        re.compile(r"export the store \(`ledger export`\)"),
        "have the service's operator export the store (`policyrules ledger export`)",
    ),
    (
        re.compile(r"counted by it too: `ledger export` the store"),
        "counted by it too, which only the service's operator can do: `policyrules ledger "
        "export` the store",
    ),
)


def _year_words(year: str) -> str:
    """What a cap's ``per year of`` reads, in words where it is one fact or a choice of two
    by an assumption (the shipped policies' forms); else as written."""
    if re.fullmatch(r"\w+", year):
        return f"its year that of the fact {year}"
    choice = _CHOICE.fullmatch(year)
    if choice is not None:
        return (
            f"its year that of the fact {choice['then']} where the assumption "
            f"{choice['name']} = {choice['value']}, else of {choice['other']}"
        )
    return f"its year by `{year}`"


def _e349(message: str, hint: str | None) -> tuple[str, str | None]:
    """E349 with the cap named by its clause (not its rule text), and the grant's year
    corrected by whoever holds it: the service's operator (its store) or the client (the
    document's ``ledger:``)."""
    clause = "/".join(message.split(" ", 1)[0].split("/")[:2])
    message = _E349_CAP.sub(
        lambda m: (
            f"(by the cap {m['cap']} of clause {clause}: {_year_words(m['year'])}; "
            f"GET /v1/clauses/{clause} shows it); "
        ),
        message,
    )
    if hint is not None and _E349_HINT.match(hint):
        if f"({STORE})" in message:
            hint = (
                f"if the facts are right, the grant's year in {STORE} is wrong: ask the "
                "service's operator to correct it (`policyrules ledger export`, fix the "
                "grant's `year`, `policyrules ledger import` into a new store); else "
                "correct the facts"
            )
        else:
            hint = (
                "if the facts are right, correct the grant's `year` in the document's "
                "`ledger:`; else correct the facts"
            )
    return message, hint


def _terms(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def in_service_terms(d: Diagnostic) -> Diagnostic:
    """``d`` with its message and hint said in the service's terms (see the module)."""
    message, hint = d.message, d.hint
    if d.code == "E349":
        message, hint = _e349(message, hint)
    message = _terms(message)
    hint = None if hint is None else _terms(hint)
    if (message, hint) == (d.message, d.hint):
        return d
    return attrs.evolve(d, message=message, hint=hint)
