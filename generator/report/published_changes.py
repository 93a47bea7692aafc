"""GK848 against a git ref: what a published year's annual report, and the 建议提案办理 listing's past years, showed
on REF and show now. They are counted afresh at every build from the items and the registers, so an edit of a past
year changed a published report on the public site in silence."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from pathlib import Path

from .. import config_gate
from ..git_repo import repository
from ..items import to_item
from ..loading import parse_document, yaml_document
from ..problems import Problem
from ..project import Project
from ..registers.applications import FOLDER as APPLICATIONS
from ..registers.applications import Application, read_application
from ..registers.codes import PUBLISHED_REPORT_CHANGED
from ..registers.loading import SUFFIXES, load_registers
from ..registers.supervision import FOLDER as SUPERVISION
from ..registers.supervision import read_entry
from ..review_history import changed_files
from ..roster_changes import site_on
from ..settings import Settings
from ..site.proposals import proposal_counts
from ..site_config import CONFIG_FILE, CONFIG_LIMIT
from .build import published_years, repeal_years_of
from .compute import document_counts, proactive_counts
from .layout import APPEAL_COLUMNS, APPEAL_ROWS, APPLICATION_COLUMNS, APPLICATION_ROWS, appeal_label
from .register_tables import appeal_table, application_table
from .validation import load_inputs


def published_tables_changed(settings: Settings, project: Project, base: str, commit: str, today: dt.date,
                             only: list[str] | None = None, parsed: dict | None = None) -> list[Problem]:
    """GK848: the published years' tables 三 and 四 counted from the 依申请公开 register as it is on `commit` and as it
    is now. They are counted afresh at every build, so an application of 2024 edited in 2026 (its applicant type, its
    answer date, one added or deleted) changed the 2024 report on the public site in silence. So did the 建议提案办理
    listing's past years (`_proposals_changed`)."""

    registers = load_registers(project)
    years = [year for year in published_years(project, today) if registers.covers(year)]
    repo = repository(settings.root)
    if repo.git_dir is None or repo.top is None:
        return []
    problems = _proposals_changed(project, repo, commit, base, today, registers.supervision, only)
    problems += _items_changed(settings, project, repo, commit, base, today, only, parsed or {})
    folder = _on_base(project, repo, commit, APPLICATIONS)
    if folder is None or not years:
        return problems
    limit = settings.limits.item_bytes
    before: list[Application] = []
    begun: list[int] = []  # the year folders on REF: the years the register counted there
    for parsed, document in _register_at(repo, commit, folder, limit):
        parts = document.path[len(folder) + 1:].split("/")
        if len(parts) > 1 and re.fullmatch(r"[0-9]{4}", parts[0]):
            begun.append(int(parts[0]))
        reading = read_application(parsed, document)
        if reading.application is not None and reading.counted:
            before.append(reading.application)
    now = registers.counted()
    # A year REF's register did not cover had its tables typed into the report (GK845 compares those): not a change here.
    for year in (year for year in years if begun and year >= min(begun)):
        report = f"{project.rel(project.reports_dir)}/{year}.yml"
        register = f"{project.rel(project.content_dir / APPLICATIONS)}/"
        if only is not None and report not in only and not any(path.startswith(register) for path in only):
            continue
        changed = []
        tables = ((application_table, "表三", [(row.key, row.full_label) for row in APPLICATION_ROWS], APPLICATION_COLUMNS),
                  (appeal_table, "表四", [(row.key, appeal_label(row)) for row in APPEAL_ROWS], APPEAL_COLUMNS))
        for count, what, rows, columns in tables:
            old, new = count(before, year).cells, count(now, year).cells
            changed += [f"{what}“{label}”的“{column.label}”列由 {old[key][column.key]} 变为 {new[key][column.key]}"
                        for key, label in rows for column in columns if old[key][column.key] != new[key][column.key]]
        if changed:
            shown = "；".join(changed[:5]) + (f" 等 {len(changed)} 处" if len(changed) > 5 else "")
            problems.append(PUBLISHED_REPORT_CHANGED.at(report, 1,
                f"{year} 年的年报已经公布，它的表三、表四由依申请公开登记统计；与 {base} 相比，对登记的修改改变了其中的数：{shown}。"
                "网站上的年报会随之改变：确属更正的，须经办公室负责人同意并公布更正说明；否则请撤回对登记的修改"))
    return problems


