"""Provenance: what a JSON result was computed with, so it can be reproduced and audited.

Every JSON result (``policyrules eval --json``, the HTTP service's answers) carries one
``provenance`` object::

    {"tool": "policyrules", "version": "0.1.0",
     "policy": {"digest": "sha256:…", "files": 6},
     "calendar": {"package": "chinesecalendar", "version": "1.11.0",
                  "published_years": [2004, 2026]},
     "options": {"as_of": "2026-06-30", "parameters": {"overseas_support_rate": "50%"},
                 "assumptions": {"holiday_schedule": "statutory_projection"}}}

The policy digest is SHA-256 over the policy's ``.rule`` files and the ``source`` files
their documents quote, taken in the order of their paths relative to the policy directory
(``/``-separated); each file contributes its path, its length in bytes and its bytes, so it
is the same on every machine that holds the same files, wherever the directory lies.
``options`` are those the caller set: ``as_of``, and the parameters and assumptions given as
options or in the facts document itself (the option wins), as written.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .api import Policy, read_rule_files
from .runtime.calendar import published_years

__all__ = ["CALENDAR_PACKAGE", "policy_digest", "policy_files", "provenance"]

#: The distribution that carries the State Council's holiday schedules.
CALENDAR_PACKAGE = "chinesecalendar"


def policy_files(policy: Policy) -> dict[str, Path]:
    """The files a policy is made of, by path relative to its directory (``/``-separated):
    its ``.rule`` files and the ``source`` files its documents quote."""
    base = policy.path if policy.path.is_dir() else policy.path.parent
    files = {Path(f).relative_to(base).as_posix(): Path(f) for f in read_rule_files(policy.path)}
    for rel in policy.checked.sources:
        files[Path(rel).as_posix()] = base / rel
    return files


def policy_digest(policy: Policy) -> tuple[str, int]:
    """``("sha256:<hex>", number of files)`` over :func:`policy_files` (see the module)."""
    h = hashlib.sha256()
    files = policy_files(policy)
    for rel in sorted(files):
        data = files[rel].read_bytes()
        name = rel.encode("utf-8")
        h.update(b"%d:%s\0%d:" % (len(name), name, len(data)))
        h.update(data)
    return f"sha256:{h.hexdigest()}", len(files)


@functools.cache
def _calendar_loaded() -> tuple[str | None, tuple[int, int] | None]:
    """The calendar package's version and its published years, found once a process (the
    package is loaded once; finding its version reads the installed packages' metadata,
    about a millisecond, which a service would pay on every answer)."""
    try:
        version: str | None = importlib.metadata.version(CALENDAR_PACKAGE)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        version = None
    return version, published_years()


def _calendar() -> dict[str, Any]:
    version, years = _calendar_loaded()
    return {
        "package": CALENDAR_PACKAGE,
        "version": version,
        "published_years": list(years) if years else None,
    }


def _plain(value: Any) -> Any:
    """A value as written, JSON-ready: text, a number's text, a boolean or null."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def provenance(
    policy: Policy,
    *,
    digest: tuple[str, int] | None = None,
    extra: Mapping[str, Any] | None = None,
    as_of: Any = None,
    parameters: Mapping[str, Any] | None = None,
    assumptions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``provenance`` object (see the module) of a result of ``policy``.

    ``digest``: :func:`policy_digest`, if already computed (a server computes it once);
    ``extra``: the facts document's own ``as_of``, ``parameters`` and ``assumptions``
    (``Facts.extra``); ``as_of``, ``parameters``, ``assumptions``: those given as options,
    which win over the document's."""
    extra = extra or {}
    digest = digest or policy_digest(policy)
    params = {**dict(extra.get("parameters") or {}), **dict(parameters or {})}
    assume = {**dict(extra.get("assumptions") or {}), **dict(assumptions or {})}
    day = as_of if as_of is not None else extra.get("as_of")
    return {
        "tool": "policyrules",
        "version": __version__,
        "policy": {"digest": digest[0], "files": digest[1]},
        "calendar": _calendar(),
        "options": {
            "as_of": _plain(day),
            "parameters": _plain(params),
            "assumptions": _plain(assume),
        },
    }
