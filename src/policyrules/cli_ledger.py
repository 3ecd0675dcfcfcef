"""The command line's ledger: ``eval --ledger/--ledger-out/--dry-run`` and ``policyrules
ledger init|import|export|show``.

``--ledger STORE`` (``.db``/``.sqlite``/``.sqlite3``, or any SQLite file) reads the earlier
grants and appends this run's in one transaction; the store must exist (``ledger init``
makes one), so a mistyped name is an error, not an empty store.  ``--ledger FILE``
(YAML/JSON, a pipe too) is read once and only read.  ``--ledger-out FILE`` writes the whole
ledger after the run: the facts file's own grants, the ``--ledger`` grants and this run's.
Everything that can be known about the ``--ledger-out`` target (its name, type, directory,
and whether it holds grants this run does not read) is checked before the run, so a refused
target leaves the store untouched.  While a JSON/YAML ledger is read and rewritten, the run
holds an exclusive lock beside it, and it refuses to write if the file changed since it was
read, or if the target holds grants this run did not read.  An award paid over time
evaluated without ``--as-of`` is never recorded (E427, :mod:`.ledger_dated`), nor a later
year than today's for an ``--as-of`` after today unless ``--record-ahead`` says so (E428).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TypeAlias

from . import facts_dated
from .api import Policy, load
from .api_values import as_of_date
from .cli_ledger_recorded import recorded_text
from .cli_ledger_show import cmd_show
from .cli_registry import facts_or_registry
from .convert_ids import whole_number
from .errors import Diagnostic, FactsError, LedgerError, PolicyRulesError
from .facts import load_data
from .files import check_writable, locked, real_target, write_atomic
from .ledger_bases import bases_after
from .ledger_dated import refuse_to_record
from .ledger_io import dump_ledger, merge_ledgers, read_ledger, read_ledger_file
from .ledger_record import grant_places, record_checked
from .output import add_format, chosen_lang
from .reading import Limits, read_bytes
from .result import Result
from .runtime.ledger import Ledger
from .runtime.money import Money
from .store import LedgerStore, is_store, is_store_name, starts_like_store
from .terminal import json_printable, printable

__all__ = ["ExportFailed", "add_ledger_commands", "evaluate_with_ledger"]


class ExportFailed(LedgerError):
    """The store was committed but writing ``--ledger-out`` failed; ``result`` holds the
    decisions (print them: the grants they pay are recorded)."""

    def __init__(self, result: Result, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic)
        self.result = result


def _refuse(message: str, hint: str | None = None) -> LedgerError:
    return LedgerError(Diagnostic("E333", message, hint=hint))


def _format_of(path: Path) -> str:
    return "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"


def _open_store(path: Path) -> LedgerStore:
    """An existing store (never created here: a mistyped name must not start an empty one)."""
    return LedgerStore.open(path, create=False)


def _not_a_store_name(out: Path, flag: str) -> None:
    """Refuse to write JSON/YAML under a store's name: ``--ledger`` would then refuse it."""
    if is_store_name(out):
        raise LedgerError(
            Diagnostic(
                "E338",
                f"{flag} {out}: a name ending in {out.suffix} is a ledger store's, but "
                f"{flag} writes JSON or YAML, which --ledger {out} would then refuse",
                hint=f"to keep grants in a store use --ledger {out} (a store records itself; "
                "`policyrules ledger init` makes one); to export, name a .json or .yaml file",
            )
        )


def _read_pipe(src: Path, limits: Limits | None) -> bytes | None:
    """The bytes of ``src`` if it is a pipe or a device (read once: reading consumes it),
    else ``None`` (a regular file, read where it is used).

    :raises LedgerError: E339 if the bytes are a SQLite database: a store cannot be used
        through a pipe (it is changed in place).
    """
    try:
        if not src.exists() or src.is_file():
            return None
    except OSError:
        return None
    raw = read_bytes(src, limits)
    if starts_like_store(raw):
        raise LedgerError(
            Diagnostic(
                "E339",
                f"{src}: a ledger store (SQLite) given through a pipe; a store is read and "
                "written in place, never through a pipe",
                hint="give the store's own path: --ledger grants.db",
            )
        )
    return raw


