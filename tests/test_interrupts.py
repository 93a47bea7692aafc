"""interrupts.deferred: Ctrl+C and SIGTERM acted on when a step that must not be cut in two ends."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from gongkai.interrupts import deferred
from tests.forked import asked_in_a_child


@pytest.fixture
def handled():
    """SIGINT and SIGTERM noted, not acted on, for the test's length."""
    noted: list[int] = []
    previous = {number: signal.signal(number, lambda signum, _frame: noted.append(signum))
                for number in (signal.SIGINT, signal.SIGTERM)}
    yield noted
    for number, handler in previous.items():
        signal.signal(number, handler)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_step_is_acted_on_when_it_ends(handled, number):
    """Between the swap's two renames there is no site/: Ctrl+C or SIGTERM waits until both are done,
    even while another thread (the sweeper) runs and could be the one the signal is delivered to."""
    busy = threading.Event()
    worker = threading.Thread(target=busy.wait, args=(5,))
    worker.start()
    try:
        with deferred():
            os.kill(os.getpid(), number)
            time.sleep(0.05)
            assert handled == []
        time.sleep(0.05)
        assert handled == [number]
    finally:
        busy.set()
        worker.join()


def test_a_step_inside_another_does_not_end_the_outer_ones_wait(handled):
    with deferred():
        with deferred():
            signal.raise_signal(signal.SIGTERM)
        assert handled == []
    assert handled == [signal.SIGTERM]


def test_a_child_forked_during_the_step_can_be_stopped(handled):
    """The index's child is forked while its start is deferred: it has the handlers the step set aside, so a
    SIGTERM sent to it (a CI job's timeout killing the process group) is acted on, not noted and forgotten."""
    ours = signal.getsignal(signal.SIGTERM)
    assert asked_in_a_child(deferred(), lambda: signal.getsignal(signal.SIGTERM) is ours)
    assert handled == []
