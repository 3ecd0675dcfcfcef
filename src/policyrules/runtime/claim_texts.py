"""What a cap account's claim log says of its claims: the texts of the earlier claims a
claim's cap line shows (``f1/P2 150 万元``, ``12 claims, 1500 万元 in all; the last 3: …``),
each claim once (a schedule's joined payments with their sum), and whether their total is a
bound and which limit bounds it.

:class:`ClaimTexts` is the part of :class:`~policyrules.runtime.claim_log.ClaimLog` that
says: its methods read the log's lists, kept by the log (the record: appending, joining,
the undecided claims, the views).
"""

from __future__ import annotations

from bisect import bisect_left

from .money import cn_text

__all__ = ["AT_MOST_EN", "AT_MOST_ZH", "UNKNOWN_ZH", "ClaimTexts"]

# How the Chinese text says the amount of a claim holding
# :data:`~policyrules.runtime.claim_log.OPEN_FEN` (nothing bounds it).
UNKNOWN_ZH = "金额未知"
# An undecided claim's amount is its upper bound: said as one, never as a fixed amount.
AT_MOST_ZH, AT_MOST_EN = "至多 ", "up to "


def _bounded_en(bound: int, total: str) -> str:
    """Earlier claims' total said as the cap's limit that bounds it (``total``: their sum)."""
    return (
        f"{AT_MOST_EN}{cn_text(bound)} in all (their bounds add up to {total}; "
        "the cap holds them to its limit)"
    )


