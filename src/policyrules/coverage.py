"""Coverage: what each measure of each document encodes and what it leaves open.

:func:`coverage_text` says it in English, :func:`coverage_text_zh` in Chinese: each line in
words, with the policy's own titles (:class:`~policyrules.words.Words`), the Chinese with no
rule names (the English text gives them in brackets); :func:`coverage_json` gives both the
data (English keys) and the Chinese text.
"""

from __future__ import annotations

from typing import Any

import attrs

from .model import CheckedPolicy, ClauseInfo
from .output import write_csv, write_jsonl
from .terminal import printable
from .vocab import COVERAGE_LINES, KINDS, heading_zh
from .words import Words

__all__ = [
    "ClauseCoverage",
    "coverage",
    "coverage_json",
    "coverage_text",
    "coverage_text_zh",
    "write_coverage",
]


@attrs.frozen
class ClauseCoverage:
    """One measure: its kinds, its provisions, and its open points."""

    document: str
    label: str
    chapter: str | None
    title: str | None
    kinds: tuple[str, ...]
    provisions: tuple[str, ...]
    unset_parameters: tuple[str, ...]
    determinations: tuple[str, ...]
    decided: tuple[str, ...]
    assumptions: tuple[str, ...]
    twins: tuple[str, ...]
    agencies: tuple[str, ...]
    notes: int


def _row(policy: CheckedPolicy, c: ClauseInfo) -> ClauseCoverage:
    determinations = {
        f"{e.name}.{f.name}" for e in policy.entities for f in e.facts if f.determination
    }
    used = {
        f"{e.name}.{fact}"
        for p in c.provisions
        for e in policy.chain(p.subject)
        for fact in p.facts
        if e.fact(fact) is not None
    }
    params = {name for p in c.provisions for name in p.parameters}
    unset = sorted(n for n in params if (i := policy.parameter(n)) and i.default is None)
    return ClauseCoverage(
        document=c.document,
        label=c.label,
        chapter=c.chapter[0] if c.chapter else None,
        title=c.title,
        kinds=c.kinds,
        provisions=tuple(p.name for p in c.provisions),
        unset_parameters=tuple(unset),
        determinations=tuple(sorted(used & determinations)),
        decided=tuple(
            sorted(
                {p.decided.fact for p in c.provisions if p.decided}
                | {p.range.decided for p in c.provisions if p.range and p.range.decided}
            )
        ),
        assumptions=tuple(sorted({a for p in c.provisions for a in p.assumptions})),
        twins=policy.twins_of(c.id),
        agencies=c.agencies,
        notes=len(c.notes),
    )


def coverage(policy: CheckedPolicy) -> list[ClauseCoverage]:
    """One row per encoded measure, in document order."""
    return [_row(policy, c) for c in policy.clauses]


def _counts(policy: CheckedPolicy) -> list[tuple[str, int, int | None]]:
    out = []
    for d in policy.documents:
        n = sum(1 for c in policy.clauses if c.document == d.name)
        out.append((d.number or d.name, n, d.measures))
    return out


@attrs.frozen
class _Totals:
    """The counts in all: a document without ``measures N`` has no total of its own, so its
    encoded measures are counted apart, never as its total (1 of 1 where it may have 20)."""

    encoded: int
    stated: int  # measures, by the documents that state ``measures N``
    stated_encoded: int  # of them, those encoded
    unstated_encoded: int  # measures encoded of the documents that state no count
    unstated_documents: int


def _totals(counts: list[tuple[str, int, int | None]]) -> _Totals:
    stated = [(n, expected) for _, n, expected in counts if expected is not None]
    unstated = [n for _, n, expected in counts if expected is None]
    return _Totals(
        encoded=sum(n for _, n, _ in counts),
        stated=sum(expected for _, expected in stated),
        stated_encoded=sum(n for n, _ in stated),
        unstated_encoded=sum(unstated),
        unstated_documents=len(unstated),
    )


def _total_en(t: _Totals, documents: int) -> str:
    if not t.unstated_documents:
        return f"total: {t.encoded}/{t.stated} measures encoded"
    if t.unstated_documents == documents:
        return f"total: {t.encoded} measures encoded, no document states its count"
    return (
        f"total: {t.encoded} measures encoded: {t.stated_encoded}/{t.stated} in the documents "
        f"stating their count, {t.unstated_encoded} in {t.unstated_documents} stating none"
    )


def coverage_text(policy: CheckedPolicy) -> str:
    """A table of every measure, then the totals per document; names and titles from the
    rule files are escaped (:func:`~policyrules.terminal.printable`)."""
    lines = []
    for r in coverage(policy):
        doc = policy.document(r.document)
        head = f"{doc.number if doc and doc.number else r.document} {r.label}"
        lines.append(f"{head:<24} {'+'.join(r.kinds):<28} {r.title or ''}")
        open_points = [
            *(f"unset parameter {p}" for p in r.unset_parameters),
            *(f"determination {d}" for d in r.determinations),
            *(f"decided amount {d}" for d in r.decided),
            *(f"assumption {a}" for a in r.assumptions),
            *(f"twin {t}" for t in r.twins),
        ]
        lines.extend(f"{'':<24} · {p}" for p in open_points)
    lines.append("")
    counts = _counts(policy)
    for number, n, expected in counts:
        lines.append(f"{number}: {n}/{expected if expected is not None else '?'} measures")
    lines.append(_total_en(_totals(counts), len(counts)))
    return "\n".join(printable(line) for line in lines) + "\n"


