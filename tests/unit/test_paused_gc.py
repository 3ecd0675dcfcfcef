"""The cyclic collector paused while any thread is in a ``paused_gc`` block, and on again
once the last has left: never left off for good by two threads pausing at once."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest

from policyrules import bounds
from policyrules.bounds import paused_gc


class _Collector:
    """The ``gc`` functions ``paused_gc`` calls, with a switch of its own; a second thread
    asking whether it is on is held after reading it (``held``) until ``go`` is set."""

    def __init__(self) -> None:
        self.on = True
        self.held = threading.Event()
        self.go = threading.Event()
        self.second: threading.Thread | None = None

    def isenabled(self) -> bool:
        on = self.on
        if threading.current_thread() is self.second:
            self.held.set()
            self.go.wait(5)
        return on

    def disable(self) -> None:
        self.on = False

    def enable(self) -> None:
        self.on = True

    def get_count(self) -> tuple[int, int, int]:
        return (0, 0, 0)

    def get_freeze_count(self) -> int:
        return 0

    def get_threshold(self) -> tuple[int, int, int]:
        return (700, 10, 10)

    def collect(self, generation: int = 2) -> int:
        return 0


def test_two_threads_pausing_at_once_leave_the_collector_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A pauses; B comes in while A is inside; A leaves; B leaves.  Were B to read the
    # collector's state itself (off: A's), and switch it off only after A had switched it
    # on again, it would be left off for good (found by a helper's trial: 1 in 15 runs of
    # four threads evaluating at once).  B is held just after any such read until A has
    # left; with the count under a lock, B reads nothing while A is inside.
    fake = _Collector()
    monkeypatch.setattr(bounds, "gc", fake)
    inside = threading.Event()
    entered = threading.Event()
    seen: list[Any] = []

    def second() -> None:
        with paused_gc():
            entered.set()
            seen.append(fake.on)

    fake.second = threading.Thread(target=second)
    with paused_gc(promote=True):
        inside.set()
        fake.second.start()
        for _ in range(500):  # until B is in, or has read the state and is held
            if entered.is_set() or fake.held.is_set():
                break
            entered.wait(0.01)
    fake.go.set()
    fake.second.join(5)
    assert not fake.second.is_alive()
    assert seen == [False]  # off while B was inside
    assert fake.on  # and on once both left


def test_nested_blocks_switch_the_collector_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _Collector()
    monkeypatch.setattr(bounds, "gc", fake)
    with paused_gc():
        with paused_gc(promote=True):
            assert not fake.on
        assert not fake.on  # the outer block still runs
    assert fake.on
    fake.on = False  # a program that keeps the collector off: left off
    with paused_gc():
        pass
    assert not fake.on


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: freed by the collector only


def _oldest(value: object) -> bool:
    return any(o is value for o in gc.get_objects(2))


def test_a_program_of_large_blocks_collects_ahead_and_promotes_each_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Once a block has made as many objects as a young collection is due for, the next
    # promoting block collects the young generations as it starts (the program's cycles
    # freed, not taken to the oldest generation), and its own 2,000 objects (below
    # _PROMOTED) go to the oldest generation at once.
    monkeypatch.setattr(bounds, "_credit", 0)
    with paused_gc(promote=True):
        earlier = [[k] for k in range(2_000)]
    assert bounds._credit == bounds._CREDIT
    del earlier
    node = _Node()
    gone = weakref.ref(node)
    del node
    with paused_gc(promote=True):
        assert gone() is None
        made = [[k] for k in range(2_000)]
    assert _oldest(made)


def test_a_block_below_the_bound_without_credit_is_left_young(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first large block of a program: the young objects about are the program's, not
    # collected ahead; the block's 2,000 objects are left to the young collections.
    monkeypatch.setattr(bounds, "_credit", 0)
    gc.collect()
    with paused_gc(promote=True):
        made = [[k] for k in range(2_000)]
    assert not _oldest(made)
    assert bounds._credit == bounds._CREDIT  # the next blocks collect ahead


def test_small_blocks_alone_never_collect_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    # A program answering small calls: a block's young objects about (its last answer) are
    # left to the collector, not walked as each block starts.
    monkeypatch.setattr(bounds, "_credit", 0)
    collected: list[str] = []

    def seen(phase: str, _: object) -> None:
        collected.append(phase)

    gc.collect()
    gc.callbacks.append(seen)
    try:
        for _ in range(bounds._CREDIT + 2):
            with paused_gc(promote=True):
                [[k] for k in range(10)]
    finally:
        gc.callbacks.remove(seen)
    assert not collected