class ClaimTexts:
    """The texts of a claim log's claims (a base of
    :class:`~policyrules.runtime.claim_log.ClaimLog`, whose slots hold the lists read
    here): :meth:`texts` and :meth:`claim_texts` of the last few, :meth:`describe` of the
    first ``stop`` with their count and total, a bound where it is one."""

    __slots__ = ()
    # (the log's, :class:`~policyrules.runtime.claim_log.ClaimLog`)
    subjects: list[str]
    amounts: list[int]
    totals: list[int]
    held: list[tuple[int, str, str]]
    shown: dict[int, str]
    opened: set[int]
    more: list[int] | tuple[()]

    def claim_count(self, stop: int) -> int:
        """How many claims the first ``stop`` entries are (a schedule's payments joined
        by :meth:`~policyrules.runtime.claim_log.ClaimLog.join` one)."""
        more = self.more
        return stop - bisect_left(more, stop) if more else stop

    def claim_texts(self, stop: int, last: int, unknown: str, at_most: str) -> list[str]:
        """:meth:`texts` of the last ``last`` claims of the first ``stop`` entries, each
        claim once: one of several entries (:meth:`join`) with their sum (``<unknown>``
        where one holds an amount nothing bounds, ``<at_most>`` where one is undecided)."""
        more = self.more
        if not more or more[0] >= stop:
            return self.texts(stop - last if stop > last else 0, stop, unknown, at_most)
        out: list[str] = []
        held, opened, subjects, totals = self.held, self.opened, self.subjects, self.totals
        for start, end in self.claim_runs(stop, last):
            if end - start == 1:
                out += self.texts(start, end, unknown, at_most)
            elif any(k in opened for k in range(start, end)):
                out.append(f"{subjects[start]} {unknown}")
            else:
                fen = cn_text(totals[end] - totals[start])
                h = bisect_left(held, (start,))
                bound = at_most if h < len(held) and held[h][0] < end else ""
                out.append(f"{subjects[start]} {bound}{fen}")
        return out

    def claim_runs(self, stop: int, last: int) -> list[tuple[int, int]]:
        """The entries (start, stop) of each of the last ``last`` claims of the first
        ``stop`` entries, in order: one entry each, or a schedule's joined payments
        (:meth:`join`)."""
        more = self.more
        runs: list[tuple[int, int]] = []
        j = bisect_left(more, stop) - 1
        while stop and len(runs) < last:
            start = stop - 1
            while j >= 0 and more[j] == start:
                start -= 1
                j -= 1
            runs.append((start, stop))
            stop = start
        runs.reverse()
        return runs

    def texts(self, start: int, stop: int, unknown: str, at_most: str) -> list[str]:
        """``f1/P2 150 万元`` for claims ``start`` to ``stop`` (``f1/P3 <unknown>`` for one
        holding an amount nothing bounds, ``f1/P4 <at_most>80 万元`` for an undecided one,
        its amount a bound); a decided claim's text is made once (the next few views show it
        too), as are the amounts' texts, from their fen.  Each text is kept by its claim's
        number: two threads saying one result may both make it, either kept."""
        texts, opened, held = self.shown, self.opened, self.held
        if stop - start == 3 and not opened and not held:
            # Three decided claims (most views): the last made now (most: the views come
            # in the log's order), the two before kept by the views before; else the loop.
            k = stop - 1
            last = texts.get(k)
            if last is None:
                last = texts[k] = f"{self.subjects[k]} {cn_text(self.amounts[k])}"
            first, second = texts.get(start), texts.get(start + 1)
            if first is not None and second is not None:
                return [first, second, last]
        parts = []
        for k in range(start, stop):
            if opened and k in opened:
                parts.append(f"{self.subjects[k]} {unknown}")
                continue
            if held and (h := bisect_left(held, (k,))) < len(held) and held[h][0] == k:
                parts.append(f"{self.subjects[k]} {at_most}{cn_text(self.amounts[k])}")
                continue
            text = texts.get(k)
            if text is None:
                text = texts[k] = f"{self.subjects[k]} {cn_text(self.amounts[k])}"
            parts.append(text)
        return parts

    def total_at_most(self, stop: int) -> bool:
        """Whether the total of the first ``stop`` claims is an upper bound, not an amount:
        an undecided claim among them, and none whose amount nothing bounds (their total
        is then no bound at all, and said as it stands)."""
        held, opened = self.held, self.opened
        return bool(held) and held[0][0] < stop and not (opened and min(opened) < stop)

    def bounded(self, stop: int, ceiling: int | None) -> int | None:
        """The cap's limit ``ceiling`` (fen) where it, not the sum, bounds the first ``stop``
        claims: their total is a bound (:meth:`total_at_most`) above it.  An undecided
        claim holds its own upper bound, each as if the others took less, so the bounds may
        add up to more than the cap lets them take together (at most 100 万元 and three of
        20 万元 under 150 万元: 160 万元, never more than 150 万元 taken); ``ceiling`` is
        ``None`` unless every claim of the account is cut against that one limit
        (:attr:`~policyrules.backends.python.compile.CompiledCap.ceiling`)."""
        if ceiling is None or self.totals[stop] <= ceiling or not self.total_at_most(stop):
            return None
        return ceiling

    def describe(self, stop: int, last: int = 3, ceiling: int | None = None) -> str:
        """:meth:`Earlier.describe` of the first ``stop`` entries (without making the view)."""
        more = self.more
        if more and more[0] < stop:  # a schedule's payments among them (rare)
            return self._describe_claims(stop, last, ceiling)
        start = stop - last if stop > last else 0
        shown = ", ".join(self.texts(start, stop, "(amount unknown)", AT_MOST_EN))
        if stop > last:
            total = cn_text(self.totals[stop])
            bound = self.bounded(stop, ceiling)
            if bound is not None:
                total = _bounded_en(bound, total)
            elif self.total_at_most(stop):
                total = f"{AT_MOST_EN}{total} in all"
            else:  # (most: the total as it stands, said in the line at once)
                return f"{stop} claims, {total} in all; the last {last}: {shown}"
            shown = f"{stop} claims, {total}; the last {last}: {shown}"
        return shown

    def _describe_claims(self, stop: int, last: int, ceiling: int | None) -> str:
        """:meth:`describe` with a schedule's payments among the entries: each claim once
        (:meth:`claim_texts`), and the payments (``7 claims (21 payments), …``)."""
        count = self.claim_count(stop)
        shown = ", ".join(self.claim_texts(stop, last, "(amount unknown)", AT_MOST_EN))
        if count <= last:
            return shown
        total = cn_text(self.totals[stop])
        bound = self.bounded(stop, ceiling)
        if bound is not None:
            total = _bounded_en(bound, total)
        else:
            total = f"{AT_MOST_EN if self.total_at_most(stop) else ''}{total} in all"
        return f"{count} claims ({stop} payments), {total}; the last {last}: {shown}"
