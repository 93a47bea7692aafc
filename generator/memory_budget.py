"""A bound on the memory a step may ask for: a template's render of one page.

A template computes in the sandbox: `range()` is bounded and a render stops after its deadline, but one step may
still ask for gigabytes (`{{ "x" * 10**10 }}`, a width of `"{:>9999999999}"`), and a string doubled a few dozen
times in a loop fills any machine within its deadline. Rather than guess every operation, filter and method that
allocates, the process's address space is capped (RLIMIT_AS) while the step runs, a fixed amount above what the
process holds when it starts: whatever asks for more gets MemoryError, which fails the build with the template's
file and line, and the machine never swaps nor meets its out-of-memory killer. A limit is the process's, not a
thread's: steps running at once in several threads (the preview's) share one cap, set when the first starts and
lifted when the last ends; a program started meanwhile (Pagefind, from the index's thread) is given back the
limit the process had (`release`).
"""

from __future__ import annotations

import contextlib
import os
import resource
import threading
import time

# A page's templates take a few megabytes; a gigabyte more than the process held is nothing a page needs.
TEMPLATE_BYTES = 1 << 30
# How long a look at the address space stands: reading it for every page cost a full build ≈ 0.5 s of CPU at 10,000
# items, and no build grows by a fraction of TEMPLATE_BYTES in this long.
REMEASURE_SECONDS = 0.5

_lock = threading.Lock()
_running = 0  # steps under the cap now
_before: tuple[int, int] | None = None  # the limits the cap replaced
_statm: tuple[int, int] | None = None  # (pid, its /proc/self/statm kept open): opening it each time cost ≈ 30 µs a page
_measured: tuple[int, float, int] = (0, 0.0, 0)  # (pid, when, bytes) of the last look at the address space


class capped:  # noqa: N801 — used as a context manager, like contextlib's
    """MemoryError for an allocation that would take the process `extra` bytes beyond what it holds now (measured
    at most REMEASURE_SECONDS ago)."""

    def __init__(self, extra: int) -> None:
        self.extra = extra

    def __enter__(self) -> None:
        global _running, _before
        with _lock:
            if _running == 0:
                _before = _cap(self.extra)
            _running += 1

    def __exit__(self, *exc: object) -> None:
        global _running, _before
        with _lock:
            _running -= 1
            if _running == 0 and _before is not None:
                # Not contextlib.suppress: a deadline is never raised in this method, and would be in suppress's Python code.
                try:  # noqa: SIM105
                    resource.setrlimit(resource.RLIMIT_AS, _before)
                except (OSError, ValueError):
                    pass
                _before = None


def release(pid: int) -> None:
    """Give the program `pid`, started while a step is capped, the limit the process had before."""
    with _lock:
        before = _before
    if before is not None:
        with contextlib.suppress(OSError, ValueError):
            resource.prlimit(pid, resource.RLIMIT_AS, before)


def _cap(extra: int) -> tuple[int, int] | None:
    """Lower the soft limit to `extra` bytes above the address space now; the limits it replaced (None: none set)."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _held() + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return None  # a lower limit is set already (a container's, `ulimit -v`)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):  # no /proc (not Linux), or a limit the system refuses: no cap
        return None
    return soft, hard


def _held() -> int:
    """The process's address space, in bytes, as seen at most REMEASURE_SECONDS ago."""
    global _statm, _measured
    pid, now = os.getpid(), time.monotonic()
    if _measured[0] == pid and now - _measured[1] < REMEASURE_SECONDS:
        return _measured[2]
    if _statm is None or _statm[0] != pid:  # a forked child reads its own
        _statm = pid, os.open("/proc/self/statm", os.O_RDONLY)
    _measured = pid, now, int(os.pread(_statm[1], 64, 0).split()[0]) * os.sysconf("SC_PAGE_SIZE")
    return _measured[2]


def _in_child() -> None:
    """A child forked while another thread's step was capped has none running: the process's own limit, a free lock."""
    global _lock, _running, _before
    _lock = threading.Lock()
    if _before is not None:
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_AS, _before)
    _running, _before = 0, None


os.register_at_fork(after_in_child=_in_child)
