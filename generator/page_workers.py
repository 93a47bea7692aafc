"""Item pages rendered by two processes: MkDocs renders every page in one thread (Python-Markdown,
then the Jinja templates, then the write), which leaves the second core to the search index alone.

`SharedPages` deals the item pages, in chunks, to this process and to one child forked once MkDocs
has its files and navigation; each takes the next chunk when it is done with one (a pipe holds the
chunk numbers, so a killed process leaves no lock held). The child renders and writes its pages and
sends back, per chunk, what the parent needs: the items' search texts, what MkDocs logged at
warning level or above (the parent logs it, so a build with warnings fails as before), and the
count for the progress meter. MkDocs stays the assembler of everything else. A child that fails or
dies fails the build with a Chinese message; the caller then removes the half-written site.

The child touches none of the parent's threads' objects (the meter, the indexer, the sweeper):
it renders, writes and sends. Small sites, and systems without fork, render in one process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .gc_pause import hold_frozen, let_go

MIN_PAGES = 1000  # below this, a second process costs more than it saves
MAX_PAGES = 30_000  # above this, one process: the child's copy of the parent's pages adds to the peak memory
CHUNK_PAGES = 20
_TOKEN = struct.Struct("<I")


def started(process: BaseProcess) -> bool:
    """Start `process` (a forked child); False where the system has none to give (its process limit, its memory):
    the caller then does the child's work itself."""
    try:
        process.start()
    except OSError:
        return False
    return True


def wanted(pages: int) -> bool:
    """Whether `pages` pages are worth a second process here."""
    return (MIN_PAGES <= pages <= MAX_PAGES and (os.cpu_count() or 1) >= 2
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.current_thread() is threading.main_thread())


@dataclass
class Batch:
    """What the child sends for one chunk it rendered."""

    pages: int
    texts: dict[str, str]
    logged: list[tuple[str, int, str]]  # (logger, level, message)


@dataclass
class Failure:
    """Why the child stopped (its exception's text, in MkDocs' words), and what it logged."""

    message: str
    logged: list[tuple[str, int, str]] = field(default_factory=list)


class RenderFailed(Exception):
    """The child could not render its pages; the message is Chinese."""


class SharedPages:
    """The pages `sources` (src_uri, in the order they should be rendered), rendered by `render`
    in this process and in a forked child.

    `texts` takes (and empties) the search texts rendered since it was last called; `received` is
    called in a thread of this process with each batch the child sends."""

    def __init__(self, sources: list[str], render: Callable[[str], None], texts: Callable[[], dict[str, str]],
                 received: Callable[[Batch], None]) -> None:
        self.sources = sources
        self.render = render
        self.texts = texts
        self.received = received
        self.failure: Failure | None = None
        self.logged: list[tuple[str, int, str]] = []
        self.child_done = threading.Event()  # set once the child has sent its last batch, or failed
        self._child: multiprocessing.process.BaseProcess | None = None
        self._holding = False  # the objects frozen for the child, until the pages are done here
        self._receiver: threading.Thread | None = None
        chunks = -(-len(sources) // CHUNK_PAGES)
        self._read, write = os.pipe()
        with os.fdopen(write, "wb") as stream:  # every chunk number, before anyone takes one
            stream.write(b"".join(_TOKEN.pack(number) for number in range(chunks)))

    def start(self, prepare_child: Callable[[], None]) -> None:
        """Fork the child; it calls `prepare_child` first (e.g. to make its own template environment)."""
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe(duplex=False)
        # The objects made so far live until the build ends: the cycle collector need not look at
        # them again, in either process (in the child, looking would copy every page it shares).
        hold_frozen()
        self._holding = True
        child = context.Process(target=self._work, args=(child_end, prepare_child), daemon=True)
        forked = started(child)
        child_end.close()
        if not forked:  # no process to be had: this one renders every page
            parent_end.close()
            return
        self._child = child
        self._receiver = threading.Thread(target=self._receive, args=(parent_end,), daemon=True)
        self._receiver.start()

    def render_here(self, gathered: Callable[[dict[str, str]], None]) -> None:
        """Render chunks in this process until none is left (or the child has failed); `gathered` is given each
        chunk's texts at once, as the child's come (one at a time, each woke the thread that sends them on)."""
        for chunk in self._chunks():
            for source in chunk:
                self.render(source)
            gathered(self.texts())
            if self.failure is not None:
                break

    def finish(self) -> None:
        """Wait for the child; RenderFailed if it did not render its pages. What it logged is
        logged here first, in this thread."""
        if self._receiver is not None:
            self._receiver.join()
        if self._child is not None:
            self._child.join()
        self._close()
        for name, level, message in self.logged:
            logging.getLogger(name).log(level, message)
        if self.failure is not None:
            raise RenderFailed(self.failure.message)

    def abandon(self) -> None:
        """Stop the child now (the build failed here; its half-written site is about to be removed)."""
        if self._child is not None:
            self._child.kill()
            self._child.join()
        if self._receiver is not None:
            self._receiver.join()
        self._close()

    def _close(self) -> None:
        """Close the chunk pipe once (its number may be reused by the next file opened), and let go of the objects
        frozen for the child."""
        if self._read >= 0:
            os.close(self._read)
            self._read = -1
        if self._holding:
            self._holding = False
            let_go()

    def _chunks(self) -> Iterator[list[str]]:
        while self._read >= 0:
            token = os.read(self._read, _TOKEN.size)
            if len(token) < _TOKEN.size:
                return
            start = _TOKEN.unpack(token)[0] * CHUNK_PAGES
            yield self.sources[start : start + CHUNK_PAGES]

    def _receive(self, connection: Connection) -> None:
        try:
            while True:
                message = connection.recv()
                if isinstance(message, Batch):
                    self.logged.extend(message.logged)
                    self.received(message)
                    continue
                if isinstance(message, Failure):
                    self.logged.extend(message.logged)
                    self.failure = message
                return
        except (EOFError, OSError):
            if self._child is not None:
                self._child.join(5)  # it is exiting: its exit code says how
            exit_code = self._child.exitcode if self._child is not None else None
            self.failure = Failure(f"生成页面的子进程意外退出（退出码 {exit_code}），可能是内存不足")
        finally:
            connection.close()
            self.child_done.set()

    def _work(self, connection: Connection, prepare: Callable[[], None]) -> None:
        """The child: render chunks, send each one's texts and log; a failure is sent, never raised."""
        logged: list[tuple[str, int, str]] = []
        try:
            _capture_mkdocs_log(logged)
            prepare()
            for chunk in self._chunks():
                for source in chunk:
                    self.render(source)
                connection.send(Batch(len(chunk), self.texts(), logged[:]))
                logged.clear()
            connection.send(None)
        except BaseException as exc:  # noqa: BLE001 - the parent reports it; no traceback is printed
            with contextlib.suppress(OSError, ValueError):
                connection.send(Failure(str(exc) or type(exc).__name__, logged))
        finally:
            connection.close()


def _capture_mkdocs_log(logged: list[tuple[str, int, str]]) -> None:
    """MkDocs' records of warning level and above, kept for the parent (the inherited handlers
    print through the parent's progress display, which belongs to the parent)."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append((record.name, record.levelno, record.getMessage()))

    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [Keep(logging.WARNING)]
    logger.propagate = False
