"""What-if over a registry: the batch run twice on DuckDB, before and after ``--set``/``--assume``.

:func:`what_if_batch` runs :meth:`policyrules.Policy.evaluate_batch` as the registry
stands, keeps its ``decisions`` in a temporary Parquet file, runs it again with the parameters and
assumptions given, and joins the two in DuckDB by provision and subject.  Nothing is built
per row in Python: the counts and sums come from SQL, money in fen (HUGEINT sums, BIGINT
in the files), never a float.  A decision changes as in :mod:`policyrules.diff` (status,
amount or amount kind differs, or it is in one run only).  :meth:`BatchWhatIf.text_zh` says
it in Chinese, each provision headed as the Chinese texts head its decisions.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import duckdb

from .api import Policy
from .diff import Totals, reading_notes, signed, totals_json, totals_line
from .diff_zh import (
    NO_CHANGE_ZH,
    count_zh,
    measure_zh,
    notes_zh,
    provision_delta_zh,
    totals_zh,
    written_zh,
)
from .errors import Diagnostic, PolicyRulesError
from .facts_dated import AfterToday
from .ledger_bases import OtherReading
from .runtime.ledger import Grant, Ledger
from .runtime.money import Money, cn_texts
from .store import LedgerStore

__all__ = ["BatchWhatIf", "ProvisionDelta", "what_if_batch"]

OUT_FORMATS = {".parquet": "PARQUET", ".csv": "CSV"}

_JOINED = """
CREATE TEMP TABLE joined AS
SELECT coalesce(a.provision, b.provision) AS provision,
       coalesce(a.subject, b.subject) AS subject,
       coalesce(a.firm, b.firm) AS firm,
       coalesce(a.kind, b.kind) AS kind,
       b.status AS status_before, CAST(b.amount_fen AS BIGINT) AS amount_fen_before,
       b.amount_kind AS amount_kind_before,
       a.status AS status_after, CAST(a.amount_fen AS BIGINT) AS amount_fen_after,
       a.amount_kind AS amount_kind_after,
       (b.provision IS NULL OR a.provision IS NULL
        OR b.status IS DISTINCT FROM a.status
        OR b.amount_fen IS DISTINCT FROM a.amount_fen
        OR b.amount_kind IS DISTINCT FROM a.amount_kind) AS changed
FROM before_run AS b FULL OUTER JOIN decisions AS a
  ON a.provision = b.provision AND a.subject IS NOT DISTINCT FROM b.subject
"""

# Per provision (and, with provision NULL, over all): decisions, changed, and the sums.
_SUMS = """
SELECT {key}, count(*), count(*) FILTER (WHERE changed),
  coalesce(sum(amount_fen_before) FILTER (WHERE amount_kind_before = 'exact'), 0),
  coalesce(sum(amount_fen_after) FILTER (WHERE amount_kind_after = 'exact'), 0),
  coalesce(sum(amount_fen_before) FILTER (WHERE amount_kind_before IN ('exact', 'up_to')), 0),
  coalesce(sum(amount_fen_after) FILTER (WHERE amount_kind_after IN ('exact', 'up_to')), 0),
  count(*) FILTER (WHERE kind = 'award' AND status_before = 'eligible'
                   AND NOT coalesce(amount_kind_before IN ('exact', 'up_to'), false)),
  count(*) FILTER (WHERE kind = 'award' AND status_after = 'eligible'
                   AND NOT coalesce(amount_kind_after IN ('exact', 'up_to'), false))
