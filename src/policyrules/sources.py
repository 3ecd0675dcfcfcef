"""Reading a document's ``source`` file, and only from inside the policy directory.

A ``.rule`` file names the official text its quotes come from (``source "sources/x.txt"``).
The quote check then says whether text is in that file, so a path that reached outside the
policy directory would let whoever writes ``.rule`` files probe the files of the machine
that checks them (a CI runner's ``/proc/self/environ``, say).  So a source must be a regular
file, inside the policy directory once every symlink is followed, at most
:data:`MAX_SOURCE_BYTES` long and UTF-8 text.  Anything else is refused *before the file is
opened*, as a :class:`~policyrules.errors.Diagnostic` without a span (the checker places it
on the path string):

======  =================================================================================
E215    no such file
E250    the path leads outside the policy directory (absolute, ``..``, or a symlink)
E251    not a regular file (a directory, a FIFO, a device)
E252    larger than the bound
E253    not UTF-8 text (the byte offset is given)
E254    the file exists but cannot be read (permissions, a symlink loop)
======  =================================================================================
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Diagnostic

__all__ = ["MAX_SOURCE_BYTES", "is_plain_file_inside", "read_source"]

#: The largest source file read, in bytes (16 MiB; the shipped sources are about 20 KiB).
MAX_SOURCE_BYTES = 16 * 1024 * 1024

_HINT = "sources live in the policy directory, e.g. sources/notice.txt"
_BIG = (
    "a source is the text of one document; split it, or raise the bound "
    "(policyrules.load(..., max_source_bytes=N))"
)


def _refuse(code: str, message: str, hint: str = _HINT) -> Diagnostic:
    return Diagnostic(code, message, hint=hint)


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def is_plain_file_inside(path: Path, directory: Path) -> bool:
    """Whether ``path`` is a regular file inside ``directory`` once every symlink is
    followed: what a policy directory's ``*.rule`` and case files must be before they are
    read (a FIFO would hang the read; a symlink out would show another file in errors)."""
    try:
        real, base = path.resolve(strict=True), directory.resolve(strict=True)
        return base in real.parents and stat.S_ISREG(os.stat(real).st_mode)
    except (OSError, RuntimeError, ValueError):
        return False


def read_source(
    base: str | Path, path: str, *, max_bytes: int = MAX_SOURCE_BYTES
) -> str | Diagnostic:
    """The text of ``path`` (as written in a ``source`` line) relative to the policy
    directory ``base``, or a :class:`Diagnostic` saying why it is refused.

    The path is checked first as written (no absolute path, no ``..`` out of ``base``), then
    with every symlink followed; only a regular file inside ``base`` of at most
    ``max_bytes`` bytes is opened, without following a symlink and without blocking."""
    shown = repr(path)
    base_dir = Path(os.path.abspath(base))
    joined = Path(os.path.normpath(base_dir / path))
    if Path(path).is_absolute() or not _inside(joined, base_dir):
        return _refuse("E250", f"source {shown} is outside the policy directory")
    try:
        real_base = base_dir.resolve(strict=True)
        # Not strict first: a path through a symlink that leaves the directory is refused
        # whether or not its target exists, so nothing outside can be probed for existence.
        if not _inside(joined.resolve(strict=False), real_base):
            return _refuse(
                "E250", f"source {shown} leads outside the policy directory through a symlink"
            )
        real = joined.resolve(strict=True)
        info = os.stat(real)
    except FileNotFoundError:
        return _refuse(
            "E215", f"source file not found: {path}", "the path is relative to the policy directory"
        )
    except (OSError, RuntimeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return _refuse("E254", f"source {shown} cannot be read: {reason}")
    if not stat.S_ISREG(info.st_mode):
        return _refuse(
            "E251", f"source {shown} is not a regular file", "a source is a plain text file"
        )
    if info.st_size > max_bytes:
        return _refuse(
            "E252",
            f"source {shown} is {info.st_size} bytes, more than the bound of {max_bytes}",
            _BIG,
        )
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        return _refuse("E254", f"source {shown} cannot be read: {exc.strerror}")
    with os.fdopen(fd, "rb") as f:
        opened = os.fstat(f.fileno())
        # The file may have been swapped between the checks and the open.
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            info.st_dev,
            info.st_ino,
        ):
            return _refuse("E254", f"source {shown} changed while it was being read")
        raw = f.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return _refuse("E252", f"source {shown} is more than the bound of {max_bytes} bytes", _BIG)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _refuse(
            "E253",
            f"source {shown} is not UTF-8 text (byte {exc.start}: {exc.reason})",
            "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)",
        )
