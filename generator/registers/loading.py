"""Reads both registers of a project: content/applications/** and content/supervision/**.

Each file is read once per project (the check, the report and the site all ask); a file with
errors is remembered with the year it was received in, when that much is readable, so that the
report can tell whether the error touches the year it counts.

A register's number is its file name: a second file of the same number (a copy, the same number
under another year or as .yaml) would be counted twice, so it is an error and left out of the
counts. A file the register does not read (another suffix, or a hidden name: `.2025-018.yml`, or
anything in a hidden folder, which the file managers editors use do not show) would silently drop
out of them, so it is an error too; only an empty hidden file (a placeholder such as .gitkeep) is let be.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ..content_files import NOT_REGULAR, SYMLINK, UNREADABLE
from ..gc_pause import cycle_collection_paused
from ..loading import SourceDocument, read_yaml_file
from ..problems import Problem
from ..project import Project
from ..reader_text import fold
from . import codes
from .applications import FOLDER as APPLICATIONS
from .applications import Application, read_application
from .supervision import FOLDER as SUPERVISION
from .supervision import Entry, read_entry

SUFFIXES = (".yml", ".yaml")
_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits: a folder ２０２４ is not the year 2024


@dataclass
class Registers:
    applications: list[Application] = field(default_factory=list)  # every file with a usable receipt date
    supervision: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what reading the files found
    # application files the report cannot count → the day they were received, when that is readable
    uncounted: dict[str, dt.date | None] = field(default_factory=dict)
    untimed: set[str] = field(default_factory=set)  # application files whose deadline cannot be computed
    unusable_entries: set[str] = field(default_factory=set)  # 督办件 files with errors
    files: dict[str, int | None] = field(default_factory=dict)  # every register file → its year folder
    documents: dict[str, SourceDocument] = field(default_factory=dict)  # every file that could be parsed
    first_year: int | None = None  # the oldest year folder holding an application: the register starts there

    def covers(self, year: int) -> bool:
        """Whether table 三 and 四 of `year` are counted from the register (it has begun by then)."""
        return self.first_year is not None and year >= self.first_year

    def uncounted_for(self, year: int) -> list[str]:
        """Application files the report cannot count that may change the counts of `year`."""
        end = dt.date(year, 12, 31)
        return sorted(path for path, received in self.uncounted.items() if received is None or received <= end)

    def counted(self) -> list[Application]:
        """The applications tables 三 and 四 count."""
        return [application for application in self.applications if application.path not in self.uncounted]

    def timed(self) -> list[Application]:
        """The applications whose deadline can be computed."""
        return [application for application in self.applications if application.path not in self.untimed]


def _files(content_dir: Path, folder: str) -> list[tuple[Path, bool]]:
    """Every file of a register folder, and whether it is a register file (a .yml or .yaml of a name not hidden)."""
    base = content_dir / folder
    if not base.is_dir():
        return []
    found = []
    # A folder the walk cannot list, or a name too long to look at, is GK001 (content_files): never a crash here.
    for dirpath, _dirnames, filenames in os.walk(base):
        for name in filenames:
            file = Path(dirpath) / name
            try:
                regular = file.is_file()
            except OSError:
                continue
            if regular:
                found.append((file, file.suffix.lower() in SUFFIXES and not _hidden(file, base)))
    return sorted(found)


def _hidden(file: Path, base: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(base).parts)


def register_files(content_dir: Path, folder: str) -> list[Path]:
    return [file for file, read in _files(content_dir, folder) if read]


def unread_files(content_dir: Path, folder: str) -> list[Path]:
    """Files of a register folder that are not register files, but for empty hidden ones (.gitkeep)."""
    base = content_dir / folder
    return [file for file, read in _files(content_dir, folder)
            if not read and not (_hidden(file, base) and file.stat().st_size == 0)]


def _number(file: Path) -> str:
    """A register file's number as a reader reads it: ２０２５－００１, ٢٠٢٥-٠٠١ and 2025-00\u200b1 are 2025-001 (read as
    written, a copy under such a name was counted twice in table 三 and the 办结率)."""
    return fold(file.stem).strip().casefold()


def _duplicates(project: Project, files: list[Path], registers: Registers) -> list[str]:
    """The files whose number an earlier file (in path order) already has, each reported."""
    first: dict[str, str] = {}
    later = []
    for file in files:
        rel = project.rel(file)
        earlier = first.setdefault(_number(file), rel)
        if earlier != rel:
            later.append(rel)
            registers.problems.append(codes.DUPLICATE_NUMBER.at(
                rel, 1, f"编号 {file.stem} 已由 {earlier} 登记：同一件登记了两次，年报和办结率会重复统计；"
                        "请删除重复的文件，确属两件的给这一件改用新的编号"))
    return later


def _unread(project: Project, folder: str, registers: Registers) -> list[str]:
    base = project.content_dir / folder
    found = [(project.rel(file), _hidden(file, base)) for file in unread_files(project.content_dir, folder)]
    registers.problems.extend(
        codes.NOT_READ.at(rel, 1, f"{rel} {HIDDEN if hidden else '不是 .yml 文件'}，gongkai 不读取它：其中的申请或督办件不检查期限，"
                                  "也不计入年报和办结率。登记请保存为 .yml（例如 2025-018.yml），文件名和文件夹名不以“.”开头；"
                                  "申请书、答复书、名单等材料不要放在 content/ 中")
        for rel, hidden in found)
    return [rel for rel, _ in found]


HIDDEN = "是隐藏文件或在隐藏文件夹中（名称以“.”开头：文件管理器通常不显示，审阅时容易漏看）"


def year_folder(content_dir: Path, folder: str, file: Path) -> int | None:
    """The year of the folder a register file is filed under (content/applications/2025/…), if any."""
    parts = file.relative_to(content_dir / folder).parts
    return int(parts[0]) if len(parts) > 1 and _YEAR.match(parts[0]) else None


# Registers by id() of their project, dropped with it (a Project is a dataclass, so not hashable).
_CACHE: dict[int, Registers] = {}


def load_registers(project: Project) -> Registers:
    """Both registers of the project, read once per loaded project."""
    cached = _CACHE.get(id(project))
    if cached is None:
        with cycle_collection_paused():  # as for the items: many long-lived objects, no cycles
            cached = _CACHE[id(project)] = _load(project)
        weakref.finalize(project, _CACHE.pop, id(project), None)
    return cached


def _load(project: Project) -> Registers:
    registers = Registers()
    application_years = []
    for file in register_files(project.content_dir, APPLICATIONS):
        rel = project.rel(file)
        registers.files[rel] = folder = year_folder(project.content_dir, APPLICATIONS, file)
        if folder is not None:
            application_years.append(folder)
        data, document, problems = read_yaml_file(file, rel, project.limits.item_bytes)
        registers.problems.extend(problems)
        if document is not None:
            registers.documents[rel] = document
        if document is None or any(p.is_error for p in problems):
            registers.uncounted[rel] = None
            registers.untimed.add(rel)
            continue
        reading = read_application(data, document)
        registers.problems.extend(reading.problems)
        if reading.application is not None:
            registers.applications.append(reading.application)
        if not reading.counted:
            registers.uncounted[rel] = reading.application.received if reading.application else None
        if not reading.timed:
            registers.untimed.add(rel)
    registers.first_year = min(application_years, default=None)
    received = {application.path: application.received for application in registers.applications}
    for rel in _duplicates(project, register_files(project.content_dir, APPLICATIONS), registers):
        registers.uncounted[rel] = registers.uncounted.get(rel, received.get(rel))
    for rel in [*_unread(project, APPLICATIONS, registers), *unreadable(project, APPLICATIONS)]:
        registers.uncounted[rel] = None  # what it holds is unknown: any year may be short of it
        registers.untimed.add(rel)
    for file in register_files(project.content_dir, SUPERVISION):
        rel = project.rel(file)
        registers.files[rel] = year_folder(project.content_dir, SUPERVISION, file)
        data, document, problems = read_yaml_file(file, rel, project.limits.item_bytes)
        registers.problems.extend(problems)
        if document is not None:
            registers.documents[rel] = document
        if document is None or any(p.is_error for p in problems):
            registers.unusable_entries.add(rel)
            continue
        entry, problems = read_entry(data, document, project.catalog)
        registers.problems.extend(problems)
        if entry is None:
            registers.unusable_entries.add(rel)
        else:
            registers.supervision.append(entry)
    twice = set(_duplicates(project, register_files(project.content_dir, SUPERVISION), registers))
    registers.supervision = [entry for entry in registers.supervision if entry.path not in twice]
    registers.unusable_entries |= twice
    _unread(project, SUPERVISION, registers)
    registers.unusable_entries.update(unreadable(project, SUPERVISION))
    return registers


_NOT_WALKED = frozenset((SYMLINK.code, NOT_REGULAR.code, UNREADABLE.code))


def unreadable(project: Project, folder: str) -> list[str]:
    """What the walk of content/ could not read under a register folder (a linked year folder, GK011; a pipe or a
    folder under a register file's name, GK012): passed over, its applications were left out of the annual report
    and the deadline list in silence."""
    base = project.rel(project.content_dir / folder)
    return sorted({problem.path for problem in project.problems if problem.code in _NOT_WALKED
                   and (problem.path == base or problem.path.startswith(f"{base}/"))})