FROM joined {group}
"""


@attrs.frozen
class ProvisionDelta:
    """One provision over the registry: ``decisions`` (in either run), ``changed``, and the
    totals before and after (fen)."""

    provision: str | None
    decisions: int
    changed: int
    before: Totals
    after: Totals
    measure_zh: str = attrs.field(default="", eq=False, kw_only=True)  # as the letter heads it

    def text_zh(self) -> str:
        """``京经信发〔2025〕50号 第13条 …：1 项决定中 1 项有变化；确定金额增加 60 万元，…``."""
        return provision_delta_zh(
            self.measure_zh or self.provision or "",
            self.changed,
            self.decisions,
            self.after.exact - self.before.exact,
            self.after.upper - self.before.upper,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "decisions": self.decisions,
            "changed": self.changed,
            "exact": totals_json(self.before, self.after, "exact"),
            "upper": totals_json(self.before, self.after, "upper"),
            "unbounded": {"before": self.before.unbounded, "after": self.after.unbounded},
        }

    def row(self) -> dict[str, Any]:
        """A flat row for CSV: money in fen and in 元 text."""
        out: dict[str, Any] = {
            "provision": self.provision,
            "decisions": self.decisions,
            "changed": self.changed,
        }
        for name in ("exact", "upper"):
            was: Money = getattr(self.before, name)
            now: Money = getattr(self.after, name)
            for when, m in (("before", was), ("after", now), ("delta", now - was)):
                out[f"{name}_{when}_fen"] = m.fen
                out[f"{name}_{when}_yuan"] = str(m.yuan)
        return out


ROW_COLUMNS = (
    "provision",
    "decisions",
    "changed",
    *(
        f"{n}_{w}_{u}"
        for n in ("exact", "upper")
        for w in ("before", "after", "delta")
        for u in ("fen", "yuan")
    ),
)


@attrs.frozen
class BatchWhatIf:
    """Per provision with a changed decision, and over the whole registry (``total``)."""

    provisions: tuple[ProvisionDelta, ...]
    total: ProvisionDelta
    out: Path | None = None
    read_otherwise: tuple[OtherReading, ...] = ()  # as :class:`policyrules.diff.WhatIf`
    notes_zh: tuple[str, ...] = attrs.field(default=(), eq=False, kw_only=True)  # of those
    # without as_of: the registry's date facts after the machine's date (taken as given)
    after_today: AfterToday | None = attrs.field(default=None, kw_only=True)

    def text(self) -> str:
        """A few lines for people: each provision that changes, then the totals."""
        lines = []
        for p in self.provisions:
            exact, upper = p.after.exact - p.before.exact, p.after.upper - p.before.upper
            e, u = cn_texts(exact.fen, upper.fen)
            lines.append(
                f"{p.provision}: {p.changed} of {p.decisions} change; "
                f"exact {signed(exact, e)}, upper bounds {signed(upper, u)}"
            )
        t = self.total
        lines.extend(
            [
                *([] if lines else ["no decision changes"]),
                "",
                f"{t.changed} of {t.decisions} decision(s) change",
                totals_line("exact amounts", t.before.exact, t.after.exact),
                totals_line("upper bounds", t.before.upper, t.after.upper),
            ]
        )
        if self.out is not None:
            lines.append(f"changed rows written to {self.out}")
        lines.extend(reading_notes(self.read_otherwise))
        if self.after_today is not None and self.after_today.dates:
            lines.append(self.after_today.text())
        return "\n".join(lines) + "\n"

    def text_zh(self) -> str:
        """:meth:`text` in Chinese (the words of ``policyrules.diff_zh``)."""
        t = self.total
        lines = [p.text_zh() for p in self.provisions] or [NO_CHANGE_ZH]
        lines += ["", count_zh(t.changed, t.decisions)]
        lines += totals_zh(t.before.exact, t.after.exact, t.before.upper, t.after.upper)
        if self.out is not None:
            lines.append(written_zh(self.out))
        lines.extend(self.notes_zh)
        if self.after_today is not None and self.after_today.dates:
            lines.append(self.after_today.text_zh())
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data; ``text_zh`` on each provision and on the whole, as in
        :meth:`policyrules.diff.WhatIf.to_json`."""
        return {
            "provisions": [{**p.to_json(), "text_zh": p.text_zh()} for p in self.provisions],
            "totals": self.total.to_json(),
            "out": None if self.out is None else str(self.out),
            "read_otherwise": [r.to_json() for r in self.read_otherwise],
            **({} if self.after_today is None else {"after_today": self.after_today.to_json()}),
            "text_zh": self.text_zh(),
        }


def _delta(row: tuple[Any, ...]) -> ProvisionDelta:
    key, n, changed, eb, ea, ub, ua, nb, na = row
    return ProvisionDelta(
        key,
        int(n),
        int(changed),
        Totals(Money(int(eb)), Money(int(ub)), int(nb)),
        Totals(Money(int(ea)), Money(int(ua)), int(na)),
    )


