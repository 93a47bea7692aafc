"""The content as the preview shows it: read and checked once, then brought up to date file by file.

A saved item is read again alone; the checks that read only its own file (the LOCAL families of
`checks`) run on it alone, the rules that look across items run again over the model in memory,
and the site is planned again with every item the preview can place (`views.preview_items`). Any
other change under content/ (catalog.yml, pages, reports, the lexicon) reloads everything: what
those files touch is everywhere. Nothing here writes a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from .. import checks, page_workers
from ..body_views import BodyViews
from ..checks.base import CheckContext
from ..checks.parallel import MIN_ITEMS, in_file_order
from ..content_files import FILE_SUFFIXES, NOT_PORTABLE, misnamed_markdown, names_below, portable_name_problems
from ..gc_pause import hold_frozen, let_go
from ..items import to_item
from ..loading import read_document
from ..model import AUDIENCE_PARTY
from ..problems import NOT_SHOWN, Problem
from ..project import Project, link_interpretations, load_project
from ..settings import Settings
from ..site import SitePlan, plan_site
from .status import Chip, item_chips
from .views import KeptViews, preview_items

LOCAL = tuple(family for family in checks.FAMILIES if getattr(family, "LOCAL", False))
CROSS = tuple(family for family in checks.FAMILIES if not getattr(family, "LOCAL", False))


@dataclass
class Update:
    """What one round of changes did, for the terminal."""

    paths: list[str]  # project paths of the files that changed
    reloaded: bool  # everything was read again
    problems: list[Problem] = field(default_factory=list)  # those of the changed files now


class PreviewModel:
    """The project, its problems, each item's banners and the preview's site plan, in memory."""

    _project: Project

    def __init__(self, settings: Settings, today: dt.date, parallel: bool = False) -> None:
        self.settings = settings
        self.today = today
        self.version = 0
        self.plan: SitePlan | None = None
        self.plan_error = ""  # why there is no plan (catalog.yml unusable …), Chinese
        self.left_out: dict[str, str] = {}  # item path → why it has no page
        self.chips: dict[str, tuple[Chip, ...]] = {}  # page URL → the item's banners
        self.path_of: dict[str, str] = {}  # page URL → item path
        self._reading: dict[str, list[Problem]] = {}  # file → problems of reading it
        self._local: dict[str, list[Problem]] = {}  # file → problems of the checks that read only it
        self._cross: list[Problem] = []
        self.problems: list[Problem] = []
        self._views = KeptViews()  # each item's view, while the item stays the same object
        # What the families that look across items read of the bodies (their links), kept from save to save.
        self._bodies: BodyViews | None = None
        self._families_read: set[str] = set()  # what the families read beyond the project's files, as the check counts it
        self._holding = False  # what `load` read is frozen until the next load
        self.load(parallel)

    @property
    def project(self) -> Project:
        return self._project

    @property
    def files_read(self) -> int:
        """How many files the last full load read and judged: the count `gongkai check` gives of the same content."""
        return self._project.files_read + len(self._families_read)

    def load(self, parallel: bool = False) -> None:
        """Read and check everything; `parallel`: check half the items in a forked process (only while
        the process has no other threads: forking copies no thread, and a lock one of them held stays held)."""
        if self._holding:  # the model read last time may go
            self._holding = False
            let_go()
        settings = self.settings
        self._bodies = None
        self._families_read = set()
        self._project = load_project(settings.root, settings.content_dir, limits=settings.limits)
        self._reading = _by_path(self._project.problems)
        self._local = _by_path(self._check_all(parallel))
        self._refresh()
        # What was just read lives until the next full reload: keep the collector from scanning it again and again.
        gc.collect()
        hold_frozen()
        self._holding = True

    def update(self, changed: Iterable[Path]) -> Update:
        """Bring the model up to date with the files that changed (added, saved, deleted or moved)."""
        items: set[Path] = set()
        attachments: list[Path] = []
        others: list[Path] = []
        folders: set[Path] = set()  # where the names of item files and folders changed
        for path in set(changed):
            kind = self._kind(path)
            if kind == "attachment":
                attachments.append(path)
            elif kind == "items" and path.is_dir() and not _plain_folder(path):
                others.append(path)  # holds what the loader's walk does not read as an item, and says so
            elif kind == "items":
                found = self._items_at(path)
                items |= found
                folders |= {path.parent, path, *(file.parent for file in found)}
            elif kind == "other":
                others.append(path)
        project = self._project
        paths = sorted({project.rel(path) for path in [*items, *attachments, *others]})
        if not paths:
            return Update([], False)
        if others or project.catalog is None or self._names_changed(folders):
            self.load()
            return Update(paths, True, list(self.problems))
        for path in items:
            self._read_item(path)
        if attachments:
            self._attachment_names()
        touched = {project.rel(path) for path in items} | self._attaching(attachments)
        link_interpretations(project)
        # One file's body is rendered faster than the render cache's key is made (it hashes gongkai's code).
        alone = CheckContext(_only(project, touched), self.today, self.settings, render_cache=False)
        self._local.update(_by_path(checks.check_families(alone, LOCAL), touched))
        self._refresh()
        files = set(paths) | touched
        return Update(sorted(files), False, [p for p in self.problems if p.path in files])

    def _kind(self, path: Path) -> str:
        """What a changed path is to the model: "items", "attachment", "other" (read everything again) or ""
        (nothing the site reads: an editor's temporary file, a file outside content/)."""
        content = self.settings.content_dir
        if not path.is_relative_to(content) or path == content:
            return ""
        relative = path.relative_to(content)
        top = relative.parts[0]
        if top == "attachments":
            return "attachment"
        if path.is_symlink():  # never followed, but reported (GK011) by the loader's walk
            return "other"
        if NOT_SHOWN.search(relative.as_posix()) or misnamed_markdown(path.name) or path.name.startswith("._"):
            return "other"  # the loader's walk never reads it and says so (GK030, GK031, GK034): as a build would
        if relative == Path("items"):
            return "other"  # the folder itself: gone, it is GK032 (a build would delete every item from the site)
        if top == "items" and not _walked_into(content, relative.parent):
            return "other"  # in a folder the walk does not go into (a link, a folder named as a file) and says so
        if top == "items":
            return "items"
        return "other" if path.suffix in (".md", ".yml", ".yaml") or path.is_dir() else ""

    def _names_changed(self, folders: Iterable[Path]) -> bool:
        """Whether the names of `folders` now draw other GK033 than the model holds (a name Windows cannot hold, two
        names only case apart: the second one's, which may be a file not saved now): the loader's walk says so of the
        folder's names, not of the file read, so a save reads everything again, as a check would."""
        project = self._project
        held = {p for problems in self._reading.values() for p in problems if p.code == NOT_PORTABLE.code}
        for folder in folders:
            where = project.rel(folder)
            try:
                names = os.listdir(folder)
            except OSError:  # gone (or a file): said of nothing below it any more
                if any(p.path.startswith(f"{where}/") for p in held):
                    return True
                continue
            now = set(portable_name_problems(where, names))
            if now != {p for p in held if p.path.rpartition("/")[0] == where}:
                return True
        return False

    def _attachment_names(self) -> None:
        """The names under attachments/ judged again as the loader's walk judges them (GK030, GK033: a file no item
        attaches is named all the same); the model held those of its last full read."""
        project = self._project
        below = f"{project.rel(project.attachments_dir)}/"
        for path in [path for path in self._reading if path.startswith(below)]:
            del self._reading[path]
        if project.attachments_dir.is_dir() and not project.attachments_dir.is_symlink():
            for path, problems in _by_path(names_below(project.attachments_dir, project.rel)).items():
                self._reading.setdefault(path, []).extend(problems)

    def _items_at(self, path: Path) -> set[Path]:
        """The item files a change at `path` concerns: the file, the files of a folder moved in, or the
        items that were loaded from a folder that is gone."""
        if path.suffix == ".md" and not path.is_dir():
            return {path}
        if path.is_dir():
            return set(path.rglob("*.md"))
        if path.exists():
            return set()  # not an item file (e.g. an editor's backup)
        prefix = f"{self._project.rel(path)}/"
        return {self._project.root / item.path for item in self._project.items if item.path.startswith(prefix)}

    def _read_item(self, file: Path) -> None:
        project = self._project
        rel = project.rel(file)
        project.items = [item for item in project.items if item.path != rel]
        project.documents.pop(rel, None)
        # What the walk says of its name stays: `_names_changed` has found it the same (else everything is read again).
        named = [p for p in self._reading.pop(rel, ()) if p.code == NOT_PORTABLE.code]
        self._local.pop(rel, None)
        if not file.exists() and not file.is_symlink():
            return
        document, problems = read_document(file, rel, project.limits.item_bytes)
        self._reading[rel] = named + problems
        if document is not None:
            project.documents[rel] = document
            project.items.append(to_item(document, project.catalog))
            in_file_order(project.items)  # as the check holds them: the last of two twins is the same
        project.__dict__.pop("_index_cache", None)

    def _attaching(self, files: Sequence[Path]) -> set[str]:
        """Paths of the items that attach any of `files` (their digests and scans change with them), or a file in a
        folder among them: a folder moved or deleted is one change, not one for each of its files."""
        if not files:
            return set()
        attachments = self._project.attachments_dir
        names = {file.relative_to(attachments).as_posix() for file in files if file.is_relative_to(attachments)}
        if "." in names:  # the attachments folder itself
            return {item.path for item in self._project.items if item.attachments}
        folders = tuple(f"{name}/" for name in names)
        return {item.path for item in self._project.items
                if any(entry.file in names or entry.file.startswith(folders) for entry in item.attachments)}

    def _check_all(self, parallel: bool) -> list[Problem]:
        """The LOCAL checks of every file (on two processes for a large site when `parallel`)."""
        project = self._project
        if not parallel or len(project.items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
            return checks.check_families(self._context(project), LOCAL)
        theirs = {item.path for item in project.items[1::2]}
        ours = dataclasses.replace(project, items=[item for item in project.items if item.path not in theirs])
        receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_check_part, args=(self._context(_only(project, theirs)), sending), daemon=True)
        forked = page_workers.started(child)
        sending.close()
        if not forked:  # no second process to be had
            receiving.close()
            return checks.check_families(self._context(project), LOCAL)
        try:
            found = checks.check_families(self._context(ours), LOCAL)
            found += receiving.recv()
        except (EOFError, OSError):  # the child died (e.g. out of memory): check its half here
            found = checks.check_families(self._context(project), LOCAL)
        finally:
            child.join()
        return found

    def _context(self, project: Project) -> CheckContext:
        return CheckContext(project, self.today, self.settings, files_read=self._families_read)

    def _refresh(self) -> None:
        """The problems, banners and plan of the model as it is now; a new version for the browsers."""
        project = self._project
        across = CheckContext(project, self.today, self.settings, files_read=self._families_read, _views=self._bodies)
        self._cross = checks.check_families(across, CROSS)
        self._bodies = across.views()
        found = [p for problems in (*self._reading.values(), *self._local.values()) for p in problems]
        self.problems = checks.report(found + self._cross)
        by_path: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            by_path[problem.path].append(problem)
        shown, self.left_out = preview_items(project.items)
        catalog = project.catalog
        self.chips, self.path_of = {}, {}
        attachments_dir = project.attachments_dir
        for item in shown:
            self.path_of[item.url] = item.path
            chips = item_chips(item, project.documents.get(item.path), by_path.get(item.path, []), self.today,
                               catalog, attachments_dir)
            if chips:
                self.chips[item.url] = chips
        self.plan, self.plan_error = None, ""
        if catalog is None:
            self.plan_error = "catalog.yml 有错误，无法生成网站页面：请按预览问题页改正"
        else:
            try:
                # The members' site's plan shows every column; each item's page says who may see it.
                self.plan = plan_site(project, self.today, self.settings.site, AUDIENCE_PARTY, items=shown, view=self._views)
                self._views.keep_only(shown)
            except Exception as exc:  # noqa: BLE001 - e.g. a report that cannot be built: said on the problems page
                self.plan_error = f"无法生成网站页面：{exc}"
        self.version += 1

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)


