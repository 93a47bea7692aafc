"""`gongkai check` on two processes: reading the items costs more than judging them, so each
process reads and checks half of the item files.

The halves swap their items without bodies (enough for the rules that look across items:
duplicate 索引号, 解读, links, category freshness, the annual report), then each runs every family
and keeps the problems of the files it read; the parent also keeps those of the shared files
(catalog.yml, pages, reports). The child runs the families that read only their own item while
the parent's items are still on their way. Small sites, and systems without fork, are checked in
one process.

`gongkai build` reads the whole project anyway (it plans the site from it): `check_loaded` forks
after reading, and each process judges the documents of half the item files. Above `MAX_FORKED_ITEMS`
the build, and `gongkai check` too, read and check a chunk at a time in one process instead (`streaming`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from .. import page_workers
from ..attachments import adopt_hashed, hashed_files
from ..gc_pause import cycle_collection_paused
from ..item_cache import ItemCache
from ..model import Item
from ..problems import Problem
from ..progress import Meter
from ..project import Project, item_files, load_project
from ..registers.loading import load_registers
from ..report.validation import load_inputs
from ..settings import Settings
from . import FAMILIES, CheckContext, Checked, check, check_families, report, unjudged
from .theme import ThemeFindings, adopt_theme_findings, theme_findings

MIN_ITEMS = 2000  # below this, starting a second process costs more than it saves
MAX_FORKED_ITEMS = 30_000  # above this, the build checks its loaded project in one process (memory)
READ_TASK = "read"  # the meter's task


class CheckedSite(NamedTuple):
    problems: list[Problem]  # sorted
    files_read: int
    project: Project  # every item (those checked by the other process without their bodies)


def check_site(root: Path, content_dir: Path, today: dt.date, only: Iterable[str] | None = None,
               min_items: int = MIN_ITEMS, settings: Settings | None = None,
               meter: Meter | None = None, cached: bool = True, max_items: int = MAX_FORKED_ITEMS) -> CheckedSite:
    """The problems of the site at `root` with its content in `content_dir`, and what was read.

    `cached`: files read before are taken from the item cache (item_cache), and so are the problems
    the families that read only their own file found in them. With most items known to the cache
    the project is read in this process, and the forked process of `check_loaded` judges half of
    what the cache does not hold; else each process reads half of the files.
    `meter` shows the items read and the families checked, for sites of `min_items` or more (a
    smaller one is checked before anyone would look at a bar).
    Above `max_items` item files it reads and judges a chunk at a time in one process, as the build
    does (`streaming`): every document held at once would cost ≈ 35 KB an item (3.5 GB at 100,000)."""
    limits = settings.limits if settings is not None else None  # None: the default limits
    files = item_files(content_dir)
    if cached and settings is not None and len(files) > max_items:
        from .streaming import load_streamed

        project, checked = load_streamed(root, content_dir, today, settings, meter)
        return CheckedSite(report(checked.problems, only), checked.files_read, project)
    alone = len(files) < min_items or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods()
    if alone or (cached and _mostly_known(root, len(files))):
        shown = meter if meter is not None and len(files) >= min_items else None
        if shown is not None:
            shown.start(READ_TASK, "读取条目", len(files))
        project = load_project(root, content_dir, limits=limits, on_item=_counter(shown, 1), cached=cached)
        if shown is not None:
            shown.finish(READ_TASK)
        checked = check_loaded(project, today, settings, shown, min_items)
        return CheckedSite(report(checked.problems, only), checked.files_read, project)
    # Like loading: long-lived objects, no cycles (here across the pickled exchange too).
    with cycle_collection_paused():
        found = _check_in_two(root, content_dir, files, today, only, settings, meter, cached)
    if found is not None:
        return found
    project = load_project(root, content_dir, limits=limits, cached=cached)  # no second process to be had
    checked = check(project, today, settings=settings, meter=meter)
    return CheckedSite(report(checked.problems, only), checked.files_read, project)


def _mostly_known(root: Path, files: int) -> bool:
    """Whether the item cache holds at least as many documents as there are item files (a warm cache)."""
    cache = ItemCache.of(root)
    return cache is not None and cache.documents_kept() >= files


def _counter(meter: Meter | None, step: int) -> Callable[[], None] | None:
    if meter is None:
        return None
    return lambda: meter.advance(READ_TASK, step)


def _check_in_two(root: Path, content_dir: Path, files: list[Path], today: dt.date,
                  only: Iterable[str] | None, settings: Settings | None,
                  meter: Meter | None, cached: bool) -> CheckedSite | None:
    """None where the system has no second process to give."""
    ours, theirs = files[0::2], files[1::2]
    limits = settings.limits if settings is not None else None
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe()
    child = context.Process(target=_child, args=(root, content_dir, theirs, today, child_end, settings, cached), daemon=True)
    forked = page_workers.started(child)
    child_end.close()
    if not forked:
        parent_end.close()
        return None
    try:
        if meter is not None:  # the child reads the other half at the same pace: count ours twice
            meter.start(READ_TASK, "读取条目", len(files))
        project = load_project(root, content_dir, files=ours, limits=limits, on_item=_counter(meter, 2), cached=cached)
        if meter is not None:
            meter.finish(READ_TASK)
        child_paths = {project.rel(file) for file in theirs}
        # Both ends send at once; ours goes from a thread, which waits on the pipe without the GIL
        # until the child reads it, so neither send can block the other.
        sender = threading.Thread(target=_send_quietly, args=(parent_end, _without_bodies(project.items)))
        sender.start()
        project.items.extend(parent_end.recv())
        in_file_order(project.items)
        checked = check(project, today, settings=settings, meter=meter)  # the files of both halves: the child's items are here
        problems = [p for p in checked.problems if p.path not in child_paths]
        problems.extend(parent_end.recv())
        sender.join()
    except (EOFError, OSError):  # the child died (e.g. killed for memory): do it all here
        child.kill()
        project = load_project(root, content_dir, limits=limits, cached=cached)
        checked = check(project, today, only, settings)
        return CheckedSite(checked.problems, checked.files_read, project)
    finally:
        child.join()
    return CheckedSite(report(problems, only), checked.files_read + len(theirs), project)


def check_loaded(project: Project, today: dt.date, settings: Settings | None = None, meter: Meter | None = None,
                 min_items: int = MIN_ITEMS) -> Checked:
    """Every problem of a project already read in full (the build's), its item files judged half in
    this process and half in a child forked with the project in memory, so nothing is read twice.

    Above `MAX_FORKED_ITEMS` one process: the child's copy-on-write pages would add to the
    build's peak memory."""
    return judge_loaded(project, today, settings, meter, min_items, meanwhile=False)()


Verdict = Callable[[], Checked]  # waits for the problems of a project being judged, and returns them


def judge_loaded(project: Project, today: dt.date, settings: Settings | None = None, meter: Meter | None = None,
                 min_items: int | None = None, meanwhile: bool = True) -> Verdict:
    """`check_loaded`, except that where it would judge in this process alone because the item cache holds
    nearly every item's own problems (a rebuild: ≈ 0.5 s of rules across items at 10,000 items), a child forked
    for it judges the project while the caller goes on (`meanwhile`). The verdict waits for its problems."""
    min_items = MIN_ITEMS if min_items is None else min_items
    forkable = (min_items <= len(project.documents) <= MAX_FORKED_ITEMS and (os.cpu_count() or 1) >= 2
                and "fork" in multiprocessing.get_all_start_methods())
    if forkable and unjudged(CheckContext(project, today, settings)) >= min_items:
        if project.item_cache is not None:
            project.item_cache.close()  # the child opens its own
        with cycle_collection_paused():
            checked = _check_loaded_in_two(project, today, settings, meter)
    elif forkable and meanwhile and (forked := _ForkedCheck(project, today, settings)).forked:
        return forked
    else:
        checked = check(project, today, settings=settings, meter=meter)
    if project.item_cache is not None:
        project.item_cache.prune()  # every item was read and keyed here
    return lambda: checked


class _ForkedCheck:
    """The whole check of a loaded project in a child forked for it. What the build publishes only while it is
    what the check read is read before the fork (the registers, the annual reports) or handed back with the problems (the theme files
    scanned, the attachments hashed: `Findings`), so both processes judge and publish the same bytes."""

    def __init__(self, project: Project, today: dt.date, settings: Settings | None) -> None:
        self.project, self.today, self.settings = project, today, settings
        self._checked: Checked | None = None
        # Read once a project (and day): what the site shows of them is what the child judges.
        load_registers(project)
        load_inputs(project, today)
        if project.item_cache is not None:
            project.item_cache.close()  # the child opens its own
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe(duplex=False)
        self._child = context.Process(target=_judging_child, args=(project, today, settings, child_end), daemon=True)
        self.forked = page_workers.started(self._child)
        child_end.close()
        if not self.forked:  # no second process to be had: the caller judges here
            self._connection.close()

    def __call__(self) -> Checked:
        if self._checked is None:
            try:
                checked, findings = self._connection.recv()
                findings.adopt()
            except (EOFError, OSError):  # the child died (e.g. killed for memory): judge here
                self._child.kill()
                checked = check(self.project, self.today, settings=self.settings)
                if self.project.item_cache is not None:
                    self.project.item_cache.prune()
            finally:
                self._connection.close()
                self._child.join()
            self._checked = checked
        return self._checked


def _judging_child(project: Project, today: dt.date, settings: Settings | None, connection: Connection) -> None:
    try:
        checked = check(project, today, settings=settings)
        if project.item_cache is not None:
            project.item_cache.prune()
        connection.send((checked, Findings.made()))
    except Exception:  # noqa: BLE001 - the parent sees the closed pipe and judges itself
        pass
    finally:
        connection.close()


class Findings(NamedTuple):
    """What a check learns of files besides their problems, which the build publishes them by."""

    theme: ThemeFindings
    hashed: dict[Path, tuple[int, ...]]

    @classmethod
    def made(cls) -> Findings:
        return cls(theme_findings(), hashed_files())

    def adopt(self) -> None:
        adopt_theme_findings(self.theme)
        adopt_hashed(self.hashed)


def _check_loaded_in_two(project: Project, today: dt.date, settings: Settings | None, meter: Meter | None) -> Checked:
    everything = project.documents
    theirs = {item.path for item in project.items if item.path in everything}
    theirs = set(sorted(theirs)[1::2])
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=False)
    child = context.Process(target=_loaded_child, args=(project, today, settings, theirs, child_end), daemon=True)
    forked = page_workers.started(child)
    child_end.close()
    if not forked:  # no second process to be had
        parent_end.close()
        return check(project, today, settings=settings, meter=meter)
    try:
        # The families judge the items whose documents they are given; every item is there for
        # the rules that look across items.
        project.documents = {path: document for path, document in everything.items() if path not in theirs}
        checked = check(project, today, settings=settings, meter=meter)
        problems = [p for p in checked.problems if p.path not in theirs]
        found, findings = parent_end.recv()
        problems.extend(found)
        findings.adopt()  # the attachments of its half were hashed there: published only as the check hashed them
    except (EOFError, OSError):  # the child died (e.g. killed for memory): do it all here
        child.kill()
        project.documents = everything
        return check(project, today, settings=settings)
    finally:
        project.documents = everything
        child.join()
    return Checked(report(problems), checked.files_read)


