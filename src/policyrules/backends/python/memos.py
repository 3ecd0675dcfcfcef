"""The memos of an evaluation (:class:`Memo`), and those evaluations on the policy's
defaults share through the compiled policy (:class:`Learnt`): descriptors of the evaluator's
run (:mod:`.evaluate`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Learnt", "Memo"]

_T = TypeVar("_T")


class Memo(Generic[_T]):
    """An evaluation's memo, made on first read (``make()``) and from then on an attribute
    of the evaluation's own, which hides this one (a descriptor with no ``__set__``): an
    evaluation without explanations reads few of them, and sets none it does not read.
    Two threads reading it first at once get the same one (``dict.setdefault``)."""

    def __init__(self, make: Callable[[], _T]) -> None:
        self._make = make
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, run: Any, owner: type | None = None) -> _T:
        if run is None:  # (read on the class: there is none)
            raise AttributeError(self._name)
        made: _T = run.__dict__.setdefault(self._name, self._make())
        return made


class Learnt(Memo[_T]):
    """A memo an evaluation on the policy's defaults themselves (``Rows._learnt``) shares
    with every other such evaluation: the compiled policy's (``CompiledPolicy.learnt``),
    for what depends on the policy and its defaults alone (and, where a key or a check says
    them, the words); any other evaluation makes its own.  A one-firm call (20 claims)
    then finds what the last one found instead of making it again: the assumptions' texts,
    each provision's Chinese lines of its paid claims (``texts_zh.PaidZh``).  Threads share
    it as they share the policy's other memos: each entry written whole, the same value
    whoever writes it."""

    def __get__(self, run: Any, owner: type | None = None) -> _T:
        if run is None:
            raise AttributeError(self._name)
        learnt = run._learnt()
        if learnt is None:
            return super().__get__(run, owner)
        kept: _T = learnt.setdefault(("memo", self._name), self._make())
        made: _T = run.__dict__.setdefault(self._name, kept)
        return made