def _number(policy: CheckedPolicy, document: str) -> str:
    doc = policy.document(document)
    return doc.number if doc is not None and doc.number else document


def _decided_zh(policy: CheckedPolicy, w: Words, clause: ClauseInfo, name: str) -> str:
    """A decided fact's line: an amount the agency decides, or its pick within a range the
    text sets (a rate or an amount), by the fact's title on the subject that has it."""
    for p in clause.provisions:
        ranged = p.range is not None and p.range.decided == name
        if ranged or (p.decided is not None and p.decided.fact == name):
            owner = next((e.name for e in policy.chain(p.subject) if e.fact(name)), None)
            title = w.fact_title(f"{owner}.{name}") if owner else name
            line = COVERAGE_LINES["decided_range" if ranged else "decided"]
            return line.format(title=title)
    return COVERAGE_LINES["decided"].format(title=name)


def _twin_zh(policy: CheckedPolicy, twin: str) -> str:
    other = policy.clause(twin)
    where = heading_zh(_number(policy, other.document), other.label) if other else twin
    return COVERAGE_LINES["twin"].format(clause=where)


def _measure_zh(
    policy: CheckedPolicy, w: Words, clause: ClauseInfo, r: ClauseCoverage
) -> list[str]:
    """One measure (``r`` its row) in Chinese: its heading with its kinds, then a line per
    open point, in the order of the English table."""
    kinds = "、".join(KINDS.get(k, k) for k in r.kinds)
    head = f"{heading_zh(_number(policy, r.document), r.label, r.title)}（{kinds}）"
    say = COVERAGE_LINES
    points = [
        *(say["unset"].format(title=w.parameter(n)) for n in r.unset_parameters),
        *(say["determination"].format(title=w.fact_title(d)) for d in r.determinations),
        *(_decided_zh(policy, w, clause, d) for d in r.decided),
        *(say["assumption"].format(title=w.assumption(a)) for a in r.assumptions),
        *(_twin_zh(policy, t) for t in r.twins),
    ]
    return [head, *(f"  · {p}" for p in points)]


def _counts_zh(policy: CheckedPolicy) -> list[str]:
    counts = _counts(policy)
    lines = [
        COVERAGE_LINES["count"].format(document=number, measures=expected, encoded=n)
        if expected is not None
        else COVERAGE_LINES["count_unstated"].format(document=number, encoded=n)
        for number, n, expected in counts
    ]
    t = _totals(counts)
    if not t.unstated_documents:
        total = COVERAGE_LINES["total"].format(measures=t.stated, encoded=t.encoded)
    elif t.unstated_documents == len(counts):
        total = COVERAGE_LINES["total_unstated"].format(encoded=t.encoded)
    else:
        total = COVERAGE_LINES["total_part"].format(
            encoded=t.encoded,
            measures=t.stated,
            stated_encoded=t.stated_encoded,
            documents=t.unstated_documents,
            unstated_encoded=t.unstated_encoded,
        )
    return [*lines, total]


def _lines_zh(
    policy: CheckedPolicy, w: Words, rows: list[ClauseCoverage]
) -> tuple[list[list[str]], list[str]]:
    """The lines of each measure (``rows``: one per clause, in order), and of the counts."""
    blocks = [_measure_zh(policy, w, c, r) for c, r in zip(policy.clauses, rows, strict=True)]
    return blocks, _counts_zh(policy)


def coverage_text_zh(policy: CheckedPolicy, words: Words | None = None) -> str:
    """:func:`coverage_text` in Chinese: each measure's heading as the text prints it, with
    its kinds (``京经信发〔2025〕50号 第3条 创新产品上市奖励（资金支持）``), then one line per
    open point in words (:data:`~policyrules.vocab.COVERAGE_LINES`), each fact, parameter and
    assumption by its title in ``words`` (default ``Words.of(policy)``), never its name;
    then the counts.  Escaped as :func:`coverage_text`."""
    blocks, counts = _lines_zh(policy, words or Words.of(policy), coverage(policy))
    lines = [*(line for block in blocks for line in block), "", *counts]
    return "\n".join(printable(line) for line in lines) + "\n"


def coverage_json(policy: CheckedPolicy, words: Words | None = None) -> dict[str, Any]:
    """The same as JSON-ready data, its keys English; as ``eval``'s JSON, each measure and
    the whole also carry ``text_zh``, the Chinese text (:func:`coverage_text_zh`, not
    escaped: JSON escapes its own way)."""
    rows = coverage(policy)
    blocks, counts = _lines_zh(policy, words or Words.of(policy), rows)
    texts = ["\n".join(block) for block in blocks]
    return {
        "clauses": [
            {**attrs.asdict(r), "text_zh": text} for r, text in zip(rows, texts, strict=True)
        ],
        "documents": [
            {"document": number, "encoded": n, "measures": expected}
            for number, n, expected in _counts(policy)
        ],
        "text_zh": "\n".join([*texts, "", *counts]) + "\n",
    }


def write_coverage(fmt: str, policy: CheckedPolicy) -> None:
    """``jsonl``: one measure a line (the rows of :func:`coverage_json` without ``text_zh``,
    as ``eval``'s JSON Lines hold no Chinese text); ``csv``: one measure a row, lists as JSON
    arrays (:mod:`policyrules.output`)."""
    rows = [attrs.asdict(r) for r in coverage(policy)]
    if fmt == "jsonl":
        write_jsonl(rows)
    else:
        write_csv(rows, [f.name for f in attrs.fields(ClauseCoverage)])