def _loaded_child(project: Project, today: dt.date, settings: Settings | None, own: set[str], connection: Connection) -> None:
    try:
        project.documents = {path: document for path, document in project.documents.items() if path in own}
        problems = project.problems + check_families(CheckContext(project, today, settings), FAMILIES)
        connection.send(([p for p in problems if p.path in own], Findings.made()))
    except Exception:  # noqa: BLE001 - the parent sees the closed pipe and redoes the work itself
        pass
    finally:
        connection.close()


def _send_quietly(connection: Connection, items: list[Item]) -> None:
    with contextlib.suppress(OSError):  # the child is gone; the parent's next recv notices and takes over
        connection.send(items)


def _child(root: Path, content_dir: Path, files: list[Path], today: dt.date, connection: Connection,
           settings: Settings | None, cached: bool) -> None:
    try:
        limits = settings.limits if settings is not None else None
        project = load_project(root, content_dir, files=files, limits=limits, cached=cached)
        own_paths = {project.rel(file) for file in files}
        connection.send(_without_bodies(project.items))
        context = CheckContext(project, today, settings)
        problems = project.problems + check_families(context, [f for f in FAMILIES if getattr(f, "LOCAL", False)])
        project.items.extend(connection.recv())
        in_file_order(project.items)
        problems += check_families(context, [f for f in FAMILIES if not getattr(f, "LOCAL", False)])
        connection.send([p for p in problems if p.path in own_paths])
    except Exception:  # noqa: BLE001 - the parent sees the closed pipe and redoes the work itself
        pass
    finally:
        connection.close()


def in_file_order(items: list[Item]) -> None:
    """Sort `items` as one process reads them (the item files' order, `content_files.scan_content`): each half read by a
    process of its own, then joined, put the other half's after its own. Where two items share a 索引号 (GK111) the
    rules that find an item by its 索引号 take the last read (a 解读's policy, GK702's date), and a check in two
    processes named the other twin than a warm check in one, or the build's."""
    items.sort(key=lambda item: item.path.split("/"))


def _without_bodies(items: list[Item]) -> list[Item]:
    return [dataclasses.replace(item, body="") for item in items]
