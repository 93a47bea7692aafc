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
