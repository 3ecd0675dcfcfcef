"""The batch entry of a loaded policy: :meth:`policyrules.Policy.evaluate_batch` (a method
of :class:`BatchEntry`, a base of the policy), which reads the arguments as
:meth:`~policyrules.Policy.evaluate` does, checks the earlier grants' readings (E335) and
runs the registry on DuckDB (:func:`policyrules.batch.run_batch`) or Spark
(:func:`policyrules.batch_spark.run_batch_spark`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .api_fields import PolicyFields
from .api_values import as_of_date, holiday_choice, read_values
from .ledger_bases import OtherReading, check_readings, readings_of
from .ledger_io import read_ledger
from .ledger_years import noting
from .runtime.calendar import HOLIDAY_ASSUMPTION, WorkCalendar
from .runtime.ledger import Grant, Ledger
from .store import LedgerStore

if TYPE_CHECKING:  # DuckDB is loaded only when a batch runs
    from .batch import BatchResult
    from .batch_spark import SparkBatchResult
    from .instances import Facts
    from .progress import Progress

__all__ = ["BatchEntry"]


class BatchEntry(PolicyFields):
    """The batch entry of a loaded policy: a base of :class:`policyrules.Policy`, reading
    its fields (:class:`~policyrules.api_fields.PolicyFields`)."""

    __slots__ = ()

    def check_batch(
        self,
        *,
        parameters: Mapping[str, Any] | None = None,
        assumptions: Mapping[str, Any] | None = None,
        as_of: dt.date | str | None = None,
    ) -> None:
        """Compile the batch's plan, no registry read: what :meth:`evaluate_batch` would
        refuse to compile, learnt before any registry exists (``policyrules check
        --batch``).  ``parameters``, ``assumptions`` and ``as_of`` are read as
        :meth:`evaluate_batch` reads them (a refusal may depend on them: a tier reading
        ``highest_only``, E612; a limit's count, E650).

        :raises BatchCompileError: every construct the SQL back end does not compile, in
            one error (E600-E619, E650), sorted by file and line, each with its provision,
            its hint and the line of the ``.rule`` file it renders under.
        :raises FactsError: bad parameters or assumptions.
        """
        from .backends.sql import compile_batch

        params, assume, day = self._batch_values(parameters, assumptions, as_of)
        with self._placed():
            compile_batch(self.compiled, parameters=params, assumptions=assume, as_of=day)

    @contextlib.contextmanager
    def _placed(self) -> Iterator[None]:
        """A batch refusal raised inside, again with the ``.rule`` texts, so that it renders
        each construct under its line and a caret, as ``policyrules check`` does."""
        from .backends.sql import BatchCompileError

        try:
            yield
        except BatchCompileError as err:
            raise BatchCompileError(err.diagnostics, sources=dict(self.texts or {})) from None

    def _batch_values(
        self,
        parameters: Mapping[str, Any] | None,
        assumptions: Mapping[str, Any] | None,
        as_of: dt.date | str | None,
    ) -> tuple[dict[str, Any], dict[str, Any], dt.date | None]:
        params = dict(self.compiled.parameter_defaults)
        params.update(read_values(self.checked, parameters or {}, "parameters"))
        chosen = dict(assumptions or {})
        holiday_choice(chosen.pop(HOLIDAY_ASSUMPTION, "error"))  # refused as evaluate refuses it
        assume = dict(self.compiled.assumption_defaults)
        assume.update(read_values(self.checked, chosen, "assumptions"))
        return params, assume, as_of_date(self.checked, as_of)

    def registry_facts(self, registry: str | Path, firm: str | Sequence[str]) -> Facts:
        """The facts of one firm of a registry (or of several: ``firm`` a list of ids), to
        evaluate one by one: ``policy.evaluate(policy.registry_facts("reg", "F0001"))``
        gives, for that firm, the decisions :meth:`evaluate_batch` gives it.

        ``registry`` is read as :meth:`evaluate_batch` reads it (a directory of tables or a
        DuckDB file, every table checked, the same refusals and id rules); ``firm`` names
        rows of the ``firm`` entity's table by ``id``, exactly as written.  The facts hold
        those firms, every row of an entity under them (``firm_id`` one of them) and the
        registry's single records (``reports``); their ``extra["ledger"]`` is the
        registry's ``ledger`` table's grants to those firms, as a facts file's ``ledger:``
        (``evaluate`` counts it, as a facts file's; ``policy.facts_ledger(facts)`` reads it);
        a quota's subjects in other firms come as ``facts.rivals``, ranked with theirs as
        the batch ranks the whole registry.

        :raises TableError: the registry refused (E620-E630); E635 a firm not in the
            registry (with the ids closest to it), no firm named, or a policy without a
            ``firm`` entity.
        :raises LedgerError: E320 the registry's ``ledger`` table cannot be read.
        """
        from .registry_facts import registry_facts

        firms = [firm] if isinstance(firm, str) else list(firm)
        return registry_facts(self.checked, registry, firms)

    @overload
    def evaluate_batch(
        self,
        registry: str | Path,
        *,
        ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
        parameters: Mapping[str, Any] | None = None,
        assumptions: Mapping[str, Any] | None = None,
        as_of: dt.date | str | None = None,
        progress: Progress | None = None,
        memory_limit: str | None = None,
        engine: Literal["duckdb"] = "duckdb",
        on_other_reading: Callable[[OtherReading], None] | None = None,
        ledger_file: str | None = None,
    ) -> BatchResult: ...

    @overload
    def evaluate_batch(
        self,
        registry: str | Path,
        *,
        ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
        parameters: Mapping[str, Any] | None = None,
        assumptions: Mapping[str, Any] | None = None,
        as_of: dt.date | str | None = None,
        progress: Progress | None = None,
        engine: Literal["spark"],
        master: str | None = "local[*]",
        spark_conf: Mapping[str, str] | None = None,
        on_other_reading: Callable[[OtherReading], None] | None = None,
        ledger_file: str | None = None,
    ) -> SparkBatchResult: ...

    def evaluate_batch(
        self,
        registry: str | Path,
        *,
        ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
        parameters: Mapping[str, Any] | None = None,
        assumptions: Mapping[str, Any] | None = None,
        as_of: dt.date | str | None = None,
        progress: Progress | None = None,
        memory_limit: str | None = None,
        engine: Literal["duckdb", "spark"] = "duckdb",
        master: str | None = "local[*]",
        spark_conf: Mapping[str, str] | None = None,
        on_other_reading: Callable[[OtherReading], None] | None = None,
        ledger_file: str | None = None,
    ) -> BatchResult | SparkBatchResult:
        """Evaluate every firm of a registry at once, on DuckDB in process (the default) or
        on Spark (``engine="spark"``).

        ``registry`` is a directory holding one table per entity, named by the entity's key
        (``firms.parquet``, ``products.csv`` with ``firm_id``, ``projects.jsonl``...) and
        optionally ``ledger``, or a DuckDB database file holding such tables (formats and
        type rules: :mod:`policyrules.tables`).  ``ledger`` adds earlier grants as for
        :meth:`~policyrules.Policy.evaluate` (a store is only read); ``parameters``,
        ``assumptions`` and ``as_of`` are read as for :meth:`~policyrules.Policy.evaluate`,
        and a date fact of the registry later than ``as_of`` is refused as it refuses one
        (E353, the same words, placed at the table's file), before the ledger is read.
        ``memory_limit`` bounds DuckDB's memory (``"1GB"``); beyond it DuckDB works on disk.

        Returns a :class:`~policyrules.batch.BatchResult`: the ``decisions`` and ``grants``
        tables (money in fen) in a DuckDB connection, ``summary``, and ``write(out, fmt)``.
        Each decision is the one :meth:`~policyrules.Policy.evaluate` gives for the same firm.

        With ``engine="spark"`` the registry is a directory of Parquet tables (local, or a URL
        Spark reads: ``hdfs://``, ``s3a://``), run by Spark at ``master`` (``"local[*]"``,
        ``"spark://head:7077"``, ``"yarn"``; ``None``: spark-submit's) with ``spark_conf``;
        returns a :class:`~policyrules.batch_spark.SparkBatchResult` (DataFrames, computed
        when written) and raises :class:`~policyrules.backends.sql.spark.SparkBatchError`
        (E640-E648) where Spark cannot start or run.  ``memory_limit`` is DuckDB's.

        :raises TableError: a table, column or value refused (E620-E630), located by file,
            row and column.
        :raises LedgerError: a bad earlier grant (E320-E329); an assumption value other than
            the one the ledger's grants of a provision reading it were counted by (E335: a
            store's record; a ledger value's ``bases``, or the default when it has none, as
            for the registry's ``ledger`` table), unless ``on_other_reading`` takes it (as
            for :meth:`~policyrules.Policy.evaluate`); ``ledger_file`` names the ledger (its
            file) there.
        :raises FactsError: bad parameters or assumptions; a date fact later than ``as_of``
            (E353).
        :raises BatchCompileError: a construct the SQL back end cannot compile (E600-E619).
        """
        from .batch import run_batch

        if engine not in ("duckdb", "spark"):
            from .batch_spark import unknown_engine

            raise unknown_engine(engine)
        params = dict(self.compiled.parameter_defaults)
        params.update(read_values(self.checked, parameters or {}, "parameters"))
        chosen = dict(assumptions or {})
        calendar = WorkCalendar(holiday_choice(chosen.pop(HOLIDAY_ASSUMPTION, "error")))
        assume = dict(self.compiled.assumption_defaults)
        assume.update(read_values(self.checked, chosen, "assumptions"))
        day = as_of_date(self.checked, as_of)
        skip: set[str] = set()  # E349 passes over them: read in another reading's accounts
        on_other_reading = noting(on_other_reading, skip)
        given: tuple[str, Ledger] | None = None
        if isinstance(ledger, LedgerStore):
            with ledger.transaction(write=False) as txn:
                where = f"{ledger.path}: grants"
                stored = read_ledger(self.checked, txn.grants(), where, counted_by=txn.bases())
                given = (str(ledger.path), Ledger(stored.grants, bases=txn.bases()))
        elif ledger is not None:
            given = (ledger_file or "the ledger given", read_ledger(self.checked, ledger))
        if given is not None:  # E335: the readings the provisions read, as evaluate checks
            granted = {g.provision for g in given[1]}
            defaults = self.compiled.assumption_defaults
            used = readings_of(self.checked, assume, granted)
            source = "store" if isinstance(ledger, LedgerStore) else "file"
            check_readings(given[1], used, defaults, given[0], on_other_reading, source)
        # Read and checked as for either engine: the registry's own ledger and E349 are theirs.
        read: dict[str, Any] = {
            "parameters": params,
            "assumptions": assume,
            "calendar": calendar,
            "as_of": day,
            "ledger": given,
            "progress": progress,
            "on_other_reading": on_other_reading,
            "skip": skip,
            "keyed": self._keyed,
        }
        if engine == "spark":
            from .batch_spark import refuse_options, run_batch_spark

            refuse_options(memory_limit=memory_limit)
            with self._placed():
                return run_batch_spark(
                    self.compiled, registry, master=master, conf=spark_conf, **read
                )
        with self._placed():
            return run_batch(self.compiled, registry, memory_limit=memory_limit, **read)
