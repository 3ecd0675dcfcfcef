"""What the SQL compiler produces: a :class:`SqlPlan`, and the error it raises.

A plan is an ordered tuple of steps ``(name, SELECT)``: an engine materialises each as a
temporary table or view called ``name``, in order, so a step reads the input tables and the
steps before it.  Two steps are the outputs, ``decisions`` and ``grants``.  Every value in a
plan is built with sqlglot's expression builders (no user text is pasted into SQL), so one
plan runs on any dialect sqlglot writes: ``plan.sql("duckdb")``, ``plan.sql("spark")``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import sqlglot.expressions as exp
from sqlglot.dialects.dialect import Dialect

from ...errors import Diagnostic, PolicyRulesError
from .trees import tables_read

__all__ = ["ONE_BY_ONE", "BatchCompileError", "SqlPlan", "Step", "refuse"]

Step = tuple[str, exp.Expr]

#: What a refusal's hint offers instead: the same registry, one firm at a time, by the
#: command that reads it as the batch does (``eval --firm``), or its Python form.
ONE_BY_ONE = (
    "evaluate those firms one at a time: `policyrules eval POLICY REGISTRY --firm ID` "
    "(in Python, policy.evaluate(policy.registry_facts(REGISTRY, ID)))"
)


class BatchCompileError(PolicyRulesError, ValueError):
    """A construct the SQL back end cannot compile (E600-E619), named with its provision.

    Raised by :func:`policyrules.backends.sql.compile_batch` before anything runs: the batch
    path refuses rather than give an answer that could differ from ``policy.evaluate``."""


def refuse(code: str, message: str, hint: str | None = None) -> BatchCompileError:
    return BatchCompileError(Diagnostic(code, message, hint=hint))


@attrs.frozen
class SqlPlan:
    """A compiled batch: ``steps`` in order, the input tables they read, the two outputs.

    ``inputs``: the entity tables (their ``key``: ``firms``, ``products`` ...), ``ledger``
    and ``calendar_days``.  ``decisions`` and ``grants`` name the steps holding the
    outputs (columns in :func:`policyrules.backends.sql.compile_batch`).  ``recompute``
    names steps cheaper to compute again for each reader than to store (a provision's rows
    read by its pool's window and by its own amounts): see :meth:`tables`.  ``materialize``
    names views that :meth:`statements` writes for DuckDB as ``MATERIALIZED`` common table
    expressions: computed once for their readers in the statement, where DuckDB would
    otherwise store a step they read and compute them again for each reader; ``inline``
    names views written ``NOT MATERIALIZED``: computed by each reader (a join and a few
    expressions), where DuckDB would otherwise store them whole for their readers."""

    steps: tuple[Step, ...]
    inputs: tuple[str, ...]
    decisions: str = "decisions"
    grants: str = "grants"
    recompute: frozenset[str] = frozenset()
    materialize: frozenset[str] = frozenset()
    inline: frozenset[str] = frozenset()
    # (provision id, query) per one-time award with a yearly cap: its earlier grants in
    # another year than the facts give (.year_checks); run before the steps, any row refuses
    checks: tuple[tuple[str, exp.Select], ...] = ()
    _texts: dict[str, list[tuple[str, str]]] = attrs.field(
        factory=dict, eq=False, repr=False, alias="_texts"
    )
    _reads: dict[str, frozenset[str]] = attrs.field(
        factory=dict, eq=False, repr=False, alias="_reads"
    )
    _only: dict[tuple[str, ...], SqlPlan] = attrs.field(
        factory=dict, eq=False, repr=False, alias="_only"
    )

    def sql(self, dialect: str) -> list[tuple[str, str]]:
        """Each step as ``(name, SELECT text)`` in ``dialect`` (``duckdb``, ``spark``...),
        written once per dialect (the plan is immutable) and kept."""
        return list(self._written(dialect, copy=True))

    def check_sql(self, dialect: str) -> list[tuple[str, str]]:
        """Each of :attr:`checks` as ``(provision id, SELECT text)`` in ``dialect``."""
        writer = Dialect.get_or_raise(dialect)
        return [(pid, writer.generate(q, comments=False)) for pid, q in self.checks]

    def _written(self, dialect: str, *, copy: bool) -> list[tuple[str, str]]:
        texts = self._texts.get(dialect)
        if texts is None:
            # sqlglot copies a tree before writing it unless told not to (a third of the
            # start-up): ``copy=False`` only where the trees are not written again.  The
            # dialect is looked up once; the plan holds no comments to write.
            writer = Dialect.get_or_raise(dialect)
            texts = [
                (name, writer.generate(query, copy=copy, comments=False))
                for name, query in self.steps
            ]
            self._texts[dialect] = texts
        return texts

    def statements(self, dialect: str, *, once: bool = False) -> list[tuple[str, str]]:
        """One ``(name, SELECT text)`` per step of :meth:`tables`, in order, each with the
        views it reads (directly or through other views) written before it as common table
        expressions: an engine stores these and nothing else.  One statement per stored
        step is planned once (a chain of views is bound again by each view after it).

        ``once``: the plan is written for ``dialect`` only (its steps' trees are not
        written again for another dialect): they are written in place, not copied first,
        and sqlglot may leave a node rewritten for ``dialect``.  On DuckDB a view of
        :attr:`materialize` is written ``AS MATERIALIZED``, one of :attr:`inline` ``AS NOT
        MATERIALIZED``; other dialects get a plain common table expression (Spark has no
        such keyword)."""
        key = f"statements:{dialect}"
        done = self._texts.get(key)
        if done is not None:
            return list(done)
        stored = self.tables()  # the tables each step reads, found before writing
        reads = self.reads()
        texts = dict(self._written(dialect, copy=not once))
        order = [n for n, _ in self.steps]
        quoted = {v: exp.to_identifier(v, quoted=True) for v in order}
        writer = Dialect.get_or_raise(dialect).generator(comments=False)
        out: list[tuple[str, str]] = []
        duck = dialect == "duckdb"
        hint = {v: "MATERIALIZED " for v in self.materialize} if duck else {}
        hint.update({v: "NOT MATERIALIZED " for v in self.inline} if duck else {})
        for name in order:
            if name not in stored:
                continue
            need: set[str] = set()
            todo = [r for r in reads[name] if r in texts and r not in stored]
            while todo:
                view = todo.pop()
                if view not in need:
                    need.add(view)
                    todo.extend(r for r in reads[view] if r in texts and r not in stored)
            ctes = [
                f"{writer.sql(quoted[v])} AS {hint.get(v, '')}({texts[v]})"
                for v in order
                if v in need
            ]
            head = f"WITH {', '.join(ctes)} " if ctes else ""
            out.append((name, head + texts[name]))
        self._texts[key] = out
        return list(out)

    def reads(self) -> dict[str, frozenset[str]]:
        """The tables (inputs and steps) each step reads (found once, then kept)."""
        found = self._reads
        if not found:
            for name, query in self.steps:
                found[name] = tables_read(query)
        return found

    def tables(self) -> frozenset[str]:
        """The steps to store as tables: the outputs, and each step two or more later steps
        read (not in ``recompute``).  The others are views, planned into their readers."""
        readers: dict[str, int] = {}
        for read in self.reads().values():
            for table in read:
                readers[table] = readers.get(table, 0) + 1
        shared = {n for n, _ in self.steps if readers.get(n, 0) > 1} - self.recompute
        return frozenset(shared | (self.outputs() & set(self.reads())))

    def outputs(self) -> set[str]:
        """The names of the two outputs (a plan of :meth:`only` one holds one of them)."""
        return {self.decisions, self.grants}

    def only(self, outputs: Sequence[str]) -> SqlPlan:
        """The plan of some outputs alone (``("grants",)``: no decisions computed): the
        steps they read, directly or through other steps, in order.  A step read by the
        dropped output alone is left out, and one it shared with the kept output may
        become a view planned into its reader (:meth:`tables`), which then computes only
        the columns it reads.

        :raises ValueError: a name that is not ``"decisions"`` or ``"grants"``, or none."""
        names = {"decisions": self.decisions, "grants": self.grants}
        bad = [o for o in outputs if o not in names]
        if bad or not outputs:
            raise ValueError(f"outputs: {bad or 'none'}; choose from 'decisions', 'grants'")
        kept = self._only.get(tuple(outputs))
        if kept is not None:  # made once per plan, its SQL written once
            return kept
        reads = self.reads()
        need: set[str] = set()
        todo = [names[o] for o in outputs]
        while todo:
            step = todo.pop()
            if step in reads and step not in need:
                need.add(step)
                todo.extend(reads[step])
        steps = tuple((n, q) for n, q in self.steps if n in need)
        kept = attrs.evolve(self, steps=steps, _texts={}, _reads={}, _only={})
        self._only[tuple(outputs)] = kept
        return kept

    def drops(self, lazy: frozenset[str] = frozenset()) -> dict[str, list[str]]:
        """For each step, the stored steps (:meth:`tables`, outputs kept) no step after it
        reads, directly or through a view: they can be dropped once it is stored.  ``lazy``
        names outputs an engine keeps as views (computed when read, e.g. by the writing of
        a file): what they read is never dropped."""
        stored = self.tables()
        names = [n for n, _ in self.steps]
        reads = {n: r & set(names) for n, r in self.reads().items()}

        def under(name: str) -> set[str]:  # the steps ``name`` reads, through views
            seen: set[str] = set()
            todo = list(reads[name])
            while todo:
                t = todo.pop()
                if t not in seen:
                    seen.add(t)
                    if t not in stored:
                        todo.extend(reads[t])
            return seen

        last: dict[str, str] = {}
        for name in names:
            if name in stored:  # a view is computed when a stored step reading it is
                last.update(dict.fromkeys(under(name), name))
        kept = self.outputs().union(*(under(n) for n in lazy))
        out: dict[str, list[str]] = {}
        for t, at in last.items():
            if t in stored and t not in kept:
                out.setdefault(at, []).append(t)
        return out
