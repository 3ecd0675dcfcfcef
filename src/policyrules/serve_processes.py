"""``policyrules serve --processes N``: the service in N processes on one listening socket.

One process evaluates one request at a time in Python (its threads take turns), so a
service answers on one core however many it has.  With ``--processes N``, uvicorn's
supervisor (:class:`uvicorn.supervisors.Multiprocess`) starts N worker processes, each with
the policy loaded and its own threads, all accepting on the socket the command listens on;
it restarts a worker that dies and stops them all on SIGINT or SIGTERM.

The workers are started afresh (``spawn``), not forked from the command: a SQLite
connection must not cross a fork, and each worker opens the decision log and the ledger
store itself.  Their writes take turns in SQLite (``BEGIN IMMEDIATE``; an evaluation that
commits reads the store's grants and writes its own in one such transaction), so N
processes committing at once pay each award once, as N threads do.  A worker learns what
to serve from :data:`WORKER_ENV`, set by the command before the workers start.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from .api import load
from .errors import Diagnostic, PolicyRulesError

__all__ = ["WORKER_ENV", "serve_processes", "worker_app"]

#: The environment variable a worker reads what to serve from (JSON; set by the command).
WORKER_ENV = "POLICYRULES_SERVE_WORKER"


def serve_processes(
    processes: int,
    sock: socket.socket,
    *,
    worker: dict[str, Any],
    max_connections: int,
    log_level: str,
) -> None:
    """Serve on ``sock`` from ``processes`` worker processes until a signal stops them.

    ``worker``: what each worker serves, as :func:`worker_app` reads it (``policy``,
    ``log``, ``ledger``, ``import_ledgers`` and ``limits``, the keyword arguments of
    :class:`~policyrules.serve.ServeLimits`); ``max_connections``: each worker's
    (``--max-connections``)."""
    from uvicorn.supervisors import Multiprocess

    from .serve_protocol import serve_config

    os.environ[WORKER_ENV] = json.dumps(worker)
    config = serve_config(
        f"{__name__}:worker_app",
        factory=True,
        workers=processes,
        max_connections=max_connections,
        header_timeout=worker["limits"]["header_timeout"],
        log_level=log_level,
    )
    Multiprocess(config, sockets=[sock]).run()


def worker_app() -> Any:
    """The application of one worker: the policy loaded, the log opened, as
    :data:`WORKER_ENV` says (uvicorn calls this in each worker process).

    :raises PolicyRulesError: E724 if the variable is not set (not started by the
        command); what loading the policy or opening the log raises."""
    from .serve import ServeLimits, create_app
    from .serve_log import DecisionLog

    given = os.environ.get(WORKER_ENV)
    if given is None:
        raise PolicyRulesError(
            Diagnostic(
                "E724",
                f"{WORKER_ENV} is not set: a worker is started by policyrules serve --processes",
                hint="run policyrules serve POLICY --processes N",
            )
        )
    worker = json.loads(given)
    log = None if worker["log"] is None else DecisionLog.open(worker["log"])
    return create_app(
        load(worker["policy"]),
        log=log,
        limits=ServeLimits(**worker["limits"]),
        ledger=worker["ledger"],
        import_ledgers=worker["import_ledgers"],
    )