def _check_part(context: CheckContext, connection: Connection) -> None:
    """In the forked process: the LOCAL checks of its half of the items, sent to the parent."""
    try:
        connection.send(checks.check_families(context, LOCAL))
    finally:
        connection.close()


def _walked_into(content: Path, relative: Path) -> bool:
    """Whether the loader's walk goes into the folder `relative` below `content`: none of the folders on the way is a
    link (GK011) or named as a file (GK012)."""
    folder = content
    for name in relative.parts:
        folder = folder / name
        if folder.is_symlink() or name.lower().endswith(FILE_SUFFIXES):
            return False
    return True


def _plain_folder(folder: Path) -> bool:
    """Whether everything under `folder` (a folder moved in) is a folder or a `.md` file that the loader's walk reads as
    an item and says nothing of: no link, no other kind of file, no name it refuses, its own included (GK011, GK012,
    GK030, GK033, GK034)."""
    if folder.name.lower().endswith(FILE_SUFFIXES):  # a folder named as a file: never walked into (GK012)
        return False
    for where, names, files in os.walk(folder):  # follows no link: a link to a folder is among `names`
        for name in [*names, *files]:
            path = Path(where, name)
            if NOT_SHOWN.search(name) or name.startswith("._") or path.is_symlink():
                return False
        if any(not name.endswith(".md") or not Path(where, name).is_file() for name in files) or any(
                name.lower().endswith(FILE_SUFFIXES) for name in names) or portable_name_problems("", [*names, *files]):
            return False
    return True


def _by_path(problems: Iterable[Problem], paths: Iterable[str] | None = None) -> dict[str, list[Problem]]:
    """Problems grouped by file; with `paths`, every one of those files gets an entry (maybe empty)."""
    grouped: dict[str, list[Problem]] = {path: [] for path in paths or ()}
    for problem in problems:
        if paths is None or problem.path in grouped:
            grouped.setdefault(problem.path, []).append(problem)
    return grouped


def _only(project: Project, paths: set[str]) -> Project:
    """The project with only the items at `paths` (and no pages): what the LOCAL checks of those files read."""
    items = [item for item in project.items if item.path in paths]
    documents = {path: project.documents[path] for path in paths if path in project.documents}
    return Project(project.root, project.content_dir, project.catalog, project.catalog_document,
                   documents=documents, items=items, limits=project.limits)