def _check_out_early(out: Path, policy: Policy, limits: Limits | None) -> Ledger | None:
    """Before the run: refuse an ``--ledger-out`` target that could not be written, or that
    holds something other than a ledger.  Returns the grants it holds (``None`` if it is
    absent or empty)."""
    target = real_target(out)
    if not target.is_file() or target.stat().st_size == 0:
        return None
    if is_store(target):
        raise _refuse(
            f"cannot write {out}: it is a ledger store",
            hint=f"record into it with --ledger {out}; --ledger-out writes JSON or YAML",
        )
    return read_ledger_file(policy.checked, out, limits)[0]


def _lost(out: Path, existing: Ledger, whole: Ledger) -> None:
    lost = [g for g in existing if g not in set(whole)]
    if lost:
        raise _refuse(
            f"cannot write {out}: it holds {len(lost)} grant(s) this run did not read, "
            f"e.g. {lost[0].describe()}; they would be lost",
            hint=f"add to it with --ledger {out} --ledger-out {out}, or name a new file",
        )


def _check_target(out: Path, whole: Ledger, policy: Policy, read: Path | None) -> None:
    """Refuse to replace ``out`` if it holds grants that ``whole`` lacks (unless it is the
    file this run read, whose grants are in ``whole``)."""
    if read is not None and real_target(read) == real_target(out):
        return
    target = real_target(out)
    if not target.is_file() or target.stat().st_size == 0:
        return  # a new file, or one write_atomic refuses with its own error
    if is_store(out):
        raise _refuse(
            f"cannot write {out}: it is a ledger store",
            hint=f"record into it with --ledger {out}; --ledger-out writes JSON or YAML",
        )
    existing, _ = read_ledger_file(policy.checked, out)
    _lost(out, existing, whole)


def evaluate_with_ledger(
    args: argparse.Namespace,
    policy: Policy,
    *,
    parameters: dict[str, Any],
    assumptions: dict[str, Any],
    commit: bool,
) -> Result:
    """Evaluate ``args.facts`` with ``args.ledger`` (a store or a file), record into a
    store when ``commit`` (and not ``--dry-run``), and write ``--ledger-out``."""
    limits = getattr(args, "limits", None)  # --max-input-mb, --max-depth
    facts = facts_or_registry(policy, args, limits)
    args.facts_extra = facts.extra  # for the provenance of eval --json
    own = policy.facts_ledger(facts)  # with the readings the facts state for them
    src = Path(args.ledger) if args.ledger else None
    out = Path(args.ledger_out) if getattr(args, "ledger_out", None) else None
    dry = bool(getattr(args, "dry_run", False))
    if dry and out is not None:
        raise _refuse("--dry-run records nothing: drop --ledger-out, or --dry-run")
    if out is not None:  # before anything is read, evaluated or recorded
        _not_a_store_name(out, "--ledger-out")
        check_writable(out)
    options: dict[str, Any] = {
        "as_of": args.as_of,
        "parameters": parameters,
        "assumptions": assumptions,
        "record_ahead": bool(getattr(args, "record_ahead", False)),  # E428 waived
    }
    if src is not None and is_store(src):
        if out is not None and real_target(out) == real_target(src):
            raise _refuse(
                f"--ledger-out {out} is the store itself",
                hint="the run records into the store already; --ledger-out writes JSON/YAML",
            )
        record = commit and not dry
        # read (E425) before the store is changed; eval and explain have --lang
        lang = chosen_lang(args) if hasattr(args, "lang") else "en"
        with locked([out] if out else []), _open_store(src) as store:
            if out is not None:  # all that can be known before the store is changed
                existing = _check_out_early(out, policy, limits)
                if existing is not None:
                    stored = read_ledger(
                        policy.checked, store.grants(), f"{src}: grants", counted_by=store.bases()
                    )
                    _lost(
                        out, existing, merge_ledgers(("the facts' ledger", own), (str(src), stored))
                    )
            result = policy.evaluate(
                facts,
                ledger=store,
                commit=record,
                note=f"eval {args.facts}",
                facts_file=str(args.facts),
                **options,
            )
            paid = Ledger(result.grants)
            if record:
                said = recorded_text(src, paid, store, facts, lang)
                print(printable(said), file=sys.stderr)
            if out is not None:
                try:
                    stored = read_ledger(policy.checked, store.ledger(), f"{src}: grants")
                    whole = merge_ledgers(("the facts' ledger", own), (str(src), stored))
                    _check_target(out, whole, policy, None)
                    write_atomic(out, dump_ledger(whole, _format_of(out)))
                except PolicyRulesError as exc:
                    d = exc.diagnostics[0]
                    raise ExportFailed(
                        result,
                        Diagnostic(
                            d.code,
                            f"{src} WAS committed ({len(paid)} grant(s), {paid.total()}, "
                            f"recorded); only writing --ledger-out failed: {d.message}",
                            d.span,
                            hint=f"export the store with: policyrules ledger export {src} "
                            "--out FILE",
                        ),
                    ) from None
        return result
    raw = _read_pipe(src, limits) if src is not None else None
    if src is not None and raw is None and out is not None and not src.exists():
        _no_ledger_yet(src, out)
    lock = [] if out is None else [out] if src is None or raw is not None else [src, out]
    with locked(lock):
        earlier, text = (
            read_ledger_file(policy.checked, src, limits, raw=raw) if src else (Ledger(), None)
        )
        name = str(src) if src is not None else None
        result = policy.evaluate(
            facts,
            ledger=earlier,
            ledger_file=name,
            facts_file=None if args.facts == "-" else str(args.facts),
            **options,
        )
        if out is not None:
            day = as_of_date(policy.checked, args.as_of or facts.extra.get("as_of"))
            today = facts_dated.machine_today()  # E427, E428: before anything is written
            refuse_to_record(policy.checked, result, day, today, options["record_ahead"])
            whole = merge_ledgers(
                ("the facts' ledger", own),
                (str(src), earlier),
                ("this run's grants", Ledger(result.grants)),
                made="this run's grants",
            )
            # the readings this run's grants were counted by go with them (E335 next time)
            whole = Ledger(whole.grants, bases=bases_after(whole, result.decisions, result.grants))
            _check_target(out, whole, policy, src)
            if raw is None and src is not None and src.read_bytes().decode("utf-8-sig") != text:
                raise _refuse(
                    f"{src} changed while this run used it; {out} was not written",
                    hint="run again: it reads the new grants",
                )
            write_atomic(out, dump_ledger(whole, _format_of(out)))
    return result


