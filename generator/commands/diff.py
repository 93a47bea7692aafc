"""`gongkai diff`: what changed in an item since its last sign-off, from the git history."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from ..catalog import load_catalog
from ..loading import read_document
from ..project import Project
from ..review_diff import ItemDiff, diff_item, git_history
from ..settings import Settings
from . import Refused, item_file


def diff(settings: Settings, file: Path) -> ItemDiff:
    file = item_file(settings, file)
    catalog, _, _ = load_catalog(settings.content_dir, settings.root, settings.limits.item_bytes)
    project = Project(settings.root, settings.content_dir, catalog)
    rel = project.rel(file)
    document, problems = read_document(file, rel, settings.limits.item_bytes)
    if document is None:
        first = problems[0] if problems else None
        raise Refused(f"{rel}: 文件无法解析{f'（第 {first.line} 行：{first.message}）' if first else ''}")
    with closing(git_history(settings.root, limits=settings.limits)) as history:
        return diff_item(settings.root, project.attachments_dir, document, catalog, history)
