"""Reading a policy's files: its ``.rule`` files (E104 no such path, E100 unreadable, E111
not a plain file inside the policy directory) and the ``source`` text of each document.

:func:`policyrules.api.load` reads a policy through these; the command line and the
language server read files with them too.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import Diagnostic, PolicyNotFoundError, RuleSyntaxError
from .sources import is_plain_file_inside, read_source
from .syntax import DocSource, Document, Module

__all__ = ["document_sources", "read_rule_files"]

# The files a policy is not: facts (and ledgers), named where the policy goes.
_FACTS_SUFFIXES = (".yaml", ".yml", ".json")


def read_rule_files(path: str | Path) -> dict[str, str]:
    """The ``.rule`` files of a policy directory (or one file), by path, as text.

    In a directory, a ``*.rule`` entry that is not a regular file (a FIFO would hang the
    read) or that is a symlink leading outside the directory is refused with E111: its
    text would otherwise be shown in error messages (and ``fmt`` would rewrite it).  A
    single file named on its own is held to the same rule in the directory holding it."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.rule"))
        if not files:
            raise RuleSyntaxError(
                Diagnostic(
                    "E100",
                    f"{p}: no .rule files here",
                    hint="a policy is a directory of .rule files",
                )
            )
        for f in files:
            _own_rule_file(f, p)
    elif p.suffix.lower() in _FACTS_SUFFIXES and os.path.lexists(p):
        raise RuleSyntaxError(
            Diagnostic(
                "E100",
                f"{p}: looks like a facts file ({p.suffix}), not a policy",
                hint="a policy is a directory of .rule files, or one .rule file: "
                "`policyrules check POLICY`; a facts file comes after it: "
                "`policyrules eval POLICY FACTS`",
            )
        )
    elif os.path.lexists(p):
        # A file named on its own is held to the same rule, in the directory holding it.
        _own_rule_file(p, p.parent)
        files = [p]
    else:
        raise _not_found(p)
    texts: dict[str, str] = {}
    for f in files:
        try:
            texts[str(f)] = _read_plain(f).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RuleSyntaxError(
                Diagnostic(
                    "E100", f"{f}: not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8"
                )
            ) from None
    return texts


def _not_found(p: Path) -> PolicyNotFoundError:
    """E104, offering the closest name beside it where its directory exists."""
    parent = p.parent
    try:
        near = [e.name for e in parent.iterdir()] if parent.is_dir() else []
    except OSError:  # a directory that cannot be listed: no name to offer
        near = []
    close = difflib.get_close_matches(p.name, sorted(near), n=1, cutoff=0.6)
    offer = f"did you mean {parent / close[0]}? " if close else ""
    return PolicyNotFoundError(
        Diagnostic(
            "E104",
            f"{p}: no such file or directory",
            hint=offer + "a policy is a directory of .rule files, or one .rule file",
        )
    )


def _not_own(f: Path) -> RuleSyntaxError:
    return RuleSyntaxError(
        Diagnostic(
            "E111",
            f"{f}: not a regular file in the policy directory (a FIFO, a device, or a "
            "symlink leading out of its directory)",
            hint="a policy's .rule files are plain files inside its directory "
            "(a symlink may point only within it)",
        )
    )


def _own_rule_file(f: Path, directory: Path) -> None:
    if not is_plain_file_inside(f, directory):
        raise _not_own(f)


def _read_plain(f: Path) -> bytes:
    """The bytes of ``f``, opened without blocking and only if it is still a regular file
    (it may have been swapped for a FIFO since it was checked)."""
    try:
        fd = os.open(f, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RuleSyntaxError(
            Diagnostic("E100", f"{f}: cannot be read: {exc.strerror or exc}")
        ) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _not_own(f)
        return handle.read()


def document_sources(
    modules: Iterable[Module], base: Path, max_bytes: int
) -> tuple[dict[str, str], dict[str, Diagnostic]]:
    """The text of every document's ``source`` file, and why each refused one is refused
    (see :mod:`policyrules.sources`: only regular UTF-8 files inside ``base`` are read)."""
    texts: dict[str, str] = {}
    refused: dict[str, Diagnostic] = {}
    for m in modules:
        for item in m.items:
            if isinstance(item, Document):
                for st in item.body:
                    if not isinstance(st, DocSource) or st.path in texts or st.path in refused:
                        continue
                    got = read_source(base, st.path, max_bytes=max_bytes)
                    if isinstance(got, str):
                        texts[st.path] = got
                    else:
                        refused[st.path] = got
    return texts, refused
