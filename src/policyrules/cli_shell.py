"""The command line among other programs: ``--version``, shell completion, a closed pipe.

An option's number (``--max-depth 12``, ``--workers 4``) takes ASCII digits, as every reader
of numbers does: :func:`ascii_digits` refuses ``１２`` (which ``int()`` would read) saying which
character and where, with the text in ASCII as the hint.

``policyrules completion bash|zsh|...`` prints a completion script made by :mod:`shtab`
from the command's own parser, so it never falls behind a new option::

    policyrules completion bash > ~/.local/share/bash-completion/completions/policyrules
    policyrules completion zsh > ~/.zfunc/_policyrules   # with fpath+=~/.zfunc

A reader that stops early (``policyrules eval … | head -1``) closes the pipe: the command
then ends quietly with status 141, as a program killed by SIGPIPE reports in the shell
(128 + 13), never with an error message.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import shtab

from .errors import quoted
from .runtime.money import non_ascii_digits

__all__ = [
    "BROKEN_PIPE",
    "add_completion_command",
    "add_version",
    "ascii_digits",
    "closed_pipe",
    "positive_int",
]

BROKEN_PIPE = 128 + 13  # SIGPIPE's number on Linux and macOS


def ascii_digits(text: str, what: str) -> None:
    """Refuse an option's value ``text`` written with a digit or sign not in ASCII (``１２``,
    which ``int()`` and ``float()`` read): :class:`argparse.ArgumentTypeError` saying it is
    not ``what`` (``a whole number``), which character, where, and the text in ASCII."""
    found = non_ascii_digits(text)
    if found is not None:
        raise argparse.ArgumentTypeError(
            f"{quoted(text)} is not {what}: {found.what} ({found.hint})"
        )


def add_version(parser: argparse.ArgumentParser) -> None:
    """``--version``: ``policyrules 0.1.0``."""
    try:
        number = version("policyrules")
    except PackageNotFoundError:  # pragma: no cover - a source tree not installed
        number = "unknown (not installed)"
    parser.add_argument("--version", action="version", version=f"policyrules {number}")


def add_completion_command(sub: Any, root: argparse.ArgumentParser) -> None:
    """Add ``policyrules completion SHELL`` (completions of ``root``) to the parser."""
    c = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, and the other shells shtab knows)",
        description="Print a completion script for SHELL, e.g. "
        "policyrules completion bash > ~/.local/share/bash-completion/completions/policyrules",
    )
    c.add_argument("shell", choices=shtab.SUPPORTED_SHELLS)
    c.set_defaults(run=lambda args: _completion(args, root))


def _completion(args: argparse.Namespace, root: argparse.ArgumentParser) -> int:
    sys.stdout.write(shtab.complete(root, shell=args.shell))
    return 0


def closed_pipe() -> int:
    """After a write to a closed standard output: point it at ``/dev/null`` (so the flush
    at exit cannot fail again) and return :data:`BROKEN_PIPE`."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout replaced by something else
        pass
    finally:
        os.close(devnull)
    return BROKEN_PIPE


def positive_int(text: str) -> int:
    """A whole number above 0 written with ASCII digits: ``１２`` (full-width) is refused with
    the ASCII text as the hint, and so are `` 12``, ``+12`` and ``1_2``, which ``int()``
    reads as 12."""
    ascii_digits(text, "a whole number")
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number")
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not above 0")
    return value
