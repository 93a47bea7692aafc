"""Reading and checking a large site in one pass, with one chunk of item documents in memory at a time.

A document (the file's text and the position of every YAML key and value) is about twice the size of
the item made from it, and judging it adds its rendered body and scanned strings. The families that
read only their own item (`LOCAL`) judge each chunk of items as soon as it is read; then what they
read is dropped and each document kept only as far as the rules across items read it (front matter
and positions: `slim`). Those rules then run over every item, as in any other check, so the problems
are exactly those of `checks.check` over the whole project.

`gongkai build` reads and checks this way where it would check in one process anyway (more items than
`parallel.MAX_FORKED_ITEMS`, or no fork): the peak memory is then the items, their slim documents and
one chunk, not every document with every rendered body.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import multiprocessing
import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..gc_pause import cycle_collection_paused, hold_frozen, let_go, made_to_last
from ..loading import SourceDocument
from ..model import Review, ReviewEntry
from ..progress import Meter
from ..project import Project, link_interpretations, open_project, read_content, read_items, read_pages
from ..settings import Settings
from ..yaml_reading import Path_
from . import FAMILIES, FAMILIES_TASK, CheckContext, Checked, check_families, parallel, report

CHUNK_ITEMS = 1000  # item documents judged at once (the LOCAL families judge the shared files once a chunk)
# Front matter that only the LOCAL families read (the review record and the allow-lists, ≈ 1 KB an item).
LOCAL_KEYS = frozenset({"review", "pii_allow", "lexicon_allow"})
NO_REVIEW = Review()
READ_TASK = "read and judge"  # the meter's task


def load_judging(root: Path, content_dir: Path, today: dt.date, settings: Settings, meter: Meter | None = None,
                 chunk: int = CHUNK_ITEMS, meanwhile: bool = True) -> tuple[Project, parallel.Verdict]:
    """The project at `root` read in full from the item cache (items, catalog, pages), and the verdict on it: its
    problems, as `load_project(cached=True)` and `parallel.check_loaded` find them. A project the item cache knows
    nearly whole (a rebuild's) is judged by a child while the caller plans its site (`parallel.judge_loaded`,
    `meanwhile`). Above `parallel.MAX_FORKED_ITEMS` items (or without fork, where the check has one process anyway)
    it is read and judged `chunk` items at a time, and the project comes back without its documents, and its items
    without their review records and `pii_allow` (which only those families read, and no page shows)."""
    one_process = (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods()
    with cycle_collection_paused():
        project, found = open_project(root, content_dir, settings.limits, cached=True)
        if len(found.items) <= parallel.MAX_FORKED_ITEMS and not one_process:
            with made_to_last():  # the project lives until the build ends (streaming leaves its objects there too)
                read_content(project, found.items, found.pages)
                verdict = parallel.judge_loaded(project, today, settings=settings, meter=meter, meanwhile=meanwhile)
            return project, verdict
        checked = _streamed(project, found.items, found.pages, today, settings, meter, chunk)
        return project, lambda: checked


def load_streamed(root: Path, content_dir: Path, today: dt.date, settings: Settings, meter: Meter | None = None,
                  chunk: int = CHUNK_ITEMS) -> tuple[Project, Checked]:
    """`load_judging`'s chunk-at-a-time path whatever the size: for `gongkai check` on a site too large
    to hold every document (100,000 items: 3.5 GB read whole on two processes)."""
    with cycle_collection_paused():
        project, found = open_project(root, content_dir, settings.limits, cached=True)
        return project, _streamed(project, found.items, found.pages, today, settings, meter, chunk)


def _streamed(project: Project, files: list[Path], pages: list[Path], today: dt.date, settings: Settings | None,
              meter: Meter | None, chunk: int) -> Checked:
    # The pages before the items (the markup family reads them with every item), their problems after, as loaded.
    read = len(project.problems)
    read_pages(project, pages)
    of_pages = project.problems[read:]
    del project.problems[read:]
    local = [family for family in FAMILIES if getattr(family, "LOCAL", False)]
    across = [family for family in FAMILIES if not getattr(family, "LOCAL", False)]
    context = CheckContext(project, today, settings)
    slim = Slimmer()
    problems = []
    hold_frozen()  # each chunk's lasting objects, frozen after it: the next chunk's collections skip them
    try:
        if meter is not None:
            meter.start(READ_TASK, "读取并检查条目", len(files))
        # Once at least: the LOCAL families read the pages, catalog.yml, mkdocs.yml and the theme too (a new site with
        # no item yet, its pages judged by nothing, published an ID number on a machine with one processor).
        for start in range(0, len(files) or 1, chunk):
            before = len(project.items)
            documents = {document.path: document for document in read_items(project, files[start:start + chunk])}
            items = project.items[before:]
            context.project = dataclasses.replace(project, documents=documents, items=items)
            try:
                problems.extend(check_families(context, local))
            finally:
                context.project = project
            context.release()
            for path, document in documents.items():
                project.documents[path] = slim(document)
            for item in items:  # never published; the rules across items read only who signed when (≈ 1.6 KB an item)
                item.review, item.pii_allow = dated(item.review), ()
            del documents, items
            # Rendering leaves reference cycles (Python-Markdown's closures); collect this chunk's, then
            # set what stays aside so that the next chunk's collection does not rescan it.
            gc.collect(0)
            gc.freeze()
            if meter is not None:
                meter.advance(READ_TASK, len(files[start:start + chunk]))
        if meter is not None:
            meter.finish(READ_TASK)
            meter.start(FAMILIES_TASK, "检查跨条目的规则（类）", len(across), step=len(across))
        link_interpretations(project)
        project.problems.extend(of_pages)
        problems.extend(check_families(context, across, meter))
        if meter is not None:
            meter.finish(FAMILIES_TASK)
        project.documents.clear()
    finally:
        let_go()
    if project.item_cache is not None:
        project.item_cache.flush()
        project.item_cache.prune()  # every item was read and keyed here
    return Checked(report(project.problems + problems), project.files_read + len(context.files_read))


def dated(review: Review) -> Review:
    """`review` as far as the rules across items read it: each level's date (who signed later than whom decides
    whether a link to an item being taken down stops the build, `rules.referring`; a 党务 item's delay counts from its
    last level, GK705), without the reviewers, opinions, digests and signatures the LOCAL families read."""
    if not review.entries:
        return NO_REVIEW
    return Review(tuple(_DATED.setdefault((entry.level, entry.date), ReviewEntry(entry.level, "", entry.date, "", ""))
                        for entry in review.entries))


_DATED: dict[tuple[str, dt.date | None], ReviewEntry] = {}  # one entry for each level and day, shared by the items


@dataclass
class SlimDocument(SourceDocument):
    """A document without its text: its front matter (but `LOCAL_KEYS`), and the position of every key and value as four
    ints a path (key line, key col, value line, value col; 0: none) in the rows of a `layout` that
    documents with the same paths share."""

    layout: dict[Path_, int] = field(default_factory=dict)
    marks: array = field(default_factory=lambda: array("q"))

    def line_of(self, *path: Any) -> int:
        key = tuple(path)
        while key:
            row = self.layout.get(key)
            if row is not None and self.marks[4 * row]:
                return self.marks[4 * row]
            key = key[:-1]
        return 1

    def value_line(self, *path: Any) -> int:
        row = self.layout.get(tuple(path))
        if row is not None and self.marks[4 * row + 2]:
            return self.marks[4 * row + 2]
        return self.line_of(*path)

    def value_col(self, *path: Any) -> int:
        row = self.layout.get(tuple(path))
        if row is not None and self.marks[4 * row + 2]:
            return self.marks[4 * row + 3]
        return 1


class Slimmer:
    """Makes `SlimDocument`s, one layout for every set of paths seen (this run's documents share them)."""

    def __init__(self) -> None:
        self._layouts: dict[tuple[Path_, ...], dict[Path_, int]] = {}

    def __call__(self, document: SourceDocument) -> SlimDocument:
        keys, values = document.keys, document.values
        paths = tuple(dict.fromkeys([*keys, *values]))
        layout = self._layouts.get(paths)
        if layout is None:
            layout = self._layouts[paths] = {path: row for row, path in enumerate(paths)}
        numbers: list[int] = []
        for path in paths:
            key, value = keys.get(path), values.get(path)
            numbers.extend((key.line, key.col) if key is not None else (0, 0))
            numbers.extend((value.line, value.col) if value is not None else (0, 0))
        try:
            marks = array("i", numbers)
        except OverflowError:  # a line or column past 2**31 (a very large limit)
            marks = array("q", numbers)
        meta = {key: value for key, value in document.meta.items() if key not in LOCAL_KEYS}
        return SlimDocument(path=document.path, text="", meta=meta, body="", body_line=document.body_line,
                            has_bom=document.has_bom, crlf=document.crlf, layout=layout, marks=marks)
