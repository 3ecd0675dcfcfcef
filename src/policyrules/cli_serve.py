"""``policyrules serve POLICY``: the HTTP JSON API (:mod:`policyrules.serve`) on uvicorn.

Starlette and uvicorn come with the ``serve`` extra (``pip install 'policyrules[serve]'``);
without them the command says so (E721) instead of failing on an import.  The address is
taken before anything else is made (the log): an address in use, or one that cannot be
listened on, is one error (E723, exit 2 as for any input the command cannot use).
"""

from __future__ import annotations

import argparse
import errno
import math
import socket
import sys
from typing import Any

import attrs

from .api import load
from .cli_shell import ascii_digits
from .errors import Diagnostic, PolicyRulesError
from .serve_processes import serve_processes
from .store import LedgerStore

__all__ = ["add_serve_command"]


def _number(kind: type[int] | type[float]) -> Any:
    def read(text: str) -> int | float:
        ascii_digits(text, "a number")  # int() and float() read ４ as 4
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} is not above 0")
        if not math.isfinite(value):  # (a float's inf: a time or a size has a bound)
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        return value

    return read


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return int(text)


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (an IPv6 host has a ``:``).

    :raises PolicyRulesError: E723 if it cannot be had: the address already in use,
        another host's address, a port that needs privileges."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = "the address is already in use"
            hint = "another program (another policyrules serve?) listens there: stop it, or "
            hint += "choose another port with --port"
        else:
            why = exc.strerror or str(exc)
            hint = "check --host and --port (a port below 1024 needs privileges)"
        message = f"cannot listen on {_address(host, port)}: {why}"
        raise PolicyRulesError(Diagnostic("E723", message, hint=hint)) from None


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .serve import ServeLimits, create_app
        from .serve_log import DecisionLog
        from .serve_protocol import serve_config
    except ImportError as exc:
        raise PolicyRulesError(
            Diagnostic(
                "E721",
                f"policyrules serve needs the serve extra ({exc.name} is not installed)",
                hint="pip install 'policyrules[serve]'",
            )
        ) from None
    policy = load(args.policy)
    if args.ledger is not None:  # refused (E336, E330) before the log file is made
        LedgerStore.open(args.ledger, create=False).close()
    sock = _listen(args.host, args.port)  # (E723) before the log file is made, too
    try:
        log = None if args.no_log else DecisionLog.open(args.log)
        limits = ServeLimits(
            max_body_bytes=int(args.max_body_mb * 2**20),
            max_depth=args.max_depth,
            timeout=args.timeout,
            workers=args.workers,
            header_timeout=args.header_timeout,
            max_decisions=args.max_decisions,
        )
        port = sock.getsockname()[1]  # (the port given, or the one chosen for --port 0)
        where = f"http://{_address(args.host, port)}"
        if args.processes > 1:
            if log is not None:
                log.close_connection()  # (each worker opens the log itself)
            print(
                f"policyrules serve: {args.policy} on {where}/v1/ (OpenAPI: "
                f"{where}/openapi.json), {args.processes} processes"
            )
            sys.stdout.flush()
            worker = {
                "policy": str(args.policy),
                "log": None if log is None else str(log.path),
                "ledger": args.ledger,
                "import_ledgers": args.import_ledgers,
                "limits": attrs.asdict(limits),  # (every field, as ServeLimits takes them)
            }
            serve_processes(
                args.processes,
                sock,
                worker=worker,
                max_connections=args.max_connections,
                log_level=args.log_level,
            )
            return 0
        app = create_app(
            policy, log=log, limits=limits, ledger=args.ledger, import_ledgers=args.import_ledgers
        )
        print(f"policyrules serve: {args.policy} on {where}/v1/ (OpenAPI: {where}/openapi.json)")
        sys.stdout.flush()
        config = serve_config(
            app,
            host=args.host,
            port=port,
            max_connections=args.max_connections,
            header_timeout=limits.header_timeout,
            log_level=args.log_level,
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


def add_serve_command(sub: Any) -> None:
    """Register ``serve`` on the subcommand parsers ``sub``."""
    s = sub.add_parser("serve", help="serve the policy as an HTTP JSON API (docs/serve.md)")
    s.add_argument("policy")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    s.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (8000; 0: any free one)"
    )
    s.add_argument(
        "--log",
        default="decisions.sqlite",
        help="the decision log, a SQLite file made if missing (decisions.sqlite)",
    )
    s.add_argument("--no-log", action="store_true", help="keep no decision log")
    s.add_argument(
        "--ledger",
        help="an existing ledger store (policyrules ledger init): its grants count as earlier "
        "grants; POST /v1/evaluate?commit=1 records the grants made",
    )
    s.add_argument(
        "--import-ledgers",
        action="store_true",
        help="with commit=1, also record the earlier grants a document brings (its ledger:) "
        "in the store; without it such a document is refused (403, E722)",
    )
    s.add_argument(
        "--max-body-mb",
        type=_number(float),
        default=4.0,
        metavar="MB",
        help="refuse larger request bodies with 413 (4)",
    )
    s.add_argument(
        "--max-depth",
        type=_number(int),
        default=100,
        metavar="N",
        help="refuse documents nested deeper (100)",
    )
    s.add_argument(
        "--max-decisions",
        type=_number(int),
        default=20_000,
        metavar="N",
        help="refuse with 422 an evaluation whose answer would hold more decisions, before "
        "its JSON is made (some 3.3 KB each) (20000)",
    )
    s.add_argument(
        "--timeout",
        type=_number(float),
        default=10.0,
        metavar="S",
        help="answer 503/504 after this many seconds of waiting for an evaluation; 503 "
        "after half of it waiting for a turn to write to the store or the log (10)",
    )
    s.add_argument(
        "--workers",
        type=_number(int),
        default=4,
        metavar="N",
        help="evaluations running at once, in threads (4)",
    )
    s.add_argument(
        "--processes",
        type=_number(int),
        default=1,
        metavar="N",
        help="worker processes, each with the policy loaded and --workers threads, all "
        "answering on the one address: for more than one core (1)",
    )
    s.add_argument(
        "--max-connections",
        type=_number(int),
        default=100,
        metavar="N",
        help="connections open at once; a request beyond them is answered 503 E727, with "
        "Retry-After (100)",
    )
    s.add_argument(
        "--header-timeout",
        type=_number(float),
        default=10.0,
        metavar="S",
        help="close a connection that has not sent a request's headers within this many "
        "seconds of opening, or of the answer before (10)",
    )
    s.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn's log level (info)",
    )
    s.set_defaults(run=cmd_serve)
