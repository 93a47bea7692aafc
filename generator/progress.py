"""What a long command shows while people wait: live bars on a terminal (rich), phase lines otherwise.

A `Meter` counts the steps of named tasks (pages rendered of all pages, search shards indexed of
all shards …). On a terminal each task is a bar with its count, the time elapsed and the time
remaining; elsewhere (CI logs, pipes) a task prints one line when it starts, one every `step`
steps and one when it ends, so logs stay readable. Messages go to standard error either way.
Steps may be counted from several threads (the search index is built beside the pages).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from .problems import printable


@dataclass
class _Task:
    description: str
    total: int
    step: int
    done: int = 0
    started: float = 0.0
    bar: Any = None  # rich's task id on a terminal


class Meter:
    """Counts of a command's tasks, shown live (`live`) or as phase lines through `echo`."""

    def __init__(self, echo: Callable[[str], None], live: bool = False, stream: TextIO | None = None) -> None:
        self.echo = echo
        self._tasks: dict[str, _Task] = {}
        self._lock = threading.Lock()
        self._live: Any = None
        if live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            # The bars are drawn with escape sequences, on the terminal itself (past `shown_output`'s guard); what
            # they and the lines above them say is escaped here instead (`line`), and read as written (no :emoji:).
            console = Console(file=getattr(stream, "unguarded", stream or sys.stderr), highlight=False, markup=False,
                              emoji=False)
            self._live = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("已用"),
                                  TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(), console=console)

    @classmethod
    def for_terminal(cls, echo: Callable[[str], None], stream: TextIO | None = None) -> Meter:
        """Live bars when `stream` (standard error) is a terminal that can draw them, else phase lines."""
        stream = stream or sys.stderr
        live = stream.isatty() and os.environ.get("TERM", "") not in ("", "dumb")
        return cls(echo, live, stream)

    @contextmanager
    def shown(self) -> Iterator[Meter]:
        """Draw the bars while the block runs (nothing to draw without a terminal)."""
        if self._live is None:
            yield self
            return
        with self._live:
            yield self

    def line(self, message: str) -> None:
        """A phase line: printed above the bars on a terminal."""
        if self._live is not None:
            self._live.console.print("\n".join(map(printable, message.split("\n"))), soft_wrap=True)
        else:
            self.echo(message)

    def start(self, key: str, description: str, total: int, step: int = 2000) -> None:
        with self._lock:
            task = self._tasks[key] = _Task(description, total, step, started=time.monotonic())
            if self._live is not None:
                task.bar = self._live.add_task(description, total=total)
        if self._live is None:
            self.echo(f"{description}：共 {total} 个")

    def advance(self, key: str, amount: int = 1) -> None:
        with self._lock:
            task = self._tasks.get(key)
            if task is None:
                return
            before, task.done = task.done, min(task.done + amount, task.total)
            if self._live is not None:
                self._live.update(task.bar, completed=task.done)
                return
            crossed = task.done // task.step > before // task.step and task.done < task.total
        if crossed:
            self.echo(f"{task.description}：{task.done}/{task.total}（{time.monotonic() - task.started:.1f} 秒）")

    def finish(self, key: str) -> None:
        with self._lock:
            task = self._tasks.pop(key, None)
            if task is None:
                return
            if self._live is not None:
                self._live.update(task.bar, completed=task.total)
                return
        self.echo(f"{task.description}：{task.total}/{task.total}（{time.monotonic() - task.started:.1f} 秒）")