def _no_ledger_yet(src: Path, out: Path) -> None:
    """``--ledger L --ledger-out L`` with no file L yet: refused as any missing ledger is (a
    mistyped name must never read as no earlier grants: they would be paid again), with the
    way to start one."""
    if real_target(src) == real_target(out):
        raise LedgerError(
            Diagnostic(
                "E301",
                f"cannot read {src}: No such file or directory",
                hint=f'a new ledger file starts empty: write {{"ledger": []}} to {src} first '
                "(a path that does not exist is never read as no earlier grants)",
            )
        )


# ---- policyrules ledger ... -------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.store)
    if path.exists() or path.is_symlink():
        what = "a ledger store" if is_store(path) and path.is_file() else "a file"
        raise LedgerError(
            Diagnostic(
                "E337",
                f"{path}: already exists ({what}); ledger init makes a new store only",
                hint="use it with --ledger, or name a new file",
            )
        )
    if not is_store_name(path):
        raise LedgerError(
            Diagnostic(
                "E337",
                f"{path}: a ledger store's name ends in .db, .sqlite or .sqlite3",
                hint=f"policyrules ledger init {path.with_suffix('.db')}",
            )
        )
    check_writable(path)
    LedgerStore.open(path, create=True).close()
    print(printable(f"made an empty ledger store {path}"), file=sys.stderr)
    return 0


def _store_to_import(store: Path, file: Path, raw: bytes) -> None:
    """Refuse a ledger store given as the file to import (E343), saying what it is."""
    if not starts_like_store(raw):
        return
    try:
        same = file.samefile(store)
    except OSError:
        same = False
    what = "the store itself (its grants are in it already)" if same else "a ledger store"
    name = str(file) if file.is_file() else "OTHER.db"  # a pipe cannot be exported
    raise LedgerError(
        Diagnostic(
            "E343",
            f"{file}: {what}, not a JSON/YAML ledger file; `ledger import` reads YAML or JSON",
            hint=f"to copy a store's grants into {store}: `policyrules ledger export {name} "
            f"--out grants.yaml`, then `policyrules ledger import --policy POLICY {store} "
            "grants.yaml`",
        )
    )


def cmd_import(args: argparse.Namespace) -> int:
    policy = load(args.policy)
    raw = read_bytes(args.file)  # once: it may be a pipe
    _store_to_import(Path(args.store), Path(args.file), raw)
    ledger, text = read_ledger_file(policy.checked, args.file, raw=raw)
    file = str(args.file)
    store = _open_store(Path(args.store))
    with store, store.transaction(note=f"import {args.file}") as txn:
        new = record_checked(
            policy.checked,
            policy.compiled,
            txn,
            ledger,
            file,
            str(args.store),
            places=grant_places(file, text, len(ledger)),
            ids_as_written=args.ids_as_written,
        )
    already = len(ledger) - len(new)
    print(
        printable(
            f"imported {len(new)} grant(s), {new.total()}, into {args.store}"
            + (f" ({already} already there)" if already else "")
        )
    )
    return 0


