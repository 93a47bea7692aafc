"""The content checks of `gongkai check`: one module per family, one small rule per code.

Each family module declares its rules (`gongkai.rules`) and `check(ctx)`, which yields
Problems. A family never stops at the first problem, and never raises for bad content.
A family that reads nothing but each item's own file declares `LOCAL = True`: the parallel check
runs it before the processes have exchanged their items, the streamed check (`streaming`) on each
chunk of items as it is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..gc_pause import cycle_collection_paused
from ..problems import Problem, printable
from ..progress import Meter
from ..project import Project
from ..rendering import fingerprint, site_markdown
from ..settings import MarkdownOptions, Settings
from . import (
    audiences,
    consultations,
    genres,
    identity,
    markup,
    page_settings,
    privacy,
    published,
    references,
    registers,
    reports,
    review,
    sanity,
    schema,
    secrecy,
    series,
    theme,
    timeliness,
    wording,
)
from .base import CheckContext

FAMILIES_TASK = "families"  # the meter's task
FAMILIES: tuple = (schema, identity, sanity, genres, review, privacy, secrecy, wording, markup, page_settings, theme, references,
                   timeliness, reports, registers, audiences, consultations, series)
# Problems never kept by the item cache: how long a body takes to render, or a file's texts or attachments to read and
# scan, depends on the machine and on the other files of the run (their budget spent, each later file has 2 s); a file
# not scanned to its end is judged again, never taken for one found clean nor kept refused for what no longer holds.
NOT_KEPT = frozenset({markup.TOO_SLOW.code, published.SCAN_TOO_SLOW.code, privacy.UNREADABLE.code})


@dataclass(frozen=True)
class Checked:
    problems: list[Problem]  # sorted, without repeats
    files_read: int  # every file read: catalog, items and pages, and the families' own (reports, registers, lexicon)


def collect(project: Project, today: dt.date, settings: Settings | None = None, render_cache: bool = True) -> list[Problem]:
    """Every problem of the project (reading problems included), unsorted."""
    return list(project.problems) + check_families(CheckContext(project, today, settings, render_cache), FAMILIES)


def check_families(context: CheckContext, families: Sequence, meter: Meter | None = None) -> list[Problem]:
    """The problems `families` find. Items whose LOCAL problems the project's item cache holds for
    exactly these inputs are left out of the LOCAL families and their stored problems taken instead."""
    problems: list[Problem] = []
    project = context.project
    everything = project.documents
    stored, keys = _stored_local(context) if any(_is_local(family) for family in families) else ({}, {})
    found: dict[str, list[Problem]] = {path: [] for path in keys}
    if stored:
        # Read once a check and kept: read first by a LOCAL family, with the stored items' documents out of sight, the
        # annual reports' problems about those items (GK822) lost their lines
        from ..report.validation import load_inputs

        load_inputs(project, context.today)
    with cycle_collection_paused():
        for family in families:
            if _is_local(family) and stored:
                project.documents = {path: document for path, document in everything.items() if path not in stored}
                try:
                    results = [p for p in family.check(context) if p.path not in stored]
                finally:
                    project.documents = everything
            else:
                results = list(family.check(context))
            problems.extend(results)
            if _is_local(family) and keys:
                for problem in results:
                    if problem.path in found:
                        found[problem.path].append(problem)
            if meter is not None:
                meter.advance(FAMILIES_TASK)
    cache = project.item_cache
    if cache is not None:
        for path, key in keys.items():
            if not any(problem.code in NOT_KEPT for problem in found[path]):
                cache.keep_problems(key, found[path])
        cache.flush()
        for kept in stored.values():
            problems.extend(kept)
    context.flush()
    return problems


def unjudged(context: CheckContext) -> int:
    """How many of the context's item documents the LOCAL families would have to judge (the item cache holds the rest)."""
    stored, _ = _stored_local(context)
    return len(context.project.documents) - len(stored)


def _is_local(family: object) -> bool:
    return getattr(family, "LOCAL", False)


def _stored_local(context: CheckContext) -> tuple[dict[str, list[Problem]], dict[str, str]]:
    """(path → the LOCAL problems the item cache holds, path → the key to keep them under) of the
    items whose documents this context judges."""
    project = context.project
    cache = context.item_cache
    if cache is None:
        return {}, {}
    settings = context.settings
    markdown = fingerprint(site_markdown(settings.markdown if settings is not None else MarkdownOptions()))
    catalog_text = project.catalog_document.text if project.catalog_document is not None else None
    inputs = cache.local_inputs(context.today, project.content_dir, markdown,
                                (settings.limits if settings is not None else None, project.limits),
                                catalog_text, project.limits.item_bytes, published.site_name(context))
    attachments_dir, limit = project.attachments_dir, context.attachment_limit
    keyed = {}
    for path, document in project.documents.items():
        key = cache.local_key(inputs, document, attachments_dir, limit)
        if key is not None:
            keyed[path] = key
    kept = cache.problems(keyed.values())
    stored, keys = {}, {}
    for path, key in keyed.items():
        problems = kept[key]
        if problems is None:
            keys[path] = key
        else:
            stored[path] = problems
    return stored, keys


def report(problems: Iterable[Problem], only: Iterable[str] | None = None) -> list[Problem]:
    """Sorted, without repeats, limited to the paths in `only` when given."""
    if only is not None:
        wanted = {shown for path in only for shown in _shown_as(path)}
        problems = [p for p in problems if p.path in wanted]
    return sorted(set(problems))


def _shown_as(path: str) -> Iterator[str]:
    """The paths a problem about `path` is reported at: the path, as printed (a name with a line break or a control
    character is GK030 at its escaped form), and each folder above it whose name is such (GK030 at the folder: the
    file is never read). A hook naming the changed file must see that error, not “未发现问题”."""
    yield path
    yield printable(path)
    parts = path.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        if printable(folder) != folder:
            yield printable(folder)


def check(
    project: Project, today: dt.date, only: Iterable[str] | None = None, settings: Settings | None = None,
    render_cache: bool = True, meter: Meter | None = None,
) -> Checked:
    """Every problem of the project, and how many files were read.

    `only` limits the report to those project-relative paths; the whole project is still read,
    because some rules (unique 索引号, 解读 links) look across items. `meter` counts the families checked.
    """
    context = CheckContext(project, today, settings, render_cache)
    if meter is not None:
        meter.start(FAMILIES_TASK, "检查规则（类）", len(FAMILIES), step=len(FAMILIES))
    problems = list(project.problems) + check_families(context, FAMILIES, meter)
    if meter is not None:
        meter.finish(FAMILIES_TASK)
    return Checked(report(problems, only), project.files_read + len(context.files_read))


def run(
    project: Project, today: dt.date, only: Iterable[str] | None = None, settings: Settings | None = None,
    render_cache: bool = True,
) -> list[Problem]:
    """Every problem of the project, sorted (`check` without the count)."""
    return check(project, today, only, settings, render_cache).problems
