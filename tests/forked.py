"""Asking a child forked at a given moment what it sees."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager


def asked_in_a_child(during: AbstractContextManager, question: Callable[[], bool]) -> bool:
    """Whether `question()` holds in a child forked while `during` is entered (the answer comes back over a pipe)."""
    reading, writing = os.pipe()
    with during:
        child = os.fork()
        if child == 0:
            try:
                os.write(writing, b"1" if question() else b"0")
            finally:
                os._exit(0)
    os.close(writing)
    try:
        return os.read(reading, 1) == b"1"
    finally:
        os.close(reading)
        os.waitpid(child, 0)