# A grant as a ledger file and the store can both spell it: (provision and path ids as text,
# sorted by key), amount in fen, year.
_GrantKey: TypeAlias = tuple[tuple[tuple[str, str], ...], int, int | None]


def _grant_key(entry: Any) -> _GrantKey | None:
    """What a grant written in a ledger file says, read without a policy (nothing validated),
    so that a file's grants can be compared with the store's: ids as text, amount in fen.

    ``None`` where ``entry`` cannot be a grant: not a mapping, an amount that is not text
    naming a sum of money, a year that is not a whole number.
    """
    if not isinstance(entry, dict):
        return None
    amount, year = entry.get("amount"), whole_number(entry.get("year"))
    if not isinstance(amount, str) or not (year is None or isinstance(year, int)):
        return None
    try:
        fen = Money.parse(amount).fen
    except ValueError:
        return None
    ids = sorted((str(k), str(v)) for k, v in entry.items() if k not in ("amount", "year"))
    return tuple(ids), fen, year


def cmd_export(args: argparse.Namespace) -> int:
    if args.out is not None:
        _not_a_store_name(Path(args.out), "--out")
        check_writable(Path(args.out))
    with _open_store(Path(args.store)) as store:
        ledger = store.ledger()  # the grants and the readings they were counted by
    if args.out is None:
        fmt = args.format or "json"
        text = dump_ledger(ledger, fmt)
        sys.stdout.write(json_printable(text) if fmt == "json" else printable(text, keep="\n"))
        return 0
    out = Path(args.out)
    text = dump_ledger(ledger, args.format or _format_of(out))
    with locked([out]):
        target = real_target(out)
        if target.is_file() and target.stat().st_size:
            if is_store(out):
                raise _refuse(f"cannot write {out}: it is a ledger store", hint="name a new file")
            try:
                data = load_data(out)
            except FactsError:
                data = None
            old = data.get("ledger") if isinstance(data, dict) else data
            # Replace the file only if each entry in it is a grant the store holds: none is lost.
            stored = {_grant_key(g.to_json()) for g in ledger}
            if not isinstance(old, list) or any(
                key is None or key not in stored for key in map(_grant_key, old)
            ):
                raise _refuse(
                    f"cannot write {out}: it holds grants (or text) the store does not",
                    hint="name a new file, or import it first: policyrules ledger import",
                )
        write_atomic(out, text)
    print(
        printable(f"exported {len(ledger)} grant(s), {ledger.total()}, to {out}"), file=sys.stderr
    )
    return 0


def add_ledger_commands(sub: Any) -> None:
    """Add ``policyrules ledger init|import|export|show`` to the command parser."""
    led = sub.add_parser("ledger", help="manage a ledger store of earlier grants (SQLite)")
    cmds = led.add_subparsers(dest="ledger_command", required=True)

    n = cmds.add_parser("init", help="make a new, empty ledger store (refused if it exists)")
    n.add_argument("store", help="the new store: a .db, .sqlite or .sqlite3 name")
    n.set_defaults(run=cmd_init)

    i = cmds.add_parser("import", help="add the grants of a YAML/JSON ledger file to a store")
    i.add_argument("store", help="an existing store (make one with ledger init)")
    i.add_argument("file", help="a YAML/JSON ledger file")
    i.add_argument("--policy", required=True, help="the policy the grants are checked against")
    i.add_argument(
        "--ids-as-written",
        action="store_true",
        help="these ids are as the registry writes them: import a grant to 701 beside the "
        "store's (or the file's) 0701 as another firm's (refused otherwise, E323: a "
        "spreadsheet that read ids as numbers drops their zeros)",
    )
    i.set_defaults(run=cmd_import)

    x = cmds.add_parser("export", help="write every grant of a store as YAML/JSON")
    x.add_argument("store")
    x.add_argument("--out", help="a file (default: standard output)")
    x.add_argument("--format", choices=("json", "yaml"), help="default: from --out, else json")
    x.set_defaults(run=cmd_export)

    s = cmds.add_parser("show", help="list the grants of a store with when they were recorded")
    s.add_argument("store")
    add_format(s)
    s.set_defaults(run=cmd_show)
