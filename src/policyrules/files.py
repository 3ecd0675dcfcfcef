"""Writing files safely: all or nothing, through symlinks, under a lock.

:func:`write_atomic` writes a temporary file beside the target and renames it over the
target, so a reader sees the old text or the new, never half.  A symlink is kept and its
target written; a directory, FIFO, device or socket is refused; every error names the path
the user gave, never the temporary file.  :func:`locked` holds exclusive ``fcntl.flock``
locks on sidecar files (``.NAME.lock`` beside each file) so that runs which read a file and
then rewrite it (a JSON/YAML ledger) take turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import Diagnostic, PolicyRulesError

__all__ = ["check_writable", "lock_path", "locked", "real_target", "write_atomic"]


def _refuse(path: Path, why: str, hint: str | None = None) -> PolicyRulesError:
    return PolicyRulesError(Diagnostic("E334", f"cannot write {path}: {why}", hint=hint))


def real_target(path: Path) -> Path:
    """The file that writing ``path`` changes: ``path``, or the end of its symlink chain.

    :raises PolicyRulesError: E334 if a symlink chain loops.
    """
    try:
        return Path(os.path.realpath(path, strict=False))
    except OSError as exc:  # a symlink loop
        raise _refuse(path, exc.strerror or "a symlink loop") from None


def check_writable(path: Path) -> int:
    """Check, without writing, that :func:`write_atomic` can write ``path``: it is a regular
    file or absent, and its directory exists and takes a new file.  Returns the mode the
    written file gets (the old file's, or the umask's usual one).

    :raises PolicyRulesError: E334 naming ``path`` otherwise (a file with other hard links
        too: a rename would split them).
    """
    target = real_target(path)
    try:
        st = target.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise _refuse(path, exc.strerror or str(exc)) from None
    else:
        if stat.S_ISDIR(st.st_mode):
            raise _refuse(path, "it is a directory", "name a file")
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(
                path,
                "it is not a regular file (a FIFO, a device or a socket)",
                "name a regular file; policyrules does not write into pipes or devices",
            )
        if st.st_nlink > 1:  # a rename would split them, and each name's lock is its own
            raise _refuse(
                path,
                f"it has {st.st_nlink} hard links: replacing it would leave the other names "
                "with the old content, and runs writing through two names would not see each "
                "other's grants",
                "write through one name only; copy the file (`cp`) to give it a name of its own",
            )
        mode = stat.S_IMODE(st.st_mode)
    folder = target.parent
    if not folder.is_dir():
        raise _refuse(path, f"no such directory {folder}", "make the directory first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(path, f"the directory {folder} is not writable")
    return mode


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a
    rename: all or nothing.  A symlink stays a symlink and its target is replaced; the old
    file's mode is kept (a new file gets the umask's usual mode).

    :raises PolicyRulesError: E334 naming ``path`` if it is a directory, a FIFO, a device or
        a socket, or if the write fails (no temporary file is left behind).
    """
    mode = check_writable(path)
    target = real_target(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _refuse(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600): keep the old file's mode, or the usual one.
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _refuse(path, exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def lock_path(path: Path) -> Path:
    """The sidecar lock file of ``path`` (symlinks followed): ``dir/.NAME.lock``."""
    target = real_target(path)
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def locked(paths: Iterable[Path]) -> Iterator[None]:
    """Hold an exclusive lock for each of ``paths`` (waiting for other holders) while the
    block runs.  Locks are taken in a fixed order, so two runs never wait on each other.

    :raises PolicyRulesError: E334 if a lock file cannot be created.
    """
    with contextlib.ExitStack() as stack:
        locks = {lock_path(p): p for p in paths}
        for lock in sorted(locks):
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                why = f"cannot make its lock file {lock.name}: {exc.strerror or exc}"
                raise _refuse(locks[lock], why) from None
            stack.callback(os.close, fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
            stack.callback(fcntl.flock, fd, fcntl.LOCK_UN)
        yield
