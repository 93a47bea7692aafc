"""`gongkai queue`: the items waiting for a sign-off, and who may sign them."""

from __future__ import annotations

import datetime as dt

from ..problems import Problem
from ..review_queue import Waiting, build_queue
from ..settings import Settings
from . import Refused, site_project


def queue(settings: Settings, today: dt.date, reviewer: str | None = None) -> tuple[list[Waiting], list[Problem]]:
    """What waits for a sign-off; only what `reviewer` may sign when given (Refused for a name the roster lacks); and
    the errors of the item files that could not be read, which may wait too (a queue that left them out said there
    was nothing to review)."""
    project = site_project(settings)
    roster = project.catalog.roster if project.catalog else None
    if reviewer and (roster is None or roster.person(reviewer) is None):
        close = roster.closest(reviewer) if roster else None
        hint = (f"是否想写“{close}”？" if close
                else "请核对姓名；新审查人须先由办公室在 catalog.yml 的 reviewers 中登记姓名、部门、级别和公钥")
        raise Refused(f"“{reviewer}”不在审查人名册中：{hint}")
    items = project.rel(project.content_dir / "items") + "/"
    loaded = {item.path for item in project.items}
    unread = [problem for problem in project.problems
              if problem.path.startswith(items) and problem.path not in loaded and problem.severity == "error"]
    if roster is None:  # catalog.yml missing or broken: say so, not “名册中无人可签” with the cause unnamed
        catalog = project.rel(project.content_dir / "catalog.yml")
        unread += [problem for problem in project.problems if problem.path == catalog and problem.severity == "error"]
    return build_queue(project, today, reviewer), unread