def _check_out(out: Path) -> str:
    fmt = OUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise PolicyRulesError(
            Diagnostic(
                "E731",
                f"--out {out}: the changed rows are written as Parquet or CSV",
                hint="name a file ending in .parquet or .csv",
            )
        )
    if out.is_dir() or not out.absolute().parent.is_dir():
        raise PolicyRulesError(
            Diagnostic(
                "E732",
                f"--out {out}: cannot write a file there",
                hint="name a file in an existing directory",
            )
        )
    return fmt


def _write_changed(con: duckdb.DuckDBPyConnection, out: Path, fmt: str) -> None:
    """The changed rows into ``out``, whole or not at all (a temporary file beside it)."""
    fd, tmp = tempfile.mkstemp(dir=out.absolute().parent, prefix=f".{out.name}.")
    os.close(fd)
    try:
        con.execute(
            "COPY (SELECT * EXCLUDE (changed, kind) FROM joined WHERE changed "
            "ORDER BY firm, subject, provision) TO ? (FORMAT " + fmt + ")",
            [tmp],
        )
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def what_if_batch(
    policy: Policy,
    registry: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
    as_of: dt.date | str | None = None,
    out: str | Path | None = None,
    memory_limit: str | None = None,
    ledger_file: str | None = None,
    before_parameters: Mapping[str, Any] | None = None,
) -> BatchWhatIf:
    """The registry evaluated as it stands (with ``before_parameters``, the baseline, in
    both runs) and again with ``parameters`` (over the baseline's) and
    ``assumptions`` (read as :meth:`policyrules.Policy.evaluate_batch` reads them); the
    decisions that change counted, and the exact amounts and upper bounds summed, per
    provision and over all.  ``out`` (``.parquet`` or ``.csv``): the changed rows
    (provision, subject, firm, status, amount in fen and amount kind before and after) are
    written there.  Earlier grants counted by another reading are read as in
    :func:`policyrules.diff.what_if` (``read_otherwise``); ``ledger_file`` names the ledger.

    :raises PolicyRulesError: E731 ``out`` not ``.parquet``/``.csv``; E732 not writable.
    :raises TableError, LedgerError, FactsError, BatchCompileError: as
        ``Policy.evaluate_batch``.
    """
    fmt = None if out is None else _check_out(Path(out))
    found: set[OtherReading] = set()
    base = dict(before_parameters or {})
    with tempfile.TemporaryDirectory(prefix="policyrules-diff-") as tmp:
        kept = str(Path(tmp) / "before.parquet")
        first = policy.evaluate_batch(
            registry,
            ledger=ledger,
            as_of=as_of,
            parameters=base,
            memory_limit=memory_limit,
            on_other_reading=found.add,
            ledger_file=ledger_file,
        )
        after = first.after_today  # both runs read the same dates
        try:
            first.con.execute("COPY decisions TO ? (FORMAT PARQUET)", [kept])
        finally:
            first.close()
        second = policy.evaluate_batch(
            registry,
            ledger=ledger,
            as_of=as_of,
            parameters={**base, **(parameters or {})},
            assumptions=assumptions,
            memory_limit=memory_limit,
            on_other_reading=found.add,
            ledger_file=ledger_file,
        )
        try:
            con = second.con
            con.execute("CREATE TEMP TABLE before_run AS SELECT * FROM read_parquet(?)", [kept])
            con.execute(_JOINED)
            rows = con.execute(
                _SUMS.format(
                    key="provision",
                    group="GROUP BY provision HAVING count(*) "
                    "FILTER (WHERE changed) > 0 ORDER BY provision",
                )
            ).fetchall()
            total = con.execute(_SUMS.format(key="NULL", group="")).fetchall()[0]
            if out is not None and fmt is not None:
                _write_changed(con, Path(out), fmt)
        finally:
            second.close()
    read = tuple(sorted(found, key=attrs.astuple))
    return BatchWhatIf(
        tuple(attrs.evolve(_delta(r), measure_zh=measure_zh(policy.words, r[0])) for r in rows),
        _delta(total),
        None if out is None else Path(out),
        read,
        notes_zh=notes_zh(policy.words, read),
        after_today=after,
    )