def _proposals_changed(project: Project, repo, commit: str, base: str, today: dt.date, now: list, only: list[str] | None,
                       ) -> list[Problem]:
    """GK848 for the 建议提案办理 listing: each past year's received, answered and 办结率, as on its 31 December."""

    register = project.rel(project.content_dir / SUPERVISION)
    if only is not None and not any(path.startswith(f"{register}/") for path in only):
        return []
    folder = _on_base(project, repo, commit, SUPERVISION)
    if folder is None:
        return []
    before = [entry for parsed, document in _register_at(repo, commit, folder, project.limits.item_bytes)
              if (entry := read_entry(parsed, document, project.catalog)[0]) is not None]
    old = {row.year: row for row in proposal_counts(before, today) if row.year < today.year}
    new = {row.year: row for row in proposal_counts(now, today) if row.year < today.year}
    problems = []
    for year in sorted(old.keys() | new.keys()):
        was, now_ = old.get(year), new.get(year)
        shown = [(label, getattr(was, key, 0) if was else (0 if key != "rate" else "—"),
                  getattr(now_, key, 0) if now_ else (0 if key != "rate" else "—"))
                 for key, label in (("received", "收到"), ("answered", "办结"), ("rate", "办结率"))]
        changed = [f"{label}由 {a} 变为 {b}" for label, a, b in shown if a != b]
        if changed:
            problems.append(PUBLISHED_REPORT_CHANGED.at(register, 1,
                f"网站“建议提案办理”公布的 {year} 年人大代表建议、政协委员提案办理情况（按当年 12 月 31 日统计）与 {base} 相比，"
                f"因对督查督办登记的修改而改变：{'，'.join(changed)}。确属更正的，须经办公室负责人同意；否则请撤回对登记的修改"))
    return problems


def _items_changed(settings: Settings, project: Project, repo, commit: str, base: str, today: dt.date,
                   only: list[str] | None, parsed: dict) -> list[Problem]:
    """GK848 for the items: a published year's table 二 (规章 and 行政规范性文件 made, repealed, in force) and its
    主动公开 counts are counted from the items at every build. An item of that year deleted since REF (a takedown by
    deleting the file, where `gongkai withdraw` keeps it counted), or moved to another column, genre or year, changed
    the report on the public site in silence. Only the items that differ from REF are read there; a year counts as
    published where its report file is on REF too."""

    catalog, top = project.catalog, repo.top
    here, site = _in_repository(project.content_dir / "items", top), _in_repository(project.root, top)
    items_on, reports_on = _on_base(project, repo, commit, "items"), _on_base(project, repo, commit, "reports")
    if catalog is None or None in (here, site, items_on, reports_on):
        return []
    on_ref = {posixpath.basename(name) for name in repo.records(top, "ls-tree", "-r", "-z", "--name-only", "--full-tree",
                                                                 commit, "--", f"{reports_on}/") or []}
    years = [year for year in published_years(project, today) if f"{year}.yml" in on_ref]
    if not years:
        return []

    def in_repo(path: str) -> str:
        return path if site == "." else f"{site}/{path}"

    status = changed_files(repo, top, commit, sorted({str(here), str(items_on)}), [in_repo(item.path) for item in project.items])
    if not status:  # nothing changed, or git cannot tell (the items' comparison says so)
        return []
    before = [item for item in project.items if in_repo(item.path) not in status]
    changed = {name if site == "." else name.removeprefix(f"{site}/") for name in status}  # as the command line names them
    kept = sorted(name for name, change in status.items() if change != "A")
    unread = [name for name in kept if name not in parsed]  # `against_base` read the others (`parsed`)
    limit = settings.limits.item_bytes
    for name, (_, data) in zip(unread, repo.blobs(top, [f"{commit}:{name}" for name in unread], head=limit + 1), strict=True):
        parsed[name] = parse_document(data, name)[0] if data is not None and len(data) <= limit else None
    before += [to_item(document, catalog) for name in kept if (document := parsed[name]) is not None]

    def public(items: list) -> list:
        return [item for item in items if item.is_published(today) and not (item.category and item.category.party)]

    inputs, _ = load_inputs(project, today)
    repeal_years = repeal_years_of(inputs)
    old_items, new_items = public(before), public(project.items)
    problems = []
    for year in years:
        report = f"{project.rel(project.reports_dir)}/{year}.yml"
        repealed = [number for number, _ in inputs[year].repealed] if year in inputs else []
        differences = []
        old, new = (document_counts(items, year, repealed, repeal_years) for items in (old_items, new_items))
        for kind, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            for key, column in (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("valid", "现行有效件数")):
                was, now = getattr(old[kind], key), getattr(new[kind], key)
                if was != now:
                    differences.append(f"表二“{label}”的“{column}”由 {was} 变为 {now}")
        (old_total, *old_parts), (new_total, *new_parts) = (proactive_counts(project, items, year)
                                                             for items in (old_items, new_items))
        if old_total != new_total:
            differences.append(f"主动公开信息总数由 {old_total} 变为 {new_total}")
        for what, was_part, now_part in zip(("栏目", "发布机构"), old_parts, new_parts, strict=True):
            was_counts, now_counts = dict(was_part), dict(now_part)
            differences += [f"{what}“{name}”的条数由 {was_counts.get(name, 0)} 变为 {now_counts.get(name, 0)}"
                        for name in dict.fromkeys([*was_counts, *now_counts])
                        if was_counts.get(name, 0) != now_counts.get(name, 0)]
        if only is not None and report not in only and not any(path in only for path in changed):
            continue
        if differences:
            shown = "；".join(differences[:5]) + (f" 等 {len(differences)} 处" if len(differences) > 5 else "")
            problems.append(PUBLISHED_REPORT_CHANGED.at(report, 1,
                f"{year} 年的年报已经公布，它的表二和主动公开数由条目统计；与 {base} 相比，对条目的修改（删除、改动栏目、"
                f"体裁、日期等）改变了其中的数：{shown}。网站上的年报会随之改变：撤下已公开的条目请用 `gongkai withdraw` "
                "撤回（仍计入当年的数），不要删除文件；确属更正的，须经办公室负责人同意并公布更正说明"))
    return problems


