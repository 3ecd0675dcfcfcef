"""How the lines of a file moved since the text the last useful analysis was made of.

Hover, definition and completion look names up in the last analysis in which every file
parsed; while a line is half typed, the editor's text is newer than that one.  Positions
are carried between the two texts by the lines they share: the lines before the first
changed one and after the last changed one are the same lines in both, the ones between
are being edited.  Lines count from 1, as the library counts them.

>>> d = drift("a\\nb\\nc\\n", "a\\nb\\nnew\\nc\\n")
>>> d.to_old(2), d.to_old(3), d.to_old(4), d.to_new(3)
(2, None, 3, 4)
>>> d.near_old(3), d.near_new(3)
(2, 4)
>>> e = drift("a\\nx\\nc", "a\\ny\\nz\\nc")
>>> e.near_old(2), e.near_old(3), e.near_new(2)
(2, 2, 2)
"""

from __future__ import annotations

import attrs

__all__ = ["Drift", "drift"]


@attrs.frozen
class Drift:
    """The first ``head`` and last ``tail`` lines are the same in the old text (``old``
    lines) and the new one (``new`` lines); the lines between them changed."""

    head: int
    tail: int
    old: int
    new: int

    def to_old(self, line: int) -> int | None:
        """The old line a new line was, or ``None`` for a line being edited."""
        return self._across(line, self.new, self.old)

    def to_new(self, line: int) -> int | None:
        """The new line an old line is now, or ``None`` for a line edited since."""
        return self._across(line, self.old, self.new)

    def _across(self, line: int, lines: int, other: int) -> int | None:
        """A line of a text of ``lines`` lines in the text of ``other`` lines (the head and
        the tail are the same in both), or ``None`` between them."""
        if line <= self.head:
            return line
        if line > lines - self.tail:
            return line - lines + other
        return None

    def near_old(self, line: int) -> int:
        """The old line a new line was, or for a line being edited the old line it
        replaced (counting down from the first changed line), or the line before the
        insertion when it replaced none."""
        return self._near(line, self.new, self.old)

    def near_new(self, line: int) -> int:
        """The new line an old line is now, or (edited since) the nearest one as
        :meth:`near_old` finds it the other way."""
        return self._near(line, self.old, self.new)

    def _near(self, line: int, lines: int, other: int) -> int:
        """:meth:`_across`, or for a line between the head and the tail the line as far
        below the head in the other text's changed lines, or the head's last line when the
        other text has none there."""
        exact = self._across(line, lines, other)
        if exact is not None:
            return exact
        changed = other - self.tail - self.head
        if changed == 0:
            return max(self.head, 1)
        return self.head + min(line - self.head, changed)


def drift(old: str, new: str) -> Drift:
    """The lines ``old`` and ``new`` share at their start and end."""
    a, b = old.split("\n"), new.split("\n")
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return Drift(head, tail, len(a), len(b))
