"""memory_budget.capped: a step may ask for a fixed amount of memory more than the process held."""

from __future__ import annotations

import resource
import subprocess
import threading

import pytest

from gongkai import memory_budget
from tests.forked import asked_in_a_child

MB = 1 << 20


def _soft() -> int:
    return resource.getrlimit(resource.RLIMIT_AS)[0]


def test_a_step_asking_for_more_gets_memory_error_and_the_limit_is_lifted_after():
    before = _soft()
    with memory_budget.capped(64 * MB):
        assert _soft() != before
        with pytest.raises(MemoryError):
            bytearray(256 * MB)
        bytearray(8 * MB)  # well within it
    assert _soft() == before
    bytearray(256 * MB)


def test_steps_at_once_in_two_threads_share_the_cap_until_the_last_ends():
    before = _soft()
    started, release = threading.Event(), threading.Event()

    def other_step() -> None:
        with memory_budget.capped(64 * MB):
            started.set()
            release.wait(10)

    thread = threading.Thread(target=other_step)
    thread.start()
    started.wait(10)
    with memory_budget.capped(64 * MB):
        capped = _soft()
    assert _soft() == capped != before  # the other step still runs under it
    release.set()
    thread.join()
    assert _soft() == before


def test_a_lower_limit_set_already_is_kept():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm", "rb") as statm:
        held = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (held + 512 * MB, hard))  # a container's, `ulimit -v`
    try:
        with memory_budget.capped(1024 * MB):
            assert _soft() == held + 512 * MB
        assert _soft() == held + 512 * MB
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_program_started_during_a_step_gets_the_limit_the_process_had():
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_budget.capped(64 * MB):
        child = subprocess.Popen(["sleep", "5"])
        memory_budget.release(child.pid)
        given = resource.prlimit(child.pid, resource.RLIMIT_AS)
    child.kill()
    child.wait()
    assert given == before


def test_a_child_forked_during_a_step_has_the_limit_the_process_had():
    before = resource.getrlimit(resource.RLIMIT_AS)

    def lifted_after_its_own_step() -> bool:
        with memory_budget.capped(64 * MB):  # its own steps are capped and lifted as the parent's
            pass
        return resource.getrlimit(resource.RLIMIT_AS) == before

    assert asked_in_a_child(memory_budget.capped(64 * MB), lifted_after_its_own_step)