def _in_repository(folder: Path, top: Path) -> str | None:
    """`folder`'s path in the repository whose work tree is `top`, None where it lies outside it."""
    try:
        return Path(os.path.realpath(folder)).relative_to(os.path.realpath(top)).as_posix()
    except ValueError:
        return None


def _on_base(project: Project, repo, commit: str, register: str) -> str | None:
    """The folder `register` (applications, supervision) is in on `commit`, as a path in the repository: below the
    content_dir that REF's own mkdocs.yml names (content_dir pointed at a moved copy of content/ left REF's register
    unread where it was, and an edit of a published year made with the move was compared with nothing); below the
    content folder now where REF's mkdocs.yml names none. None where it lies outside the repository."""

    here = _in_repository(project.content_dir / register, repo.top)
    now = _in_repository(project.root, repo.top)
    if here is None or now is None:
        return here
    site = site_on(repo, commit, now)  # where the site is on REF; BaseUnavailable: the roster's comparison says so
    config = next(repo.blobs(repo.top, [f"{commit}:{posixpath.join('' if site == '.' else site, CONFIG_FILE)}"],
                             head=CONFIG_LIMIT))[1]
    configured = config_gate.content_dir(config) if config is not None else None
    if configured is None:
        return here
    folder = posixpath.normpath(posixpath.join("" if site == "." else site, configured, register))
    return None if folder.startswith("../") or posixpath.isabs(folder) else folder


def _register_at(repo, commit: str, folder: str, limit: int):
    """(data, document) of each register file under `folder` on `commit` that reads without an error."""

    names = []
    for entry in repo.records(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder) or []:
        info, _, name = entry.partition("\t")
        parts = name[len(folder) + 1:].split("/")
        if info.split(" ")[1:2] == ["blob"] and name.lower().endswith(SUFFIXES) and not any(p.startswith(".") for p in parts):
            names.append(name)
    blobs = repo.blobs(repo.top, [f"{commit}:{name}" for name in names], head=limit + 1)
    for name, (_, data) in zip(names, blobs, strict=True):
        if data is None or len(data) > limit:  # too large to read, as the loader says of the file
            continue
        parsed, document, found = yaml_document(data, name)
        if document is not None and not any(problem.is_error for problem in found):
            yield parsed, document
