"""`gongkai new`: a new item with the next free 索引号 for its year."""

from __future__ import annotations

import datetime as dt

from ..archetypes import NewItemRefused, create_item
from ..settings import Settings
from . import Refused, site_project


def new_item(settings: Settings, title: str, category: str, department: str, published: dt.date) -> str:
    """The project-relative path of the new item's file."""
    project = site_project(settings)
    try:
        path = create_item(project, title, category, department, published)
    except NewItemRefused as exc:
        raise Refused(str(exc)) from None
    return project.rel(path)
