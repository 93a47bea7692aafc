"""`gongkai queue`: the items waiting for a sign-off, and who may sign them."""

from __future__ import annotations

import datetime as dt

from ..review_queue import Waiting, build_queue
from ..settings import Settings
from . import Refused, site_project


def queue(settings: Settings, today: dt.date, reviewer: str | None = None) -> list[Waiting]:
    """What waits for a sign-off; only what `reviewer` may sign when given (Refused for a name the roster lacks)."""
    project = site_project(settings)
    roster = project.catalog.roster if project.catalog else None
    if reviewer and (roster is None or roster.person(reviewer) is None):
        close = roster.closest(reviewer) if roster else None
        raise Refused(f"“{reviewer}”不在审查人名册中{f'：是否想写“{close}”？' if close else ''}")
    return build_queue(project, today, reviewer)
