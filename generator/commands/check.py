"""`gongkai check`: every problem of the site's content; against a git ref, the roster's changes and items put back
to an older signed version."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import AUDIENCES
from ..problems import Problem
from ..progress import Meter
from ..project import Project
from ..settings import Settings
from ..upcoming import PUBLISHING, Upcoming, upcoming
from . import Refused


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem]  # sorted
    files_read: int
    roster_notice: str = ""  # the roster's changes against --base, formatted for the output
    scheduled: list[Upcoming] = field(default_factory=list)  # what later builds publish by themselves


def check(settings: Settings, today: dt.date, paths: Sequence[Path] = (), base: str | None = None,
          format_: str = "text", meter: Meter | None = None) -> CheckReport:
    """The problems of the files in `paths` (all when empty); the whole site is read either way.
    `meter` shows progress on a large site."""
    from ..checks.parallel import check_site
    from ..checks.review import CHANGED, UNPUBLISHED_CHANGE

    only = project_paths(settings.root, paths) if paths else None
    # REF is resolved once: the roster and the items are compared with the same commit, whatever moves meanwhile.
    commit = _base_commit(settings, base) if base else None
    notice = roster_notice(settings, base, commit, format_) if base and commit else ""  # read before the check runs
    problems, files_read, project = check_site(settings.root, settings.content_dir, today, only=only, settings=settings,
                                               meter=meter)
    parsed: dict = {}  # REF's versions of the changed items, read once for both comparisons
    if base and commit and project.catalog is not None and project.catalog.roster is not None:
        edited = {problem.path for problem in problems if problem.code in (CHANGED.code, UNPUBLISHED_CHANGE.code)}
        problems = sorted(problems + _against_base(settings, project, base, commit, only, today, edited, parsed))
    if base and commit:
        problems = sorted(problems + _published_tables_changed(settings, project, base, commit, today, only, parsed))
    scheduled = sorted({event for audience in AUDIENCES for event in upcoming(project, today, audience)
                        if event.what in PUBLISHING and (only is None or event.path in only)})
    return CheckReport(problems, files_read, notice, scheduled)


def _base_commit(settings: Settings, base: str) -> str:
    from ..roster_changes import BaseUnavailable, base_commit

    try:
        return base_commit(settings.root, base)
    except BaseUnavailable as exc:
        raise Refused(str(exc)) from None


def _against_base(settings: Settings, project: Project, base: str, commit: str, only: list[str] | None,
                  today: dt.date, edited: set[str], parsed: dict | None = None) -> list[Problem]:
    """GK220–GK223 against `commit`, which `base` names (see `review_history`)."""
    from ..review_history import HistoryUnavailable, against_base

    assert project.catalog is not None and project.catalog.roster is not None
    documents = [document for item in project.items if (document := project.documents.get(item.path)) is not None
                 and (only is None or item.path in only)]
    try:
        return against_base(settings.root, settings.content_dir / "items", documents, project.catalog.roster, commit, today,
                            project.catalog.department, shown=base, edited=edited, item_bytes=settings.limits.item_bytes,
                            parsed=parsed)
    except HistoryUnavailable as exc:
        raise Refused(str(exc)) from None


def _published_tables_changed(settings: Settings, project: Project, base: str, commit: str, today: dt.date,
                              only: list[str] | None, parsed: dict) -> list[Problem]:
    from ..report.published_changes import published_tables_changed
    from ..roster_changes import BaseUnavailable

    try:
        return published_tables_changed(settings, project, base, commit, today, only, parsed)
    except BaseUnavailable as exc:  # the roster's comparison says so first, unless catalog.yml is unreadable now
        raise Refused(str(exc)) from None


def project_paths(root: Path, paths: Sequence[Path]) -> list[str]:
    """Project-relative paths of the files named on the command line (folders: all files below)."""
    wanted = []
    for path in paths:
        # Every name below a folder, folders and links too: a problem may be about a folder's name or a link (GK030).
        files = [path, *sorted(path.rglob("*"))] if path.is_dir() else [path]
        for file in files:
            written = Path(os.path.abspath(file))
            absolute = written.parent.resolve() / written.name  # a link named as it is, not the file it leads to
            wanted.append(absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else file.as_posix())
    return wanted


def unread_paths(settings: Settings, paths: Sequence[Path]) -> list[Path]:
    """The files and folders named on the command line that hold nothing the check reads (a README, a script): the
    check's "nothing found" would say nothing of them."""
    from ..site_config import CONFIG_FILE

    read = [Path(os.path.realpath(folder)) for folder in (settings.root / CONFIG_FILE, settings.content_dir,
                                                          settings.theme_dir, settings.docs_dir) if folder is not None]
    unread = []
    for path in paths:
        named = Path(os.path.realpath(path))
        if not any(named.is_relative_to(where) or where.is_relative_to(named) for where in read):
            unread.append(path)
    return unread


def roster_notice(settings: Settings, base: str, commit: str, format_: str) -> str:
    """The roster's changes against `commit`, which `base` names, formatted for `format_` ("" when catalog.yml is
    unusable: the check itself reports why)."""
    from ..catalog import load_catalog
    from ..problems import printable
    from ..roster_changes import BaseUnavailable, Change, column_names, compare, department_names, format_github, renames, roster_at
    from ..roster_changes import format_text as roster_text

    catalog, document, _ = load_catalog(settings.content_dir, settings.root, settings.limits.item_bytes)
    if catalog is None or catalog.roster is None or document is None:
        return ""
    try:
        old = roster_at(settings.root, settings.content_dir / "catalog.yml", commit, settings.limits.item_bytes)
    except BaseUnavailable as exc:
        raise Refused(str(exc)) from None
    changes = compare(old.roster if old else None, catalog.roster, department_names(catalog),
                      old.department_names if old else None)
    if old is not None:
        changes += renames(old.department_names, department_names(catalog), "部门")
        changes += renames(old.column_names, column_names(catalog), "栏目")
    if old is not None and old.site != old.here:
        changes.insert(0, Change("~", f"站点在仓库中换了位置：{base} 上在 {printable(old.site)}，现在在 {printable(old.here)}"
                                      f"（名册和条目按 {base} 上的位置比较）；受保护的 mkdocs.yml 和名册随之换了位置，"
                                      "须经办公室负责人批准", 1))
    if old is not None and old.path != document.path:
        changes.insert(0, Change("~", f"审查人名册换了文件：{base} 上是 {old.path}，现在是 {document.path}（mkdocs.yml 的 "
                                      "content_dir 改变）；受保护的名册文件换了位置，须经办公室负责人批准", 1))
    if format_ == "github":
        return format_github(changes, base, document.path)
    return roster_text(changes, base, document.path)
