"""Which files changed, as soon as they change: inotify (or the system's equivalent) through watchdog,
polling where none is available. Changes arrive in batches: an editor's save is often several
events (a temporary file, a rename), and the batch ends once the folder has been quiet briefly.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    FileClosedNoWriteEvent,
    FileOpenedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

QUIET = 0.03  # seconds without a new event that end a batch
LONGEST = 0.3  # a batch never waits longer than this for the folder to become quiet
# Events that change nothing: reading a file, and a folder's own listing (its files have events of their own).
IGNORED = (FileOpenedEvent, FileClosedNoWriteEvent, DirModifiedEvent, DirCreatedEvent)


class _Collect(FileSystemEventHandler):
    def __init__(self, events: queue.Queue[Path], appearing: frozenset[Path]) -> None:
        self.events = events
        self.appearing = appearing

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, IGNORED) and not (isinstance(event, DirCreatedEvent) and self._awaited(event.src_path)):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.events.put(_path(path))

    def _awaited(self, path: str | bytes) -> bool:
        return _path(path) in self.appearing


def _path(path: str | bytes) -> Path:
    return Path(path.decode() if isinstance(path, bytes) else path)


class Watcher:
    """Calls `changed` with each batch of changed paths under `folders` (recursively) and `files`, and with the folders
    of `appearing` (paths whose parent folder exists) once one is made."""

    def __init__(self, folders: list[Path], files: list[Path], changed: Callable[[set[Path]], None],
                 appearing: Collection[Path] = ()) -> None:
        self.changed = changed
        self.events: queue.Queue[Path] = queue.Queue()
        self.appearing = frozenset(appearing)
        self.observer = self._observe(folders, [*files, *self.appearing], Observer)
        self.worker = threading.Thread(target=self._batches, name="gongkai-preview-watch", daemon=True)

    def _observe(self, folders: list[Path], files: list[Path], kind: Callable[[], BaseObserver]) -> BaseObserver:
        observer = kind()
        handler = _Collect(self.events, self.appearing)
        try:
            for folder in folders:
                observer.schedule(handler, str(folder), recursive=True)
            for folder in {file.parent for file in files}:
                observer.schedule(handler, str(folder), recursive=False)
            observer.start()
        except OSError:  # e.g. the system's limit of inotify watches: look at the files every second instead
            if kind is PollingObserver:
                raise
            return self._observe(folders, files, PollingObserver)
        return observer

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.observer.stop()
        self.events.put(Path())  # wakes the worker, which then sees the observer stopped
        self.observer.join()

    def _batches(self) -> None:
        while self.observer.is_alive():
            first = self.events.get()
            batch = {first}
            started = time.monotonic()
            while time.monotonic() - started < LONGEST:
                try:
                    batch.add(self.events.get(timeout=QUIET))
                except queue.Empty:
                    break
            batch.discard(Path())
            if batch:
                self.changed(batch)
