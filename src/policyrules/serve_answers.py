"""What ``policyrules serve`` answers besides decisions: JSON bodies as the command line
prints them (:func:`dumps`), and an error as data with its HTTP status (:func:`error_json`,
:func:`error_status`), its messages rid of the server's own paths (:func:`path_hider`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import Diagnostic, GrantConflict, PolicyRulesError
from .serve_terms import in_service_terms
from .terminal import indented_json, json_printable

__all__ = ["LISTED", "dumps", "error_json", "error_status", "path_hider", "serve_error"]


def dumps(data: Any) -> bytes:
    """JSON exactly as the command line prints it (``eval --json``), with a final newline."""
    return (json_printable(indented_json(data)) + "\n").encode()


def serve_error(code: str, message: str, hint: str | None = None) -> PolicyRulesError:
    """An error of the service's own (E710-E729)."""
    return PolicyRulesError(Diagnostic(code, message, hint=hint))


_STATUS = {
    "E307": 413,
    "E331": 409,
    "E335": 409,
    "E330": 503,
    "E332": 503,
    "E336": 503,
    "E710": 415,
    "E711": 413,
    "E712": 504,
    "E713": 503,
    "E714": 404,
    "E716": 409,
    "E717": 404,
    "E718": 405,
    "E719": 500,
    "E720": 503,
    "E722": 403,
    "E725": 408,
    "E726": 503,
    "E728": 422,
}
#: The most diagnostics an answer lists: a document of 300,000 products without ids was
#: answered all 300,000, 166 MB rendered on the event loop (every request waited 5 s).
LISTED = 100

# A message that starts with a place in the document: firms[0].products[1].approved_on: …
_PATH = re.compile(r"([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): ")


def error_status(exc: PolicyRulesError) -> int:
    """The HTTP status for an error: 400 unless its code says otherwise (see docs/serve.md).
    A grant the document's ledger gives another amount than the store records is 409, a
    conflict with the store's record (E326, as E331); listed twice in the document, 400."""
    if isinstance(exc, GrantConflict):
        return 409
    return _STATUS.get(exc.code, 400)


def _as_is(text: str) -> str:
    return text


def error_json(
    exc: PolicyRulesError, document: str | None = None, hide: Callable[[str], str] = _as_is
) -> dict[str, Any]:
    """``{"errors": [{code, message, hint, path, line, col, end_line, end_col}], "text"}``:
    the diagnostics the command line prints, as data, and ``text`` as it prints them, but
    in the service's terms (:mod:`policyrules.serve_terms`: the request's ``assumptions``,
    not ``--assume``).
    ``path`` is the place in the document a message starts with (``firms[0].id``), if any;
    ``line``... are the place in the request body (``document`` names it) or ``null``.
    ``hide`` rewrites each message, hint and ``text`` (:func:`path_hider`).  Only the first
    :data:`LISTED` diagnostics are answered, ``text`` saying how many more there were."""
    shown = [_said(d, hide) for d in exc.diagnostics[:LISTED]]
    more = len(exc.diagnostics) - len(shown)
    errors = []
    for d in shown:
        # (read from the hidden message: a store named `grants.db` is not a place in the
        # document, and its name is the server's)
        m = _PATH.match(d.message)
        path = m.group(1) if m and (document is None or m.group(1) != document) else None
        span = d.span
        errors.append(
            {
                "code": d.code,
                "message": d.message,
                "hint": d.hint,
                "path": path,
                "line": span.line if span else None,
                "col": span.col if span else None,
                "end_line": span.end_line if span else None,
                "end_col": span.end_col if span else None,
            }
        )
    text = PolicyRulesError(shown, sources=exc.sources).render()
    if more:
        text += f"\n\n… and {more:,} more errors, not listed (the first {LISTED:,} are)"
    return {"errors": errors, "text": hide(text)}


def _said(d: Diagnostic, hide: Callable[[str], str]) -> Diagnostic:
    """``d`` as the service says it: the server's paths hidden, in its own terms
    (:func:`~policyrules.serve_terms.in_service_terms`)."""
    message, hint = hide(d.message), None if d.hint is None else hide(d.hint)
    if (message, hint) != (d.message, d.hint):
        d = attrs.evolve(d, message=message, hint=hint)
    return in_service_terms(d)


# A character a path may hold: a path is replaced only where it stands whole.
_IN_PATH = r"[\w.~/\\-]"


def path_hider(files: Mapping[str, Path | None], policy: Path | None) -> Callable[[str], str]:
    """A function of a text that replaces the server's own paths in it, which a client
    must not learn: each of ``files`` (label -> path: ``{STORE: store}``) by its label,
    and the policy's directory ``policy`` (its own directory when a file) before the names
    of its files, so ``/srv/policies/p/a.rule:3:1`` reads ``a.rule:3:1``.  Each path
    is found as given, absolute and resolved; only whole (not ``d`` in ``d/1/a``)."""
    subs: dict[str, str] = {}
    for label, path in files.items():
        for form in _forms(path):
            subs[form] = label
    root = None if policy is None else policy if policy.is_dir() else policy.parent
    for form in _forms(root, given=False):
        subs.setdefault(form + os.sep, "")  # before the names of its files
        subs.setdefault(form, "<policy>")
    if root is not None and not root.is_absolute():
        # As given (relative) only before the names of its files: a directory named as its
        # document (`jjxf_2025_50`) is also the start of the document's provision ids.
        for name in _rule_files(root):
            subs.setdefault(str(root / name), name)
    if not subs:
        return _as_is
    longest_first = sorted(subs, key=len, reverse=True)
    whole = [
        re.escape(f) + ("" if f.endswith(os.sep) else f"(?!{_IN_PATH})") for f in longest_first
    ]
    found = re.compile(f"(?<!{_IN_PATH})(?:{'|'.join(whole)})")

    def hide(text: str) -> str:
        return found.sub(lambda m: subs[m.group()], text)

    return hide


def _forms(path: Path | None, *, given: bool = True) -> set[str]:
    """``path`` as given (unless ``given`` is false), absolute and resolved, without a final
    separator (never ``.``)."""
    if path is None:
        return set()
    paths = (path, path.absolute(), path.resolve()) if given else (path.absolute(), path.resolve())
    forms = {str(p).rstrip(os.sep) for p in paths}
    return forms - {"", "."}


def _rule_files(root: Path) -> list[str]:
    """The names of the ``.rule`` files in the policy directory ``root`` (none if unreadable)."""
    try:
        return sorted(p.name for p in root.iterdir() if p.suffix == ".rule")
    except OSError:
        return []
