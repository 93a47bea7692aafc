"""Pausing Python's cycle collector around bulk work on long-lived, acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
    frozen = gc.get_freeze_count()
    with cycle_collection_paused():
        yield
        gc.freeze()
        if not frozen:  # someone else's frozen objects stay frozen
            gc.unfreeze()
