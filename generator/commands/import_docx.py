"""`gongkai import`: a new item from a 公文 in Word, checked at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import checks, path_probe
from ..checks.review import NOT_REVIEWED
from ..importing import Imported, ImportRefused, NewItemRefused, import_docx
from ..problems import Problem
from ..project import load_project
from ..settings import Settings
from . import Refused, site_project


@dataclass(frozen=True)
class ImportedItem:
    imported: Imported
    path: str  # project-relative
    problems: list[Problem]  # every check's finding on the new item but the missing review


def import_item(settings: Settings, file: Path, category: str, department: str, published: dt.date,
                attach_original: bool, today: dt.date) -> ImportedItem:
    if not path_probe.is_file(file):
        raise Refused(f"{file} 不是普通文件（管道、设备或文件夹）：请给出 Word 文件（.docx）的路径" if path_probe.exists(file) else
                      f"找不到文件 {file}：请检查路径")
    project = site_project(settings)
    try:
        imported = import_docx(project, file, category, department, published, attach_original)
    except (ImportRefused, NewItemRefused) as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        from ..writer import system_reason

        where = f"（{exc.filename}）" if exc.filename else ""
        raise Refused(f"写入失败：{system_reason(exc)}{where}，没有留下半成品：请检查磁盘空间和写权限后再导入") from None
    rel = project.rel(imported.path)
    return ImportedItem(imported, rel, _scan(settings, rel, today))


def _scan(settings: Settings, rel: str, today: dt.date) -> list[Problem]:
    """Every check on the new item at once; all but the missing review is for the editor to fix now."""
    project = load_project(settings.root, settings.content_dir, limits=settings.limits)
    # One new item: nothing worth caching, and the import writes nothing outside content/.
    found = checks.run(project, today, only=[rel], settings=settings, render_cache=False)
    return [p for p in found if p.code != NOT_REVIEWED.code]
