"""Reading attachments in a separate process, so that a hostile file costs bounded time and memory.

The readers (`gongkai.readers`) run in one long-lived reading process, a fresh interpreter with an
address-space limit; the caller gives each file a deadline. A file that runs past either ends in
`Extraction.failure` (GK307) within about ten seconds, and the process is replaced for the next file.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from . import Extraction, Refused, Segment, Unread, read_file

__all__ = ["MEMORY", "SECONDS", "Extraction", "Segment", "SlowFiles", "Unread", "extract"]

SECONDS = 8.0  # per file, so that a hostile file ends in an error within 10 s
MEMORY = 768 * 1024 * 1024  # address space of the reading process


class SlowFiles:
    """What slow attachments have cost a check run: the seconds each file's reading and scanning took past
    `NORMAL_SECONDS`. Once they reach `BUDGET_SECONDS`, each later file has `LATE_SECONDS` for either (GK307 past it):
    every hostile file stayed just inside its own deadlines, so five 3 KB zips cost a check 54 s and fifty of them
    nine minutes of every CI run — and every takedown waiting behind it (the bodies' GK509 budget, for attachments)."""

    NORMAL_SECONDS = 2.0  # a large report or scanned PDF is read and scanned well within this
    BUDGET_SECONDS = 60.0
    LATE_SECONDS = 2.0

    def __init__(self) -> None:
        self.spent = 0.0

    def allowed(self, seconds: float) -> float:
        return seconds if self.spent < self.BUDGET_SECONDS else min(seconds, self.LATE_SECONDS)

    def took(self, seconds: float) -> None:
        self.spent += max(0.0, seconds - self.NORMAL_SECONDS)

    def reason(self, seconds: float) -> str:
        """Why a file ran out of `seconds` (Chinese)."""
        if seconds >= self.NORMAL_SECONDS and self.spent < self.BUDGET_SECONDS:
            return "文件可能是为耗尽时间而构造的"
        return f"此前读取缓慢的附件已用完 {self.BUDGET_SECONDS:g} 秒的时间预算，之后每个附件只有 {self.LATE_SECONDS:g} 秒"



def extract(file: Path, suffix: str, slow: SlowFiles | None = None) -> Extraction:
    """The text of `file` by type — or by its content, whatever its name says (an RTF or a web page saved as .doc,
    which Word opens all the same) — read in the reading process (`slow`: the budget this check run's files share)."""
    return _SANDBOX.run(file, suffix, slow or SlowFiles())


class _Sandbox:
    """One long-lived reading process, a fresh interpreter (not a fork, not multiprocessing's spawn, which
    re-runs the caller's script) that sets its own limits; killed and replaced after a failure."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.requests: Connection | None = None
        self.replies: Connection | None = None

    def run(self, file: Path, suffix: str, slow: SlowFiles) -> Extraction:
        seconds, started = slow.allowed(SECONDS), time.monotonic()
        try:
            requests, replies = self._connections()
            requests.send((str(file), suffix))
            if not replies.poll(seconds):
                self.stop()
                return Extraction(failure=f"读取超过 {seconds:g} 秒仍未完成（{slow.reason(seconds)}）")
            status, result = replies.recv()
        except (EOFError, OSError):
            self.stop()
            return Extraction(failure=f"读取时超出内存上限（{MEMORY // 1024 // 1024} MB）或读取进程意外退出")
        finally:
            slow.took(time.monotonic() - started)
        if status == "ok":
            return result
        return Extraction(failure=result)

    def _connections(self) -> tuple[Connection, Connection]:
        if self.process is None or self.process.poll() is not None or self.requests is None or self.replies is None:
            self.stop()
            request_read, request_write = os.pipe()
            reply_read, reply_write = os.pipe()
            code = f"from gongkai.readers.extract import serve; serve({request_read}, {reply_write}, {MEMORY}, {SECONDS})"
            environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
            # -P: `-c` would put the current folder (the project, which anyone who commits controls) first
            # on sys.path, so a committed resource.py or gongkai/ would be imported in place of ours.
            self.process = subprocess.Popen([sys.executable, "-P", "-c", code], pass_fds=(request_read, reply_write),
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=environment)
            os.close(request_read)
            os.close(reply_write)
            self.requests = Connection(request_write, readable=False)
            self.replies = Connection(reply_read, writable=False)
        return self.requests, self.replies

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        for connection in (self.requests, self.replies):
            if connection is not None:
                connection.close()
        self.process = self.requests = self.replies = None


_SANDBOX = _Sandbox()
atexit.register(_SANDBOX.stop)


def serve(request_fd: int, reply_fd: int, memory: int, seconds: float) -> None:
    """The reading process: limits first, then one request after another until the pipe closes."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = max(60, int(seconds) * 60)  # a backstop if the parent is gone; the parent's deadline is the limit
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):  # pragma: no cover - systems without these limits
        pass
    # Ctrl+C at a terminal reaches every process of the command: the command stops this one (or closes the pipe);
    # left to Python, it printed a traceback from wherever it was waiting.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about sloppy PDFs are noise
    requests, replies = Connection(request_fd, writable=False), Connection(reply_fd, readable=False)
    while True:
        try:
            path, suffix = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", read_file(Path(path), suffix))
        except MemoryError:
            reply = ("failure", f"读取时超出内存上限（{memory // 1024 // 1024} MB，文件可能是为耗尽内存而构造的）")
        except Refused as exc:
            reply = ("failure", str(exc))
        replies.send(reply)
