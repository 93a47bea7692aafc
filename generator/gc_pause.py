"""Pausing Python's cycle collector around bulk work on long-lived, acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Holds under way (`hold_frozen`): while there is one, frozen objects stay frozen. Counted here because asking the
# collector (gc.get_freeze_count) walks every frozen object: with a build's objects frozen that was a sixth of a
# test process's time.
_holds = 0


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Loading and checking make hundreds of thousands of objects and no reference cycles; the
    collector would only rescan them again and again (about a third of the time at 10,000 items)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def made_to_last() -> Iterator[None]:
    """`cycle_collection_paused` for work whose objects live as long as the run: they then join the oldest
    generation without a scan (the next young collections would walk all of them again)."""
    with cycle_collection_paused():
        yield
        gc.freeze()
        if not _holds:  # objects someone holds frozen stay frozen
            gc.unfreeze()


def hold_frozen() -> None:
    """Freeze every object so far until `let_go`: the collector never scans them, nor, in a forked child, touches
    the memory it shares with its parent. Objects frozen later (`made_to_last`) stay frozen with them."""
    global _holds
    gc.freeze()
    _holds += 1


def let_go() -> None:
    """End a hold; with the last one, the frozen objects join the oldest generation (garbage among them is collected
    again)."""
    global _holds
    _holds -= 1
    if not _holds:
        gc.unfreeze()


@contextmanager
def kept_frozen() -> Iterator[None]:
    """`hold_frozen` for the length of a block."""
    hold_frozen()
    try:
        yield
    finally:
        let_go()
