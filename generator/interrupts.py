"""Steps that Ctrl+C (SIGINT) or SIGTERM must not cut in two: the signal is acted on when the step ends.

A build swaps its folder into place with two renames, and starts its search index by making a staging
folder and handing it to a thread or a forked child: an interrupt between the two halves would leave no
site, or a folder nobody removes. Handlers are swapped, not the signal mask: a signal goes to whichever
thread does not block it, and Python runs its handler in the main thread. A child forked meanwhile gets
the handlers it would have had, so that it can still be stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

NUMBERS = (signal.SIGINT, signal.SIGTERM)

_swapped: list[Any] | None = None  # the handlers set aside while a step runs


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """SIGINT and SIGTERM acted on only when the block ends (where it runs in the main thread: no handler
    interrupts another thread)."""
    global _swapped
    if threading.current_thread() is not threading.main_thread() or _swapped is not None:
        yield
        return
    caught: list[int] = []
    _swapped = [signal.signal(number, lambda number, _frame: caught.append(number)) for number in NUMBERS]
    try:
        yield
    finally:
        previous, _swapped = _swapped, None
        _restore(previous)
        if caught:
            signal.raise_signal(caught[0])


def _restore(handlers: list[Any]) -> None:
    for number, handler in zip(NUMBERS, handlers, strict=True):
        signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _in_child() -> None:
    global _swapped
    if _swapped is not None:
        previous, _swapped = _swapped, None
        _restore(previous)


os.register_at_fork(after_in_child=_in_child)
